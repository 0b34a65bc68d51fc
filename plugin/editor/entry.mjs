// The code editor the `python` widget uses: CodeMirror 6, bundled into one ES module
// (plugin/assets/vendor/codemirror.js) by build.mjs, so the site needs no CDN.
export { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
export { EditorState } from "@codemirror/state";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { syntaxHighlighting, indentOnInput, bracketMatching, indentUnit } from "@codemirror/language";
export { classHighlighter } from "@lezer/highlight";
export { python } from "@codemirror/lang-python";
