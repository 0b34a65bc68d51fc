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
const RICH_WEIGHT = 1000; // what an image or a frame counts for against OUTPUT_LIMIT
// Cells mounted in this tab, by widget id: the Python generation each last ran in
// (0: never) and how to read its current code. Kept across instant navigation.
const cells = new Map();

export function mount(root, { options, constants, python, store }) {
  const record = cells.get(root.id) ?? { ranIn: 0 };
  cells.set(root.id, record);
  record.isolate = options.isolate;
  const parts = buildCell(root);
  const source = codeSource(root, parts, { original: options.code, store, python, onRun: () => runCell() });
  record.code = source.code;
  const runCell = cellRunner(root, { options, constants, python, parts, record, code: source.code });
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

/** Streams into the output, keeping at most OUTPUT_LIMIT characters on screen; rich
 * outputs on stdout (`marker`) become elements in place (each counts as RICH_WEIGHT: its
 * data is not text to lay out, and Python limits how much of it a run sends). */
function outputWriter(output, marker) {
  let shown = 0;
  const sizeOf = (node) => (node.dataset?.type ? RICH_WEIGHT : node.textContent.length);
  const add = (node) => {
    output.hidden = false;
    output.append(node);
    trim(RICH_WEIGHT);
  };
  const trim = (added) => {
    shown += added;
    while (shown > OUTPUT_LIMIT && output.firstChild) {
      shown -= sizeOf(output.firstChild);
      output.firstChild.remove();
      if (!output.firstChild?.dataset?.trimmed) {
        const note = element("span", { className: "lecture-python__note", textContent: "… earlier output trimmed\n" });
        note.dataset.trimmed = "yes";
        output.prepend(note);
      }
    }
  };
  const text = (stream, chunk) => {
    output.hidden = false;
    const last = output.lastChild;
    if (last && last.dataset?.stream === stream) last.append(chunk);
    else {
      const span = element("span", { className: `lecture-python__${stream}` }, [chunk]);
      span.dataset.stream = stream;
      output.append(span);
    }
    trim(chunk.length);
  };
  let stdout;
  const start = () =>
    (stdout = displaySplitter(marker, {
      text: (chunk) => text("stdout", chunk),
      rich: (json) => add(richOutput(json)),
      cut: () => text("note", "\n… output limit reached; the rest is not shown.\n"),
    }));
  start();
  return {
    clear() {
      output.replaceChildren();
      shown = 0;
      output.hidden = true;
      start();
    },
    write(stream, chunk) {
      if (stream === "stdout") stdout.write(chunk);
      else text(stream, chunk);
    },
    /** The call is over: what stdout held back is written. */
    finish: () => stdout.finish(),
  };
}

/** Splits stdout into text and rich outputs (`start`, JSON, `end`: outputs.py's), which
 * may arrive in pieces. Text is held back only when its end could begin a marker. */
function displaySplitter({ start, end }, { text, rich, cut }) {
  let held = "";
  const couldStart = (chunk) => {
    for (let n = Math.min(chunk.length, start.length - 1); n > 0; n--) if (start.startsWith(chunk.slice(-n))) return n;
    return 0;
  };
  return {
    write(chunk) {
      held += chunk;
      for (;;) {
        const at = held.indexOf(start);
        if (at < 0) {
          const keep = couldStart(held);
          if (held.length > keep) text(held.slice(0, held.length - keep));
          held = held.slice(held.length - keep);
          return;
        }
        if (at > 0) text(held.slice(0, at));
        const stop = held.indexOf(end, at + start.length);
        held = held.slice(at);
        if (stop < 0) return; // the rest of it is on its way
        rich(held.slice(start.length, stop - at));
        held = held.slice(stop - at + end.length);
      }
    },
    finish() {
      if (held.startsWith(start))
        cut(); // the worker's output limit cut it short
      else if (held) text(held);
      held = "";
    },
  };
}

/** A rich output (outputs.py's `{type, data, text}`) as an element: HTML in a sandboxed
 * frame, images from data: URLs, Markdown as its text (no Markdown renderer in the page). */
function richOutput(json) {
  let output;
  try {
    output = JSON.parse(json);
  } catch {
    return element("span", { className: "lecture-python__note", textContent: "(an output that could not be read)\n" });
  }
  const { type, data, text } = output ?? {};
  if (typeof type !== "string" || typeof data !== "string")
    return element("span", { className: "lecture-python__note", textContent: "(an output that could not be read)\n" });
  let content;
  if (type === "text/html") content = htmlFrame(data, text);
  else if (type.startsWith("image/")) content = image(type, data, text);
  else content = element("span", { className: "lecture-python__markdown", textContent: data });
  const node = element("span", { className: "lecture-python__display" }, [content]);
  node.dataset.type = type;
  return node;
}

/** HTML in a frame that runs nothing: sandboxed without allow-scripts (the HTML is also
 * inert already: outputs.py), given as `srcdoc` (a property: this page never parses it).
 * allow-same-origin only lets this page read the frame's height, to fit it. */
function htmlFrame(html, text) {
  const frame = element("iframe", { className: "lecture-python__html", title: `Output: ${text}`.slice(0, 200) });
  frame.setAttribute("sandbox", "allow-same-origin");
  frame.srcdoc = html;
  let width = 0;
  const fit = () => {
    const root = frame.contentDocument?.documentElement;
    if (root) frame.style.height = `${Math.ceil(root.getBoundingClientRect().height)}px`;
  };
  frame.addEventListener("load", fit);
  const resized = new ResizeObserver(([entry]) => {
    if (!frame.isConnected) return resized.disconnect(); // (the output was cleared)
    if (entry.contentRect.width === width) return; // (its own height changed: fit already)
    width = entry.contentRect.width;
    fit();
  });
  resized.observe(frame);
  return frame;
}

/** An image from a data: URL, which `img-src 'self' data:` allows; where a stricter policy
 * refuses it, a PNG or JPEG is decoded into a canvas instead (no img-src governs that). */
function image(type, data, text) {
  const img = element("img", { className: "lecture-python__image", alt: text, src: `data:${type};base64,${data}` });
  if (type !== "image/svg+xml")
    img.addEventListener("error", () => drawn(type, data, text).then((node) => img.replaceWith(node)), { once: true });
  return img;
}

async function drawn(type, data, text) {
  try {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type }));
    const canvas = element("canvas", {
      className: "lecture-python__image",
      width: bitmap.width,
      height: bitmap.height,
    });
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", text);
    return canvas;
  } catch {
    return element("span", {
      className: "lecture-python__note",
      textContent: `(an image that could not be shown) ${text}`,
    });
  }
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
function cellRunner(root, { options, constants, python, parts, record, code }) {
  const { run, stop, note } = parts;
  const out = outputWriter(parts.output, constants.display);
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
      out.finish();
      record.ranIn = generation;
      show(result, reran);
    } catch (error) {
      out.finish();
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
