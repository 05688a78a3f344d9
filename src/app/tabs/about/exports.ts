/** About's slice: a shipped model downloaded as a Hugging Face folder (zipped by the model worker). */
import type { StateCreator } from "zustand";
import { download } from "../../download";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import type { ModelWorker } from "../../worker-client";

export interface ModelExportSlice {
  /** The shipped model being zipped now, and why the last one failed. */
  modelExport: { busy: string | null; error: string | null };
  /** Zips the shipped model `name` as a Hugging Face folder and hands it to the browser. */
  downloadShippedForHuggingFace(name: string): Promise<void>;
}

export const createModelExportSlice =
  (
    models: ModelWorker,
    modelsUrl: string,
  ): StateCreator<ModelExportSlice, [], [], ModelExportSlice> =>
  (set, get) => ({
    modelExport: { busy: null, error: null },

    async downloadShippedForHuggingFace(name) {
      if (get().modelExport.busy) return;
      set({ modelExport: { busy: name, error: null } });
      try {
        const zip = await models.call((w) => w.huggingFaceZip({ shipped: name, modelsUrl }));
        download(
          new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
          `${name}.zip`,
        );
        set({ modelExport: { busy: null, error: null } });
      } catch (e) {
        set({
          modelExport: {
            busy: null,
            error: translate("export.failed", { model: name, why: whyOf(e) }),
          },
        });
      }
    },
  });
