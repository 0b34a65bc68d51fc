// The fine-tuning lab: Train / Stop / Reset a tiny language model on conversations, in
// the reader's browser; the loss curves (training, held-out) as it trains; the held-out
// prompts answered by the base and the tuned model side by side; the conversations,
// editable, as JSONL in and out (the chat widget's format).
// Python trains a slice of time per call: Stop is not asking for the next slice, so what
// was trained stays. The recipe (conversations, mask, steps) is saved; a reload retrains
// the same steps with the same seed, which gives the same model.
// From Python (context.constants): `masks`, `held_out`, `max_conversations`.

import { button, download, element, role, svg } from "../../dom.js";

const ANNOUNCE_EVERY = 3000; // ms between two progress announcements while training
const TEMPERATURES = [
  ["0", "greedy"],
  ["0.7", "temperature 0.7"],
  ["1", "temperature 1"],
];

export function mount(root, { options, constants, python, store, whenVisible }) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const view = build(root.id, options, constants);
  staticView.after(view.node, view.error);
  const lab = session(root, view, { options, constants, python, store, staticView });
  wire(view, lab);
  whenVisible(lab.begin);
  root.addEventListener("pointerdown", lab.begin);
  return () => {
    lab.stop();
    root.removeEventListener("pointerdown", lab.begin);
    view.node.remove();
    view.error.remove();
    staticView.hidden = false;
  };
}

// -- build ------------------------------------------------------------------------------

function build(id, options, constants) {
  const controls = buildControls(id, constants);
  const chart = buildChart();
  const compare = buildCompare(id);
  const data = buildData();
  const error = role(element("p", { className: "lecture-finetune__error", hidden: true }), "error");
  error.setAttribute("role", "alert");
  const node = element("div", { className: "lecture-finetune", hidden: true }, [
    controls.node,
    chart.node,
    compare.node,
    data.node,
  ]);
  return { node, error, controls, chart, compare, data };
}

function buildControls(id, constants) {
  const train = button("train", "Train");
  const stop = button("stop", "Stop");
  const reset = button("reset", "Reset to the base model");
  stop.disabled = true;
  const every = element("input", { type: "checkbox", id: `${id}-every-token` });
  every.dataset.role = "mask";
  const label = element("label", { htmlFor: every.id }, [
    `Loss on every token, not only on ${constants.masks[0].label.toLowerCase()}`,
  ]);
  const progress = role(element("p", { className: "lecture-finetune__progress" }), "progress");
  const announce = element("p", { className: "lecture-visually-hidden" });
  announce.setAttribute("aria-live", "polite");
  const notice = role(element("p", { className: "lecture-finetune__notice", hidden: true }), "notice");
  const node = element("div", { className: "lecture-finetune__controls" }, [
    element("div", { className: "lecture-finetune__buttons" }, [train, stop, reset]),
    element("p", { className: "lecture-finetune__mask" }, [every, " ", label]),
    progress,
    announce,
    notice,
  ]);
  return { node, train, stop, reset, every, progress, announce, notice };
}

function buildChart() {
  const steps = svg("polyline", { class: "lecture-finetune__step-line", fill: "none" });
  const train = svg("polyline", { class: "lecture-finetune__train-line", fill: "none" });
  const held = svg("polyline", { class: "lecture-finetune__held-line", fill: "none" });
  const top = svg("text", { x: 4, y: 12, class: "lecture-finetune__axis" });
  const right = svg("text", { x: 596, y: 196, "text-anchor": "end", class: "lecture-finetune__axis" });
  const plot = svg("svg", { viewBox: "0 0 600 200", class: "lecture-finetune__chart" }, [
    svg("line", { x1: 0, y1: 180, x2: 600, y2: 180, class: "lecture-finetune__axis-line" }),
    steps,
    train,
    held,
    top,
    right,
  ]);
  plot.setAttribute("role", "img");
  const legend = element("p", { className: "lecture-finetune__legend" }, [
    element("span", { className: "lecture-finetune__key lecture-finetune__key--train" }),
    " training loss (mean of the last epoch's steps; each step in light) ",
    element("span", { className: "lecture-finetune__key lecture-finetune__key--held" }),
    " held-out loss (answers to the held-out prompts)",
  ]);
  const node = role(element("figure", { className: "lecture-finetune__figure" }, [plot, legend]), "loss");
  return { node, plot, steps, train, held, top, right };
}

function buildCompare(id) {
  const temperature = element(
    "select",
    { id: `${id}-temperature` },
    TEMPERATURES.map(([value, text]) => element("option", { value, textContent: text })),
  );
  const resample = button("resample", "Sample again");
  const summary = element("p", { className: "lecture-finetune__summary" });
  const body = element("tbody");
  const table = element("table", { className: "lecture-finetune__table" }, [
    element("thead", {}, [
      element(
        "tr",
        {},
        ["Prompt", "Base model", "Fine-tuned"].map((text) => element("th", { scope: "col", textContent: text })),
      ),
    ]),
    body,
  ]);
  const prompt = element("input", { type: "text", className: "lecture-textarea", maxLength: 500, id: `${id}-prompt` });
  const ask = button("ask", "Ask both");
  const answer = role(element("div", { className: "lecture-finetune__answer" }), "answer");
  answer.setAttribute("aria-live", "polite");
  const node = role(
    element("section", { className: "lecture-finetune__compare" }, [
      element("p", {}, [
        element("label", { htmlFor: temperature.id, textContent: "Answers: " }),
        temperature,
        " ",
        resample,
      ]),
      summary,
      table,
      element("p", {}, [
        element("label", { htmlFor: prompt.id, textContent: "Your own question: " }),
        prompt,
        " ",
        ask,
      ]),
      answer,
    ]),
    "compare",
  );
  return { node, temperature, resample, summary, body, prompt, ask, answer };
}

function buildData() {
  const list = element("ol", { className: "lecture-finetune__conversations" });
  const add = button("add", "Add a conversation");
  const exportButton = button("export", "Export JSONL");
  const file = element("input", { type: "file", accept: ".jsonl,.json,.txt,application/jsonl" });
  file.setAttribute("aria-label", "Import a JSONL file");
  const paste = element("textarea", {
    className: "lecture-textarea",
    rows: 3,
    placeholder: '{"messages": [...]} per line',
  });
  paste.setAttribute("aria-label", "Paste JSONL");
  const importButton = button("import", "Import pasted JSONL");
  const message = role(element("p", { className: "lecture-finetune__data-message" }), "data-message");
  message.setAttribute("aria-live", "polite");
  const title = element("summary", { textContent: "The conversations it is fine-tuned on" });
  const node = element("details", { className: "lecture-finetune__data" }, [
    title,
    list,
    element("p", {}, [add, " ", exportButton]),
    element("p", {}, ["Import: ", file]),
    paste,
    element("p", {}, [importButton]),
    message,
  ]);
  return { node, title, list, add, exportButton, file, paste, importButton, message };
}

// -- the session: Python's run, the reader's recipe ------------------------------------

function session(root, view, { options, constants, python, store, staticView }) {
  const saved = store.get("recipe") ?? {};
  const lab = {
    conversations: saved.conversations ?? options.conversations,
    trainOn: saved.trainOn ?? options.train_on,
    saved: saved.steps ?? 0, // steps a reload retrains
    step: 0,
    stepsPerEpoch: 1,
    curves: { train: [], held: [] },
    running: false,
    edited: false,
    generation: -1,
    started: null, // the view, shown once the first run has begun
    run: null, // the run in Python
    restarting: false,
  };
  const call = (name, payload = {}) => python.call(`finetune.${name}`, { widget: root.id, ...payload });
  const fail = (error) => {
    if (error.name === "StoppedError") return;
    view.error.textContent = error.message;
    view.error.hidden = false;
  };
  const save = () =>
    store.set("recipe", {
      conversations: lab.conversations === options.conversations ? undefined : lab.conversations,
      trainOn: lab.trainOn,
      steps: lab.step,
    });

  /** A run in this worker from the base model, replaying `steps` (same seed, same model);
   * `begun()` once it exists, before the replay. */
  async function restart(steps, begun = () => {}) {
    lab.restarting = true;
    try {
      const result = await call("start", {
        conversations: lab.conversations,
        train_on: lab.trainOn,
        seed: options.seed,
      });
      if (!result.ok) throw new Error(result.error);
      Object.assign(lab, {
        step: 0,
        stepsPerEpoch: result.steps_per_epoch,
        generation: python.generation,
        edited: false,
      });
      lab.curves = { train: [], held: [[0, result.held_out]] };
      begun();
      if (steps) await trainUntil(steps, `Retraining the ${steps} steps you trained (same seed, same model)`);
    } finally {
      lab.restarting = false;
    }
  }

  async function trainUntil(until, doing = "Training") {
    let announced = 0;
    lab.running = true;
    setRunning(view, true);
    try {
      while (lab.running && lab.step < until) {
        const result = await call("train", { until_step: until });
        lab.step = result.step;
        lab.curves.train.push(...result.steps);
        lab.curves.held.push(...result.held_out);
        draw(view, lab, until);
        const line = progressLine(lab, result, until, doing);
        view.controls.progress.textContent = line;
        if (performance.now() - announced > ANNOUNCE_EVERY) {
          view.controls.announce.textContent = line;
          announced = performance.now();
        }
      }
    } finally {
      lab.running = false;
      setRunning(view, false);
      save();
    }
    view.controls.announce.textContent = view.controls.progress.textContent = stoppedLine(lab);
  }

  /** The run, begun (or begun again in a new worker: Python was restarted). */
  function ready() {
    if (!lab.restarting && lab.generation !== python.generation) lab.run = restart(lab.step || lab.saved);
    return lab.run;
  }

  /** A new run from the base model (`run`: the promise of it). */
  function fresh() {
    lab.run = restart(0);
    return lab.run;
  }

  return {
    get conversations() {
      return lab.conversations;
    },
    render: () => renderData(view, lab, constants),
    begin() {
      if (lab.started) return;
      renderData(view, lab, constants);
      view.controls.every.checked = lab.trainOn === "all";
      const show = () => {
        staticView.hidden = true;
        view.node.hidden = false;
        draw(view, lab, Math.max(lab.saved, options.epochs * lab.stepsPerEpoch));
      };
      lab.run = restart(lab.saved, show); // (a reload's replay shows its progress)
      lab.started = lab.run.then(compare).catch(fail);
      python.during(lab.started);
    },
    async train() {
      if (lab.running) return;
      view.error.hidden = true;
      try {
        await (lab.edited ? fresh() : ready());
        await python.during(trainUntil(lab.step + options.epochs * lab.stepsPerEpoch));
        await compare();
      } catch (error) {
        fail(error);
      }
    },
    stop() {
      lab.running = false;
    },
    async reset(reason = "") {
      lab.running = false;
      await lab.started?.catch(() => {});
      try {
        await python.during(fresh());
        save();
        draw(view, lab, options.epochs * lab.stepsPerEpoch);
        view.controls.progress.textContent = reason || "Back to the base model.";
        await compare();
      } catch (error) {
        fail(error);
      }
    },
    setMask(all) {
      lab.trainOn = all ? "all" : "assistant";
      this.reset(
        all
          ? "The loss now covers every token (the questions and the template too): training starts again from the base model."
          : "The loss covers what the assistant writes again: training starts again from the base model.",
      );
    },
    edit(conversations) {
      lab.conversations = conversations;
      lab.edited = true;
      save();
      renderTitle(view, lab);
      view.controls.progress.textContent =
        "Your edits take effect when you train: it starts again from the base model.";
    },
    compare,
    async ask() {
      const prompt = view.compare.prompt.value;
      try {
        await ready();
        const result = await call("ask", { prompt, temperature: temperature(view) });
        showAnswer(view, result);
      } catch (error) {
        fail(error);
      }
    },
    exportJsonl: () => python.call("finetune.export_jsonl", { conversations: lab.conversations }),
    importJsonl: (text) => python.call("finetune.import_jsonl", { text }),
  };

  async function compare() {
    await ready();
    const result = await call("compare", { temperature: temperature(view), seed: options.seed + lab.step });
    renderCompare(view, result, constants);
  }
}

const temperature = (view) => Number(view.compare.temperature.value);

/** Train or Stop enabled; the focus moves from the one disabled to the other. */
function setRunning(view, running) {
  const { train, stop, every } = view.controls;
  const [from, to] = running ? [train, stop] : [stop, train];
  const focused = document.activeElement === from;
  to.disabled = false;
  from.disabled = true;
  every.disabled = running;
  if (focused) to.focus();
}

function progressLine(lab, result, until, doing) {
  const last = lab.curves.train.at(-1)?.[1];
  const held = lab.curves.held.at(-1)?.[1];
  return (
    `${doing}: step ${lab.step} of ${until} (epoch ${result.epoch.toFixed(1)}), ` +
    `training loss ${last?.toFixed(2) ?? "–"}, held-out ${held?.toFixed(2) ?? "–"}, ` +
    `${Math.round(result.tokens_per_second)} tokens per second.`
  );
}

function stoppedLine(lab) {
  const held = lab.curves.held.at(-1)?.[1];
  return `Trained ${lab.step} steps; held-out loss ${held?.toFixed(2) ?? "–"}.`;
}

// -- draw ---------------------------------------------------------------------------------

function draw(view, lab, until) {
  const { train, held } = lab.curves;
  const width = Math.max(until, lab.step, 1);
  const highest = Math.max(1, ...train.map(([, loss]) => loss), ...held.map(([, loss]) => loss));
  const point = ([step, loss]) => `${((step / width) * 600).toFixed(1)},${(180 - (loss / highest) * 168).toFixed(1)}`;
  view.chart.steps.setAttribute("points", train.map(point).join(" "));
  view.chart.train.setAttribute("points", smooth(train, lab.stepsPerEpoch).map(point).join(" "));
  view.chart.held.setAttribute("points", held.map(point).join(" "));
  view.chart.top.textContent = `loss ${highest.toFixed(1)}`;
  view.chart.right.textContent = `step ${width}`;
  const last = held.at(-1);
  view.chart.plot.setAttribute(
    "aria-label",
    `Loss curves over ${lab.step} steps: held-out loss ${held[0]?.[1]?.toFixed(2) ?? "–"} at the start, ${last?.[1]?.toFixed(2) ?? "–"} now.`,
  );
}

/** Each step's loss averaged with the steps before it, up to `span` of them (an epoch:
 * every conversation once, so the curve does not jump with each conversation). */
function smooth(points, span) {
  let sum = 0;
  return points.map(([step, loss], index) => {
    sum += loss - (index >= span ? points[index - span][1] : 0);
    return [step, sum / Math.min(index + 1, span)];
  });
}

function renderCompare(view, { rows, base_format, tuned_format, step }, constants) {
  view.compare.summary.textContent =
    `In the assistant's format (its turn ended, no question, nothing else begun): base model ${base_format} of ` +
    `${constants.held_out}, fine-tuned (step ${step}) ${tuned_format} of ${constants.held_out}.`;
  view.compare.body.replaceChildren(
    ...rows.map((row) =>
      element("tr", { className: `lecture-finetune__row--${row.shows}` }, [
        element("th", { scope: "row" }, [row.prompt, ...tag(row.shows)]),
        answerCell(row.base),
        answerCell(row.tuned),
      ]),
    ),
  );
}

const TAGS = { identity: "identity: only fine-tuning can give it", hallucination: "not in the pretraining text" };

function tag(shows) {
  return TAGS[shows] ? [element("small", { className: "lecture-finetune__tag", textContent: TAGS[shows] })] : [];
}

function answerCell(answer) {
  const cell = element("td", {
    className: answer.format ? "lecture-finetune__answered" : "lecture-finetune__continued",
  });
  cell.append(answer.text || "(nothing)", answer.ended ? "" : " …");
  cell.title = answer.format ? "Answered in the assistant's format" : "Not an answer in the assistant's format";
  return cell;
}

function showAnswer(view, result) {
  if (!result.ok) {
    view.compare.answer.textContent = result.error;
    return;
  }
  view.compare.answer.replaceChildren(
    element("p", {}, [
      element("strong", { textContent: "Base model: " }),
      result.base.text + (result.base.ended ? "" : " …"),
    ]),
    element("p", {}, [
      element("strong", { textContent: "Fine-tuned: " }),
      result.tuned.text + (result.tuned.ended ? "" : " …"),
    ]),
  );
}

// -- the conversations ---------------------------------------------------------------------

function renderTitle(view, lab) {
  view.data.title.textContent = `The ${lab.conversations.length} conversations it is fine-tuned on`;
}

function renderData(view, lab, constants) {
  renderTitle(view, lab);
  view.data.list.replaceChildren(
    ...lab.conversations.map((conversation, index) => conversationItem(conversation, index)),
  );
  view.data.add.disabled = lab.conversations.length >= constants.max_conversations;
}

function conversationItem(conversation, index) {
  const fields = conversation.messages.map((message, turn) => {
    const input = element("textarea", { className: "lecture-textarea", rows: 1, value: message.content });
    input.dataset.turn = turn;
    input.setAttribute("aria-label", `Conversation ${index + 1}, ${message.role}`);
    return element("label", { className: `lecture-finetune__turn lecture-finetune__turn--${message.role}` }, [
      element("span", { textContent: message.role }),
      input,
    ]);
  });
  const remove = button("remove", "Remove");
  remove.setAttribute("aria-label", `Remove conversation ${index + 1}`);
  const item = element("li", {}, [...fields, remove]);
  item.dataset.index = index;
  return item;
}

// -- wire ----------------------------------------------------------------------------------

function wire(view, lab) {
  const { controls, compare } = view;
  controls.train.addEventListener("click", () => lab.train());
  controls.stop.addEventListener("click", () => lab.stop());
  controls.reset.addEventListener("click", () => lab.reset());
  controls.every.addEventListener("change", () => lab.setMask(controls.every.checked));
  compare.temperature.addEventListener("change", () => lab.compare());
  compare.resample.addEventListener("click", () => lab.compare());
  compare.ask.addEventListener("click", () => lab.ask());
  compare.prompt.addEventListener("keydown", (event) => event.key === "Enter" && lab.ask());
  wireData(view, lab);
}

function wireData(view, lab) {
  const { data } = view;
  const edit = (change) => {
    const conversations = structuredClone(lab.conversations);
    change(conversations);
    lab.edit(conversations);
  };
  const take = (result, what) => {
    if (!result.ok) {
      data.message.textContent = result.error;
      return;
    }
    lab.edit(result.conversations);
    lab.render();
    data.message.textContent = `${what}: ${result.conversations.length} conversations.`;
  };
  data.list.addEventListener("input", ({ target }) => {
    const item = target.closest("li");
    if (item && target.dataset.turn)
      edit((all) => (all[item.dataset.index].messages[target.dataset.turn].content = target.value));
  });
  data.list.addEventListener("click", ({ target }) => {
    if (target.dataset.action !== "remove" || lab.conversations.length <= 1) return;
    edit((all) => all.splice(Number(target.closest("li").dataset.index), 1));
    lab.render();
  });
  data.add.addEventListener("click", () => {
    edit((all) =>
      all.push({
        messages: [
          { role: "user", content: "" },
          { role: "assistant", content: "" },
        ],
      }),
    );
    lab.render();
    data.list.lastElementChild?.querySelector("textarea")?.focus();
  });
  data.exportButton.addEventListener("click", async () => {
    const result = await lab.exportJsonl();
    if (result.ok) download("conversations.jsonl", result.text);
    data.message.textContent = result.ok ? "Exported conversations.jsonl." : result.error;
  });
  data.file.addEventListener("change", async () => {
    const file = data.file.files?.[0];
    if (file) take(await lab.importJsonl(await file.text()), `Imported ${file.name}`);
    data.file.value = "";
  });
  data.importButton.addEventListener("click", async () => take(await lab.importJsonl(data.paste.value), "Imported"));
}

/** For `mkdocs-lecture check`: a run starts, one step trains, both models answer. */
export async function smoke(root, { options, python }) {
  const call = (name, payload) => python.call(`finetune.${name}`, { widget: `${root.id}-smoke`, ...payload });
  const started = await call("start", { conversations: options.conversations, train_on: options.train_on });
  if (!started.ok) throw new Error(started.error);
  const trained = await call("train", { until_step: 1 });
  if (trained.step !== 1 || !(trained.steps[0][1] > 0)) throw new Error(`training answered ${JSON.stringify(trained)}`);
  const compared = await call("compare", {});
  if (compared.rows.length !== started.held_out_prompts) throw new Error("the comparison has the wrong rows");
}
