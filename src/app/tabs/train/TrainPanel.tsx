import { useEffect } from "react";
import type { AlphaKind, KdLoss, LossMode } from "../../../ml/kd-options";
import { STUDENT_PRESETS } from "../../../ml/presets";
import { useAppStore } from "../../app-store";
import { CustomText } from "../../CustomText";
import { Fold } from "../../Fold";
import { NumberInput, Select } from "../../fields";
import { useNumbers, useT, wordsOf } from "../../i18n";
import type { TextKey } from "../../i18n/catalogues";
import { LANGUAGES, useClassName } from "../../languages";
import { RecordedToggle, useRecorded } from "../../RecordedRuns";
import { decodeLanes, laneLabels } from "../../race";
import { recordedRace } from "../../recorded";
import { CHARTS, MetricChart } from "./MetricChart";
import { Controls, Race, RunList } from "./RunControls";

/** How the α schedules, KD losses and loss modes are named (one missing fails to compile). */
const ALPHA_LABELS: Record<AlphaKind, TextKey> = {
  fixed: "alpha.fixed",
  adaptive: "alpha.adaptive",
  linear: "alpha.linear",
  cosine: "alpha.cosine",
  step: "alpha.step",
};
const KD_LOSS_LABELS: Record<KdLoss, TextKey> = {
  forward: "kd.forward",
  "paper-inverse": "kd.paperInverse",
  reverse: "kd.reverse",
};
const LOSS_MODE_LABELS: Record<LossMode, TextKey> = {
  combined: "mode.combined",
  alternating: "mode.alternating",
};

/** A teacher of one's own: a GPT-2 folder with our vocabulary (or a model saved here), zipped. */
function TeacherFile() {
  const t = useT();
  const { number } = useNumbers();
  const own = useAppStore((s) => s.ownTeacher);
  const error = useAppStore((s) => s.teacherError);
  const load = useAppStore((s) => s.loadTeacherFile);
  const restoreShipped = useAppStore((s) => s.restoreShippedTeacher);
  const busy = useAppStore((s) =>
    s.runs.some((r) => ["preparing", "running", "paused"].includes(r.state)),
  );
  // Distilling is on: the teacher loads now, while the class reads, not after Start.
  const backend = useAppStore((s) => s.trainingBackend());
  const warmUp = useAppStore((s) => s.warmUpTeacher);
  useEffect(() => {
    if (backend) warmUp(backend);
  }, [backend, warmUp]);
  return (
    <span className="number-field">
      <label>
        {t("teacher.load")}
        <input
          type="file"
          accept=".zip,application/zip"
          disabled={busy}
          onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])}
        />
      </label>
      {own && (
        <span className="note">
          {t("teacher.own", { name: own.name, millions: number(own.parameters / 1e6, 2) })}{" "}
          <button
            type="button"
            className="small"
            disabled={busy}
            onClick={() => void restoreShipped()}
          >
            {t("teacher.shipped")}
          </button>
        </span>
      )}
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </span>
  );
}

function AlphaSlider() {
  const t = useT();
  const alpha = useAppStore((s) => s.settings.alpha);
  const setKnob = useAppStore((s) => s.setKnob);
  return (
    <label>
      {t("train.alphaSlider", { alpha: alpha.toFixed(2) })}
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
  const t = useT();
  const className = useClassName();
  const distil = useAppStore((s) => s.settings.distil);
  const alphaMode = useAppStore((s) => s.settings.alphaMode);
  const present = useAppStore((s) => s.settings.present === "1");
  const setKnob = useAppStore((s) => s.setKnob);
  const kd = distil === "on";
  const corpus = (
    <Select
      name="corpus"
      label={t("train.corpus")}
      labels={{
        ...Object.fromEntries(LANGUAGES.map((l) => [l, className(l)])),
        custom: t("train.ownText"),
      }}
    />
  );
  const size = (
    <Select
      name="size"
      label={t("control.size")}
      labels={Object.fromEntries(
        Object.entries(STUDENT_PRESETS).map(([k, p]) => [
          k,
          t("train.sizeOption", { name: k, width: p.dModel, count: p.nLayers }),
        ]),
      )}
    />
  );
  const teacher = (
    <>
      <Select
        name="distil"
        label={t("train.teacher")}
        labels={{ on: t("train.distilOn"), off: t("train.distilOff") }}
      />
      {kd && <TeacherFile />}
    </>
  );
  const schedule = kd && (
    <Select name="alphaMode" label={t("control.alphaMode")} labels={wordsOf(t, ALPHA_LABELS)} />
  );
  const slider = kd && alphaMode !== "adaptive" && <AlphaSlider />;
  const loss = kd && (
    <Select name="kdLoss" label={t("control.kdLoss")} labels={wordsOf(t, KD_LOSS_LABELS)} />
  );
  const temperature = kd && (
    <NumberInput
      name="kdTemperature"
      label={t("control.temperature")}
      step={0.5}
      onValue={(v) => setKnob("kdTemperature", v)}
    />
  );
  const mode = kd && (
    <Select name="lossMode" label={t("train.mode")} labels={wordsOf(t, LOSS_MODE_LABELS)} />
  );
  const rate = (
    <NumberInput
      name="learningRate"
      label={t("control.learningRate")}
      step={0.0005}
      onValue={(v) => setKnob("learningRate", v)}
    />
  );
  const steps = <NumberInput name="steps" label={t("train.steps")} step={10} />;
  return (
    <div className="form">
      {present ? (
        <>
          {teacher}
          {schedule}
          {loss}
          <Fold summary={t("fold.more")}>
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
  const t = useT();
  const className = useClassName();
  const corpus = useAppStore((s) => s.settings.corpus);
  const distil = useAppStore((s) => s.settings.distil);
  const alphaMode = useAppStore((s) => s.settings.alphaMode);
  const runs = useAppStore((s) => s.runs);
  const recorded = useRecorded();
  const raceSetting = useAppStore((s) => s.settings.race);
  // The recorded race of the lanes set up now (a lesson's), else the lessons' first.
  const race = recorded ? (recordedRace(recorded, raceSetting) ?? recorded.races[0]) : undefined;
  // The recorded lanes named the way this page names lanes, in its language.
  const recordedLabels = race ? laneLabels(decodeLanes(race.race).lanes) : [];
  const recordedLanes = (race?.lanes ?? []).map((lane, i) => ({
    ...lane,
    label: recordedLabels[i],
  }));
  return (
    <section aria-labelledby="train-title" className="panel">
      <h2 id="train-title">{t("tab.train")}</h2>
      <p className="intro">{t("train.intro")}</p>
      <TrainForm />
      {distil === "on" && alphaMode === "adaptive" && (
        <p className="note">{t("train.adaptiveNote")}</p>
      )}
      {corpus === "custom" && <CustomText />}
      <p className="note">{t("train.liveKnobs")}</p>
      <Controls />
      <Race />
      <RunList />
      <RecordedToggle
        about={(file) => {
          const race = recordedRace(file, raceSetting) ?? file.races[0];
          return t("train.recordedRace", {
            lanes: laneLabels(decodeLanes(race.race).lanes).join(t("train.against")),
            steps: race.steps,
            corpus: className(race.corpus),
            seed: race.seed,
          });
        }}
      />
      <div className="charts">
        {CHARTS.map((c) => (
          <MetricChart key={c.key} series={c} runs={runs} recorded={recordedLanes} />
        ))}
      </div>
    </section>
  );
}
