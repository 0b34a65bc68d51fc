"""Rich output of the `python` cell in Chromium: HTML in a sandboxed frame that runs
nothing, images, `display(...)` in order with prints, matplotlib (a stand-in: its
WebAssembly wheel is not available here)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def run(page: Page, widget_id: str):
    cell = page.locator(f"#{widget_id}")
    cell.locator("[data-action=run]").click()
    return cell.locator("[data-role=output]")


def test_html_shows_in_a_frame_that_runs_nothing(page: Page, test_site) -> None:
    page.goto(test_site().url + "rich/")
    output = run(page, "html")
    frame = output.locator("iframe.lecture-python__html")
    expect(frame).to_have_attribute("sandbox", "allow-same-origin")  # no allow-scripts
    shown = page.frame_locator("#html iframe").locator("#shown")
    expect(shown).to_have_text("Rich HTML")
    expect(shown.locator("b")).to_have_count(1)  # markup, not text
    page.wait_for_timeout(300)  # (a handler would have run by now)
    assert page.evaluate("[window.ranScript, window.ranHandler, document.title]")[:2] == [
        None,
        None,
    ]
    assert page.title() != "ran"
    inside = page.frame_locator("#html iframe")
    expect(inside.locator("script")).to_have_count(0)
    expect(inside.locator("[onerror]")).to_have_count(0)
    height = frame.evaluate("(node) => node.getBoundingClientRect().height")
    assert 20 < height < 150  # fitted to its paragraph, not the default 8em frame


def test_png_shows_as_an_image(page: Page, test_site) -> None:
    page.goto(test_site().url + "rich/")
    image = run(page, "png").locator("img.lecture-python__image")
    expect(image).to_have_attribute("alt", re.compile(r"^<__main__\.Swatch object at 0x"))
    assert image.evaluate("(img) => [img.complete, img.naturalWidth, img.naturalHeight]") == [
        True,
        40,
        20,
    ]


def test_displays_keep_their_place_among_prints(page: Page, test_site) -> None:
    page.goto(test_site().url + "rich/")
    output = run(page, "mixed")
    expect(output).to_contain_text("'last'")
    parts = output.evaluate(
        """(node) => [...node.children].map((child) =>
            child.dataset.type ?? `${child.dataset.stream}:${child.textContent}`)"""
    )
    assert parts == [
        "stdout:before\n",
        "text/html",
        "image/svg+xml",
        "stdout:between\n",
        "text/markdown",
        "stdout:[1, 2]\nafter\n",
        "value:'last'\n",
    ]
    markdown = output.locator("[data-type='text/markdown']")
    expect(markdown).to_have_text("# Title\n\n*emphasis*")  # its source, as text
    svg = output.locator("[data-type='image/svg+xml'] img")
    assert svg.evaluate("(img) => img.complete && img.naturalWidth") == 30
    expect(page.frame_locator("#mixed iframe").locator("i")).to_have_text("one")


def test_matplotlib_figures_show_as_images(page: Page, test_site) -> None:
    page.goto(test_site().url + "rich/")
    output = run(page, "figure")
    images = output.locator("img.lecture-python__image")
    expect(images).to_have_count(2)
    parts = output.evaluate(
        """(node) => [...node.children].map((child) =>
            child.dataset.type ?? `${child.dataset.stream}:${child.textContent}`)"""
    )
    assert parts == ["stdout:drawn\n", "image/png", "stdout:shown\n", "image/png"]
    widths = images.evaluate_all("(all) => all.map((img) => img.complete && img.naturalWidth)")
    assert widths == [61, 61]
    expect(images.first).to_have_attribute(
        "alt", re.compile(r"^<matplotlib\.figure\.Figure object at 0x")
    )
