// mkdocs-lecture's service worker, switched off (`offline: false`). A reader whose browser
// still has the worker of an earlier build that had it on gets this script at its next
// update check: it deletes that worker's caches and unregisters itself. It handles no
// request, so the pages it still controls until they are left fetch from the network.

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const prefix = `mkdocs-lecture-offline ${self.registration.scope} `;
      for (const name of await caches.keys()) {
        if (name.startsWith(prefix)) await caches.delete(name);
      }
      await self.registration.unregister();
    })(),
  );
});
