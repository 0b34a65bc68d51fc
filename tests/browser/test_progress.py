"""The progress widget in Chromium: it counts what the reader solved on other pages, from
the build's list of the site's exercises and questions, and exports the answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_progress_counts_solved_questions_and_exports_them(page: Page, test_site) -> None:
    site = test_site()
    page.goto(site.url + "progress/")
    summary = page.locator("[data-lecture-widget=progress] [data-role=summary]")
    expect(summary).to_have_text("The course: 0 of 4 exercises and questions solved.")
    page.goto(site.url + "quiz/")
    page.locator("#mask label", has_text="What the assistant writes").click()
    page.locator("#mask [data-action=check]").click()
    expect(page.locator("#mask")).to_have_attribute("data-solved", "true")
    page.goto(site.url + "progress/")
    expect(summary).to_have_text("The course: 1 of 4 exercises and questions solved.")
    pages = page.locator("[data-lecture-widget=progress] li")
    expect(pages).to_have_text(["Exercise 0 of 1", "Quiz 1 of 3"])  # page titles, counts
    assert pages.first.locator("a").get_attribute("href") == site.url + "exercise/"
    with page.expect_download() as download:
        page.locator("[data-lecture-widget=progress] [data-action=export]").click()
    text = Path(download.value.path()).read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(line["page"], line["id"], bool(line["state"].get("solved"))) for line in lines] == [
        ("exercise/", "square", False),
        ("quiz/", "mask", True),
        ("quiz/", "both", False),
        ("quiz/", "predict", False),
    ]


def test_a_page_of_questions_only_never_starts_python(page: Page, test_site, watch) -> None:
    page.goto(test_site().url + "progress/")
    root = page.locator("[data-lecture-widget=progress]")
    expect(root).to_have_attribute("data-state", "ready")  # it needs nothing else
    root.locator("[data-action=export]").focus()
    page.wait_for_load_state("load")
    page.wait_for_timeout(2500)  # past the load event and the idle callback
    assert not [url for url in watch.workers if "/assets/lecture/" in url]  # (search has one)
    assert not [url for url in watch.requests if "/pyodide/" in url]
