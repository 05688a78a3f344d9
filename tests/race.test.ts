import { describe, expect, it } from "vitest";
import { translate } from "../src/app/i18n";
import { type Message, say } from "../src/app/i18n/message";
import { decodeLanes, encodeLanes, laneLabels, laneOf, laneRequest } from "../src/app/race";
import { defaultSettings } from "../src/app/settings";

/** A problem as the English UI words it. */
const english = (m: Message) => say(translate, m);

const base = laneOf(defaultSettings());

describe("race lanes", () => {
  it("round-trip through the link, keeping only values that differ from the defaults", () => {
    const lanes = [
      { ...base, alphaMode: "fixed" as const, alpha: 0.5 },
      { ...base },
      { ...base, distil: "off" as const, size: "tiny" as const },
    ];
    const text = encodeLanes(lanes);
    expect(text).toBe("alphaMode=fixed;;size=tiny,distil=off");
    expect(decodeLanes(text)).toEqual({ lanes, problems: [] });
  });

  it("leave out a bad lane with a reason, and keep at most four", () => {
    const { lanes, problems } = decodeLanes(
      "alpha=7;steps=3;learningRate=abc;kdLoss=<script>;;size=tiny;;;;",
    );
    expect(lanes).toHaveLength(4);
    expect(problems.map(english)).toEqual([
      'race lane 1: "alpha" must be between 0 and 1; the lane is left out',
      'race lane 2: "steps" is not a lane setting; the lane is left out',
      'race lane 3: "learningRate" is not a number; the lane is left out',
      'race lane 4: "kdLoss" must be one of forward, paper-inverse, reverse; the lane is left out',
      "a race has at most 4 lanes; lane 9 is left out",
      "a race has at most 4 lanes; lane 10 is left out",
    ]);
  });

  it("are labelled by what differs between them", () => {
    expect(laneLabels([{ ...base, alphaMode: "fixed", alpha: 0.5 }, { ...base }])).toEqual([
      "α 0.5",
      "adaptive α",
    ]);
    expect(laneLabels([{ ...base, distil: "off" }, { ...base }])).toEqual([
      "CE only",
      "adaptive α",
    ]);
    expect(
      laneLabels([
        { ...base, kdLoss: "reverse" },
        { ...base, size: "tiny" },
      ]),
    ).toEqual(["small, reverse", "tiny, forward"]);
    expect(laneLabels([base])).toEqual(["small, adaptive α, forward"]);
  });

  it("ask the worker for exactly the lane's student and loss", () => {
    expect(laneRequest({ ...base, distil: "off" })).toEqual({
      preset: "small",
      learningRate: 3e-3,
      kd: undefined,
    });
    expect(laneRequest({ ...base, alphaMode: "step", alpha: 0.2 }).kd).toEqual({
      loss: "forward",
      temperature: 2,
      alpha: { kind: "step", from: 1, to: 0.2, at: 0.5 },
      mode: "combined",
    });
  });
});
