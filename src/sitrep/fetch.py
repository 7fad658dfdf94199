"""Fetching over HTTP for ``sitrep watch``: polite, conditional, bounded, retried.

- **Polite.** One request at a time (a ``Fetcher`` is used by one thread), at least ``delay`` seconds
  between two requests to one host, an identifying ``User-Agent``, and robots.txt honoured (RFC 9309:
  a robots.txt that is missing or refused (4xx) allows everything; one that cannot be read (5xx, network
  error) disallows everything until it can be).
- **Conditional.** ``get`` sends ``If-None-Match`` / ``If-Modified-Since`` when given the validators of
  the last response; a 304 comes back as a ``Response`` with ``not_modified`` set and no body.
- **Bounded.** A timeout on every request; a body larger than ``max_bytes`` (after gzip decoding, so a
  compressed bomb is refused too) is a ``FetchError``; redirects are followed up to ``MAX_REDIRECTS``.
- **Retried.** A network error, 429 or 5xx is retried ``retries`` times, after ``backoff`` x 2^n
  seconds plus up to ``backoff`` seconds of random jitter (a ``Retry-After`` of at most
  ``MAX_RETRY_AFTER_S`` seconds is honoured instead). Other 4xx answers are not retried.
- **Stoppable.** Given a ``stop`` event, every wait (between two requests to a host, before a retry)
  ends as soon as it is set, with ``Stopped``: a watch told to stop does not sit out a backoff. A
  request under way is not cut (its timeout bounds it).
"""

from __future__ import annotations

import logging
import random
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from sitrep import __version__
from sitrep.errors import SitrepError, printable

__all__ = ["USER_AGENT", "FetchError", "Fetcher", "Response", "Stopped"]

log = logging.getLogger(__name__)

USER_AGENT = f"sitrep/{__version__} (conflict event monitor; +https://pypi.org/project/sitrep/)"
"""The default ``User-Agent``: the program, its version and where to read about it."""
MAX_REDIRECTS = 5
MAX_RETRY_AFTER_S = 120.0
"""Longest ``Retry-After`` waited for inside one poll; a longer one fails this poll."""
ROBOTS_TTL_S = 3600.0
"""How long a host's robots.txt is trusted before it is read again."""
RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})


class FetchError(SitrepError):
    """A URL that could not be fetched: ``url`` and a one-line ``reason``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{printable(url)}: {reason}")
        self.url = url
        self.reason = reason


class Stopped(SitrepError):
    """A fetch given up before it was made because the ``stop`` event was set (``url``)."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{printable(url)}: not fetched, stopping")
        self.url = url


@dataclass(frozen=True)
class Response:
    """What a successful ``get`` gives: the final URL (after redirects), the status, the body."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    """The media type, lower case, without parameters ('text/html')."""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Fetcher:
    """An HTTP client with the rules above. ``sleep`` and ``clock`` are replaceable for tests."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0
    """Seconds for connecting and for each read."""
    retries: int = 3
    backoff: float = 2.0
    delay: float = 1.0
    """Least seconds between two requests to one host."""
    max_bytes: int = 5 * 1024 * 1024
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    stop: threading.Event | None = None
    """Set when the caller is stopping: a wait ends at once with ``Stopped`` (``sleep`` is then unused)."""
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = field(
        default_factory=dict, init=False, repr=False)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
                timeout=self.timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS,
                transport=self.transport)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Response:
        """Fetch ``url`` (robots.txt permitting), retrying as the module says; ``FetchError`` when it
        cannot be had, ``Stopped`` when ``stop`` was set before or while it waited."""
        if not self.allowed(url):
            raise FetchError(url, "disallowed by the site's robots.txt")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._get_once(url, headers)
            except _Retry as retry:
                if attempt >= self.retries:
                    raise FetchError(url, f"{retry.reason} (after {attempt + 1} attempts)") from None
                wait = retry.after if retry.after is not None else \
                    self.backoff * 2 ** attempt + random.uniform(0, self.backoff)
                log.info("%s: %s; retrying in %.1f s", printable(url), retry.reason, wait)
                self._pause(wait, url)
                attempt += 1

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        self._wait_for_host(url)
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code in RETRIED_STATUS:
                    raise _Retry(f"HTTP {r.status_code}", _retry_after(r.headers.get("Retry-After")))
                if r.status_code == 304:
                    return Response(str(r.url), 304, etag=r.headers.get("ETag"),
                                    last_modified=r.headers.get("Last-Modified"))
                if r.status_code >= 400:
                    raise FetchError(url, f"HTTP {r.status_code}")
                declared = r.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"larger than the {self.max_bytes} bytes limit ({declared} bytes)")
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(url, f"larger than the {self.max_bytes} bytes limit")
                content_type = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return Response(str(r.url), r.status_code, bytes(body), content_type,
                                r.headers.get("ETag"), r.headers.get("Last-Modified"))
        except httpx.TooManyRedirects:
            raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.InvalidURL as err:
            raise FetchError(url, f"not a valid URL ({err})") from None
        except httpx.DecodingError as err:
            raise FetchError(url, f"a body that cannot be decoded ({err})") from None
        except httpx.TransportError as err:  # connect and read errors, timeouts
            raise _Retry(_describe(err), None) from None

    def _wait_for_host(self, url: str) -> None:
        host = _host(url)
        last = self._last.get(host)
        if last is not None:
            wait = last + self.delay - self.clock()
            if wait > 0:
                self._pause(wait, url)
        if self.stop is not None and self.stop.is_set():
            raise Stopped(url)
        self._last[host] = self.clock()

    def _pause(self, seconds: float, url: str) -> None:
        """Wait ``seconds`` before fetching ``url``; ``Stopped`` as soon as ``stop`` is set."""
        if self.stop is None:
            self.sleep(seconds)
        elif self.stop.wait(seconds):
            raise Stopped(url)

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets this user agent fetch ``url`` (read once per
        ``ROBOTS_TTL_S`` per host); ``FetchError`` when it cannot be read (then it is read again next time)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return True  # the request itself will say what is wrong
        host = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(host)
        if cached is None or self.clock() - cached[0] > ROBOTS_TTL_S:
            parser = self._read_robots(host, url)
            cached = (self.clock(), parser)
            self._robots[host] = cached
        return cached[1].can_fetch(self.user_agent, url)

    def _read_robots(self, host: str, wanted: str) -> urllib.robotparser.RobotFileParser:
        """The parsed robots.txt of ``host``, one allowing everything when it is missing or refused;
        ``FetchError`` for ``wanted`` when it cannot be read."""
        url = f"{host}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(url)
        self._wait_for_host(url)
        try:
            r = self.client.get(url, headers={"Accept": "text/plain"})
        except httpx.HTTPError as err:
            raise FetchError(wanted, f"the site's robots.txt cannot be read ({_describe(err)})") from None
        if r.status_code >= 500:
            raise FetchError(wanted, f"the site's robots.txt cannot be read (HTTP {r.status_code})")
        if r.status_code >= 400:
            parser.parse([])  # nothing disallowed
        else:
            parser.parse(r.text[: self.max_bytes].splitlines())
        return parser


class _Retry(Exception):
    def __init__(self, reason: str, after: float | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


def _retry_after(value: str | None) -> float | None:
    """A ``Retry-After`` in seconds, when it is a number no larger than ``MAX_RETRY_AFTER_S``."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds <= MAX_RETRY_AFTER_S else None


def _describe(err: Exception) -> str:
    """'ConnectTimeout: timed out' as one short line."""
    message = " ".join(str(err).split())[:200]
    return type(err).__name__ + (f": {message}" if message else "")


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
