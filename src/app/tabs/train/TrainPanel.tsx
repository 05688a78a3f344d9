import type { AlphaKind, KdLoss, LossMode } from "../../../ml/kd-options";
import { STUDENT_PRESETS } from "../../../ml/presets";
import { useAppStore } from "../../app-store";
import { CustomText } from "../../CustomText";
import { Fold } from "../../Fold";
import { NumberInput, Select } from "../../fields";
import { LANGUAGE_NAMES } from "../../languages";
import { RecordedToggle, useRecorded } from "../../RecordedRuns";
import { recordedRace } from "../../recorded";
import { CHARTS, MetricChart } from "./MetricChart";
import { Controls, Race, RunList } from "./RunControls";

/** How the α schedules, KD losses and loss modes are named (one missing fails to compile). */
const ALPHA_LABELS: Record<AlphaKind, string> = {
  fixed: "fixed",
  adaptive: "adaptive (the paper's)",
  linear: "linear from 1 to α",
  cosine: "cosine from 1 to α",
  step: "1, then α after half-way",
};
const KD_LOSS_LABELS: Record<KdLoss, string> = {
  forward: "forward KL·T²",
  "paper-inverse": "the paper's inverse KL",
  reverse: "reverse KL·T²",
};
const LOSS_MODE_LABELS: Record<LossMode, string> = {
  combined: "combined",
  alternating: "alternating CE / KD steps",
};

function AlphaSlider() {
  const alpha = useAppStore((s) => s.settings.alpha);
  const setKnob = useAppStore((s) => s.setKnob);
  return (
    <label>
      α (weight on CE) {alpha.toFixed(2)}
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={alpha}
        onChange={(e) => setKnob("alpha", Number(e.target.value))}
      />
    </label>
  );
}

/**
 * The run's settings. On the stage, what a lesson step asks for (teacher, α schedule, KD loss)
 * shows and the rest folds behind "More settings"; elsewhere they show in their usual order.
 */
function TrainForm() {
  const distil = useAppStore((s) => s.settings.distil);
  const alphaMode = useAppStore((s) => s.settings.alphaMode);
  const present = useAppStore((s) => s.settings.present === "1");
  const setKnob = useAppStore((s) => s.setKnob);
  const kd = distil === "on";
  const corpus = (
    <Select name="corpus" label="Corpus" labels={{ ...LANGUAGE_NAMES, custom: "Your own text" }} />
  );
  const size = (
    <Select
      name="size"
      label="Student size"
      labels={Object.fromEntries(
        Object.entries(STUDENT_PRESETS).map(([k, p]) => [
          k,
          `${k} (${p.dModel} wide, ${p.nLayers} layer${p.nLayers > 1 ? "s" : ""})`,
        ]),
      )}
    />
  );
  const teacher = (
    <Select
      name="distil"
      label="Teacher"
      labels={{ on: "distil from the teacher", off: "CE only (no teacher)" }}
    />
  );
  const schedule = kd && <Select name="alphaMode" label="α schedule" labels={ALPHA_LABELS} />;
  const slider = kd && alphaMode !== "adaptive" && <AlphaSlider />;
  const loss = kd && <Select name="kdLoss" label="KD loss" labels={KD_LOSS_LABELS} />;
  const temperature = kd && (
    <NumberInput
      name="kdTemperature"
      label="Temperature"
      step={0.5}
      onValue={(v) => setKnob("kdTemperature", v)}
    />
  );
  const mode = kd && <Select name="lossMode" label="Mode" labels={LOSS_MODE_LABELS} />;
  const rate = (
    <NumberInput
      name="learningRate"
      label="Learning rate"
      step={0.0005}
      onValue={(v) => setKnob("learningRate", v)}
    />
  );
  const steps = <NumberInput name="steps" label="Steps" step={10} />;
  return (
    <div className="form">
      {present ? (
        <>
          {teacher}
          {schedule}
          {loss}
          <Fold summary="More settings">
            {corpus}
            {size}
            {slider}
            {temperature}
            {mode}
            {rate}
            {steps}
          </Fold>
        </>
      ) : (
        <>
          {corpus}
          {size}
          {teacher}
          {schedule}
          {slider}
          {loss}
          {temperature}
          {mode}
          {rate}
          {steps}
        </>
      )}
    </div>
  );
}

export function TrainPanel() {
  const corpus = useAppStore((s) => s.settings.corpus);
  const distil = useAppStore((s) => s.settings.distil);
  const alphaMode = useAppStore((s) => s.settings.alphaMode);
  const runs = useAppStore((s) => s.runs);
  const recorded = useRecorded();
  const raceSetting = useAppStore((s) => s.settings.race);
  // The recorded race of the lanes set up now (a lesson's), else the lessons' first.
  const race = recorded ? (recordedRace(recorded, raceSetting) ?? recorded.races[0]) : undefined;
  return (
    <section aria-labelledby="train-title" className="panel">
      <h2 id="train-title">Train a student</h2>
      <p className="intro">
        Train a small student language model here, in your browser, by next-token cross-entropy (CE)
        and, if you like, by distillation from the teacher: loss = α·CE + β·KD. Every loss is
        plotted live; runs stay on the charts for comparison.
      </p>
      <TrainForm />
      {distil === "on" && alphaMode === "adaptive" && (
        <p className="note">
          Adaptive α (the paper's): α = β = 0.5 while both losses fall; a loss that rose over the
          last {"k = max(20, steps / 100)"} steps loses weight in proportion to its rise.
        </p>
      )}
      {corpus === "custom" && <CustomText />}
      <p className="note">
        While a run trains, the learning rate, a fixed α and the temperature can be changed: the
        change applies from the next step and is marked on the charts.
      </p>
      <Controls />
      <Race />
      <RunList />
      <RecordedToggle
        about={(file) => {
          const race = recordedRace(file, raceSetting) ?? file.races[0];
          return `the race ${race.lanes.map((l) => l.label).join(" against ")}, ${race.steps} steps on the ${LANGUAGE_NAMES[race.corpus]} corpus (seed ${race.seed}), trained with this page's code by npm run models -- recorded (dashed).`;
        }}
      />
      <div className="charts">
        {CHARTS.map((c) => (
          <MetricChart key={c.key} series={c} runs={runs} recorded={race?.lanes ?? []} />
        ))}
      </div>
    </section>
  );
}
