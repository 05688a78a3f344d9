import { Bar, BarChart, Cell, Legend, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { BlockId, FeatureKind } from "../../../ml/router";
import type { RouteResult } from "../../../workers/router-types";
import { useAppStore } from "../../app-store";
import { EVIDENCE_COLOURS } from "../../chart-colours";
import { Fold } from "../../Fold";
import { KeptOutOfLink, LengthNote, LockedNote, useControl } from "../../fields";
import { classColour, EXAMPLES, LANGUAGE_NAMES, LANGUAGES, NONE_EXAMPLES } from "../../languages";
import { charCount, SETTINGS } from "../../settings";
import { RouterLab } from "./RouterLab";

const percent = (p: number) => `${(100 * p).toFixed(1)} %`;
const signed = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;

function useRouted(): RouteResult | null {
  const routing = useAppStore((s) => s.routing);
  return routing.state === "ready" ? routing.value : null;
}

const nameOf = (r: RouteResult, id: string) => r.classes.find((c) => c.id === id)?.name ?? id;

function Decision() {
  const routing = useAppStore((s) => s.routing);
  const retry = useAppStore((s) => s.retryRouting);
  let text = "Type or paste some text, or pick an example.";
  if (routing.state === "loading") text = "Loading the router…";
  else if (routing.state === "error") text = `Routing failed: ${routing.message}`;
  else if (routing.state === "ready") {
    const r = routing.value;
    text =
      r.label !== "none"
        ? `Routed to ${nameOf(r, r.label)} (${percent(r.probs[r.label])})`
        : r.totalTokens === 0 && r.leftOut.emoji > 0
          ? "None of these: emoji alone say nothing of a language, so the common expert takes it"
          : `None of these (${percent(r.probs.none ?? 0)}): the common expert takes it`;
    if (r.router === "lab") text += " — by your router from the Router lab";
    if (r.router === "added") text += " — by the router with the language you added";
  }
  return (
    <p role="status" aria-live="polite" aria-label="Routing decision" className="decision">
      {text}
      {routing.state === "error" && routing.message.startsWith("the router could not load") && (
        <>
          {" "}
          <button type="button" onClick={() => void retry()}>
            Retry
          </button>
        </>
      )}
    </p>
  );
}

function Probabilities() {
  const r = useRouted();
  const data = (r?.classes ?? []).map((c, i) => ({
    name: c.name,
    colour: classColour(c.id, i),
    probability: r?.probs[c.id] ?? 0,
  }));
  const threshold =
    r?.classes.some((c) => c.id === "none") && r.noneThreshold < 1
      ? ` "None of these" from ${percent(r.noneThreshold)} at this length.`
      : "";
  return (
    <figure className="probabilities" aria-label="Class probabilities">
      <ResponsiveContainer width="100%" height={40 + 26 * Math.max(4, data.length)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis
            type="number"
            domain={[0, 1]}
            tickFormatter={(v: number) => `${Math.round(v * 100)} %`}
          />
          <YAxis type="category" dataKey="name" width={110} interval={0} />
          <Bar dataKey="probability" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={d.colour} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption>
        {r
          ? `${data.map((d) => `${d.name} ${percent(d.probability)}`).join(" · ")}.${threshold}`
          : "No text yet."}
      </figcaption>
    </figure>
  );
}

/** How the evidence chart names each feature block (a block without a name fails to compile). */
const BLOCK_NAMES: Record<BlockId, { legend: string; caption: string }> = {
  tokens: { legend: "from tokens", caption: "tokens" },
  chars: { legend: "from character n-grams", caption: "n-grams" },
  lines: { legend: "from line layout", caption: "line layout" },
  scripts: { legend: "from scripts", caption: "scripts" },
};

/**
 * Where the evidence came from: the token ids (the paper's features), the character n-grams, and
 * for a router that reads them the line layout (how lines break and indent) and the scripts of
 * the letters (Latin, another script, symbols).
 */
function EvidenceByKind() {
  const r = useRouted();
  if (!r || r.features === "tokens") return null;
  const kinds = r.blocks.map((kind) => ({ kind, ...BLOCK_NAMES[kind] }));
  const data = r.classes.map((c) => ({
    name: c.name,
    ...Object.fromEntries(kinds.map(({ kind }) => [kind, r.byKind[kind][c.id]])),
  }));
  return (
    <figure className="by-kind" aria-label="Evidence by feature kind">
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
        How hard each kind of feature pushed toward each class (score, relative to the classes'
        mean):{" "}
        {r.classes
          .map(
            (c) =>
              `${c.name} ${kinds.map(({ kind, caption }) => `${caption} ${signed(r.byKind[kind][c.id])}`).join(", ")}`,
          )
          .join("; ")}
        .
      </figcaption>
    </figure>
  );
}

const FEATURE_KIND_NAMES: Record<FeatureKind, string> = {
  token: "token",
  chars: "characters",
  line: "line layout:",
  script: "script:",
};

function Explain() {
  const r = useRouted();
  const open = useAppStore((s) => s.settings.explain === "on");
  const setSetting = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("explain");
  return (
    <section aria-label="Explain" className="explain">
      <label hidden={hidden}>
        <input
          type="checkbox"
          checked={open}
          disabled={locked}
          onChange={(e) => setSetting("explain", e.target.checked ? "on" : "off")}
        />{" "}
        Explain {locked && <LockedNote />}
      </label>
      {open && r && (
        <>
          <h3>The five features that pushed hardest toward {nameOf(r, r.top)}</h3>
          <ol className="features">
            {r.strongest.map((f) => (
              <li key={`${f.kind}:${f.id}`}>
                {FEATURE_KIND_NAMES[f.kind]}{" "}
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
  const r = useRouted();
  if (!r) return null;
  const { tokens, totalTokens, shownTokens, classes } = r;
  const ids = classes.map((c) => c.id);
  const strongest = Math.max(1e-9, ...tokens.flatMap((t) => ids.map((l) => t.push[l])));
  const colour = new Map(classes.map((c, i) => [c.id, classColour(c.id, i)]));
  return (
    <section aria-label="Token evidence" className="evidence">
      <h3>
        Why: each token coloured by the class it pushed toward
        {r.features === "tokens" ? "" : " (its token and the character n-grams starting in it)"}
      </h3>
      <p className="tokens">
        {tokens.map((t) => {
          const top = ids.reduce((a, b) => (t.push[b] > t.push[a] ? b : a));
          const strength = Math.max(0, t.push[top]) / strongest;
          const title = ids.map((l) => `${l} ${signed(t.push[l])}`).join(", ");
          return (
            <span
              key={t.position}
              title={title}
              style={{
                backgroundColor: `${colour.get(top)}${Math.round(strength * 200 + 15)
                  .toString(16)
                  .padStart(2, "0")}`,
              }}
            >
              {t.text}
            </span>
          );
        })}
      </p>
      {r.leftOut.emoji > 0 && (
        <p className="note">
          {r.leftOut.emoji} emoji left out: emoji say nothing of a language, so the router reads the
          text without them.
        </p>
      )}
      {r.leftOut.quoted > 0 && (
        <p className="note">
          {r.leftOut.quoted} characters in another script left out: the code quotes or comments
          them, and code's own letters are Latin.
        </p>
      )}
      {totalTokens > shownTokens && (
        <p className="note">
          Showing the first {shownTokens} of {totalTokens} tokens; the decision reads them all.
        </p>
      )}
      <p className="legend">
        {classes.map((c) => (
          <span key={c.id} style={{ borderColor: colour.get(c.id) }}>
            {c.name}
          </span>
        ))}
      </p>
    </section>
  );
}

export function RoutingPanel() {
  const text = useAppStore((s) => s.settings.text);
  const route = useAppStore((s) => s.route);
  const textControl = useControl("text");
  return (
    <section aria-labelledby="routing-title" className="panel routing">
      <h2 id="routing-title">Routing</h2>
      <p className="intro">
        The router reads a text's tokens (TF-IDF over token ids, as in the paper), its character
        n-grams (short texts carry few tokens but many n-grams), how its lines break and indent
        (code and docstrings are wrapped and indented) and which script its letters are in (Latin,
        or another such as Cyrillic or Chinese), and a logistic regression sends it to one expert. A
        text in none of its languages goes to the common expert. It decides as you type.
      </p>
      <div className="routing-input">
        {!textControl.hidden && (
          <>
            <Fold summary="Examples">
              <fieldset className="examples" disabled={textControl.locked}>
                <legend>Examples</legend>
                {LANGUAGES.map((l) => (
                  <button key={l} type="button" onClick={() => route(EXAMPLES[l])}>
                    {LANGUAGE_NAMES[l]} example
                  </button>
                ))}
                {Object.entries(NONE_EXAMPLES).map(([name, example]) => (
                  <button key={name} type="button" onClick={() => route(example)}>
                    {name} example (none of these)
                  </button>
                ))}
              </fieldset>
            </Fold>
            {textControl.locked && <LockedNote />}
            <textarea
              aria-label="Text to route"
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
