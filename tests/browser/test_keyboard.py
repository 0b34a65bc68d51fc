"""Every widget by keyboard alone: reached with Tab from the top of the page, driven with
keys only (no click, no programmatic focus), with a visible focus indicator on each control
it passes, and its results written into live regions that were on screen before they changed
(a region that appears together with its text is not announced by screen readers)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

# The focused element, where its focus indicator is drawn, and whether it is visible. The
# indicator is drawn on the control itself, except on CodeMirror's frame (.cm-editor) for its
# editable content, and on the visible box after a visually hidden radio or checkbox.
FOCUSED = """() => {
  const element = document.activeElement;
  const describe = (node) => {
    const name = node.getAttribute("aria-label") || node.dataset.action || node.dataset.role
      || node.value || node.textContent.trim().slice(0, 30);
    return `${node.tagName.toLowerCase()}.${[...node.classList].join(".")} "${name}"`;
  };
  const shows = (node) => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== "none";
  };
  const drawers = [element];
  const frame = element.closest(".cm-editor");
  if (frame) drawers.push(frame);
  if (element.matches("input") && getComputedStyle(element).opacity === "0")
    drawers.push(element.nextElementSibling);
  const drawer = drawers.find((node) => node && shows(node));
  return {
    widget: element.closest("[data-lecture-widget]")?.id ?? null,
    what: element === document.body ? "body" : describe(element),
    focusVisible: element.matches(":focus-visible"),
    indicator: drawer ? describe(drawer) : null,
  };
}"""

# The live region holding `node` (aria-live, or a role that implies it), and whether it is
# rendered: a region inside display:none is not in the accessibility tree.
LIVE = """(node) => {
  const region = node.closest(
    '[aria-live]:not([aria-live="off"]), [role="status"], [role="log"], [role="alert"]');
  return {
    region: region ? region.outerHTML.slice(0, 120) : null,
    rendered: Boolean(region?.checkVisibility() && !region.closest('[aria-hidden="true"]')),
    text: node.textContent,
  };
}"""


class Keyboard:
    """`page.keyboard` with a check after each step: focus stays visible in the widgets."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def check_focus(self) -> dict:
        focused = self.focused()
        if focused["widget"] and not (focused["focusVisible"] and focused["indicator"]):
            # CodeMirror marks its frame focused a frame after the focus moves
            with suppress(PlaywrightTimeoutError):
                self.page.wait_for_function(
                    f"() => (({FOCUSED})()).indicator !== null", timeout=2000
                )
            focused = self.focused()
        if focused["widget"]:
            assert focused["focusVisible"], f"{focused['what']} is not :focus-visible"
            assert focused["indicator"], f"{focused['what']} has no outline or box-shadow"
        return focused

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        return self.check_focus()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=10)

    def select_all_and_type(self, text: str) -> None:
        self.page.keyboard.press("Control+a")
        self.type(text)

    def tab_into(self, widget: str, bound: int = 60) -> dict:
        """Tab from where focus is until it lands inside the widget `widget`."""
        path = []
        for _ in range(bound):
            focused = self.press("Tab")
            if focused["widget"] == widget:
                return focused
            path.append(focused["what"])
        raise AssertionError(f"#{widget} not reached in {bound} Tabs; focus went {path}")

    def tab_to(self, selector: str, *, backwards: bool = False, bound: int = 30) -> dict:
        """Tab (Shift+Tab) until the focused element matches `selector`."""
        path = []
        for _ in range(bound):
            focused = self.press("Shift+Tab" if backwards else "Tab")
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return focused
            path.append(focused["what"])
        raise AssertionError(f"{selector} not reached in {bound} Tabs; focus went {path}")


def live_text(target: Locator) -> str:
    """The text of `target`, once it is checked to be inside a rendered live region."""
    found = target.evaluate(LIVE)
    assert found["region"], f"{target} is not inside a live region"
    assert found["rendered"], f"the live region {found['region']} is hidden: not announced"
    return found["text"]


@contextmanager
def announces(target: Locator, text: str) -> Iterator[None]:
    """The keys pressed inside the block change `target`'s text to contain `text`, in a live
    region that was already rendered before the change."""
    before = live_text(target)
    yield
    # the change may come from Python a moment later: wait for it
    deadline = time.monotonic() + 30
    while live_text(target) == before:
        assert time.monotonic() < deadline, f"{target} did not change: nothing to announce"
        target.page.wait_for_timeout(50)
    expect(target).to_contain_text(text)


def test_python_cells_run_edit_stop_and_reset_by_keyboard(page: Page, test_site) -> None:
    page.goto(test_site().url + "cells/")
    keys = Keyboard(page)

    def cell(name: str, selector: str) -> Locator:
        return page.locator(f"#{name} {selector}")

    # the runtime has mounted the cells (the code becomes a focusable textbox)
    expect(page.locator("#first > [role=textbox]")).to_have_attribute("tabindex", "0")
    # Ctrl+Enter on the code runs the cell without opening the editor
    assert "Python code" in keys.tab_into("first")["what"]
    with announces(cell("first", "[data-role=output]"), "x is 21"):
        keys.press("Control+Enter")
    # Run by Tab and Enter (focus stays on Run)
    keys.tab_to("#double [data-action=run]")
    with announces(cell("double", "[data-role=output]"), "42"):
        keys.press("Enter")
    expect(cell("double", "[data-action=run]")).to_be_enabled()
    expect(cell("double", "[data-action=run]")).to_be_focused()
    # Enter on the code opens the editor, focused; Ctrl+Enter runs the edit
    keys.tab_to("#double .lecture-widget__static", backwards=True)
    keys.press("Enter")
    expect(cell("double", ".cm-content")).to_be_focused()
    assert keys.check_focus()["indicator"].startswith("div.cm-editor")
    keys.select_all_and_type("print(x * 3)")
    with announces(cell("double", "[data-role=output]"), "63"):
        keys.press("Control+Enter")
    # Tab indents in the editor; Escape then Tab leaves it, to Run
    keys.press("Escape")
    keys.press("Tab")
    expect(cell("double", "[data-action=run]")).to_be_focused()
    expect(cell("double", "[data-action=reset]")).to_be_enabled()  # the edit is saved
    keys.press("Tab")
    expect(cell("double", "[data-action=reset]")).to_be_focused()
    with announces(cell("double", "[data-role=note]"), "Original code restored"):
        keys.press("Enter")
    expect(cell("double", ".cm-content")).to_contain_text("print(x * 2)")
    expect(cell("double", ".cm-content")).to_be_focused()  # Reset, disabled, gave focus on
    # Stop is reached by Tab while the code runs; focus returns to Run afterwards
    keys.press("Escape")  # out of the editor (Tab would indent)
    keys.tab_to("#loop [data-action=run]")
    keys.press("Space")
    expect(page.locator("#loop")).to_have_attribute("data-state", "busy")
    keys.press("Tab")
    expect(cell("loop", "[data-action=stop]")).to_be_focused()
    with announces(cell("loop", "[data-role=note]"), "Stopped"):
        keys.press("Enter")
    expect(cell("loop", "[data-action=run]")).to_be_focused()
    keys.check_focus()


def test_labeling_game_labels_and_undoes_by_keyboard(page: Page, test_site) -> None:
    page.goto(test_site().url + "labeling/")
    sentence = page.locator("#game [data-role=sentence]")
    score = page.locator("#game [data-role=score]")
    points = page.locator("#game circle[data-point]")
    expect(sentence).to_be_visible()  # the game has started in Python
    keys = Keyboard(page)
    keys.tab_into("game")
    expect(sentence).to_be_focused()
    # the keys on the sentence card
    with announces(sentence, ""), announces(score, "after 1 label"):
        keys.press("ArrowRight")
    with announces(score, "after 2 labels"):
        keys.press("1")
    # the buttons, reached by Tab: Enter and Space
    keys.tab_to("#game [data-action=label][data-label=negative]")
    with announces(score, "after 3 labels"):
        keys.press("Enter")
    keys.press("Tab")
    expect(page.locator("#game [data-action=label][data-label=positive]")).to_be_focused()
    with announces(score, "after 4 labels"):
        keys.press("Space")
    expect(points).to_have_count(4)
    with announces(sentence, ""):
        keys.tab_to("#game [data-action=skip]")
        keys.press("Enter")
    # undo: the skip, then the labels, with Enter on Undo and Backspace
    keys.press("Tab")
    expect(page.locator("#game [data-action=undo]")).to_be_focused()
    with announces(sentence, ""):
        keys.press("Enter")
    for n in (3, 2, 1):
        with announces(score, f"after {n} label"):
            keys.press("Enter" if n % 2 else "Backspace")
        expect(points).to_have_count(n)
    with announces(score, "after 0 labels"):
        keys.press("Enter")
    # Undo is disabled now: the sentence card has the focus (and the keys) again
    expect(page.locator("#game [data-action=undo]")).to_be_disabled()
    expect(sentence).to_be_focused()
    keys.check_focus()
    with announces(score, "after 1 label"):
        keys.press("2")
    # the reader's own sentence: typed, then Enter submits it
    keys.tab_to("#game input")
    keys.type("a wonderful and moving film")
    with announces(page.locator("#game [data-role=try-result]"), "%"):
        keys.press("Enter")
    keys.tab_to("#game [data-action=transfer]")
    with announces(page.locator("#game [data-role=experiment]"), "on product reviews"):
        keys.press("Enter")


def test_tokenizer_types_moves_through_tokens_and_shows_merges_by_keyboard(
    page: Page, test_site
) -> None:
    page.goto(test_site().url + "tokenizer/")
    panel = page.locator("#tok .lecture-tokenizer--live > .lecture-tokenizer__panels > *")
    count = panel.locator("[data-role=count]")
    announcer = page.locator("#tok [data-role=announce]")
    expect(count).to_have_text("14 tokens")  # Python has answered
    keys = Keyboard(page)
    keys.tab_into("tok")
    expect(page.locator("#tok [data-role=input]")).to_be_focused()
    # typing: the count follows, and is announced
    with announces(announcer, "cl100k_base: 2 tokens"):
        keys.select_all_and_type("hello world")
    expect(count).to_have_text("2 tokens")
    # a preset, by Tab and Enter
    keys.tab_to("#tok [data-action=preset]:nth-child(3)")  # strawberry
    with announces(announcer, "cl100k_base: 18 tokens"):
        keys.press("Enter")
    expect(count).to_have_text("18 tokens")
    # the chips' mode: one Tab stop, arrow keys choose
    keys.tab_to("#tok input[type=radio]")
    keys.press("ArrowRight")
    expect(page.locator("#tok .lecture-tokenizer--live")).to_have_attribute("data-show", "ids")
    keys.press("ArrowLeft")
    expect(page.locator("#tok .lecture-tokenizer--live")).to_have_attribute("data-show", "tokens")
    # the chips: one Tab stop, arrows, Home and End move; the detail line follows
    keys.press("Tab")
    chips = panel.locator(".lecture-tok")
    expect(chips.first).to_be_focused()
    detail = panel.locator("[data-role=detail]")
    expect(detail).to_contain_text("Token 1 of 18")
    for _ in range(2):
        keys.press("ArrowRight")
    expect(chips.nth(2)).to_be_focused()
    expect(detail).to_contain_text("Token 3 of 18")
    keys.press("End")
    expect(chips.last).to_be_focused()
    keys.press("Home")
    expect(chips.first).to_be_focused()
    strawberry = chips.filter(has_text="strawberry")
    index = chips.all_text_contents().index(strawberry.text_content())
    for _ in range(index):
        keys.press("ArrowRight")
    expect(strawberry).to_be_focused()
    # Enter shows the merges (announced); Tab reaches Close, Enter closes, focus comes back
    merges = page.locator("#tok [data-role=merges]")
    with announces(announcer, "How cl100k_base builds “·strawberry”"):
        keys.press("Enter")
    expect(merges).to_contain_text("→ 73700")
    keys.press("Tab")
    expect(merges.locator("[data-action=close-merges]")).to_be_focused()
    keys.press("Enter")
    expect(merges).to_be_hidden()
    expect(strawberry).to_be_focused()
    # Space shows them too, Escape closes
    keys.press("ArrowLeft")
    with announces(announcer, "How cl100k_base builds"):
        keys.press("Space")
    expect(merges).to_be_visible()
    keys.press("Escape")
    expect(merges).to_be_hidden()
    expect(chips.nth(index - 1)).to_be_focused()
    # Shift+Tab goes back through the mode and the presets to the text
    keys.tab_to("#tok [data-role=input]", backwards=True)


def test_chat_edits_adds_and_removes_messages_by_keyboard(page: Page, test_site) -> None:
    page.goto(test_site().url + "chat/")
    summary = page.locator("#chat [data-role=summary]")
    turns = page.locator("#chat .lecture-chat__turn")
    expect(summary).to_contain_text("26 tokens")  # Python has rendered
    keys = Keyboard(page)
    keys.tab_into("chat")
    # edit the assistant's reply
    keys.tab_to("#chat textarea[aria-label^='Message 2']")
    with announces(summary, "19 tokens"):
        keys.select_all_and_type("4")
    # + Add message, then type into the new message, which has the focus
    keys.tab_to("#chat [data-action=add]")
    keys.press("Enter")
    expect(turns).to_have_count(3)
    expect(turns.nth(2).locator("textarea")).to_be_focused()
    with announces(summary, "31 tokens"):
        keys.type("And 3 + 3?")
    # its role, with the arrow keys on the select: focus stays on it
    keys.tab_to("#chat select[aria-label='Role of message 3']", backwards=True)
    with announces(summary, "10 trained"):
        keys.press("ArrowDown")
    expect(turns.nth(2).locator("select")).to_have_value("assistant")
    expect(turns.nth(2).locator("select")).to_be_focused()
    # Remove message 2 with its button: focus moves to the message now second
    keys.tab_to("#chat [aria-label='Remove message 2']", backwards=True)
    with announces(summary, "trained"):
        keys.press("Enter")
    expect(turns).to_have_count(2)
    expect(turns.nth(1).locator("textarea")).to_have_value("And 3 + 3?")
    expect(turns.nth(1).locator("textarea")).to_be_focused()
    # a setting: the system message checkbox, with Space
    keys.tab_to("#chat [data-setting=system]", backwards=True)
    keys.press("Space")
    expect(turns).to_have_count(3)
    expect(turns.first.locator("select")).to_have_value("system")
    # Reset, by Tab: the page's conversation is back, focus goes on at its first message
    keys.tab_to("#chat [data-action=reset]")
    with announces(page.locator("#chat [data-role=toolbar-note]"), "conversation is back"):
        keys.press("Enter")
    expect(summary).to_contain_text("26 tokens")
    expect(turns).to_have_count(2)
    expect(page.locator("#chat [data-action=reset]")).to_be_disabled()
    expect(turns.first.locator("textarea")).to_be_focused()
    keys.check_focus()
