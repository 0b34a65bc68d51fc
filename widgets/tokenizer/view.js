// The tokenizer: the reader edits a text and sees, for each encoding side by side, its
// tokens as colored chips (grouped into whole characters), their ids, the token count and
// characters per token. Clicking a token (or Enter on it) shows how byte-pair encoding
// merged its piece, step by step. Python (lecture_widgets.tokenizer) does the tokenizing;
// this file only draws, with the same elements and classes as the static view.
//
// Typing never waits: one call is in flight at a time, the latest text goes next, and
// answers for older texts are dropped. Only the chips that changed are replaced.

import { element, role } from "../../dom.js";

const MODELS = { r50k_base: "GPT-3", gpt2: "GPT-2", cl100k_base: "GPT-4", o200k_base: "GPT-4o" };
const MARKERS = { " ": "·", "\n": "↵", "\t": "→", "\r": "␍" };
const WHITESPACE = /[ \n\t\r]/;
const MAX_LENGTH = 20_000; // characters the text box takes (Python accepts more)
const PRESETS = [
  { label: "9.11 vs 9.9", text: "What is bigger, 9.11 or 9.9?" },
  { label: "strawberry", text: "How many r's are in strawberry?\ns t r a w b e r r y" },
  { label: "Other languages", text: "I am hungry.\nIch habe Hunger.\nJ'ai faim.\n私はお腹が空いています。\nमुझे भूख लगी है।" },
  { label: "Code", text: 'def greet(name):\n    return f"Hello, {name}!"\n' },
  { label: "Emoji", text: "Nice 👍🏽 café" },
];
const HINT = "Point at or focus a token for its id and bytes; click it for its merges.";
const SHOW = [
  ["tokens", "Tokens"],
  ["ids", "Ids"],
  ["both", "Both"],
];

/** `text` with whitespace markers, appended to `node` as text and marker spans. */
function appendMarked(node, text, whitespace) {
  if (!WHITESPACE.test(text)) {
    node.append(text);
    return node;
  }
  let run = "";
  for (const char of text) {
    const marker = whitespace || char === "\n" ? MARKERS[char] : undefined;
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

const marked = (text, whitespace) => appendMarked(element("span"), text, whitespace).textContent;
const thousands = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ","); // as Python's f"{n:,}"
const plural = (n, word) => `${thousands(n)} ${word}${n === 1 ? "" : "s"}`;

/** One chip: the group's characters over its id, or over its byte pieces when a
 *  character is cut between tokens. Same markup as the static view (widget.py). */
function chip(group, whitespace) {
  const node = element("span", { className: group.parts ? "lecture-tok lecture-tok--split" : "lecture-tok", tabIndex: -1 }, [
    appendMarked(element("span", { className: "lecture-tok__text" }), group.text, whitespace),
  ]);
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

export function mount(root, { options, python }) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const whitespace = options.whitespace;

  // -- controls: the text, the presets, what the chips show
  const input = role(
    element("textarea", { className: "lecture-textarea lecture-tokenizer__input", value: options.text, rows: 3, maxLength: MAX_LENGTH, spellcheck: false }),
    "input",
  );
  input.setAttribute("aria-label", "Text to tokenize");
  input.setAttribute("autocomplete", "off");
  const presets = options.presets ? [{ label: "Original", text: options.text }, ...PRESETS] : [];
  const presetButtons = presets.map(({ label, text }) => {
    const node = element("button", { type: "button", className: "lecture-button", textContent: label });
    node.dataset.action = "preset";
    node.addEventListener("click", () => setText(text));
    return node;
  });
  const presetBar = element("div", { className: "lecture-tokenizer__presets" }, presetButtons);
  presetBar.setAttribute("role", "group");
  presetBar.setAttribute("aria-label", "Example texts");
  const showGroup = element(
    "div",
    { className: "lecture-tokenizer__show" },
    SHOW.map(([value, label]) => {
      const radio = element("input", { type: "radio", name: `${root.id}-show`, value, checked: value === options.show });
      radio.addEventListener("change", () => setShow(value));
      return element("label", {}, [radio, element("span", { textContent: label })]);
    }),
  );
  showGroup.setAttribute("role", "radiogroup");
  showGroup.setAttribute("aria-label", "Chips show");
  const controls = element("div", { className: "lecture-tokenizer__controls" }, [
    input,
    element("div", { className: "lecture-tokenizer__bar" }, [presetBar, showGroup]),
  ]);

  // -- one panel per encoding, the merges box, the live region
  const panels = options.encodings.map((name) => createPanel(name));
  const mergesBox = role(element("section", { className: "lecture-tokenizer__merges", hidden: true }), "merges");
  const error = role(element("p", { className: "lecture-tokenizer__error", hidden: true }), "error");
  error.setAttribute("role", "alert");
  const announcer = role(element("p", { className: "lecture-tokenizer__sr" }), "announce");
  announcer.setAttribute("aria-live", "polite");
  const live = element("div", { className: "lecture-tokenizer__panels", hidden: true }, panels.map((panel) => panel.section));
  const view = element("div", { className: "lecture-tokenizer lecture-tokenizer--live" }, [controls, live, mergesBox, error, announcer]);
  view.dataset.show = options.show;
  staticView.before(view);
  // the static chips stay in view until Python's first answer; they follow the mode too
  const staticTokenizer = staticView.querySelector(".lecture-tokenizer");
  live.before(staticView);

  function setShow(value) {
    view.dataset.show = value;
    if (staticTokenizer) staticTokenizer.dataset.show = value;
  }

  function setText(text) {
    input.value = text;
    edited();
  }

  // -- asking Python: one call at a time, always for the latest text
  let pending = false; // a tokenize call is in flight
  let shown = null; // the text the chips show (null: the static view is showing)
  let lastDraw = 0;
  let announceTimer = 0;

  // Chips that lag behind the text are dimmed, but only if the answer is slow in coming:
  // restyling them on every keystroke would cost a repaint per key.
  let staleTimer = 0;
  function mark() {
    const stale = input.value !== (shown ?? options.text);
    const chips = shown === null ? staticView : live;
    clearTimeout(staleTimer);
    if (!stale) chips.removeAttribute("data-stale");
    else if (!chips.hasAttribute("data-stale")) staleTimer = setTimeout(() => chips.setAttribute("data-stale", ""), 150);
    for (const [i, button] of presetButtons.entries()) {
      const pressed = String(input.value === presets[i].text);
      if (button.getAttribute("aria-pressed") !== pressed) button.setAttribute("aria-pressed", pressed);
    }
  }

  function edited() {
    mark();
    request();
  }

  function request() {
    if (pending) return; // the answer's handler asks again with the latest text
    const text = input.value;
    pending = true;
    python.call("tokenizer.tokenize", { text, encodings: options.encodings }).then(
      (result) => {
        pending = false;
        const current = text === input.value;
        // an older text's answer is drawn only if the reader has seen nothing for a while
        if (current || performance.now() - lastDraw > 250) draw(text, result);
        if (!current) request();
      },
      (failure) => {
        pending = false;
        if (failure.name === "StoppedError") {
          request(); // Python was restarted (another widget's Stop): ask the new one
          return;
        }
        error.hidden = false;
        error.textContent = `The tokenizer could not run: ${failure.message}`;
      },
    );
  }

  function draw(text, result) {
    lastDraw = performance.now();
    error.hidden = true;
    if (shown === null) {
      staticView.hidden = true;
      live.hidden = false;
    }
    shown = text;
    mark();
    result.encodings.forEach((entry, i) => update(panels[i], entry));
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      announcer.textContent = result.encodings.map((entry) => `${entry.name}: ${plural(entry.count, "token")}`).join("; ");
    }, 600);
  }

  input.addEventListener("input", edited);
  mark();

  // -- a panel: chips, ids, count, details of the token under the pointer or focus

  function createPanel(name) {
    const count = role(element("span", { className: "lecture-tokenizer__count" }), "count");
    const ratio = role(element("span", { className: "lecture-tokenizer__ratio" }), "ratio");
    const tokens = role(element("div", { className: "lecture-tokenizer__tokens" }), "tokens");
    tokens.setAttribute("role", "group");
    tokens.setAttribute("aria-label", `Tokens of ${name}: arrow keys move, Enter shows how a token was merged`);
    const ids = role(element("p", { className: "lecture-tokenizer__ids" }), "ids");
    const detail = role(element("p", { className: "lecture-tokenizer__detail", id: `${root.id}-${name}-detail`, textContent: HINT }), "detail");
    const note = role(element("p", { className: "lecture-tokenizer__note" }), "note");
    const section = element("section", { className: "lecture-tokenizer__panel" }, [
      element("p", { className: "lecture-tokenizer__head" }, [
        element("strong", { className: "lecture-tokenizer__name", textContent: name }),
        element("span", { className: "lecture-tokenizer__model", textContent: MODELS[name] }),
        count,
        ratio,
      ]),
      tokens,
      element("div", { className: "lecture-tokenizer__idsrow" }, [element("span", { className: "lecture-tokenizer__label", textContent: "The model sees: " }), ids]),
      detail,
      note,
    ]);
    section.dataset.encoding = name;
    const panel = { name, section, count, ratio, tokens, ids, detail, note, groups: [], keys: [], chips: [], idSpans: [], total: 0, active: -1 };

    const indexOfChip = (target) => panel.chips.indexOf(target?.closest?.(".lecture-tok"));
    tokens.addEventListener("pointerover", (event) => activate(panel, indexOfChip(event.target)));
    tokens.addEventListener("pointerleave", () => activate(panel, indexOfChip(document.activeElement)));
    tokens.addEventListener("focusin", (event) => activate(panel, indexOfChip(event.target), true));
    tokens.addEventListener("focusout", (event) => tokens.contains(event.relatedTarget) || activate(panel, -1));
    ids.addEventListener("pointerover", (event) => activate(panel, panel.idSpans.indexOf(event.target)));
    ids.addEventListener("pointerleave", () => activate(panel, -1));
    tokens.addEventListener("click", (event) => {
      const index = indexOfChip(event.target);
      if (index >= 0) showMerges(panel, index);
    });
    tokens.addEventListener("keydown", (event) => {
      const index = indexOfChip(event.target);
      if (index < 0) return;
      const last = panel.chips.length - 1;
      const to = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: last }[event.key];
      if (to !== undefined) {
        event.preventDefault();
        focusChip(panel, Math.max(0, Math.min(last, to)));
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        showMerges(panel, index);
      }
    });
    return panel;
  }

  /** Replace only the chips between the unchanged start and end of the token list. */
  function update(panel, entry) {
    const groups = [];
    entry.pieces.forEach((piece, p) => {
      for (const group of piece) {
        group.piece = p;
        groups.push(group);
      }
    });
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
      const node = chip(group, whitespace);
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
    panel.total = entry.count;

    if (panel.active >= panel.chips.length || removedChips.length || chips.length) activate(panel, -1);
    if (!panel.chips.some((node) => node.tabIndex === 0) && panel.chips.length) panel.chips[0].tabIndex = 0;
    panel.count.textContent = plural(entry.count, "token");
    panel.ratio.textContent = entry.per_token === null ? "" : `${entry.per_token.toFixed(1)} characters per token`;
    panel.note.textContent = entry.truncated ? `Showing the first ${plural(groups.reduce((n, g) => n + g.ids.length, 0), "token")}.` : "";
  }

  function focusChip(panel, index) {
    for (const node of panel.chips) if (node.tabIndex === 0) node.tabIndex = -1;
    const node = panel.chips[index];
    node.tabIndex = 0;
    node.focus();
  }

  /** Highlight token group `index` (−1: none) and its ids; describe it. */
  function activate(panel, index, focused = false) {
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
    const group = panel.groups[index];
    let first = 0;
    for (let i = 0; i < index; i++) first += panel.groups[i].ids.length;
    const where = group.ids.length === 1 ? `Token ${first + 1} of ${panel.total}` : `Tokens ${first + 1}–${first + group.ids.length} of ${panel.total}`;
    const what = group.parts
      ? `“${marked(group.text, whitespace)}” is cut between tokens: ${group.parts.map((part) => `${part.id} (bytes ${part.hex})`).join(" + ")}`
      : `“${marked(group.text, whitespace)}” = id ${group.ids[0]} (${plural(new TextEncoder().encode(group.text).length, "byte")})`;
    panel.detail.textContent = `${where}: ${what}. Click or press Enter for its merges.`;
    // a screen reader reads the chip (its text and id), then this description
    if (focused) panel.chips[index].setAttribute("aria-describedby", panel.detail.id);
  }

  // -- merges of the clicked token's piece

  let mergesFor = null; // [panel, chip] whose merges are shown
  async function showMerges(panel, index) {
    const groups = panel.groups;
    const piece = groups[index].piece;
    let first = index;
    while (first > 0 && groups[first - 1].piece === piece) first--;
    let text = "";
    for (let i = first; i < groups.length && groups[i].piece === piece; i++) text += groups[i].text;
    mergesFor = [panel, panel.chips[index]];
    let result;
    try {
      result = await python.call("tokenizer.merges", { encoding: panel.name, piece: text });
    } catch (failure) {
      error.hidden = false;
      error.textContent = `The merges could not be computed: ${failure.message}`;
      return;
    }
    drawMerges(result);
  }

  function drawMerges(result) {
    const close = element("button", { type: "button", className: "lecture-button", textContent: "Close" });
    close.dataset.action = "close-merges";
    close.addEventListener("click", closeMerges);
    const title = `How ${result.encoding} builds “${marked(result.piece, whitespace)}”`;
    const summary = result.too_long
      ? `This piece is ${plural(result.bytes, "byte")} long; merges are shown step by step for pieces of up to 64 bytes. It becomes ${plural(result.ids.length, "token")}.`
      : result.steps.length <= 1
        ? `A single byte: token ${result.ids[0]}, nothing to merge.`
        : `${plural(result.bytes, "byte")}, ${plural(result.steps.length - 1, "merge")}, ${plural(result.ids.length, "token")}. ` +
          "Each step joins the neighboring pair that makes the token learned earliest (the lowest id).";
    const steps = result.steps.map((step, n) => {
      const parts = step.parts.map((part, i) => {
        const node = element("span", { className: "lecture-tokenizer__part" });
        if (part.text === null) node.append(element("span", { className: "lecture-tok__hex", textContent: part.hex }));
        else appendMarked(node, part.text, whitespace);
        if (i === step.merged) node.classList.add("lecture-tokenizer__part--merged");
        node.title = `id ${part.id} · bytes ${part.hex}`;
        return node;
      });
      const label = n === 0 ? "bytes" : `→ ${step.parts[step.merged].id}`;
      return element("li", {}, [...parts, element("span", { className: "lecture-tokenizer__rank", textContent: label })]);
    });
    mergesBox.replaceChildren(
      element("div", { className: "lecture-tokenizer__merges-head" }, [element("strong", { textContent: title }), close]),
      element("p", { textContent: summary }),
      element("ol", { className: "lecture-tokenizer__steps" }, steps),
    );
    mergesBox.hidden = false;
    // The box appears with its text (a live region there would not be read): say what it shows.
    clearTimeout(announceTimer);
    announcer.textContent = `${title}: ${summary}`;
  }

  function closeMerges() {
    mergesBox.hidden = true;
    mergesBox.replaceChildren();
    const [, node] = mergesFor ?? [];
    if (node?.isConnected) node.focus();
    mergesFor = null;
  }
  mergesBox.addEventListener("keydown", (event) => event.key === "Escape" && closeMerges());
  view.addEventListener("keydown", (event) => event.key === "Escape" && !mergesBox.hidden && event.target.closest(".lecture-tokenizer__tokens") && closeMerges());

  // -- start when the widget comes into view, when the reader touches it, or once Python
  // is ready anyway (the rank file is small next to Python itself)
  const start = () => shown === null && !pending && request();
  const watcher = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && start(), { rootMargin: "200px" });
  watcher.observe(root);
  view.addEventListener("focusin", start);
  const offState = python.on("state", (state) => state === "ready" && start());
  if (python.state === "ready") start();

  return () => {
    watcher.disconnect();
    offState();
    clearTimeout(announceTimer);
    clearTimeout(staleTimer);
    staticView.hidden = false;
    staticView.removeAttribute("data-stale");
    if (staticTokenizer) staticTokenizer.dataset.show = options.show;
    view.replaceWith(staticView);
  };
}

/** For `mkdocs-lecture check`: each of the fence's encodings tokenizes a known text right. */
const KNOWN = { r50k_base: [31373, 995], gpt2: [31373, 995], cl100k_base: [15339, 1917], o200k_base: [24912, 2375] };
export async function smoke(root, { options, python }) {
  const result = await python.call("tokenizer.tokenize", { text: "hello world", encodings: options.encodings });
  for (const entry of result.encodings) {
    const ids = entry.pieces.flat().flatMap((group) => group.ids);
    if (ids.join() !== KNOWN[entry.name].join()) throw new Error(`${entry.name} tokenized "hello world" as [${ids}]`);
  }
}
