// Offline reading (the `offline` option; config.offline: the service worker's script,
// lecture-offline.js at the site's root, relative to this folder). Loaded by the runtime
// only on such sites, once Python has started on the page: then the page registers the
// worker (which keeps the runtime as it installs: plugin/service_worker/offline.js) and
// hands it what the page and its Python worker loaded before it controlled them: the
// page itself, the theme's files, the start-up snapshot. Once it controls the pages, it
// keeps what they load as they load it.

import config from "./config.js";

let registered = null;

/** Have the site's service worker keep this page and what it loaded, and `urls`. */
export function keep(urls = []) {
  if (!config.offline || !("serviceWorker" in navigator)) return; // (plain http: only on localhost)
  registered ??= navigator.serviceWorker
    .register(new URL(config.offline, import.meta.url))
    .then(() => navigator.serviceWorker.ready)
    .catch((error) => {
      console.warn(`This page cannot be kept for reading offline: ${error.message}`);
      return null;
    });
  const page = new URL(location.href);
  page.hash = "";
  const loaded = [page.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
  const list = [...loaded, ...urls].filter((url) => sameOrigin(url, page));
  registered.then((registration) => registration?.active?.postMessage({ type: "keep", urls: list }));
}

function sameOrigin(url, page) {
  try {
    return new URL(url, page).origin === page.origin;
  } catch {
    return false;
  }
}
