"""The pipeline: one spaCy pass per article, then places, quotes and events read from it.

    read -> understand (spaCy) -> geoparse -> attribute -> extract events

``Pipeline.analyse`` takes one article; ``Pipeline.stream`` takes any mix of articles and read errors
(as ``read.read_inputs`` yields them), batches the articles through ``nlp.pipe``, and gives back
results in input order; ``stream(..., workers=N)`` does the same in N processes.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc

from sitrep import nlp
from sitrep.errors import InputError
from sitrep.extraction.attribution import find_quotes
from sitrep.extraction.events import extract_events
from sitrep.models import Article, Event, Place, Quote
from sitrep.resolve.actors import ActorBase, actor_base
from sitrep.resolve.places import focus_country, geoparse_doc

GENERIC_INTERS = {"Civilians", "Protesters", "Rioters"}
"""Speakers resolved only to a crowd ("residents said") keep their own words as their name."""
BATCH_SIZE = 32
"""Articles per ``nlp.pipe`` batch and per task sent to a worker process."""


@dataclass(frozen=True)
class Analysis:
    """Everything sitrep read from one article."""

    article: Article
    places: tuple[Place, ...]
    quotes: tuple[Quote, ...]
    events: tuple[Event, ...]


class Pipeline:
    """The configured extractor. Models and knowledge bases load once, on first use."""

    def __init__(self, language: str = "en") -> None:
        self.language = language

    @property
    def actors(self) -> ActorBase:
        return actor_base()

    def analyse(self, article: Article) -> Analysis:
        """Read one article."""
        return self._analyse_doc(article, nlp.pipeline(self.language)(article.text))

    def stream(self, items: Iterable[Article | InputError], workers: int = 1) -> Iterator[Analysis | InputError]:
        """Analyse a stream of articles, passing read errors through in place, order preserved."""
        batches = _batches(items, BATCH_SIZE)
        if workers <= 1:
            for batch in batches:
                yield from self._analyse_batch(batch)
            return
        context = multiprocessing.get_context("spawn" if _has_threads() else "fork")
        with context.Pool(workers, initializer=_warm, initargs=(self.language,)) as pool:
            for results in pool.imap(_analyse_in_worker, ((self.language, b) for b in batches)):
                yield from results

    def _analyse_batch(self, batch: list[Article | InputError]) -> list[Analysis | InputError]:
        articles = [item for item in batch if isinstance(item, Article)]
        docs = iter(nlp.pipeline(self.language).pipe(a.text for a in articles))
        return [item if isinstance(item, InputError) else self._analyse_doc(item, next(docs)) for item in batch]

    def _analyse_doc(self, article: Article, doc: Doc) -> Analysis:
        # 1. places, and the country the article is about
        places = geoparse_doc(doc)
        focus = focus_country(places)
        # 2. who said what
        quotes = find_quotes(doc, resolve=self._speaker)
        # 3. events, with their sources taken from the quotes
        events = extract_events(article, doc, places, quotes, focus, self.actors)
        return Analysis(article, tuple(places), tuple(quotes), tuple(events))

    def _speaker(self, name: str) -> str | None:
        actor = self.actors.resolve(name)
        return actor.name if actor and actor.inter not in GENERIC_INTERS and "Unidentified" not in actor.name else None


@cache
def default_pipeline(language: str = "en") -> Pipeline:
    return Pipeline(language)


def _batches(items: Iterable[Article | InputError], size: int) -> Iterator[list[Article | InputError]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _warm(language: str) -> None:
    nlp.pipeline(language)
    actor_base()


def _analyse_in_worker(task: tuple[str, list[Article | InputError]]) -> list[Analysis | InputError]:
    language, batch = task
    return default_pipeline(language)._analyse_batch(batch)


def _has_threads() -> bool:
    import threading

    return threading.active_count() > 1
