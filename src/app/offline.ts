/** Asks the service worker (public/sw.js) to keep every model file and corpus for offline use. */

/** Resolves with the number of files kept; rejects with the service worker's reason. */
export async function cacheForOffline(urls: string[]): Promise<number> {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
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

/** Whether this page can have offline support (a production build with service workers). */
export const offlineSupported = (): boolean => import.meta.env.PROD && "serviceWorker" in navigator;
