// Writes to stdout a memory snapshot of Pyodide right after start-up: the site's worker
// restores it instead of starting Python afresh. Run by snapshot.py as `node -e` (so that
// no script path ends up in the snapshot's sys.executable or environment), with the
// Pyodide package's folder in PYODIDE_DIR.
import { pathToFileURL } from "node:url";

const { loadPyodide } = await import(pathToFileURL(`${process.env.PYODIDE_DIR}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ _makeSnapshot: true });
process.stdout.write(pyodide.makeMemorySnapshot());
