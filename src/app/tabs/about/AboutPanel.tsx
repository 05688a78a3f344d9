import i18next from "i18next";
import type { ReactNode } from "react";
import { validationPerplexity } from "../../../ml/artifact-metrics";
import { useAppStore } from "../../app-store";
import { measuredFigures } from "../../backend-choice";
import { useCheckStep, useRefusal } from "../../backend-words";
import { Fold } from "../../Fold";
import { useNumbers, useT } from "../../i18n";
import { Rich } from "../../i18n/Rich";
import { LANGUAGES, useClassName } from "../../languages";
import { ModelDiagram } from "../../ModelDiagram";
import type { Settings } from "../../settings";

function PanelLink({ panel, children }: { panel: Settings["panel"]; children?: ReactNode }) {
  const set = useAppStore((s) => s.setSetting);
  return (
    <button type="button" className="link" onClick={() => set("panel", panel)}>
      {children}
    </button>
  );
}

/** The paper in plain words, and where each part of it is in the app. */
function ThePaper() {
  const t = useT();
  const links = {
    route: <PanelLink panel="route" />,
    compare: <PanelLink panel="compare" />,
    train: <PanelLink panel="train" />,
    em: <em />,
    strong: <strong />,
    code: <code />,
  };
  return (
    <>
      <p>
        <Rich k="about.intro" components={links} />
      </p>
      <h3>{t("about.routerTitle")}</h3>
      <p>
        <Rich k="about.router" components={links} />
      </p>
      <h3>{t("about.studentsTitle")}</h3>
      <p>
        <Rich k="about.students" components={links} />
      </p>
      <h3>{t("about.foundTitle")}</h3>
      <p>
        <Rich k="about.found" components={links} />
      </p>
    </>
  );
}

/** The shipped models' scores first on the stage, the paper's story folded behind them. */
export function AboutPanel() {
  const t = useT();
  const present = useAppStore((s) => s.settings.present === "1");
  return (
    <section aria-labelledby="about-title" className="panel about">
      <h2 id="about-title">{t("tab.about")}</h2>
      {present ? (
        <>
          <ModelDiagram />
          <ShippedModelScores />
          <Fold summary={t("about.paperFold")}>
            <ThePaper />
          </Fold>
        </>
      ) : (
        <>
          <ThePaper />
          <ShippedModelScores />
        </>
      )}
      <Fold summary={t("check.title")}>
        <ComputerCheckSection />
      </Fold>
      <p className="note">{t("about.runsHere")}</p>
    </section>
  );
}

/** One button that measures each backend's speed here, for a teacher checking classroom machines. */
function ComputerCheckSection() {
  const t = useT();
  const numbers = useNumbers();
  const refusal = useRefusal();
  const checkStep = useCheckStep();
  const check = useAppStore((s) => s.computerCheck);
  const run = useAppStore((s) => s.checkComputer);
  const measured = useAppStore((s) => s.measured);
  const figure = (v: number | undefined, digits: number) =>
    v === undefined ? "–" : numbers.number(v, digits);
  return (
    <section aria-labelledby="check-title">
      <h3 id="check-title">{t("check.title")}</h3>
      <p>{t("check.what")}</p>
      {measured && (
        <p>
          {t("check.firstVisit", {
            figures: t("backend.figures", measuredFigures(measured, i18next.language)),
            generation: measured.generation.toUpperCase(),
            training: measured.training.toUpperCase(),
          })}
        </p>
      )}
      <button type="button" onClick={() => void run()} disabled={check.state === "loading"}>
        {t("check.title")}
      </button>
      {check.state === "loading" && (
        <p role="status">
          {check.step && t("check.measuring", { step: checkStep(check.step) })}{" "}
          <progress aria-label={t("check.progress")} />
        </p>
      )}
      {check.state === "error" && <p role="alert">{t("check.failed", { why: check.message })}</p>}
      {check.state === "ready" && (
        <>
          <div className="scroll-x">
            <table aria-label={t("check.table")}>
              <thead>
                <tr>
                  <th scope="col">{t("check.backend")}</th>
                  <th scope="col">{t("check.matmul")}</th>
                  <th scope="col">{t("check.generation")}</th>
                  <th scope="col">{t("check.training")}</th>
                </tr>
              </thead>
              <tbody>
                {check.value.rows.map((row) => (
                  <tr key={row.backend}>
                    <th scope="row">{row.backend.toUpperCase()}</th>
                    {row.problem ? (
                      <td colSpan={3}>{t("check.noStart", { why: refusal(row.problem) })}</td>
                    ) : row.software ? (
                      <>
                        <td>{figure(row.matmulGflops, 1)}</td>
                        <td colSpan={2}>
                          {t("check.notMeasured", { why: refusal(row.software) })}
                        </td>
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
              {t("check.uses", {
                generation: check.value.fastest.generation.toUpperCase(),
                training: check.value.fastest.training.toUpperCase(),
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The shipped models' perplexity on held-out text of each language, read from the manifest. */
function ShippedModelScores() {
  const t = useT();
  const numbers = useNumbers();
  const className = useClassName();
  const artifacts = useAppStore((s) => s.artifacts);
  const modelExport = useAppStore((s) => s.modelExport);
  const exportModel = useAppStore((s) => s.downloadShippedForHuggingFace);
  // The stage shows the scores; downloads are for a desk.
  const present = useAppStore((s) => s.settings.present === "1");
  if (artifacts.state !== "ready") return null;
  const rows = artifacts.value
    .filter((a) => a.kind === "gpt" && validationPerplexity(a))
    .sort((a, b) => (a.name === "teacher" ? -1 : b.name === "teacher" ? 1 : 0));
  if (rows.length === 0) return null;
  return (
    <figure className="scores">
      <table aria-label={t("scores.label")} data-lesson="scores">
        <thead>
          <tr>
            <th scope="col">{t("scores.model")}</th>
            {LANGUAGES.map((l) => (
              <th key={l} scope="col">
                {className(l)}
              </th>
            ))}
            {!present && <th scope="col">{t("scores.export")}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => {
            const ppl = validationPerplexity(a) ?? {};
            return (
              <tr key={a.name}>
                <th scope="row">{a.name}</th>
                {LANGUAGES.map((l) => (
                  <td key={l}>{ppl[l] === undefined ? "–" : numbers.number(ppl[l])}</td>
                ))}
                {!present && (
                  <td>
                    <button
                      type="button"
                      className="small"
                      disabled={modelExport.busy !== null}
                      aria-label={t("scores.exportOne", { model: a.name })}
                      aria-busy={modelExport.busy === a.name}
                      onClick={() => void exportModel(a.name)}
                    >
                      {t("scores.download")}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <figcaption>{t("scores.caption")}</figcaption>
      {modelExport.busy && <p role="status">{t("export.zipping", { model: modelExport.busy })}</p>}
      {modelExport.error && <p role="alert">{modelExport.error}</p>}
    </figure>
  );
}
