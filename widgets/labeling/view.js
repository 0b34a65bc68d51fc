// The labeling game: the reader labels sentences; a Naive Bayes classifier, trained in
// Python on exactly those labels, is scored on held-out sentences after each one.
// Keys (with the game focused): ← or 1, → or 2 label; Backspace undoes; S skips.

import { button, element } from "../../dom.js";

const SVG = "http://www.w3.org/2000/svg";
const FLIP = 0.2;
const NAMES = { movies: "movie", products: "product", restaurants: "restaurant" };
const NEXT_DOMAIN = { movies: "products", products: "restaurants", restaurants: "movies" };

function svg(tag, attributes = {}, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const percent = (value) => (value == null ? "–" : `${Math.round(value * 100)}%`);

export function mount(root, { options, python, store }) {
  const [negative, positive] = options.labels;
  const staticView = root.querySelector(":scope > .lecture-widget__static");

  const sentence = element("p", { className: "lecture-labeling__card", tabIndex: 0 });
  sentence.dataset.role = "sentence";
  sentence.setAttribute("aria-live", "polite");
  sentence.setAttribute("aria-describedby", `${root.id}-keys`);
  const labelButtons = [
    button("label", [element("span", { textContent: `← ${negative}` }), element("kbd", { textContent: "1" })]),
    button("label", [element("span", { textContent: `${positive} →` }), element("kbd", { textContent: "2" })]),
  ];
  labelButtons[0].dataset.label = negative;
  labelButtons[1].dataset.label = positive;
  const skipButton = button("skip", [element("span", { textContent: "Skip " }), element("kbd", { textContent: "S" })]);
  const undoButton = button("undo", [element("span", { textContent: "Undo " }), element("kbd", { textContent: "⌫" })]);
  const keys = element("p", {
    id: `${root.id}-keys`,
    className: "lecture-labeling__hint",
    textContent: `Keys: ← or 1 for ${negative}, → or 2 for ${positive}, Backspace to undo, S to skip.`,
  });
  const barNegative = element("span", { className: "lecture-labeling__bar-negative" });
  const barPositive = element("span", { className: "lecture-labeling__bar-positive" });
  const confidenceText = element("span", { className: "lecture-labeling__confidence-text" });
  const confidence = element("div", { className: "lecture-labeling__confidence" }, [
    element("span", { textContent: "The model's guess: " }),
    element("span", { className: "lecture-labeling__bar" }, [barNegative, barPositive]),
    confidenceText,
  ]);
  confidence.dataset.role = "confidence";
  const why = element("p", { className: "lecture-labeling__why" });
  why.dataset.role = "why";

  const curve = svg("svg", { viewBox: "0 0 360 180", role: "img", class: "lecture-labeling__curve" });
  curve.dataset.role = "curve";
  const score = element("p", { className: "lecture-labeling__score" });
  score.dataset.role = "score";
  score.setAttribute("aria-live", "polite");

  const tryInput = element("input", { type: "text", className: "lecture-labeling__try", placeholder: "Type a sentence of your own…" });
  tryInput.setAttribute("aria-label", "Your own sentence");
  const tryResult = element("p", { className: "lecture-labeling__result" });
  tryResult.dataset.role = "try-result";
  tryResult.setAttribute("aria-live", "polite");
  const experiment = element("p", { className: "lecture-labeling__result" });
  experiment.dataset.role = "experiment";
  experiment.setAttribute("aria-live", "polite");
  const other = NEXT_DOMAIN[options.dataset];
  const more = element("div", { className: "lecture-labeling__more" }, [
    element("form", { className: "lecture-labeling__try-form" }, [tryInput, Object.assign(button("try", ["Ask the model"]), { type: "submit" })]),
    tryResult,
    element("div", { className: "lecture-labeling__toolbar" }, [
      button("flip", [`Replay with ${FLIP * 100}% of my labels flipped`], "What careless labels cost"),
      button("transfer", [`Test on ${NAMES[other]} reviews`], "Trained on one domain, tested on another"),
    ]),
    experiment,
  ]);
  const error = element("p", { className: "lecture-labeling__error", hidden: true });
  error.dataset.role = "error";
  error.setAttribute("role", "alert");
  const game = element("div", { className: "lecture-labeling", hidden: true }, [
    element("div", { className: "lecture-labeling__play" }, [
      sentence,
      element("div", { className: "lecture-labeling__toolbar" }, [...labelButtons, skipButton, undoButton]),
      keys,
      confidence,
      why,
    ]),
    element("div", { className: "lecture-labeling__results" }, [curve, score]),
    more,
    element("div", { className: "lecture-labeling__toolbar" }, [
      button("export", ["Export my labels (JSONL)"]),
      button("reset", ["Reset"], "Forget my labels and start again"),
    ]),
  ]);
  staticView.after(game, error); // the error shows even when the game could not start

  let state = null; // the last snapshot from Python
  let flipped = null; // the replay curve, drawn next to the reader's
  let busy = false;

  async function act(name, payload = {}) {
    if (busy) return null;
    busy = true;
    game.dataset.busy = "true";
    error.hidden = true;
    try {
      const result = await python.call(`labeling.${name}`, { widget: root.id, ...payload });
      return result;
    } catch (failure) {
      error.hidden = false;
      error.textContent = failure.name === "StoppedError" ? "Python was restarted; your labels are safe." : failure.message;
      return null;
    } finally {
      busy = false;
      delete game.dataset.busy;
    }
  }

  function show(snapshot) {
    if (!snapshot) return;
    state = snapshot;
    store.set("state", snapshot.state);
    const { current, explain, metrics, history } = snapshot;
    sentence.textContent = current ? current.text : "You have labeled every sentence. Export your labels or reset.";
    for (const control of [...labelButtons, skipButton]) control.disabled = !current;
    undoButton.disabled = snapshot.state.events.length === 0;
    // A focused button that is now disabled drops focus to the page: the card keeps the keys.
    if (document.activeElement?.disabled && game.contains(document.activeElement)) sentence.focus();
    const p = explain ? explain.probabilities[positive] : 0.5;
    barNegative.style.width = `${(1 - p) * 100}%`;
    barPositive.style.width = `${p * 100}%`;
    confidenceText.textContent = p >= 0.5 ? `${percent(p)} ${positive}` : `${percent(1 - p)} ${negative}`;
    why.replaceChildren(...reasons(explain, positive));
    const n = metrics.n_labels;
    const agreement = metrics.agreement.rate == null ? "" : ` · your labels agree with the data set's on ${percent(metrics.agreement.rate)} (Cohen's κ ${metrics.agreement.kappa?.toFixed(2) ?? "–"})`;
    score.textContent = `Accuracy on ${metrics.n_test} held-out sentences: ${percent(metrics.accuracy)} after ${n} label${n === 1 ? "" : "s"}${agreement}.`;
    draw(curve, history, metrics, flipped, { negative, positive });
  }

  async function begin() {
    if (state || busy) return;
    const snapshot = await act("start", {
      dataset: options.dataset,
      sampling: options.sampling,
      test_size: options.test_size,
      labels: options.labels,
      saved: store.get("state") ?? null,
    });
    if (!snapshot) return;
    staticView.hidden = true;
    game.hidden = false;
    if (snapshot.problem) {
      error.hidden = false;
      error.textContent = snapshot.problem;
    }
    show(snapshot);
  }

  async function labelAs(value) {
    if (!state?.current) return;
    flipped = null;
    show(await act("label", { id: state.current.id, label: value }));
  }
  const skip = async () => state?.current && show(await act("skip", { id: state.current.id }));
  const undo = async () => state?.state.events.length && show(await act("undo"));

  game.addEventListener("click", async (event) => {
    const target = event.target.closest("[data-action]");
    if (!target) return;
    const action = target.dataset.action;
    if (action === "label") labelAs(target.dataset.label);
    else if (action === "skip") skip();
    else if (action === "undo") undo();
    else if (action === "flip") {
      const replay = await act("replay_flipped", { fraction: FLIP });
      if (!replay) return;
      flipped = replay.accuracy;
      show(state);
      const [mine, theirs] = [replay.original.at(-1), replay.accuracy.at(-1)];
      experiment.textContent = replay.flipped
        ? `With ${replay.flipped} of your ${replay.original.length - 1} labels flipped, the model scores ${percent(theirs)} instead of ${percent(mine)} (dashed line).`
        : "Label a few sentences first: there is nothing to flip yet.";
    } else if (action === "transfer") {
      const result = await act("transfer");
      if (result)
        experiment.textContent = `Trained on your ${result.n_labels} ${NAMES[result.from]}-review labels: ${percent(result.accuracy)} on ${NAMES[result.to]} reviews, against ${percent(result.in_domain_accuracy)} on ${NAMES[result.from]} reviews. With every ${NAMES[result.from]} sentence labeled it would get ${percent(result.transfer_ceiling)} there.`;
    } else if (action === "export") {
      const file = await act("export");
      if (file) download(file.filename, file.text);
    } else if (action === "reset") {
      if (state?.state.events.length && !confirm("Forget your labels and start again?")) return;
      flipped = null;
      experiment.textContent = "";
      show(await act("reset"));
    }
  });

  game.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = tryInput.value.trim();
    if (!text) return;
    const result = await act("try_sentence", { text });
    if (!result) return;
    const p = result.probabilities[positive];
    tryResult.replaceChildren(
      element("strong", { textContent: p >= 0.5 ? `${percent(p)} ${positive}` : `${percent(1 - p)} ${negative}` }),
      ". ",
      ...reasons(result, positive),
    );
  });

  const onKey = (event) => {
    if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    const handled = { ArrowLeft: () => labelAs(negative), 1: () => labelAs(negative), ArrowRight: () => labelAs(positive), 2: () => labelAs(positive), Backspace: undo, s: skip, S: skip }[key];
    if (!handled) return;
    event.preventDefault();
    handled();
  };
  game.addEventListener("keydown", onKey);

  // Start when the game comes into view (or is touched): that boots Python if needed.
  const watcher = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && begin(), { rootMargin: "200px" });
  watcher.observe(root);
  root.addEventListener("pointerdown", begin);

  return () => {
    watcher.disconnect();
    root.removeEventListener("pointerdown", begin);
    game.remove();
    error.remove();
    staticView.hidden = false;
  };
}

/** "Why": the words that pushed the guess, strongest first. */
function reasons(explain, positive) {
  if (!explain) return [];
  // Words of the sentence, and lexicon flags that fired (an absent flag explains little).
  const items = explain.contributions.filter((item) => Math.abs(item.weight) > 0.05 && (item.kind === "word" || item.present));
  if (!items.length) return [element("span", { textContent: "No word has taught the model anything yet." })];
  return [
    element("span", { textContent: "Pushed by: " }),
    ...items.map((item) => {
      const name = item.kind === "word" ? item.feature : item.description;
      const chip = element("span", { className: `lecture-labeling__chip lecture-labeling__chip--${item.toward === positive ? "positive" : "negative"}`, textContent: `${item.weight > 0 ? "+" : "−"} ${name}` });
      chip.title = `towards ${item.toward} (${item.weight.toFixed(2)})`;
      return chip;
    }),
  ];
}

/** The held-out accuracy after each label, with the reference lines. */
function draw(curve, history, metrics, flipped, { negative, positive }) {
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
    children.push(svg("text", { x: width - right, y: y(value) - 3, "text-anchor": "end", class: kind }, [`${label} ${percent(value)}`]));
  };
  reference(metrics.ceiling, "all labels", "ceiling");
  reference(metrics.baseline_lexicon, "word-list rule", "baseline");
  const line = (values, kind) =>
    svg("polyline", { points: values.map((accuracy, i) => `${x(i)},${y(Math.max(0.4, accuracy))}`).join(" "), class: kind });
  if (flipped) children.push(line(flipped, "flipped"));
  children.push(line(history.map((point) => point.accuracy), "reader"));
  for (const point of history.slice(1)) {
    const dot = svg("circle", { cx: x(point.n), cy: y(Math.max(0.4, point.accuracy)), r: 3, class: point.agrees ? "agrees" : "disagrees" }, [
      svg("title", {}, [`${point.n}: ${percent(point.accuracy)} (you said ${point.label})`]),
    ]);
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

function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
  const link = element("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
