// The reader's progress: the course's exercises and questions (listed at build time in
// config.js, `solvable`), how many are solved, on this page and page by page, and the
// reader's answers exported as JSONL. Solved is what each widget saved (`solved`).

import config from "../../config.js";
import { button, download, element, role } from "../../dom.js";
import { pagePath, widgetStore } from "../../store.js";

export function mount(root) {
  const staticView = root.querySelector(":scope > .lecture-widget__static");
  const summary = role(element("p", { className: "lecture-progress__summary" }), "summary");
  const list = element("ul", { className: "lecture-progress__pages" });
  const exportButton = button("export", "Export my answers (JSONL)");
  const node = element("div", { className: "lecture-progress" }, [summary, list, element("p", {}, [exportButton])]);
  staticView.after(node);
  staticView.hidden = true;
  const draw = () => show(summary, list);
  draw();
  exportButton.addEventListener("click", exportAnswers);
  addEventListener("storage", draw); // solved in another tab
  return () => {
    removeEventListener("storage", draw);
    node.remove();
    staticView.hidden = false;
  };
}

const saved = ({ page, id }) => widgetStore(id, { page });

function byPage() {
  const pages = new Map();
  for (const entry of config.solvable) {
    if (!pages.has(entry.page)) pages.set(entry.page, { title: entry.title, entries: [] });
    pages.get(entry.page).entries.push(entry);
  }
  return pages;
}

function show(summary, list) {
  const here = pagePath();
  const pages = byPage();
  const solved = (entries) => entries.filter((entry) => saved(entry).get("solved")).length;
  const all = config.solvable;
  const onPage = pages.get(here)?.entries ?? [];
  summary.textContent =
    `The course: ${solved(all)} of ${all.length} exercises and questions solved` +
    (onPage.length ? `; this page: ${solved(onPage)} of ${onPage.length}.` : ".");
  list.replaceChildren(
    ...[...pages].map(([page, { title, entries }]) => {
      const link = element("a", { href: new URL(`../../../../${page}`, import.meta.url).href, textContent: title });
      return element("li", {}, [link, ` ${solved(entries)} of ${entries.length}`]);
    }),
  );
}

function exportAnswers() {
  const lines = config.solvable.map((entry) =>
    JSON.stringify({ page: entry.page, widget: entry.widget, id: entry.id, state: saved(entry).all() }),
  );
  download("my-answers.jsonl", `${lines.join("\n")}\n`);
}
