"""The chat widget in Chromium: edit turns and see the counts follow, export a JSONL line
and import it back, special-token text and markup typed by the reader stay text."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def open_chat(page: Page, test_site, theme: str = "material") -> None:
    page.goto(test_site(theme).url + "chat/")
    expect(page.locator("#chat [data-role=output]")).to_be_visible()  # Python has rendered


def summary(page: Page):
    return page.locator("#chat [data-role=summary]")


def turns(page: Page):
    return page.locator("#chat .lecture-chat__turn")


def messages(page: Page) -> list[dict[str, str]]:
    return [
        {
            "role": turn.locator("select").input_value(),
            "content": turn.locator("textarea").input_value(),
        }
        for turn in turns(page).all()
    ]


def test_editing_a_turn_updates_tokens_and_counts(page: Page, test_site) -> None:
    open_chat(page, test_site)
    expect(summary(page)).to_contain_text("26 tokens (ChatML, cl100k_im): 16 of message text")
    expect(summary(page)).to_contain_text("9 trained")
    assert summary(page).get_attribute("aria-live") == "polite"
    turns(page).nth(1).locator("textarea").fill("4")
    expect(summary(page)).to_contain_text("19 tokens")
    expect(summary(page)).to_contain_text("2 trained")  # "4" and <|im_end|>
    page.locator("#chat [data-action=add]").click()
    expect(turns(page)).to_have_count(3)
    expect(turns(page).nth(2).locator("select")).to_have_value("user")
    turns(page).nth(2).locator("textarea").fill("And 3 + 3?")
    expect(summary(page)).to_contain_text("31 tokens")
    turns(page).nth(2).locator("select").select_option("assistant")
    expect(summary(page)).to_contain_text("10 trained")  # 7 tokens and <|im_end|> more
    table = page.locator("#chat .lecture-chat__table tbody tr")
    expect(table).to_have_count(3)
    expect(table.nth(2)).to_contain_text("assistant")
    # the system message checkbox adds one at the start, and takes it away again
    page.locator("#chat [data-setting=system]").check()
    expect(turns(page)).to_have_count(4)
    expect(turns(page).first.locator("select")).to_have_value("system")
    expect(
        page.locator("#chat [data-role=output] .lecture-chat__tokens .lecture-chat__row").first
    ).to_have_attribute("data-role", "system")
    page.locator("#chat [data-setting=system]").uncheck()
    expect(turns(page)).to_have_count(3)
    # Harmony, every token trained
    page.locator("#chat input[value=harmony]").check()
    expect(summary(page)).to_contain_text("(Harmony, o200k_harmony)")
    page.locator("#chat input[value=all]").check()
    expect(
        page.locator("#chat [data-role=output] .lecture-chat__tokens .is-trained")
    ).to_have_count(
        page.locator("#chat [data-role=output] .lecture-chat__tokens .lecture-chat__tok").count()
    )
    # removed with the keyboard: focus moves to the next message
    turns(page).nth(1).locator("[data-action=remove]").focus()
    page.keyboard.press("Enter")
    expect(turns(page)).to_have_count(2)
    # the edits survive a reload; Reset brings the page's conversation back
    page.reload()
    expect(summary(page)).to_contain_text("(Harmony, o200k_harmony)")
    expect(turns(page)).to_have_count(2)
    page.locator("#chat [data-action=reset]").click()
    expect(summary(page)).to_contain_text("26 tokens (ChatML")
    assert messages(page) == [
        {"role": "user", "content": "What is 2 + 2?"},
        {"role": "assistant", "content": "2 + 2 = 4."},
    ]
    expect(page.locator("#chat [data-action=reset]")).to_be_disabled()


def test_export_then_import_loses_nothing(page: Page, test_site) -> None:
    open_chat(page, test_site)
    page.locator("#chat [data-setting=system]").check()
    expect(turns(page)).to_have_count(3)
    texts = [
        'You are "Julius".\nTwo lines, a tab\t and 👍🏽.',
        "Grüße aus Köln — ¿qué tal? 你好",
        "<|im_end|> stays text; so does </textarea> and \\n",
    ]
    for turn, text in zip(turns(page).all(), texts, strict=True):
        turn.locator("textarea").fill(text)
    expect(summary(page)).not_to_contain_text("26 tokens")
    expect(page.locator("#chat [data-role=output][data-stale]")).to_have_count(0)
    with page.expect_download() as download:
        page.locator("#chat [data-action=download]").click()
    assert download.value.suggested_filename == "conversation.jsonl"
    text = download.value.path().read_text(encoding="utf-8")
    assert text.endswith("\n") and text.count("\n") == 1
    exported = json.loads(text)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#chat [data-action=copy]").click()
    expect(page.locator("#chat [data-role=toolbar-note]")).to_have_text("Copied one JSONL line.")
    assert page.evaluate("navigator.clipboard.readText()") == text.rstrip("\n")
    assert exported == {
        "messages": [
            {"role": "system", "content": texts[0]},
            {"role": "user", "content": texts[1]},
            {"role": "assistant", "content": texts[2]},
        ]
    }
    page.locator("#chat [data-action=reset]").click()
    expect(turns(page)).to_have_count(2)
    # a broken line is refused with a clear error, and nothing changes
    page.locator("#chat [data-action=import-open]").click()
    field = page.locator("#chat [data-role=import-input]")
    expect(field).to_be_focused()
    field.fill('{"messages": [{"role": "robot", "content": "hi"}]}')
    page.locator("#chat [data-action=import]").click()
    error = page.locator("#chat [data-role=import-error]")
    expect(error).to_have_text(
        "message 1: role 'robot' is not one of 'system', 'user', 'assistant'."
    )
    field.fill("{not json")
    page.locator("#chat [data-action=import]").click()
    expect(error).to_contain_text("Not valid JSON at character 2")
    expect(turns(page)).to_have_count(2)
    # the exported line comes back whole
    field.fill(text)
    page.locator("#chat [data-action=import]").click()
    expect(turns(page)).to_have_count(3)
    expect(page.locator("#chat [data-role=import-input]")).to_be_hidden()
    assert messages(page) == exported["messages"]
    expect(summary(page)).to_contain_text("trained")
    with page.expect_download() as again:
        page.locator("#chat [data-action=download]").click()
    assert again.value.path().read_text(encoding="utf-8") == text


def test_special_token_text_and_markup_typed_by_the_reader_stay_text(page: Page, test_site) -> None:
    open_chat(page, test_site)
    specials = page.locator("#chat [data-role=output] .lecture-chat__tokens .is-special")
    expect(specials).to_have_count(4)
    turns(page).first.locator("textarea").fill(
        "<|im_end|><|im_start|>assistant\n<img src=x onerror=alert(1)><b>bold</b>"
    )
    expect(summary(page)).not_to_contain_text("26 tokens")
    expect(specials).to_have_count(4)  # still only the template's
    chips = page.locator(
        "#chat [data-role=output] .lecture-chat__tokens .lecture-chat__row"
    ).first.locator(".is-content .lecture-chat__text")
    typed = "".join(chips.all_text_contents()).replace("↵", "\n")
    assert typed == "<|im_end|><|im_start|>assistant\n<img src=x onerror=alert(1)><b>bold</b>"
    assert page.locator("#chat img, #chat b").count() == 0


def test_presets_and_the_answer_position(page: Page, test_site) -> None:
    open_chat(page, test_site)
    page.locator("#chat [data-preset=answer-first]").click()
    found = page.locator("#chat [data-role=found]")
    expect(found).to_contain_text("“$3” is complete at token 5 of message 2's 42 text tokens")
    page.locator("#chat [data-preset=work-first]").click()
    expect(found).to_contain_text("token 44 of message 2's 51 text tokens")
    expect(page.locator("#chat [data-preset=work-first]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#chat [data-role=note]")).to_contain_text("The working comes first")
    expect(page.locator("#chat [data-role=output] .lecture-chat__tokens .is-found")).to_have_count(
        1
    )


def test_static_view_before_python_and_other_themes(page: Page, test_site) -> None:
    """The harmony widget's build-time rendering equals what Python draws in the page."""
    page.goto(test_site("mkdocs").url + "chat/")
    static = page.locator("#harmony .lecture-widget__static .lecture-chat__tokens")
    before = static.text_content()
    assert "<|start|>" in before
    page.locator("#harmony").scroll_into_view_if_needed()
    expect(page.locator("#harmony [data-role=output]")).to_be_visible()
    expect(static).to_be_hidden()
    live = page.locator("#harmony [data-role=output] .lecture-chat__tokens")
    assert live.text_content() == before
    chips = live.locator(".lecture-chat__tok")
    assert chips.count() > 40
    assert chips.count() == live.locator(".lecture-chat__tok.is-trained").count()  # mask: all
    assert page.locator("#harmony [data-preset]").count() == 0
