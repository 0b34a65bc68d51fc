// The chat widget: the reader edits a conversation (roles, texts, a system message) and
// sees it rendered in a chat format, token by token: special tokens as dark chips, tokens
// tinted by role, the tokens SFT trains on outlined, and the counts per message. The
// conversation goes out and comes back as one JSONL line. Python
// (lecture_widgets.chat) renders, checks and words the counts; this file only draws,
// with the same elements and classes as the static view (static.py), and never uses
// innerHTML. Python's facts (roles, formats, masks, markers, legend, the default system
// message) come as `constants` (VIEW in __init__.py).
//
// Editing never waits: one render is in flight at a time, the latest state goes next,
// answers for older states are dropped. Reader edits persist in `store`, with Reset.

import { button, download, element, role } from "../../dom.js";

const MAX_LENGTH = 20_000; // characters per message box (Python checks the total)

const plural = (n, word) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
const clone = (value) => JSON.parse(JSON.stringify(value));
const sameMessages = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const rowsFor = (text) => Math.min(10, Math.max(1, text.split("\n").length));

// -- small builders

function checkbox(label, checked, name) {
  const input = element("input", { type: "checkbox", checked });
  input.dataset.setting = name;
  return [
    element("label", { className: "lecture-chat__check" }, [input, element("span", { textContent: label })]),
    input,
  ];
}

/** A fieldset of radio buttons; `choices`: [value, label, detail]. */
function radios(legend, name, choices, value) {
  const inputs = [];
  const fieldset = element("fieldset", { className: "lecture-chat__choice" }, [
    element("legend", { textContent: legend }),
    ...choices.map(([choice, label, detail]) => {
      const input = element("input", { type: "radio", name, value: choice, checked: choice === value });
      inputs.push(input);
      const text = [element("span", { textContent: label })];
      if (detail) text.push(element("small", { textContent: ` ${detail}` }));
      return element("label", {}, [input, ...text]);
    }),
  ]);
  return [fieldset, inputs];
}

// -- the tokens, as static.py draws them

/** What a chip shows (as static.py's chip_text): whitespace-only tokens with markers. */
function chipText(group, { markers, space_marker: space }) {
  let text = group.text;
  if (group.kind !== "special" && /^\s+$/u.test(text)) text = text.replaceAll(" ", space);
  return [...text].map((character) => markers[character] ?? character).join("");
}

function chipTitle(group, kinds) {
  const ids = group.ids.length === 1 ? `id ${group.ids[0]}` : `ids ${group.ids.join(", ")} (one character)`;
  return [ids, kinds[group.kind], group.trained ? "trained" : "not trained"].join(" · ");
}

function chip(group, constants) {
  const classes = ["lecture-chat__tok", `is-${group.kind}`];
  if (group.trained) classes.push("is-trained");
  if (group.found) classes.push("is-found");
  return element("span", { className: classes.join(" "), title: chipTitle(group, constants.kinds) }, [
    element("span", { className: "lecture-chat__text", textContent: chipText(group, constants) }),
    element("span", { className: "lecture-chat__id", textContent: group.ids.join(" ") }),
  ]);
}

/** The token rows: one per message, then the generation prompt. */
function tokenRows(result, constants) {
  const rows = result.rows.map((row) => {
    const node = element("div", { className: "lecture-chat__row" });
    node.dataset.role = row.role;
    for (const group of row.groups) {
      node.append(chip(group, constants));
      if (group.text.includes("\n")) node.append(element("br"));
    }
    return node;
  });
  if (result.truncated)
    rows.push(element("p", { className: "lecture-chat__note", textContent: constants.truncated_note }));
  return element("div", { className: "lecture-chat__tokens" }, rows);
}

function legend(constants) {
  const items = constants.legend.map(({ text, classes, role: rowRole, label }) => {
    const sample = element("span", { className: `lecture-chat__tok ${classes}` }, [
      element("span", { className: "lecture-chat__text", textContent: text }),
    ]);
    const row = element("span", { className: "lecture-chat__row" }, [sample]);
    row.dataset.role = rowRole;
    return element("li", {}, [row, element("span", { textContent: label })]);
  });
  const list = element("ul", { className: "lecture-chat__legend" }, items);
  list.setAttribute("aria-label", "Legend");
  return list;
}

function countsTable(result) {
  const cells = (texts) => texts.map((text) => element("td", { textContent: String(text) }));
  const head = element(
    "tr",
    {},
    ["#", "Role", "Text", "Template", "Trained"].map((text) => element("th", { scope: "col", textContent: text })),
  );
  const rows = result.messages.map((message, index) =>
    element("tr", {}, cells([index + 1, message.role, message.content, message.overhead, message.trained])),
  );
  const prompt = result.generation_prompt;
  if (prompt !== null) rows.push(element("tr", {}, cells(["", "generation prompt", 0, prompt.tokens, prompt.trained])));
  const { total, content, overhead, trained } = result.counts;
  const foot = element("tr", {}, [
    element("th", { scope: "row", colSpan: 2, textContent: `All ${plural(total, "token")}` }),
    ...cells([content, overhead, trained]),
  ]);
  return element("table", { className: "lecture-chat__table" }, [
    element("caption", { textContent: "Tokens per message" }),
    element("thead", {}, [head]),
    element("tbody", {}, rows),
    element("tfoot", {}, [foot]),
  ]);
}

// -- state

/** The page's conversation, as the view keeps it. */
function pageState(options, constants) {
  return {
    messages: clone(options.messages),
    format: options.format,
    mask: options.mask,
    prompt: false,
    ids: false,
    find: options.find ?? "",
    preset: options.preset ?? "",
    system: options.messages.find((m) => m.role === "system")?.content ?? constants.default_system,
  };
}

/** A saved state as the view keeps it, or null if it is not one. */
function readState(saved, constants) {
  if (!saved || typeof saved !== "object" || !Array.isArray(saved.messages)) return null;
  const ok = saved.messages.every((m) => m && constants.roles.includes(m.role) && typeof m.content === "string");
  const known = (list, name) => list.some((entry) => entry.name === name);
  if (!ok || !known(constants.formats, saved.format) || !known(constants.masks, saved.mask)) return null;
  return {
    messages: saved.messages.map(({ role, content }) => ({ role, content })),
    format: saved.format,
    mask: saved.mask,
    prompt: Boolean(saved.prompt),
    ids: Boolean(saved.ids),
    find: typeof saved.find === "string" ? saved.find : "",
    preset: typeof saved.preset === "string" ? saved.preset : "",
    system: typeof saved.system === "string" ? saved.system : constants.default_system,
  };
}

// -- build: the elements of the live view (`chat.ui`), before the static view

function buildEditor(chat) {
  const { root, ui, constants, state } = chat;
  ui.presetButtons = chat.presets.map((preset) => {
    const node = button("preset", preset.title, preset.note);
    node.dataset.preset = preset.name;
    return node;
  });
  const label = element("span", { className: "lecture-chat__label", textContent: "Examples:" });
  const presetBar = element(
    "div",
    { className: "lecture-chat__presets", hidden: !ui.presetButtons.length },
    ui.presetButtons.length ? [label, ...ui.presetButtons] : [],
  );
  presetBar.setAttribute("role", "group");
  presetBar.setAttribute("aria-label", "Example conversations");
  ui.note = role(element("p", { className: "lecture-chat__note" }), "note");
  const formats = constants.formats.map(({ name, title, tokenizer }) => [name, title, tokenizer]);
  const masks = constants.masks.map(({ name, label: text }) => [name, text]);
  const [formatSet, formatInputs] = radios("Format", `${root.id}-format`, formats, state.format);
  const [maskSet, maskInputs] = radios("Train on", `${root.id}-mask`, masks, state.mask);
  const [systemLabel, systemBox] = checkbox("System message", false, "system");
  const [promptLabel, promptBox] = checkbox("Open an assistant turn (generation prompt)", state.prompt, "prompt");
  const [idsLabel, idsBox] = checkbox("Show ids", state.ids, "ids");
  Object.assign(ui, { formatInputs, maskInputs, systemBox, promptBox, idsBox });
  const settings = element("div", { className: "lecture-chat__settings" }, [
    formatSet,
    maskSet,
    element("div", { className: "lecture-chat__checks" }, [systemLabel, promptLabel, idsLabel]),
  ]);
  ui.turns = role(element("ol", { className: "lecture-chat__turns" }), "turns");
  ui.turns.setAttribute("aria-label", "Messages");
  ui.addButton = button("add", "+ Add message");
  return element("div", { className: "lecture-chat__editor" }, [presetBar, ui.note, settings, ui.turns, ui.addButton]);
}

/** The output: legend, tokens, counts (live), answer positions, table; and the error line. */
function buildOutput(chat) {
  const { ui } = chat;
  ui.tokensHost = element("div", { className: "lecture-chat__tokens-host" });
  ui.summary = role(element("p", { className: "lecture-chat__summary" }), "summary");
  ui.summary.setAttribute("aria-live", "polite");
  ui.found = role(element("div", { className: "lecture-chat__found-list" }), "found");
  ui.tableHost = element("div", { className: "lecture-chat__table-host" });
  ui.output = role(
    element("div", { className: "lecture-chat__output", hidden: true }, [
      legend(chat.constants),
      ui.tokensHost,
      ui.summary,
      ui.found,
      ui.tableHost,
    ]),
    "output",
  );
  ui.error = role(element("p", { className: "lecture-chat__error", hidden: true }), "error");
  ui.error.setAttribute("role", "alert");
  return [ui.output, ui.error];
}

/** Export, import and reset: the toolbar and the import panel. */
function buildToolbar(chat) {
  const { root, ui } = chat;
  ui.downloadButton = button("download", "Download JSONL", "Save the conversation as one JSONL line");
  ui.copyButton = button("copy", "Copy JSONL", "Copy the conversation as one JSONL line");
  ui.importToggle = button("import-open", "Import JSONL…", "Paste a JSONL line to load its conversation");
  ui.importToggle.setAttribute("aria-expanded", "false");
  ui.resetButton = button("reset", "Reset", "Restore the page's conversation");
  ui.downloadButton.disabled = ui.copyButton.disabled = true;
  ui.toolbarNote = role(element("span", { className: "lecture-chat__toolnote" }), "toolbar-note");
  ui.toolbarNote.setAttribute("aria-live", "polite");
  const placeholder = '{"messages": [{"role": "user", "content": "Hi"}]}';
  ui.importInput = role(
    element("textarea", {
      className: "lecture-textarea lecture-chat__import-input",
      rows: 3,
      spellcheck: false,
      placeholder,
    }),
    "import-input",
  );
  ui.importInput.id = `${root.id}-import`;
  ui.importError = role(element("p", { className: "lecture-chat__error", hidden: true }), "import-error");
  ui.importError.setAttribute("role", "alert");
  ui.importPanel = element("div", { className: "lecture-chat__import", hidden: true }, [
    element("label", { htmlFor: ui.importInput.id, textContent: "One JSONL line, as exported: " }, [
      element("code", { textContent: '{"messages": [...]}' }),
    ]),
    ui.importInput,
    element("div", { className: "lecture-chat__toolbar" }, [
      button("import", "Import"),
      button("import-cancel", "Cancel"),
    ]),
    ui.importError,
  ]);
  const toolbar = element("div", { className: "lecture-chat__toolbar" }, [
    ui.downloadButton,
    ui.copyButton,
    ui.importToggle,
    ui.resetButton,
    ui.toolbarNote,
  ]);
  return [toolbar, ui.importPanel];
}

function build(chat) {
  const { ui, staticView } = chat;
  ui.view = element("div", { className: "lecture-chat" }, [
    buildEditor(chat),
    ...buildOutput(chat),
    ...buildToolbar(chat),
  ]);
  staticView.before(ui.view);
  ui.output.before(staticView); // the build-time rendering stays in view until Python answers
  ui.staticChat = staticView.querySelector(".lecture-chat__output");
}

// -- draw: the view follows `chat.state` and Python's answers

function save(chat) {
  const same = sameMessages(chat.state, chat.original);
  chat.store.set("state", same ? undefined : chat.state);
  chat.ui.resetButton.disabled = same;
}

/** After each edit: redraw what depends on the state, save it, and render again. */
function changed(chat, { rebuild = false } = {}) {
  const { ui } = chat;
  chat.version += 1;
  if (rebuild) drawTurns(chat);
  ui.systemBox.checked = chat.state.messages.some((m) => m.role === "system");
  drawPreset(chat);
  save(chat);
  ui.output.dataset.stale = "";
  if (ui.staticChat) ui.staticChat.dataset.stale = "";
  requestRender(chat);
}

function drawPreset(chat) {
  const { ui, state } = chat;
  const preset = chat.presets.find((p) => p.name === state.preset);
  for (const node of ui.presetButtons) node.setAttribute("aria-pressed", String(node.dataset.preset === state.preset));
  ui.note.textContent = preset ? preset.note : "";
  ui.note.hidden = !preset;
}

function drawTurns(chat) {
  chat.ui.turns.replaceChildren(...chat.state.messages.map((message, index) => turn(chat, message, index)));
}

/** One message: its number, role, Remove button and text, wired to the state. */
function turn(chat, message, index) {
  const { ui } = chat;
  const options = chat.constants.roles.map((name) =>
    element("option", { value: name, textContent: name, selected: name === message.role }),
  );
  const select = element("select", { className: "lecture-chat__role" }, options);
  select.setAttribute("aria-label", `Role of message ${index + 1}`);
  select.addEventListener("change", () => {
    chat.state.messages[index].role = select.value;
    changed(chat, { rebuild: true });
    ui.turns.querySelectorAll("select")[index]?.focus();
  });
  const text = element("textarea", {
    className: "lecture-textarea lecture-chat__content",
    value: message.content,
    maxLength: MAX_LENGTH,
    spellcheck: false,
  });
  text.rows = rowsFor(message.content);
  text.setAttribute("aria-label", `Message ${index + 1} (${message.role})`);
  text.addEventListener("input", () => {
    chat.state.messages[index].content = text.value;
    text.rows = rowsFor(text.value);
    changed(chat);
  });
  const remove = button("remove", "Remove", `Remove message ${index + 1}`);
  remove.setAttribute("aria-label", `Remove message ${index + 1}`);
  remove.addEventListener("click", () => {
    chat.state.messages.splice(index, 1);
    changed(chat, { rebuild: true });
    const next = ui.turns.querySelectorAll("textarea")[Math.min(index, chat.state.messages.length - 1)];
    (next ?? ui.addButton).focus();
  });
  const number = element("span", { className: "lecture-chat__number", textContent: `${index + 1}` });
  const item = element("li", { className: "lecture-chat__turn" }, [
    element("div", { className: "lecture-chat__turn-head" }, [number, select, remove]),
    text,
  ]);
  item.dataset.role = message.role;
  return item;
}

function showIds(chat) {
  const { ui, state } = chat;
  ui.view.toggleAttribute("data-ids", state.ids);
  if (ui.staticChat) ui.staticChat.toggleAttribute("data-ids", state.ids);
}

function showError(chat, message) {
  chat.ui.error.textContent = message;
  chat.ui.error.hidden = !message;
}

function drawAnswer(chat, answer) {
  const { ui } = chat;
  if (!answer.ok) {
    showError(chat, answer.error);
    return;
  }
  showError(chat, "");
  chat.result = answer;
  ui.tokensHost.replaceChildren(tokenRows(answer, chat.constants));
  ui.summary.textContent = answer.summary;
  ui.found.replaceChildren(
    ...answer.found.map((entry) => element("p", { className: "lecture-chat__found", textContent: entry.text })),
  );
  ui.tableHost.replaceChildren(countsTable(answer));
  delete ui.output.dataset.stale;
  ui.output.hidden = false;
  chat.staticView.hidden = true;
  ui.downloadButton.disabled = ui.copyButton.disabled = false;
}

/** Ask Python for the current state; while a call is in flight, only the latest state goes next. */
async function requestRender(chat) {
  chat.started = true;
  if (chat.inFlight) {
    chat.queued = true;
    return;
  }
  chat.inFlight = true;
  try {
    do {
      chat.queued = false;
      const asked = chat.version;
      const { messages, format, mask, prompt, find } = chat.state;
      let answer;
      try {
        answer = await chat.python.call(
          "chat.view",
          clone({ messages, format, mask, generation_prompt: prompt, find }),
        );
      } catch (failure) {
        showError(
          chat,
          failure.name === "StoppedError" ? "Python was restarted; edit a message to render again." : failure.message,
        );
        continue;
      }
      if (asked === chat.version || !chat.queued) drawAnswer(chat, answer);
    } while (chat.queued);
  } finally {
    chat.inFlight = false;
  }
}

// -- wire: the reader's actions change the state

function wireSettings(chat) {
  const { ui } = chat;
  for (const input of ui.formatInputs)
    input.addEventListener("change", () => {
      chat.state.format = input.value;
      changed(chat);
    });
  for (const input of ui.maskInputs)
    input.addEventListener("change", () => {
      chat.state.mask = input.value;
      changed(chat);
    });
  ui.systemBox.addEventListener("change", () => {
    const { state } = chat;
    if (ui.systemBox.checked)
      state.messages.unshift({ role: "system", content: state.system || chat.constants.default_system });
    else {
      const first = state.messages.find((m) => m.role === "system");
      if (first) state.system = first.content;
      state.messages = state.messages.filter((m) => m.role !== "system");
    }
    changed(chat, { rebuild: true });
  });
  ui.promptBox.addEventListener("change", () => {
    chat.state.prompt = ui.promptBox.checked;
    changed(chat);
  });
  ui.idsBox.addEventListener("change", () => {
    chat.state.ids = ui.idsBox.checked;
    showIds(chat);
    save(chat);
  });
}

function wireMessages(chat) {
  const { ui } = chat;
  ui.presetButtons.forEach((node, index) =>
    node.addEventListener("click", () => {
      const preset = chat.presets[index];
      chat.state.messages = clone(preset.messages);
      chat.state.find = preset.find ?? "";
      chat.state.preset = preset.name;
      changed(chat, { rebuild: true });
    }),
  );
  ui.addButton.addEventListener("click", () => {
    const { messages } = chat.state;
    messages.push({ role: messages.at(-1)?.role === "user" ? "assistant" : "user", content: "" });
    changed(chat, { rebuild: true });
    ui.turns.querySelectorAll("textarea")[messages.length - 1]?.focus();
  });
  ui.resetButton.addEventListener("click", () => {
    chat.state = clone(chat.original);
    const { state } = chat;
    for (const input of ui.formatInputs) input.checked = input.value === state.format;
    for (const input of ui.maskInputs) input.checked = input.value === state.mask;
    ui.promptBox.checked = state.prompt;
    ui.idsBox.checked = state.ids;
    showIds(chat);
    ui.toolbarNote.textContent = "The page's conversation is back.";
    const fromReset = document.activeElement === ui.resetButton;
    changed(chat, { rebuild: true }); // disables Reset, which would drop focus to the page
    if (fromReset) ui.turns.querySelector("textarea")?.focus();
  });
}

function wireExport(chat) {
  const { ui } = chat;
  ui.downloadButton.addEventListener("click", () => {
    if (!chat.result) return;
    download("conversation.jsonl", `${chat.result.jsonl}\n`);
    ui.toolbarNote.textContent = "Downloaded conversation.jsonl.";
  });
  ui.copyButton.addEventListener("click", async () => {
    if (!chat.result) return;
    try {
      await navigator.clipboard.writeText(chat.result.jsonl);
      ui.toolbarNote.textContent = "Copied one JSONL line.";
    } catch {
      ui.toolbarNote.textContent = "The browser did not allow copying; use Download instead.";
    }
  });
}

async function importLine(chat) {
  const { ui } = chat;
  let answer;
  try {
    answer = await chat.python.call("chat.import_line", { text: ui.importInput.value });
  } catch (failure) {
    answer = { ok: false, error: failure.message };
  }
  if (!answer.ok) {
    ui.importError.textContent = answer.error;
    ui.importError.hidden = false;
    ui.importInput.focus();
    return;
  }
  ui.importError.hidden = true;
  Object.assign(chat.state, { messages: answer.messages, preset: "", find: "" });
  ui.importInput.value = "";
  openImport(chat, false);
  ui.toolbarNote.textContent = `Imported ${plural(answer.messages.length, "message")}.`;
  changed(chat, { rebuild: true });
}

function openImport(chat, open) {
  const { ui } = chat;
  ui.importPanel.hidden = !open;
  ui.importToggle.setAttribute("aria-expanded", String(open));
  if (open) ui.importInput.focus();
  else {
    ui.importError.hidden = true;
    ui.importToggle.focus();
  }
}

function wireImport(chat) {
  const { ui } = chat;
  ui.importToggle.addEventListener("click", () => openImport(chat, ui.importPanel.hidden));
  ui.importPanel.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "import-cancel") openImport(chat, false);
    if (action === "import") importLine(chat);
  });
  ui.importInput.addEventListener("keydown", (event) => {
    if (event.key === "Escape") openImport(chat, false);
  });
}

// -- mount

export function mount(root, { options, constants, python, store, status, whenVisible }) {
  const original = pageState(options, constants);
  const saved = store.get("state");
  let state = readState(saved, constants);
  if (saved !== undefined && !state)
    status?.notice("Your saved conversation could not be read; the page's conversation is shown.");
  state ??= clone(original);
  const chat = {
    root,
    constants,
    python,
    store,
    original, // the page's conversation (Reset)
    state, // the reader's: what is drawn, saved and rendered
    presets: Array.isArray(options.presets) ? options.presets : [],
    staticView: root.querySelector(":scope > .lecture-widget__static"),
    ui: {}, // the elements, from build()
    result: null, // the last answer drawn
    inFlight: false, // a render call is out
    queued: false, // the state changed while it was out
    started: false,
    version: 0, // bumps on each change; answers for older versions are not drawn
  };
  build(chat);
  for (const wire of [wireSettings, wireMessages, wireExport, wireImport]) wire(chat);
  const { ui } = chat;
  drawTurns(chat);
  drawPreset(chat);
  showIds(chat);
  ui.systemBox.checked = state.messages.some((m) => m.role === "system");
  ui.resetButton.disabled = sameMessages(state, original);
  if (ui.staticChat && !sameMessages({ ...state, ids: false }, { ...original, ids: false }))
    ui.staticChat.dataset.stale = "";

  // Render when the widget comes into view (or is touched): that boots Python if needed.
  const begin = () => chat.started || requestRender(chat);
  whenVisible(begin);
  root.addEventListener("pointerdown", begin);
  root.addEventListener("focusin", begin);

  return () => {
    root.removeEventListener("pointerdown", begin);
    root.removeEventListener("focusin", begin);
    ui.view.before(chat.staticView);
    ui.view.remove();
    chat.staticView.hidden = false;
    if (ui.staticChat) {
      delete ui.staticChat.dataset.stale;
      ui.staticChat.removeAttribute("data-ids");
    }
  };
}

/** For `mkdocs-lecture check`: Python renders a conversation in every format. */
export async function smoke(root, { python, constants }) {
  const messages = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello!" },
  ];
  const [{ name: mask }] = constants.masks;
  for (const { name: format } of constants.formats) {
    const answer = await python.call("chat.view", { messages, format, mask });
    if (!answer.ok || !answer.counts.trained)
      throw new Error(`chat.view answered ${JSON.stringify(answer).slice(0, 200)}`);
  }
}
