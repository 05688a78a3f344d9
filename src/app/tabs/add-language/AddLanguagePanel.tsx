import { useAppStore } from "../../app-store";
import { CustomText } from "../../CustomText";
import { Fold } from "../../Fold";
import { duration, NumberInput, Select, TextInput } from "../../fields";
import { ADDABLE_LANGUAGES, type AddLanguageRun, type Fingerprint } from "./add-language";

const f1 = (v: number) => v.toFixed(1);
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

function Progress() {
  const run = useAppStore((s) => s.addLanguageRun);
  if (run.state !== "running") return null;
  const elapsed = (Date.now() - (run.startedAt ?? Date.now())) / 1000;
  const left = run.done > 0 ? (elapsed / run.done) * (run.total - run.done) : null;
  return (
    <span className="progress">
      <progress aria-label="Adding the language" max={run.total || 1} value={run.done} />
      <span role="status" aria-label="Add a language progress">
        {run.step}
        {run.done > 0 && ` · step ${run.done} of ${run.total}`}
        {left !== null && ` · about ${duration(left)} left`}
      </span>
    </span>
  );
}

/** The shipped experts before and after: perplexity and weight hash, side by side. */
function Untouched({ before, after }: { before: Fingerprint[]; after: Fingerprint[] }) {
  const present = useAppStore((s) => s.settings.present === "1");
  const same = before.every(
    (b, i) => after[i] && b.sha256 === after[i].sha256 && b.perplexity === after[i].perplexity,
  );
  if (present) return <UntouchedOnStage before={before} after={after} same={same} />;
  return (
    <table aria-label="Existing experts before and after">
      <caption>
        The existing experts, before and after:{" "}
        {same ? "identical (the same weights, to the last bit)" : "CHANGED"}
      </caption>
      <thead>
        <tr>
          <th scope="col">Expert</th>
          <th scope="col">Perplexity before</th>
          <th scope="col">after</th>
          <th scope="col">Weights (sha256) before</th>
          <th scope="col">after</th>
        </tr>
      </thead>
      <tbody>
        {before.map((b, i) => (
          <tr key={b.name}>
            <th scope="row">{b.name}</th>
            <td>{f1(b.perplexity)}</td>
            <td>{after[i] ? f1(after[i].perplexity) : "—"}</td>
            <td>
              <code>{b.sha256.slice(0, 12)}</code>
            </td>
            <td>
              <code>{after[i]?.sha256.slice(0, 12) ?? "—"}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The shared model before and after its fine-tuning on the new language: it forgets the others. */
function SharedModel({
  result,
  language,
}: {
  result: NonNullable<AddLanguageRun["result"]>;
  language: { id: string; name: string };
}) {
  return (
    <table aria-label="Shared model before and after">
      <caption>
        For contrast, one shared model ({result.shared.name}) fine-tuned on the same {language.name}{" "}
        text: it learns {language.name} and forgets the others
      </caption>
      <thead>
        <tr>
          <th scope="col">Language</th>
          <th scope="col">Perplexity before</th>
          <th scope="col">after</th>
        </tr>
      </thead>
      <tbody>
        {Object.keys(result.shared.before).map((lang) => (
          <tr key={lang}>
            <th scope="row">{lang}</th>
            <td>{f1(result.shared.before[lang])}</td>
            <td>{f1(result.shared.after[lang])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The same comparison in three short columns, for the stage. */
function UntouchedOnStage({
  before,
  after,
  same,
}: {
  before: Fingerprint[];
  after: Fingerprint[];
  same: boolean;
}) {
  return (
    <table aria-label="Existing experts before and after">
      <caption>The existing experts: {same ? "identical" : "CHANGED"}</caption>
      <thead>
        <tr>
          <th scope="col">Expert</th>
          <th scope="col">Perplexity</th>
          <th scope="col">Weights</th>
        </tr>
      </thead>
      <tbody>
        {before.map((b, i) => (
          <tr key={b.name}>
            <th scope="row">{b.name}</th>
            <td>
              {f1(b.perplexity)} → {after[i] ? f1(after[i].perplexity) : "—"}
            </td>
            <td>
              <code>{b.sha256.slice(0, 8)}</code> {after[i]?.sha256 === b.sha256 ? "=" : "≠"}{" "}
              <code>{after[i]?.sha256.slice(0, 8) ?? "—"}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Result() {
  const run = useAppStore((s) => s.addLanguageRun);
  const { result, router, language } = run;
  return (
    <>
      {router && language && (
        <p role="status" aria-label="The router's new class">
          The router now has {router.classes.length} classes ({router.classes.join(", ")}): accuracy
          from 100 characters {pct(router.report.accuracy)}, {language.name} F1{" "}
          {router.report.perClass[language.id]?.f1.toFixed(3)}
          <span className="detail">
            ; by length{" "}
            {Object.entries(router.accuracyByLength)
              .map(([l, a]) => `${l} characters ${pct(a)}`)
              .join(", ")}
          </span>
          .
        </p>
      )}
      <div className="add-results">
        {run.before && run.after && <Untouched before={run.before} after={run.after} />}
        {result && language && <SharedModel result={result} language={language} />}
      </div>
      {result && language && (
        <>
          <p>
            The new expert <code>expert-{language.id}</code> (
            {result.expertParameters.toLocaleString("en")} parameters,{" "}
            {run.distil ? "distilled from the teacher" : "CE only"}): perplexity{" "}
            {f1(result.expertPerplexity)} on held-out {language.name}.
          </p>
          <p className="note">
            Done in {duration(result.seconds)} of training. {language.name} text is now routed to{" "}
            its expert in Routing and in Teacher vs student (for this visit).
          </p>
        </>
      )}
    </>
  );
}

/** The language added (kept in this browser), and a way to remove it. */
function Added() {
  const added = useAppStore((s) => s.addedLanguage);
  const remove = useAppStore((s) => s.removeAddedLanguage);
  if (!added) return null;
  return (
    <p role="status" aria-label="Added language">
      {added.name} is added: routed to <code>expert-{added.id}</code>, and kept in this browser.{" "}
      <button type="button" onClick={remove}>
        Remove {added.name}
      </button>
    </p>
  );
}

export function AddLanguagePanel() {
  const run = useAppStore((s) => s.addLanguageRun);
  const add = useAppStore((s) => s.addLanguage);
  const stop = useAppStore((s) => s.stopAddLanguage);
  const present = useAppStore((s) => s.settings.present === "1");
  const busy = run.state === "running";
  const choice = useAppStore((s) => s.settings.add);
  return (
    <section aria-labelledby="add-title" className="panel add-language">
      <h2 id="add-title">Add a language</h2>
      <p className="intro">
        Modularity, live: a new language is a new expert and one more router class. The experts
        already there are not touched. For contrast, one shared model is fine-tuned on the same text
        — and forgets what it knew.
      </p>
      <div className="form">
        <Select
          name="add"
          label="Language to add"
          labels={{ ...ADDABLE_LANGUAGES, custom: "Your own text" }}
        />
        <Fold summary="More settings">
          <Select
            name="addDistil"
            label="New expert"
            labels={{ on: "distilled from the teacher", off: "CE only" }}
          />
          <NumberInput name="addSteps" label="Training steps" step={10} />
        </Fold>
      </div>
      {choice === "custom" && (
        <div className="custom-text">
          <TextInput name="addName" label="Name of your language" />
          <CustomText />
        </div>
      )}
      <p className="actions">
        <button type="button" data-lesson="add-language" onClick={add} disabled={busy}>
          Add language
        </button>{" "}
        <button type="button" onClick={stop} disabled={!busy || run.step === "stopping"}>
          Stop
        </button>
      </p>
      {!(present && run.state === "done") && <Added />}
      <Progress />
      {run.state === "failed" && <p role="alert">Adding the language failed: {run.message}</p>}
      {run.state === "stopped" && <p role="status">{run.message}</p>}
      <Result />
    </section>
  );
}
