"""What the widget's Python and its view share, defined once: the encodings a fence may
name and their models, what the chips can show, the whitespace markers, the limits, the
labels both views print, the preset texts, the smoke test's known answers.

:mod:`.calls` and :mod:`.static` import them; ``view.js`` reads them as
``context.constants`` (the package's ``VIEW``).
"""

from __future__ import annotations

#: the encodings a fence may name, with the models that use them (for headings)
MODELS = {"r50k_base": "GPT-3", "gpt2": "GPT-2", "cl100k_base": "GPT-4", "o200k_base": "GPT-4o"}
#: what the chips show first (the fence's ``show``), with the switch's labels
SHOW = {"tokens": "Tokens", "ids": "Ids", "both": "Both"}
#: how each whitespace character is shown when ``whitespace`` is on (newlines always)
MARKERS = {" ": "·", "\n": "↵", "\t": "→", "\r": "␍"}
#: the texts the static and the live view both print
LABELS = {
    "ids": "The model sees: ",
    "per_token": "characters per token",
    "truncated": "Showing the first",
}

#: longest text :func:`.calls.tokenize` accepts, in characters
MAX_TEXT = 100_000
#: longest text the view's text box takes, in characters (typing stays fast)
MAX_INPUT = 20_000
#: tokens per encoding that :func:`.calls.tokenize` returns groups for (all are counted)
MAX_SHOWN = 2_000
#: longest piece :func:`.calls.merges` shows step by step, in bytes (the steps are quadratic)
MAX_MERGE_BYTES = 64

#: the lecture's example texts, offered as buttons after the fence's own text
PRESETS = [
    {"label": "9.11 vs 9.9", "text": "What is bigger, 9.11 or 9.9?"},
    {"label": "strawberry", "text": "How many r's are in strawberry?\ns t r a w b e r r y"},
    {
        "label": "Other languages",
        "text": "I am hungry.\nIch habe Hunger.\nJ'ai faim.\n私はお腹が空いています。\n"
        "मुझे भूख लगी है।",
    },
    {"label": "Code", "text": 'def greet(name):\n    return f"Hello, {name}!"\n'},
    {"label": "Emoji", "text": "Nice 👍🏽 café"},
]

#: what ``mkdocs-lecture check`` has each encoding of a page tokenize, and the ids it must give
SMOKE = {
    "text": "hello world",
    "ids": {
        "r50k_base": [31373, 995],
        "gpt2": [31373, 995],
        "cl100k_base": [15339, 1917],
        "o200k_base": [24912, 2375],
    },
}
