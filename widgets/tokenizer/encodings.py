"""Loading encodings: rank files from ``data/``, one cached :class:`.Encoding` per name."""

from __future__ import annotations

from pathlib import Path

from .core import Encoding
from .datafile import DataFileError, unpack
from .pretokenize import Pretokenizer
from .specs import SPECS, EncodingSpec

#: the only place rank files are looked up (in the browser the runtime writes them here)
DATA_DIR = Path(__file__).parent / "data"

_ENCODINGS: dict[str, Encoding] = {}
#: data_name -> (tokens, ranks), shared by encodings with the same ranks (gpt2, r50k_base)
_TABLES: dict[str, tuple[list[bytes], dict[bytes, int]]] = {}
_PRETOKENIZERS: dict[str, Pretokenizer] = {}


def list_encoding_names() -> list[str]:
    """The names :func:`get_encoding` accepts."""
    return list(SPECS)


def data_file(name: str) -> Path:
    """Where the rank file of encoding ``name`` must be."""
    return DATA_DIR / _spec(name).data_file


def _spec(name: str) -> EncodingSpec:
    try:
        return SPECS[name]
    except KeyError:
        raise ValueError(f"Unknown encoding {name!r}; known: {', '.join(SPECS)}") from None


def _load_tables(data_name: str, path: Path, n_ranks: int) -> tuple[list[bytes], dict[bytes, int]]:
    tables = _TABLES.get(data_name)
    if tables is None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(
                f"tokenizer data file missing: {path} (regenerate it with "
                "`python -m lecture_widgets.tokenizer.build.make_data`, or have the runtime "
                f"write {path.name} into {path.parent})"
            ) from None
        tokens = unpack(raw, str(path))
        if len(tokens) != n_ranks:
            raise DataFileError(f"{path}: {len(tokens)} tokens, expected {n_ranks}")
        tables = _TABLES[data_name] = (tokens, dict(zip(tokens, range(len(tokens)), strict=True)))
    return tables


def get_encoding(name: str) -> Encoding:
    """The encoding ``name`` (``r50k_base``/``gpt2``, ``cl100k_base``, ``o200k_base``),
    loaded once and then cached."""
    enc = _ENCODINGS.get(name)
    if enc is None:
        spec = _spec(name)
        tokens, ranks = _load_tables(spec.data_name, DATA_DIR / spec.data_file, spec.n_ranks)
        pretokenizer = _PRETOKENIZERS.get(spec.pat_str)
        if pretokenizer is None:
            pretokenizer = _PRETOKENIZERS[spec.pat_str] = Pretokenizer(spec.pat_str)
        enc = _ENCODINGS[name] = Encoding(
            spec.name,
            pat_str=spec.pat_str,
            tokens=tokens,
            special_tokens=spec.special_tokens,
            ranks=ranks,
            pretokenizer=pretokenizer,
        )
    return enc


def bpe_steps(piece: str | bytes, encoding: str | Encoding = "cl100k_base") -> list[list[bytes]]:
    """The parts of ``piece`` after each merge, for teaching: the first entry is the
    single bytes, each next one has one merge more, the last is the final tokens.

    ``piece`` is one pre-tokenized piece (text is UTF-8 encoded); it is merged
    as a whole, without the regex split.
    """
    enc = get_encoding(encoding) if isinstance(encoding, str) else encoding
    return enc.bpe_steps(piece)
