// MoME Lab's service worker: keeps what a visit fetched (app, models, corpora) so that a second
// visit works offline. Pages, manifest.json and app-files.json come from the network first (fresh
// when online); everything else (hashed assets, sha256-checked model files, corpora) from the
// cache first. A request made with cache: "reload" always goes to the network and refreshes the
// cache. The page asks it (a "precache" message) to fetch every app file, model file and corpus in
// the background, so that a second visit works offline even for what the first visit did not use.
// Offline, a cached page whose scripts or styles were not all saved is replaced by a page that
// says so (a half-filled cache never serves a blank page).
const CACHE = "mome-lab-v2";

/**
 * Every response this worker serves carries COOP/COEP, so the page is cross-origin isolated (and
 * tfjs-wasm multi-threaded) even on hosts that cannot send headers, such as GitHub Pages.
 */
function isolated(response) {
  if (response.status === 0 || response.type === "opaqueredirect") return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./"])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k !== CACHE && k !== WORDS_CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function fromNetwork(request) {
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

/**
 * Whether every script and style sheet a cached page names is cached too. Without them the page
 * would be blank; files it loads later (workers, models) fail with the app's own messages.
 */
async function pageComplete(page, pageUrl) {
  const html = await page.clone().text();
  const cache = await caches.open(CACHE);
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    if (tag.startsWith("<link") && !/rel="(stylesheet|modulepreload)"/.test(tag)) continue;
    const file = tag.match(/(?:src|href)="([^"]+)"/)?.[1];
    if (file && !(await cache.match(new URL(file, pageUrl).href, { ignoreVary: true })))
      return false;
  }
  return true;
}

/**
 * The words of the page said offline when the app was not completely saved (a half-filled cache
 * never serves a blank page). The app sends them in its language with each "precache" message
 * (src/app/offline.ts, from the catalogues); these are for a visit that never sent any.
 */
const NOT_SAVED_WORDS = {
  lang: "en",
  title: "MoME Lab: offline",
  heading: "MoME Lab is offline",
  text: 'This browser had not finished saving the app for offline use when the connection was lost, so it can\'t start without the network. Reconnect, then try again: once the app says "Available offline", it works without a connection.',
  retry: "Try again",
};
/** Where the app's words for that page are kept (a cache of their own: precache prunes its cache). */
const WORDS_CACHE = "mome-lab-offline-words";
const WORDS_KEY = "/offline-words.json";

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function notSavedPage() {
  let words = NOT_SAVED_WORDS;
  try {
    const kept = await (await caches.open(WORDS_CACHE)).match(WORDS_KEY);
    if (kept) words = { ...NOT_SAVED_WORDS, ...(await kept.json()) };
  } catch {
    // damaged or missing: the built-in English words
  }
  const w = Object.fromEntries(Object.entries(words).map(([k, v]) => [k, escapeHtml(v)]));
  return `<!doctype html><html lang="${w.lang}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${w.title}</title>
<main style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>${w.heading}</h1>
<p>${w.text}</p>
<button type="button" onclick="location.reload()">${w.retry}</button></main></html>`;
}

async function networkFirst(request) {
  try {
    return await fromNetwork(request);
  } catch (error) {
    const cached = await caches.match(request, {
      ignoreSearch: request.mode === "navigate",
      ignoreVary: true,
    });
    if (cached && request.mode === "navigate" && !(await pageComplete(cached, request.url)))
      return new Response(await notSavedPage(), {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  // ignoreVary: a precached copy was fetched without the Origin header a module script sends.
  const cached = await caches.match(request, { ignoreVary: true });
  return cached ?? fromNetwork(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const fresh =
    request.mode === "navigate" ||
    url.pathname.endsWith("/manifest.json") ||
    url.pathname.endsWith("/app-files.json") ||
    request.cache === "reload";
  event.respondWith((fresh ? networkFirst(request) : cacheFirst(request)).then(isolated));
});

/**
 * Fetches and keeps each URL not yet cached, then drops everything else (files of an older build,
 * pages cached under other queries); answers on the message's port with the count.
 */
async function precache(urls) {
  const cache = await caches.open(CACHE);
  for (const url of urls) {
    if (await cache.match(url, { ignoreVary: true })) continue;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    await cache.put(url, response);
  }
  const wanted = new Set(urls);
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
  return urls.length;
}

self.addEventListener("message", (event) => {
  if (event.data?.type !== "precache" || !Array.isArray(event.data.urls)) return;
  const port = event.ports[0];
  const words = event.data.offlineWords;
  if (words && typeof words === "object")
    event.waitUntil(
      caches
        .open(WORDS_CACHE)
        .then((cache) => cache.put(WORDS_KEY, new Response(JSON.stringify(words)))),
    );
  const sameOrigin = event.data.urls.filter(
    (u) => typeof u === "string" && new URL(u).origin === self.location.origin,
  );
  event.waitUntil(
    precache(sameOrigin).then(
      (count) => port?.postMessage({ ok: true, count }),
      (error) => port?.postMessage({ ok: false, message: String(error?.message ?? error) }),
    ),
  );
});
