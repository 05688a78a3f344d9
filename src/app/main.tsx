import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { type AppStore, StoreContext } from "./app-store";
import { applyUiLanguage } from "./i18n/ui-language";
import { registerServiceWorker } from "./offline";
import { createAppStore } from "./store";
import "./styles.css";
import { applyLanguageColours, applyTheme, savedTheme } from "./theme";
import {
  type BenchWorker,
  startBenchWorker,
  startModelWorker,
  startRouterWorker,
  startTrainWorker,
} from "./worker-client";

registerServiceWorker();
applyTheme(savedTheme());
applyLanguageColours();

// A restarted worker tells the store, which reloads what the worker held.
let store: AppStore | undefined;
// The router worker first: it loads no TensorFlow.js, so the first routing decision comes early.
const router = startRouterWorker((reason) => store?.getState().routerWorkerRestarted(reason));
const models = startModelWorker((reason) => store?.getState().modelWorkerRestarted(reason));
const training = startTrainWorker((reason) => {
  store?.getState().trainWorkerRestarted(reason);
  store?.getState().forgettingWorkerRestarted(reason);
});
let bench: BenchWorker | undefined;
/** The speed-check worker, started on first use (a crash rejects the running check, which says so). */
const benchWorker = () => {
  bench ??= startBenchWorker(() => {});
  return bench;
};
store = createAppStore(
  { router, models, training, bench: benchWorker },
  {
    base: document.baseURI,
    models: new URL("models/", document.baseURI).href,
    corpus: (language) => new URL(`corpora/${language}.txt`, document.baseURI).href,
  },
  location.search,
);
// The first render already speaks the chosen language.
applyUiLanguage(store.getState().settings.lang);
// Handles for the browser console and automated tests: `await momeLab.models.api.logits(...)`.
(globalThis as { momeLab?: unknown }).momeLab = { router, models, training, bench: benchWorker };

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
