// Writes plugin/assets/vendor/zstddec.wasm (run by `npm run build`): the WebAssembly of
// zstd's own decoder that package-lock.json's zstddec embeds in its streaming build, as
// published, and its license. A test checks the committed files against the package.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const published = readFileSync(here("../../node_modules/zstddec/dist/zstddec-stream.mjs"), "utf8");
const [, base64] = published.match(/^const wasm = "([A-Za-z0-9+/=]+)";$/m);
writeFileSync(here("../assets/vendor/zstddec.wasm"), Buffer.from(base64, "base64"));
copyFileSync(here("../../node_modules/zstddec/LICENSE"), here("../assets/vendor/zstddec.LICENSE"));
