// The Python worker: boots Pyodide, installs the widgets wheel, answers calls.
// A module worker (Pyodide 314 supports no other kind); one per tab, owned by python.js.
// It is only ever created to boot, and its first message says so.
//
// In:  {id, type: "boot", snapshot, interruptBuffer?}  load Python (from the start-up
//                                                  snapshot at that URL, or afresh: null)
//      {id, type: "files", files: [{url, path}]}   data files into lecture_widgets/<path>
//      {id, type: "call", name, payload}           lecture_widgets.rpc.call(name, payload)
// Out: {type: "progress", loaded, total}
//      {id, type: "stream", stream: "stdout"|"stderr", text}
//      {id, type: "result", value} | {id, type: "error", error: {name, message}}

import config from "./config.js";
import { downloadSize } from "./download.js";

const OUTPUT_LIMIT = 2_000_000; // characters of output one call may send; the rest is dropped

let pyodide = null;
let rpcCall = null;
let packageDir = "";
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
    else if (type === "call") value = call(id, message.name, message.payload);
    else throw new Error(`unknown message type ${type}`);
    self.postMessage({ id, type: "result", value });
  } catch (error) {
    self.postMessage({ id, type: "error", error: { name: error.type || error.name, message: error.message } });
  }
}

async function load(snapshot) {
  const base = new URL(".", import.meta.url).href;
  const indexURL = new URL(config.pyodideIndexURL, base).href;
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  const downloads = countDownloads(downloadSize({ snapshot, fetchedOnly: true }), failed);
  try {
    const wheel = fetchBytes(new URL(config.wheel, base).href); // in parallel with Pyodide
    wheel.catch(() => {}); // reported where it is awaited
    const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
    // Pyodide never settles when its WebAssembly is missing: a failed download ends the boot.
    pyodide = await Promise.race([start(loadPyodide, indexURL, snapshot, downloads), failure]);
    pyodide.unpackArchive(await wheel, "wheel");
  } catch (error) {
    throw new Error(`Python could not be loaded from ${indexURL}: ${error.message}`, { cause: error });
  } finally {
    downloads.restore();
  }
}

/** Pyodide restored from the build's snapshot (Python already started), or, without a
 * snapshot or when it cannot be fetched or restored, started afresh. */
async function start(loadPyodide, indexURL, snapshot, downloads) {
  // Its answer first (one round trip), so that a missing snapshot costs no second download.
  const response = snapshot && (await downloads.fetch(new URL(snapshot, import.meta.url).href).catch(() => null));
  if (response?.ok) {
    const memory = unzip(response);
    memory.catch(() => {}); // reported by loadPyodide, which awaits it
    try {
      const restored = await loadPyodide({ indexURL, fullStdLib: false, _loadSnapshot: memory });
      restored.runPython("import random; random.seed()"); // not the snapshot's random numbers
      return restored;
    } catch (error) {
      console.warn(`Python starts afresh: it could not start from its snapshot (${error.message}).`);
    }
  } else if (snapshot) {
    console.warn(
      `Python starts afresh: its start-up snapshot could not be fetched (${response?.status ?? "network error"}).`,
    );
  }
  if (snapshot) downloads.expect(downloadSize({ snapshot: null, fetchedOnly: true })); // counted anew
  return loadPyodide({ indexURL, fullStdLib: false });
}

/** The bytes of a gzipped response (as it is stored), or as they came if a server unzipped them. */
async function unzip(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const unzipped = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unzipped).arrayBuffer());
}

async function boot({ snapshot, interruptBuffer }) {
  await load(snapshot);
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
  packageDir = pyodide.runPython("import os, lecture_widgets; os.path.dirname(lecture_widgets.__file__)");
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
// `expect(total)` starts counting again, towards a new total.
function countDownloads(total, failed) {
  const realFetch = self.fetch;
  let loaded = 0;
  let lastReport = 0;
  const report = (force) => {
    const now = performance.now();
    if (force || now - lastReport > 250) {
      lastReport = now;
      self.postMessage({ type: "progress", loaded, total });
    }
  };
  const counted = async (...args) => {
    const response = await realFetch(...args);
    if (!response.ok || !response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          loaded += chunk.byteLength;
          report(false);
          controller.enqueue(chunk);
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
    expect(newTotal) {
      loaded = 0;
      total = newTotal;
      report(true);
    },
    restore() {
      self.fetch = realFetch;
      report(true);
    },
  };
}

async function fetchBytes(url) {
  const response = await fetch(url).catch((error) => {
    throw new Error(`${url} could not be fetched (${error.message}: is the network down?)`);
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
