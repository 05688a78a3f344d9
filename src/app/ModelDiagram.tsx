/**
 * A picture of the model, kept in view on every tab: the teacher, the router and the experts
 * (and an added language). It lights up live: the expert the router picks as the user types, the
 * models producing tokens, the teacher while a student trains. Each part opens its tab.
 */

import { useAppStore } from "./app-store";
import { useT } from "./i18n";
import { classColour, LANGUAGES, useClassName } from "./languages";
import type { Settings } from "./settings";

interface Part {
  id: string;
  label: string;
  colour: string;
}

/** What is active now: the routed expert, the models generating, training. */
function useActivity() {
  const routed = useAppStore((s) => (s.routing.state === "ready" ? s.routing.value.label : null));
  const generating = useAppStore((s) => s.compare.state === "generating");
  const generatingExpert = useAppStore((s) => {
    const choice = s.settings.expert;
    if (choice === "routed") {
      const to = s.compare.student?.routedTo?.id;
      return to === undefined ? null : to === "none" ? "common" : to;
    }
    if (choice === "added") return s.addedLanguage?.id ?? null;
    return choice === "mine" ? null : choice;
  });
  const training = useAppStore((s) => s.runs.some((r) => r.state === "running"));
  const trainingCorpus = useAppStore((s) => s.settings.corpus);
  return {
    routedExpert: routed === null ? null : routed === "none" ? "common" : routed,
    generating,
    generatingExpert,
    training,
    trainingCorpus,
  };
}

export function ModelDiagram() {
  const t = useT();
  const className = useClassName();
  const added = useAppStore((s) => s.addedLanguage);
  const set = useAppStore((s) => s.setSetting);
  const a = useActivity();
  const experts: Part[] = [
    ...LANGUAGES.map((l, i) => ({ id: l, label: className(l), colour: classColour(l, i) })),
    ...(added ? [{ id: added.id, label: added.name, colour: classColour(added.id, 4) }] : []),
    { id: "common", label: t("diagram.common"), colour: "var(--colour-muted)" },
  ];
  const width = 120 * experts.length;
  const open = (panel: Settings["panel"], expert?: Settings["expert"]) => {
    set("panel", panel);
    if (expert) set("expert", expert);
  };
  const teacherLit = a.generating || a.training;
  const expertState = (id: string) =>
    (a.generating && a.generatingExpert === id) ||
    (a.training && a.trainingCorpus === id) ||
    (!a.generating && !a.training && a.routedExpert === id);
  const routedLabel = experts.find((e) => e.id === a.routedExpert)?.label ?? a.routedExpert;
  const status = [
    a.generating && t("diagram.generating"),
    a.training && t("diagram.training"),
    a.routedExpert &&
      (a.routedExpert === "common"
        ? t("diagram.routedCommon")
        : t("diagram.routed", { expert: routedLabel ?? "" })),
  ].filter(Boolean);
  return (
    <figure className="model-diagram" aria-labelledby="diagram-caption">
      <svg viewBox={`0 0 ${width} 150`} preserveAspectRatio="xMidYMid meet">
        <title>{t("diagram.title")}</title>
        <DiagramNode
          x={width / 2 - 80}
          y={4}
          w={160}
          label={t("diagram.teacher")}
          lit={teacherLit}
          colour="var(--colour-accent)"
          title={t("diagram.openTeacher")}
          onOpen={() => open("compare")}
        />
        <DiagramNode
          x={width / 2 - 60}
          y={58}
          w={120}
          label={t("diagram.router")}
          lit={a.routedExpert !== null && !a.generating && !a.training}
          colour="var(--colour-accent)"
          title={t("diagram.openRouter")}
          onOpen={() => open("route")}
        />
        <line
          x1={width / 2}
          y1={36}
          x2={width / 2}
          y2={58}
          className="diagram-edge"
          strokeDasharray="4 3"
        />
        {experts.map((e, i) => {
          const x = i * 120 + 10;
          const lit = expertState(e.id);
          return (
            <g key={e.id}>
              <line
                x1={width / 2}
                y1={90}
                x2={x + 50}
                y2={112}
                className={lit ? "diagram-edge lit" : "diagram-edge"}
              />
              <DiagramNode
                x={x}
                y={112}
                w={100}
                label={e.label}
                lit={lit}
                colour={e.colour}
                title={t("diagram.openExpert", { expert: e.label })}
                onOpen={() =>
                  open("compare", (e.id === added?.id ? "added" : e.id) as Settings["expert"])
                }
              />
            </g>
          );
        })}
      </svg>
      <figcaption id="diagram-caption" className="diagram-caption" aria-live="polite">
        {status.length > 0 ? t("diagram.now", { what: status.join("; ") }) : t("diagram.idle")}
      </figcaption>
    </figure>
  );
}

function DiagramNode(props: {
  x: number;
  y: number;
  w: number;
  label: string;
  lit: boolean;
  colour: string;
  title: string;
  onOpen: () => void;
}) {
  const { x, y, w, label, lit, colour, title, onOpen } = props;
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG part has no <button>; it acts as one
    <g
      role="button"
      tabIndex={0}
      aria-label={title}
      aria-pressed={lit}
      className={lit ? "diagram-node lit" : "diagram-node"}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onOpen();
        }
      }}
      style={{ "--node-colour": colour } as React.CSSProperties}
    >
      <rect x={x} y={y} width={w} height={32} rx={8} />
      <text x={x + w / 2} y={y + 21} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}
