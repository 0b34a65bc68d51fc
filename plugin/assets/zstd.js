// zstd decoding by zstd's own decoder (1.5.7), as zstddec builds it to WebAssembly
// (vendor/zstddec.wasm, from plugin/zstd/vendor.mjs): 4× as fast as decoding in
// JavaScript, which was most of a cold boot's CPU on a fast link. zstddec's own module
// is not used: its streaming decoder wants every chunk at once, and it loads the
// WebAssembly from a data: URL, which a strict Content Security Policy refuses.

const WASM = new URL("./vendor/zstddec.wasm", import.meta.url);
const OUT_SIZE = 1 << 20; // bytes decoded per step
const CHECKSUM_WRONG = 22; // (zstd_errors.h)
const OUT_OF_MEMORY = 64;

let compiled = null;

/** What a zstd error code says of the data. */
const problem = (code) =>
  code === CHECKSUM_WRONG
    ? "its checksum is wrong"
    : code === OUT_OF_MEMORY
      ? "out of memory"
      : `the data is damaged (zstd error ${code})`;

/** The decoder's module compiled, once (a failure is tried again at the next call). */
export function loadZstd() {
  if (!compiled) {
    compiled =
      WASM.protocol === "file:" // (Node: the tests)
        ? import("node:fs/promises").then((fs) => fs.readFile(WASM)).then((bytes) => WebAssembly.compile(bytes))
        : WebAssembly.compileStreaming(fetch(WASM));
    compiled.catch(() => (compiled = null));
  }
  return compiled;
}

/** A decoder of one zstd stream, in a WebAssembly instance of its own (its memory is
 * garbage once the stream is done): `push(chunk)` returns what the chunk decoded to, in
 * pieces; `end()` throws if the stream stopped inside a frame. */
export async function zstdStream() {
  const { exports } = await WebAssembly.instantiate(await loadZstd(), {
    env: { emscripten_notify_memory_growth() {} }, // (the views below are made afresh)
  });
  const context = exports.ZSTD_createDCtx();
  const buffers = exports.malloc(24); // ZSTD_inBuffer {src, size, pos}, ZSTD_outBuffer {dst, size, pos}
  const out = exports.malloc(OUT_SIZE);
  const words = () => new Uint32Array(exports.memory.buffer, buffers, 6);
  let pending = 0; // zstd's hint: 0 once a frame is complete
  return {
    push(chunk) {
      const pieces = [];
      if (!chunk.length) return pieces;
      const input = exports.malloc(chunk.length);
      new Uint8Array(exports.memory.buffer).set(chunk, input);
      words().set([input, chunk.length, 0]);
      while (words()[2] < chunk.length) {
        words().set([out, OUT_SIZE, 0], 3);
        pending = exports.ZSTD_decompressStream(context, buffers + 12, buffers);
        if (pending < 0) throw new Error(`zstd: ${problem(-pending)}`);
        const size = words()[5];
        if (size) pieces.push(new Uint8Array(exports.memory.buffer, out, size).slice());
      }
      exports.free(input);
      return pieces;
    },
    end() {
      if (pending !== 0) throw new Error("zstd: the data ends inside a frame (truncated)");
    },
  };
}
