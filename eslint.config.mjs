// ESLint for the project's JavaScript: the browser runtime, the widgets' views, the
// build and test scripts. Formatting is Prettier's (package.json), checked by `npm run lint`.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["plugin/assets/vendor/", "node_modules/", "site/", "build/", "**/.venv/"] },
  js.configs.recommended,
  {
    files: ["plugin/assets/**/*.js", "widgets/**/*.js", "plugin/widget_template/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["docs/javascripts/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "script", globals: { ...globals.browser } },
  },
  {
    files: ["plugin/assets/worker.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["plugin/service_worker/*.js"], // written at the site's root: classic scripts
    languageOptions: { ecmaVersion: 2024, sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.node } },
  },
  {
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
];
