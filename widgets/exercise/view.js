// The exercise: the reader edits the starter code and presses Check (Ctrl/Cmd+Enter);
// Python runs it against the page's tests and says, per check, what passed and what did
// not (the reader's own values, a traceback of their code only). Hints one at a time; the
// solution as the author allows (after N attempts, on request, or never). Attempts, hints
// shown and the solved mark are saved; Stop ends a runaway attempt.
// The editor (editor.js) loads when the reader starts editing; until then the highlighted
// starter code stands in for it.

import { button, element, role } from "../../dom.js";
import { createEditor, loadEditor } from "../../editor.js";

export function mount(root, { options, python, store }) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const view = build(staticView);
  const state = { attempts: 0, hints: 0, solved: false, revealed: false, ...store.get("progress") };
  const source = codeSource(view, store.get("code") ?? options.starter, (code) =>
    store.set("code", code === options.starter ? undefined : code),
  );
  const save = () => store.set("progress", state);
  const show = () => showState(root, view, options, state);
  const check = async () => {
    if (view.check.disabled) return;
    setChecking(view, true);
    view.feedback.replaceChildren(element("p", { textContent: "Checking…" }));
    try {
      await python.ready();
      const result = await python.call("exercise.check", {
        code: source.code(),
        tests: options.tests,
        hidden_tests: options.hidden_tests,
      });
      state.attempts += 1;
      state.solved ||= result.passed;
      if (state.solved) store.set("solved", true); // (what the progress widget counts)
      showFeedback(view, result);
    } catch (error) {
      const stopped = error.name === "StoppedError";
      view.feedback.replaceChildren(
        element("p", { textContent: stopped ? "Stopped: this attempt did not finish." : error.message }),
      );
    } finally {
      setChecking(view, false);
      save();
      show();
    }
  };
  source.onRun = check;
  view.check.addEventListener("click", check);
  view.stop.addEventListener("click", () => python.stop());
  view.hint.addEventListener("click", () => {
    state.hints = Math.min(state.hints + 1, options.hints.length);
    save();
    show();
  });
  view.reveal.addEventListener("click", () => {
    state.revealed = true;
    save();
    show();
  });
  show();
  return () => {
    source.close();
    view.node.remove();
    staticView.hidden = false;
    delete root.dataset.solved;
  };
}

function build(staticView) {
  const check = button("check", "Check", "Run the checks (Ctrl+Enter)");
  const stop = button("stop", "Stop", "Stop this attempt");
  const hint = button("hint", "Hint");
  const reveal = button("reveal", "Show the solution");
  stop.disabled = true;
  const status = role(element("span", { className: "lecture-exercise__status" }), "status-line");
  const editorHost = element("div", { className: "lecture-exercise__editor", hidden: true });
  const feedback = role(element("div", { className: "lecture-exercise__feedback" }), "feedback");
  feedback.setAttribute("aria-live", "polite");
  const hints = element("ol", { className: "lecture-exercise__hints" });
  const solution = element("pre", { className: "lecture-exercise__solution", hidden: true });
  const node = element("div", { className: "lecture-exercise" }, [
    editorHost,
    element("div", { className: "lecture-exercise__toolbar" }, [check, stop, hint, reveal, status]),
    feedback,
    hints,
    solution,
  ]);
  staticView.after(node);
  const code = staticView.querySelector("pre") ?? staticView;
  return { node, check, stop, hint, reveal, status, editorHost, feedback, hints, solution, code };
}

/** The code: the highlighted starter (or the reader's saved code) until the reader edits,
 * then the editor; `save(code)` as the reader types. */
function codeSource(view, initial, save) {
  let editor = null;
  const placeholder = view.code;
  const original = placeholder.textContent;
  if (initial !== original.replace(/\n$/, "") && initial !== original) placeholder.textContent = initial;
  Object.assign(placeholder, { tabIndex: 0, title: "Click to edit" });
  placeholder.setAttribute("role", "textbox");
  placeholder.setAttribute("aria-readonly", "true");
  placeholder.setAttribute("aria-label", "Python code (press Enter to edit)");
  const source = {
    onRun: () => {},
    code: () => (editor ? editor.state.doc.toString() : initial),
    close() {
      editor?.destroy();
      placeholder.hidden = false;
      for (const attribute of ["tabindex", "title", "role", "aria-readonly", "aria-label"])
        placeholder.removeAttribute(attribute);
    },
  };
  const upgrade = async () => {
    const cm = await loadEditor();
    if (editor) return;
    editor = createEditor(cm, initial, {
      onRun: () => source.onRun(),
      onChange: () => save(editor.state.doc.toString()),
    });
    view.editorHost.append(editor.dom);
    view.editorHost.hidden = false;
    placeholder.hidden = true;
    editor.focus();
  };
  placeholder.addEventListener("click", upgrade);
  placeholder.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) source.onRun();
    else if (event.key === "Enter" || event.key === " ") upgrade();
    else return;
    event.preventDefault();
  });
  return source;
}

function setChecking(view, checking) {
  const focused = document.activeElement;
  view.check.disabled = checking;
  view.stop.disabled = !checking;
  if (checking && focused === view.check) view.stop.focus();
  if (!checking && focused === view.stop) view.check.focus();
}

function showFeedback(view, { passed, error, checks }) {
  const count = checks.filter((check) => check.passed).length;
  const summary = error
    ? "Your code stopped with an error before the checks:"
    : passed
      ? `Solved: all ${checks.length} checks pass.`
      : `${count} of ${checks.length} checks pass.`;
  const items = checks.map((check) =>
    element("li", { className: check.passed ? "lecture-exercise__pass" : "lecture-exercise__fail" }, [
      element("code", { textContent: check.name }),
      check.passed ? "" : element("pre", { textContent: check.message }),
    ]),
  );
  view.feedback.replaceChildren(
    element("p", { textContent: summary }),
    ...(error ? [element("pre", { textContent: error })] : []),
    ...(items.length ? [element("ul", {}, items)] : []),
  );
}

function showState(root, view, options, state) {
  if (state.solved) root.dataset.solved = "true";
  const reveal = options.reveal;
  const after = typeof reveal === "object" ? reveal.after : null;
  view.reveal.hidden = reveal === "never" || state.revealed;
  view.reveal.disabled = after !== null && state.attempts < after && !state.solved;
  view.reveal.title = view.reveal.disabled ? `After ${after} attempts` : "";
  view.hint.hidden = state.hints >= options.hints.length;
  view.hints.replaceChildren(
    ...options.hints.slice(0, state.hints).map((text) => element("li", { textContent: text })),
  );
  view.solution.hidden = !state.revealed;
  view.solution.textContent = options.solution;
  const parts = [`${state.attempts} attempt${state.attempts === 1 ? "" : "s"}`];
  if (state.solved) parts.unshift("Solved ✓");
  else if (view.reveal.disabled) parts.push(`the solution after ${after}`);
  view.status.textContent = parts.join(" · ");
}

/** For `mkdocs-lecture check`: the author's solution passes its tests in the browser. */
export async function smoke(root, { options, python }) {
  const payload = { code: options.solution, tests: options.tests, hidden_tests: options.hidden_tests };
  const result = await python.call("exercise.check", payload);
  if (!result.passed) throw new Error(`the solution fails: ${JSON.stringify(result).slice(0, 300)}`);
}
