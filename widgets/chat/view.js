// The chat widget: the reader edits a conversation (roles, texts, a system message) and
// sees it rendered in a chat format, token by token: special tokens as dark chips, tokens
// tinted by role, the tokens SFT trains on outlined, and the counts per message. The
// conversation goes out and comes back as one JSONL line. Python
// (lecture_widgets.chat) renders and checks; this file only draws, with the same
// elements and classes as the static view (static.py), and never uses innerHTML.
//
// Editing never waits: one render is in flight at a time, the latest state goes next,
// answers for older states are dropped. Reader edits persist in `store`, with Reset.

import { button, element, role } from "../../dom.js";

const ROLES = ["system", "user", "assistant"];
const FORMATS = [
  ["chatml", "ChatML", "cl100k_im"],
  ["harmony", "Harmony", "o200k_harmony"],
];
const MASKS = [
  ["assistant", "What the assistant writes"],
  ["all", "Every token"],
];
const MARKERS = { "\n": "↵", "\t": "→", "\r": "␍" };
const KINDS = { special: "special token", template: "template text", content: "message text" };
const DEFAULT_SYSTEM = "You are a helpful assistant.";
const MAX_LENGTH = 20_000; // characters per message box (Python checks the total)

function checkbox(label, checked, name) {
  const input = element("input", { type: "checkbox", checked });
  input.dataset.setting = name;
  return [element("label", { className: "lecture-chat__check" }, [input, element("span", { textContent: label })]), input];
}

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

const plural = (n, word) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
const clone = (value) => JSON.parse(JSON.stringify(value));
const sameMessages = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** What a chip shows (as static.py's chip_text): whitespace-only tokens with markers. */
function chipText(group) {
  let text = group.text;
  if (group.kind !== "special" && /^\s+$/u.test(text)) text = text.replaceAll(" ", "·");
  return [...text].map((character) => MARKERS[character] ?? character).join("");
}

function chipTitle(group) {
  const ids = group.ids.length === 1 ? `id ${group.ids[0]}` : `ids ${group.ids.join(", ")} (one character)`;
  return [ids, KINDS[group.kind], group.trained ? "trained" : "not trained"].join(" · ");
}

function chip(group) {
  const classes = ["lecture-chat__tok", `is-${group.kind}`];
  if (group.trained) classes.push("is-trained");
  if (group.found) classes.push("is-found");
  return element("span", { className: classes.join(" "), title: chipTitle(group) }, [
    element("span", { className: "lecture-chat__text", textContent: chipText(group) }),
    element("span", { className: "lecture-chat__id", textContent: group.ids.join(" ") }),
  ]);
}

/** The token rows: one per message, then the generation prompt (as static.py draws them). */
function tokenRows(result) {
  const rows = result.rows.map((row) => {
    const node = element("div", { className: "lecture-chat__row" });
    node.dataset.role = row.role;
    for (const group of row.groups) {
      node.append(chip(group));
      if (group.text.includes("\n")) node.append(element("br"));
    }
    return node;
  });
  if (result.truncated) rows.push(element("p", { className: "lecture-chat__note", textContent: "Only the first 4,000 tokens are drawn." }));
  return element("div", { className: "lecture-chat__tokens" }, rows);
}

function legend() {
  const sample = (text, classes, rowRole) => {
    const node = element("span", { className: `lecture-chat__tok ${classes}` }, [element("span", { className: "lecture-chat__text", textContent: text })]);
    const row = element("span", { className: "lecture-chat__row" }, [node]);
    row.dataset.role = rowRole;
    return row;
  };
  const items = [
    [sample("<|…|>", "is-special", "user"), "special token"],
    [sample("user↵", "is-template", "user"), "template text"],
    [sample("system", "is-content", "system"), "system"],
    [sample("user", "is-content", "user"), "user"],
    [sample("assistant", "is-content", "assistant"), "assistant"],
    [sample("trained", "is-content is-trained", "assistant"), "trained on (in the loss)"],
  ];
  const list = element(
    "ul",
    { className: "lecture-chat__legend" },
    items.map(([node, text]) => element("li", {}, [node, element("span", { textContent: text })])),
  );
  list.setAttribute("aria-label", "Legend");
  return list;
}

function summaryText(result) {
  const { total, content, overhead, trained } = result.counts;
  return (
    `${plural(total, "token")} (${result.title}, ${result.tokenizer}): ` +
    `${content.toLocaleString("en-US")} of message text, ${overhead.toLocaleString("en-US")} of template; ` +
    `${trained.toLocaleString("en-US")} trained.`
  );
}

function foundText(find, entry) {
  const before = entry.token - 1;
  return `“${find}” is complete at token ${entry.token} of message ${entry.message}'s ${plural(entry.of, "text token")}: the model writes ${plural(before, "token")} of this reply before it.`;
}

function countsTable(result) {
  const head = element("tr", {}, ["#", "Role", "Text", "Template", "Trained"].map((text) => element("th", { scope: "col", textContent: text })));
  const rows = result.messages.map((message, index) =>
    element("tr", {}, [
      element("td", { textContent: String(index + 1) }),
      element("td", { textContent: message.role }),
      element("td", { textContent: String(message.content) }),
      element("td", { textContent: String(message.overhead) }),
      element("td", { textContent: String(message.trained) }),
    ]),
  );
  if (result.generation_prompt !== null) {
    rows.push(
      element("tr", {}, [
        element("td", { textContent: "" }),
        element("td", { textContent: "generation prompt" }),
        element("td", { textContent: "0" }),
        element("td", { textContent: String(result.generation_prompt.tokens) }),
        element("td", { textContent: String(result.generation_prompt.trained) }),
      ]),
    );
  }
  const { total, content, overhead, trained } = result.counts;
  const foot = element("tr", {}, [
    element("th", { scope: "row", colSpan: 2, textContent: `All ${plural(total, "token")}` }),
    element("td", { textContent: String(content) }),
    element("td", { textContent: String(overhead) }),
    element("td", { textContent: String(trained) }),
  ]);
  return element("table", { className: "lecture-chat__table" }, [
    element("caption", { textContent: "Tokens per message" }),
    element("thead", {}, [head]),
    element("tbody", {}, rows),
    element("tfoot", {}, [foot]),
  ]);
}

/** A saved state as the view keeps it, or null if it is not one. */
function readState(saved) {
  if (!saved || typeof saved !== "object" || !Array.isArray(saved.messages)) return null;
  const ok = saved.messages.every((m) => m && ROLES.includes(m.role) && typeof m.content === "string");
  if (!ok || !FORMATS.some(([name]) => name === saved.format) || !MASKS.some(([name]) => name === saved.mask)) return null;
  return {
    messages: saved.messages.map(({ role, content }) => ({ role, content })),
    format: saved.format,
    mask: saved.mask,
    prompt: Boolean(saved.prompt),
    ids: Boolean(saved.ids),
    find: typeof saved.find === "string" ? saved.find : "",
    preset: typeof saved.preset === "string" ? saved.preset : "",
    system: typeof saved.system === "string" ? saved.system : DEFAULT_SYSTEM,
  };
}

export function mount(root, { options, python, store, status }) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const presets = Array.isArray(options.presets) ? options.presets : [];
  const original = {
    messages: clone(options.messages),
    format: options.format,
    mask: options.mask,
    prompt: false,
    ids: false,
    find: options.find ?? "",
    preset: options.preset ?? "",
    system: options.messages.find((m) => m.role === "system")?.content ?? DEFAULT_SYSTEM,
  };
  const saved = store.get("state");
  let state = readState(saved);
  if (saved !== undefined && !state) status?.notice("Your saved conversation could not be read; the page's conversation is shown.");
  state ??= clone(original);

  // -- presets and their note
  const presetButtons = presets.map((preset) => {
    const node = button("preset", preset.title, preset.note);
    node.dataset.preset = preset.name;
    node.addEventListener("click", () => usePreset(preset));
    return node;
  });
  const presetBar = element("div", { className: "lecture-chat__presets" }, presetButtons.length ? [element("span", { className: "lecture-chat__label", textContent: "Examples:" }), ...presetButtons] : []);
  presetBar.setAttribute("role", "group");
  presetBar.setAttribute("aria-label", "Example conversations");
  presetBar.hidden = !presetButtons.length;
  const note = role(element("p", { className: "lecture-chat__note" }), "note");

  // -- settings
  const [formatSet, formatInputs] = radios("Format", `${root.id}-format`, FORMATS, state.format);
  const [maskSet, maskInputs] = radios("Train on", `${root.id}-mask`, MASKS, state.mask);
  const [systemLabel, systemBox] = checkbox("System message", false, "system");
  const [promptLabel, promptBox] = checkbox("Open an assistant turn (generation prompt)", state.prompt, "prompt");
  const [idsLabel, idsBox] = checkbox("Show ids", state.ids, "ids");
  const settings = element("div", { className: "lecture-chat__settings" }, [
    formatSet,
    maskSet,
    element("div", { className: "lecture-chat__checks" }, [systemLabel, promptLabel, idsLabel]),
  ]);

  // -- the messages
  const turns = role(element("ol", { className: "lecture-chat__turns" }), "turns");
  turns.setAttribute("aria-label", "Messages");
  const addButton = button("add", "+ Add message");

  // -- the output: legend, tokens, counts (live), table, errors
  const tokensHost = element("div", { className: "lecture-chat__tokens-host" });
  const summary = role(element("p", { className: "lecture-chat__summary" }), "summary");
  summary.setAttribute("aria-live", "polite");
  const found = role(element("div", { className: "lecture-chat__found-list" }), "found");
  const tableHost = element("div", { className: "lecture-chat__table-host" });
  const output = role(element("div", { className: "lecture-chat__output", hidden: true }, [legend(), tokensHost, summary, found, tableHost]), "output");
  const error = role(element("p", { className: "lecture-chat__error", hidden: true }), "error");
  error.setAttribute("role", "alert");

  // -- export / import / reset
  const downloadButton = button("download", "Download JSONL", "Save the conversation as one JSONL line");
  const copyButton = button("copy", "Copy JSONL", "Copy the conversation as one JSONL line");
  const importToggle = button("import-open", "Import JSONL…", "Paste a JSONL line to load its conversation");
  importToggle.setAttribute("aria-expanded", "false");
  const resetButton = button("reset", "Reset", "Restore the page's conversation");
  downloadButton.disabled = copyButton.disabled = true;
  const toolbarNote = role(element("span", { className: "lecture-chat__toolnote" }), "toolbar-note");
  toolbarNote.setAttribute("aria-live", "polite");
  const importInput = role(element("textarea", { className: "lecture-textarea lecture-chat__import-input", rows: 3, spellcheck: false, placeholder: '{"messages": [{"role": "user", "content": "Hi"}]}' }), "import-input");
  importInput.id = `${root.id}-import`;
  const importError = role(element("p", { className: "lecture-chat__error", hidden: true }), "import-error");
  importError.setAttribute("role", "alert");
  const importPanel = element("div", { className: "lecture-chat__import", hidden: true }, [
    element("label", { htmlFor: importInput.id, textContent: "One JSONL line, as exported: " }, [element("code", { textContent: '{"messages": [...]}' })]),
    importInput,
    element("div", { className: "lecture-chat__toolbar" }, [button("import", "Import"), button("import-cancel", "Cancel")]),
    importError,
  ]);
  const toolbar = element("div", { className: "lecture-chat__toolbar" }, [downloadButton, copyButton, importToggle, resetButton, toolbarNote]);

  const editor = element("div", { className: "lecture-chat__editor" }, [presetBar, note, settings, turns, addButton]);
  const view = element("div", { className: "lecture-chat" }, [editor, output, error, toolbar, importPanel]);
  staticView.before(view);
  output.before(staticView); // the build-time rendering stays in view until Python answers
  const staticChat = staticView.querySelector(".lecture-chat__output");

  // -- state
  let result = null; // the last answer drawn
  let inFlight = false;
  let queued = false;
  let started = false;
  let version = 0; // bumps on each change; answers for older versions are not drawn

  function save() {
    const same = sameMessages(state, original);
    store.set("state", same ? undefined : state);
    resetButton.disabled = same;
  }

  function changed({ rebuild = false } = {}) {
    version += 1;
    if (rebuild) drawTurns();
    systemBox.checked = state.messages.some((m) => m.role === "system");
    drawPreset();
    save();
    output.dataset.stale = "";
    if (staticChat) staticChat.dataset.stale = "";
    requestRender();
  }

  function drawPreset() {
    const preset = presets.find((p) => p.name === state.preset);
    for (const node of presetButtons) node.setAttribute("aria-pressed", String(node.dataset.preset === state.preset));
    note.textContent = preset ? preset.note : "";
    note.hidden = !preset;
  }

  function drawTurns() {
    const items = state.messages.map((message, index) => {
      const select = element(
        "select",
        { className: "lecture-chat__role" },
        ROLES.map((name) => element("option", { value: name, textContent: name, selected: name === message.role })),
      );
      select.setAttribute("aria-label", `Role of message ${index + 1}`);
      select.addEventListener("change", () => {
        state.messages[index].role = select.value;
        changed({ rebuild: true });
        turns.querySelectorAll("select")[index]?.focus();
      });
      const text = element("textarea", { className: "lecture-textarea lecture-chat__content", value: message.content, maxLength: MAX_LENGTH, spellcheck: false });
      text.rows = Math.min(10, Math.max(1, message.content.split("\n").length));
      text.setAttribute("aria-label", `Message ${index + 1} (${message.role})`);
      text.addEventListener("input", () => {
        state.messages[index].content = text.value;
        text.rows = Math.min(10, Math.max(1, text.value.split("\n").length));
        changed();
      });
      const remove = button("remove", "Remove", `Remove message ${index + 1}`);
      remove.setAttribute("aria-label", `Remove message ${index + 1}`);
      remove.addEventListener("click", () => {
        state.messages.splice(index, 1);
        changed({ rebuild: true });
        const next = turns.querySelectorAll("textarea")[Math.min(index, state.messages.length - 1)];
        (next ?? addButton).focus();
      });
      const item = element("li", { className: "lecture-chat__turn" }, [
        element("div", { className: "lecture-chat__turn-head" }, [element("span", { className: "lecture-chat__number", textContent: `${index + 1}` }), select, remove]),
        text,
      ]);
      item.dataset.role = message.role;
      return item;
    });
    turns.replaceChildren(...items);
  }

  function usePreset(preset) {
    state.messages = clone(preset.messages);
    state.find = preset.find ?? "";
    state.preset = preset.name;
    changed({ rebuild: true });
  }

  async function requestRender() {
    started = true;
    if (inFlight) {
      queued = true;
      return;
    }
    inFlight = true;
    try {
      do {
        queued = false;
        const asked = version;
        const payload = { messages: state.messages, format: state.format, mask: state.mask, generation_prompt: state.prompt, find: state.find };
        let answer;
        try {
          answer = await python.call("chat.view", clone(payload));
        } catch (failure) {
          showError(failure.name === "StoppedError" ? "Python was restarted; edit a message to render again." : failure.message);
          continue;
        }
        if (asked === version || !queued) draw(answer);
      } while (queued);
    } finally {
      inFlight = false;
    }
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function draw(answer) {
    if (!answer.ok) {
      showError(answer.error);
      return;
    }
    showError("");
    result = answer;
    tokensHost.replaceChildren(tokenRows(answer));
    summary.textContent = summaryText(answer);
    found.replaceChildren(...answer.found.map((entry) => element("p", { className: "lecture-chat__found", textContent: foundText(state.find, entry) })));
    tableHost.replaceChildren(countsTable(answer));
    delete output.dataset.stale;
    output.hidden = false;
    staticView.hidden = true;
    downloadButton.disabled = copyButton.disabled = false;
  }

  // -- events
  for (const input of formatInputs)
    input.addEventListener("change", () => {
      state.format = input.value;
      changed();
    });
  for (const input of maskInputs)
    input.addEventListener("change", () => {
      state.mask = input.value;
      changed();
    });
  systemBox.addEventListener("change", () => {
    if (systemBox.checked) state.messages.unshift({ role: "system", content: state.system || DEFAULT_SYSTEM });
    else {
      const first = state.messages.find((m) => m.role === "system");
      if (first) state.system = first.content;
      state.messages = state.messages.filter((m) => m.role !== "system");
    }
    changed({ rebuild: true });
  });
  promptBox.addEventListener("change", () => {
    state.prompt = promptBox.checked;
    changed();
  });
  const showIds = () => {
    if (state.ids) view.dataset.ids = "";
    else delete view.dataset.ids;
    if (staticChat) staticChat.toggleAttribute("data-ids", state.ids);
  };
  idsBox.addEventListener("change", () => {
    state.ids = idsBox.checked;
    showIds();
    save();
  });
  addButton.addEventListener("click", () => {
    const last = state.messages.at(-1)?.role;
    state.messages.push({ role: last === "user" ? "assistant" : "user", content: "" });
    changed({ rebuild: true });
    turns.querySelectorAll("textarea")[state.messages.length - 1]?.focus();
  });

  downloadButton.addEventListener("click", () => {
    if (!result) return;
    const url = URL.createObjectURL(new Blob([`${result.jsonl}\n`], { type: "application/x-ndjson" }));
    const link = element("a", { href: url, download: "conversation.jsonl" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    toolbarNote.textContent = "Downloaded conversation.jsonl.";
  });
  copyButton.addEventListener("click", async () => {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.jsonl);
      toolbarNote.textContent = "Copied one JSONL line.";
    } catch {
      toolbarNote.textContent = "The browser did not allow copying; use Download instead.";
    }
  });
  const openImport = (open) => {
    importPanel.hidden = !open;
    importToggle.setAttribute("aria-expanded", String(open));
    if (open) importInput.focus();
    else {
      importError.hidden = true;
      importToggle.focus();
    }
  };
  importToggle.addEventListener("click", () => openImport(importPanel.hidden));
  importPanel.addEventListener("click", async (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "import-cancel") openImport(false);
    if (action !== "import") return;
    let answer;
    try {
      answer = await python.call("chat.import_line", { text: importInput.value });
    } catch (failure) {
      answer = { ok: false, error: failure.message };
    }
    if (!answer.ok) {
      importError.textContent = answer.error;
      importError.hidden = false;
      importInput.focus();
      return;
    }
    importError.hidden = true;
    state.messages = answer.messages;
    state.preset = "";
    state.find = "";
    importInput.value = "";
    openImport(false);
    toolbarNote.textContent = `Imported ${plural(answer.messages.length, "message")}.`;
    changed({ rebuild: true });
  });
  importInput.addEventListener("keydown", (event) => {
    if (event.key === "Escape") openImport(false);
  });
  resetButton.addEventListener("click", () => {
    state = clone(original);
    for (const input of formatInputs) input.checked = input.value === state.format;
    for (const input of maskInputs) input.checked = input.value === state.mask;
    promptBox.checked = state.prompt;
    idsBox.checked = state.ids;
    showIds();
    toolbarNote.textContent = "The page's conversation is back.";
    const fromReset = document.activeElement === resetButton;
    changed({ rebuild: true }); // disables Reset, which would drop focus to the page
    if (fromReset) turns.querySelector("textarea")?.focus();
  });

  drawTurns();
  drawPreset();
  showIds();
  systemBox.checked = state.messages.some((m) => m.role === "system");
  resetButton.disabled = sameMessages(state, original);
  if (staticChat && !sameMessages({ ...state, ids: false }, { ...original, ids: false })) staticChat.dataset.stale = "";

  // Render when the widget comes into view (or is touched): that boots Python if needed.
  const begin = () => started || requestRender();
  const watcher = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && begin(), { rootMargin: "200px" });
  watcher.observe(root);
  root.addEventListener("pointerdown", begin);
  root.addEventListener("focusin", begin);

  return () => {
    watcher.disconnect();
    root.removeEventListener("pointerdown", begin);
    root.removeEventListener("focusin", begin);
    view.before(staticView);
    view.remove();
    staticView.hidden = false;
    if (staticChat) {
      delete staticChat.dataset.stale;
      staticChat.removeAttribute("data-ids");
    }
  };
}

/** For `mkdocs-lecture check`: Python renders a conversation in both formats. */
export async function smoke(root, { python }) {
  const messages = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello!" },
  ];
  for (const format of ["chatml", "harmony"]) {
    const answer = await python.call("chat.view", { messages, format, mask: "assistant" });
    if (!answer.ok || !answer.counts.trained) throw new Error(`chat.view answered ${JSON.stringify(answer).slice(0, 200)}`);
  }
}
