"""Watching: feeds and folders polled, new articles analysed, stored and fused as they arrive.

``load_sources`` reads a sources file (YAML)::

    defaults:                 # all optional
      interval: 300           # seconds between two polls of a source
      timeout: 20             # seconds, per request
      retries: 3              # retries of a request that failed for a network error, 429 or 5xx
      backoff: 2              # seconds before the first retry, doubled each time, plus random jitter
      delay: 1                # least seconds between two requests to one host
      max_bytes: 5000000      # largest feed or page read
      user_agent: "sitrep/0.1.0 (...)"
      fetch_pages: auto       # auto: an item's page is fetched when the item carries only a summary
                              # (shorter than SUMMARY_CHARS); always; never
    feeds:
      - url: https://example.org/world.rss
        interval: 600         # and any of language, outlet, fetch_pages
        language: en
        outlet: Example News
    folders:
      - path: incoming/       # relative to the sources file; new or changed files are read
        interval: 60

``Watcher.poll`` polls one source; ``Watcher.run`` polls each when it is due until told to stop.

- **State in the store.** Each source's validators (ETag, Last-Modified), last poll, success and
  error; each item's keys (guid, canonical URL, content hash; a file's path, size and time). A feed's
  validators are saved only once all of its items are handled, and an item's keys in the transaction
  that stores its article: a process killed at any moment neither loses nor doubles an item.
- **Articles, not summaries.** An item that carries only a summary has its page fetched and read
  (``read.read_page``: trafilatura's main text, title, date, site); the summary is the fallback when
  the page cannot be had, is not HTML, or gives less text.
- **Nothing twice.** An item whose guid or canonical URL was met, or whose text (whitespace aside) was,
  is skipped before any analysis.
- **Stopped cleanly.** Once ``stop`` is set (SIGTERM), the article in hand is analysed and stored and
  nothing more is begun; a fetch not yet made, or waiting for a retry, is given up, and its item,
  not marked seen, is read by the next run.
- **One source never stops the others.** A source that fails is logged (its URL and the reason) and
  polled again after ``interval`` x 2^failures (at most ``MAX_BACKOFF_S``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sitrep.errors import InputError, SitrepError, printable, yaml_file
from sitrep.fetch import USER_AGENT, Fetcher, FetchError, Stopped
from sitrep.models import Article

__all__ = ["SUMMARY_CHARS", "Settings", "Source", "SourcesError", "Watcher", "canonical_url", "load_sources"]

log = logging.getLogger(__name__)

SUMMARY_CHARS = 1200
"""An item whose text (title and body) is shorter than this carries a summary, not the article."""
MAX_BACKOFF_S = 3600.0
"""Longest wait before polling a failing source again."""
REPORTS_KEPT = 2_000
"""Reports the store keeps parsed for fusion while watching (``Store.report_cache``), the most recently
used: new articles tell of recent days, whose reports these are, and memory stays flat however long the
watch runs. A parsed report takes about 10 KB (bench/watch.py memory: 5 MB more per 500 reports until
the limit), so these hold about 20 MB; one not kept is read again from the database when needed."""
TICK_S = 5.0
"""Longest sleep between two calls of a ``Watcher``'s ``tick`` while it waits for a source."""
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""Media types of a page that is read; any other (a PDF, an image) leaves the item's summary."""
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign)$", re.I)
"""Query parameters that track a reader, not name a page; dropped from a canonical URL."""


class SourcesError(SitrepError):
    """A sources file that cannot be used: the file and the reason."""


@dataclass(frozen=True)
class Settings:
    """How sources are polled (the ``defaults`` of a sources file; a source may set its own)."""

    interval: float = 300.0
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 2.0
    delay: float = 1.0
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = USER_AGENT
    fetch_pages: str = "auto"
    language: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class Source:
    """A feed (``kind`` 'feed', ``location`` its URL) or a folder (``kind`` 'folder', its path)."""

    kind: str
    location: str
    settings: Settings


_SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "interval": (int, float), "timeout": (int, float), "retries": (int,), "backoff": (int, float),
    "delay": (int, float), "max_bytes": (int,), "user_agent": (str,), "fetch_pages": (str,),
    "language": (str,), "outlet": (str,),
}


def load_sources(path: str | Path) -> list[Source]:
    """The sources a YAML file lists (see the module); ``SourcesError`` naming the file and the problem."""
    path = Path(path)
    data = yaml_file(path, SourcesError)
    if not isinstance(data, dict):
        raise SourcesError(f"{path}: a sources file is a mapping with 'feeds' and/or 'folders'")
    _no_unknown(data, {"defaults", "feeds", "folders"}, str(path))
    defaults = _settings(Settings(), data.get("defaults") or {}, f"{path}: defaults")
    sources: list[Source] = []
    for kind, key in (("feed", "url"), ("folder", "path")):
        entries = data.get(f"{kind}s") or []
        if not isinstance(entries, list):
            raise SourcesError(f"{path}: '{kind}s' is a list")
        for n, entry in enumerate(entries, 1):
            where = f"{path}: {kind}s item {n}"
            if isinstance(entry, str):
                entry = {key: entry}
            if not isinstance(entry, dict) or not isinstance(entry.get(key), str) or not entry[key].strip():
                raise SourcesError(f"{where}: needs a '{key}'")
            location = entry[key].strip()
            if kind == "feed" and urlsplit(location).scheme not in ("http", "https"):
                raise SourcesError(f"{where}: {printable(location)!r} is not an http(s) URL")
            if kind == "folder":
                folder = Path(location).expanduser()
                location = str(folder if folder.is_absolute() else (path.parent / folder).resolve())
            settings = _settings(defaults, {k: v for k, v in entry.items() if k != key}, where)
            sources.append(Source(kind, location, settings))
    if not sources:
        raise SourcesError(f"{path}: lists no feeds and no folders")
    return sources


def _settings(base: Settings, values: Any, where: str) -> Settings:
    if not isinstance(values, dict):
        raise SourcesError(f"{where}: settings are a mapping")
    _no_unknown(values, set(_SETTING_TYPES), where)
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, _SETTING_TYPES[name]):
            raise SourcesError(f"{where}: {name} must be {_SETTING_TYPES[name][0].__name__}, not {value!r}")
        if isinstance(value, int | float) and value < 0:
            raise SourcesError(f"{where}: {name} cannot be negative")
    if values.get("fetch_pages", "auto") not in ("auto", "always", "never"):
        raise SourcesError(f"{where}: fetch_pages is auto, always or never")
    if values.get("interval", 1) == 0:
        raise SourcesError(f"{where}: interval must be more than 0 seconds")
    given: dict[str, Any] = {k: float(v) if isinstance(base.__dict__[k], float) else v for k, v in values.items()}
    return replace(base, **given)


def _no_unknown(values: dict[Any, Any], known: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in values if k not in known)
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def canonical_url(url: str | None) -> str | None:
    """A URL as one page is known by whatever link led to it: scheme and host in lower case, no
    default port, no fragment, no tracking parameters (``TRACKING_PARAMS``), the rest sorted, no
    trailing slash on a path. None for anything that is not an http(s) URL."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not TRACKING_PARAMS.match(k)))
    return urlunsplit((scheme, host, parts.path.rstrip("/") or "/", query, ""))


def text_hash(text: str) -> str:
    """SHA-256 of a text with its white space collapsed (the same article, differently wrapped)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class PollResult:
    """What one poll of one source did."""

    source: str
    new: int = 0
    """Articles analysed and stored."""
    skipped: int = 0
    """Items met before (by guid, URL or text)."""
    failed: int = 0
    """Items that could not be read or analysed."""
    not_modified: bool = False
    error: str | None = None
    """Why the poll failed (the source could not be had), None when it did not."""
    stored: list[str] = field(default_factory=list)
    """The ids of the articles stored."""


class Watcher:
    """Polls ``sources`` into ``store`` through ``pipeline`` (``Pipeline.stream``, as ``sitrep ingest``
    does); ``on_stored(article_id)`` is called after each article is stored (alerts), ``stop`` is the
    event that ends ``run`` (set by SIGTERM) once the article in hand is stored.
    """

    def __init__(self, sources: list[Source], store: Any, pipeline: Any,
                 on_stored: Callable[[str], None] | None = None, stop: threading.Event | None = None,
                 fetcher_factory: Callable[[Settings], Fetcher] | None = None,
                 tick: Callable[[], object] | None = None) -> None:
        self.sources = sources
        self.store = store
        self.pipeline = pipeline
        self.on_stored = on_stored
        self.tick = tick
        """Called after each poll and every ``TICK_S`` seconds while waiting (alerts to retry)."""
        self.stop = stop or threading.Event()
        if isinstance(getattr(store, "report_cache", None), int):
            store.report_cache = min(store.report_cache, REPORTS_KEPT)
        self._fetchers: dict[tuple[Any, ...], Fetcher] = {}
        self._fetcher_factory = fetcher_factory or _fetcher
        self._due: dict[str, float] = {}

    # -- running ---------------------------------------------------------------------------------

    def run(self, once: bool = False) -> list[PollResult]:
        """Poll each source when it is due until ``stop`` is set; with ``once``, each source once.
        Returns the results of the polls (for ``once``; a long run returns only when stopped)."""
        results: list[PollResult] = []
        if once:
            for source in self.sources:
                if self.stop.is_set():
                    break
                results.append(self.poll(source))
                self._tick()
            return results
        for source in self.sources:
            self._due.setdefault(source.location, time.monotonic())
        while not self.stop.is_set():
            source = min(self.sources, key=lambda s: self._due[s.location])
            wait = self._due[source.location] - time.monotonic()
            if wait > 0:
                self.stop.wait(min(wait, TICK_S))
                self._tick()
                continue
            result = self.poll(source)
            self._tick()
            failures = int(self.store.source_state(source.location).get("failures") or 0)
            interval = source.settings.interval
            if result.error and failures:
                interval = min(interval * 2 ** min(failures - 1, 16), max(MAX_BACKOFF_S, interval))
            self._due[source.location] = time.monotonic() + interval
        return results

    def _tick(self) -> None:
        if self.tick is not None:
            self.tick()

    def close(self) -> None:
        for fetcher in self._fetchers.values():
            fetcher.close()

    def poll(self, source: Source) -> PollResult:
        """Poll one source; every failure is logged and returned, never raised (``SitrepError`` from
        the store aside)."""
        result = PollResult(source.location)
        self.store.save_source_state(source.location, source.kind, last_poll=_now())
        try:
            if source.kind == "feed":
                self._poll_feed(source, result)
            else:
                self._poll_folder(source, result)
        except Stopped:
            log.info("%s: poll left unfinished (stopping)", printable(source.location))
        except (FetchError, InputError) as err:
            result.error = err.reason if isinstance(err, FetchError) else str(err)
        except OSError as err:
            result.error = f"cannot be read ({err.strerror or err})"
        if result.error is not None:
            failures = int(self.store.source_state(source.location).get("failures") or 0) + 1
            log.warning("%s: %s (failure %d in a row)", printable(source.location), result.error, failures)
            self.store.save_source_state(source.location, source.kind, last_error=result.error,
                                         last_error_at=_now(), failures=failures)
        elif not self.stop.is_set():
            self.store.save_source_state(source.location, source.kind, last_success=_now(), failures=0)
        if result.new or result.failed:
            log.info("%s: %d new articles, %d already seen, %d failed", printable(source.location),
                     result.new, result.skipped, result.failed)
        return result

    # -- feeds -----------------------------------------------------------------------------------

    def fetcher(self, settings: Settings) -> Fetcher:
        """One client per distinct set of HTTP settings (usually one for all sources)."""
        key = (settings.user_agent, settings.timeout, settings.retries, settings.backoff, settings.delay,
               settings.max_bytes)
        if key not in self._fetchers:
            self._fetchers[key] = self._fetcher_factory(settings)
            self._fetchers[key].stop = self.stop
        return self._fetchers[key]

    def _poll_feed(self, source: Source, result: PollResult) -> None:
        from sitrep.read import feed_entries, feed_prefix

        fetcher = self.fetcher(source.settings)
        state = self.store.source_state(source.location)
        response = fetcher.get(source.location, etag=state.get("etag"), last_modified=state.get("last_modified"),
                               accept=FEED_ACCEPT)
        if response.not_modified:
            result.not_modified = True
            log.debug("%s: not modified", printable(source.location))
            return
        title, language, entries = feed_entries(response.content, source.location, allow_empty=True)
        outlet = source.settings.outlet or title
        language = source.settings.language or language
        prefix = feed_prefix(title)
        for number, entry in enumerate(entries, 1):
            if self.stop.is_set():
                return  # validators not saved: the next run polls the feed again, and skips what it stored
            self._feed_item(source, fetcher, entry, prefix, outlet, language, f"{source.location} item {number}",
                            result)
        self.store.save_source_state(source.location, source.kind, etag=response.etag,
                                     last_modified=response.last_modified)

    def _feed_item(self, source: Source, fetcher: Fetcher, entry: Any, prefix: str, outlet: str | None,
                   language: str, where: str, result: PollResult) -> None:
        from sitrep.read import entry_article

        guid = entry.get("id") or None
        link = entry.get("link") or None
        keys = [f"guid:{guid}" if guid else "", f"url:{canonical_url(link)}" if canonical_url(link) else ""]
        if self.store.seen(keys):
            self.store.mark_seen(keys, source.location)  # a re-published item: its new guid or link too
            result.skipped += 1
            return
        try:
            article = entry_article(entry, prefix, outlet, language, None, where)
        except InputError as err:
            article = None
            summary_error = err
        if link and self._wants_page(source, article):
            page = self._page(fetcher, link, where)
            if page is not None and (article is None or len(page.text) > len(article.text)):
                base = article or Article(id=f"{prefix}-{_sha(guid or link)[:10]}", text=page.text)
                article = replace(base, text=page.text, title=base.title or page.title,
                                  published=base.published or page.published, url=link,
                                  outlet=outlet or page.outlet, language=source.settings.language or page.language
                                  or language)
                page_url = canonical_url(page.url)
                if page_url:
                    keys.append(f"url:{page_url}")
        if article is None:
            log.warning("%s: %s", printable(where), summary_error)
            self.store.mark_seen(keys, source.location)
            result.failed += 1
            return
        self._ingest(article, keys, source, result)

    def _wants_page(self, source: Source, article: Article | None) -> bool:
        mode = source.settings.fetch_pages
        if mode == "never":
            return False
        return mode == "always" or article is None or len(article.text) < SUMMARY_CHARS

    def _page(self, fetcher: Fetcher, url: str, where: str) -> Any:
        """The item's page read (``read.Page``), or None (logged) when it cannot be had."""
        from sitrep.read import read_page

        try:
            response = fetcher.get(url, accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
            if response.content_type and response.content_type not in PAGE_TYPES:
                raise FetchError(url, f"not an HTML page ({response.content_type})")
            return read_page(response.content, url)
        except Stopped:
            raise  # the item is left for the next run, not read from its summary
        except (FetchError, InputError) as err:
            log.warning("%s: page %s; the feed's summary is read instead", printable(where), err)
        except Exception as err:  # the guard of one page: trafilatura on a hostile page
            log.warning("%s: page %s could not be read (%s); the feed's summary is read instead",
                        printable(where), printable(url), type(err).__name__)
        return None

    # -- folders ---------------------------------------------------------------------------------

    def _poll_folder(self, source: Source, result: PollResult) -> None:
        from sitrep.read import KNOWN_SUFFIXES, read_inputs

        folder = Path(source.location)
        if not folder.is_dir():
            raise InputError(source.location, "no such folder")
        for path in sorted(_files(folder, KNOWN_SUFFIXES)):
            if self.stop.is_set():
                return
            try:
                info = path.stat()
            except OSError:
                continue  # gone meanwhile
            file_key = f"file:{path}:{info.st_size}:{info.st_mtime_ns}"
            if self.store.seen([file_key]):
                continue
            for item in read_inputs([str(path)]):
                if self.stop.is_set():
                    return  # the file's key is not saved: it is read again, its stored articles skipped
                if isinstance(item, InputError):
                    log.warning("%s", item)
                    result.failed += 1
                elif source.settings.language or source.settings.outlet:
                    self._ingest(replace(item, language=source.settings.language or item.language,
                                         outlet=source.settings.outlet or item.outlet), [], source, result)
                else:
                    self._ingest(item, [], source, result)
            self.store.mark_seen([file_key], source.location)

    # -- analysing -------------------------------------------------------------------------------

    def _ingest(self, article: Article, keys: list[str], source: Source, result: PollResult) -> None:
        """Analyse and store one article (as ``sitrep ingest``: ``Pipeline.stream``, ``Store.add``)
        unless its text was met before."""
        from sitrep.pipeline import Analysis

        keys = [*keys, f"hash:{text_hash(article.text)}"]
        if self.store.seen(keys[-1:]) or self.store.has(article):
            self.store.mark_seen(keys, source.location)
            result.skipped += 1
            return
        (analysis,) = self.pipeline.stream([article])
        if not isinstance(analysis, Analysis):
            log.warning("%s", analysis)
            self.store.mark_seen(keys, source.location)
            result.failed += 1
            return
        if self.store.add(analysis.article, [e.to_dict() for e in analysis.events], seen=keys,
                          source=source.location):
            result.new += 1
            result.stored.append(article.id)
            if self.on_stored is not None:
                self.on_stored(article.id)
        else:
            result.skipped += 1


def _fetcher(settings: Settings) -> Fetcher:
    return Fetcher(user_agent=settings.user_agent, timeout=settings.timeout, retries=settings.retries,
                   backoff=settings.backoff, delay=settings.delay, max_bytes=settings.max_bytes)


def _files(folder: Path, suffixes: frozenset[str]) -> Iterator[Path]:
    """Files under ``folder`` with one of ``suffixes``, hidden entries skipped, links not followed."""
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() in suffixes and path.is_file() and not path.is_symlink():
            yield path


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
