import { useAppStore } from "../../app-store";
import { CustomText } from "../../CustomText";
import { Fold } from "../../Fold";
import { duration, NumberInput, Select, TextInput } from "../../fields";
import { useNumbers, useT, wordsOf } from "../../i18n";
import { Rich } from "../../i18n/Rich";
import { useClassName } from "../../languages";
import { ADDABLE_LANGUAGES, type AddLanguageRun, type Fingerprint } from "./add-language";

function Progress() {
  const t = useT();
  const run = useAppStore((s) => s.addLanguageRun);
  if (run.state !== "running") return null;
  const elapsed = (Date.now() - (run.startedAt ?? Date.now())) / 1000;
  const left = run.done > 0 ? (elapsed / run.done) * (run.total - run.done) : null;
  return (
    <span className="progress">
      <progress aria-label={t("add.progressBar")} max={run.total || 1} value={run.done} />
      <span role="status" aria-label={t("add.progress")}>
        {run.step}
        {run.done > 0 && ` · ${t("add.step", { step: run.done, total: run.total })}`}
        {left !== null && ` · ${t("run.left", { duration: duration(left) })}`}
      </span>
    </span>
  );
}

/** The shipped experts before and after: perplexity and weight hash, side by side. */
function Untouched({ before, after }: { before: Fingerprint[]; after: Fingerprint[] }) {
  const t = useT();
  const { number } = useNumbers();
  const f1 = (v: number) => number(v, 1);
  const present = useAppStore((s) => s.settings.present === "1");
  const same = before.every(
    (b, i) => after[i] && b.sha256 === after[i].sha256 && b.perplexity === after[i].perplexity,
  );
  if (present) return <UntouchedOnStage before={before} after={after} same={same} />;
  return (
    <table aria-label={t("add.experts")}>
      <caption>{same ? t("add.expertsSame") : t("add.expertsChanged")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("add.expert")}</th>
          <th scope="col">{t("add.perplexityBefore")}</th>
          <th scope="col">{t("add.after")}</th>
          <th scope="col">{t("add.weightsBefore")}</th>
          <th scope="col">{t("add.after")}</th>
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
  const t = useT();
  const { number } = useNumbers();
  const className = useClassName();
  const f1 = (v: number) => number(v, 1);
  const name = className(language.id, language.name);
  return (
    <table aria-label={t("add.shared")}>
      <caption>{t("add.sharedCaption", { model: result.shared.name, language: name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("add.language")}</th>
          <th scope="col">{t("add.perplexityBefore")}</th>
          <th scope="col">{t("add.after")}</th>
        </tr>
      </thead>
      <tbody>
        {Object.keys(result.shared.before).map((lang) => (
          <tr key={lang}>
            <th scope="row">{className(lang, lang === language.id ? language.name : lang)}</th>
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
  const t = useT();
  const { number } = useNumbers();
  const f1 = (v: number) => number(v, 1);
  return (
    <table aria-label={t("add.experts")}>
      <caption>{same ? t("add.stageSame") : t("add.stageChanged")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("add.expert")}</th>
          <th scope="col">{t("add.perplexity")}</th>
          <th scope="col">{t("add.weights")}</th>
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
  const t = useT();
  const { number, percent } = useNumbers();
  const className = useClassName();
  const run = useAppStore((s) => s.addLanguageRun);
  const { result, router, language } = run;
  const name = language ? className(language.id, language.name) : "";
  return (
    <>
      {router && language && (
        <p role="status" aria-label={t("add.routerClass")}>
          {t("add.routerNow", {
            count: router.classes.length,
            classes: router.classes
              .map((c) => className(c, c === language.id ? language.name : c))
              .join(", "),
            share: percent(router.report.accuracy),
            language: name,
            f1: number(router.report.perClass[language.id]?.f1 ?? Number.NaN, 3),
          })}
          <span className="detail">
            {t("add.byLength", {
              figures: Object.entries(router.accuracyByLength)
                .map(([l, a]) => t("lab.accuracyAt", { length: l, share: percent(a) }))
                .join(", "),
            })}
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
            <Rich
              k="add.newExpert"
              components={{ code: <code /> }}
              values={{
                id: language.id,
                parameters: number(result.expertParameters),
                how: run.distil ? t("add.distilled") : t("lane.ceOnly"),
                perplexity: number(result.expertPerplexity, 1),
                language: name,
              }}
            />
          </p>
          <p className="note">
            {t("add.doneIn", { duration: duration(result.seconds), language: name })}
          </p>
        </>
      )}
    </>
  );
}

/** The language added (kept in this browser), and a way to remove it. */
function Added() {
  const t = useT();
  const className = useClassName();
  const added = useAppStore((s) => s.addedLanguage);
  const remove = useAppStore((s) => s.removeAddedLanguage);
  if (!added) return null;
  return (
    <p role="status" aria-label={t("add.added")}>
      <Rich
        k="add.isAdded"
        components={{ code: <code /> }}
        values={{ language: className(added.id, added.name), id: added.id }}
      />{" "}
      <button type="button" onClick={remove}>
        {t("add.remove", { language: className(added.id, added.name) })}
      </button>
    </p>
  );
}

export function AddLanguagePanel() {
  const t = useT();
  const run = useAppStore((s) => s.addLanguageRun);
  const add = useAppStore((s) => s.addLanguage);
  const stop = useAppStore((s) => s.stopAddLanguage);
  const present = useAppStore((s) => s.settings.present === "1");
  const busy = run.state === "running";
  const choice = useAppStore((s) => s.settings.add);
  return (
    <section aria-labelledby="add-title" className="panel add-language">
      <h2 id="add-title">{t("tab.add")}</h2>
      <p className="intro">{t("add.intro")}</p>
      <div className="form">
        <Select
          name="add"
          label={t("control.add")}
          labels={{ ...wordsOf(t, ADDABLE_LANGUAGES), custom: t("train.ownText") }}
        />
        <Fold summary={t("fold.more")}>
          <Select
            name="addDistil"
            label={t("add.newExpertLabel")}
            labels={{ on: t("add.distilled"), off: t("lane.ceOnly") }}
          />
          <NumberInput name="addSteps" label={t("control.steps")} step={10} />
        </Fold>
      </div>
      {choice === "custom" && (
        <div className="custom-text">
          <TextInput name="addName" label={t("add.name")} />
          <CustomText />
        </div>
      )}
      <p className="actions">
        <button type="button" data-lesson="add-language" onClick={add} disabled={busy}>
          {t("add.start")}
        </button>{" "}
        <button type="button" onClick={stop} disabled={!busy || run.stopping}>
          {t("run.stop")}
        </button>
      </p>
      {!(present && run.state === "done") && <Added />}
      <Progress />
      {run.state === "failed" && <p role="alert">{t("add.failed", { why: run.message ?? "" })}</p>}
      {run.state === "stopped" && <p role="status">{run.message}</p>}
      <Result />
    </section>
  );
}
