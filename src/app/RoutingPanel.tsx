import { Bar, BarChart, Cell, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { LengthNote } from "./fields";
import { EXAMPLES, LANGUAGE_COLOURS, LANGUAGE_NAMES, LANGUAGES, type Language } from "./languages";
import { SETTINGS } from "./settings";
import { useAppStore } from "./store";

const percent = (p: number) => `${(100 * p).toFixed(1)} %`;

function Decision() {
  const routing = useAppStore((s) => s.routing);
  let text = "Type or paste some text, or pick an example.";
  if (routing.state === "loading") text = "Loading the router…";
  else if (routing.state === "error") text = `Routing failed: ${routing.message}`;
  else if (routing.state === "ready") {
    const { label, probs } = routing.value;
    text = `Routed to ${LANGUAGE_NAMES[label]} (${percent(probs[label])})`;
  }
  return (
    <p role="status" aria-live="polite" aria-label="Routing decision" className="decision">
      {text}
    </p>
  );
}

function Probabilities() {
  const routing = useAppStore((s) => s.routing);
  const probs = routing.state === "ready" ? routing.value.probs : null;
  const data = LANGUAGES.map((l) => ({
    language: LANGUAGE_NAMES[l],
    code: l,
    probability: probs ? probs[l] : 0,
  }));
  return (
    <figure className="probabilities" aria-label="Class probabilities">
      <ResponsiveContainer width="100%" height={170}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24 }}>
          <XAxis
            type="number"
            domain={[0, 1]}
            tickFormatter={(v: number) => `${Math.round(v * 100)} %`}
          />
          <YAxis type="category" dataKey="language" width={70} />
          <Bar dataKey="probability" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.code} fill={LANGUAGE_COLOURS[d.code as Language]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption>
        {probs
          ? LANGUAGES.map((l) => `${LANGUAGE_NAMES[l]} ${percent(probs[l])}`).join(" · ")
          : "No text yet."}
      </figcaption>
    </figure>
  );
}

function Evidence() {
  const routing = useAppStore((s) => s.routing);
  if (routing.state !== "ready") return null;
  const { tokens, totalTokens, shownTokens } = routing.value;
  const strongest = Math.max(1e-9, ...tokens.flatMap((t) => LANGUAGES.map((l) => t.push[l])));
  return (
    <section aria-label="Token evidence" className="evidence">
      <h3>Why: each token coloured by the language it pushed toward</h3>
      <p className="tokens">
        {tokens.map((t) => {
          const top = LANGUAGES.reduce((a, b) => (t.push[b] > t.push[a] ? b : a));
          const strength = Math.max(0, t.push[top]) / strongest;
          const title = LANGUAGES.map(
            (l) => `${l} ${t.push[l] >= 0 ? "+" : ""}${t.push[l].toFixed(3)}`,
          ).join(", ");
          return (
            <span
              key={t.position}
              title={title}
              style={{
                backgroundColor: `${LANGUAGE_COLOURS[top]}${Math.round(strength * 200 + 15)
                  .toString(16)
                  .padStart(2, "0")}`,
              }}
            >
              {t.text}
            </span>
          );
        })}
      </p>
      {totalTokens > shownTokens && (
        <p className="note">
          Showing the first {shownTokens} of {totalTokens} tokens; the decision reads them all.
        </p>
      )}
      <p className="legend">
        {LANGUAGES.map((l) => (
          <span key={l} style={{ borderColor: LANGUAGE_COLOURS[l] }}>
            {LANGUAGE_NAMES[l]}
          </span>
        ))}
      </p>
    </section>
  );
}

export function RoutingPanel() {
  const text = useAppStore((s) => s.settings.text);
  const route = useAppStore((s) => s.route);
  return (
    <section aria-labelledby="routing-title" className="panel">
      <h2 id="routing-title">Routing</h2>
      <p>
        The router reads the tokens of a text (TF-IDF over token ids + logistic regression) and
        sends it to one expert: English, French, German or Python. It decides as you type.
      </p>
      <fieldset className="examples">
        <legend>Examples</legend>
        {LANGUAGES.map((l) => (
          <button key={l} type="button" onClick={() => route(EXAMPLES[l])}>
            {LANGUAGE_NAMES[l]} example
          </button>
        ))}
      </fieldset>
      <textarea
        aria-label="Text to route"
        value={text}
        rows={5}
        spellCheck={false}
        onChange={(e) => route(e.target.value)}
      />
      <LengthNote length={text.length} max={SETTINGS.text.maxLength} />
      <Decision />
      <Probabilities />
      <Evidence />
    </section>
  );
}
