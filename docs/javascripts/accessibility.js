// The course's fix for the theme: tables that scroll sideways can be scrolled by keyboard
// (axe: scrollable-region-focusable). Material wraps tables at run time, after each
// instant-navigation swap too, so this follows document$.
const focusable = () => {
  for (const region of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    region.tabIndex = 0;
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", "Table (scrolls sideways)");
  }
};
globalThis.document$
  ? globalThis.document$.subscribe(focusable)
  : document.addEventListener("DOMContentLoaded", focusable);
