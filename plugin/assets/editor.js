// The code editor of the widgets that edit Python (python, exercise): CodeMirror 6
// (vendor/codemirror.js, 370 KB), loaded only when a reader starts editing.

/** The editor's module, loaded once. */
export const loadEditor = () => import("./vendor/codemirror.js");

/** A Python editor holding `doc`; Ctrl/Cmd+Enter calls `onRun`, each change `onChange`. */
export function createEditor(cm, doc, { onRun, onChange }) {
  const { EditorState, EditorView, keymap } = cm;
  return new EditorView({
    state: EditorState.create({
      doc,
      extensions: [
        cm.lineNumbers(),
        cm.history(),
        cm.drawSelection(),
        cm.indentOnInput(),
        cm.bracketMatching(),
        cm.indentUnit.of("    "),
        cm.python(),
        cm.syntaxHighlighting(cm.classHighlighter),
        keymap.of([
          { key: "Mod-Enter", run: () => (onRun(), true) },
          cm.indentWithTab,
          ...cm.defaultKeymap,
          ...cm.historyKeymap,
        ]),
        EditorView.contentAttributes.of({ "aria-label": "Python code (Escape then Tab leaves the editor)" }),
        EditorView.updateListener.of((update) => update.docChanged && onChange()),
      ],
    }),
  });
}
