import { Bar, BarChart, Cell, Legend, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { BlockId, FeatureKind } from "../../../ml/router";
import type { RouteResult } from "../../../workers/router-types";
import { useAppStore } from "../../app-store";
import { EVIDENCE_COLOURS } from "../../chart-colours";
import { Fold } from "../../Fold";
import { KeptOutOfLink, LengthNote, LockedNote, useControl } from "../../fields";
import { useNumbers, useT } from "../../i18n";
import type { TextKey } from "../../i18n/catalogues";
import { classColour, EXAMPLES, LANGUAGES, NONE_EXAMPLES, useClassName } from "../../languages";
import { charCount, SETTINGS } from "../../settings";
import { RouterLab } from "./RouterLab";

function useRouted(): RouteResult | null {
  const routing = useAppStore((s) => s.routing);
  return routing.state === "ready" ? routing.value : null;
}

/** A class's name as the UI shows it: the four languages and "none" translated, an added one as named. */
function useNameOf(): (r: RouteResult, id: string) => string {
  const className = useClassName();
  return (r, id) => className(id, r.classes.find((c) => c.id === id)?.name);
}

/** The same, with "none of these" in one word: a chart's axis has room for a word. */
function useAxisNameOf(): (r: RouteResult, id: string) => string {
  const t = useT();
  const nameOf = useNameOf();
  return (r, id) => (id === "none" ? t("language.noneShort") : nameOf(r, id));
}

function Decision() {
  const t = useT();
  const { percent } = useNumbers();
  const nameOf = useNameOf();
  const routing = useAppStore((s) => s.routing);
  const retry = useAppStore((s) => s.retryRouting);
  let text = t("route.empty");
  if (routing.state === "loading") text = t("route.loading");
  else if (routing.state === "error") text = t("route.failed", { why: routing.message });
  else if (routing.state === "ready") {
    const r = routing.value;
    text =
      r.label !== "none"
        ? t("route.routed", { name: nameOf(r, r.label), share: percent(r.probs[r.label]) })
        : r.totalTokens === 0 && r.leftOut.emoji > 0
          ? t("route.emojiOnly")
          : t("route.none", { share: percent(r.probs.none ?? 0) });
    if (r.router === "lab") text += ` ${t("route.byLab")}`;
    if (r.router === "added") text += ` ${t("route.byAdded")}`;
  }
  return (
    <p role="status" aria-live="polite" aria-label={t("route.decision")} className="decision">
      {text}
      {routing.state === "error" && routing.routerFailed && (
        <>
          {" "}
          <button type="button" onClick={() => void retry()}>
            {t("backend.retry")}
          </button>
        </>
      )}
    </p>
  );
}

function Probabilities() {
  const t = useT();
  const { percent } = useNumbers();
  const axisName = useAxisNameOf();
  const nameOf = useNameOf();
  const r = useRouted();
  const data = (r?.classes ?? []).map((c, i) => ({
    name: axisName(r as RouteResult, c.id),
    fullName: nameOf(r as RouteResult, c.id),
    colour: classColour(c.id, i),
    probability: r?.probs[c.id] ?? 0,
  }));
  const threshold =
    r?.classes.some((c) => c.id === "none") && r.noneThreshold < 1
      ? ` ${t("route.threshold", { share: percent(r.noneThreshold) })}`
      : "";
  return (
    <figure className="probabilities" aria-label={t("route.probabilities")}>
      <ResponsiveContainer width="100%" height={40 + 26 * Math.max(4, data.length)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis type="number" domain={[0, 1]} tickFormatter={(v: number) => percent(v, 0)} />
          <YAxis type="category" dataKey="name" width={110} interval={0} />
          <Bar dataKey="probability" name={t("route.probability")} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={d.colour} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption>
        {r
          ? `${data.map((d) => `${d.fullName} ${percent(d.probability)}`).join(" · ")}.${threshold}`
          : t("route.noText")}
      </figcaption>
    </figure>
  );
}

/** How the evidence chart names each feature block (a block without a name fails to compile). */
const BLOCK_NAMES: Record<BlockId, { legend: TextKey; caption: TextKey }> = {
  tokens: { legend: "block.tokens.legend", caption: "block.tokens" },
  chars: { legend: "block.chars.legend", caption: "block.chars" },
  lines: { legend: "block.lines.legend", caption: "block.lines" },
  scripts: { legend: "block.scripts.legend", caption: "block.scripts" },
};

/**
 * Where the evidence came from: the token ids (the paper's features), the character n-grams, and
 * for a router that reads them the line layout (how lines break and indent) and the scripts of
 * the letters (Latin, another script, symbols).
 */
function EvidenceByKind() {
  const t = useT();
  const { signed } = useNumbers();
  const nameOf = useAxisNameOf();
  const r = useRouted();
  if (!r || r.features === "tokens") return null;
  const kinds = r.blocks.map((kind) => ({
    kind,
    legend: t(BLOCK_NAMES[kind].legend),
    caption: t(BLOCK_NAMES[kind].caption),
  }));
  const data = r.classes.map((c) => ({
    name: nameOf(r, c.id),
    ...Object.fromEntries(kinds.map(({ kind }) => [kind, r.byKind[kind][c.id]])),
  }));
  return (
    <figure className="by-kind" aria-label={t("route.byKind")}>
      <ResponsiveContainer width="100%" height={40 + 13 * kinds.length * Math.max(4, data.length)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis type="number" />
          <YAxis type="category" dataKey="name" width={110} interval={0} />
          <Legend />
          {kinds.map(({ kind, legend }) => (
            <Bar
              key={kind}
              dataKey={kind}
              name={legend}
              fill={EVIDENCE_COLOURS[kind]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption>
        {t("route.byKindCaption")}{" "}
        {r.classes
          .map(
            (c) =>
              `${nameOf(r, c.id)} ${kinds.map(({ kind, caption }) => `${caption} ${signed(r.byKind[kind][c.id])}`).join(", ")}`,
          )
          .join("; ")}
        .
      </figcaption>
    </figure>
  );
}

const FEATURE_KIND_NAMES: Record<FeatureKind, TextKey> = {
  token: "feature.token",
  chars: "feature.chars",
  line: "feature.line",
  script: "feature.script",
};

function Explain() {
  const t = useT();
  const { signed } = useNumbers();
  const nameOf = useNameOf();
  const r = useRouted();
  const open = useAppStore((s) => s.settings.explain === "on");
  const setSetting = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("explain");
  return (
    <section aria-label={t("control.explain")} className="explain">
      <label hidden={hidden}>
        <input
          type="checkbox"
          checked={open}
          disabled={locked}
          onChange={(e) => setSetting("explain", e.target.checked ? "on" : "off")}
        />{" "}
        {t("control.explain")} {locked && <LockedNote />}
      </label>
      {open && r && (
        <>
          <h3>{t("route.strongest", { name: nameOf(r, r.top) })}</h3>
          <ol className="features">
            {r.strongest.map((f) => (
              <li key={`${f.kind}:${f.id}`}>
                {t(FEATURE_KIND_NAMES[f.kind])}{" "}
                {f.verbatim ? <code>{JSON.stringify(f.text)}</code> : f.text} {signed(f.push)}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function Evidence() {
  const t = useT();
  const { signed } = useNumbers();
  const nameOf = useNameOf();
  const r = useRouted();
  if (!r) return null;
  const { tokens, totalTokens, shownTokens, classes } = r;
  const ids = classes.map((c) => c.id);
  const strongest = Math.max(1e-9, ...tokens.flatMap((tk) => ids.map((l) => tk.push[l])));
  const colour = new Map(classes.map((c, i) => [c.id, classColour(c.id, i)]));
  return (
    <section aria-label={t("route.tokenEvidence")} className="evidence">
      <h3>{r.features === "tokens" ? t("route.why") : t("route.whyWithNgrams")}</h3>
      <p className="tokens">
        {tokens.map((token) => {
          const top = ids.reduce((a, b) => (token.push[b] > token.push[a] ? b : a));
          const strength = Math.max(0, token.push[top]) / strongest;
          const title = ids.map((l) => `${l} ${signed(token.push[l])}`).join(", ");
          return (
            <span
              key={token.position}
              title={title}
              style={{
                // At most 60 % opaque: the token's text keeps its contrast (WCAG AA) in both themes.
                backgroundColor: `${colour.get(top)}${Math.round(strength * 140 + 15)
                  .toString(16)
                  .padStart(2, "0")}`,
              }}
            >
              {token.text}
            </span>
          );
        })}
      </p>
      {r.leftOut.emoji > 0 && (
        <p className="note">{t("route.emojiLeftOut", { count: r.leftOut.emoji })}</p>
      )}
      {r.leftOut.quoted > 0 && (
        <p className="note">{t("route.quotedLeftOut", { count: r.leftOut.quoted })}</p>
      )}
      {totalTokens > shownTokens && (
        <p className="note">{t("route.shown", { shown: shownTokens, total: totalTokens })}</p>
      )}
      <p className="legend">
        {classes.map((c) => (
          <span key={c.id} style={{ borderColor: colour.get(c.id) }}>
            {nameOf(r, c.id)}
          </span>
        ))}
      </p>
    </section>
  );
}

export function RoutingPanel() {
  const t = useT();
  const className = useClassName();
  const text = useAppStore((s) => s.settings.text);
  const route = useAppStore((s) => s.route);
  const textControl = useControl("text");
  return (
    <section aria-labelledby="routing-title" className="panel routing">
      <h2 id="routing-title">{t("tab.route")}</h2>
      <p className="intro">{t("route.intro")}</p>
      <div className="routing-input">
        {!textControl.hidden && (
          <>
            <Fold summary={t("route.examples")}>
              <fieldset className="examples" disabled={textControl.locked}>
                <legend>{t("route.examples")}</legend>
                {LANGUAGES.map((l) => (
                  <button key={l} type="button" onClick={() => route(EXAMPLES[l])}>
                    {t("route.example", { language: className(l) })}
                  </button>
                ))}
                {Object.values(NONE_EXAMPLES).map(({ name, text: example }) => (
                  <button key={name} type="button" onClick={() => route(example)}>
                    {t("route.noneExample", { language: t(name) })}
                  </button>
                ))}
              </fieldset>
            </Fold>
            {textControl.locked && <LockedNote />}
            <textarea
              aria-label={t("control.text")}
              data-lesson="route-text"
              value={text}
              rows={5}
              spellCheck={false}
              readOnly={textControl.locked}
              onChange={(e) => route(e.target.value)}
            />
            <LengthNote length={charCount(text)} max={SETTINGS.text.maxLength} />
            <KeptOutOfLink setting="text" />
          </>
        )}
      </div>
      <div className="routing-result">
        <Decision />
        <Probabilities />
      </div>
      <EvidenceByKind />
      <Explain />
      <Evidence />
      <RouterLab />
    </section>
  );
}
