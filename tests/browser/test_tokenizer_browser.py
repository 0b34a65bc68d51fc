"""The tokenizer in Chromium: live typing, presets, merges, keyboard, markup as text, width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# cl100k_base's tokens for the preset, as tiktoken gives them (tests/unit checks the ids)
NINE = ["What", " is", " bigger", ",", " ", "9", ".", "11", " or", " ", "9", ".", "9", "?"]
NINE_IDS = "3923 374 11493 11 220 24 13 806 477 220 24 13 24 30"


def live(page: Page, widget: str = "tok"):
    """The live panels of a widget, once Python has answered."""
    panels = page.locator(f"#{widget} .lecture-tokenizer--live > .lecture-tokenizer__panels")
    expect(panels).to_be_visible()
    return panels


def chips(panel) -> list[str]:
    texts = panel.locator(".lecture-tok > .lecture-tok__text").all_text_contents()
    return [text.replace("·", " ").replace("↵", "\n") for text in texts]


def test_static_view_first_then_live_tokens(browser, test_site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(test_site().url + "tokenizer/")
    static = page.locator("#tok .lecture-widget__static")
    assert chips(static) == NINE
    expect(static.locator("[data-role=count]")).to_have_text("14 tokens")
    context.close()


def test_typing_updates_tokens_and_count(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    panels = live(page)
    count = panels.locator("[data-role=count]")
    expect(count).to_have_text("14 tokens")
    box = page.locator("#tok [data-role=input]")
    box.fill("")
    expect(count).to_have_text("0 tokens")
    box.press_sequentially("hello world", delay=20)
    expect(count).to_have_text("2 tokens")
    assert chips(panels) == ["hello", " world"]
    expect(panels.locator("[data-role=ids]")).to_have_text("15339 1917 ")
    expect(panels.locator("[data-role=ratio]")).to_have_text("5.5 characters per token")
    box.press("End")
    box.press("Backspace")
    expect(count).to_have_text("3 tokens")
    assert chips(panels) == ["hello", " wor", "l"]
    expect(page.locator("#tok [data-role=announce]")).to_have_text("cl100k_base: 3 tokens")


def test_presets_show_the_lectures_cases(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    panels = live(page)
    page.locator("#tok [data-action=preset]", has_text="strawberry").click()
    expect(panels.locator("[data-role=count]")).to_have_text("18 tokens")
    assert " strawberry" in chips(panels) and chips(panels)[-3:] == [" r", " r", " y"]
    page.locator("#tok [data-action=preset]", has_text="9.11 vs 9.9").click()
    expect(panels.locator("[data-role=count]")).to_have_text("14 tokens")
    assert chips(panels) == NINE
    expect(panels.locator("[data-role=ids]")).to_have_text(NINE_IDS + " ")
    expect(page.locator("#tok [data-action=preset]", has_text="9.11 vs 9.9")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.locator("#tok [data-action=preset]", has_text="Emoji").click()
    split = panels.locator(".lecture-tok--split")
    expect(split).to_have_count(2)
    expect(split.first.locator(".lecture-tok__hex")).to_have_text(["20 f0 9f 91", "8d"])


def test_markup_typed_shows_as_text(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    panels = live(page)
    page.locator("#tok [data-role=input]").fill("<img src=x onerror=alert(1)><b>bold</b>")
    expect(panels.locator("[data-role=count]")).to_have_text("17 tokens")
    assert "".join(chips(panels)) == "<img src=x onerror=alert(1)><b>bold</b>"
    assert page.locator("#tok img, #tok b").count() == 0


def test_hover_links_a_token_to_its_id_and_click_shows_merges(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    panels = live(page)
    page.locator("#tok [data-action=preset]", has_text="strawberry").click()
    expect(panels.locator("[data-role=count]")).to_have_text("18 tokens")
    token = panels.locator(".lecture-tok", has_text="strawberry")
    token.hover()
    expect(panels.locator("[data-role=ids] .is-active")).to_have_text("73700 ")
    expect(panels.locator("[data-role=detail]")).to_contain_text("id 73700")
    token.click()
    merges = page.locator("#tok [data-role=merges]")
    expect(merges).to_be_visible()
    expect(merges).to_contain_text("How cl100k_base builds “·strawberry”")
    steps = merges.locator("li")
    expect(steps.first.locator(".lecture-tokenizer__part")).to_have_count(11)
    expect(steps.last.locator(".lecture-tokenizer__part")).to_have_text(["·strawberry"])
    expect(steps.last).to_contain_text("→ 73700")
    page.keyboard.press("Escape")
    expect(merges).to_be_hidden()
    expect(token).to_be_focused()


def test_keyboard_moves_through_tokens(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    panels = live(page)
    first = panels.locator(".lecture-tok").first
    expect(first).to_have_attribute("tabindex", "0")
    first.focus()
    expect(panels.locator("[data-role=detail]")).to_contain_text("Token 1 of 14")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(panels.locator(".lecture-tok").nth(2)).to_be_focused()
    expect(panels.locator("[data-role=detail]")).to_contain_text("“·bigger” = id 11493")
    page.keyboard.press("End")
    expect(panels.locator(".lecture-tok").last).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#tok [data-role=merges]")).to_contain_text("nothing to merge")


def test_two_encodings_side_by_side_with_ids(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    root = page.locator("#pair")
    root.scroll_into_view_if_needed()
    panels = live(page, "pair")
    expect(panels.locator("[data-encoding]")).to_have_count(2)
    expect(panels.locator("[data-role=count]")).to_have_text(["15 tokens", "13 tokens"])
    assert root.locator("[data-action=preset]").count() == 0
    # special-token text is plain text: no id of <|endoftext|> (100257, 199999)
    ids = " ".join(panels.locator(".lecture-tok__id").all_text_contents()).split()
    assert "100257" not in ids and "199999" not in ids
    first = panels.locator(".lecture-tok").first
    expect(first.locator(".lecture-tok__id")).to_be_visible()  # show: both
    root.locator("label", has_text="Tokens").click()
    expect(first.locator(".lecture-tok__id")).to_be_hidden()
    root.locator("label", has_text="Ids").click()
    expect(first.locator(".lecture-tok__text")).to_be_hidden()
    expect(first.locator(".lecture-tok__id")).to_be_visible()


def test_fits_a_narrow_phone(page: Page, test_site) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(test_site().url + "tokenizer/")
    panels = live(page)
    page.locator("#tok [data-role=input]").fill("x" * 400 + " " + "supercalifragilistic" * 10)
    expect(panels.locator("[data-role=count]")).not_to_have_text("14 tokens")
    page.locator("#pair").scroll_into_view_if_needed()
    live(page, "pair")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
