/**
 * Race lanes: the settings that may differ between students trained side by side (same text, seed,
 * steps and batches). Lanes live in the link as one text setting, "key=value,…;key=value,…", and
 * every value is validated by the settings table on the way in.
 */
import { MAX_LANES } from "../ml/presets";
import type { LaneRequest } from "../workers/train-types";
import { translate } from "./i18n";
import type { TextKey } from "./i18n/catalogues";
import { type Message, message } from "./i18n/message";
import { defaultSettings, parseValue, SETTINGS, type Settings } from "./settings";

export const LANE_KEYS = [
  "size",
  "distil",
  "alphaMode",
  "alpha",
  "kdLoss",
  "kdTemperature",
  "lossMode",
  "learningRate",
] as const;
export type Lane = Pick<Settings, (typeof LANE_KEYS)[number]>;

export function laneOf(settings: Settings): Lane {
  return Object.fromEntries(LANE_KEYS.map((k) => [k, settings[k]])) as Lane;
}

/** The link form of some lanes: only values that differ from the defaults. */
export function encodeLanes(lanes: readonly Lane[]): string {
  const defaults = defaultSettings();
  return lanes
    .map((lane) =>
      LANE_KEYS.filter((k) => lane[k] !== defaults[k])
        .map((k) => `${k}=${lane[k]}`)
        .join(","),
    )
    .join(";");
}

/** Lanes from their link form; a bad lane is left out and said why. */
export function decodeLanes(text: string): { lanes: Lane[]; problems: Message[] } {
  const lanes: Lane[] = [];
  const problems: Message[] = [];
  if (text.trim() === "") return { lanes, problems };
  for (const [i, part] of text.split(";").entries()) {
    const lane = laneOf(defaultSettings()) as Record<string, string | number>;
    let bad: Message | null = null;
    for (const pair of part.split(",").filter(Boolean)) {
      const [key, raw = ""] = pair.split("=", 2);
      if (!(LANE_KEYS as readonly string[]).includes(key)) {
        bad = message("race.notLaneSetting", { key: key.slice(0, 40) });
        break;
      }
      const parsed = parseValue(SETTINGS[key as keyof Lane], raw);
      if ("problem" in parsed) {
        bad = message("race.badValue", { key, problem: parsed.problem });
        break;
      }
      lane[key] = parsed.value;
    }
    if (bad) problems.push(message("race.badLane", { lane: i + 1, problem: bad }));
    else if (lanes.length >= MAX_LANES)
      problems.push(message("race.tooManyLanes", { max: MAX_LANES, lane: i + 1 }));
    else lanes.push(lane as Lane);
  }
  return { lanes, problems };
}

/** How a lane describes itself: its size, and CE only or its α schedule and KD loss. */
function laneParts(lane: Lane): Record<string, string> {
  const alpha =
    lane.alphaMode === "adaptive"
      ? translate("lane.adaptive")
      : lane.alphaMode === "fixed"
        ? `α ${lane.alpha}`
        : `${translate(SCHEDULE_NAMES[lane.alphaMode])} α→${lane.alpha}`;
  return lane.distil === "off"
    ? { size: lane.size, kd: translate("lane.ceOnly") }
    : {
        size: lane.size,
        alpha,
        kdLoss: lane.kdLoss,
        temperature: `T ${lane.kdTemperature}`,
        mode: lane.lossMode,
        learningRate: `lr ${lane.learningRate}`,
      };
}

/** A schedule's name in a lane's label ("cosine α→0.2"). */
const SCHEDULE_NAMES: Record<"linear" | "cosine" | "step", TextKey> = {
  linear: "lane.linear",
  cosine: "lane.cosine",
  step: "lane.step",
};

/**
 * Each lane's label, in the UI's language: what differs between the lanes (everything that
 * defines it when alone).
 */
export function laneLabels(lanes: readonly Lane[]): string[] {
  const parts = lanes.map(laneParts);
  if (lanes.length === 1) {
    const { size, kd, alpha, kdLoss, mode } = parts[0];
    return [
      [size, kd ?? alpha, kdLoss, mode === "alternating" ? mode : undefined]
        .filter(Boolean)
        .join(", "),
    ];
  }
  // A setting differs when lanes that have it disagree; CE-only lanes have no KD settings, and a
  // distilled lane then shows its α schedule.
  const keys = [...new Set(parts.flatMap((p) => Object.keys(p)))];
  const mixed = new Set(lanes.map((l) => l.distil)).size > 1;
  const differing = keys.filter((k) => {
    const values = new Set(parts.filter((p) => k in p).map((p) => p[k]));
    return values.size > 1 || (mixed && (k === "kd" || k === "alpha"));
  });
  return parts.map(
    (p) =>
      differing
        .map((k) => p[k])
        .filter(Boolean)
        .join(", ") || translate("lane.same"),
  );
}

/** What the training worker needs of a lane. */
export function laneRequest(lane: Lane): LaneRequest {
  return {
    preset: lane.size,
    learningRate: lane.learningRate,
    kd:
      lane.distil === "on"
        ? {
            loss: lane.kdLoss,
            temperature: lane.kdTemperature,
            alpha: alphaSpec(lane),
            mode: lane.lossMode,
          }
        : undefined,
  };
}

export function alphaSpec(lane: Lane): NonNullable<LaneRequest["kd"]>["alpha"] {
  switch (lane.alphaMode) {
    case "fixed":
      return { kind: "fixed", alpha: lane.alpha };
    case "adaptive":
      return { kind: "adaptive" };
    case "linear":
    case "cosine":
      return { kind: lane.alphaMode, from: 1, to: lane.alpha };
    case "step":
      return { kind: "step", from: 1, to: lane.alpha, at: 0.5 };
  }
}
