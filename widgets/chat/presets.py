"""The built-in conversations a chat widget can start from, and offer as buttons.

Each preset: ``title`` (its button), ``note`` (what to look at), ``messages``, and
``find`` (text whose first appearance in each assistant reply the widget reports, or "").
"""

from __future__ import annotations

from typing import Any

QUESTION = (
    "Emily buys 3 apples and 2 oranges. Each orange costs $2. The total cost of all the "
    "fruit is $13. What is the cost of apples?"
)
#: the two answers of the seed lecture's "models need tokens to think" example
ANSWER_FIRST = (
    "The answer is $3. This is because 2 oranges at $2 are $4 total. So the 3 apples "
    "cost $9, and therefore each apple is 9/3 = $3."
)
WORK_FIRST = (
    "The total cost of the oranges is $4. 13 - 4 = 9, the cost of the 3 apples is $9. "
    "9/3 = 3, so each apple costs $3. The answer is $3."
)
JULIUS = (
    "I'm Julius, an assistant built for this course. I'm a language model, fine-tuned to "
    "explain supervised fine-tuning."
)


def _preset(
    title: str, note: str, *exchanges: tuple[str, str], system: str = "", find: str = ""
) -> dict[str, Any]:
    """A preset of (user, assistant) exchanges, after a system message if ``system``."""
    messages = [{"role": "system", "content": system}] if system else []
    for question, answer in exchanges:
        messages += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ]
    return {"title": title, "note": note, "messages": messages, "find": find}


PRESETS: dict[str, dict[str, Any]] = {
    "basic": _preset(
        "Two turns",
        "A two-turn conversation: the model is trained on both answers, not on the questions.",
        ("What is 2 + 2?", "2 + 2 = 4."),
        ("What if it was 4 instead of 2?", "Then it would be 4 + 4 = 8."),
    ),
    "identity": _preset(
        "Identity: trained",
        "A hard-coded conversation: the identity is in the assistant's answer, so "
        "fine-tuning trains it into the parameters.",
        ("What's your name? Who made you?", JULIUS),
    ),
    "identity-system": _preset(
        "Identity: system message",
        "The identity is in the system message: context the model reads, never "
        "trained, and its tokens are spent again in every conversation.",
        ("Who are you?", "I'm Julius, an assistant built for this course."),
        system="You are Julius, an assistant built for this course. Today's date is 2025-07-01.",
    ),
    "answer-first": _preset(
        "Answer first",
        "The answer comes first: the model has to produce it after a few tokens "
        "of its reply, before any of the working exists.",
        (QUESTION, ANSWER_FIRST),
        find="$3",
    ),
    "work-first": _preset(
        "Work first",
        "The working comes first: by the time the model writes the answer, the "
        "intermediate results are in its context.",
        (QUESTION, WORK_FIRST),
        find="$3",
    ),
    "search": _preset(
        "Search markers",
        "<SEARCH_START> and <SEARCH_END> are ordinary text here, several tokens "
        "each. A model trained to search gets them as new special tokens, one token each.",
        ("Who is Orson Kovacs?", "<SEARCH_START>Orson Kovacs<SEARCH_END>"),
    ),
}

#: the conversation a widget starts with when its page names neither messages nor preset
DEFAULT_MESSAGES = [
    {"role": "user", "content": "What is 2 + 2?"},
    {"role": "assistant", "content": "2 + 2 = 4."},
]
DEFAULT_SYSTEM = "You are a helpful assistant."
