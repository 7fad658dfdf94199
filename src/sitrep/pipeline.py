"""The pipeline: one spaCy pass per article, then places, quotes and events read from it.

    read -> understand (spaCy) -> 1. mentions -> 2. resolved -> 3. events assembled -> (4. fused) -> 5. coded

1. mentions (``Pipeline._mentions``, ``stages.Mentions``): spans only: the sentences, the dateline,
   the statements and their speakers' words; the trigger cues are already in the parse
   (``doc.spans["cues"]``, matched once by the understand stage);
2. resolved (``Pipeline._resolve``, ``stages.Resolved``): places with the gazetteer (the geoparser
   finds and resolves place names together), actors with the actor base (per sentence, for every
   country and day an event can have: see ``stages``), dates against the publication day, speakers
   by their canonical names, the places administrative parentheses pin;
3. events assembled from the resolved mentions (``extraction.events``), a report's twin events merged;
   nothing is looked up there;
4. reports of one event from several articles are fused by the store (``sitrep ingest``);
5. coded: sub-types from the user's or the embedding classifier, and notes (``Pipeline._code``).

Resolvers are passed in (``sitrep.resolvers``); only stage 2 calls them.

``Pipeline.analyse`` takes one article; ``Pipeline.stream`` takes any mix of articles and read errors
(as ``read.read_inputs`` yields them), batches the articles through ``nlp.parse``, and gives back
results in input order; ``stream(..., workers=N)`` does the same in N processes. ``ordered_batches``
and ``analyse_articles`` are the parts a distributed runner reuses (``sitrep.distributed``).

**One article never stops a run.** Analysing an article is guarded as a whole, at the stage boundary:
an exception raised anywhere while parsing or analysing it becomes that article's ``AnalysisError``,
given back in its place like a read error, and every other article is analysed as usual. The guard
runs wherever the analysis runs (this process, a worker process, a Dask worker); a batch that fails
as a whole there (a worker that died) gives an ``AnalysisError`` for each of its articles.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, partial
from typing import Any

from spacy.tokens import Doc

from sitrep import nlp
from sitrep.classifier import NaiveBayes
from sitrep.errors import AnalysisError, InputError, MissingDependency, printable
from sitrep.extraction.attribution import find_attributions, speaker_words, to_quotes
from sitrep.extraction.dateline import read_dateline
from sitrep.extraction.dates import find_dates, plausible
from sitrep.extraction.events import extract_events, notes
from sitrep.extraction.scene import main_place
from sitrep.extraction.sources import named
from sitrep.extraction.sources import speaker_words as source_words
from sitrep.extraction.taxonomy import TYPE_OF
from sitrep.models import Actor, ActorMention, Article, Event, Place, Quote, Span
from sitrep.resolve import gazetteer
from sitrep.resolve.actors import actor_base
from sitrep.resolve.parenthesis import parenthetical_place
from sitrep.resolve.places import GazetteerPlaces, country_name, focus_country, geoparse_doc
from sitrep.resolvers import ActorResolver, PlaceResolver
from sitrep.stages import ByDay, Mentions, Resolved, SentenceActors, by_day

CLASSIFIERS = ("rules", "embeddings")
"""What decides each event's sub-type: the trigger rules alone, or with the sentence-embedding
classifier of the ``embeddings`` extra (``sitrep.embeddings``; how the two share it: ``Pipeline._code``)."""
BATCH_SIZE = 32
"""Articles per ``nlp.pipe`` batch and per task sent to a worker process (or Dask worker)."""
IN_FLIGHT_PER_WORKER = 2
"""Batches sent ahead per worker: one being analysed, one waiting, so no worker idles between batches."""

GENERIC_KINDS = ("armed", "civilians", "protesters", "rioters")
"""The unnamed actors an event's sides may need (``extraction.events._sides``)."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysis:
    """Everything sitrep read from one article."""

    article: Article
    """The article as read; its publication day None when it was implausible."""
    places: tuple[Place, ...]
    """Every place the text names, resolved to the gazetteer, in reading order (``sitrep geoparse``)."""
    quotes: tuple[Quote, ...]
    """Every attributed statement (``sitrep quotes``)."""
    events: tuple[Event, ...]
    """The events the article reports as news, in reading order (``sitrep extract``)."""


class Pipeline:
    """The configured extractor. Models and knowledge bases load once, on first use.

    ``model``: a sub-event-type classifier trained with ``sitrep train`` on the user's own ACLED
    export; when given, it decides each event's sub-type from the event's sentences (the rules still
    decide whether there is an event, and its actors, place, date and toll).

    ``classifier``: one of ``CLASSIFIERS``; ``"embeddings"`` loads the sentence-embedding model once,
    here (``MissingDependency`` without the ``embeddings`` extra; ``ValueError`` for another name).
    """

    def __init__(self, language: str = "en", model: str | None = None, actors: ActorResolver | None = None,
                 gazetteer: PlaceResolver | None = None, classifier: str = "rules") -> None:
        if classifier not in CLASSIFIERS:
            raise ValueError(f"no classifier {classifier!r}; choose one of {', '.join(CLASSIFIERS)}")
        self.language = language
        self.model = model
        self.classifier = classifier
        self._classifier = NaiveBayes.load(model) if model else None
        self._embeddings = _embedding_classifier(language) if classifier == "embeddings" else None
        self._actors = actors
        self.gazetteer: PlaceResolver = gazetteer or GazetteerPlaces()
        """Resolves the place names events give in administrative parentheses, and ISO3 codes."""

    @property
    def actors(self) -> ActorResolver:
        """The actor resolver given, else the shipped knowledge base (``resolve.actors.actor_base``)."""
        return self._actors or actor_base()

    def warm(self) -> None:
        """Load the language model and the knowledge bases now, not at the first article (a long-running
        ``sitrep watch``: its first article, and alert, waits for no loading)."""
        nlp.pipeline(self.language)
        self.actors  # noqa: B018 - loads the shipped actor base when none was given
        gazetteer.load()

    def analyse(self, article: Article) -> Analysis:
        """Read one article; ``AnalysisError`` (the exception that caused it chained) if that fails."""
        (result,) = self._analyse_articles([article])
        if isinstance(result, AnalysisError):
            raise result
        return result

    def stream(self, items: Iterable[Article | InputError], workers: int = 1) -> Iterator[Analysis | InputError]:
        """Analyse a stream of articles, passing read errors through in place, order preserved.

        With ``workers`` > 1 the batches go to that many processes, each loading the models once, with
        at most ``IN_FLIGHT_PER_WORKER`` batches per process in flight: memory stays flat however long
        the stream. The output is the same whatever ``workers``.
        """
        if workers <= 1:
            for batch in _batches(items, BATCH_SIZE):
                yield from self._analyse_batch(batch)
            return
        nlp.require(self.language)  # here, not in the workers: a pool whose workers cannot start never ends
        # A forked child of a process that has run PyTorch (the embedding model) can hang in its thread pool.
        spawn = _has_threads() or self._embeddings is not None
        context = multiprocessing.get_context("spawn" if spawn else "fork")
        initargs = (self.language, self.model, self.classifier)
        with context.Pool(workers, initializer=_warm, initargs=initargs) as pool:

            def submit(articles: list[Article]) -> Callable[[], Results]:
                return pool.apply_async(analyse_articles, (self.language, articles, self.model, self.classifier)).get

            yield from ordered_batches(items, submit, workers * IN_FLIGHT_PER_WORKER)

    def _analyse_batch(self, batch: list[Article | InputError]) -> list[Analysis | InputError]:
        articles = [item for item in batch if isinstance(item, Article)]
        return list(_merge(batch, lambda: self._analyse_articles(articles)))

    def _analyse_articles(self, articles: list[Article]) -> list[Analysis | AnalysisError]:
        """One parse of the articles together, then each analysed from its parse; one result per article,
        an ``AnalysisError`` for each that failed (see the module docstring)."""
        try:
            docs: list[Doc | AnalysisError] = list(nlp.parse(self.language, (a.text for a in articles)))
        except Exception:  # one text broke the batch: parse each alone, so only that one fails
            docs = [_guarded(a, partial(self._parse_one, a.text)) for a in articles]
        return [
            doc if isinstance(doc, AnalysisError) else _guarded(article, partial(self._analyse_doc, article, doc))
            for article, doc in zip(articles, docs, strict=True)
        ]

    def _parse_one(self, text: str) -> Doc:
        return next(nlp.parse(self.language, [text]))

    def _analyse_doc(self, article: Article, doc: Doc) -> Analysis:
        """One article from its parse, in the stages' order (see the module docstring)."""
        mentions = self._mentions(_plausibly_dated(article), doc)  # 1. spans only
        resolved = self._resolve(mentions)  # 2. places, actors, dates, speakers resolved
        events = extract_events(resolved)  # 3. events assembled, a report's twins merged (4. fused in the store)
        events = self._code(events)  # 5. sub-types from the user's or the embedding classifier, and notes
        return Analysis(resolved.article, resolved.places, resolved.quotes, tuple(events))

    @staticmethod
    def _mentions(article: Article, doc: Doc) -> Mentions:
        """What the text says, as spans: sentences, dateline, statements (the cues are in the parse)."""
        return Mentions(article, doc, tuple(doc.sents), read_dateline(article.text),
                        tuple(find_attributions(doc)))

    def _resolve(self, mentions: Mentions) -> Resolved:
        """Everything assembly reads, resolved: places by the gazetteer and the country the article is
        about; dates against the publication day; statements, their speakers by the actor base against
        the publication day; each sentence's actors and parenthesis, for every country and day an
        event can have (see ``stages``)."""
        article, doc = mentions.article, mentions.doc
        text = article.text
        found_places = geoparse_doc(doc)
        focus = focus_country(found_places)  # reads the weights the geoparser gives its list
        places = tuple(found_places)
        country = country_name(focus) if focus else None
        speak = partial(self._speaker, country=country, when=article.published)
        found = list(mentions.attributions)
        quotes = tuple(to_quotes(doc, found, {words: speak(words) for words in speaker_words(found)}))
        published = article.published or mentions.dateline.day
        opening = mentions.dateline.end
        dates = tuple(d for d in find_dates(text, published) if d.span.end > opening)
        entity_dates = {(e.start_char, e.end_char): tuple(find_dates("in " + e.text, published))
                        for e in doc.ents if e.label_ == "DATE"}
        main = main_place(doc, places, focus)
        code = main.country_code if main else None
        located = {s.start_char: parenthetical_place(text, Span(s.start_char, s.end_char, s.text), code, self.gazetteer)
                   for s in mentions.sentences}
        pinned = [*places, *(p.place for p in located.values() if p is not None)]
        countries = list(dict.fromkeys([None, *(p.country for p in pinned)]))
        actors = {s.start_char: self._sentence_actors(s.text, s.start_char, countries) for s in mentions.sentences}
        speakers = tuple(self._speaker_by_day(q, main.country if main else None) for q in quotes)
        named_countries = {m.actor.country for reading in actors.values() for by in reading.readings.values()
                           for ms in (by.undated, *by.values) for m in ms}
        codes = {p.country_code for p in pinned if p.country_code}
        generics = {(kind, c): self.actors.generic(kind, c) for kind in GENERIC_KINDS
                    for c in dict.fromkeys([*countries, *named_countries])}
        return Resolved(article, doc, mentions.sentences, published, opening, places, focus, main, quotes, speakers,
                        dates, entity_dates, actors, located, {c: self.gazetteer.iso3(c) for c in codes}, generics)

    def _sentence_actors(self, text: str, offset: int, countries: list[str | None]) -> SentenceActors:
        """A sentence's actors as the actor base reads them for an event in each of ``countries``, on
        every day (``stages.by_day`` over the days the names can change on)."""
        readings: dict[str | None, ByDay[tuple[ActorMention, ...]]] = {}
        for country in countries:
            def find(day: date | None, country: str | None = country) -> tuple[ActorMention, ...]:
                return tuple(self.actors.find(text, country=country, when=day, offset=offset))

            readings[country] = by_day(find, self.actors.changes(text, country))
        return SentenceActors(Span(offset, offset + len(text), text), readings)

    def _speaker_by_day(self, quote: Quote, country: str | None) -> ByDay[Actor | None] | None:
        """The actor a statement's speaker names in ``country``, on every day; None without words to look up."""
        words = source_words(quote)
        if words is None:
            return None

        def resolve(day: date | None) -> Actor | None:
            return self.actors.resolve(words, country=country, when=day)

        return by_day(resolve, self.actors.changes(words, country))

    def _code(self, events: list[Event]) -> list[Event]:
        """The events as the user's classifier codes their sub-types, when one was given, then as the
        embedding classifier does, when it was chosen (``embeddings.recode``)."""
        if self._classifier is not None:
            events = [_reclassify(e, self._classifier) for e in events]
        if self._embeddings is not None:
            from sitrep.embeddings import recode

            events = recode(events, self._embeddings)
        return events

    def _speaker(self, name: str, country: str | None, when: date | None) -> str | None:
        """A speaker's canonical name when the knowledge base names them (not a crowd or "gunmen")."""
        actor = self.actors.resolve(name, country=country, when=when)
        return actor.name if named(actor) else None


def _plausibly_dated(article: Article) -> Article:
    """The article, its publication day None (with a warning) when outside the years sitrep reads."""
    if article.published is not None and not plausible(article.published):
        logger.warning("%s: publication date %s is implausible; read as unknown", printable(article.id),
                       article.published)
        return replace(article, published=None)
    return article


def _guarded(article: Article, step: Callable[[], Any]) -> Any:
    """``step()``, or the article's ``AnalysisError`` when it raises (any ``Exception``: the guard of
    the analysis stage). Interrupts and exits pass through, and so does ``MissingDependency``: a model
    that is not installed fails every article alike, and is said once."""
    try:
        return step()
    except MissingDependency:
        raise
    except Exception as err:
        error = AnalysisError(article.id, f"could not be analysed ({_describe(err)})", traceback.format_exc())
        error.__cause__ = err
        return error


def _describe(err: BaseException) -> str:
    """'ValueError: could not convert ...', at most one line of 200 characters."""
    message = " ".join(str(err).split())
    text = f"{type(err).__name__}: {message}" if message else type(err).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _reclassify(event: Event, classifier: NaiveBayes) -> Event:
    """The event with the sub-type the user's classifier reads in its sentences."""
    sub_type = classifier.predict(" ".join(s.text for s in event.evidence))
    if sub_type == event.sub_event_type or sub_type not in TYPE_OF:
        return event
    event = replace(event, sub_event_type=sub_type, event_type=TYPE_OF[sub_type])
    return replace(event, notes=notes(event))


def _embedding_classifier(language: str) -> Any:
    """The sentence-embedding classifier, imported only when chosen (it needs the ``embeddings`` extra)."""
    from sitrep.embeddings import EmbeddingClassifier

    return EmbeddingClassifier(language=language)


@cache
def default_pipeline(language: str = "en", model: str | None = None, classifier: str = "rules") -> Pipeline:
    return Pipeline(language, model, classifier=classifier)


def _batches(items: Iterable[Article | InputError], size: int) -> Iterator[list[Article | InputError]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _warm(language: str, model: str | None = None, classifier: str = "rules") -> None:
    """Load the models and knowledge bases of a worker process, once, before its first batch."""
    default_pipeline(language, model, classifier)
    nlp.pipeline(language)
    actor_base()
    gazetteer.load()


def analyse_articles(
    language: str, articles: list[Article], model: str | None = None, classifier: str = "rules"
) -> list[Analysis | AnalysisError]:
    """Analyse one batch of articles in a worker (a process or a Dask worker): one result per article,
    an ``AnalysisError`` for an article whose analysis failed."""
    return default_pipeline(language, model, classifier)._analyse_articles(articles)


Results = list[Analysis | AnalysisError]


def ordered_batches(
    items: Iterable[Article | InputError],
    submit: Callable[[list[Article]], Callable[[], Results]],
    in_flight: int,
) -> Iterator[Analysis | InputError]:
    """Send the items in batches to workers, at most ``in_flight`` batches pending, results in input order.

    ``submit`` sends a batch's articles to a worker and returns what waits for their analyses
    (``analyse_articles`` run there). Read errors never leave this process: each is put back in place
    when its batch comes back. Items are read only as fast as results are taken, so memory stays flat.
    """
    pending: deque[tuple[list[Article | InputError], Callable[[], Results]]] = deque()
    for batch in _batches(items, BATCH_SIZE):
        articles = [item for item in batch if isinstance(item, Article)]
        pending.append((batch, submit(articles) if articles else list))
        if len(pending) >= max(in_flight, 1):
            yield from _merge(*pending.popleft())
    while pending:
        yield from _merge(*pending.popleft())


def _merge(batch: list[Article | InputError], wait: Callable[[], Results]) -> Iterator[Analysis | InputError]:
    """A batch's read errors and its articles' analyses, in the batch's order. When the batch failed as a
    whole (its worker died, its results could not be sent back), each of its articles is an
    ``AnalysisError`` saying so."""
    try:
        results: list[Any] = list(wait())
    except MissingDependency:
        raise
    except Exception as err:
        reason = f"could not be analysed: the worker analysing its batch failed ({_describe(err)})"
        detail = traceback.format_exc()
        results = [AnalysisError(item.id, reason, detail) for item in batch if isinstance(item, Article)]
    analyses = iter(results)
    for item in batch:
        yield item if isinstance(item, InputError) else next(analyses)


def _has_threads() -> bool:
    import threading

    return threading.active_count() > 1
