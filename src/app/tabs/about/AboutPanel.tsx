import type { Artifact } from "../../../ml/manifest";
import { useAppStore } from "../../app-store";
import { measuredFigures } from "../../backend-choice";
import { Fold } from "../../Fold";
import { LANGUAGE_NAMES, LANGUAGES } from "../../languages";
import { ModelDiagram } from "../../ModelDiagram";
import type { Settings } from "../../settings";

function PanelLink({ panel, children }: { panel: Settings["panel"]; children: string }) {
  const set = useAppStore((s) => s.setSetting);
  return (
    <button type="button" className="link" onClick={() => set("panel", panel)}>
      {children}
    </button>
  );
}

/** The paper in plain words, and where each part of it is in the app. */
function ThePaper() {
  return (
    <>
      <p>
        This lab demonstrates <em>Mixture of Modular Experts</em> (Al-Maamari, Ben Amor and
        Granitzer, 2024): instead of one large language model for everything, several small experts,
        one per language, each taught by a large multilingual <strong>teacher</strong>, and a{" "}
        <strong>router</strong> that sends every text to the right expert.
      </p>
      <h3>1. A router picks the expert</h3>
      <p>
        The router turns a text into tokens, weighs each token by how typical it is (TF-IDF) and
        lets a logistic regression decide: English, French, German or Python. This lab's router also
        reads short runs of characters (n-grams), which carry evidence in texts too short for many
        tokens, how lines break and indent (code is indented) and which script the letters are in
        (emoji it leaves out: they say nothing of a language), and says "none of these" when a text
        is in none of its languages, Russian or Chinese as much as Spanish (the common expert takes
        it). See it decide as you type in <PanelLink panel="route">Routing</PanelLink>.
      </p>
      <h3>2. Students learn from the teacher</h3>
      <p>
        Each student expert is trained by knowledge distillation: it learns from the text itself
        (cross-entropy, CE) and from the teacher's whole next-token distribution (KD). The loss is
        α·CE + β·KD, with α fixed, scheduled, or adaptive: the paper's rule lowers the weight of a
        loss that has recently risen. Compare the teacher with its students in{" "}
        <PanelLink panel="compare">Teacher vs student</PanelLink>, and train your own student in{" "}
        <PanelLink panel="train">Train a student</PanelLink>.
      </p>
      <h3>3. What the paper found, and what this lab measures</h3>
      <p>
        Adaptive α was about as good as a fixed α (marginally better); a combined loss was slightly
        better than alternating CE and KD steps; the router reached 99.95 % accuracy; and experts
        trained separately do not forget one language while learning another, unlike one model
        trained on the languages in sequence. The project's own reproduction at small scale, with
        its numbers, is in <code>docs/RESULTS.md</code>.
      </p>
    </>
  );
}

/** The shipped models' scores first on the stage, the paper's story folded behind them. */
export function AboutPanel() {
  const present = useAppStore((s) => s.settings.present === "1");
  return (
    <section aria-labelledby="about-title" className="panel about">
      <h2 id="about-title">About</h2>
      {present ? (
        <>
          <ModelDiagram />
          <ShippedModelScores />
          <Fold summary="The paper in plain words">
            <ThePaper />
          </Fold>
        </>
      ) : (
        <>
          <ThePaper />
          <ShippedModelScores />
        </>
      )}
      <Fold summary="Check this computer">
        <ComputerCheckSection />
      </Fold>
      <p className="note">
        Everything here runs in your browser, on WebGPU where available (else WebGL, WebAssembly or
        plain JavaScript), with models this project trained itself on Debian's manuals and Python's
        standard library.
      </p>
    </section>
  );
}

/** One button that measures each backend's speed here, for a teacher checking classroom machines. */
function ComputerCheckSection() {
  const check = useAppStore((s) => s.computerCheck);
  const run = useAppStore((s) => s.checkComputer);
  const measured = useAppStore((s) => s.measured);
  const figure = (v: number | undefined, digits: number) =>
    v === undefined ? "–" : v.toFixed(digits);
  return (
    <section aria-labelledby="check-title">
      <h3 id="check-title">Check this computer</h3>
      <p>
        Measures, on each compute backend that starts here: matrix products (GFLOP/s), a student
        generating text and a student training (tokens per second). It takes a few seconds, longer
        where a backend runs on a software GPU.
      </p>
      {measured && (
        <p>
          Measured on the first visit ({measuredFigures(measured)}): the app generates on{" "}
          {measured.generation.toUpperCase()} and trains on {measured.training.toUpperCase()}.
        </p>
      )}
      <button type="button" onClick={() => void run()} disabled={check.state === "loading"}>
        Check this computer
      </button>
      {check.state === "loading" && (
        <p role="status">
          Measuring: {check.step}… <progress aria-label="Speed check" />
        </p>
      )}
      {check.state === "error" && <p role="alert">The check failed: {check.message}</p>}
      {check.state === "ready" && (
        <>
          <div className="scroll-x">
            <table aria-label="Speed of this computer">
              <thead>
                <tr>
                  <th scope="col">Backend</th>
                  <th scope="col">Matrix products (GFLOP/s)</th>
                  <th scope="col">Generation (tokens/s)</th>
                  <th scope="col">Training (tokens/s)</th>
                </tr>
              </thead>
              <tbody>
                {check.value.rows.map((row) => (
                  <tr key={row.backend}>
                    <th scope="row">{row.backend.toUpperCase()}</th>
                    {row.problem ? (
                      <td colSpan={3}>does not start: {row.problem}</td>
                    ) : row.software ? (
                      <>
                        <td>{figure(row.matmulGflops, 1)}</td>
                        <td colSpan={2}>not measured: {row.software}</td>
                      </>
                    ) : (
                      <>
                        <td>{figure(row.matmulGflops, 1)}</td>
                        <td>{figure(row.generationTokensPerSec, 0)}</td>
                        <td>{figure(row.trainingTokensPerSec, 0)}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {check.value.fastest && (
            <p role="status">
              The app uses {check.value.fastest.generation.toUpperCase()} for generation and{" "}
              {check.value.fastest.training.toUpperCase()} for training on this computer.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function perplexities(artifact: Artifact): Record<string, number> | null {
  const ppl = artifact.metrics?.validationPerplexity;
  return ppl && typeof ppl === "object" ? (ppl as Record<string, number>) : null;
}

/** The shipped models' perplexity on held-out text of each language, read from the manifest. */
function ShippedModelScores() {
  const artifacts = useAppStore((s) => s.artifacts);
  if (artifacts.state !== "ready") return null;
  const rows = artifacts.value
    .filter((a) => a.kind === "gpt" && perplexities(a))
    .sort((a, b) => (a.name === "teacher" ? -1 : b.name === "teacher" ? 1 : 0));
  if (rows.length === 0) return null;
  return (
    <figure className="scores">
      <table aria-label="Validation perplexity of the shipped models">
        <thead>
          <tr>
            <th scope="col">model</th>
            {LANGUAGES.map((l) => (
              <th key={l} scope="col">
                {LANGUAGE_NAMES[l]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => {
            const ppl = perplexities(a) ?? {};
            return (
              <tr key={a.name}>
                <th scope="row">{a.name}</th>
                {LANGUAGES.map((l) => (
                  <td key={l}>
                    {ppl[l] === undefined ? "–" : Math.round(ppl[l]).toLocaleString("en-US")}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <figcaption>
        Validation perplexity (lower is better) of the shipped models on held-out text of each
        language, as measured when they were trained. An expert is only good at its own language,
        which is why the router matters; compare each expert with the larger teacher, and with the
        common expert, trained on all four languages at the expert's size.
      </figcaption>
    </figure>
  );
}
