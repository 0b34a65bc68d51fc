// DOM helpers shared by the widgets' views: text goes in as text nodes, never as HTML.

/** An element with properties (e.g. className, textContent) and children (nodes or text). */
export function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

/** An SVG element with attributes and children (for the widgets' charts). */
export function svg(tag, attributes = {}, children = []) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A runtime-styled button with `data-action`; `content` is text, a node, or a list of them. */
export function button(action, content, title = "") {
  const node = element("button", { type: "button", className: "lecture-button", title }, [content].flat());
  node.dataset.action = action;
  return node;
}

/** Mark `node` with `data-role` (a stable hook for tests and authors' CSS). */
export function role(node, name) {
  node.dataset.role = name;
  return node;
}

/** Offer `text` to the reader as a file named `filename` (JSONL, for the widgets' exports). */
export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
  const link = element("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
