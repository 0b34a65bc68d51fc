// The labeling game: the reader labels sentences; a Naive Bayes classifier, trained in
// Python on exactly those labels, is scored on held-out sentences after each one.
// Keys (with the game focused): ← or 1, → or 2 label; Backspace undoes; S skips.
// From Python (context.constants): `kinds` (what each bundled data set reviews),
// `next_domain` and `author_next_domain` (the data set of the cross-domain test).

import { button, download, element, role, svg } from "../../dom.js";

const FLIP = 0.2; // the share of the reader's labels the replay flips
const DONE = "You have labeled every sentence. Export your labels or reset.";

const percent = (value) => (value === null || value === undefined ? "–" : `${Math.round(value * 100)}%`);

/** "73% positive": the model's guess from P(positive). */
const guess = (p, [negative, positive]) => (p >= 0.5 ? `${percent(p)} ${positive}` : `${percent(1 - p)} ${negative}`);

/** What a data set's sentences are, for the reader: "<kind> reviews", or an author's set's name. */
const sentencesOf = (kinds, name) => (kinds[name] ? `${kinds[name]} reviews` : `${name} sentences`);

/** A polite live region (screen readers read its changes). */
function live(node) {
  node.setAttribute("aria-live", "polite");
  return node;
}

export function mount(root, { options, constants, python, store, whenVisible }) {
  const view = build(root, options, constants);
  view.staticView.after(view.game, view.error); // the error shows even when the game could not start
  const game = session(root, view, { options, python, store, kinds: constants.kinds });
  wireButtons(view.game, game);
  wireKeys(view.game, game, options.labels);
  wireTry(view, game);
  // Start when the game comes into view (or is touched): that boots Python if needed.
  whenVisible(game.begin);
  root.addEventListener("pointerdown", game.begin);
  return () => {
    root.removeEventListener("pointerdown", game.begin);
    view.game.remove();
    view.error.remove();
    view.staticView.hidden = false;
  };
}

// -- build: the game's elements, hidden until Python has started it ------------------------

function build(root, { labels, dataset }, constants) {
  const { node: playNode, ...play } = buildPlay(root, labels);
  const { node: resultsNode, ...results } = buildResults();
  const { node: moreNode, ...more } = buildMore(constants, typeof dataset === "string" ? dataset : dataset.name);
  const error = role(element("p", { className: "lecture-labeling__error", hidden: true }), "error");
  error.setAttribute("role", "alert");
  const game = element("div", { className: "lecture-labeling", hidden: true }, [
    playNode,
    resultsNode,
    moreNode,
    element("div", { className: "lecture-labeling__toolbar" }, [
      button("export", ["Export my labels (JSONL)"]),
      button("reset", ["Reset"], "Forget my labels and start again"),
    ]),
  ]);
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  return { ...play, ...results, ...more, game, error, staticView };
}

/** The sentence card, the label buttons, the model's guess and why. */
function buildPlay(root, [negative, positive]) {
  const sentence = live(role(element("p", { className: "lecture-labeling__card", tabIndex: 0 }), "sentence"));
  sentence.setAttribute("aria-describedby", `${root.id}-keys`);
  const withKey = (action, text, key) =>
    button(action, [element("span", { textContent: text }), element("kbd", { textContent: key })]);
  const labelButtons = [withKey("label", `← ${negative}`, "1"), withKey("label", `${positive} →`, "2")];
  labelButtons[0].dataset.label = negative;
  labelButtons[1].dataset.label = positive;
  const skipButton = withKey("skip", "Skip ", "S");
  const undoButton = withKey("undo", "Undo ", "⌫");
  const keys = element("p", {
    id: `${root.id}-keys`,
    className: "lecture-labeling__hint",
    textContent: `Keys: ← or 1 for ${negative}, → or 2 for ${positive}, Backspace to undo, S to skip.`,
  });
  const barNegative = element("span", { className: "lecture-labeling__bar-negative" });
  const barPositive = element("span", { className: "lecture-labeling__bar-positive" });
  const confidenceText = element("span", { className: "lecture-labeling__confidence-text" });
  const confidence = role(
    element("div", { className: "lecture-labeling__confidence" }, [
      element("span", { textContent: "The model's guess: " }),
      element("span", { className: "lecture-labeling__bar" }, [barNegative, barPositive]),
      confidenceText,
    ]),
    "confidence",
  );
  const why = role(element("p", { className: "lecture-labeling__why" }), "why");
  const node = element("div", { className: "lecture-labeling__play" }, [
    sentence,
    element("div", { className: "lecture-labeling__toolbar" }, [...labelButtons, skipButton, undoButton]),
    keys,
    confidence,
    why,
  ]);
  return { node, sentence, labelButtons, skipButton, undoButton, barNegative, barPositive, confidenceText, why };
}

/** The accuracy curve and the score line. */
function buildResults() {
  const curve = role(svg("svg", { viewBox: "0 0 360 180", role: "img", class: "lecture-labeling__curve" }), "curve");
  const score = live(role(element("p", { className: "lecture-labeling__score" }), "score"));
  return { node: element("div", { className: "lecture-labeling__results" }, [curve, score]), curve, score };
}

/** The reader's own sentence, and the two experiments (flipped labels, another domain). */
function buildMore({ kinds, next_domain: nextDomain, author_next_domain: authorNextDomain }, dataset) {
  const tryInput = element("input", {
    type: "text",
    className: "lecture-textarea lecture-labeling__try",
    placeholder: "Type a sentence of your own…",
  });
  tryInput.setAttribute("aria-label", "Your own sentence");
  const tryForm = element("form", { className: "lecture-labeling__try-form" }, [
    tryInput,
    Object.assign(button("try", ["Ask the model"]), { type: "submit" }),
  ]);
  const tryResult = live(role(element("p", { className: "lecture-labeling__result" }), "try-result"));
  const experiment = live(role(element("p", { className: "lecture-labeling__result" }), "experiment"));
  const other = nextDomain[dataset] ?? authorNextDomain;
  const node = element("div", { className: "lecture-labeling__more" }, [
    tryForm,
    tryResult,
    element("div", { className: "lecture-labeling__toolbar" }, [
      button("flip", [`Replay with ${FLIP * 100}% of my labels flipped`], "What careless labels cost"),
      button("transfer", [`Test on ${sentencesOf(kinds, other)}`], "Trained on one domain, tested on another"),
    ]),
    experiment,
  ]);
  return { node, tryForm, tryInput, tryResult, experiment };
}

// -- the game's session: calls to Python, and what each answer redraws ---------------------

function session(root, view, { options, python, store, kinds }) {
  const { game, error } = view;
  const { dataset, sampling, test_size, labels } = options;
  let snapshot = null; // the last one from Python
  let flipped = null; // the replay curve, drawn next to the reader's

  const fail = (message) => {
    error.hidden = false;
    error.textContent = message;
  };
  async function act(name, payload = {}) {
    if (game.dataset.busy) return null;
    game.dataset.busy = "true";
    error.hidden = true;
    try {
      return await python.call(`labeling.${name}`, { widget: root.id, ...payload });
    } catch (failure) {
      fail(failure.name === "StoppedError" ? "Python was restarted; your labels are safe." : failure.message);
      return null;
    } finally {
      delete game.dataset.busy;
    }
  }
  function show(next) {
    if (!next) return;
    snapshot = next;
    store.set("state", next.state);
    draw(view, next, flipped, labels);
  }
  const current = () => snapshot?.current;
  const labeled = () => snapshot?.state.events.length > 0;

  return {
    begin: async () => {
      if (snapshot || game.dataset.busy) return;
      const started = await act("start", { dataset, sampling, test_size, labels, saved: store.get("state") ?? null });
      if (!started) return;
      view.staticView.hidden = true;
      game.hidden = false;
      if (started.problem) fail(started.problem);
      show(started);
    },
    label: async (value) => {
      if (!current()) return;
      flipped = null;
      show(await act("label", { id: current().id, label: value }));
    },
    skip: async () => current() && show(await act("skip", { id: current().id })),
    undo: async () => labeled() && show(await act("undo")),
    flip: async () => {
      const replay = await act("replay_flipped", { fraction: FLIP });
      if (!replay) return;
      flipped = replay.accuracy;
      show(snapshot);
      view.experiment.textContent = flipText(replay);
    },
    transfer: async () => {
      const result = await act("transfer");
      if (result) view.experiment.textContent = transferText(result, kinds);
    },
    export: async () => {
      const file = await act("export");
      if (file) download(file.filename, file.text);
    },
    reset: async () => {
      if (labeled() && !confirm("Forget your labels and start again?")) return;
      flipped = null;
      view.experiment.textContent = "";
      show(await act("reset"));
    },
    ask: async (text) => {
      const result = await act("try_sentence", { text });
      if (!result) return;
      const verdict = element("strong", { textContent: guess(result.probabilities[labels[1]], labels) });
      view.tryResult.replaceChildren(verdict, ". ", ...reasons(result, labels[1]));
    },
  };
}

function flipText(replay) {
  if (!replay.flipped) return "Label a few sentences first: there is nothing to flip yet.";
  const [mine, theirs] = [replay.original.at(-1), replay.accuracy.at(-1)];
  return `With ${replay.flipped} of your ${replay.original.length - 1} labels flipped, the model scores ${percent(theirs)} instead of ${percent(mine)} (dashed line).`;
}

function transferText(result, kinds) {
  const [from, to] = [sentencesOf(kinds, result.from), sentencesOf(kinds, result.to)];
  return `Trained on your ${result.n_labels} labels of ${from}: ${percent(result.accuracy)} on ${to}, against ${percent(result.in_domain_accuracy)} on ${from}. Trained on all the ${from}, it would get ${percent(result.transfer_ceiling)} there.`;
}

// -- wire: buttons, keys, the reader's own sentence ----------------------------------------

function wireButtons(node, game) {
  node.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    const action = target?.dataset.action;
    if (action === "label") game.label(target.dataset.label);
    else if (["skip", "undo", "flip", "transfer", "export", "reset"].includes(action)) game[action]();
  });
}

function wireKeys(node, game, [negative, positive]) {
  const keys = { ArrowLeft: negative, 1: negative, ArrowRight: positive, 2: positive };
  node.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (Object.hasOwn(keys, key)) game.label(keys[key]);
    else if (key === "Backspace") game.undo();
    else if (key === "s" || key === "S") game.skip();
    else return;
    event.preventDefault();
  });
}

function wireTry({ tryForm, tryInput }, game) {
  tryForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = tryInput.value.trim();
    if (text) game.ask(text);
  });
}

// -- draw: a snapshot from Python ----------------------------------------------------------

function draw(view, snapshot, flipped, labels) {
  const { current, explain, metrics, history } = snapshot;
  view.sentence.textContent = current ? current.text : DONE;
  for (const control of [...view.labelButtons, view.skipButton]) control.disabled = !current;
  view.undoButton.disabled = snapshot.state.events.length === 0;
  // A focused button that is now disabled drops focus to the page: the card keeps the keys.
  if (document.activeElement?.disabled && view.game.contains(document.activeElement)) view.sentence.focus();
  const p = explain ? explain.probabilities[labels[1]] : 0.5;
  view.barNegative.style.width = `${(1 - p) * 100}%`;
  view.barPositive.style.width = `${p * 100}%`;
  view.confidenceText.textContent = guess(p, labels);
  view.why.replaceChildren(...reasons(explain, labels[1]));
  view.score.textContent = scoreText(metrics);
  drawCurve(view.curve, history, metrics, flipped, labels);
}

function scoreText(metrics) {
  const n = metrics.n_labels;
  const { rate, kappa } = metrics.agreement;
  const agreement =
    rate === null || rate === undefined
      ? ""
      : ` · your labels agree with the data set's on ${percent(rate)} (Cohen's κ ${kappa?.toFixed(2) ?? "–"})`;
  return `Accuracy on ${metrics.n_test} held-out sentences: ${percent(metrics.accuracy)} after ${n} label${n === 1 ? "" : "s"}${agreement}.`;
}

/** "Why": the words that pushed the guess, strongest first. */
function reasons(explain, positive) {
  if (!explain) return [];
  // Words of the sentence, and lexicon flags that fired (an absent flag explains little).
  const items = explain.contributions.filter(
    (item) => Math.abs(item.weight) > 0.05 && (item.kind === "word" || item.present),
  );
  if (!items.length) return [element("span", { textContent: "No word has taught the model anything yet." })];
  return [
    element("span", { textContent: "Pushed by: " }),
    ...items.map((item) => {
      const name = item.kind === "word" ? item.feature : item.description;
      const chip = element("span", {
        className: `lecture-labeling__chip lecture-labeling__chip--${item.toward === positive ? "positive" : "negative"}`,
        textContent: `${item.weight > 0 ? "+" : "−"} ${name}`,
      });
      chip.title = `towards ${item.toward} (${item.weight.toFixed(2)})`;
      return chip;
    }),
  ];
}

/** The held-out accuracy after each label, with the reference lines. */
function drawCurve(curve, history, metrics, flipped, [negative, positive]) {
  const width = 360;
  const height = 180;
  const left = 34;
  const bottom = 24;
  const top = 10;
  const right = 10;
  const n = Math.max(20, history.length - 1, flipped ? flipped.length - 1 : 0);
  const x = (i) => left + (i / n) * (width - left - right);
  const y = (accuracy) => top + (1 - (accuracy - 0.4) / 0.6) * (height - top - bottom);
  const children = [];
  for (const tick of [0.4, 0.6, 0.8, 1.0]) {
    children.push(svg("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: "grid" }));
    children.push(svg("text", { x: left - 4, y: y(tick) + 3, "text-anchor": "end" }, [`${tick * 100}%`]));
  }
  children.push(svg("text", { x: left, y: height - 6 }, ["0"]));
  children.push(svg("text", { x: width - right, y: height - 6, "text-anchor": "end" }, [`${n} labels`]));
  const reference = (value, label, kind) => {
    children.push(svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: kind }));
    children.push(
      svg("text", { x: width - right, y: y(value) - 3, "text-anchor": "end", class: kind }, [
        `${label} ${percent(value)}`,
      ]),
    );
  };
  reference(metrics.ceiling, "all labels", "ceiling");
  reference(metrics.baseline_lexicon, "word-list rule", "baseline");
  const line = (values, kind) =>
    svg("polyline", {
      points: values.map((accuracy, i) => `${x(i)},${y(Math.max(0.4, accuracy))}`).join(" "),
      class: kind,
    });
  if (flipped) children.push(line(flipped, "flipped"));
  const reader = history.map((point) => point.accuracy);
  children.push(line(reader, "reader"));
  for (const point of history.slice(1)) {
    const dot = svg(
      "circle",
      { cx: x(point.n), cy: y(Math.max(0.4, point.accuracy)), r: 3, class: point.agrees ? "agrees" : "disagrees" },
      [svg("title", {}, [`${point.n}: ${percent(point.accuracy)} (you said ${point.label})`])],
    );
    dot.dataset.point = String(point.n);
    children.push(dot);
  }
  curve.replaceChildren(...children);
  const last = history.at(-1);
  curve.setAttribute(
    "aria-label",
    `Held-out accuracy after each label: ${percent(history[0].accuracy)} with none, ${percent(last.accuracy)} after ${last.n}. Word-list rule ${percent(metrics.baseline_lexicon)}, all ${negative}/${positive} labels ${percent(metrics.ceiling)}.`,
  );
}

/** For `mkdocs-lecture check`: the game starts and its model answers. */
export async function smoke(root, { python }) {
  root.dispatchEvent(new PointerEvent("pointerdown")); // starts the game if it has not yet
  const sentence = root.querySelector("[data-role=sentence]");
  const error = root.querySelector("[data-role=error]");
  for (let waited = 0; !sentence.textContent; waited += 100) {
    if (error.textContent) throw new Error(error.textContent);
    if (waited > 60_000) throw new Error("the game did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await python.call("labeling.try_sentence", { widget: root.id, text: "a great film" });
}
