"""The :class:`Encoding`: tiktoken's ``Encoding`` API in pure Python, token for token."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Literal

from .bpe import merge, merge_steps
from .display import token_groups
from .pretokenize import Pretokenizer, fix_surrogates

#: pieces remembered per encoding (the cache is emptied when it reaches this size)
PIECE_CACHE_SIZE = 50_000


class Encoding:
    """A byte-pair encoding: split pattern, mergeable ranks and special tokens."""

    def __init__(
        self,
        name: str,
        *,
        pat_str: str,
        tokens: list[bytes],
        special_tokens: dict[str, int],
        ranks: dict[bytes, int] | None = None,
        pretokenizer: Pretokenizer | None = None,
    ) -> None:
        """``tokens[rank]`` are the mergeable tokens' bytes; ``ranks`` (their inverse)
        and ``pretokenizer`` may be passed in to share them between encodings."""
        self.name = name
        self.pat_str = pat_str
        self._tokens = tokens
        if ranks is None:
            ranks = dict(zip(tokens, range(len(tokens)), strict=True))
        self._ranks = ranks
        self._special_tokens = dict(special_tokens)
        self._pretokenizer = pretokenizer or Pretokenizer(pat_str)
        self.max_token_value = max(len(tokens) - 1, *self._special_tokens.values())
        # id -> bytes for every id; None for the gaps between ranks and special tokens
        self._id_bytes: list[bytes | None] = list(tokens)
        self._id_bytes += [None] * (self.max_token_value + 1 - len(tokens))
        for text, token in self._special_tokens.items():
            self._id_bytes[token] = text.encode("utf-8")
        self._special_ids = set(self._special_tokens.values())
        self._cache: dict[str, list[int]] = {}

    def __repr__(self) -> str:
        return f"<Encoding {self.name!r}>"

    # ---------------------------------------------------------------- properties

    @property
    def n_vocab(self) -> int:
        """Number of ids, gaps included (``max_token_value + 1``), as in tiktoken."""
        return self.max_token_value + 1

    @property
    def special_tokens(self) -> dict[str, int]:
        """Special token text -> id (a copy)."""
        return dict(self._special_tokens)

    @property
    def special_tokens_set(self) -> set[str]:
        return set(self._special_tokens)

    @property
    def eot_token(self) -> int:
        return self._special_tokens["<|endoftext|>"]

    def is_special_token(self, token: int) -> bool:
        return token in self._special_ids

    # ---------------------------------------------------------------- encoding

    def encode_ordinary(self, text: str) -> list[int]:
        """The tokens of ``text``, special-token text encoded as plain text."""
        out: list[int] = []
        self._encode_chunk(fix_surrogates(text), out)
        return out

    def encode(
        self,
        text: str,
        *,
        allowed_special: Literal["all"] | Collection[str] = frozenset(),
        disallowed_special: Literal["all"] | Collection[str] = "all",
    ) -> list[int]:
        """The tokens of ``text``, with tiktoken's rules for special tokens.

        Text of a special token in ``allowed_special`` becomes that token; text of
        one in ``disallowed_special`` (default: every special token not allowed)
        raises ValueError; any other text is encoded as plain text. Special tokens
        cut the text first: each stretch between them is split and merged on its
        own, as tiktoken does.
        """
        allowed = self.special_tokens_set if allowed_special == "all" else set(allowed_special)
        if disallowed_special == "all":
            disallowed_special = self.special_tokens_set - allowed
        if disallowed_special:
            match = _literal_regex(frozenset(disallowed_special)).search(text)
            if match:
                raise_disallowed_special_token(match.group())
        text = fix_surrogates(text)
        out: list[int] = []
        allowed &= self.special_tokens_set
        if not allowed:
            self._encode_chunk(text, out)
            return out
        start = 0
        for match in _literal_regex(frozenset(allowed)).finditer(text):
            self._encode_chunk(text[start : match.start()], out)
            out.append(self._special_tokens[match.group()])
            start = match.end()
        self._encode_chunk(text[start:], out)
        return out

    def _piece_tokens(self, piece: str) -> list[int]:
        """The tokens of one pre-tokenized piece, cached."""
        tokens = self._cache.get(piece)
        if tokens is None:
            data = piece.encode("utf-8")
            rank = self._ranks.get(data)
            tokens = [rank] if rank is not None else merge(data, self._ranks)
            if len(self._cache) >= PIECE_CACHE_SIZE:
                self._cache.clear()
            self._cache[piece] = tokens
        return tokens

    def _encode_chunk(self, text: str, out: list[int]) -> None:
        if not text:
            return
        for piece in self._pretokenizer.split(text):
            out += self._piece_tokens(piece)

    def encode_pieces(self, text: str) -> list[tuple[str, list[int]]]:
        """``text`` as :meth:`encode_ordinary` encodes it, piece by piece: each piece the
        split pattern cuts, with its tokens (for showing which tokens BPE merged together).
        The tokens, concatenated, are exactly ``encode_ordinary(text)``."""
        text = fix_surrogates(text)
        if not text:
            return []
        out: list[tuple[str, list[int]]] = []
        for piece in self._pretokenizer.split(text):
            out.append((piece, list(self._piece_tokens(piece))))
        return out

    def encode_single_piece(self, piece: str | bytes) -> list[int]:
        """The tokens of ``piece`` merged as one piece, without the regex split."""
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        return merge(data, self._ranks) if data else []

    def pretokenize(self, text: str) -> list[str]:
        """The pieces the split pattern cuts ``text`` into (before merging; no special
        tokens; lone surrogates replaced as in :meth:`encode`)."""
        return self._pretokenizer.split(fix_surrogates(text))

    def bpe_steps(self, piece: str | bytes) -> list[list[bytes]]:
        """The parts of ``piece`` after each merge: first single bytes, last the tokens."""
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        return merge_steps(data, self._ranks) if data else [[]]

    def clear_cache(self) -> None:
        """Forget the remembered pieces (for timing cold encodes)."""
        self._cache.clear()

    # ---------------------------------------------------------------- decoding

    def decode_bytes(self, tokens: Iterable[int]) -> bytes:
        """The bytes of ``tokens`` joined; KeyError for an id that is not a token."""
        table = self._id_bytes
        tokens = list(tokens)
        try:
            if min(tokens, default=0) >= 0:
                return b"".join([table[t] for t in tokens])  # type: ignore[misc]
        except (TypeError, IndexError):
            pass
        # some id is not a token: report the first one
        return b"".join([self.decode_single_token_bytes(t) for t in tokens])

    def decode(self, tokens: Iterable[int], errors: str = "replace") -> str:
        """The text of ``tokens``; bytes that are not valid UTF-8 become U+FFFD."""
        return self.decode_bytes(tokens).decode("utf-8", errors=errors)

    def decode_single_token_bytes(self, token: int) -> bytes:
        """The bytes of one token (special tokens included); KeyError if there is none."""
        if isinstance(token, int) and 0 <= token <= self.max_token_value:
            data = self._id_bytes[token]
            if data is not None:
                return data
        raise KeyError(f"Invalid token for decoding: {token!r}")

    def decode_tokens_bytes(self, tokens: Iterable[int]) -> list[bytes]:
        """The bytes of each token."""
        return [self.decode_single_token_bytes(t) for t in tokens]

    def encode_single_token(self, text_or_bytes: str | bytes) -> int:
        """The id of the token (special or mergeable) that is exactly ``text_or_bytes``."""
        if isinstance(text_or_bytes, str):
            if text_or_bytes in self._special_tokens:
                return self._special_tokens[text_or_bytes]
            text_or_bytes = text_or_bytes.encode("utf-8")
        if text_or_bytes in self._ranks:
            return self._ranks[text_or_bytes]
        for text, token in self._special_tokens.items():
            if text.encode("utf-8") == text_or_bytes:
                return token
        raise KeyError(text_or_bytes)

    def token_byte_values(self) -> list[bytes]:
        """The bytes of every mergeable token, in rank order."""
        return list(self._tokens)

    # ---------------------------------------------------------------- display

    def token_groups(self, tokens: Sequence[int]) -> list[dict]:
        """``tokens`` grouped into whole characters, as JSON-able dicts (see
        :func:`.display.token_groups`)."""
        return token_groups(self, tokens)


def _literal_regex(texts: frozenset[str]) -> re.Pattern[str]:
    """A regex matching any of ``texts`` (longest first at the same position)."""
    return _compiled(tuple(sorted(texts, key=lambda t: (-len(t), t))))


_REGEX_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _compiled(texts: tuple[str, ...]) -> re.Pattern[str]:
    regex = _REGEX_CACHE.get(texts)
    if regex is None:
        if len(_REGEX_CACHE) > 128:
            _REGEX_CACHE.clear()
        regex = _REGEX_CACHE[texts] = re.compile("|".join(map(re.escape, texts)))
    return regex


def raise_disallowed_special_token(token: str) -> None:
    """Raise tiktoken's ValueError for special-token text that is not allowed."""
    raise ValueError(
        f"Encountered text corresponding to disallowed special token {token!r}.\n"
        "If you want this text to be encoded as a special token, "
        f"pass it to `allowed_special`, e.g. `allowed_special={{{token!r}, ...}}`.\n"
        f"If you want this text to be encoded as normal text, disable the check for this token "
        f"by passing `disallowed_special=(enc.special_tokens_set - {{{token!r}}})`.\n"
        "To disable this check for all special tokens, pass `disallowed_special=()`.\n"
    )
