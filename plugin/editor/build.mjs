// Bundles CodeMirror into plugin/assets/vendor/codemirror.js (run by `npm run build`; an
// optional argument writes elsewhere). The bundle is committed, so that the package works
// without Node; the build is reproducible and a test checks the committed file against it.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here("./entry.mjs")],
  outfile: process.argv[2] ?? here("../assets/vendor/codemirror.js"),
  bundle: true,
  format: "esm",
  minify: true,
  legalComments: "eof",
  target: "es2020",
  logLevel: "warning",
});
