// The site's service worker for offline reading (mkdocs-lecture's `offline` option).
// The build writes it at the site's root as lecture-offline.js (plugin/offline.py), with
// BUILD, a digest of assets/lecture/, and RUNTIME_FILES, what it keeps of assets/lecture/.
//
// A page registers it once Python has started on that page (assets/lecture/offline.js).
// Installing, it keeps the runtime: every file of assets/lecture/ but the start-up
// snapshot (kept if the page's Python used it). Then the page posts what it loaded before
// the worker controlled it, {type: "keep", urls}, which it keeps too. These come from the
// HTTP cache: no second download while it holds them.
//
// It answers GET requests of the site's own files (not other sites', not Range requests):
//   assets/lecture/ (fixed for a BUILD)  from the cache, else from the network, kept;
//   everything else (pages, the theme's files, images)  from the network, kept, and from
//       the cache when the network fails: online, a reader never gets an old page.
// Only complete, unredirected responses of this origin are kept.
//
// A build whose runtime changed has another BUILD, so another script: the browser
// installs it beside this one (which serves the open pages meanwhile), and it takes over
// at once (skipWaiting) with its own cache. The pages and other files kept here move to
// it; this build's runtime is deleted.

const BUILD = "development";
const RUNTIME_FILES = [];
const PREFIX = `mkdocs-lecture-offline ${self.registration.scope} `; // one site of an origin
const CACHE = PREFIX + BUILD;
const RUNTIME = new URL("assets/lecture/", self.location.href).href;
const VALIDATORS = ["etag", "last-modified"];

self.addEventListener("install", (event) => {
  event.waitUntil(keep(RUNTIME_FILES).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await moveFrom(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (!handled(request)) return; // the browser fetches it as if there were no worker
  event.respondWith(request.url.startsWith(RUNTIME) ? cacheFirst(event) : networkFirst(event));
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "keep" && Array.isArray(event.data.urls)) event.waitUntil(keep(event.data.urls));
});

function handled(request) {
  if (request.method !== "GET" || request.headers.has("range")) return false;
  const url = new URL(request.url);
  return (
    url.origin === self.location.origin &&
    request.url.startsWith(self.registration.scope) &&
    url.pathname !== self.location.pathname &&
    !url.pathname.startsWith("/livereload/") // mkdocs serve's long polls
  );
}

function storable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

async function cacheFirst(event) {
  const hit = await cached(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (storable(response)) event.waitUntil(put(event.request, response.clone()));
  return response;
}

async function networkFirst(event) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const hit = await cached(event.request);
    if (hit) return hit;
    throw error;
  }
  if (storable(response)) event.waitUntil(update(event.request, response.clone()));
  return response;
}

/** Keep `response` unless the cache already holds the same version (by its validators). */
async function update(request, response) {
  const hit = await cached(request);
  const same =
    hit &&
    VALIDATORS.some((name) => response.headers.get(name)) &&
    VALIDATORS.every((name) => hit.headers.get(name) === response.headers.get(name));
  if (same) await response.body?.cancel();
  else await put(request, response);
}

/** Keep the site's files among `urls` (relative to the site's root, or absolute) that the
 * cache does not hold yet; a file that cannot be fetched now is left out (the fetch
 * handler keeps it when a page next uses it). */
async function keep(urls) {
  const wanted = new Set();
  for (const text of urls) {
    try {
      const url = new URL(text, self.registration.scope);
      url.hash = "";
      if (handled(new Request(url))) wanted.add(url.href);
    } catch {
      // not a URL: nothing to keep
    }
  }
  await Promise.all(
    [...wanted].map(async (url) => {
      if (await cached(url)) return;
      try {
        const response = await fetch(url);
        if (storable(response)) await put(url, response);
        else await response.body?.cancel();
      } catch {
        // offline, or gone: left out
      }
    }),
  );
}

/** What an earlier build's cache kept, but its runtime, into this one's; then delete it. */
async function moveFrom(name) {
  try {
    const [old, cache] = await Promise.all([caches.open(name), caches.open(CACHE)]);
    const moved = (await old.keys()).filter((request) => !request.url.startsWith(RUNTIME));
    await Promise.all(
      moved.map(async (request) => {
        const response = (await cache.match(request)) ? null : await old.match(request);
        if (response) await cache.put(request, response);
      }),
    );
  } catch {
    // storage full: what was not moved is fetched again
  }
  await caches.delete(name);
}

// Storage may be off or full: then nothing is kept, and requests go to the network.
async function cached(request) {
  try {
    return await (await caches.open(CACHE)).match(request);
  } catch {
    return undefined;
  }
}

async function put(request, response) {
  try {
    await (await caches.open(CACHE)).put(request, response);
  } catch {
    // not kept
  }
}
