// Pyodide's core as the build packed it (pyodide_pack.py): zstd-compressed files, decoded
// here (zstd.js), and a start-up snapshot whose memory was XORed with the WebAssembly's
// initial memory. Used by the worker, and by the tests' Node harness.

import { zstdStream } from "./zstd.js";

const ZSTD_MAGIC = 0xfd2fb528;

const packed = (bytes) =>
  bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === ZSTD_MAGIC;

/** The bytes of a packed file, decoded (or as they came, if a server decoded them). */
export async function unpack(bytes) {
  if (!packed(bytes)) return bytes;
  const decoder = await zstdStream();
  const pieces = decoder.push(bytes);
  decoder.end();
  return concat(pieces);
}

/** The bytes of a gzipped file, decoded by the browser (or as they came, if a server sent
 * them with `Content-Encoding: gzip` and the browser decoded them already). */
export async function gunzip(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A packed `response`'s body decoded as it arrives: `each(piece)` sees every decoded
 * piece in turn; resolves to the whole. */
export async function unpackArriving(response, each = () => {}) {
  const reader = response.body.getReader();
  const pieces = [];
  let decoder = null;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    decoder ??= packed(read.value) ? await zstdStream() : { push: (chunk) => [chunk], end() {} };
    for (const piece of decoder.push(read.value)) {
      pieces.push(piece);
      each(piece);
    }
  }
  decoder?.end();
  return concat(pieces);
}

/** The same as a `stream` (for WebAssembly's streaming compile, which then overlaps the
 * download) and `bytes`, a promise of the whole. */
export function unpackStreaming(response) {
  let controller;
  const stream = new ReadableStream({ start: (started) => (controller = started) });
  const bytes = unpackArriving(response, (chunk) => controller.enqueue(chunk));
  bytes.then(
    () => controller.close(),
    (error) => controller.error(error),
  );
  return { stream, bytes };
}

function concat(chunks) {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

const WHEEL_TIME = Date.UTC(1980, 0, 1); // the wheel's files' time (its zip's), in ms

/** A pure-Python wheel installed: its files written into site-packages, which it returns.
 * The build stores them (and gzips the whole wheel: `gunzip` it first), so this is
 * slicing: no Python unzipping, which took ~0.1 s of a repeat visit's ~1.1 s in
 * `unpackArchive`. Every file gets the same time, so bytecode Python compiled from them
 * on an earlier visit (`keptBytecode`) is still valid. */
export function installWheel(pyodide, wheel) {
  const directory = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  for (const { name, data } of storedFiles(wheel)) write(pyodide.FS, `${directory}/${name}`, data);
  return directory;
}

function write(FS, path, data) {
  FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
  FS.writeFile(path, data);
  FS.utime(path, WHEEL_TIME, WHEEL_TIME);
}

/** The bytecode Python wrote for the modules imported from `directory` (their
 * `__pycache__/*.pyc`), as one file to keep for the next visit: a JSON header
 * ({wheel, files: [[path, size]]}) and the files' bytes. Null when there is none. */
export function keptBytecode(FS, directory, wheel) {
  const files = [];
  const walk = (folder) => {
    for (const name of FS.readdir(folder)) {
      const path = `${folder}/${name}`;
      if (name === "." || name === "..") continue;
      if (FS.isDir(FS.stat(path).mode)) walk(path);
      else if (folder.endsWith("/__pycache__") && name.endsWith(".pyc"))
        files.push([path.slice(directory.length + 1), FS.readFile(path)]);
    }
  };
  walk(`${directory}/lecture_widgets`);
  if (!files.length) return null;
  const header = new TextEncoder().encode(
    JSON.stringify({ wheel, files: files.map(([path, data]) => [path, data.length]) }),
  );
  const kept = new Uint8Array(4 + header.length + files.reduce((sum, [, data]) => sum + data.length, 0));
  new DataView(kept.buffer).setUint32(0, header.length, true);
  kept.set(header, 4);
  let at = 4 + header.length;
  for (const [, data] of files) {
    kept.set(data, at);
    at += data.length;
  }
  return kept;
}

/** The kept bytecode written back into `directory`, if it was kept for this `wheel`; the
 * number of files written. */
export function restoreBytecode(FS, directory, wheel, kept) {
  if (!kept || kept.length < 4) return 0;
  const size = new DataView(kept.buffer, kept.byteOffset).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(kept.subarray(4, 4 + size)));
  if (header.wheel !== wheel) return 0; // another build's widgets
  const total = header.files.reduce((sum, [, length]) => sum + length, 4 + size);
  if (total !== kept.length) throw new Error(`${kept.length} bytes where ${total} were kept`);
  let at = 4 + size;
  for (const [path, length] of header.files) {
    write(FS, `${directory}/${path}`, kept.subarray(at, at + length));
    at += length;
  }
  return header.files.length;
}

/** The files of a zip of stored entries (no zip64), as the build writes wheels: {name, data}. */
function* storedFiles(zip) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22; // the end of central directory record, before any comment
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error("the wheel is not a zip file");
  const names = new TextDecoder();
  let at = view.getUint32(end + 16, true);
  for (let count = view.getUint16(end + 10, true); count > 0; count--) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("the wheel's zip directory is damaged");
    const nameEnd = at + 46 + view.getUint16(at + 28, true);
    const name = names.decode(zip.subarray(at + 46, nameEnd));
    if (view.getUint16(at + 10, true) !== 0)
      throw new Error(`${name} is compressed in the wheel: the build stores files`);
    if (name.startsWith("/") || name.split("/").includes(".."))
      throw new Error(`the wheel holds an unsafe path ${name}`);
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (!name.endsWith("/")) yield { name, data: zip.subarray(start, start + view.getUint32(at + 20, true)) };
    at = nameEnd + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
}

/** The decoded files of this build of the core, kept in Cache Storage for the next visit:
 * decoding is most of what a repeat visit would wait for. One cache per site and build
 * (`key`); the caches of its older builds are deleted. Without Cache Storage (an insecure
 * origin, a private window), nothing is kept. */
export async function keptFiles(site, key) {
  const prefix = `mkdocs-lecture decoded ${site} `;
  try {
    if (!key) throw new Error("no build of the core to keep (Pyodide from a CDN)");
    for (const name of await caches.keys()) if (name.startsWith(prefix) && name !== prefix + key) caches.delete(name);
    const cache = await caches.open(prefix + key);
    const url = (name) => new URL(name, site);
    const match = (name) => cache.match(url(name));
    return {
      has: async (name) => Boolean(await match(name)),
      body: async (name) => (await match(name))?.body ?? null, // (not read yet)
      async get(name) {
        const response = await match(name);
        return response ? new Uint8Array(await response.arrayBuffer()) : null;
      },
      put: (name, bytes) => cache.put(url(name), new Response(bytes)).catch(() => {}),
      remove: (name) => cache.delete(url(name)).catch(() => {}),
    };
  } catch {
    const none = async () => null;
    return { has: async () => false, body: none, get: none, put: async () => {}, remove: async () => {} };
  }
}

const SPARSE = 0x5a4c5053; // "SPLZ": a snapshot kept without its zero pages
const PAGE = 4096;

/** A restored snapshot as it is kept: its zero pages left out (more than half of Python's
 * 31 MB memory is zero, and reading the kept files back is most of a repeat visit's wait).
 * [SPARSE, length, spans, (start, length) × spans] as 32-bit words, then the spans' bytes. */
export function withoutZeros(snapshot) {
  const words = new Uint32Array(snapshot.buffer, snapshot.byteOffset, snapshot.length >> 2);
  const zero = (page) => {
    for (let i = page * (PAGE >> 2); i < (page + 1) * (PAGE >> 2); i++) if (words[i]) return false;
    return true;
  };
  const spans = [];
  for (let page = 0; page * PAGE < snapshot.length; page++) {
    if (zero(page) && page * PAGE + PAGE <= snapshot.length) continue;
    const last = spans.at(-1);
    if (last && last[0] + last[1] === page * PAGE) last[1] += Math.min(PAGE, snapshot.length - page * PAGE);
    else spans.push([page * PAGE, Math.min(PAGE, snapshot.length - page * PAGE)]);
  }
  const header = new Uint32Array([SPARSE, snapshot.length, spans.length, ...spans.flat()]);
  const kept = new Uint8Array(header.byteLength + spans.reduce((sum, [, length]) => sum + length, 0));
  kept.set(new Uint8Array(header.buffer));
  let at = header.byteLength;
  for (const [start, length] of spans) {
    kept.set(snapshot.subarray(start, start + length), at);
    at += length;
  }
  return kept;
}

/** A kept snapshot made whole (one kept before `withoutZeros` existed is whole already). */
export function withZeros(kept) {
  const word = (i) => new DataView(kept.buffer, kept.byteOffset).getUint32(4 * i, true);
  if (kept.length < 12 || word(0) !== SPARSE) return kept;
  const snapshot = new Uint8Array(word(1));
  let at = 4 * (3 + 2 * word(2));
  for (let span = 0; span < word(2); span++) {
    const [start, length] = [word(3 + 2 * span), word(4 + 2 * span)];
    snapshot.set(kept.subarray(at, at + length), start);
    at += length;
  }
  return snapshot;
}

/** A packed snapshot made whole again, in place: the memory XORed back with the data the
 * `wasm` module puts in memory when it is instantiated (its active data segments). */
export function restoreSnapshot(snapshot, wasm) {
  const memoryStart = new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(4, true);
  for (const [offset, data] of dataSegments(wasm)) {
    const memory = snapshot.subarray(memoryStart + offset, memoryStart + offset + data.length);
    for (let i = 0; i < data.length; i++) memory[i] ^= data[i];
  }
  return snapshot;
}

/** [memory offset, bytes] of each active data segment at a constant offset (Pyodide's). */
export function* dataSegments(wasm) {
  const read = reader(wasm, 8);
  while (read.position < wasm.length) {
    const section = wasm[read.position++];
    const size = read.leb128();
    const end = read.position + size;
    if (section === 11) {
      for (let count = read.leb128(); count > 0; count--) {
        const kind = read.leb128();
        if (kind !== 0 || wasm[read.position++] !== 0x41) throw new Error(`data segment of kind ${kind}`);
        const offset = read.leb128(true);
        if (wasm[read.position++] !== 0x0b) throw new Error("a data segment's offset is not a constant");
        const length = read.leb128();
        yield [offset, wasm.subarray(read.position, read.position + length)];
        read.position += length;
      }
    }
    read.position = end;
  }
}

function reader(bytes, position) {
  return {
    position,
    leb128(signed = false) {
      let value = 0n;
      let shift = 0n;
      let byte;
      do {
        byte = bytes[this.position++];
        value |= BigInt(byte & 0x7f) << shift;
        shift += 7n;
      } while (byte & 0x80);
      if (signed && byte & 0x40) value -= 1n << shift;
      return Number(value);
    },
  };
}
