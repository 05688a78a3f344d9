/** Offline use: registers the service worker (public/sw.js) and asks it to keep files. */
import i18next from "i18next";
import { translate } from "./i18n";

let registration: Promise<ServiceWorkerRegistration> | null = null;

/** Whether this page can have offline support (a production build with service workers). */
export const offlineSupported = (): boolean => import.meta.env.PROD && "serviceWorker" in navigator;

/** Registers the service worker once (production builds only: in development it would cache stale modules). */
export function registerServiceWorker(): void {
  if (!offlineSupported() || registration) return;
  registration = navigator.serviceWorker.register("./sw.js");
  registration.catch((e: Error) => console.warn(`offline support is off: ${e.message}`));
  reloadOnceForIsolation();
}

const ISOLATION_RELOAD = "mome-lab:isolation-reload";

/**
 * On a host that sends no COOP/COEP, the service worker adds them, but only to what it serves: the
 * page reloads once, when the worker first controls it, to become cross-origin isolated. Never
 * twice in a tab (a flag in sessionStorage), so a browser that will not isolate gets no loop.
 */
function reloadOnceForIsolation(): void {
  if (globalThis.crossOriginIsolated) return;
  let storage: Storage;
  try {
    storage = sessionStorage;
    if (storage.getItem(ISOLATION_RELOAD)) return;
  } catch {
    return; // no sessionStorage (some private windows): stay single-threaded rather than risk a loop
  }
  const reload = () => {
    storage.setItem(ISOLATION_RELOAD, "1");
    location.reload();
  };
  if (navigator.serviceWorker.controller) reload();
  else navigator.serviceWorker.addEventListener("controllerchange", reload, { once: true });
}

/** Resolves with the number of files kept; rejects with the reason offline use is not possible. */
export async function cacheForOffline(urls: string[]): Promise<number> {
  if (!registration) throw new Error(translate("offline.noServiceWorkers"));
  await registration; // rejects if registration failed, where `ready` would wait forever
  const worker = (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error(translate("offline.inactive"));
  const channel = new MessageChannel();
  const answer = new Promise<number>((resolve, reject) => {
    channel.port1.onmessage = (
      e: MessageEvent<{ ok: boolean; count?: number; message?: string }>,
    ) => (e.data.ok ? resolve(e.data.count ?? 0) : reject(new Error(e.data.message)));
  });
  // The words of the page served offline when saving did not finish, in the UI's language.
  const offlineWords = {
    lang: i18next.language,
    title: translate("offlinePage.title"),
    heading: translate("offlinePage.heading"),
    text: translate("offlinePage.text"),
    retry: translate("offlinePage.retry"),
  };
  worker.postMessage({ type: "precache", urls, offlineWords }, [channel.port2]);
  return answer;
}
