"""The language data sitrep reads: ``sitrep/data/<language>/*.yaml``, each file read once.

A language is a folder of data files beside a spaCy model; the code that reads them does not change
from one language to the next. Every entry of a file names where it comes from (an ACLED codebook
section or a rule of grammar), in a ``source`` field or a comment above it.

Regex lexicons may name another lexicon inside a pattern as ``{name}``: it stands for all of that
lexicon's patterns as one alternative (regex quantifiers are digits, so ``{3,60}`` is never a name).

``tokenize`` is the one word tokenizer of the readers that compare a text's words with word lists (death
counts, actor names, the sub-type classifier's features); the spaCy parse has its own tokens.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

__all__ = ["REFERENCE", "Token", "alternation", "expand", "read", "tokenize"]

REFERENCE = re.compile(r"\{([a-z_]+)\}")
"""A lexicon named inside a pattern: ``{name}``."""

_TOKEN = re.compile(
    r"(?<!\w)(?:qu|[cdjlmnst])['’](?=\w)"  # a French elision: l'armée, d'Al-Shabaab
    r"|['’ʼ]s\b"  # an English possessive: the army's
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"  # a figure: 1,200, 3.5 (not the comma after it: "19, up")
    r"|[^\W\d_]+(?:['’ʼ`](?!s\b)[^\W\d_]+)*"  # a word, inner apostrophes kept: don't, Hay'at
    r"|[^\w\s]",  # a punctuation mark, a hyphen included: al-Sham, twenty-eight
    re.IGNORECASE,
)


class Token(NamedTuple):
    """One word, figure or punctuation mark of a text (``tokenize``)."""

    start: int
    """Offset of its first character in the text."""
    end: int
    text: str
    word: str
    """``text`` in lower case."""


def tokenize(text: str) -> list[Token]:
    """The words, figures and punctuation marks of ``text`` in order, with their offsets.

    A word is a run of letters, apostrophes inside it kept ("don't", "Hay'at"), except a French
    elision ("l'", "d'") and an English possessive ("'s"), which are tokens of their own; a figure is
    a run of digits, thousands grouped by commas, with its decimals ("1,200", "3.5"; a comma after
    the digits that groups none is a mark of its own: "risen to 19, up from 12"); every other
    character but a space is a token alone (a hyphen too: "al-Sham" is "al", "-", "Sham").
    """
    return [Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _TOKEN.finditer(text)]


@cache
def read(language: str, name: str) -> Any:
    """The parsed content of ``sitrep/data/<language>/<name>`` (YAML); ``FileNotFoundError`` when the
    language has no such file. Cached: callers must not modify what it returns."""
    return yaml.safe_load((resources.files("sitrep") / "data" / language / name).read_text(encoding="utf-8"))


def expand(pattern: str, groups: dict[str, str], where: str) -> str:
    """``pattern`` with every ``{name}`` replaced by ``groups[name]``; ``ValueError`` naming ``where``
    for a name not in ``groups``."""
    def one(match: re.Match[str]) -> str:
        if match.group(1) not in groups:
            raise ValueError(f"{where}: names no lexicon {match.group(1)!r} defined before it")
        return groups[match.group(1)]
    return REFERENCE.sub(one, str(pattern))


def alternation(patterns: list[str], groups: dict[str, str], where: str) -> str:
    """``(?:p1|p2|...)``, each pattern expanded (``expand``)."""
    return "(?:" + "|".join(expand(p, groups, where) for p in patterns) + ")"
