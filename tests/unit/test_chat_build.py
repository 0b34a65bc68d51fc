"""The chat widget's build-time side (options, static view, data files) and the JSON of
the calls its view makes, on CPython."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from lecture_widgets import chat, rpc
from lecture_widgets.chat import OPTIONS, VIEW, render_static
from lecture_widgets.chat.calls import import_line, view
from lecture_widgets.chat.display import MAX_SHOWN
from lecture_widgets.chat.presets import DEFAULT_MESSAGES, PRESETS
from lecture_widgets.chat.render import render
from mkdocs_lecture.registry import discover
from support import build_errors, build_site, site_wheel

ROOT = Path(__file__).resolve().parents[2]
VIEW_JS = (ROOT / "widgets/chat/view.js").read_text(encoding="utf-8")
BASIC = [
    {"role": "user", "content": "What is 2 + 2?"},
    {"role": "assistant", "content": "2 + 2 = 4."},
]


class Chips(HTMLParser):
    """The tags of an HTML fragment and the text of each token chip."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.chips: list[tuple[str, str]] = []  # (text, classes of the chip)
        self.classes: list[str] = []
        self.depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if self.depth:
            self.depth += 1
        elif attrs.get("class") == "lecture-chat__text" and self.classes:
            self.depth = 1
            self.chips.append(("", self.classes[-1]))
        if "lecture-chat__tok" in (attrs.get("class") or ""):
            self.classes.append(attrs["class"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            text, classes = self.chips[-1]
            self.chips[-1] = (text + data, classes)


def page_html(fence: str) -> str:
    return markdown.markdown(f"```{{chat}}\n{fence}\n```\n", extensions=["lecture"])


def options_of(html: str) -> dict:
    [(_, attrs)] = [(t, a) for t, a in Chips(html).tags if "data-lecture-options" in a]
    return json.loads(attrs["data-lecture-options"])


# ---------------------------------------------------------------- options, in a build


@pytest.mark.parametrize(
    ("option", "line", "message"),
    [
        ("format: chatXML", 5, 'option \'format\' is "chatXML"; valid choices: "chatml", '),
        ("mask: users", 5, 'option \'mask\' is "users"; valid choices: "assistant", "all".'),
        ("preset: nope", 5, 'option \'preset\' is "nope"; valid choices: "basic", '),
        ("presets: maybe", 5, "option 'presets' must be of type boolean"),
        ("messages: hello", 5, "option 'messages' must be of type array"),
        ("messages: []", 5, "option 'messages': [] should be non-empty"),
        (
            "messages:\n  - {role: bot, content: hi}",
            5,
            'option \'messages.0.role\' is "bot"; valid choices: "system", "user", "assistant"',
        ),
        (
            "messages:\n  - {role: user}",
            5,
            "option 'messages': message 1 has no 'content'.",
        ),
        (
            "messages:\n  - {role: user, content: hi, weight: 0}",
            5,
            "option 'messages': message 1 has keys this widget does not keep: 'weight'",
        ),
        ("messages:\n  - {role: user, content: 3}", 5, "must be of type string"),
        (
            "preset: basic\nmessages:\n  - {role: user, content: hi}",
            5,
            "option 'preset': give either 'messages' or 'preset', not both",
        ),
        ("fromat: harmony", 5, "unknown option 'fromat'. Valid options: find, format, id, mask,"),
    ],
)
def test_bad_options_fail_the_build_with_line_and_choices(tmp_path: Path, option, line, message):
    page = f"# Chat\n\n```{{chat}}\nid: c\n{option}\n```\n"
    errors = build_errors(tmp_path, {"index.md": page})
    assert f"docs/index.md:{line}: widget '{{chat}}'" in errors, errors
    assert message in errors, errors


def test_site_carries_the_rank_files_of_both_formats(tmp_path: Path) -> None:
    pages = {"a.md": "```{chat}\nmessages:\n  - {role: user, content: '<img src=x>'}\n```\n"}
    site = build_site(tmp_path, pages)
    data = site / "assets/lecture/widgets/tokenizer/data"
    assert sorted(path.name for path in data.iterdir()) == [
        "cl100k_base.tokens.gz",
        "o200k_base.tokens.gz",
    ]
    assert (site / "assets/lecture/widgets/chat/view.js").is_file()
    html = (site / "a/index.html").read_text()
    assert "<img" not in html
    assert (
        'data-lecture-files="tokenizer/data/cl100k_base.tokens.gz '
        'tokenizer/data/o200k_base.tokens.gz"'
    ) in html
    names = site_wheel(site).namelist()
    assert "lecture_widgets/chat/render.py" in names
    assert not [name for name in names if name.endswith((".gz", ".js", ".css"))]


def test_data_files_name_the_pages_format_first() -> None:
    assert chat.data_files({"format": "harmony"}) == [
        "tokenizer/data/o200k_base.tokens.gz",
        "tokenizer/data/cl100k_base.tokens.gz",
    ]
    folder = Path(chat.__file__).parent.parent
    for name in chat.data_files({"format": "chatml"}):
        assert (folder / name).is_file()


def test_registered_as_a_widget_with_the_calls_its_view_makes() -> None:
    widget = discover()["chat"]
    assert widget.view_css is not None
    assert widget.constants == VIEW
    made = set(re.findall(r'python\.call\("chat\.(\w+)"', VIEW_JS))
    assert made == set(chat.CALLS)
    with pytest.raises(LookupError, match="has no call 'render'"):
        rpc.call("chat.render", json.dumps({"messages": []}))


# ---------------------------------------------------------------- VIEW: Python's facts for view.js


def test_view_constants_are_json_and_the_vocabularies_python_accepts() -> None:
    assert json.loads(json.dumps(VIEW)) == VIEW  # no tuples: the view gets what is here
    properties = OPTIONS["properties"]
    assert VIEW["roles"] == properties["messages"]["items"]["properties"]["role"]["enum"]
    assert [f["name"] for f in VIEW["formats"]] == properties["format"]["enum"]
    assert [m["name"] for m in VIEW["masks"]] == properties["mask"]["enum"]
    for fmt in VIEW["formats"]:
        result = view(DEFAULT_MESSAGES, fmt["name"])
        assert (result["title"], result["tokenizer"]) == (fmt["title"], fmt["tokenizer"])
    for mask in VIEW["masks"]:
        assert view(DEFAULT_MESSAGES, "chatml", mask["name"])["ok"]
    for role in VIEW["roles"]:
        assert view([{"role": role, "content": "x"}])["ok"]
    assert view([{"role": "tool", "content": "x"}])["ok"] is False


def test_static_view_draws_with_the_constants_the_view_gets() -> None:
    """The legend, kinds and markers the static view draws are VIEW's (so the live view,
    which draws from VIEW, shows the same)."""
    messages = [{"role": "assistant", "content": "a\n\t\r  "}]
    options = {"messages": messages, "format": "chatml", "mask": "assistant", "find": ""}
    html = render_static(options)
    parsed = Chips(html)
    legend = [(entry["text"], f"lecture-chat__tok {entry['classes']}") for entry in VIEW["legend"]]
    assert parsed.chips[: len(legend)] == legend
    for entry in VIEW["legend"]:
        assert f"<span>{entry['label']}</span>" in html
    for marker in VIEW["markers"].values():
        assert marker in html
    assert VIEW["space_marker"] * 2 in html
    assert f"{VIEW['kinds']['special']} · not trained" in html
    assert f"{VIEW['kinds']['content']} · trained" in html


def js_strings(source: str) -> list[str]:
    """The string literals of a JavaScript source (its comments left out)."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"(^|\s)//.*$", "", source, flags=re.M)
    literals = re.findall(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`""", source)
    return [literal[1:-1] for literal in literals]


def test_view_js_declares_none_of_pythons_facts() -> None:
    """Names, labels and limits come from VIEW: no string of view.js is (or holds) one.
    Role and kind names stay in its logic (the system checkbox, a new message after a
    user's, special chips), and so do the legend's one-word samples ("user", "trained")."""
    facts = [
        *(f[key] for f in VIEW["formats"] for key in ("name", "title", "tokenizer")),
        *(m["label"] for m in VIEW["masks"]),
        VIEW["default_system"],
        *VIEW["markers"].values(),
        VIEW["space_marker"],
        *VIEW["kinds"].values(),
        *(e["text"] for e in VIEW["legend"] if not e["text"].isalpha()),
        *(e[key] for e in VIEW["legend"] for key in ("classes", "label")),
        VIEW["truncated_note"],
    ]
    facts = [fact for fact in facts if fact not in VIEW["roles"]]
    strings = js_strings(VIEW_JS)
    assert "lecture-chat__tok" in strings and len(facts) > 25  # the check reads view.js
    declared = [f for f in facts if any(f == s or (len(f) > 7 and f in s) for s in strings)]
    assert declared == []
    limits = [f"{MAX_SHOWN}", f"{MAX_SHOWN:,}", f"{MAX_SHOWN:_}"]
    assert [n for n in limits if re.search(rf"(?<![\w,.]){n}(?![\w,.])", VIEW_JS)] == []


# ---------------------------------------------------------------- prepare and options


def test_defaults_preset_and_messages() -> None:
    options = options_of(page_html("id: c"))
    assert options["messages"] == DEFAULT_MESSAGES
    assert (options["format"], options["mask"], options["find"], options["preset"]) == (
        "chatml",
        "assistant",
        "",
        "",
    )
    assert [p["name"] for p in options["presets"]] == list(PRESETS)
    options = options_of(page_html("preset: work-first\npresets: false"))
    assert options["messages"] == PRESETS["work-first"]["messages"]
    assert options["find"] == "$3"
    assert options["presets"] == []
    options = options_of(page_html("preset: work-first\nfind: apples"))
    assert options["find"] == "apples"


def test_the_identity_and_basic_presets_the_lecture_uses() -> None:
    assert "identity" in PRESETS and "basic" in PRESETS
    roles = [m["role"] for m in PRESETS["basic"]["messages"]]
    assert roles == ["user", "assistant", "user", "assistant"]
    assert PRESETS["identity"]["messages"][-1]["role"] == "assistant"
    assert PRESETS["identity-system"]["messages"][0]["role"] == "system"
    search = PRESETS["search"]["messages"][-1]["content"]
    assert search == "<SEARCH_START>Orson Kovacs<SEARCH_END>"


# ---------------------------------------------------------------- the static view


def unmark(text: str) -> str:
    """A chip's text with the whitespace its markers stand for."""
    for character, marker in VIEW["markers"].items():
        text = text.replace(marker, character)
    return text.replace(VIEW["space_marker"], " ")


@pytest.mark.parametrize("fmt", ["chatml", "harmony"])
def test_static_view_shows_every_token_and_escapes_markup(fmt: str) -> None:
    messages = [
        {"role": "system", "content": "<script>alert(1)</script>"},
        {"role": "user", "content": '<img src=x onerror="alert(1)"> & <b>bold</b>'},
        {"role": "assistant", "content": "Fine 👍🏽 <|im_end|>\n\nok"},
    ]
    options = {"messages": messages, "format": fmt, "mask": "assistant", "find": ""}
    html = render_static(options)
    parsed = Chips(html)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "img", "b")]
    chips = parsed.chips[6:]  # after the legend's six
    assert "".join(unmark(chip) for chip, _ in chips) == render(messages, fmt)["text"]
    trained = sum("is-trained" in classes for _, classes in chips)
    groups = [g for row in view(messages, fmt)["rows"] for g in row["groups"]]
    assert trained == sum(g["trained"] for g in groups) > 0  # 👍🏽 is one chip of 3 tokens
    assert f"{render(messages, fmt)['total']} tokens" in html


def test_static_view_reports_the_answer_position() -> None:
    html = render_static({**PRESETS["answer-first"], "format": "chatml", "mask": "assistant"})
    assert "is complete at token 5 of message 2" in html
    assert html.count("is-found") == 1


# ---------------------------------------------------------------- the calls, as JSON


def test_view_json_shape() -> None:
    result = json.loads(
        rpc.call(
            "chat.view",
            json.dumps({"messages": BASIC, "format": "chatml", "mask": "assistant"}),
        )
    )
    assert result["ok"] is True
    assert result["counts"] == {"total": 26, "content": 16, "overhead": 10, "trained": 9}
    assert result["summary"] == (
        "26 tokens (ChatML, cl100k_im): 16 of message text, 10 of template; 9 trained."
    )
    assert [row["role"] for row in result["rows"]] == ["user", "assistant"]
    first = result["rows"][0]["groups"][0]
    assert first == {
        "text": "<|im_start|>",
        "ids": [100264],
        "kind": "special",
        "trained": False,
        "found": False,
    }
    assert result["messages"][1] == {
        "role": "assistant",
        "tokens": 13,
        "content": 8,
        "overhead": 5,
        "trained": 9,
    }
    assert result["generation_prompt"] is None
    assert json.loads(result["jsonl"]) == {"messages": BASIC}


def test_view_groups_split_characters() -> None:
    result = view([{"role": "user", "content": " 👍🏽"}], "chatml")
    groups = result["rows"][0]["groups"]
    split = [g for g in groups if "parts" in g]
    assert split and all(len(g["parts"]) == len(g["ids"]) > 1 for g in split)
    assert "".join(g["text"] for g in groups) == "<|im_start|>user\n 👍🏽<|im_end|>\n"


def test_view_generation_prompt_row() -> None:
    result = view(BASIC, "harmony", "all", True)
    assert result["generation_prompt"] == {"tokens": 2, "trained": 2}
    assert [g["text"] for g in result["rows"][-1]["groups"]] == ["<|start|>", "assistant"]


def test_view_and_import_answer_errors_as_json() -> None:
    bad = view([{"role": "robot", "content": "x"}], "chatml")
    assert bad == {"ok": False, "error": "message 1: role 'robot' is not one of 'system', "
                   "'user', 'assistant'."}  # fmt: skip
    assert view(BASIC, "llama")["ok"] is False
    assert view(BASIC, "chatml", "users")["ok"] is False
    imported = json.loads(rpc.call("chat.import_line", json.dumps({"text": view(BASIC)["jsonl"]})))
    assert imported == {"ok": True, "messages": BASIC}
    error = import_line("{not json")
    assert error["ok"] is False and error["error"].startswith("Not valid JSON at character 2")


def test_view_draws_at_most_max_shown_tokens_and_counts_all() -> None:
    result = view([{"role": "user", "content": "a b " * 5_000}], "chatml")
    drawn = sum(len(g["ids"]) for row in result["rows"] for g in row["groups"])
    assert drawn == MAX_SHOWN and result["truncated"]
    assert result["counts"]["total"] > MAX_SHOWN
    assert f" {MAX_SHOWN:,} tokens" in VIEW["truncated_note"]
    html = render_static(
        {"messages": [{"role": "user", "content": "a b " * 5_000}], "format": "chatml",
         "mask": "assistant", "find": ""}
    )  # fmt: skip
    assert html.count('class="lecture-chat__tok ') == MAX_SHOWN + len(VIEW["legend"])
    assert VIEW["truncated_note"] in html


def test_the_browsers_imports_load_no_static_view_nor_html_builder() -> None:
    """What the browser runs (the package, its calls, a view) loads neither static.py
    nor xml.etree nor Pygments."""
    code = (
        "import sys, lecture_widgets.chat, lecture_widgets.chat.calls as c;"
        "c.view([{'role': 'user', 'content': 'x'}]);"
        "print(sorted(m for m in sys.modules if m.startswith(('lecture_widgets.chat.static',"
        " 'lecture_widgets.html', 'xml.etree', 'pygments'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
    render_static({"messages": BASIC, "format": "chatml", "mask": "assistant", "find": ""})
    assert "lecture_widgets.chat.static" in sys.modules  # the test above can fail
