// The tokenizer: the reader edits a text and sees, for each encoding side by side, its
// tokens as colored chips (grouped into whole characters), their ids, the token count and
// characters per token. Clicking a token (or Enter on it) shows how byte-pair encoding
// merged its piece, step by step. Python (lecture_widgets.tokenizer.calls) does the
// tokenizing; this file only draws, with the same elements and classes as the static view.
// The models, markers, labels, limits and presets come from Python (`context.constants`,
// the package's VIEW).
//
// Typing never waits: one call is in flight at a time, the latest text goes next, and
// answers for older texts are dropped. Only the chips that changed are replaced.

import { button, element, role } from "../../dom.js";

const HINT = "Point at or focus a token for its id and bytes; click it for its merges.";
const STALE_AFTER = 150; // ms before chips that lag behind the text are dimmed
const REDRAW_AFTER = 250; // ms without a drawing after which an older text's answer is drawn
const ANNOUNCE_AFTER = 600; // ms of quiet before the counts are announced

const thousands = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ","); // as Python's f"{n:,}"
const plural = (n, word) => `${thousands(n)} ${word}${n === 1 ? "" : "s"}`;

/** The markers in use: all of them with `whitespace` on, else newlines only (a chip holding
 *  only a newline would otherwise look empty). */
function activeMarkers(markers, whitespace) {
  return whitespace ? markers : { "\n": markers["\n"] };
}

/** `text` appended to `node` as text and marker spans (`marks`: character → marker). */
function appendMarked(node, text, marks) {
  let run = "";
  for (const char of text) {
    const marker = Object.hasOwn(marks, char) ? marks[char] : undefined;
    if (marker === undefined) {
      run += char;
      continue;
    }
    if (run) node.append(run);
    run = "";
    node.append(element("span", { className: "lecture-tok__ws", textContent: marker }));
  }
  if (run) node.append(run);
  return node;
}

const marked = (text, marks) => appendMarked(element("span"), text, marks).textContent;

/** One chip: the group's characters over its id, or over its byte pieces when a
 *  character is cut between tokens. Same markup as the static view (static.py). */
function chip(group, marks) {
  const node = element(
    "span",
    { className: group.parts ? "lecture-tok lecture-tok--split" : "lecture-tok", tabIndex: -1 },
    [appendMarked(element("span", { className: "lecture-tok__text" }), group.text, marks)],
  );
  node.setAttribute("role", "button");
  if (group.parts) {
    const parts = group.parts.map((part) =>
      element("span", { className: "lecture-tok__part" }, [
        element("span", { className: "lecture-tok__hex", textContent: part.hex }),
        element("span", { className: "lecture-tok__id", textContent: String(part.id) }),
      ]),
    );
    node.append(element("span", { className: "lecture-tok__parts" }, parts));
  } else node.append(element("span", { className: "lecture-tok__id", textContent: String(group.ids[0]) }));
  return node;
}

export function mount(root, { options, constants, python, whenVisible }) {
  const w = build(root, options, constants);
  w.python = python;
  wireControls(w);
  for (const panel of w.panels) wirePanel(w, panel);
  wireMerges(w);
  markStale(w);

  // start when the widget comes into view, when the reader touches it, or once Python is
  // ready anyway (the rank file is small next to Python itself)
  const start = () => w.shown === null && !w.pending && request(w);
  whenVisible(start);
  w.view.addEventListener("focusin", start);
  const offState = python.on("state", (state) => state === "ready" && start());
  if (python.state === "ready") start();

  return () => {
    offState();
    clearTimeout(w.announceTimer);
    clearTimeout(w.staleTimer);
    w.staticView.hidden = false;
    w.staticView.removeAttribute("data-stale");
    if (w.staticTokenizer) w.staticTokenizer.dataset.show = options.show;
    w.view.replaceWith(w.staticView);
  };
}

// -- building: the view's elements and its state, put before the static view

/** The live view, in place; returns the widget's elements and state (`w`). */
function build(root, options, constants) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const w = {
    root,
    options,
    constants,
    marks: activeMarkers(constants.markers, options.whitespace),
    staticView,
    // the static chips stay in view until Python's first answer; they follow the mode too
    staticTokenizer: staticView.querySelector(".lecture-tokenizer"),
    presets: options.presets ? [{ label: "Original", text: options.text }, ...constants.presets] : [],
    pending: false, // a tokenize call is in flight
    shown: null, // the text the chips show (null: the static view is showing)
    lastDraw: 0,
    announceTimer: 0,
    staleTimer: 0,
    mergesFor: null, // the chip whose merges are shown
  };
  const controls = buildControls(w);
  w.panels = options.encodings.map((name) => buildPanel(w, name));
  w.mergesBox = role(element("section", { className: "lecture-tokenizer__merges", hidden: true }), "merges");
  w.error = role(element("p", { className: "lecture-tokenizer__error", hidden: true }), "error");
  w.error.setAttribute("role", "alert");
  w.announcer = role(element("p", { className: "lecture-tokenizer__sr" }), "announce");
  w.announcer.setAttribute("aria-live", "polite");
  w.live = element(
    "div",
    { className: "lecture-tokenizer__panels", hidden: true },
    w.panels.map((panel) => panel.section),
  );
  w.view = element("div", { className: "lecture-tokenizer lecture-tokenizer--live" }, [
    controls,
    w.live,
    w.mergesBox,
    w.error,
    w.announcer,
  ]);
  w.view.dataset.show = options.show;
  staticView.before(w.view);
  w.live.before(staticView);
  return w;
}

/** The text box, the preset buttons, the switch of what the chips show. */
function buildControls(w) {
  const { options, constants, root } = w;
  w.input = role(
    element("textarea", {
      className: "lecture-textarea lecture-tokenizer__input",
      value: options.text,
      rows: 3,
      maxLength: constants.max_input,
      spellcheck: false,
    }),
    "input",
  );
  w.input.setAttribute("aria-label", "Text to tokenize");
  w.input.setAttribute("autocomplete", "off");
  w.presetButtons = w.presets.map(({ label }) => button("preset", label));
  const presetBar = element("div", { className: "lecture-tokenizer__presets" }, w.presetButtons);
  presetBar.setAttribute("role", "group");
  presetBar.setAttribute("aria-label", "Example texts");
  const choices = Object.entries(constants.show);
  w.radios = choices.map(([value]) =>
    element("input", { type: "radio", name: `${root.id}-show`, value, checked: value === options.show }),
  );
  const showGroup = element(
    "div",
    { className: "lecture-tokenizer__show" },
    choices.map(([, label], i) => element("label", {}, [w.radios[i], element("span", { textContent: label })])),
  );
  showGroup.setAttribute("role", "radiogroup");
  showGroup.setAttribute("aria-label", "Chips show");
  return element("div", { className: "lecture-tokenizer__controls" }, [
    w.input,
    element("div", { className: "lecture-tokenizer__bar" }, [presetBar, showGroup]),
  ]);
}

/** One encoding's panel: heading, chips, ids, the detail line, the truncation note. */
function buildPanel(w, name) {
  const { constants, root } = w;
  const count = role(element("span", { className: "lecture-tokenizer__count" }), "count");
  const ratio = role(element("span", { className: "lecture-tokenizer__ratio" }), "ratio");
  const tokens = role(element("div", { className: "lecture-tokenizer__tokens" }), "tokens");
  tokens.setAttribute("role", "group");
  tokens.setAttribute("aria-label", `Tokens of ${name}: arrow keys move, Enter shows how a token was merged`);
  const ids = role(element("p", { className: "lecture-tokenizer__ids" }), "ids");
  const detail = role(
    element("p", { className: "lecture-tokenizer__detail", id: `${root.id}-${name}-detail`, textContent: HINT }),
    "detail",
  );
  const note = role(element("p", { className: "lecture-tokenizer__note" }), "note");
  const section = element("section", { className: "lecture-tokenizer__panel" }, [
    element("p", { className: "lecture-tokenizer__head" }, [
      element("strong", { className: "lecture-tokenizer__name", textContent: name }),
      element("span", { className: "lecture-tokenizer__model", textContent: constants.models[name] }),
      count,
      ratio,
    ]),
    tokens,
    element("div", { className: "lecture-tokenizer__idsrow" }, [
      element("span", { className: "lecture-tokenizer__label", textContent: constants.labels.ids }),
      ids,
    ]),
    detail,
    note,
  ]);
  section.dataset.encoding = name;
  return {
    name,
    section,
    count,
    ratio,
    tokens,
    ids,
    detail,
    note,
    groups: [],
    keys: [],
    chips: [],
    idSpans: [],
    total: 0,
    active: -1,
  };
}

// -- wiring: the reader's input

function wireControls(w) {
  w.input.addEventListener("input", () => edited(w));
  w.presetButtons.forEach((node, i) =>
    node.addEventListener("click", () => {
      w.input.value = w.presets[i].text;
      edited(w);
    }),
  );
  for (const radio of w.radios) radio.addEventListener("change", () => setShow(w, radio.value));
}

function setShow(w, value) {
  w.view.dataset.show = value;
  if (w.staticTokenizer) w.staticTokenizer.dataset.show = value;
}

/** Pointer, focus, click and keys on a panel's chips and ids. */
function wirePanel(w, panel) {
  const { tokens, ids } = panel;
  const indexOfChip = (target) => panel.chips.indexOf(target?.closest?.(".lecture-tok"));
  tokens.addEventListener("pointerover", (event) => activate(w, panel, indexOfChip(event.target)));
  tokens.addEventListener("pointerleave", () => activate(w, panel, indexOfChip(document.activeElement)));
  tokens.addEventListener("focusin", (event) => activate(w, panel, indexOfChip(event.target), true));
  tokens.addEventListener("focusout", (event) => tokens.contains(event.relatedTarget) || activate(w, panel, -1));
  ids.addEventListener("pointerover", (event) => activate(w, panel, panel.idSpans.indexOf(event.target)));
  ids.addEventListener("pointerleave", () => activate(w, panel, -1));
  tokens.addEventListener("click", (event) => {
    const index = indexOfChip(event.target);
    if (index >= 0) showMerges(w, panel, index);
  });
  tokens.addEventListener("keydown", (event) => {
    const index = indexOfChip(event.target);
    if (index < 0) return;
    const last = panel.chips.length - 1;
    const to = {
      ArrowRight: index + 1,
      ArrowDown: index + 1,
      ArrowLeft: index - 1,
      ArrowUp: index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (to !== undefined) {
      event.preventDefault();
      focusChip(panel, Math.max(0, Math.min(last, to)));
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      showMerges(w, panel, index);
    }
  });
}

/** Escape closes the merges, from the box or from the chips. */
function wireMerges(w) {
  w.mergesBox.addEventListener("keydown", (event) => event.key === "Escape" && closeMerges(w));
  w.view.addEventListener(
    "keydown",
    (event) =>
      event.key === "Escape" &&
      !w.mergesBox.hidden &&
      event.target.closest(".lecture-tokenizer__tokens") &&
      closeMerges(w),
  );
}

function edited(w) {
  markStale(w);
  request(w);
}

/** Chips that lag behind the text are dimmed, but only if the answer is slow in coming
 *  (restyling them on every keystroke would cost a repaint per key); the preset of the
 *  text is pressed. */
function markStale(w) {
  const { input } = w;
  const stale = input.value !== (w.shown ?? w.options.text);
  const chips = w.shown === null ? w.staticView : w.live;
  clearTimeout(w.staleTimer);
  if (!stale) chips.removeAttribute("data-stale");
  else if (!chips.hasAttribute("data-stale"))
    w.staleTimer = setTimeout(() => chips.setAttribute("data-stale", ""), STALE_AFTER);
  for (const [i, node] of w.presetButtons.entries()) {
    const pressed = String(input.value === w.presets[i].text);
    if (node.getAttribute("aria-pressed") !== pressed) node.setAttribute("aria-pressed", pressed);
  }
}

// -- asking Python: one call at a time, always for the latest text

function request(w) {
  if (w.pending) return; // the answer's handler asks again with the latest text
  const text = w.input.value;
  w.pending = true;
  w.python.call("tokenizer.tokenize", { text, encodings: w.options.encodings }).then(
    (result) => {
      w.pending = false;
      const current = text === w.input.value;
      // an older text's answer is drawn only if the reader has seen nothing for a while
      if (current || performance.now() - w.lastDraw > REDRAW_AFTER) draw(w, text, result);
      if (!current) request(w);
    },
    (failure) => {
      w.pending = false;
      if (failure.name === "StoppedError") {
        request(w); // Python was restarted (another widget's Stop): ask the new one
        return;
      }
      showError(w, `The tokenizer could not run: ${failure.message}`);
    },
  );
}

function showError(w, message) {
  w.error.hidden = false;
  w.error.textContent = message;
}

// -- drawing the answer

function draw(w, text, result) {
  w.lastDraw = performance.now();
  w.error.hidden = true;
  if (w.shown === null) {
    w.staticView.hidden = true;
    w.live.hidden = false;
  }
  w.shown = text;
  markStale(w);
  result.encodings.forEach((entry, i) => drawPanel(w, w.panels[i], entry));
  clearTimeout(w.announceTimer);
  w.announceTimer = setTimeout(() => {
    w.announcer.textContent = result.encodings
      .map((entry) => `${entry.name}: ${plural(entry.count, "token")}`)
      .join("; ");
  }, ANNOUNCE_AFTER);
}

/** A panel for a new answer: its chips and ids, count, ratio and note. */
function drawPanel(w, panel, entry) {
  const groups = [];
  entry.pieces.forEach((piece, p) => {
    for (const group of piece) {
      group.piece = p;
      groups.push(group);
    }
  });
  const changed = replaceChips(w, panel, groups);
  panel.total = entry.count;
  if (panel.active >= panel.chips.length || changed) activate(w, panel, -1);
  if (!panel.chips.some((node) => node.tabIndex === 0) && panel.chips.length) panel.chips[0].tabIndex = 0;
  const { labels } = w.constants;
  panel.count.textContent = plural(entry.count, "token");
  panel.ratio.textContent = entry.per_token === null ? "" : `${entry.per_token.toFixed(1)} ${labels.per_token}`;
  const shownTokens = groups.reduce((n, group) => n + group.ids.length, 0);
  panel.note.textContent = entry.truncated ? `${labels.truncated} ${plural(shownTokens, "token")}.` : "";
}

/** Replace only the chips (and ids) between the unchanged start and end of the token list;
 *  true if any chip was removed or added. */
function replaceChips(w, panel, groups) {
  const keys = groups.map((group) => group.ids.join(" "));
  const old = panel.keys;
  const shortest = Math.min(old.length, keys.length);
  let start = 0;
  while (start < shortest && old[start] === keys[start]) start++;
  let end = 0;
  while (end < shortest - start && old[old.length - 1 - end] === keys[keys.length - 1 - end]) end++;

  const removedChips = panel.chips.slice(start, old.length - end);
  const removedIds = panel.idSpans.slice(start, old.length - end);
  const anchorChip = panel.chips[old.length - end] ?? null;
  const anchorId = panel.idSpans[old.length - end] ?? null;
  for (const node of removedChips) {
    if (node.nextElementSibling?.tagName === "BR") node.nextElementSibling.remove();
    node.remove();
  }
  for (const node of removedIds) node.remove();
  const chips = [];
  const idSpans = [];
  const chipFragment = document.createDocumentFragment();
  const idFragment = document.createDocumentFragment();
  for (const group of groups.slice(start, keys.length - end)) {
    const node = chip(group, w.marks);
    chips.push(node);
    chipFragment.append(node);
    if (group.text.includes("\n")) chipFragment.append(element("br"));
    const span = element("span", { textContent: `${group.ids.join(" ")} ` });
    idSpans.push(span);
    idFragment.append(span);
  }
  panel.tokens.insertBefore(chipFragment, anchorChip);
  panel.ids.insertBefore(idFragment, anchorId);
  panel.chips.splice(start, removedChips.length, ...chips);
  panel.idSpans.splice(start, removedIds.length, ...idSpans);
  panel.groups = groups;
  panel.keys = keys;
  return removedChips.length > 0 || chips.length > 0;
}

function focusChip(panel, index) {
  for (const node of panel.chips) if (node.tabIndex === 0) node.tabIndex = -1;
  const node = panel.chips[index];
  node.tabIndex = 0;
  node.focus();
}

/** Highlight token group `index` (−1: none) and its ids; describe it. */
function activate(w, panel, index, focused = false) {
  if (panel.active >= 0) {
    panel.chips[panel.active]?.removeAttribute("aria-describedby");
    panel.chips[panel.active]?.classList.remove("is-active");
    panel.idSpans[panel.active]?.classList.remove("is-active");
  }
  panel.active = index;
  if (index < 0) {
    panel.detail.textContent = HINT;
    return;
  }
  panel.chips[index].classList.add("is-active");
  panel.idSpans[index].classList.add("is-active");
  panel.detail.textContent = describe(w, panel, index);
  // a screen reader reads the chip (its text and id), then this description
  if (focused) panel.chips[index].setAttribute("aria-describedby", panel.detail.id);
}

/** The detail line of token group `index`: where it is, its ids and bytes. */
function describe(w, panel, index) {
  const group = panel.groups[index];
  let first = 0;
  for (let i = 0; i < index; i++) first += panel.groups[i].ids.length;
  const where =
    group.ids.length === 1
      ? `Token ${first + 1} of ${panel.total}`
      : `Tokens ${first + 1}–${first + group.ids.length} of ${panel.total}`;
  const text = marked(group.text, w.marks);
  const what = group.parts
    ? `“${text}” is cut between tokens: ${group.parts.map((part) => `${part.id} (bytes ${part.hex})`).join(" + ")}`
    : `“${text}” = id ${group.ids[0]} (${plural(new TextEncoder().encode(group.text).length, "byte")})`;
  return `${where}: ${what}. Click or press Enter for its merges.`;
}

// -- merges of the clicked token's piece

/** The text of the piece token group `index` belongs to (BPE merges within a piece). */
function pieceText(groups, index) {
  const piece = groups[index].piece;
  let first = index;
  while (first > 0 && groups[first - 1].piece === piece) first--;
  let text = "";
  for (let i = first; i < groups.length && groups[i].piece === piece; i++) text += groups[i].text;
  return text;
}

async function showMerges(w, panel, index) {
  w.mergesFor = panel.chips[index];
  let result;
  try {
    result = await w.python.call("tokenizer.merges", { encoding: panel.name, piece: pieceText(panel.groups, index) });
  } catch (failure) {
    showError(w, `The merges could not be computed: ${failure.message}`);
    return;
  }
  drawMerges(w, result);
}

function mergesSummary(w, result) {
  if (result.too_long) {
    return (
      `This piece is ${plural(result.bytes, "byte")} long; merges are shown step by step for pieces of up to ` +
      `${plural(w.constants.max_merge_bytes, "byte")}. It becomes ${plural(result.ids.length, "token")}.`
    );
  }
  if (result.steps.length <= 1) return `A single byte: token ${result.ids[0]}, nothing to merge.`;
  return (
    `${plural(result.bytes, "byte")}, ${plural(result.steps.length - 1, "merge")}, ${plural(result.ids.length, "token")}. ` +
    "Each step joins the neighboring pair that makes the token learned earliest (the lowest id)."
  );
}

/** One step of the merges: its parts (the merged one marked), and the token it made. */
function mergeStep(w, step, n) {
  const parts = step.parts.map((part, i) => {
    const node = element("span", { className: "lecture-tokenizer__part" });
    if (part.text === null) node.append(element("span", { className: "lecture-tok__hex", textContent: part.hex }));
    else appendMarked(node, part.text, w.marks);
    if (i === step.merged) node.classList.add("lecture-tokenizer__part--merged");
    node.title = `id ${part.id} · bytes ${part.hex}`;
    return node;
  });
  const label = n === 0 ? "bytes" : `→ ${step.parts[step.merged].id}`;
  return element("li", {}, [...parts, element("span", { className: "lecture-tokenizer__rank", textContent: label })]);
}

function drawMerges(w, result) {
  const close = button("close-merges", "Close");
  close.addEventListener("click", () => closeMerges(w));
  const title = `How ${result.encoding} builds “${marked(result.piece, w.marks)}”`;
  const summary = mergesSummary(w, result);
  w.mergesBox.replaceChildren(
    element("div", { className: "lecture-tokenizer__merges-head" }, [element("strong", { textContent: title }), close]),
    element("p", { textContent: summary }),
    element(
      "ol",
      { className: "lecture-tokenizer__steps" },
      result.steps.map((step, n) => mergeStep(w, step, n)),
    ),
  );
  w.mergesBox.hidden = false;
  // The box appears with its text (a live region there would not be read): say what it shows.
  clearTimeout(w.announceTimer);
  w.announcer.textContent = `${title}: ${summary}`;
}

function closeMerges(w) {
  w.mergesBox.hidden = true;
  w.mergesBox.replaceChildren();
  if (w.mergesFor?.isConnected) w.mergesFor.focus();
  w.mergesFor = null;
}

/** For `mkdocs-lecture check`: each of the fence's encodings tokenizes a known text right. */
export async function smoke(root, { options, constants, python }) {
  const { text, ids: known } = constants.smoke;
  const result = await python.call("tokenizer.tokenize", { text, encodings: options.encodings });
  for (const entry of result.encodings) {
    const ids = entry.pieces.flat().flatMap((group) => group.ids);
    if (ids.join() !== known[entry.name].join()) throw new Error(`${entry.name} tokenized "${text}" as [${ids}]`);
  }
}
