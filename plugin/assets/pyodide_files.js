// Pyodide's core as the build packed it (pyodide_pack.py): zstd-compressed files, decoded
// here with fzstd, and a start-up snapshot whose memory was XORed with the WebAssembly's
// initial memory. Used by the worker, and by the tests' Node harness.

import { Decompress, decompress } from "./vendor/fzstd.js";

const ZSTD_MAGIC = 0xfd2fb528;

const packed = (bytes) =>
  bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === ZSTD_MAGIC;

/** The bytes of a packed file, decoded (or as they came, if a server decoded them). */
export function unpack(bytes) {
  return packed(bytes) ? decompress(bytes) : bytes;
}

/** A packed `response`'s body decoded as it arrives (with a zstd window of 2 MB, that is
 * as fast as decoding it whole): `each(chunk)` sees every decoded piece in turn; resolves
 * to the whole. */
export async function unpackArriving(response, each = () => {}) {
  const reader = response.body.getReader();
  const chunks = [];
  const emit = (chunk) => {
    chunks.push(chunk);
    each(chunk);
  };
  let decoder = null;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    decoder ??= packed(read.value) ? new Decompress(emit) : { push: emit };
    decoder.push(read.value, false);
  }
  decoder?.push(new Uint8Array(0), true);
  return concat(chunks);
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
    return {
      has: async (name) => Boolean(await cache.match(new URL(name, site))),
      async get(name) {
        const response = await cache.match(new URL(name, site));
        return response ? new Uint8Array(await response.arrayBuffer()) : null;
      },
      put: (name, bytes) => cache.put(new URL(name, site), new Response(bytes)).catch(() => {}),
      remove: (name) => cache.delete(new URL(name, site)).catch(() => {}),
    };
  } catch {
    return { has: async () => false, get: async () => null, put: async () => {}, remove: async () => {} };
  }
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
