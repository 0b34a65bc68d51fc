// Starts the page's Python worker from <head>, before the theme's scripts: while they keep
// the main thread busy (a few hundred milliseconds), a new worker does not start. A classic
// script, because a module runs only once the page is parsed (an async one only after the
// first paint). Only on a full load of a page with widgets; python.js adopts the worker
// (`mkdocsLectureWorker`). Not on Save-Data or low-memory devices: the reader decides there.
(() => {
  // runtime.js's rule, repeated: a classic script cannot import it. Keep the two alike.
  const sparing = Boolean(navigator.connection?.saveData) || (navigator.deviceMemory ?? 8) <= 2;
  if (sparing) return;
  const url = new URL("worker.js", document.currentScript.src);
  const early = { worker: new Worker(url, { type: "module", name: "lecture-python" }), error: null };
  early.worker.addEventListener("error", (event) => {
    early.error ??= event.message || "the Python worker could not start";
  });
  globalThis.mkdocsLectureWorker = early;
})();
