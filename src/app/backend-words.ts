/** The backends' refusals and the speed check's steps, worded in the UI's language. */
import { BACKEND_TITLES, type BackendAttempt, type RefusalKind } from "../ml/backend-names";
import type { CheckStep } from "../workers/bench-types";
import { useT } from "./i18n";
import type { TextKey } from "./i18n/catalogues";

/** Each refusal's sentence; {{backend}} is the backend's name. */
const REFUSALS: Record<RefusalKind, TextKey> = {
  unsupported: "backend.why.unsupported",
  "no-adapter": "backend.why.noAdapter",
  "load-failed": "backend.why.loadFailed",
  software: "backend.why.software",
  failed: "backend.why.failed",
};

/** Why a backend did not start (the ml layer's English sentence where it gave no code). */
export function useRefusal(): (attempt: BackendAttempt) => string {
  const t = useT();
  return (a) =>
    a.why ? t(REFUSALS[a.why], { backend: BACKEND_TITLES[a.name] }) : (a.reason ?? "");
}

const PHASES: Record<CheckStep["phase"], TextKey> = {
  starting: "check.phase.starting",
  matmul: "check.phase.matmul",
  generation: "check.phase.generation",
  training: "check.phase.training",
};

/** "WASM: training": what the speed check is doing. */
export function useCheckStep(): (step: CheckStep) => string {
  const t = useT();
  return (step) => t(PHASES[step.phase], { backend: step.backend.toUpperCase() });
}
