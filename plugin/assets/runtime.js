// Mounts the widgets of the page and boots Python.
//
// Every `[data-lecture-widget]` root is mounted with its view module
// (widgets/<name>/view.js: `mount(root, context) → unmount`), on load and after each
// Material instant-navigation swap (`document$`). Python boots as soon as a page with
// widgets has loaded (not while the page's own scripts and layout need the processor);
// after an instant navigation, when a widget comes into view or the browser is idle; and
// at once when the reader first interacts with a widget. On Save-Data or low-memory
// devices, only when the reader asks ("Load Python (≈ N MB)"). With the `offline` option,
// once Python has started, the site's service worker keeps the page (offline.js).

import config from "./config.js";
import { downloadSize, snapshot, sparing } from "./download.js";
import { python, snapshotWorth } from "./python.js";
import { widgetStore } from "./store.js";

const mounted = new Map(); // root → unmount
const smokes = new Map(); // root → its view's smoke test (for `mkdocs-lecture check`)
const mounting = new Set(); // mounts in progress
const visible = new IntersectionObserver((entries) => {
  if (entries.some((entry) => entry.isIntersecting)) bootSoon();
});

function startPython() {
  if (python.state === "idle") python.boot().catch(() => {});
}

/** Whether a widget calls Python: a page of widgets that do not (questions, progress)
 * never starts it. */
const usesPython = (root) => config.pythonWidgets.includes(root.dataset.lectureWidget);
const pageUsesPython = () => [...document.querySelectorAll("[data-lecture-widget]")].some(usesPython);

/** Boot unless sparing data (then only the reader's own action starts Python), the page
 * is still loading (then its load event starts it), or nothing on it uses Python. */
function bootSoon() {
  if (!sparing && document.readyState === "complete" && pageUsesPython()) startPython();
}

/** With the `offline` option (config.offline), the site's service worker keeps what the
 * page loaded and `urls` (offline.js, loaded only then). */
function keepOffline(urls) {
  if (!config.offline) return;
  import("./offline.js").then(
    ({ keep }) => keep(urls),
    (error) => console.warn(`This page cannot be kept for reading offline: ${error.message}`),
  );
}

// Once Python has started on the page: what its worker fetched, too (it reports them).
python.on("state", (state) => {
  if (state === "ready") python.booted?.then((info) => keepOffline(info?.fetched ?? []));
});

/** Resolves once Python has been started, by whatever means. */
function started() {
  if (python.state !== "idle") return Promise.resolve();
  return new Promise((resolve) => {
    const off = python.on("state", (state) => state !== "idle" && (off(), resolve()));
  });
}

function nearViewport(root) {
  const { top, bottom } = root.getBoundingClientRect();
  return bottom > -innerHeight && top < 2 * innerHeight;
}

function scan() {
  for (const [root, unmount] of mounted) {
    if (!root.isConnected) {
      mounted.delete(root);
      visible.unobserve(root);
      unmount();
    }
  }
  const roots = [...document.querySelectorAll("[data-lecture-widget]")].filter((root) => !mounted.has(root));
  for (const root of roots) {
    mounted.set(root, () => {}); // claimed; replaced by the real unmount once the view loads
    if (usesPython(root)) visible.observe(root); // Python starts booting as soon as it is in view
    const mount = mountRoot(root).then(
      (unmount) => (mounted.has(root) ? mounted.set(root, unmount) : unmount()),
      (error) => showError(root, `This widget could not start: ${error.message}`),
    );
    mounting.add(mount);
    mount.finally(() => mounting.delete(mount));
  }
  // After an instant navigation, no need to wait for the observer's first call (nor to
  // force a layout while the page loads or once Python has started).
  if (
    !sparing &&
    python.state === "idle" &&
    document.readyState === "complete" &&
    roots.filter(usesPython).some(nearViewport)
  )
    startPython();
  if (roots.length) {
    const idle = globalThis.requestIdleCallback ?? ((callback) => setTimeout(callback, 2000));
    idle(bootSoon, { timeout: 5000 });
  }
}

async function mountRoot(root) {
  const name = root.dataset.lectureWidget;
  const view = await import(new URL(`./widgets/${name}/view.js`, import.meta.url).href);
  const options = JSON.parse(root.dataset.lectureOptions || "{}");
  const status = statusRegion(root);
  const store = widgetStore(root.id, { onProblem: (message) => status.notice(message) });
  const near = whenNear(root);
  const constants = config.widgets[name] ?? {};
  const context = {
    options,
    constants,
    python: widgetPython(root, status),
    store,
    status,
    whenVisible: near.whenVisible,
  };
  const unmountView = view.mount(root, context);
  smokes.set(root, () => view.smoke?.(root, context));
  const offState = python.on("state", () => reflectState(root, status));
  const offProgress = python.on("progress", () => reflectState(root, status));
  const offRestart = python.on(
    "restart",
    ({ reason }) => reason.name === "WorkerError" && status.notice(reason.message),
  );
  // Touching a widget starts Python (when sparing data too: the reader chose to use it).
  const boot = (event) => (!usesPython(root) || (sparing && event.type === "focusin") ? null : startPython());
  root.addEventListener("pointerdown", boot);
  root.addEventListener("keydown", boot);
  root.addEventListener("focusin", boot);
  reflectState(root, status);
  return () => {
    smokes.delete(root);
    offState();
    offProgress();
    offRestart();
    root.removeEventListener("pointerdown", boot);
    root.removeEventListener("keydown", boot);
    root.removeEventListener("focusin", boot);
    unmountView?.();
    near.cancel();
    status.element.remove();
    root.dataset.state = "static";
  };
}

/** `whenVisible(fn)` calls `fn` once the root is (or has been) within 200 px of the
 * viewport: a view's first work waits for it (a page of widgets does not compute them all
 * at load). */
function whenNear(root) {
  let near = false;
  const waiting = [];
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      near = true;
      for (const fn of waiting.splice(0)) fn();
    },
    { rootMargin: "200px" },
  );
  observer.observe(root);
  return {
    whenVisible: (fn) => (near ? fn() : waiting.push(fn)),
    cancel: () => observer.disconnect(),
  };
}

/** The widget's view of Python: marks the root busy during calls and fetches its data first. */
function widgetPython(root, status) {
  let calls = 0;
  let filesReady = null;
  let filesGeneration = 0;
  const dataFiles = () => {
    // Paths under lecture_widgets/: a widget's own files or those of the widget it shares.
    const paths = (root.dataset.lectureFiles || "").split(" ").filter(Boolean);
    if (!paths.length) return Promise.resolve();
    if (filesGeneration !== python.generation) filesReady = null; // a new worker has none yet
    filesGeneration = python.generation;
    filesReady ??= python
      .files(paths.map((path) => ({ url: new URL(`./widgets/${path}`, import.meta.url).href, path })))
      .catch((error) => {
        filesReady = null;
        throw error;
      });
    return filesReady;
  };
  // The packages its code imports (the build found them): loaded before its first call,
  // once per worker; the status line counts their bytes (after Python's own).
  let packagesLoaded = 0; // the generation of the worker that has them
  const packages = async () => {
    const names = (root.dataset.lecturePackages || "").split(" ").filter(Boolean);
    if (!names.length || packagesLoaded === python.generation) return;
    await python.boot();
    const off = python.on("progress", (progress) => status.progress(progress, names.join(", ")));
    try {
      await python.packages(names);
      packagesLoaded = python.generation;
    } finally {
      off();
      status.clear();
    }
  };
  const settled = () => {
    calls -= 1;
    if (!calls) {
      root.dataset.state = STATES[python.state]; // no longer busy
      reflectState(root, status);
    }
  };
  return {
    get state() {
      return python.state;
    },
    get generation() {
      return python.generation;
    },
    on: (event, listener) => python.on(event, listener),
    ready: () => python.boot(),
    stop: () => python.stop(),
    async call(name, payload, options) {
      calls += 1;
      try {
        await started(); // a view's own call at mount waits (for the page's load or the reader)
        root.dataset.state = "busy";
        await Promise.all([dataFiles(), packages()]);
        return await python.call(name, payload, options);
      } catch (error) {
        if (error.name === "WorkerError") status.notice(error.message);
        throw error;
      } finally {
        settled();
      }
    },
    /** The root stays busy until `work` settles: a view's run of many calls (training). */
    async during(work) {
      calls += 1;
      root.dataset.state = "busy";
      try {
        return await work;
      } finally {
        settled();
      }
    },
  };
}

const STATES = { idle: "static", booting: "loading", ready: "ready", error: "error" };

function reflectState(root, status) {
  if (!usesPython(root)) {
    root.dataset.state = "ready"; // (mounted: it needs nothing else)
    return;
  }
  if (root.dataset.state === "busy" && python.state === "ready") return;
  root.dataset.state = STATES[python.state];
  if (python.state === "booting") status.progress(python.progress);
  else if (python.state === "error") status.failed(python.error?.message ?? "Python could not start.");
  else if (python.state === "idle" && sparing) status.offerLoad(downloadSize({ snapshot }));
  else status.clear();
}

function formatMB(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The runtime's status line in each widget: boot progress, errors with Retry, and
 * notices (e.g. saved state set aside), which stay until the reader has seen them. */
function statusRegion(root) {
  const element = document.createElement("div");
  element.className = "lecture-status";
  element.dataset.role = "status";
  element.setAttribute("role", "status");
  const notice = document.createElement("p");
  notice.className = "lecture-status__notice";
  const bar = document.createElement("progress");
  const text = document.createElement("span");
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "lecture-button";
  retry.dataset.action = "retry";
  retry.textContent = "Retry";
  retry.addEventListener("click", () => python.boot().catch(() => {}));
  const load = document.createElement("button");
  load.type = "button";
  load.className = "lecture-button";
  load.dataset.action = "load";
  load.addEventListener("click", startPython);
  element.append(notice, bar, text, retry, load);
  root.append(element);
  let mode = "";
  // Only what changed is written: progress comes several times a second, to every widget.
  const show = (next, message) => {
    if (text.textContent !== message) text.textContent = message;
    if (next === mode && notice.hidden === !notice.textContent) return;
    mode = next;
    element.dataset.mode = mode;
    bar.hidden = mode !== "progress";
    retry.hidden = mode !== "error";
    load.hidden = mode !== "offer";
    text.hidden = mode === "none";
    notice.hidden = !notice.textContent;
    element.hidden = mode === "none" && notice.hidden;
  };
  show("none", "");
  return {
    element,
    progress({ loaded, total }, what = "Python") {
      if (total) {
        bar.max = total;
        bar.value = Math.min(loaded, total);
      } else bar.removeAttribute("value");
      const amount = total ? `${formatMB(loaded)} of ${formatMB(total)}` : formatMB(loaded);
      show("progress", `Loading ${what}… ${amount}`);
    },
    failed(message) {
      show("error", message);
    },
    offerLoad(bytes) {
      load.textContent = bytes ? `Load Python (≈ ${Math.round(bytes / 1e6)} MB)` : "Load Python";
      show("offer", "This widget runs Python in your browser. To save data, it loads when you ask.");
    },
    notice(message) {
      notice.textContent = message;
      show(mode, text.textContent);
    },
    clear() {
      show("none", "");
    },
  };
}

function showError(root, message) {
  root.dataset.state = "error";
  statusRegion(root).failed(message);
}

/**
 * For `mkdocs-lecture check`: boot Python, then run each widget's smoke test (its view's
 * `smoke(root, context)`, if any) → [{id, widget, ok, reason}].
 */
async function check({ timeout = 90_000 } = {}) {
  const limit = (promise) =>
    Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), timeout))]);
  await Promise.allSettled([...mounting]);
  const results = [];
  for (const root of document.querySelectorAll("[data-lecture-widget]")) {
    const result = { id: root.id, widget: root.dataset.lectureWidget, ok: false, reason: "" };
    try {
      if (!smokes.has(root)) throw new Error(root.querySelector("[data-role=status]")?.textContent || "not mounted");
      await limit(python.boot().then(() => smokes.get(root)()));
      result.ok = true;
    } catch (error) {
      result.reason = error.message;
    }
    results.push(result);
  }
  return results;
}
globalThis.mkdocsLecture = Object.freeze({ check });

// Run while a page is still loading means run from that page's <head>, which only pages
// with widgets have: start Python when the page has loaded. Sooner, the boot only competes
// with the page's own scripts and layout for the processor (on 2 cores it made the theme's
// tasks slower and the boot no faster). After an instant navigation from a page without
// widgets, the in-view rule above decides.
// On a repeat visit, though, Python's files are likely in the browser's cache: nothing to
// download, and restoring them is work the page need not wait for (bench/network_boot.py,
// (r)). (Asked of the cache itself, a miss is an error in the console: the memory of an
// earlier boot says it instead.)
if (document.readyState !== "complete") {
  addEventListener("load", bootSoon, { once: true });
  if (!sparing && snapshotWorth !== undefined) startPythonIfUsed();
}

/** Start Python if a widget of the page uses it, or once the page is parsed if none is
 * parsed yet (the runtime is async: it may run before the content is there). */
function startPythonIfUsed() {
  if (pageUsesPython()) startPython();
  else if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", startPythonIfUsed, { once: true });
}

// The content's tag is async: the module may run before the document is parsed, and
// before Material's bundle has defined document$ (which reports each instant navigation,
// and replays the current document to a new subscriber): the bundle may be deferred, and
// run after this module. By the load event it has run.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan, { once: true });
else scan();
const follow = () => globalThis.document$?.subscribe(() => scan());
if (document.readyState === "complete") follow();
else addEventListener("load", follow, { once: true });
