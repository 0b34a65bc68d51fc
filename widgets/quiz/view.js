// A quiz question: choices (radio buttons for one answer, checkboxes for several) or a
// typed prediction of a program's output; Check answer says whether it is right and
// shows each chosen choice's explanation. The answer is kept; no Python is needed.

import { button, element, role } from "../../dom.js";

export function mount(root, { options, store }) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const view = build(root.id, options, staticView);
  staticView.hidden = true;
  const saved = store.get("answer");
  if (saved) {
    restore(view, saved);
    show(root, view, options, saved);
  }
  const check = (event) => {
    event.preventDefault();
    const answer = { given: read(view), correct: false };
    answer.correct = isCorrect(options, answer.given);
    store.set("answer", answer);
    if (answer.correct) store.set("solved", true); // (what the progress widget counts)
    show(root, view, options, answer);
  };
  view.form.addEventListener("submit", check);
  return () => {
    view.form.remove();
    staticView.hidden = false;
    delete root.dataset.solved;
  };
}

function build(id, options, staticView) {
  const legend = element("legend", { className: "lecture-quiz__question", textContent: options.question });
  const code = staticView.querySelector(".highlight")?.cloneNode(true);
  const inputs = options.kind === "output" ? [outputInput(id)] : choiceInputs(id, options);
  const fieldset = element("fieldset", { className: "lecture-quiz__fieldset" }, [
    legend,
    ...(code ? [code] : []),
    ...inputs.map(({ label }) => label),
  ]);
  const check = button("check", "Check answer");
  check.type = "submit";
  const feedback = role(element("div", { className: "lecture-quiz__feedback" }), "feedback");
  feedback.setAttribute("aria-live", "polite");
  const form = element("form", { className: "lecture-quiz" }, [fieldset, element("p", {}, [check]), feedback]);
  staticView.after(form);
  return { form, inputs, feedback };
}

function choiceInputs(id, { kind, choices, shuffle }) {
  const order = choices.map((_, index) => index);
  if (shuffle) order.sort(() => Math.random() - 0.5);
  return order.map((index) => {
    const input = element("input", {
      type: kind === "single" ? "radio" : "checkbox",
      name: `${id}-choice`,
      value: index,
    });
    const label = element("label", { className: "lecture-quiz__choice" }, [input, ` ${choices[index].text}`]);
    label.dataset.choice = index;
    return { input, label };
  });
}

function outputInput(id) {
  const input = element("textarea", { className: "lecture-textarea", rows: 2, name: `${id}-output` });
  const label = element("label", { className: "lecture-quiz__output" }, ["What it prints: ", input]);
  return { input, label };
}

const read = (view) =>
  view.inputs[0].input.type === "textarea"
    ? view.inputs[0].input.value
    : view.inputs.filter(({ input }) => input.checked).map(({ input }) => Number(input.value));

const normal = (text) => text.trim().replace(/\s+/g, " ");

function isCorrect(options, given) {
  if (options.kind === "output") return normal(given) === normal(options.answer);
  const right = options.choices.flatMap((choice, index) => (choice.correct ? [index] : []));
  return right.length === given.length && right.every((index) => given.includes(index));
}

function restore(view, { given }) {
  if (typeof given === "string") view.inputs[0].input.value = given;
  else for (const { input } of view.inputs) input.checked = given.includes(Number(input.value));
}

function show(root, view, options, { given, correct }) {
  if (correct) root.dataset.solved = "true";
  const verdict = element("p", { textContent: correct ? "Correct." : "Not quite: try again." });
  const notes = [];
  if (options.kind === "output" && correct) notes.push(element("pre", { textContent: options.answer }));
  if (options.kind !== "output")
    for (const index of given)
      if (options.choices[index].explain)
        notes.push(element("p", { textContent: `${options.choices[index].text}: ${options.choices[index].explain}` }));
  if (correct && options.explain) notes.push(element("p", { textContent: options.explain }));
  view.feedback.replaceChildren(verdict, ...notes);
}
