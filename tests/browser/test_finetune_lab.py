"""The fine-tuning lab in Chromium: train, watch the curves grow, Stop, compare both
models, reload and get the same model back; by keyboard alone, with progress announced."""

from __future__ import annotations

import pytest
from lecture_widgets.finetune.conversations import DEFAULT_CONVERSATIONS
from playwright.sync_api import Page, expect
from site_server import until
from test_keyboard import Keyboard, live_text

pytestmark = pytest.mark.browser
LAB = "#lab"


def open_lab(page: Page, test_site) -> None:
    page.goto(test_site().url + "finetune/")
    page.locator(LAB).scroll_into_view_if_needed()
    expect(page.locator(f"{LAB} .lecture-finetune__summary")).to_contain_text("base model 0 of 11")


def points(page: Page, line: str) -> int:
    return len(
        (
            page.locator(f"{LAB} .lecture-finetune__{line}-line").get_attribute("points") or ""
        ).split()
    )


def tuned_answers(page: Page) -> list[str]:
    return page.locator(f"{LAB} [data-role=compare] tbody tr td:nth-child(3)").all_inner_texts()


def test_train_stop_compare_and_reload_to_the_same_model(page: Page, test_site) -> None:
    open_lab(page, test_site)
    root = page.locator(LAB)
    assert points(page, "train") == 0 and points(page, "held") == 1  # before any step
    page.locator(f"{LAB} [data-action=train]").click()
    expect(root).to_have_attribute("data-state", "busy")
    until(lambda: points(page, "train") >= 13, "a dozen steps drawn")
    until(lambda: points(page, "held") >= 2, "a held-out loss (every 12 steps)")
    page.locator(f"{LAB} [data-action=stop]").click()
    expect(page.locator(f"{LAB} [data-action=train]")).to_be_enabled()
    expect(root).to_have_attribute("data-state", "ready")
    progress = page.locator(f"{LAB} [data-role=progress]").inner_text()
    assert progress.startswith("Trained ") and " steps; held-out loss " in progress
    steps = int(progress.split()[1])
    assert 12 <= steps < len(DEFAULT_CONVERSATIONS)  # stopped in the first epoch; it stays
    compare = page.locator(f"{LAB} [data-role=compare]")
    expect(compare.locator(".lecture-finetune__summary")).to_contain_text(f"(step {steps})")
    expect(compare.locator("tbody tr")).to_have_count(11)
    assert all(compare.locator("tbody tr").nth(i).locator("td").count() == 2 for i in range(11))
    before = tuned_answers(page)
    assert (
        before
        != page.locator(f"{LAB} [data-role=compare] tbody tr td:nth-child(2)").all_inner_texts()
    )
    page.reload()
    page.locator(LAB).scroll_into_view_if_needed()
    expect(compare.locator(".lecture-finetune__summary")).to_contain_text(
        f"(step {steps})", timeout=60_000
    )
    assert tuned_answers(page) == before  # retrained, same seed: the same model
    assert points(page, "train") == steps


def test_the_lab_by_keyboard_announces_progress_and_the_mask_switch(page: Page, test_site) -> None:
    open_lab(page, test_site)
    keys = Keyboard(page)
    keys.tab_into("lab")
    keys.tab_to(f"{LAB} [data-action=train]", backwards=True)
    announce = page.locator(f"{LAB} .lecture-finetune__controls [aria-live=polite]")
    before = live_text(announce)
    keys.press("Enter")
    expect(page.locator(f"{LAB} [data-action=stop]")).to_be_focused()  # Train is disabled
    until(lambda: live_text(announce) != before, "progress announced")
    expect(announce).to_contain_text("step")
    expect(page.locator(f"{LAB} [data-action=train]")).to_be_focused(timeout=60_000)  # one epoch
    epoch = len(DEFAULT_CONVERSATIONS)  # one conversation a step
    expect(page.locator(f"{LAB} .lecture-finetune__summary")).to_contain_text(f"(step {epoch})")
    keys.tab_to(f"{LAB} [data-role=mask]")
    keys.press("Space")
    expect(page.locator(f"{LAB} [data-role=progress]")).to_contain_text("every token")
    expect(page.locator(f"{LAB} .lecture-finetune__summary")).to_contain_text("(step 0)")


def test_an_imported_conversation_without_an_answer_is_refused_by_line(
    page: Page, test_site
) -> None:
    open_lab(page, test_site)
    page.locator(f"{LAB} details summary").click()
    page.locator(f"{LAB} textarea[aria-label='Paste JSONL']").fill(
        '{"messages": [{"role": "user", "content": "Hi"}, '
        '{"role": "assistant", "content": "Hello."}]}\n'
        '{"messages": [{"role": "user", "content": "<b>x</b>"}]}'
    )
    page.locator(f"{LAB} [data-action=import]").click()
    expect(page.locator(f"{LAB} [data-role=data-message]")).to_have_text(
        "Conversation 2: it has no assistant message to learn from"
    )
    expect(page.locator(f"{LAB} .lecture-finetune__conversations > li")).to_have_count(
        len(DEFAULT_CONVERSATIONS)
    )
