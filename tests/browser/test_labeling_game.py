"""The labeling game in Chromium: keyboard labeling, the curve, reload, markup as text."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def points(page: Page):
    return page.locator("#game circle[data-point]")


def label_with_keys(page: Page, count: int) -> None:
    sentence = page.locator("#game [data-role=sentence]")
    expect(sentence).to_be_visible()  # the game has started in Python
    sentence.focus()
    for n in range(1, count + 1):
        page.keyboard.press("ArrowRight" if n % 2 else "1")
        expect(points(page)).to_have_count(n)


def test_keyboard_labels_draw_the_curve_and_survive_a_reload(page: Page, test_site) -> None:
    page.goto(test_site().url + "labeling/")
    label_with_keys(page, 10)
    expect(page.locator("#game [data-role=score]")).to_contain_text("after 10 labels")
    page.keyboard.press("Backspace")
    expect(points(page)).to_have_count(9)
    page.keyboard.press("2")
    expect(points(page)).to_have_count(10)
    before = page.locator("#game [data-role=curve]").inner_html()
    page.reload()
    expect(points(page)).to_have_count(10)
    assert page.locator("#game [data-role=curve]").inner_html() == before


def test_export_gives_one_jsonl_line_per_label(page: Page, test_site) -> None:
    page.goto(test_site().url + "labeling/")
    label_with_keys(page, 3)
    with page.expect_download() as download:
        page.locator("#game [data-action=export]").click()
    lines = download.value.path().read_text().splitlines()
    assert [json.loads(line)["label"] for line in lines] == ["positive", "negative", "positive"]
    assert all(json.loads(line)["text"] for line in lines)


def test_own_sentence_with_markup_shows_as_text(page: Page, test_site) -> None:
    page.goto(test_site().url + "labeling/")
    label_with_keys(page, 2)
    page.locator("#game input").fill("<img src=x onerror=alert(1)> great boring")
    page.locator("#game [data-action=try]").click()
    result = page.locator("#game [data-role=try-result]")
    expect(result).to_contain_text("%")
    assert page.locator("#game img").count() == 0
