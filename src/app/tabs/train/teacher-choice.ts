/** Which teacher Train a student distils from: the shipped one, or one the user loads (a zip). */

import type { BackendName } from "../../../ml/backend-names";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import { readStudentZipFile } from "../../student-zip";
import type { TrainWorker } from "../../worker-client";

export interface TeacherChoice {
  /** A teacher of the user's (a GPT-2 folder or a model saved here), or null for the shipped one. */
  ownTeacher: { name: string; parameters: number } | null;
  teacherError: string | null;
  /** Distils from the model in this zip from now on (checked: architecture, vocabulary, tensors). */
  loadTeacherFile(file: File): Promise<void>;
  /** Distils from the shipped teacher again. */
  restoreShippedTeacher(): Promise<void>;
  /**
   * Loads the teacher into the training worker (on `backend`) before any run asks for it, so that
   * Start trains at once; a failure here shows when a run starts.
   */
  warmUpTeacher(backend: BackendName): void;
}

type State = Pick<TeacherChoice, "ownTeacher" | "teacherError">;

/** The backend the teacher was last warmed up on (once is enough: the worker keeps it). */
let warmedOn: BackendName | null = null;

/** The teacher actions, for the training slice. */
export function teacherChoice(
  trainWorker: TrainWorker,
  modelsUrl: string,
  set: (partial: Partial<State>) => void,
): Omit<TeacherChoice, keyof State> {
  return {
    async loadTeacherFile(file) {
      set({ teacherError: null });
      try {
        const { files } = await readStudentZipFile(file);
        const loaded = await trainWorker.call((w) => w.useTeacher(modelsUrl, files));
        set({ ownTeacher: loaded && { name: file.name, parameters: loaded.parameters } });
      } catch (e) {
        set({
          teacherError: translate("teacher.loadFailed", {
            name: file.name,
            why: whyOf(e),
          }),
        });
      }
    },

    warmUpTeacher(backend) {
      if (warmedOn === backend) return;
      warmedOn = backend;
      void trainWorker.call((w) => w.prepare(modelsUrl, true, backend)).catch(() => undefined);
    },

    async restoreShippedTeacher() {
      set({ teacherError: null });
      await trainWorker.call((w) => w.useTeacher(modelsUrl, null));
      set({ ownTeacher: null });
    },
  };
}
