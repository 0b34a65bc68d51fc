// Real Pyodide under Node for the tests, restored from the site's packed start-up snapshot
// and standard library, decoded by the worker's own code (plugin/assets/pyodide_files.js):
// installs the widgets wheel, then answers one JSON request per
// stdin line with one JSON line on stdout:
//   {"id", "exec": code}            run statements (globals persist between requests)
//   {"id", "eval": expression}      → {"id", "value"} (the expression's value, JSON)
//   {"id", "call": name, "payload"} → lecture_widgets.rpc.call, as the browser worker does
//   {"id", "files": [[source path, path under lecture_widgets/]]}
// Python's stdout and stderr of a request come back as "stdout".
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { loadPyodide } from "pyodide";
import { gunzip, installWheel, restoreSnapshot, unpack } from "../../plugin/assets/pyodide_files.js";

const [wheelPath, snapshotPath, stdlibPath] = process.argv.slice(2);
const wasm = new Uint8Array(readFileSync(new URL("../../node_modules/pyodide/pyodide.asm.wasm", import.meta.url)));
const memory = restoreSnapshot(await unpack(new Uint8Array(readFileSync(snapshotPath))), wasm);
const pyodide = await loadPyodide({ _loadSnapshot: memory, stdLibURL: stdlibPath });
pyodide.runPython("import random; random.seed()");
installWheel(pyodide, await gunzip(new Uint8Array(readFileSync(wheelPath))));
let captured = "";
pyodide.setStdout({ batched: (text) => (captured += `${text}\n`) });
pyodide.setStderr({ batched: (text) => (captured += `${text}\n`) });
pyodide.setStdin({ error: true }); // as in the browser worker: cells cannot read input
const globals = pyodide.globals.get("dict")();
const packageDir = pyodide.runPython("import os, lecture_widgets; os.path.dirname(lecture_widgets.__file__)");
const rpc = pyodide.pyimport("lecture_widgets.rpc");

function handle(request) {
  if ("exec" in request) {
    pyodide.runPython(request.exec, { globals });
    return null;
  }
  if ("eval" in request)
    return JSON.parse(pyodide.runPython(`__import__("json").dumps((\n${request.eval}\n))`, { globals }));
  if ("call" in request) return JSON.parse(rpc.call(request.call, JSON.stringify(request.payload ?? {})));
  if ("files" in request) {
    for (const [source, path] of request.files) {
      const target = `${packageDir}/${path}`;
      pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
      pyodide.FS.writeFile(target, new Uint8Array(readFileSync(source)));
    }
    return request.files.length;
  }
  throw new Error(`unknown request ${JSON.stringify(request)}`);
}

process.stdout.write(`${JSON.stringify({ ready: pyodide.runPython("import sys; sys.version") })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  captured = "";
  let reply;
  try {
    reply = { id: request.id, value: handle(request) };
  } catch (error) {
    reply = { id: request.id, error: error.message };
  }
  process.stdout.write(`${JSON.stringify({ ...reply, stdout: captured })}\n`);
}
