// The Python worker: boots Pyodide, installs the widgets' wheel, answers calls.
// A module worker (Pyodide 314 supports no other kind); one per tab, owned by python.js.
// It is only ever created to boot, and its first message says so.
//
// In:  {id, type: "boot", snapshot, snapshotWorth, interruptBuffer?}  load Python: from
//        the start-up snapshot at that URL (or afresh: null) if the link is fast enough
//        (snapshotWorth: an earlier visit's decision, or undefined: measure it); the result:
//        {fetched: [URLs downloaded], snapshotWorth: the decision, or null}
//      {id, type: "files", files: [{url, path}]}   data files into lecture_widgets/<path>
//      {id, type: "packages", names}               packages of the site's lock loaded (with
//        their dependencies; the result: the names loaded now)
//      {id, type: "call", name, payload}           lecture_widgets.rpc.call(name, payload)
// Out: {type: "progress", loaded, total}
//      {id, type: "stream", stream: "stdout"|"stderr", text}
//      {id, type: "result", value} | {id, type: "error", error: {name, message}}

import config from "./config.js";
import { downloadSize } from "./download.js";
import { linkMeter } from "./link_meter.js";
import {
  gunzip,
  installWheel,
  keptBytecode,
  keptFiles,
  restoreBytecode,
  restoreSnapshot,
  unpack,
  unpackArriving,
  unpackStreaming,
  withoutZeros,
  withZeros,
} from "./pyodide_files.js";
import { loadZstd } from "./zstd.js";

const OUTPUT_LIMIT = 2_000_000; // characters of output one call may send; the rest is dropped
const THROUGHPUT_SAMPLE = 256_000; // bytes over which the link's throughput is measured
const SNAPSHOT = "python-snapshot"; // its name among the kept files
const BYTECODE = "widgets-bytecode"; // the .pyc of the widgets' modules imported so far
const KEPT_AS = { [SNAPSHOT]: { write: withoutZeros, read: withZeros } }; // (others: as they are)
const KEEP_AFTER = 3000; // ms after Python is ready, or a call: a 32 MB write would delay the next

let pyodide = null;
let rpcCall = null;
let packageDir = "";
let sitePackages = "";
let kept = null; // the files kept for the next visit (keptFiles)
let keepBytecodeSoon = null; // a timer: calls may import more modules
let current = null; // the id of the call that is running
let queue = Promise.resolve(); // messages are handled one at a time, in order
const written = new Set();

self.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};

async function handle(message) {
  const { id, type } = message;
  try {
    let value = null;
    if (type === "boot") value = await boot(message);
    else if (type === "files") value = await writeFiles(message.files);
    else if (type === "packages") value = await loadPackages(message.names);
    else if (type === "call") {
      value = call(id, message.name, message.payload);
      clearTimeout(keepBytecodeSoon);
      keepBytecodeSoon = setTimeout(keepBytecode, KEEP_AFTER);
    } else throw new Error(`unknown message type ${type}`);
    self.postMessage({ id, type: "result", value });
  } catch (error) {
    self.postMessage({ id, type: "error", error: { name: error.type || error.name, message: error.message } });
  }
}

async function load(snapshot, remembered) {
  const base = new URL(".", import.meta.url).href;
  const indexURL = new URL(config.pyodideIndexURL, base).href;
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  failure.catch(() => {}); // reported by the race below, which may start later
  const measure = Boolean(snapshot) && remembered === undefined; // (the link, for the snapshot)
  const downloads = countDownloads(downloadSize({ snapshot, fetchedOnly: true }), failed, measure);
  kept = await keptFiles(base, config.pyodideDigest);
  const bytecode = kept.get(BYTECODE).catch(() => null); // (an earlier visit's imports)
  const packed = servePacked(indexURL, kept); // (its files read or fetched meanwhile)
  // (read while Pyodide's JavaScript loads: loadPyodide awaits it only then)
  const keptSnapshot = snapshot && (await kept.has(SNAPSHOT)) ? readKept(kept, SNAPSHOT) : null;
  const wanted = snapshot ? worthIt(downloads, keptSnapshot ? "kept" : remembered, packed.started) : null;
  try {
    const wheel = fetchBytes(new URL(config.wheel, base).href).then(gunzip); // in parallel with Pyodide
    wheel.catch(() => {}); // reported where it is awaited
    const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
    const memory = keptSnapshot ?? { url: snapshot };
    const booting = { indexURL, memory, wanted, downloads, packed };
    // Pyodide never settles when its WebAssembly is missing: a failed download ends the boot.
    pyodide = await Promise.race([start(loadPyodide, booting), failure]);
    sitePackages = installWheel(pyodide, await wheel);
    writeKeptBytecode(await bytecode);
  } catch (error) {
    throw new Error(`Python could not be loaded from ${indexURL}: ${error.message}`, { cause: error });
  } finally {
    packed.restore();
    downloads.restore();
  }
  setTimeout(packed.keep, KEEP_AFTER); // for the next visit, when the first answers are out
  const decision = await wanted;
  return { fetched: downloads.urls(), snapshotWorth: decision?.remember ? decision.worth : null };
}

/** A promise of the bytes of a kept file that was there a moment ago. */
function readKept(kept, name) {
  const bytes = kept
    .get(name)
    .then((got) => (got ? (KEPT_AS[name]?.read(got) ?? got) : Promise.reject(new Error(`the kept ${name} is gone`))));
  bytes.catch(() => {}); // reported by loadPyodide, which awaits it
  return bytes;
}

/** Pyodide restored from the build's snapshot (Python already started) where the network
 * is fast enough for it to pay, or started afresh: without a snapshot, on a slow link, or
 * when it cannot be fetched or restored. `memory`: a promise of the snapshot's bytes kept from an
 * earlier visit, or its URL. Started afresh where the site has a snapshot, Python is
 * snapshotted as it starts and kept: the next visit restores that, downloading nothing. */
async function start(loadPyodide, { indexURL, memory, wanted, downloads, packed }) {
  const restoring = (await wanted)?.worth && (memory.url ? await fetchSnapshot(memory.url, downloads, packed) : memory);
  if (restoring) {
    try {
      const restored = await loadPyodide({ ...pyodideOptions(indexURL), _loadSnapshot: restoring });
      restored.runPython("import random; random.seed()"); // not the snapshot's random numbers
      return restored;
    } catch (error) {
      console.warn(`Python starts afresh: it could not start from its snapshot (${error.message}).`);
      packed.forget(SNAPSHOT);
    }
  }
  if (memory.url && !restoring) downloads.expect(downloadSize({ snapshot: null, fetchedOnly: true })); // not downloaded
  if (!wanted) return loadPyodide(pyodideOptions(indexURL)); // (no snapshot for this site, or reader)
  const started = await loadPyodide({ ...pyodideOptions(indexURL), _makeSnapshot: true });
  try {
    packed.decoded.set(SNAPSHOT, Promise.resolve(started.makeMemorySnapshot()));
  } catch (error) {
    console.warn(`Python's start is not kept for the next visit: ${error.message}`);
  }
  started.registerJsModule("js", globalThis); // (not the proxy that snapshotting puts in its place)
  return started;
}

/** The site's lock (bundle.py: the packages it uses), where its wheels are found. */
function pyodideOptions(indexURL) {
  if (!config.packagesLock) return { indexURL, fullStdLib: false };
  const lockFileURL = new URL(config.packagesLock, import.meta.url).href;
  return { indexURL, fullStdLib: false, lockFileURL, packageBaseUrl: new URL(".", lockFileURL).href };
}

/** Whether to load the snapshot (`worth`), and whether to `remember` it for the next visit:
 * when downloading it takes less time than it saves, by the link's throughput measured on
 * the first bytes of the core's own downloads; or as an earlier visit decided
 * (`remembered`: the files may come from the browser's cache now, which says nothing of
 * the link); always when this browser has kept it decoded. */
async function worthIt(downloads, remembered, started) {
  // (a kept snapshot says nothing of the link: it may have been made here, after a slow one)
  let decision = { worth: Boolean(remembered), remember: remembered !== "kept" };
  let why = remembered === "kept" ? "this browser kept it from an earlier visit" : "as decided on an earlier visit";
  if (remembered === undefined) {
    await started; // (the core's downloads: their first bytes are the measure)
    const enough = config.pyodideSnapshotSize / config.pyodideSnapshotSaves; // (bytes per second)
    const rate = await downloads.rate(THROUGHPUT_SAMPLE, enough);
    const seconds = config.pyodideSnapshotSize / rate;
    decision = rate
      ? { worth: seconds < config.pyodideSnapshotSaves, remember: true }
      : { worth: true, remember: false };
    why = rate
      ? `measured ${(rate / 1e6).toFixed(2)} MB/s, ${seconds.toFixed(1)} s to download it against the ${config.pyodideSnapshotSaves} s it saves`
      : "nothing was downloaded to measure the link by (not remembered)";
  }
  console.debug(`Python starts ${decision.worth ? "from" : "without"} its snapshot: ${why}.`);
  return decision;
}

/** The whole snapshot, as a promise loadPyodide awaits; its answer first (one round trip),
 * so that a missing snapshot costs no second download. Null (with a warning) if it fails. */
async function fetchSnapshot(url, downloads, packed) {
  const response = await downloads.fetch(new URL(url, import.meta.url).href).catch(() => null);
  if (!response?.ok) {
    console.warn(
      `Python starts afresh: its start-up snapshot could not be fetched (${response?.status ?? "network error"}).`,
    );
    return null;
  }
  const memory = Promise.all([unpackArriving(response), packed.wasm()]).then(([bytes, wasm]) =>
    restoreSnapshot(bytes, wasm),
  );
  memory.catch(() => {}); // reported by loadPyodide, which awaits it
  packed.decoded.set(SNAPSHOT, memory);
  return memory;
}

/** Pyodide's fetches of its WebAssembly and standard library answered with their decoded
 * bytes: as `kept` from an earlier visit (streamed from the cache to Pyodide, which reads
 * them once), or fetched at once and decoded (the WebAssembly as it arrives, so that it
 * compiles meanwhile). `wasm()`: a promise of its bytes; `keep()` puts what was decoded
 * this time in `kept`, for the next visit. */
function servePacked(indexURL, kept) {
  const outer = self.fetch;
  const bodies = new Map(); // URL Pyodide asks for → () => its body
  const decoded = new Map(); // name → promise of the bytes decoded this time
  const files = [];
  let wasm = null;
  for (const [name, packedName] of Object.entries(config.pyodidePacked)) {
    const streaming = name.endsWith(".wasm");
    const file = kept.body(name).then((body) => {
      if (body) return { stream: body };
      const fetched = unpacked(`${indexURL}${packedName}`, streaming);
      fetched.bytes.catch(() => {}); // reported when Pyodide asks for it
      decoded.set(name, fetched.bytes);
      return fetched;
    });
    files.push(file);
    // (a kept file's bytes are read again if asked for: its stream went to Pyodide)
    const bytes = () => file.then((got) => got.bytes ?? readKept(kept, name));
    if (streaming) wasm = bytes;
    let stream = file.then((got) => got.stream ?? got.bytes);
    stream.catch(() => {}); // (the same failure as the bytes')
    bodies.set(`${indexURL}${name}`, () => {
      const body = stream ?? bytes(); // a stream is read once: a second start gets the bytes
      stream = null;
      return body;
    });
  }
  self.fetch = (resource, init) => {
    const body = bodies.get(String(resource));
    if (!body) return outer(resource, init);
    const type = String(resource).endsWith(".wasm") ? "application/wasm" : "application/zip";
    return body().then((contents) => new Response(contents, { headers: { "Content-Type": type } }));
  };
  return {
    wasm,
    decoded,
    started: Promise.all(files), // each file kept, or its download begun
    restore: () => (self.fetch = outer),
    forget(name) {
      decoded.delete(name);
      kept.remove(name);
    },
    keep: () =>
      decoded.forEach((bytes, name) =>
        bytes.then(
          (got) => kept.put(name, KEPT_AS[name]?.write(got) ?? got),
          () => {},
        ),
      ),
  };
}

/** A packed file fetched and decoded: `bytes` (a promise), and, `streaming`, its `stream`. */
function unpacked(url, streaming) {
  const response = fetchResponse(url);
  loadZstd(); // (its decoder: fetched alongside, not one round trip later)
  if (!streaming) return { bytes: response.then(async (got) => unpack(new Uint8Array(await got.arrayBuffer()))) };
  const decoding = response.then(unpackStreaming);
  return { bytes: decoding.then((got) => got.bytes), stream: decoding.then((got) => got.stream) };
}

async function boot({ snapshot, snapshotWorth, interruptBuffer }) {
  const loaded = await load(snapshot, snapshotWorth);
  if (interruptBuffer) pyodide.setInterruptBuffer(new Int32Array(interruptBuffer));
  pyodide.setStdout({ write: (bytes) => output("stdout", bytes) });
  pyodide.setStderr({ write: (bytes) => output("stderr", bytes) });
  pyodide.setStdin({ error: true });
  // The wheel's files are new to the import system's directory caches. (Not
  // importlib.invalidate_caches(): it also imports importlib.metadata, ~80 ms.)
  pyodide.runPython(`
import sys
for finder in sys.path_importer_cache.values():
    if hasattr(finder, "invalidate_caches"):
        finder.invalidate_caches()
`);
  const rpc = pyodide.pyimport("lecture_widgets.rpc");
  rpcCall = rpc.call;
  packageDir = `${sitePackages}/lecture_widgets`;
  return loaded;
}

/** The widgets' bytecode an earlier visit kept, if it is this build's (a damaged one is
 * left: Python compiles, as without it). */
function writeKeptBytecode(earlier) {
  try {
    restoreBytecode(pyodide.FS, sitePackages, config.wheel, earlier);
  } catch (error) {
    console.warn(`The widgets' bytecode kept by an earlier visit is not used: ${error.message}`);
  }
}

/** The bytecode of the widgets' modules imported so far, kept for the next visit (when
 * there is more than last time): it then compiles none of them (the tokenizer's took
 * 0.26 s). */
function keepBytecode() {
  try {
    // Compiled again, while the reader reads: writing it as Python imports would slow the
    // first call, which is what a first visit waits for.
    // Nothing compiled: every module imported has its bytecode kept already (or restored).
    const compiled = pyodide.runPython(`
import importlib.util, os, py_compile, sys
compiled = 0
for module in list(sys.modules.values()):
    source = getattr(module, "__file__", None) or ""
    if source.startswith("${packageDir}/") and source.endswith(".py"):
        cached = importlib.util.cache_from_source(source)
        if not os.path.exists(cached):
            py_compile.compile(source, cached, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
            compiled += 1
compiled
`);
    if (compiled) kept.put(BYTECODE, keptBytecode(pyodide.FS, sitePackages, config.wheel));
  } catch (error) {
    console.warn(`The widgets' bytecode is not kept for the next visit: ${error.message}`);
  }
}

async function writeFiles(files) {
  await Promise.all(
    files
      .filter(({ path }) => !written.has(path))
      .map(async ({ url, path }) => {
        const bytes = await fetchBytes(url);
        const target = `${packageDir}/${path}`;
        pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
        pyodide.FS.writeFile(target, bytes);
        written.add(path);
      }),
  );
  return files.length;
}

/** Packages of the site's lock (bundle.py: Pyodide's own, from the site or its CDN, and the
 * site's wheels), with their dependencies: their bytes counted for the progress bar; one
 * that cannot be loaded is an error naming it. */
async function loadPackages(names) {
  const lock = pyodide.lockfile?.packages ?? {};
  // Pyodide records a package by its name (Pillow), the lock by a normalized key (pillow).
  const loaded = (key) => key in pyodide.loadedPackages || lock[key]?.name in pyodide.loadedPackages;
  const needed = withDependencies(names).filter((name) => !loaded(name));
  if (!needed.length) return [];
  const sizes = config.packageSizes ?? {};
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  const downloads = countDownloads(
    needed.reduce((sum, name) => sum + (sizes[name] ?? 0), 0),
    failed,
  );
  const problems = [];
  const report = { messageCallback: () => {}, errorCallback: (message) => problems.push(message) };
  try {
    await Promise.race([pyodide.loadPackage(needed, report), failure]);
  } catch (error) {
    problems.push(error.message);
  } finally {
    downloads.restore();
  }
  const missing = needed.filter((name) => !loaded(name));
  if (missing.length)
    throw new Error(
      `The package${missing.length > 1 ? "s" : ""} ${missing.join(", ")} could not be loaded: ${problems.join(" ") || "no reason given"}`,
    );
  return needed;
}

/** `names` and what they depend on, by the lock Pyodide has loaded. */
function withDependencies(names) {
  const packages = pyodide.lockfile?.packages ?? {};
  const all = new Set();
  const add = (name) => {
    if (all.has(name)) return;
    all.add(name);
    for (const dependency of packages[name]?.depends ?? []) add(dependency);
  };
  names.forEach(add);
  return [...all];
}

function call(id, name, payload) {
  current = { id, sent: 0, pending: [], lastFlush: performance.now() };
  try {
    return JSON.parse(rpcCall(name, JSON.stringify(payload ?? {})));
  } finally {
    flush();
    current = null;
  }
}

// Output streams out as the code prints, in batches, so a print loop cannot flood the page.
const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

function output(stream, bytes) {
  const text = decoders[stream].decode(bytes, { stream: true });
  if (!current) return bytes.length;
  const last = current.pending.at(-1);
  if (last && last.stream === stream) last.text += text;
  else current.pending.push({ stream, text });
  if (performance.now() - current.lastFlush > 50) flush();
  return bytes.length;
}

function flush() {
  if (!current) return;
  for (const { stream, text } of current.pending) {
    const room = OUTPUT_LIMIT - current.sent;
    if (room <= 0) break;
    const part = text.length > room ? `${text.slice(0, room)}\n… output limit reached; the rest is not shown.\n` : text;
    current.sent += text.length;
    self.postMessage({ id: current.id, type: "stream", stream, text: part });
  }
  current.pending = [];
  current.lastFlush = performance.now();
}

// Bytes downloaded so far, for the progress bar: every fetch() during boot is counted, and
// a failed one reported to `failed`. `fetch` counts without reporting (for optional files);
// `expect(total)` sets a new total (the snapshot left out); with `measure`, `rate(sample)`
// is linkMeter's; `urls()` lists what was fetched.
function countDownloads(total, failed, measure = false) {
  const realFetch = self.fetch;
  const urls = [];
  const meter = measure ? linkMeter() : null;
  let loaded = 0;
  let lastReport = 0;
  let pending = 0;
  const report = (force) => {
    const now = performance.now();
    if (force || now - lastReport > 250) {
      lastReport = now;
      self.postMessage({ type: "progress", loaded, total });
    }
  };
  const settle = () => meter?.settle(pending === 0);
  const counted = async (...args) => {
    meter?.begin();
    pending += 1;
    const response = await realFetch(...args).catch((error) => {
      pending -= 1;
      throw error;
    });
    urls.push(response.url);
    if (!response.ok || !response.body) {
      pending -= 1;
      return response;
    }
    const body = response.body.pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          loaded += chunk.byteLength;
          meter?.arrived(chunk.byteLength);
          settle();
          report(false);
          controller.enqueue(chunk);
        },
        flush() {
          pending -= 1;
          settle();
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  self.fetch = async (...args) => {
    const response = await counted(...args);
    if (!response.ok) failed(new Error(`${response.url} answered ${response.status} ${response.statusText}`));
    return response;
  };
  return {
    fetch: counted,
    rate: (sample, enough) => {
      const rate = meter.rate(sample, enough);
      settle();
      return rate;
    },
    urls: () => urls.filter(Boolean),
    expect(newTotal) {
      total = newTotal;
      report(true);
    },
    restore() {
      self.fetch = realFetch;
      meter?.stop();
      report(true);
    },
  };
}

async function fetchResponse(url) {
  const response = await fetch(url).catch((error) => {
    throw new Error(`${url} could not be fetched (${error.message}: is the network down?)`);
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  return response;
}

async function fetchBytes(url) {
  return new Uint8Array(await (await fetchResponse(url)).arrayBuffer());
}
