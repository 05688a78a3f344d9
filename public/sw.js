// MoME Lab's service worker: keeps what a visit fetched (app, models, corpora) so that a second
// visit works offline. Pages and manifest.json are fetched from the network first (fresh when
// online); everything else (hashed assets, sha256-checked model files, corpora) from the cache
// first. A request made with cache: "reload" always goes to the network and refreshes the cache.
const CACHE = "mome-lab-v1";

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./"])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
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

async function networkFirst(request) {
  try {
    return await fromNetwork(request);
  } catch (error) {
    const cached = await caches.match(request, { ignoreSearch: request.mode === "navigate" });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  return cached ?? fromNetwork(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const fresh =
    request.mode === "navigate" ||
    url.pathname.endsWith("/manifest.json") ||
    request.cache === "reload";
  event.respondWith(fresh ? networkFirst(request) : cacheFirst(request));
});
