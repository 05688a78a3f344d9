/** The "Show recorded runs" switch, and the recorded runs for the charts when it is on. */
import { useEffect } from "react";
import { useAppStore } from "./app-store";
import { LockedNote, useControl } from "./fields";
import type { RecordedLessons } from "./recorded";

/** The recorded runs while the switch is on and they have loaded; else null. */
export function useRecorded(): RecordedLessons | null {
  const on = useAppStore((s) => s.settings.recorded === "on");
  const recorded = useAppStore((s) => s.recordedRuns);
  const load = useAppStore((s) => s.loadRecordedRuns);
  useEffect(() => {
    if (on) void load();
  }, [on, load]);
  return on && recorded.state === "ready" ? recorded.value : null;
}

/** The switch, with what the dashed lines are (`about` names the run recorded). */
export function RecordedToggle({ about }: { about: (r: RecordedLessons) => string }) {
  const on = useAppStore((s) => s.settings.recorded === "on");
  const recorded = useAppStore((s) => s.recordedRuns);
  const setSetting = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("recorded");
  if (hidden) return null;
  return (
    <p className="recorded-toggle">
      <label>
        <input
          type="checkbox"
          checked={on}
          disabled={locked}
          onChange={(e) => setSetting("recorded", e.target.checked ? "on" : "off")}
        />{" "}
        Show the recorded run {locked && <LockedNote />}
      </label>
      {on && (
        <span className="note" role="status">
          {recorded.state === "loading" && " Loading the recorded run…"}
          {recorded.state === "error" && ` The recorded run could not load: ${recorded.message}`}
          {recorded.state === "ready" && ` Lines labelled "recorded": ${about(recorded.value)}`}
        </span>
      )}
    </p>
  );
}
