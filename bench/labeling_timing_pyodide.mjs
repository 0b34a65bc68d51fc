// Run bench/labeling_timing.py inside Pyodide under Node (offline: standard library only).
//   node bench/labeling_timing_pyodide.mjs [dataset]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pyodide = await loadPyodide();
const site = "/home/pyodide/site";

// What the browser wheel carries of the widget: no build-time code (static.py, build/).
const SKIP = new Set(["__pycache__", "build", "static.py"]);

function copyTree(src, dst) {
  pyodide.FS.mkdirTree(dst);
  for (const name of readdirSync(src)) {
    if (SKIP.has(name)) continue;
    const s = join(src, name);
    const d = `${dst}/${name}`;
    if (statSync(s).isDirectory()) copyTree(s, d);
    else pyodide.FS.writeFile(d, readFileSync(s));
  }
}
pyodide.FS.mkdirTree(`${site}/lecture_widgets`);
for (const name of ["__init__.py", "options.py"]) {
  pyodide.FS.writeFile(`${site}/lecture_widgets/${name}`, readFileSync(join(root, "widgets", name)));
}
copyTree(join(root, "widgets/labeling"), `${site}/lecture_widgets/labeling`);
pyodide.FS.writeFile(`${site}/labeling_timing.py`, readFileSync(join(root, "bench/labeling_timing.py")));
const dataset = process.argv[2] ?? "movies";
await pyodide.runPythonAsync(`
import sys
sys.path.insert(0, "${site}")
import labeling_timing
labeling_timing.main("${dataset}")
`);
