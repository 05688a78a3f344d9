/** Offline use: registers the service worker (public/sw.js) and asks it to keep files. */

let registration: Promise<ServiceWorkerRegistration> | null = null;

/** Whether this page can have offline support (a production build with service workers). */
export const offlineSupported = (): boolean => import.meta.env.PROD && "serviceWorker" in navigator;

/** Registers the service worker once (production builds only: in development it would cache stale modules). */
export function registerServiceWorker(): void {
  if (!offlineSupported() || registration) return;
  registration = navigator.serviceWorker.register("./sw.js");
  registration.catch((e: Error) => console.warn(`offline support is off: ${e.message}`));
}

/** Resolves with the number of files kept; rejects with the reason offline use is not possible. */
export async function cacheForOffline(urls: string[]): Promise<number> {
  if (!registration) throw new Error("this browser has no service workers");
  await registration; // rejects if registration failed, where `ready` would wait forever
  const worker = (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error("the service worker is not active");
  const channel = new MessageChannel();
  const answer = new Promise<number>((resolve, reject) => {
    channel.port1.onmessage = (
      e: MessageEvent<{ ok: boolean; count?: number; message?: string }>,
    ) => (e.data.ok ? resolve(e.data.count ?? 0) : reject(new Error(e.data.message)));
  });
  worker.postMessage({ type: "precache", urls }, [channel.port2]);
  return answer;
}
