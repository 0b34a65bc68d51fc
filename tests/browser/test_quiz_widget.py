"""The quiz widget in Chromium: a wrong answer explained, a right one marked and kept
after a reload, several correct choices, a predicted output; by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_keyboard import Keyboard, announces

pytestmark = pytest.mark.browser


def test_single_choice_by_keyboard_explained_marked_and_kept(page: Page, test_site) -> None:
    page.goto(test_site().url + "quiz/")
    quiz = page.locator("#mask")
    feedback = quiz.locator("[data-role=feedback]")
    keys = Keyboard(page)
    keys.tab_into("mask")  # the first choice
    keys.press("Space")
    with announces(feedback, "Not quite"):
        keys.press("Enter")
    expect(feedback).to_contain_text("They are context")
    keys.press("ArrowDown")  # the second choice
    with announces(feedback, "Correct."):
        keys.press("Enter")
    expect(feedback).to_contain_text("to end them")
    expect(quiz).to_have_attribute("data-solved", "true")
    page.reload()
    expect(quiz).to_have_attribute("data-solved", "true")
    expect(quiz.locator("input[value='1']")).to_be_checked()
    expect(feedback).to_contain_text("Correct.")


def test_several_correct_choices_and_a_predicted_output(page: Page, test_site) -> None:
    page.goto(test_site().url + "quiz/")
    both = page.locator("#both")
    both.locator("label", has_text="<|im_start|>").click()
    both.locator("[data-action=check]").click()
    expect(both.locator("[data-role=feedback]")).to_contain_text("Not quite")
    both.locator("label", has_text="<|im_end|>").click()
    both.locator("[data-action=check]").click()
    expect(both.locator("[data-role=feedback]")).to_contain_text("Correct.")
    assert both.locator("label", has_text="<b>assistant</b>").count() == 1  # text, not markup
    predict = page.locator("#predict")
    predict.locator("textarea").fill("3")
    predict.locator("[data-action=check]").click()
    expect(predict.locator("[data-role=feedback]")).to_have_text("Not quite: try again.")
    predict.locator("textarea").fill(" 4 ")
    predict.locator("[data-action=check]").click()
    expect(predict.locator("[data-role=feedback]")).to_contain_text("Correct.")
    expect(predict).to_have_attribute("data-solved", "true")
