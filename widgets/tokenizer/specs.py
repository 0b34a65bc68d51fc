"""What defines each encoding: split pattern, special tokens, rank file.

Copied verbatim from tiktoken's ``tiktoken_ext/openai_public.py`` (tiktoken
0.14); ``build.make_data`` and the tests check that they still agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENDOFTEXT = "<|endoftext|>"
FIM_PREFIX = "<|fim_prefix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_SUFFIX = "<|fim_suffix|>"
ENDOFPROMPT = "<|endofprompt|>"

R50K_PAT_STR = (
    r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
)
CL100K_PAT_STR = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
O200K_PAT_STR = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


@dataclass(frozen=True)
class EncodingSpec:
    """One encoding as tiktoken defines it, plus where its ranks are stored."""

    name: str
    pat_str: str
    special_tokens: dict[str, int] = field(hash=False)
    #: stem of the rank files: ``<data_name>.tiktoken`` (source), ``<data_name>.tokens.gz`` (ours)
    data_name: str
    #: number of mergeable tokens (ranks 0 .. n_ranks-1)
    n_ranks: int
    #: sha256 of the original ``.tiktoken`` file (tiktoken's ``expected_hash``)
    source_sha256: str

    @property
    def data_file(self) -> str:
        """File name of the compact rank file in ``data/``."""
        return f"{self.data_name}.tokens.gz"


_R50K = dict(
    pat_str=R50K_PAT_STR,
    special_tokens={ENDOFTEXT: 50256},
    data_name="r50k_base",
    n_ranks=50256,
    source_sha256="306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
)

SPECS: dict[str, EncodingSpec] = {
    "r50k_base": EncodingSpec(name="r50k_base", **_R50K),
    # tiktoken builds "gpt2" from the GPT-2 release files; its ranks equal r50k_base's.
    "gpt2": EncodingSpec(name="gpt2", **_R50K),
    "cl100k_base": EncodingSpec(
        name="cl100k_base",
        pat_str=CL100K_PAT_STR,
        special_tokens={
            ENDOFTEXT: 100257,
            FIM_PREFIX: 100258,
            FIM_MIDDLE: 100259,
            FIM_SUFFIX: 100260,
            ENDOFPROMPT: 100276,
        },
        data_name="cl100k_base",
        n_ranks=100256,
        source_sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": EncodingSpec(
        name="o200k_base",
        pat_str=O200K_PAT_STR,
        special_tokens={ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
        data_name="o200k_base",
        n_ranks=199998,
        source_sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}
