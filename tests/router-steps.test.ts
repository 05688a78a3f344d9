/** Router fits as steps: run at once or with pauses, and a stop that changes nothing. */
import { describe, expect, it } from "vitest";
import {
  LANGUAGE_CLASSES,
  Router,
  runSteps,
  runStepsAsync,
  StoppedError,
  trainRouter,
  trainRouterSteps,
} from "../src/ml/router";
import { OtherRouters } from "../src/workers/other-routers";

/** Four classes of made-up token ids: class c uses ids 10c…10c+4. */
const examples = LANGUAGE_CLASSES.flatMap((c, k) =>
  Array.from({ length: 8 }, (_, i) => ({ ids: [10 * k + (i % 5), 10 * k + 1], label: c.id })),
);
const options = { kind: "logreg", vocabSize: 64, epochs: 4, seed: 3 } as const;

describe("router fits as steps", () => {
  it("yields the share done after each epoch, and ends with the same router as trainRouter", async () => {
    const shares: number[] = [];
    const stepped = runSteps(trainRouterSteps(examples, options), (d) => shares.push(d));
    expect(shares).toEqual([0.25, 0.5, 0.75, 1]);
    expect(stepped.toJSON()).toEqual(trainRouter(examples, options).toJSON());
    const paused = await runStepsAsync(trainRouterSteps(examples, options));
    expect(paused.toJSON()).toEqual(stepped.toJSON());
  });

  it("stops at the next step once told, and the worker's routers stay as they were", async () => {
    const shipped = trainRouter(examples, options);
    const routers = new OtherRouters();
    const shares: number[] = [];
    const fit = routers.fitting(trainRouterSteps(examples, options), (d) => {
      shares.push(d);
      if (d >= 0.5) routers.stop();
    });
    await expect(fit).rejects.toBeInstanceOf(StoppedError);
    expect(shares).toEqual([0.25, 0.5]);
    expect(routers.active(shipped)).toBe(shipped);
    expect(routers.activeFile()).toBeNull();
    expect(() => routers.useAdded()).toThrow(/no router has been fitted/);
    // A fit that ends routes only once installed.
    routers.keepPendingAdded(Router.fromJSON(shipped.toJSON()));
    expect(routers.active(shipped)).toBe(shipped);
    routers.useAdded();
    expect(routers.activeFile()?.source).toBe("added");
  });
});
