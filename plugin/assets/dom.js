// DOM helpers shared by the widgets' views: text goes in as text nodes, never as HTML.

/** An element with properties (e.g. className, textContent) and children (nodes or text). */
export function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
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
