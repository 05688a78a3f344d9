/** Form controls bound to one setting of the store, with the setting table's own bounds. */
import { SETTINGS, type SettingKey, type Settings } from "./settings";
import { useAppStore } from "./store";

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
  const field = SETTINGS[name];
  if (field.kind !== "enum") throw new Error(`${name} is not a choice`);
  return (
    <label>
      {label}
      <select value={String(value)} onChange={(e) => set(name, e.target.value as Settings[K])}>
        {field.values.map((v) => (
          <option key={v} value={v}>
            {labels?.[v] ?? v}
          </option>
        ))}
      </select>
    </label>
  );
}

export function NumberInput<K extends SettingKey>({
  name,
  label,
  step,
}: {
  name: K;
  label: string;
  step: number;
}) {
  const value = useAppStore((s) => s.settings[name]) as number;
  const set = useAppStore((s) => s.setSetting);
  const field = SETTINGS[name];
  if (field.kind !== "number") throw new Error(`${name} is not a number`);
  return (
    <label>
      {label}
      <input
        type="number"
        value={value}
        min={field.min}
        max={field.max}
        step={step}
        onChange={(e) => {
          const n = Number(e.target.value);
          // Out-of-range or half-typed values are not stored; the field shows what was typed until blur.
          if (
            e.target.value !== "" &&
            Number.isFinite(n) &&
            n >= field.min &&
            n <= field.max &&
            (!field.integer || Number.isInteger(n))
          ) {
            set(name, n as Settings[K]);
          }
        }}
      />
    </label>
  );
}
