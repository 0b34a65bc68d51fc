// Writes to stdout a memory snapshot of Pyodide right after start-up: the site's worker
// restores it instead of starting Python afresh. Run by snapshot.py as `node -e` (so that
// no script path ends up in the snapshot's sys.executable or environment), with the
// Pyodide package's folder in PYODIDE_DIR and the standard library zip the site ships in
// STDLIB.
import { pathToFileURL } from "node:url";

const { loadPyodide } = await import(pathToFileURL(`${process.env.PYODIDE_DIR}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ _makeSnapshot: true, stdLibURL: process.env.STDLIB });
pyodide.runPython("import gc; gc.collect()");
zeroFreeMemory(pyodide._module);
process.stdout.write(pyodide.makeMemorySnapshot());

/** Zero the heap memory malloc holds free (a third of it after start-up: what freed
 * objects left behind), so that it compresses to nothing: take every free block below the
 * heap's top, clear it, give it back. Skipped if this Pyodide does not export malloc. */
function zeroFreeMemory(module) {
  if (!module?._malloc || !module._free || !module._sbrk) return;
  const top = module._sbrk(0);
  const taken = [];
  for (let size = 1 << 22; size >= 8;) {
    const block = module._malloc(size);
    if (block && block + size <= top) {
      module.HEAP8.fill(0, block, block + size);
      taken.push(block);
    } else {
      if (block) module._free(block);
      size >>= 1;
    }
  }
  for (const block of taken) module._free(block);
}
