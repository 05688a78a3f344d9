/** What the Train tab does with a trained student: send it to Teacher vs student, download it, load one. */
import { download } from "../../download";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import type { Settings } from "../../settings";
import { readStudentZipFile, studentZip } from "../../student-zip";
import type { ModelWorker } from "../../worker-client";
import { TRAINED_STUDENT } from "./runs";

/** The Hugging Face folder's name (and its zip's) for a student trained here. */
const HF_STUDENT = "mome-lab-student";

export interface StudentActions {
  /** Downloads the chosen run's student (`chosenStudentRun`). */
  downloadStudent(): Promise<void>;
  /** Downloads it as a Hugging Face folder (safetensors, ONNX, tokenizer, model card), zipped. */
  downloadStudentForHuggingFace(): Promise<void>;
  /** Loads that student into the model worker and opens Teacher vs student with it. */
  sendStudentToCompare(): Promise<void>;
  /** Loads a student downloaded earlier (its zip) into the model worker, as Use in Teacher vs student does. */
  loadStudentFile(file: File): Promise<void>;
  /** Set once a student has been sent or loaded: its parameter count and where it came from. */
  sentStudent: { parameters: number; source: string } | null;
  studentFileError: string | null;
  exportError: string | null;
}

type StudentState = Pick<StudentActions, "sentStudent" | "studentFileError" | "exportError">;

/** The student actions, for the training slice (`chosenStudent`: the chosen run's files). */
export function studentActions(
  models: ModelWorker,
  set: (partial: Partial<StudentState>) => void,
  get: () => { setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void },
  chosenStudent: () => Promise<{ name: string; bytes: Uint8Array }[]>,
): Pick<
  StudentActions,
  "downloadStudent" | "downloadStudentForHuggingFace" | "sendStudentToCompare" | "loadStudentFile"
> {
  return {
    async sendStudentToCompare() {
      set({ exportError: null });
      try {
        const files = await chosenStudent();
        const { parameters } = await models.call((w) =>
          w.loadModelFromFiles(TRAINED_STUDENT, files),
        );
        set({ sentStudent: { parameters, source: translate("student.trainedHere") } });
        get().setSetting("expert", "mine");
        get().setSetting("panel", "compare");
      } catch (e) {
        set({ exportError: translate("student.sendFailed", { why: whyOf(e) }) });
      }
    },

    async loadStudentFile(file) {
      set({ studentFileError: null });
      try {
        const { files, checked } = await readStudentZipFile(file);
        const { parameters } = await models.call((w) =>
          w.loadModelFromFiles(TRAINED_STUDENT, files),
        );
        set({
          sentStudent: {
            parameters,
            source: checked ? file.name : translate("student.unchecked", { name: file.name }),
          },
        });
        get().setSetting("expert", "mine");
      } catch (e) {
        set({
          studentFileError: translate("student.loadFailed", {
            name: file.name,
            why: whyOf(e),
          }),
        });
      }
    },

    async downloadStudentForHuggingFace() {
      set({ exportError: null });
      try {
        const files = await chosenStudent();
        const zip = await models.call((w) => w.huggingFaceZip({ files, name: HF_STUDENT }));
        download(
          new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
          `${HF_STUDENT}.zip`,
        );
      } catch (e) {
        set({ exportError: translate("student.downloadFailed", { why: whyOf(e) }) });
      }
    },

    async downloadStudent() {
      set({ exportError: null });
      try {
        const files = await chosenStudent();
        const zip = await studentZip(files);
        download(
          new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
          "mome-lab-student.zip",
        );
      } catch (e) {
        set({ exportError: translate("student.downloadFailed", { why: whyOf(e) }) });
      }
    },
  };
}
