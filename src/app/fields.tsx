/** Form controls bound to one setting of the store, with the setting table's own bounds. */
import { useId, useState } from "react";
import { useAppStore } from "./app-store";
import { isHidden, isLocked } from "./class-links";
import { useNumbers, useT } from "./i18n";
import { say } from "./i18n/message";
import {
  type LongTextKey,
  leftOutOfLink,
  parseValue,
  SETTINGS,
  type SettingKey,
  type Settings,
} from "./settings";

/** Whether the class link locks or hides the control of `key`. */
export function useControl(key: SettingKey): { locked: boolean; hidden: boolean } {
  const locked = useAppStore((s) => isLocked(s.settings, key));
  const hidden = useAppStore((s) => isHidden(s.settings, key));
  return { locked, hidden };
}

/** The visible note beside a control the teacher's link locks. */
export function LockedNote() {
  const t = useT();
  return <span className="locked-note">{t("field.locked")}</span>;
}

export function Select<K extends SettingKey>({
  name,
  label,
  labels,
}: {
  name: K;
  label: string;
  labels?: Record<string, string>;
}) {
  const value = useAppStore((s) => s.settings[name]);
  const set = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl(name);
  const field = SETTINGS[name];
  if (field.kind !== "enum") throw new Error(`${name} is not a choice`);
  if (hidden) return null;
  return (
    <label data-setting={name}>
      {label}
      {locked && <LockedNote />}
      <select
        value={String(value)}
        disabled={locked}
        onChange={(e) => set(name, e.target.value as Settings[K])}
      >
        {field.values.map((v) => (
          <option key={v} value={v}>
            {labels?.[v] ?? v}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A number field: what is typed stays visible while it is being edited; a valid value is stored
 * at once, an invalid one is explained next to the field and dropped (the stored value returns)
 * when the field loses focus.
 */
export function NumberInput<K extends SettingKey>({
  name,
  label,
  step,
  onValue,
}: {
  name: K;
  label: string;
  step: number;
  /** Stores a valid value instead of setting it directly (e.g. a live knob of a running run). */
  onValue?: (value: number) => void;
}) {
  const t = useT();
  const value = useAppStore((s) => s.settings[name]) as number;
  const set = useAppStore((s) => s.setSetting);
  const [draft, setDraft] = useState<string | null>(null);
  const errorId = useId();
  const { locked, hidden } = useControl(name);
  const field = SETTINGS[name];
  if (field.kind !== "number") throw new Error(`${name} is not a number`);
  const parsed = draft === null ? null : parseValue(field, draft.trim());
  const problem = parsed && "problem" in parsed ? parsed.problem : null;
  if (hidden) return null;
  return (
    <span className="number-field">
      <label data-setting={name}>
        {label}
        {locked && <LockedNote />}
        <input
          type="number"
          disabled={locked}
          value={draft ?? value}
          min={field.min}
          max={field.max}
          step={step}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            const result = parseValue(field, e.target.value.trim());
            if (!("value" in result)) return;
            if (onValue) onValue(result.value as number);
            else set(name, result.value as Settings[K]);
          }}
          onBlur={() => setDraft(null)}
        />
      </label>
      {problem && (
        <span id={errorId} role="alert" className="field-error">
          {problem.key === "problem.notNumber" || problem.key === "problem.notFinite"
            ? t("field.enterNumber")
            : say(t, problem)}
        </span>
      )}
    </span>
  );
}

/** Says that a pasted text was cut to the length a link can hold. */
export function LengthNote({ length, max }: { length: number; max: number }) {
  const t = useT();
  const numbers = useNumbers();
  if (length < max) return null;
  return (
    <p className="note" role="status">
      {t("field.lengthCut", { max: numbers.number(max) })}
    </p>
  );
}

/** Says so when `setting`'s text is too long for the address: links don't carry it. */
export function KeptOutOfLink({ setting }: { setting: LongTextKey }) {
  const t = useT();
  const leftOut = useAppStore((s) => s.linkLeavesOut.includes(setting));
  if (!leftOut) return null;
  return (
    <p className="note" role="status">
      {leftOutOfLink([setting], t)} {t("field.keptInTab")}
    </p>
  );
}

/** "45 s" / "1 min 20 s" (the same in English, French and German). */
export function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A short text setting (its length is capped by the settings table). */
export function TextInput<K extends SettingKey>({ name, label }: { name: K; label: string }) {
  const value = useAppStore((s) => s.settings[name]);
  const set = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl(name);
  const field = SETTINGS[name];
  if (field.kind !== "text") throw new Error(`${name} is not a text`);
  if (hidden) return null;
  return (
    <label data-setting={name}>
      {label} {locked && <LockedNote />}
      <input
        type="text"
        disabled={locked}
        value={String(value)}
        maxLength={field.maxLength}
        onChange={(e) => set(name, e.target.value as Settings[K])}
      />
    </label>
  );
}
