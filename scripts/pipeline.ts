/**
 * The model pipeline behind `npm run models -- <stage>`: trains the shipped models from the corpora (`npm run corpora` first)
 * and registers them in public/models/manifest.json. Stages, in order:
 *   tokenizer  byte-level BPE on all four languages; prints compression at several sizes
 *   encode     token streams of every corpus (cached under data/build/tokens)
 *   teacher-phase1  the first teacher, from scratch (→ data/init/teacher-phase1)
 *   teacher    the multilingual teacher's phase 2, from phase 1 (committed checkpoints, resumes)
 *   router     TF-IDF + logistic regression on token ids; accuracy by text length
 *   router-seeds  the default router at three training orders against every goal (→ docs/results)
 *   expert L   a student distilled from the teacher on language L (en|fr|de|py|common = all four)
 *   baseline L the same student trained with CE only (α = 1, no teacher), for comparison
 *   gates      prints every quality gate of the shipped models (a gate not met is reported)
 *   recorded   the lessons' race and forgetting runs at lesson size (→ public/recorded/lessons.json)
 * Each stage can be re-run; long ones checkpoint and resume. One file per stage, in scripts/stages/.
 */
import { baselineStage } from "./stages/baseline";
import { encodeStage } from "./stages/encode";
import { expertStage } from "./stages/expert";
import { gatesStage } from "./stages/gates";
import { recordedStage } from "./stages/recorded";
import { routerStage } from "./stages/router";
import { routerSeedsStage } from "./stages/router-seeds";
import { samplesStage } from "./stages/samples";
import { teacherStage } from "./stages/teacher";
import { teacherCurveStage } from "./stages/teacher-curve";
import { teacherPhase1Stage } from "./stages/teacher-phase1";
import { tokenizerStage } from "./stages/tokenizer";

export const STAGES: Record<string, (args: string[]) => Promise<void>> = {
  recorded: recordedStage,
  gates: gatesStage,
  samples: samplesStage,
  expert: expertStage,
  baseline: baselineStage,
  router: routerStage,
  "router-seeds": routerSeedsStage,
  tokenizer: tokenizerStage,
  encode: encodeStage,
  "teacher-phase1": teacherPhase1Stage,
  "teacher-curve": teacherCurveStage,
  teacher: teacherStage,
};
