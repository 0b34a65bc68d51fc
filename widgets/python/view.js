// The `python` cell: a code editor, Run / Stop / Reset, and streamed output.
// Cells of a page share one namespace in page order; after Python restarts, the
// earlier cells that had run are run again before this one, and the reader is told.

// CodeMirror (370 KB) is loaded when the reader starts editing (a cell with saved edits:
// once Python is ready and the browser idle). Until then the pre-rendered, highlighted
// code stands in for it, so the editor costs nothing to readers who only run cells.
import { button, element } from "../../dom.js";
import { createEditor, loadEditor } from "../../editor.js";
const idle = (callback) => (globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 200)))(callback, { timeout: 3000 });

const OUTPUT_LIMIT = 200_000; // characters kept on screen; older output is trimmed
// Cells mounted in this tab, by widget id: the Python generation each last ran in
// (0: never) and how to read its current code. Kept across instant navigation.
const cells = new Map();

export function mount(root, { options, python, store }) {
  const record = cells.get(root.id) ?? { ranIn: 0 };
  cells.set(root.id, record);
  record.isolate = options.isolate;
  const parts = buildCell(root);
  const source = codeSource(root, parts, { original: options.code, store, python, onRun: () => runCell() });
  record.code = source.code;
  const runCell = cellRunner(root, { options, python, parts, record, code: source.code });
  parts.run.addEventListener("click", runCell);
  parts.stop.addEventListener("click", () => python.stop());
  parts.reset.addEventListener("click", () => source.restore());
  return () => {
    source.close();
    parts.cell.remove();
    record.code = () => store.get("code") ?? options.code;
  };
}

/** The cell's controls and output, after its static view. */
function buildCell(root) {
  const run = button("run", "Run", "Run this cell (Ctrl+Enter)");
  const stop = button("stop", "Stop", "Stop the running code");
  const reset = button("reset", "Reset", "Restore the original code");
  const note = element("span", { className: "lecture-python__note" });
  note.dataset.role = "note";
  note.setAttribute("aria-live", "polite");
  const output = element("pre", { className: "lecture-python__output", hidden: true });
  output.dataset.role = "output";
  output.setAttribute("aria-label", "Output");
  // The live region stays rendered while the output is hidden: a region that appears
  // together with its text is not announced by screen readers.
  const outputRegion = element("div", { className: "lecture-python__live" }, [output]);
  outputRegion.setAttribute("aria-live", "polite");
  const editorHost = element("div", { className: "lecture-python__editor", hidden: true });
  const toolbar = element("div", { className: "lecture-python__toolbar" }, [run, stop, reset, note]);
  const cell = element("div", { className: "lecture-python" }, [editorHost, toolbar, outputRegion]);
  stop.disabled = true;
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  staticView.after(cell);
  return { run, stop, reset, note, output, editorHost, cell, staticView };
}

/** The cell's code: the static view (or the reader's saved code) until the reader edits,
 * then a CodeMirror editor; saved as the reader types, restored by Reset. */
function codeSource(root, parts, { original, store, python, onRun }) {
  const { staticView, editorHost, cell, reset } = parts;
  let editor = null;
  const saved = store.get("code");
  const savedView = element("pre", { className: "lecture-python__saved" }, [
    element("code", { textContent: saved ?? "" }),
  ]);
  if (saved !== undefined) staticView.replaceWith(savedView);
  const placeholder = editablePlaceholder(saved !== undefined ? savedView : staticView);
  const code = () => (editor ? editor.state.doc.toString() : (saved ?? original));
  let saveTimer = 0;
  const save = () => {
    clearTimeout(saveTimer);
    if (!editor) return;
    const text = editor.state.doc.toString();
    store.set("code", text === original ? undefined : text);
    reset.disabled = text === original;
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 300);
  };
  let upgrading = null;
  const upgrade = ({ focus = false } = {}) => {
    // Each cell builds its editor in an idle period of its own, unless the reader is waiting.
    upgrading ??= loadEditor()
      .then((cm) => (focus ? cm : new Promise((resolve) => idle(() => resolve(cm)))))
      .then((cm) => {
        if (!cell.isConnected || editor) return;
        editor = createEditor(cm, code(), { onRun, onChange: saveSoon });
        editorHost.append(editor.dom);
        editorHost.hidden = false;
        placeholder.hidden = true;
      });
    return upgrading.then(() => focus && editor?.focus());
  };
  wirePlaceholder(placeholder, { upgrade, onRun });
  const upgradeWhenIdle = () => saved !== undefined && python.state === "ready" && idle(() => upgrade());
  const offState = python.on("state", upgradeWhenIdle);
  upgradeWhenIdle();
  reset.disabled = code() === original;
  return {
    code,
    async restore() {
      await upgrade();
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: original } });
      const fromReset = document.activeElement === reset;
      save(); // disables Reset: the keyboard goes on in the editor, where Ctrl+Z undoes
      if (fromReset) editor.focus();
      parts.note.textContent = "Original code restored (Ctrl+Z undoes this).";
    },
    close() {
      offState();
      save();
      editor?.destroy();
      savedView.replaceWith(staticView);
      for (const attribute of ["tabindex", "title", "role", "aria-multiline", "aria-readonly", "aria-label", "hidden"])
        staticView.removeAttribute(attribute);
    },
  };
}

/** The code shown before the editor, announced as a read-only text box to edit. */
function editablePlaceholder(view) {
  view.tabIndex = 0;
  view.title = "Click to edit";
  view.setAttribute("role", "textbox");
  view.setAttribute("aria-multiline", "true");
  view.setAttribute("aria-readonly", "true");
  view.setAttribute("aria-label", "Python code (press Enter to edit)");
  return view;
}

/** Click, Enter or Space edits (the editor loads); Ctrl/Cmd+Enter runs. */
function wirePlaceholder(placeholder, { upgrade, onRun }) {
  const edit = (event) => {
    if (event.type === "keydown" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
      return;
    }
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    upgrade({ focus: true });
  };
  placeholder.addEventListener("click", edit);
  placeholder.addEventListener("keydown", edit);
  placeholder.addEventListener("pointerenter", () => loadEditor(), { once: true });
}

/** Streams into the output, keeping at most OUTPUT_LIMIT characters on screen. */
function outputWriter(output) {
  let shown = 0;
  return {
    clear() {
      output.replaceChildren();
      shown = 0;
      output.hidden = true;
    },
    write(stream, text) {
      output.hidden = false;
      const last = output.lastChild;
      if (last && last.dataset?.stream === stream) last.append(text);
      else {
        const span = element("span", { className: `lecture-python__${stream}` }, [text]);
        span.dataset.stream = stream;
        output.append(span);
      }
      shown += text.length;
      while (shown > OUTPUT_LIMIT && output.firstChild) {
        shown -= output.firstChild.textContent.length;
        output.firstChild.remove();
        if (!output.firstChild?.dataset?.trimmed) {
          const marker = element("span", {
            className: "lecture-python__note",
            textContent: "… earlier output trimmed\n",
          });
          marker.dataset.trimmed = "yes";
          output.prepend(marker);
        }
      }
    },
  };
}

/** Cells of this namespace above `root`, in page order. */
function earlierCells(root, options) {
  if (options.isolate) return [];
  const all = [...document.querySelectorAll('[data-lecture-widget="python"]')];
  return all.slice(0, all.indexOf(root)).filter((other) => cells.has(other.id) && !cells.get(other.id).isolate);
}

function cellNumber(node) {
  return [...document.querySelectorAll('[data-lecture-widget="python"]')].indexOf(node) + 1;
}

/** Run: rebuild the page's namespace if Python restarted since earlier cells ran, then run
 * this cell, streaming its output; Stop and errors end up in the note. */
function cellRunner(root, { options, python, parts, record, code }) {
  const { run, stop, note } = parts;
  const out = outputWriter(parts.output);
  const namespace = options.isolate ? `cell:${root.id}` : `page:${location.pathname}`;
  let running = false;
  const rerunStale = async () => {
    const stale = earlierCells(root, options).filter((other) => {
      const { ranIn } = cells.get(other.id);
      return ranIn && ranIn !== python.generation;
    });
    if (!stale.length) return false;
    note.textContent = `Python restarted, so cell${stale.length > 1 ? "s" : ""} ${stale.map(cellNumber).join(", ")} ran again to rebuild this page's variables.`;
    for (const other of stale) {
      await python.call("python.run", {
        code: cells.get(other.id).code(),
        namespace,
        filename: `<cell ${cellNumber(other)}>`,
      });
      cells.get(other.id).ranIn = python.generation;
    }
    return true;
  };
  const show = (result, reran) => {
    if (result.ok) {
      if (result.value !== null) out.write("value", `${result.value}\n`);
      if (!reran) note.textContent = "";
    } else {
      out.write("stderr", result.traceback);
      if (!reran) note.textContent = result.error === "KeyboardInterrupt" ? "Stopped." : "";
    }
  };
  return async function runCell() {
    if (running) return;
    running = true;
    const fromRun = document.activeElement === run; // disabling it drops focus to the page
    run.disabled = true;
    stop.disabled = false;
    out.clear();
    note.textContent = python.state === "ready" ? "Running…" : "Starting Python…";
    try {
      await python.ready();
      const reran = await rerunStale();
      if (!reran) note.textContent = "Running…";
      const generation = python.generation;
      const payload = { code: code(), namespace, filename: `<cell ${cellNumber(root)}>` };
      const result = await python.call("python.run", payload, { onStream: out.write });
      record.ranIn = generation;
      show(result, reran);
    } catch (error) {
      if (error.name === "StoppedError")
        note.textContent = "Stopped. Python is restarting; run the cell again when you are ready.";
      else {
        note.textContent = "";
        out.write("stderr", `${error.message}\n`);
      }
    } finally {
      // Focus goes back to Run if it was lost with a button disabled (Run, or Stop now).
      const active = document.activeElement;
      const refocus = active === stop || (fromRun && (active === run || active === document.body || !active));
      running = false;
      run.disabled = false;
      stop.disabled = true;
      if (refocus) run.focus();
    }
  };
}

/** For `mkdocs-lecture check`: Python answers in this cell's namespace machinery. */
export async function smoke(root, { python }) {
  const result = await python.call("python.run", { code: "1 + 1", namespace: "__check__" });
  if (result.value !== "2") throw new Error(`Python answered ${JSON.stringify(result)}`);
}
