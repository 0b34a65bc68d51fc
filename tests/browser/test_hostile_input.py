"""Hostile text typed or pasted into each widget, in Chromium: deep nesting, a huge line,
markup, control characters, lone surrogates. Each widget answers or says what is wrong;
no fatal Pyodide error reaches the console (the `page` fixture fails on any console
error) and Python still answers afterwards. 5,000 '[' pasted into the chat import used
to overflow Pyodide's WebAssembly stack in the worker."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HOSTILE = {
    "deep list": "[" * 5_000 + "]" * 5_000,
    "deep messages": '{"messages": [' + "[" * 20_000 + "]}",
    "huge line": '{"messages": "' + "a" * 300_000 + '"}',
    "markup": '<script>alert(1)</script><img src=x onerror="alert(1)">',
    "control characters": "\x01\x07\x1b[31mred\x1b[0m\u2028\u0085",
    "lone surrogates": "ok \ud800 then \udfff",
}


def answered(page: Page, answer, act) -> None:
    """`act`, then wait for the widget to write `answer` again (cleared first, so that the
    previous answer does not count), and check the page does not scroll sideways."""
    answer.evaluate("node => { node.textContent = ''; }")
    act()
    expect(answer).not_to_be_empty()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"


def test_hostile_text_in_the_chat_import(page: Page, test_site) -> None:
    page.goto(test_site().url + "chat/")
    expect(page.locator("#chat [data-role=output]")).to_be_visible()
    page.locator("#chat [data-action=import-open]").click()
    field = page.locator("#chat [data-role=import-input]")
    error = page.locator("#chat [data-role=import-error]")
    for text in HOSTILE.values():
        field.fill(text)
        answered(page, error, page.locator("#chat [data-action=import]").click)
        expect(page.locator("div#chat")).not_to_have_attribute("data-state", "error")
    field.fill('{"messages": [{"role": "user", "content": "still here"}]}')
    page.locator("#chat [data-action=import]").click()
    expect(page.locator("#chat [data-role=summary]")).to_contain_text("tokens")


def test_hostile_text_in_the_tokenizer_and_the_game(page: Page, test_site) -> None:
    page.goto(test_site().url + "tokenizer/")
    box = page.locator("#tok [data-role=input]")
    count = page.locator(
        "#tok .lecture-tokenizer--live > .lecture-tokenizer__panels [data-role=count]"
    )
    expect(count).to_have_text("14 tokens")
    for text in HOSTILE.values():
        answered(page, count, lambda text=text: box.fill(text[:20_000]))
    box.fill("hello world")
    expect(count).to_have_text("2 tokens")
    page.goto(test_site().url + "labeling/")
    own = page.locator("#game input")
    result = page.locator("#game [data-role=try-result]")
    for text in HOSTILE.values():
        own.fill(text[:2_000])
        answered(page, result, page.locator("#game [data-action=try]").click)
    expect(page.locator("div#game")).not_to_have_attribute("data-state", "error")
