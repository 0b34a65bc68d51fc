"""The chat formats: how a message becomes parts (special tokens and text) of the sequence.

Two formats, each on the tokenizer its models use:

- ``chatml`` on ``cl100k_im`` (cl100k_base plus ``<|im_start|>`` 100264 and
  ``<|im_end|>`` 100265, as in tiktoken's README)::

      <|im_start|>{role}\\n{content}<|im_end|>\\n

  and the generation prompt ``<|im_start|>assistant\\n`` (the template of OpenAI's
  ChatML and of Hugging Face's ``chatml`` chat template).

- ``harmony`` on ``o200k_harmony`` (o200k_base plus ``<|start|>`` 200006, ``<|end|>``
  200007, ``<|message|>`` 200008, ``<|channel|>`` 200005, ``<|return|>`` 200002 …),
  as OpenAI's ``openai-harmony`` renders a message::

      <|start|>{role}<|message|>{content}<|end|>
      <|start|>assistant<|channel|>final<|message|>{content}<|end|>

  An assistant message goes to the ``final`` channel. When the conversation is
  rendered for training and ends with an assistant message, that last ``<|end|>`` is
  ``<|return|>`` (``render_conversation_for_training``). The generation prompt is
  ``<|start|>assistant``: in Harmony the model writes the channel itself.
  The widget keeps three roles: a system message's text is rendered as it is
  (Harmony's own system message carries the model's identity, dates, reasoning effort
  and the valid channels, and gpt-oss takes instructions in a ``developer`` message;
  neither is added here).

Which tokens an assistant message trains (its *generated* parts): exactly the tokens
the model writes after the generation prompt. ChatML: the content and ``<|im_end|>``;
Harmony: ``<|channel|>final<|message|>``, the content and the end token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

ROLES = ("system", "user", "assistant")


class Part(NamedTuple):
    """One stretch of a rendered message."""

    text: str
    #: "special" (one special token), "template" (text the template adds) or "content"
    kind: str
    #: True for what the model writes itself in an assistant message (trained on)
    generated: bool = False

    @property
    def special(self) -> bool:
        return self.kind == "special"


def special(text: str, generated: bool = False) -> Part:
    return Part(text, "special", generated)


def template(text: str, generated: bool = False) -> Part:
    return Part(text, "template", generated)


@dataclass(frozen=True)
class ChatFormat:
    """A chat format: its tokenizer and the parts of each message."""

    name: str
    title: str
    #: the base encoding whose ranks the tokenizer uses (lecture_widgets.tokenizer)
    encoding: str
    #: the tokenizer's name (the base encoding plus the chat's special tokens)
    tokenizer: str
    #: the special tokens this template uses, text -> id
    special_tokens: dict[str, int] = field(hash=False)

    def message(self, role: str, content: str, *, last: bool = False) -> list[Part]:
        """The parts of one message; ``last``: the conversation ends with it (for training)."""
        raise NotImplementedError

    def generation_prompt(self) -> list[Part]:
        """The parts that open an assistant turn for the model to write."""
        raise NotImplementedError


class ChatML(ChatFormat):
    def message(self, role: str, content: str, *, last: bool = False) -> list[Part]:
        writes = role == "assistant"
        return [
            special("<|im_start|>"),
            template(f"{role}\n"),
            Part(content, "content", writes),
            special("<|im_end|>", writes),
            template("\n"),
        ]

    def generation_prompt(self) -> list[Part]:
        return [special("<|im_start|>"), template("assistant\n")]


class Harmony(ChatFormat):
    def message(self, role: str, content: str, *, last: bool = False) -> list[Part]:
        if role != "assistant":
            return [
                special("<|start|>"),
                template(role),
                special("<|message|>"),
                Part(content, "content"),
                special("<|end|>"),
            ]
        return [
            special("<|start|>"),
            template("assistant"),
            special("<|channel|>", True),
            template("final", True),
            special("<|message|>", True),
            Part(content, "content", True),
            special("<|return|>" if last else "<|end|>", True),
        ]

    def generation_prompt(self) -> list[Part]:
        return [special("<|start|>"), template("assistant")]


CHATML = ChatML(
    name="chatml",
    title="ChatML",
    encoding="cl100k_base",
    tokenizer="cl100k_im",
    special_tokens={"<|im_start|>": 100264, "<|im_end|>": 100265},
)
HARMONY = Harmony(
    name="harmony",
    title="Harmony",
    encoding="o200k_base",
    tokenizer="o200k_harmony",
    special_tokens={
        "<|return|>": 200002,
        "<|channel|>": 200005,
        "<|start|>": 200006,
        "<|end|>": 200007,
        "<|message|>": 200008,
    },
)
FORMATS: dict[str, ChatFormat] = {CHATML.name: CHATML, HARMONY.name: HARMONY}


def get_format(name: str) -> ChatFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"Unknown chat format {name!r}; known: {', '.join(FORMATS)}") from None
