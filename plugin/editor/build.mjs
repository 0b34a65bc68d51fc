// Bundles CodeMirror into plugin/assets/vendor/codemirror.js (run by `npm run build`).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here("./entry.mjs")],
  outfile: here("../assets/vendor/codemirror.js"),
  bundle: true,
  format: "esm",
  minify: true,
  legalComments: "eof",
  target: "es2020",
  logLevel: "warning",
});
