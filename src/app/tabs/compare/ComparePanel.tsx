import { useEffect, useState } from "react";
import { FETCH_DEFAULTS } from "../../../ml/fetch";
import { useAppStore } from "../../app-store";
import { Fold } from "../../Fold";
import { KeptOutOfLink, LengthNote, LockedNote, NumberInput, useControl } from "../../fields";
import { LANGUAGE_NAMES, LANGUAGES } from "../../languages";
import { charCount, firstChars, SETTINGS } from "../../settings";
import type { Side } from "./compare";

function Output({
  label,
  side,
  pieces,
  kl,
}: {
  label: string;
  side?: Side;
  pieces?: string[];
  kl?: number[];
}) {
  const update = side?.update;
  const maxKl = kl ? Math.max(1e-9, ...kl.filter(Number.isFinite)) : 1;
  return (
    <section className="output" aria-label={label}>
      <h3>
        {label}
        {side && (
          <span className="model-name">
            {" "}
            — {side.name}
            {side.routedTo && (
              <span className="why">
                {side.routedTo.id === "none"
                  ? " (the router read the prompt as none of its languages: the common expert takes it)"
                  : ` (the router read the prompt as ${side.routedTo.name})`}
              </span>
            )}
          </span>
        )}
      </h3>
      <p className="stats">
        {side?.parameters !== undefined && `${(side.parameters / 1e6).toFixed(2)} M parameters`}
        {update &&
          ` · ${update.tokens} tokens · ${update.tokensPerSec.toFixed(1)} tokens/s · first token after ${Math.round(update.firstTokenMs)} ms`}
      </p>
      <p className="generated">
        {pieces && kl
          ? pieces.map((piece, i) => (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: pieces are a fixed sequence
                key={i}
                title={`KL(teacher ‖ student) ${kl[i].toFixed(3)} nats`}
                style={{
                  backgroundColor: `rgba(220, 38, 38, ${(0.75 * Math.max(0, kl[i])) / maxKl})`,
                }}
              >
                {piece}
              </span>
            ))
          : (update?.text ?? "")}
      </p>
    </section>
  );
}

/** Whole seconds since `bytes` last changed while `active` (0 when not), ticking each second. */
function useSecondsWithoutData(active: boolean, bytes: number | undefined): number {
  const [since, setSince] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart the clock when bytes arrive
  useEffect(() => setSince(Date.now()), [bytes, active]);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? Math.max(0, Math.floor((now - since) / 1000)) : 0;
}

/** From this many seconds without a byte, the status says the download is waiting. */
const SHOW_STALL_AFTER_S = 5;

export function ComparePanel() {
  const s = useAppStore((st) => st.settings);
  const added = useAppStore((st) => st.addedLanguage);
  const set = useAppStore((st) => st.setSetting);
  const compare = useAppStore((st) => st.compare);
  const generate = useAppStore((st) => st.generate);
  const stop = useAppStore((st) => st.stopGeneration);
  const busy = compare.state === "loading" || compare.state === "generating";
  const withoutData = useSecondsWithoutData(compare.state === "loading", compare.loading?.loaded);
  const promptControl = useControl("prompt");
  const expertControl = useControl("expert");
  const studentOutput = compare.result?.outputs[1];
  return (
    <section aria-labelledby="compare-title" className="panel">
      <h2 id="compare-title">Teacher vs student</h2>
      <p className="intro">
        The multilingual teacher and a small student expert continue the same prompt, token by
        token. The student's tokens are shaded by how much its prediction differed from the
        teacher's there (KL divergence).
      </p>
      {!promptControl.hidden && (
        <>
          {promptControl.locked && <LockedNote />}
          <textarea
            aria-label="Prompt"
            className="prompt"
            rows={3}
            value={s.prompt}
            readOnly={promptControl.locked}
            onChange={(e) => set("prompt", firstChars(e.target.value, SETTINGS.prompt.maxLength))}
          />
          <LengthNote length={charCount(s.prompt)} max={SETTINGS.prompt.maxLength} />
          <KeptOutOfLink setting="prompt" />
        </>
      )}
      <div className="form">
        <label hidden={expertControl.hidden}>
          Student
          {expertControl.locked && <LockedNote />}
          <select
            disabled={expertControl.locked}
            value={s.expert}
            onChange={(e) => set("expert", e.target.value as typeof s.expert)}
          >
            <option value="routed">the routed expert</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]} expert
              </option>
            ))}
            <option value="common">common expert (all four)</option>
            <option value="added">
              {added ? `${added.name} expert (added)` : "the expert of a language you add"}
            </option>
            <option value="mine">the student you trained</option>
          </select>
        </label>
        <Fold summary="More settings">
          <StudentFile />
          <NumberInput name="temperature" label="Temperature (0 = greedy)" step={0.1} />
          <NumberInput name="topK" label="Top-k (0 = all)" step={1} />
          <NumberInput name="seed" label="Seed" step={1} />
          <NumberInput name="maxTokens" label="Tokens" step={8} />
        </Fold>
        <button
          type="button"
          data-lesson="generate"
          onClick={() => void generate()}
          disabled={busy}
        >
          Generate
        </button>
        <button
          type="button"
          onClick={stop}
          disabled={compare.state !== "generating" && compare.state !== "loading"}
        >
          Stop
        </button>
      </div>
      <p role="status" aria-live="polite" className="note">
        {compare.state === "loading" && "Loading the models… (Stop cancels) "}
        {compare.state === "loading" && compare.loading && (
          <progress
            aria-label="Loading the models"
            max={compare.loading.total}
            value={compare.loading.loaded}
          />
        )}
        {compare.state === "loading" &&
          withoutData >= SHOW_STALL_AFTER_S &&
          ` No data for ${withoutData} s: a download that gets none for ${FETCH_DEFAULTS.stallMs / 1000} s is cut and tried again.`}
        {compare.state === "generating" && "Generating…"}
        {compare.state === "done" &&
          (compare.result?.stopped
            ? `Stopped (generation ${compare.run}).`
            : `Done (generation ${compare.run}). The same seed gives the same text.`)}
        {compare.state === "cancelled" && "Loading cancelled. Generate tries again."}
        {compare.state === "error" && `Generation failed: ${compare.message}`}
      </p>
      <div className="outputs">
        <Output label="Teacher output" side={compare.teacher} />
        <Output
          label="Student output"
          side={compare.student}
          pieces={studentOutput?.pieces}
          kl={compare.result?.kl}
        />
      </div>
      {compare.result?.kl && compare.result.kl.length > 0 && <KlLegend kl={compare.result.kl} />}
    </section>
  );
}

/** Loads a student saved with Download student, so a trained student outlives the tab. */
function StudentFile() {
  const load = useAppStore((st) => st.loadStudentFile);
  const error = useAppStore((st) => st.studentFileError);
  const student = useAppStore((st) => st.sentStudent);
  return (
    <span className="number-field">
      <label>
        Load a downloaded student (.zip)
        <input
          type="file"
          accept=".zip,application/zip"
          onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])}
        />
      </label>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
      {student && !error && (
        <span className="note">
          Your student: {(student.parameters / 1e6).toFixed(2)} M parameters, {student.source}.
        </span>
      )}
    </span>
  );
}

function KlLegend({ kl }: { kl: number[] }) {
  const mean = kl.reduce((a, b) => a + b, 0) / kl.length;
  return (
    <p className="note">
      The darker a student token's red, the more the student's next-token distribution differed from
      the teacher's at that point: KL(teacher ‖ student), mean {mean.toFixed(2)} nats over{" "}
      {kl.length} pieces (hover a token for its value).
    </p>
  );
}
