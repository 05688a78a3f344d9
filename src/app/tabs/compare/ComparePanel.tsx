import { useEffect, useState } from "react";
import { FETCH_DEFAULTS } from "../../../ml/fetch";
import { useAppStore } from "../../app-store";
import { Fold } from "../../Fold";
import { KeptOutOfLink, LengthNote, LockedNote, NumberInput, useControl } from "../../fields";
import { useNumbers, useT } from "../../i18n";
import { LANGUAGES, useClassName } from "../../languages";
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
  const t = useT();
  const { number } = useNumbers();
  const className = useClassName();
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
                {" "}
                {side.routedTo.id === "none"
                  ? t("compare.routedNone")
                  : t("compare.routedAs", {
                      name: className(side.routedTo.id, side.routedTo.name),
                    })}
              </span>
            )}
          </span>
        )}
      </h3>
      <p className="stats">
        {side?.parameters !== undefined &&
          t("compare.parameters", { millions: number(side.parameters / 1e6, 2) })}
        {update &&
          ` · ${
            // The speed counts the tokens after the first: until there is one, only the start shows.
            update.tokensPerSec > 0
              ? t("compare.speed", {
                  count: update.tokens,
                  rate: number(update.tokensPerSec, 1),
                  perToken: number(1000 / update.tokensPerSec, 2),
                  ms: Math.round(update.firstTokenMs),
                })
              : t("compare.firstToken", { ms: Math.round(update.firstTokenMs) })
          }`}
      </p>
      <p className="generated">
        {pieces && kl
          ? pieces.map((piece, i) => (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: pieces are a fixed sequence
                key={i}
                title={t("compare.klTitle", { kl: number(kl[i], 3) })}
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
  const t = useT();
  const className = useClassName();
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
      <h2 id="compare-title">{t("tab.compare")}</h2>
      <p className="intro">{t("compare.intro")}</p>
      {!promptControl.hidden && (
        <>
          {promptControl.locked && <LockedNote />}
          <textarea
            aria-label={t("control.prompt")}
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
          {t("compare.student")}
          {expertControl.locked && <LockedNote />}
          <select
            disabled={expertControl.locked}
            value={s.expert}
            onChange={(e) => set("expert", e.target.value as typeof s.expert)}
          >
            <option value="routed">{t("compare.routed")}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t("compare.expert", { language: className(l) })}
              </option>
            ))}
            <option value="common">{t("compare.common")}</option>
            <option value="added">
              {added ? t("compare.addedExpert", { language: added.name }) : t("compare.addExpert")}
            </option>
            <option value="mine">{t("compare.mine")}</option>
          </select>
        </label>
        <Fold summary={t("fold.more")}>
          <StudentFile />
          <NumberInput name="temperature" label={t("compare.temperature")} step={0.1} />
          <NumberInput name="topK" label={t("compare.topK")} step={1} />
          <NumberInput name="seed" label={t("control.seed")} step={1} />
          <NumberInput name="maxTokens" label={t("control.maxTokens")} step={8} />
        </Fold>
        <button
          type="button"
          data-lesson="generate"
          onClick={() => void generate()}
          disabled={busy}
        >
          {t("compare.generate")}
        </button>
        <button
          type="button"
          onClick={stop}
          disabled={compare.state !== "generating" && compare.state !== "loading"}
        >
          {t("run.stop")}
        </button>
      </div>
      <p role="status" aria-live="polite" className="note">
        {compare.state === "loading" && `${t("compare.loading")} `}
        {compare.state === "loading" && compare.loading && (
          <progress
            aria-label={t("compare.loadingLabel")}
            max={compare.loading.total}
            value={compare.loading.loaded}
          />
        )}
        {compare.state === "loading" &&
          withoutData >= SHOW_STALL_AFTER_S &&
          ` ${t("compare.stalled", { seconds: withoutData, limit: FETCH_DEFAULTS.stallMs / 1000 })}`}
        {compare.state === "generating" && t("compare.generating")}
        {compare.state === "done" &&
          (compare.result?.stopped
            ? t("compare.stopped", { run: compare.run })
            : t("compare.done", { run: compare.run }))}
        {compare.state === "cancelled" && t("compare.cancelled")}
        {compare.state === "error" && t("compare.failed", { why: compare.message ?? "" })}
      </p>
      <SizeAndSpeed />
      <div className="outputs">
        <Output label={t("compare.teacherOutput")} side={compare.teacher} />
        <Output
          label={t("compare.studentOutput")}
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
  const t = useT();
  const { number } = useNumbers();
  const load = useAppStore((st) => st.loadStudentFile);
  const error = useAppStore((st) => st.studentFileError);
  const student = useAppStore((st) => st.sentStudent);
  return (
    <span className="number-field">
      <label>
        {t("compare.loadStudent")}
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
          {t("compare.yourStudent", {
            millions: number(student.parameters / 1e6, 2),
            source: student.source,
          })}
        </span>
      )}
    </span>
  );
}

/** How much smaller and faster the student is than the teacher, from the figures of this run. */
function SizeAndSpeed() {
  const t = useT();
  const { number } = useNumbers();
  const { teacher, student } = useAppStore((st) => st.compare);
  const teacherRate = teacher?.update?.tokensPerSec;
  const studentRate = student?.update?.tokensPerSec;
  if (!teacher?.parameters || !student?.parameters || !teacherRate || !studentRate) return null;
  return (
    <p className="note" role="status" aria-label={t("compare.sizeSpeedLabel")}>
      {t("compare.sizeSpeed", {
        smaller: number(teacher.parameters / student.parameters, 1),
        faster: number(studentRate / teacherRate, 1),
      })}
    </p>
  );
}

function KlLegend({ kl }: { kl: number[] }) {
  const t = useT();
  const { number } = useNumbers();
  const mean = kl.reduce((a, b) => a + b, 0) / kl.length;
  return (
    <p className="note">{t("compare.klLegend", { mean: number(mean, 2), count: kl.length })}</p>
  );
}
