/** The "Show recorded runs" switch, and the recorded runs for the charts when it is on. */
import { useEffect } from "react";
import { useAppStore } from "./app-store";
import { LockedNote, useControl } from "./fields";
import { useT } from "./i18n";
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
  const t = useT();
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
        {t("recorded.show")} {locked && <LockedNote />}
      </label>
      {on && (
        <span className="note" role="status">
          {recorded.state === "loading" && ` ${t("recorded.loading")}`}
          {recorded.state === "error" && ` ${t("recorded.failed", { why: recorded.message })}`}
          {recorded.state === "ready" && ` ${t("recorded.about", { what: about(recorded.value) })}`}
        </span>
      )}
    </p>
  );
}
