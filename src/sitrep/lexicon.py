"""The language data sitrep reads: ``sitrep/data/<language>/*.yaml``, each file read once.

A language is a folder of data files beside a spaCy model; the code that reads them does not change
from one language to the next. Every entry of a file names where it comes from (an ACLED codebook
section or a rule of grammar), in a ``source`` field or a comment above it.

Regex lexicons may name another lexicon inside a pattern as ``{name}``: it stands for all of that
lexicon's patterns as one alternative (regex quantifiers are digits, so ``{3,60}`` is never a name).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["alternation", "expand", "read"]

_REFERENCE = re.compile(r"\{([a-z_]+)\}")


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
    return _REFERENCE.sub(one, str(pattern))


def alternation(patterns: list[str], groups: dict[str, str], where: str) -> str:
    """``(?:p1|p2|...)``, each pattern expanded (``expand``)."""
    return "(?:" + "|".join(expand(p, groups, where) for p in patterns) + ")"
