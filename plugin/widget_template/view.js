// The WIDGET_NAME widget's view: a text field, and Python's answer below it.
// mount(root, context) builds the view and returns unmount(); context holds the fence's
// `options`, Python's `constants` (VIEW), `python`, the reader's saved `store`, the
// runtime's `status` line and `whenVisible(fn)`. Text goes in as text, never as HTML.
import { element, role } from "../../dom.js";

export function mount(root, { options, constants, python, store, whenVisible }) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const parts = build(constants, store.get("text") ?? options.text);
  root.append(parts.view);
  const update = () => answer(parts, python).then(() => (staticView.hidden = true)); // until then, the static view
  parts.input.addEventListener("input", () => {
    store.set("text", parts.input.value === options.text ? undefined : parts.input.value); // what the reader changed
    update();
  });
  whenVisible(update); // the first answer when the reader gets there
  return () => {
    parts.view.remove();
    staticView.hidden = false;
  };
}

function build(constants, text) {
  const input = element("input", {
    type: "text",
    className: "lecture-textarea",
    value: text,
    maxLength: constants.max_text,
  });
  input.setAttribute("aria-label", "A sentence");
  const output = role(element("p", { className: "lecture-WIDGET_NAME__output" }), "output");
  output.setAttribute("aria-live", "polite");
  const view = element("div", { className: "lecture-WIDGET_NAME" }, [input, output]);
  return { view, input, output };
}

async function answer({ input, output }, python) {
  const text = input.value;
  try {
    const result = await python.call("WIDGET_NAME.reverse", { text });
    if (input.value === text) output.textContent = result.text; // not an older answer
  } catch (error) {
    if (error.name !== "StoppedError") output.textContent = error.message;
  }
}

/** For `mkdocs-lecture check`: Python answers as expected. */
export async function smoke(root, { python }) {
  const result = await python.call("WIDGET_NAME.reverse", { text: "one two" });
  if (result.text !== "two one") throw new Error(`Python answered ${JSON.stringify(result)}`);
}
