// The page's Python: one module worker per tab, shared by every widget, surviving
// Material's instant navigation (this module is evaluated once per document).
//
//   await python.call("tokenizer.tokenize", {text, encodings}, {onStream})   JSON in, JSON out
//   python.stop()        interrupt the running call, or replace the worker
//   python.on("state" | "progress" | "restart", listener)  → off()
//
// States: idle (not started) · booting · ready · error (boot failed; boot() retries).

import { snapshot } from "./download.js";
import { widgetStore } from "./store.js";

const memory = widgetStore("python", { page: "" }); // this site's, in this browser

/** Whether an earlier visit judged the snapshot worth loading (undefined: none has): the
 * worker then need not measure the link, and Python's files are likely in the browser's
 * cache (so the page boots at once rather than after loading). Not in download.js, which
 * the worker imports too: one module fewer before its downloads start. */
export const snapshotWorth = snapshot ? memory.get("snapshotWorth") : undefined;

export class PythonError extends Error {
  constructor({ name, message }) {
    super(message);
    this.name = name || "PythonError";
  }
}

export class StoppedError extends Error {
  constructor() {
    super("Stopped.");
    this.name = "StoppedError";
  }
}

class Python {
  constructor() {
    this.state = "idle";
    this.generation = 0; // increases each time a new worker replaces the old one
    this.progress = { loaded: 0, total: 0 };
    this.error = null;
    this.listeners = new Map();
    this.pending = new Map();
    this.nextId = 1;
    this.worker = null;
    this.booted = null;
    this.busy = 0;
    this.interrupt = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  on(event, listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(listener);
    return () => this.listeners.get(event).delete(listener);
  }

  emit(event, detail) {
    for (const listener of this.listeners.get(event) ?? []) listener(detail);
  }

  setState(state) {
    this.state = state;
    this.emit("state", state);
  }

  /** Start Python (once); resolves when it is ready, rejects if it cannot load. */
  boot() {
    if (this.booted && this.state !== "error") return this.booted;
    this.worker?.terminate();
    this.generation += 1;
    this.error = null;
    this.progress = { loaded: 0, total: 0 };
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "lecture-python" });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => this.crashed(event.message || "the Python worker stopped unexpectedly");
    this.setState("booting");
    // A boot that a Stop or a crash cut short must not report over the worker that replaced it.
    const generation = this.generation;
    const current = () => generation === this.generation;
    const boot = { type: "boot", snapshot, snapshotWorth, interruptBuffer: this.interrupt?.buffer };
    this.booted = this.send(boot).then(
      (info) => {
        const worth = info?.snapshotWorth;
        if (typeof worth === "boolean" && worth !== snapshotWorth) memory.set("snapshotWorth", worth);
        if (current()) this.setState("ready");
        return info;
      },
      (error) => {
        if (current()) {
          this.error = error;
          this.setState("error");
        }
        throw error;
      },
    );
    return this.booted;
  }

  /** Call `lecture_widgets.<widget>.<function>(**payload)` in the worker. */
  async call(name, payload = {}, { onStream } = {}) {
    await this.boot();
    this.busy += 1;
    try {
      if (this.interrupt) this.interrupt[0] = 0;
      return await this.send({ type: "call", name, payload }, onStream);
    } finally {
      this.busy -= 1;
    }
  }

  /** Make data files available to Python: [{url, path}] with paths under lecture_widgets/. */
  async files(files) {
    await this.boot();
    return this.send({ type: "files", files });
  }

  /** Load packages of the site's lock (names as it lists them, with their dependencies). */
  async packages(names) {
    await this.boot();
    return this.send({ type: "packages", names });
  }

  /**
   * Stop the running call. With an interrupt buffer (cross-origin isolated pages) Python
   * gets a KeyboardInterrupt; otherwise, or if that does not end it within a second,
   * the worker is replaced: its variables are gone ("restart" is emitted).
   */
  async stop() {
    if (!this.busy && this.state !== "booting") return;
    if (this.interrupt && this.state === "ready") {
      Atomics.store(this.interrupt, 0, 2); // SIGINT
      const ended = await Promise.race([
        new Promise((resolve) => {
          const off = this.on("settled", () => (off(), resolve(true)));
        }),
        new Promise((resolve) => setTimeout(() => resolve(false), 1000)),
      ]);
      if (ended) return;
    }
    this.restart(new StoppedError());
  }

  /** Replace the worker: reject what was pending, boot a new one. */
  restart(reason) {
    this.worker?.terminate();
    this.worker = null;
    this.booted = null;
    for (const { reject } of this.pending.values()) reject(reason);
    this.pending.clear();
    this.busy = 0;
    this.setState("idle");
    this.emit("restart", { reason, generation: this.generation + 1 });
    this.boot().catch(() => {});
  }

  crashed(message) {
    if (!this.worker) return;
    if (this.state === "booting") {
      // It never started: say so (boot() tries again) rather than restart in a loop.
      this.worker.terminate();
      this.worker = null;
      for (const { reject } of this.pending.values()) reject(new PythonError({ name: "WorkerError", message }));
      this.pending.clear();
      return;
    }
    this.restart(
      new PythonError({ name: "WorkerError", message: `Python stopped (${message}); it is being restarted.` }),
    );
  }

  send(message, onStream) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onStream });
      this.worker.postMessage({ ...message, id });
    });
  }

  receive(data) {
    if (data.type === "progress") {
      this.progress = { loaded: data.loaded, total: data.total };
      this.emit("progress", this.progress);
      return;
    }
    const pending = this.pending.get(data.id);
    if (!pending) return;
    if (data.type === "stream") {
      pending.onStream?.(data.stream, data.text);
      return;
    }
    this.pending.delete(data.id);
    if (data.type === "result") pending.resolve(data.value);
    else pending.reject(new PythonError(data.error));
    if (!this.pending.size) this.emit("settled");
  }
}

export const python = new Python();
