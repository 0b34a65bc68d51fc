"""The exercise widget in Chromium: per-check feedback with the reader's values, hints one
by one, the solution after the attempts the author set, solved and still solved after a
reload, a runaway attempt stopped, all by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_keyboard import Keyboard, announces

pytestmark = pytest.mark.browser
EXERCISE = "#square"


def open_exercise(page: Page, test_site) -> None:
    page.goto(test_site().url + "exercise/")
    expect(page.locator(EXERCISE)).to_have_attribute("data-state", "ready")


def type_code(page: Page, keys: Keyboard, code: str) -> None:
    """Into the editor, by keyboard: Enter on the code opens it."""
    keys.tab_to(f"{EXERCISE} pre[role=textbox], {EXERCISE} .cm-content")
    if page.evaluate("document.activeElement.matches('pre')"):
        keys.press("Enter")
        expect(page.locator(f"{EXERCISE} .cm-content")).to_be_focused()
    keys.select_all_and_type(code)


def test_feedback_hints_reveal_and_solved_by_keyboard(page: Page, test_site) -> None:
    open_exercise(page, test_site)
    root = page.locator(EXERCISE)
    feedback = root.locator("[data-role=feedback]")
    keys = Keyboard(page)
    keys.tab_into("square")
    keys.tab_to(f"{EXERCISE} [data-action=check]")
    with announces(feedback, "0 of 2 checks pass"):
        keys.press("Enter")
    expect(feedback).to_contain_text("square(3) == 9: expected 9, got 3")
    expect(feedback).to_contain_text("square(-2) == 4: expected 4, got -2")
    expect(feedback).not_to_contain_text("x * x")  # never the solution
    reveal = root.locator("[data-action=reveal]")
    expect(reveal).to_be_disabled()  # after 2 attempts
    keys.tab_to(f"{EXERCISE} [data-action=hint]")
    keys.press("Enter")
    expect(root.locator(".lecture-exercise__hints li")).to_have_count(1)
    keys.press("Enter")
    expect(root.locator(".lecture-exercise__hints li")).to_have_text(
        ["Multiply x by itself.", "return x * x"]
    )
    type_code(page, keys, "def square(x):\n    return 3 * abs(x)\n")
    with announces(feedback, "1 of 2 checks pass"):
        keys.press("Control+Enter")
    expect(feedback).to_contain_text("square(-2) == 4: expected 4, got 6")
    expect(reveal).to_be_enabled()
    type_code(page, keys, "def square(x):\n    return x ** 2\n")
    with announces(feedback, "Solved: all 2 checks pass"):
        keys.press("Control+Enter")
    expect(root).to_have_attribute("data-solved", "true")
    expect(root.locator("[data-role=status-line]")).to_contain_text("Solved ✓ · 3 attempts")
    page.reload()
    expect(root).to_have_attribute("data-solved", "true")
    expect(root.locator(".lecture-exercise__hints li")).to_have_count(2)
    root.locator("[data-action=reveal]").click()
    expect(root.locator(".lecture-exercise__solution")).to_have_text(
        "def square(x):\n    return x * x\n"
    )


def test_a_runaway_attempt_is_stopped(page: Page, test_site) -> None:
    open_exercise(page, test_site)
    root = page.locator(EXERCISE)
    root.locator("pre[role=textbox]").click()
    page.locator(f"{EXERCISE} .cm-content").press("Control+a")
    page.keyboard.type("def square(x):\n    while True:\n        pass\n", delay=5)
    root.locator("[data-action=check]").click()
    expect(root.locator("[data-action=stop]")).to_be_enabled()
    page.wait_for_timeout(500)
    root.locator("[data-action=stop]").click()
    expect(root.locator("[data-role=feedback]")).to_contain_text("Stopped")
    expect(root.locator("[data-action=check]")).to_be_enabled()
    page.locator(f"{EXERCISE} .cm-content").press("Control+a")
    page.keyboard.type("def square(x):\n    return x * x\n", delay=5)
    root.locator("[data-action=check]").click()
    expect(root.locator("[data-role=feedback]")).to_contain_text("Solved", timeout=60_000)
