"""The tokenizer widget's build-time side (options, static view, data files) and the JSON
of the calls its view makes, on CPython."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from lecture_widgets import rpc, tokenizer
from lecture_widgets.tokenizer import CALLS, OPTIONS, VIEW, calls, data_files, render_static
from lecture_widgets.tokenizer.calls import merges, tokenize
from lecture_widgets.tokenizer.encodings import get_encoding, list_encoding_names
from lecture_widgets.tokenizer.facts import MAX_MERGE_BYTES, MAX_SHOWN, MAX_TEXT
from mkdocs_lecture.bundle import build_wheel
from mkdocs_lecture.registry import discover
from support import build_errors, build_site, site_wheel
from tokenizer_reference import make_corpus

NAMES = ["r50k_base", "cl100k_base", "o200k_base"]
DEFAULTS = {name: option["default"] for name, option in OPTIONS["properties"].items()}
VIEW_JS = (Path(tokenizer.__file__).parent / "view.js").read_text(encoding="utf-8")
NINE = ["What", " is", " bigger", ",", " ", "9", ".", "11", " or", " ", "9", ".", "9", "?"]


def groups(entry: dict) -> list[dict]:
    return [group for piece in entry["pieces"] for group in piece]


class Tags(HTMLParser):
    """The tags of an HTML fragment, its text, and the text of each token chip."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.chips: list[str] = []
        self.depth = 0  # > 0 inside a chip's text
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("class") == "lecture-tok__text":
            self.depth = 1
            self.chips.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        self.text += data
        if self.depth:
            self.chips[-1] += data


# ---------------------------------------------------------------- options, in a build


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "encodings: [cl100k]",
            'option \'encodings.0\' is "cl100k"; valid choices: "r50k_base", "gpt2", '
            '"cl100k_base", "o200k_base".',
        ),
        ("encodings: cl100k_base", "option 'encodings' must be of type array"),
        ("encodings: []", "option 'encodings': [] should be non-empty"),
        (
            "encodings: [gpt2, r50k_base, cl100k_base, o200k_base]",
            "option 'encodings': ['gpt2', 'r50k_base', 'cl100k_base', 'o200k_base'] is too long",
        ),
        ("show: text", '\'show\' is "text"; valid choices: "tokens", "ids", "both".'),
        ("whitespace: maybe", "option 'whitespace' must be of type boolean"),
        ("txt: hello", "unknown option 'txt'. Valid options: encodings, id, presets, show, "),
    ],
)
def test_bad_options_fail_the_build_with_line_and_choices(tmp_path: Path, option, message):
    page = f"# Tokens\n\n```{{tokenizer}}\ntext: hello\n{option}\n```\n"
    errors = build_errors(tmp_path, {"index.md": page})
    assert "docs/index.md:5: widget '{tokenizer}'" in errors, errors
    assert message in errors, errors


def test_site_ships_only_the_rank_files_its_pages_use(tmp_path: Path) -> None:
    pages = {
        "a.md": "```{tokenizer}\ntext: <img src=x onerror=alert(1)>\n```\n",
        "b.md": "```{tokenizer}\nencodings: [gpt2, r50k_base]\n```\n",
    }
    site = build_site(tmp_path, pages)
    data = site / "assets/lecture/widgets/tokenizer/data"
    assert sorted(path.name for path in data.iterdir()) == [
        "cl100k_base.tokens.gz",
        "r50k_base.tokens.gz",
    ]
    html = (site / "a/index.html").read_text()
    assert "<img" not in html
    assert 'data-lecture-files="tokenizer/data/cl100k_base.tokens.gz"' in html
    assert 'data-lecture-widget="tokenizer"' in html
    names = site_wheel(site).namelist()
    assert "lecture_widgets/tokenizer/calls.py" in names
    assert not [name for name in names if name.endswith((".gz", ".js", ".css"))]


def test_data_files_are_the_fences_encodings_only() -> None:
    assert data_files(DEFAULTS) == ["tokenizer/data/cl100k_base.tokens.gz"]
    assert data_files({"encodings": ["gpt2", "r50k_base"]}) == [
        "tokenizer/data/r50k_base.tokens.gz"
    ]
    assert data_files({"encodings": ["o200k_base", "r50k_base"]}) == [
        "tokenizer/data/o200k_base.tokens.gz",
        "tokenizer/data/r50k_base.tokens.gz",
    ]
    folder = Path(tokenizer.__file__).parent
    for name in NAMES:
        assert (folder.parent / data_files({"encodings": [name]})[0]).is_file()


def test_registered_as_a_widget_with_its_calls() -> None:
    widget = discover()["tokenizer"]
    assert widget.view_css is not None
    assert widget.schema["properties"]["encodings"]["default"] == ["cl100k_base"]
    assert widget.constants == VIEW
    # calls.py holds the calls and nothing public besides; the view makes exactly these
    public = {
        name
        for name, value in vars(calls).items()
        if inspect.isfunction(value)
        and value.__module__ == calls.__name__
        and not name.startswith("_")
    }
    assert public == set(CALLS)
    assert set(re.findall(r'"tokenizer\.(\w+)"', VIEW_JS)) == set(CALLS)
    with pytest.raises(LookupError, match="has no call 'get_encoding'"):
        rpc.call("tokenizer.get_encoding", json.dumps({"name": "cl100k_base"}))


def test_the_package_imports_no_engine_and_no_html_builder() -> None:
    """What the browser imports with the package: the contract, not xml.etree nor the BPE."""
    code = (
        "import sys, lecture_widgets.tokenizer; "
        "print(sorted(m for m in sys.modules if m.startswith(('xml', 'pygments', "
        "'lecture_widgets.tokenizer.core', 'lecture_widgets.tokenizer.static'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- what the view reads


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_view_constants_are_json_and_the_options_vocabularies() -> None:
    assert json.loads(json.dumps(VIEW)) == VIEW  # no tuples or other non-JSON values
    properties = OPTIONS["properties"]
    assert list(VIEW["models"]) == properties["encodings"]["items"]["enum"]
    assert list(VIEW["models"]) == list_encoding_names()  # every encoding is offered
    assert list(VIEW["show"]) == properties["show"]["enum"]
    assert properties["show"]["default"] in VIEW["show"]


def test_view_limits_agree_with_the_calls() -> None:
    # the text box never sends a text tokenize refuses
    assert VIEW["max_input"] <= MAX_TEXT
    tokenize("x" * VIEW["max_input"], ["cl100k_base"])
    # the view's "up to N bytes" is where merges stops showing steps
    limit = VIEW["max_merge_bytes"]
    assert not merges("cl100k_base", "a" * limit)["too_long"]
    assert merges("cl100k_base", "a" * (limit + 1))["too_long"]


def test_view_smoke_answers_are_the_tokenizers() -> None:
    smoke = VIEW["smoke"]
    assert list(smoke["ids"]) == list(VIEW["models"])
    for name, ids in smoke["ids"].items():
        assert get_encoding(name).encode(smoke["text"]) == ids, name


def test_view_presets_fit_the_text_box() -> None:
    labels = [preset["label"] for preset in VIEW["presets"]]
    assert len(set(labels)) == len(labels) and "Original" not in labels  # the fence's text
    for preset in VIEW["presets"]:
        assert 0 < len(preset["text"]) <= VIEW["max_input"], preset["label"]
        entry = tokenize(preset["text"], ["cl100k_base"])["encodings"][0]
        assert 0 < entry["count"] <= MAX_SHOWN, preset["label"]


def test_static_view_prints_the_views_markers_labels_and_models() -> None:
    html = render_static({**DEFAULTS, "text": "a b\tc\r\nd", "encodings": NAMES})
    for marker in VIEW["markers"].values():
        assert f'<span class="lecture-tok__ws">{marker}</span>' in html, marker
    for name in NAMES:
        assert f'<span class="lecture-tokenizer__model">{VIEW["models"][name]}</span>' in html
    assert html.count(VIEW["labels"]["ids"]) == len(NAMES)
    assert html.count(VIEW["labels"]["per_token"]) == len(NAMES)


def test_view_js_declares_none_of_the_python_facts() -> None:
    """One source for each fact: no value of VIEW (nor an encoding's name) is written in
    view.js's code, long texts anywhere, short ones as literals, numbers as numbers."""
    code = re.sub(r"/\*.*?\*/", "", VIEW_JS, flags=re.DOTALL)
    code = re.sub(r"^\s*//.*$|\s//\s.*$", "", code, flags=re.MULTILINE)
    assert "python.call" in code and "constants.markers" in code
    for leaf in [*_leaves(VIEW), *VIEW["models"]]:
        if isinstance(leaf, str) and len(leaf) >= 8:
            escaped = json.dumps(leaf, ensure_ascii=False)[1:-1]  # "\n" as written in code
            assert leaf not in code and escaped not in code, leaf
        elif isinstance(leaf, str):
            for literal in (json.dumps(leaf, ensure_ascii=False), f"'{leaf}'", f"`{leaf}`"):
                assert literal not in code, leaf
        else:
            assert isinstance(leaf, int), leaf
            assert not re.search(rf"\b({leaf}|{leaf:_})\b", code), leaf


# ---------------------------------------------------------------- the static view


def test_static_view_escapes_markup_and_shows_every_token() -> None:
    text = "<img src=x onerror=alert(1)>\n\tok"
    html = render_static({**DEFAULTS, "text": text})
    parsed = Tags(html)
    assert "img" not in [tag for tag, _ in parsed.tags]
    assert "<img" not in html and "&lt;img" in html
    ids = get_encoding("cl100k_base").encode(text)
    assert len(parsed.chips) == len(ids) == int(re.search(r"(\d+) tokens", html)[1])
    assert parsed.chips[0] == "<img" and parsed.chips[-2] == ")>↵" and parsed.chips[-1] == "→ok"
    shown = "".join(parsed.chips).replace("·", " ")
    assert shown == "<img src=x onerror=alert(1)>↵→ok"  # as text, not markup
    assert '<span class="lecture-tok__ws">↵</span>' in html and "<br>" in html
    assert '<span class="lecture-tok__ws">→</span>' in html


def test_static_view_of_the_nine_point_eleven_example() -> None:
    options = {**DEFAULTS, "text": "What is bigger, 9.11 or 9.9?", "show": "both"}
    html = render_static(options)
    parsed = Tags(html)
    assert [chip.replace("·", " ") for chip in parsed.chips] == NINE
    assert 'data-show="both"' in html and "14 tokens" in html
    assert "2.0 characters per token" in html
    assert "3923 374 11493 11 220 24 13 806 477 220 24 13 24 30" in " ".join(parsed.text.split())


def test_static_view_without_whitespace_markers_keeps_spaces() -> None:
    html = render_static({**DEFAULTS, "text": "a b\nc", "whitespace": False})
    assert '<span class="lecture-tok__text"> b</span>' in html
    assert "·" not in html and "↵" in html  # newlines stay visible


def test_static_view_of_a_long_text_says_how_many_tokens_it_shows() -> None:
    text = "hello " * (MAX_SHOWN + 100)
    html = render_static({**DEFAULTS, "text": text})
    shown = sum(len(g["ids"]) for g in groups(tokenize(text, ["cl100k_base"])["encodings"][0]))
    assert len(Tags(html).chips) < MAX_SHOWN + 10
    assert f"{VIEW['labels']['truncated']} {shown:,} tokens." in html  # as the live view says


def test_static_view_side_by_side_and_split_characters() -> None:
    html = render_static({**DEFAULTS, "text": "Nice 👍🏽", "encodings": NAMES})
    sections = re.findall(r'data-encoding="(\w+)"', html)
    assert sections == NAMES
    assert (
        "lecture-tok--split" in html and '<span class="lecture-tok__hex">20 f0 9f 91</span>' in html
    )
    for model in ("GPT-3", "GPT-4", "GPT-4o"):
        assert model in html


# ---------------------------------------------------------------- the calls' JSON


def test_tokenize_json_shape() -> None:
    result = json.loads(
        rpc.call(
            "tokenizer.tokenize",
            json.dumps({"text": "What is bigger, 9.11 or 9.9?", "encodings": NAMES}),
        )
    )
    assert result["characters"] == 28
    assert [entry["name"] for entry in result["encodings"]] == NAMES
    for entry, count in zip(result["encodings"], [12, 14, 14], strict=True):
        assert set(entry) == {"name", "count", "per_token", "truncated", "pieces"}
        assert entry["count"] == count and not entry["truncated"]
        assert entry["per_token"] == round(28 / count, 2)
        for group in groups(entry):
            assert set(group) == {"text", "ids"}
    r50k = result["encodings"][0]
    assert [group["text"] for group in groups(r50k)][4:7] == [" 9", ".", "11"]
    cl100k = result["encodings"][1]
    assert [group["text"] for group in groups(cl100k)] == NINE
    assert [group["ids"] for group in groups(cl100k)] == [
        [i] for i in [3923, 374, 11493, 11, 220, 24, 13, 806, 477, 220, 24, 13, 24, 30]
    ]


def test_tokenize_groups_split_characters_with_their_byte_parts() -> None:
    entry = tokenize(" 👍🏽", ["cl100k_base"])["encodings"][0]
    assert groups(entry) == [
        {
            "text": " 👍",
            "ids": [62904, 235],
            "parts": [
                {"id": 62904, "hex": "20 f0 9f 91", "text": " �"},
                {"id": 235, "hex": "8d", "text": "�"},
            ],
        },
        {
            "text": "🏽",
            "ids": [9468, 237, 121],
            "parts": [
                {"id": 9468, "hex": "f0 9f", "text": "�"},
                {"id": 237, "hex": "8f", "text": "�"},
                {"id": 121, "hex": "bd", "text": "�"},
            ],
        },
    ]
    assert entry["per_token"] == 0.6


def test_tokenize_treats_special_token_text_as_text() -> None:
    entry = tokenize("<|endoftext|>", ["cl100k_base"])["encodings"][0]
    ids = [i for group in groups(entry) for i in group["ids"]]
    assert 100257 not in ids and "".join(g["text"] for g in groups(entry)) == "<|endoftext|>"


def test_tokenize_empty_long_and_lone_surrogates() -> None:
    empty = tokenize("", ["cl100k_base"])
    assert empty == {
        "characters": 0,
        "encodings": [
            {"name": "cl100k_base", "count": 0, "per_token": None, "truncated": False, "pieces": []}
        ],
    }
    long = tokenize("hello " * (MAX_SHOWN + 1000), ["cl100k_base"])["encodings"][0]
    assert long["count"] == MAX_SHOWN + 1001 and long["truncated"]
    assert MAX_SHOWN <= sum(len(g["ids"]) for g in groups(long)) < MAX_SHOWN + 10
    with pytest.raises(ValueError, match=f"the limit is {MAX_TEXT:,}"):
        tokenize("x" * (MAX_TEXT + 1), ["cl100k_base"])
    lone = tokenize("a\ud800b", ["cl100k_base"])
    assert "".join(g["text"] for g in groups(lone["encodings"][0])) == "a\ufffdb"
    json.dumps(lone)


def test_tokenize_equals_encode_on_the_corpus() -> None:
    """Pieces joined give the text; ids joined give encode_ordinary, for every group form."""
    corpus = make_corpus(3000)
    for name in NAMES:
        enc = get_encoding(name)
        for text in corpus:
            entry = tokenize(text, [name])["encodings"][0]
            ids = [i for group in groups(entry) for i in group["ids"]]
            expected = enc.encode_ordinary(text)
            if len(expected) <= MAX_SHOWN:
                assert ids == expected, text
            assert entry["count"] == len(expected)
            fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
            if not entry["truncated"]:
                assert "".join(g["text"] for g in groups(entry)) == fixed
            for group in groups(entry):
                parts = group.get("parts")
                if parts:
                    assert [p["id"] for p in parts] == group["ids"] and len(parts) > 1
                    data = b"".join(bytes.fromhex(p["hex"]) for p in parts)
                    assert data.decode("utf-8") == group["text"]
                else:
                    assert enc.decode(group["ids"]) == group["text"]


def test_encode_pieces_equals_encode_ordinary() -> None:
    for name in NAMES:
        enc = get_encoding(name)
        for text in make_corpus(2000):
            pieces = enc.encode_pieces(text)
            assert [t for _, tokens in pieces for t in tokens] == enc.encode_ordinary(text)
            assert [piece for piece, _ in pieces] == enc.pretokenize(text)


def test_merges_json_shape_for_strawberry() -> None:
    result = json.loads(
        rpc.call(
            "tokenizer.merges", json.dumps({"encoding": "cl100k_base", "piece": " strawberry"})
        )
    )
    assert set(result) == {"encoding", "piece", "bytes", "too_long", "steps", "ids"}
    assert result["ids"] == [73700] and result["bytes"] == 11 and not result["too_long"]
    steps = result["steps"]
    assert [p["text"] for p in steps[0]["parts"]] == list(" strawberry")
    assert steps[0]["merged"] is None
    assert steps[-1]["parts"] == [
        {"id": 73700, "hex": "20 73 74 72 61 77 62 65 72 72 79", "text": " strawberry"}
    ]
    for before, after in pairwise(steps):
        assert len(after["parts"]) == len(before["parts"]) - 1
        i = after["merged"]
        joined = before["parts"][i]["hex"] + " " + before["parts"][i + 1]["hex"]
        assert after["parts"][i]["hex"] == joined


def test_merges_of_partial_characters_long_and_single_pieces() -> None:
    emoji = merges("cl100k_base", " 👍🏽")
    assert emoji["ids"] == [62904, 235, 9468, 237, 121]
    assert [p["id"] for p in emoji["steps"][-1]["parts"]] == emoji["ids"]
    assert emoji["steps"][-1]["parts"][1] == {"id": 235, "hex": "8d", "text": None}
    long = merges("cl100k_base", " " * (MAX_MERGE_BYTES + 1))
    assert (
        long["too_long"]
        and long["steps"] == []
        and long["ids"] == [get_encoding("cl100k_base").encode(" " * 65)[0]]
    )
    single = merges("o200k_base", "a")
    assert single["ids"] == [64] and len(single["steps"]) == 1
    assert merges("cl100k_base", "")["steps"] == []


def test_merges_end_in_the_tokens_encode_gives() -> None:
    """Step by step and at once, BPE gives the same tokens, for every piece of the corpus."""
    for name in NAMES:
        enc = get_encoding(name)
        seen = set()
        for text in make_corpus(1500):
            for piece, tokens in enc.encode_pieces(text):
                if piece in seen or len(piece.encode()) > MAX_MERGE_BYTES:
                    continue
                seen.add(piece)
                result = merges(name, piece)
                assert result["ids"] == tokens, piece
                assert [p["id"] for p in result["steps"][-1]["parts"]] == tokens, piece


def test_wheel_carries_the_tokenizer_code(tmp_path: Path) -> None:
    wheel = build_wheel(discover().values(), tmp_path)
    names = zipfile.ZipFile(tmp_path / wheel.name).namelist()
    assert "lecture_widgets/tokenizer/core.py" in names
    assert "lecture_widgets/tokenizer/facts.py" in names
    assert not [name for name in names if "/data/" in name]
    # build time only: the static view and the data maker
    assert not [name for name in names if name.startswith("lecture_widgets/tokenizer/build/")]
    assert "lecture_widgets/tokenizer/static.py" not in names
