"""Reading: every input (file, folder, feed, JSON Lines record, standard input) becomes an ``Article``.

``read_inputs`` is a generator from end to end: it never holds more than one document in memory
(a JSON Lines file or stream is read line by line), and a bad input is *yielded* as its
``InputError`` rather than raised, so one broken file among thousands stops nothing.

Rules, in the order they apply:

1. **Which files.** A path named explicitly is read whatever its extension: ``.html``/``.htm`` as an
   HTML page, ``.xml``/``.rss``/``.atom`` as a feed, ``.jsonl`` as article records, anything else as
   plain text. Inside a folder (read recursively, entries in code-point order of their names) only
   files with one of those known extensions are read; hidden entries (``.git``, ``.DS_Store``) are
   skipped silently, other files are counted by extension and named in one warning per folder once
   it is read ("2 .pdf, 1 .docx"); a folder with no file to read is an ``EmptyInput`` that names what
   it skipped. ``-`` is standard input: JSON Lines when every non-empty line is a JSON object with a
   ``"text"``, else one text article.
   Only regular files are read: a FIFO, a device or a socket is an ``UnreadableInput`` (it is never
   opened for blocking reads, so a FIFO cannot hang the run). Inside a folder, a symbolic link that
   leads out of the folder given is not followed (one warning per folder names such links).
2. **Bytes to text.** NUL bytes in the first 8 KB mean binary (``BinaryInput``). UTF-8 first (a leading
   byte-order mark is dropped), else Windows-1252 with a logged warning naming the input. HTML pages
   are decoded by trafilatura, which honours the page's declared charset.
3. **Limits.** A document larger than ``MAX_BYTES`` is refused (``OversizedInput``); for JSON Lines the
   limit applies to each record line, not to the file, so a large corpus in one file is fine. The
   limit applies while reading: no more than ``MAX_BYTES`` of a line is ever held in memory, also on
   standard input.
4. **Text.** The text of a ``.txt`` file or a JSON Lines record is kept exactly as given (offsets point
   into it); only a file's leading byte-order mark is removed, and a lone surrogate escape in a JSON
   string ("\\ud800", no character) becomes U+FFFD, one character for one, with a warning. HTML:
   trafilatura's main text, its blocks in page order. Feed items: the title, a blank line, then the
   summary or content with markup stripped (decoded again while markup remains: feeds that escape
   HTML twice, or escape a CDATA section). Titles and outlets are plain text: markup in them is
   stripped, control characters become spaces.
5. **Ids.** A record's own ``id`` (as a string); else ``<file name>-<8 hex of the text's SHA-256>``;
   feed items: ``<feed title>-<10 hex of the item's id or link>``, so the same item in two snapshots
   of a feed gets the same id.
6. **Publication date.** Metadata first (record ``published``; a page's date from its markup, never
   from its JavaScript or free text; an item's ``published``, else ``updated``, as its local day; the
   date part of an ISO string), else the day of the text's dateline (``extraction.dateline``: the
   earliest full date of its opening, "Wed 05 Apr 2017", "April 5, 2017", "2017-04-05"), else the
   ``published`` argument. A weekday and day without a year ("Saturday November 30") is not a
   dateline. A date outside the years sitrep reads (``dates.plausible``) is no date.
7. **One document never stops the rest.** An unexpected error while reading one document (a file, a
   feed item, a record) becomes that document's ``InputError``; the next is read as usual.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import urlsplit

from sitrep.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    MalformedRecord,
    OversizedInput,
    UnreadableInput,
    printable,
)
from sitrep.extraction.dateline import read_dateline
from sitrep.extraction.dates import MAX_YEAR, MIN_YEAR, plausible, safe_date
from sitrep.models import Article

__all__ = ["MAX_BYTES", "Page", "count_items", "entry_article", "feed_entries", "feed_prefix", "read_inputs",
           "read_page"]

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
"""Largest document read (a file, or one JSON Lines record); far above any news article."""
SNIFF_BYTES = 8192
"""How much of a file is checked for NUL bytes to tell binary from text."""
STDIN_SPOOL_BYTES = 8 * 1024 * 1024
"""Standard input is spooled in memory up to this size, then to a temporary file."""
STDIN_NAME = "<stdin>"
SKIP_CHUNK_BYTES = 1024 * 1024
"""The rest of an oversized line is read past in pieces of this size, never held whole."""

HTML_SUFFIXES = frozenset({".html", ".htm"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
JSONL_SUFFIXES = frozenset({".jsonl"})
TEXT_SUFFIXES = frozenset({".txt"})
KNOWN_SUFFIXES = HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | TEXT_SUFFIXES

_BOM = "\ufeff"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_inputs(inputs: Iterable[str], published: date | None = None) -> Iterator[Article | InputError]:
    """Yield an ``Article`` for every document in ``inputs``, and an ``InputError`` for every bad one.

    ``inputs`` are paths (files or folders) or ``-`` for standard input. ``published`` is the
    publication date of inputs whose metadata and text carry none (ignored, with a warning, when it
    is not ``plausible``).
    """
    if published is not None and not plausible(published):
        logger.warning("publication date %s is implausible; ignored", published)
        published = None
    for name in inputs:
        if not name:
            yield UnreadableInput(repr(name), "an empty path names no file")
        elif name == "-":
            yield from _read_stdin(published)
        elif Path(name).is_dir():
            yield from _read_folder(Path(name), published)
        else:
            yield from _read_file(Path(name), name, published)


# -- files and folders ---------------------------------------------------------------------------


def _read_folder(folder: Path, published: date | None) -> Iterator[Article | InputError]:
    """Read every known file under ``folder``, recursively, in sorted order; then name, once, the
    kinds of file it skipped and the links it did not follow."""
    skipped: Counter[str] = Counter()
    outside: list[Path] = []
    found = False
    root = folder.resolve()
    for item in _walk(folder, root, {root}, skipped, outside):
        found = True
        if isinstance(item, InputError):
            yield item
        else:
            yield from _read_file(item, str(item), published)
    if outside:
        names = ", ".join(printable(str(p)) for p in outside[:3]) + (", ..." if len(outside) > 3 else "")
        logger.warning("%s: not followed: %d symbolic link(s) leading out of the folder (%s)",
                       printable(str(folder)), len(outside), names)
    if not found:
        unread = f"; skipped {_kinds(skipped)}" if skipped else ""
        yield EmptyInput(str(folder), f"no file sitrep reads ({', '.join(sorted(KNOWN_SUFFIXES))}){unread}")
    elif skipped:
        logger.warning("%s: skipped %s: sitrep reads only %s files", printable(str(folder)), _kinds(skipped),
                       ", ".join(sorted(KNOWN_SUFFIXES)))


def _kinds(skipped: Counter[str]) -> str:
    """Counts of skipped files by extension, most first: '2 .pdf files, 1 file without extension'."""
    parts = []
    for suffix, n in sorted(skipped.items(), key=lambda kv: (-kv[1], not kv[0], kv[0])):
        files = "file" if n == 1 else "files"
        parts.append(f"{n} {printable(suffix)} {files}" if suffix else f"{n} {files} without extension")
    return ", ".join(parts)


def _walk(
    folder: Path, root: Path, seen: set[Path], skipped: Counter[str], outside: list[Path]
) -> Iterator[Path | InputError]:
    """The files to read under ``folder``: known extensions, through links only when they stay inside
    ``root`` (the folder given; the others are put in ``outside``); ``seen`` guards against symlink
    loops; files of other kinds are counted in ``skipped`` by extension."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as err:
        yield UnreadableInput(str(folder), _os_reason(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            if not is_dir and entry.suffix.lower() not in KNOWN_SUFFIXES:
                skipped[entry.suffix.lower()] += 1
                continue
            real = entry.resolve()
        except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop
            yield UnreadableInput(str(entry), _os_reason(err) if isinstance(err, OSError) else "a symbolic link loop")
            continue
        if entry.is_symlink() and not real.is_relative_to(root):
            outside.append(entry)
        elif is_dir:
            if real not in seen:
                seen.add(real)
                yield from _walk(entry, root, seen, skipped, outside)
        else:
            yield entry


def count_items(inputs: Iterable[str]) -> int | None:
    """How many items ``read_inputs`` will yield for ``inputs`` (articles and read errors), for a
    progress bar; None when standard input is among them (it can be read only once).

    One per text or HTML file and per unreadable file or folder; one per non-blank line of a JSON Lines
    file (scanned as bytes, not parsed); one per feed item (the feed is parsed, which takes
    milliseconds); at least one per file. Nothing is analysed.
    """
    total = 0
    for name in inputs:
        if name == "-":
            return None
        if not name:
            total += 1
            continue
        path = Path(name)
        root = path.resolve()
        files = [path] if not path.is_dir() else list(_walk(path, root, {root}, Counter(), []))
        total += sum(_count_file(item) if isinstance(item, Path) else 1 for item in files or [path])
    return total


def _count_file(path: Path) -> int:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _count_records(path)
    if suffix in FEED_SUFFIXES:
        return _count_feed_items(path)
    return 1


def _count_feed_items(path: Path) -> int:
    """Items of a feed file (at least 1: a feed without items, or unreadable, is one error)."""
    try:
        data = _read_bytes(path, str(path))
        import feedparser

        return max(1, len(feedparser.parse(data).entries))
    except Exception:  # unreadable or broken: reading it will name it, as one error
        return 1


def _count_records(path: Path) -> int:
    """Non-blank lines of a JSON Lines file (at least 1: an empty or unreadable file is one error)."""
    try:
        with _open_regular(path, str(path)) as f:
            return max(1, sum(1 for _, line in _lines(f) if line is None or line.strip()))
    except (OSError, InputError):
        return 1


def _read_file(path: Path, source: str, published: date | None) -> Iterator[Article | InputError]:
    """Read one file by its extension; errors are yielded, never raised."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl_file(path, source, published)
            return
        data = _read_bytes(path, source)
        if suffix in HTML_SUFFIXES:
            yield _html_article(data, path, source, published)
        elif suffix in FEED_SUFFIXES:
            yield from _feed_articles(data, path, source, published)
        else:
            yield _text_article(data, _slug(path.stem), source, published)
    except InputError as err:
        yield err
    except Exception as err:  # the guard of one document: nothing in it stops the other inputs
        yield _unexpected(UnreadableInput, source, err)


def _unexpected(kind: type[InputError], source: str, err: Exception) -> InputError:
    """The error for an exception no rule expected while reading ``source`` (traceback logged at -vv)."""
    logger.debug("%s: unexpected error while reading", printable(source), exc_info=err)
    message = " ".join(str(err).split())[:200]
    return kind(source, f"could not be read ({type(err).__name__}{': ' + message if message else ''})")


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(mode: int, source: str) -> None:
    """Raise ``UnreadableInput`` unless ``mode`` is a regular file's."""
    if stat.S_ISDIR(mode):
        raise UnreadableInput(source, "is a directory")
    for test, kind in _SPECIAL_FILES:
        if test(mode):
            raise UnreadableInput(source, f"not a regular file ({kind}); only regular files are read")
    if not stat.S_ISREG(mode):
        raise UnreadableInput(source, "not a regular file; only regular files are read")


def _open_regular(path: Path, source: str) -> BinaryIO:
    """``path`` opened for reading, when it is a regular file (``UnreadableInput`` otherwise).

    Checked before opening (opening a device can act on it) and again on the open file, which is
    opened non-blocking: a FIFO put in its place meanwhile cannot block the run.
    """
    try:
        _check_regular(os.stat(path).st_mode, source)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise UnreadableInput(source, _os_reason(err)) from err
    try:
        _check_regular(os.fstat(fd).st_mode, source)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_bytes(path: Path, source: str) -> bytes:
    """The whole file, refusing one larger than ``MAX_BYTES``."""
    with _open_regular(path, source) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:
                raise _oversized(source, size)
            data = f.read(MAX_BYTES + 1)
        except OSError as err:
            raise UnreadableInput(source, _os_reason(err)) from err
    if len(data) > MAX_BYTES:
        raise _oversized(source, len(data))
    return data


def _oversized(source: str, size: int | None = None) -> OversizedInput:
    """The error for a document over ``MAX_BYTES``, stating the limit."""
    mib, rest = divmod(MAX_BYTES, 1024 * 1024)
    limit = f"{mib} MiB" if mib and not rest else f"{MAX_BYTES} bytes"
    found = f" ({size} bytes)" if size is not None else ""
    return OversizedInput(source, f"larger than the {limit} limit for one document{found}")


def _os_reason(err: OSError) -> str:
    """A short reason for an OS error ('no such file or directory', 'permission denied')."""
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    return (err.strerror or str(err)).lower()


# -- bytes to text -------------------------------------------------------------------------------


def _decode(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 (or UTF-16 with its mark), else cp1252 with a warning; BOM dropped."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16").removeprefix(_BOM)
        except UnicodeDecodeError as err:
            raise BinaryInput(source, "starts with a UTF-16 mark but is not UTF-16 text") from err
    _check_not_binary(data, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        logger.warning("%s: not valid UTF-8, read as cp1252 (Windows-1252)", printable(source))
        text = data.decode("cp1252", errors="replace")
    return text.removeprefix(_BOM)


def _check_not_binary(data: bytes, source: str) -> None:
    """Raise ``BinaryInput`` when the first ``SNIFF_BYTES`` hold a NUL byte."""
    if b"\x00" in data[:SNIFF_BYTES]:
        raise BinaryInput(source, "binary data (NUL bytes), not text")


def _require_text(text: str, source: str) -> None:
    if not text.strip():
        raise EmptyInput(source, "no text (empty or only whitespace)")


def _text_article(data: bytes, stem: str, source: str, published: date | None) -> Article:
    """A plain-text document: the decoded text exactly as written."""
    text = _decode(data, source)
    _require_text(text, source)
    return Article(id=_text_id(stem, text), text=text, published=_dateline_day(text) or published)


# -- HTML ----------------------------------------------------------------------------------------

_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def _html_article(data: bytes, path: Path, source: str, published: date | None) -> Article:
    """An HTML page: main text and metadata as trafilatura finds them."""
    page = read_page(data, source)
    return Article(id=_text_id(_slug(path.stem), page.text), text=page.text, title=page.title,
                   published=page.published or published, url=page.url, outlet=page.outlet or url_host(page.url),
                   language=page.language or "en")


@dataclass(frozen=True)
class Page:
    """What ``read_page`` reads from an HTML page."""

    text: str
    """trafilatura's main text, its blocks in page order."""
    title: str | None
    published: date | None
    """The page's own date (its markup, see ``PAGE_DATE_SEARCH``), else its dateline's."""
    url: str | None
    """The URL the page names for itself (canonical link, ``og:url``)."""
    outlet: str | None
    """The site's name."""
    language: str | None
    """The primary subtag of ``<html lang>``."""


def read_page(data: bytes, source: str) -> Page:
    """An HTML page's main text and metadata (the encoding is the page's declared or detected one);
    ``BinaryInput`` for binary data, ``EmptyInput`` when no main text is found."""
    _check_not_binary(data, source)
    page = _extract_page(data)
    text = page.get("text") or ""
    if not text.strip():
        raise EmptyInput(source, "no main text found in the HTML page")
    match = _HTML_LANG.search(data[:SNIFF_BYTES])
    return Page(text=text, title=_plain(page.get("title")),
                published=_iso_date(page.get("date")) or _dateline_day(text), url=page.get("url") or None,
                outlet=_plain(page.get("sitename")), language=match.group(1).decode().lower() if match else None)


PAGE_DATE_SEARCH = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}
"""How a page's own date is looked for: in its markup (meta tags, JSON-LD, ``<time>``, bylines, the
URL), first published rather than last modified. The page's free text is not searched: there a year
alone (a copyright line) or a month would stand for a day. The latest date accepted is fixed, so
that the result never depends on the day the program runs."""


def _extract_page(data: bytes) -> dict[str, Any]:
    """trafilatura's main text (in page order) and metadata of a page; empty when it finds none.

    JavaScript is removed first: dates in code (a banner's expiry, a build time) are not the page's.
    """
    import trafilatura

    tree = trafilatura.load_html(data)
    if tree is None:
        return {}
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            script.text = None  # structured data (JSON-LD) stays: it names the publication date
    doc = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, date_extraction_params=dict(PAGE_DATE_SEARCH)
    )
    if doc is None:
        return {}
    page = dict(doc) if isinstance(doc, dict) else {
        key: getattr(doc, key, None) for key in ("text", "title", "date", "url", "sitename")
    }
    text = page.get("text")
    if isinstance(text, str) and text:
        page["text"] = _in_page_order(text, data)
    return page


_NOT_SHOWN = ("script", "style", "noscript", "template")
"""Elements whose text a reader never sees."""
ORDER_PREFIX_CHARS = 40
"""A block of main text that is not found whole in the page is looked for by this many of its first
characters (spaces ignored): the extractor may have joined or trimmed the end of a block."""


def _in_page_order(text: str, data: bytes) -> str:
    """The lines (blocks) of a page's main text in the order the page shows them.

    The main-text extractor can put a block it recovered late (an intro in its own ``<div>``, apart
    from the body) after blocks that follow it on the page. Each block is found in the text of the
    page's body, spaces ignored: first after the block before it, else anywhere; blocks are then
    sorted by where they were found. A block not found stays after the one before it.
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    import trafilatura
    from lxml import etree

    tree = trafilatura.load_html(data)
    if tree is None:
        return text
    body = tree.find(".//body")
    root = body if body is not None else tree
    etree.strip_elements(root, *_NOT_SHOWN, with_tail=False)
    page = _squeeze("".join(root.itertext()))
    keys: list[int] = []
    last = -1
    for line in lines:
        where = _find_block(page, _squeeze(line), max(last, 0))
        last = where if where >= 0 else last
        keys.append(last)
    order = sorted(range(len(lines)), key=lambda i: keys[i])
    return "\n".join(lines[i] for i in order)


def _find_block(page: str, block: str, after: int) -> int:
    """Where ``block`` (spaces removed) is in ``page``: first from ``after``, else from the start;
    -1 when neither it nor its first ``ORDER_PREFIX_CHARS`` characters are there."""
    if not block:
        return -1
    for needle in (block, block[:ORDER_PREFIX_CHARS]):
        where = page.find(needle, after)
        if where < 0:
            where = page.find(needle)
        if where >= 0:
            return where
    return -1


def _squeeze(text: str) -> str:
    """``text`` without any white space."""
    return re.sub(r"\s+", "", text)


# -- feeds ---------------------------------------------------------------------------------------


def _feed_articles(
    data: bytes, path: Path, source: str, published: date | None
) -> Iterator[Article | InputError]:
    """Every item of an RSS or Atom feed, as an article (item pages are not fetched)."""
    outlet, language, entries = feed_entries(data, source)
    prefix = feed_prefix(outlet)
    for number, entry in enumerate(entries, 1):
        where = f"{source} item {number}"
        try:
            yield _entry_article(entry, prefix, outlet, language, published, where)
        except InputError as err:
            yield err
        except Exception as err:  # the guard of one item
            yield _unexpected(UnreadableInput, where, err)


def feed_entries(data: bytes, source: str, allow_empty: bool = False) -> tuple[str | None, str, list[Any]]:
    """An RSS or Atom feed's title (plain text), language ('en' when it names none) and items
    (feedparser's entries); ``UnreadableInput`` when it is no feed, ``EmptyInput`` when it has no items
    (unless ``allow_empty``)."""
    import feedparser

    # Bytes, never a string: a string could be taken for a URL. feedparser's own HTML sanitising and
    # link resolution are off: both drop a CDATA section that a feed escaped into its text, and
    # ``_strip_html`` removes every tag anyway.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        if parsed.bozo:
            raise UnreadableInput(source, f"not a valid RSS or Atom feed ({parsed.get('bozo_exception')})")
        if not allow_empty:
            raise EmptyInput(source, "the feed has no items")
    return _plain(parsed.feed.get("title")), _language(parsed.feed.get("language")) or "en", list(parsed.entries)


def feed_prefix(outlet: str | None) -> str:
    """The first part of the ids of a feed's items (its title as a slug)."""
    return _slug(outlet or "feed")


def entry_article(
    entry: Any, prefix: str, outlet: str | None, language: str, published: date | None, source: str
) -> Article:
    """One feed item as an article: title and stripped summary or content, its date, its link; its id
    ``<prefix>-<10 hex of the item's id or link>``. ``EmptyInput`` when it carries no text."""
    return _entry_article(entry, prefix, outlet, language, published, source)


def _entry_article(
    entry: Any, prefix: str, outlet: str | None, language: str, published: date | None, source: str
) -> Article:
    """One feed item: title and stripped summary/content, its date, its link."""
    title = _strip_html(entry.get("title") or "")
    body = _strip_html(_entry_body(entry))
    text = f"{title}\n\n{body}" if title and body and not body.startswith(title) else body or title
    _require_text(text, source)
    key = entry.get("id") or entry.get("link") or text
    return Article(
        id=f"{prefix}-{_sha256(key)[:10]}",
        text=text,
        title=_plain(title),
        published=_entry_date(entry) or _dateline_day(text) or published,
        url=entry.get("link") or None,
        outlet=outlet,
        language=language,
    )


def _entry_body(entry: Any) -> str:
    """The fullest text an item carries: its content, else its summary."""
    contents = [c.get("value", "") for c in entry.get("content") or []]
    longest = max(contents, key=len, default="")
    return longest or entry.get("summary") or ""


def _entry_date(entry: Any) -> date | None:
    """The item's own date as written (its local day), else feedparser's UTC reading."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        when = (_rfc822_date(raw) or _iso_date(raw)) if isinstance(raw, str) else None
        if when:
            return when
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        when = safe_date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None
        if when:
            return when
    return None


def _rfc822_date(raw: str) -> date | None:
    try:
        when = parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if plausible(when) else None


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, a line break at each block element."""

    BLOCKS = frozenset(
        {"p", "br", "div", "li", "ul", "ol", "tr", "table", "blockquote", "section", "article"}
        | {f"h{n}" for n in range(1, 7)}
    )
    SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)

    def unknown_decl(self, data: str) -> None:
        """A ``<![CDATA[...]]>`` section in HTML: its content is text (other declarations are dropped)."""
        if data.upper().startswith("CDATA["):
            self.handle_data(data[len("CDATA[") :])


MARKUP_ROUNDS = 3
"""Most times a feed's text is decoded: feeds escape HTML once by the format's rule, and some
escape it a second time ('&amp;lt;p&amp;gt;'); three rounds undo both and one more."""
_MARKUP = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?|!\[CDATA\[[\s\S]*?\]\])>"
    r"|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z]+\d*);"
)
"""An HTML tag, CDATA section or character reference, still there after a round of decoding."""


def _plain(value: Any) -> str | None:
    """A title or outlet as one line of plain text: markup stripped (also when escaped, as
    page metadata often is), control characters as spaces, whitespace collapsed; None when empty."""
    if not isinstance(value, str):
        return None
    for _ in range(2):  # "&lt;b&gt;" is markup once its entities are decoded
        if "<" in value or "&" in value:
            value = _strip_html(value)
    return " ".join(_CONTROLS.sub(" ", value).split()) or None


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, one line per block.

    Text that still holds markup after decoding (HTML escaped twice, an escaped CDATA section) is
    decoded again, up to ``MARKUP_ROUNDS`` times.
    """
    text = _plain_text(fragment)
    for _ in range(MARKUP_ROUNDS - 1):
        if not _MARKUP.search(text):
            break
        text = _plain_text(text)
    return text


def _plain_text(fragment: str) -> str:
    """One round of ``_strip_html``."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


# -- JSON Lines ----------------------------------------------------------------------------------


def _read_jsonl_file(path: Path, source: str, published: date | None) -> Iterator[Article | InputError]:
    """Stream a JSON Lines file of article records."""
    with _open_regular(path, source) as f:
        head = f.read(SNIFF_BYTES)
        _check_not_binary(head, source)
        f.seek(0)
        yield from _jsonl_stream(f, source, _slug(path.stem), published)


def _jsonl_stream(
    f: IO[bytes], source: str, stem: str, published: date | None
) -> Iterator[Article | InputError]:
    """Articles from a binary stream of JSON Lines; a bad line is yielded as 'source:LINE' and skipped."""
    found = False
    warned = False
    for lineno, raw in _lines(f):
        where = f"{source}:{lineno}"
        if raw is None:
            yield _oversized(where)
            continue
        if not raw.strip():
            continue
        found = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            if not warned:
                logger.warning("%s: not valid UTF-8, read as cp1252 (Windows-1252)", printable(where))
                warned = True
            line = raw.decode("cp1252", errors="replace")
        try:
            yield _record_article(line.removeprefix(_BOM) if lineno == 1 else line, where, stem, published)
        except InputError as err:
            yield err
        except Exception as err:  # the guard of one record
            yield _unexpected(MalformedRecord, where, err)
    if not found:
        yield EmptyInput(source, "no records (empty or only whitespace)")


def _lines(f: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a binary stream; ``None`` for a line longer than ``MAX_BYTES`` (skipped)."""
    lineno = 0
    while line := f.readline(MAX_BYTES + 1):
        lineno += 1
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            _skip_line(f)
            yield lineno, None
        else:
            yield lineno, line


def _skip_line(f: IO[bytes]) -> int:
    """Read past the rest of the current line, ``SKIP_CHUNK_BYTES`` at a time; the bytes skipped."""
    skipped = 0
    while (rest := f.readline(SKIP_CHUNK_BYTES)) and not rest.endswith(b"\n"):
        skipped += len(rest)
    return skipped + len(rest)


def _record_article(line: str, where: str, stem: str, published: date | None) -> Article:
    """One JSON Lines article record; only ``text`` is required, unknown keys are ignored."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise MalformedRecord(where, f"not valid JSON: {err.msg} (column {err.colno})") from err
    except RecursionError as err:
        raise MalformedRecord(where, "not an article record: JSON nested too deeply") from err
    if not isinstance(record, dict):
        raise MalformedRecord(where, 'not a JSON object (an article record is {"text": ...})')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedRecord(where, 'no "text": an article record needs a non-empty "text" string')
    text = unicode_text(text, where)
    rid = record.get("id")
    rid = unicode_text(str(rid), where) if rid is not None and rid != "" else None
    url = unicode_text(_optional_str(record.get("url")), where)
    return Article(
        id=rid or _text_id(stem, text),
        text=text,
        title=_plain(unicode_text(_optional_str(record.get("title")), where)),
        published=_record_date(record.get("published"), where) or _dateline_day(text) or published,
        url=url,
        outlet=_plain(unicode_text(_optional_str(record.get("outlet")), where)) or url_host(url),
        language=_language(record.get("language")) or "en",
    )


def url_host(url: str | None) -> str | None:
    """The site of a web address, the outlet of last resort: 'https://www.voanews.com/a/x.html' ->
    'voanews.com'; None for no address or one without a host."""
    if not url:
        return None
    host = urlsplit(url.strip()).hostname
    return host.removeprefix("www.") if host else None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def unicode_text(value: Any, where: str) -> Any:
    """A string with each lone surrogate ("\\ud800" in JSON: half of a UTF-16 pair, no character of
    its own, which no UTF-8 output can hold) replaced by U+FFFD, one character for one, so offsets
    still point where they did; a warning names ``where``. Anything else is given back as it is."""
    if not isinstance(value, str) or not _SURROGATE.search(value):
        return value
    logger.warning("%s: lone surrogate escapes (no Unicode character) replaced with U+FFFD", printable(where))
    return _SURROGATE.sub("\ufffd", value)


def _record_date(value: Any, where: str) -> date | None:
    """A record's ``published``; an unreadable value is logged and ignored."""
    if value is None or value == "":
        return None
    when = (_iso_date(value) or _dateline_day(value)) if isinstance(value, str) else None
    if when is None:
        logger.warning("%s: published %s is not a full date (YYYY-MM-DD, 5 Apr 2015, ...) in %d-%d; ignored",
                       printable(where), printable(repr(value)[:100]), MIN_YEAR, MAX_YEAR)
    return when


def publication_date(value: date | str | None, where: str) -> date | None:
    """A publication date given as a date or a string (read as a record's ``published`` is); None,
    with a warning naming ``where``, when it is not a plausible date."""
    if isinstance(value, date):
        if plausible(value):
            return value
        logger.warning("%s: publication date %s is implausible; ignored", printable(where), value)
        return None
    return _record_date(value, where)


def _optional_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _language(value: Any) -> str | None:
    """The primary subtag of a language tag, lower case ('en-US' -> 'en'); None for anything that is no
    language tag (a primary subtag is 2 to 8 ASCII letters)."""
    if not isinstance(value, str) or not value.strip():
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,8}", primary) else None


# -- standard input ------------------------------------------------------------------------------


def _read_stdin(published: date | None) -> Iterator[Article | InputError]:
    """Standard input: JSON Lines if every non-empty line is an article record, else one text."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield UnreadableInput(STDIN_NAME, "standard input is closed")
        return
    with tempfile.SpooledTemporaryFile(max_size=STDIN_SPOOL_BYTES) as spool:
        try:
            records, size = _spool_stdin(stream, spool)
        except OSError as err:
            yield UnreadableInput(STDIN_NAME, _os_reason(err))
            return
        spool.seek(0)
        if records:
            yield from _jsonl_stream(spool, STDIN_NAME, "stdin", published)
        elif size > MAX_BYTES:
            yield _oversized(STDIN_NAME)
        else:
            try:
                yield _text_article(spool.read(), "stdin", STDIN_NAME, published)
            except InputError as err:
                yield err
            except Exception as err:  # the guard of one document
                yield _unexpected(UnreadableInput, STDIN_NAME, err)


def _spool_stdin(stream: IO[bytes], spool: IO[bytes]) -> tuple[bool, int]:
    """Copy ``stream`` into ``spool``; return (every non-empty line is a record, bytes read).

    Lines are read at most ``MAX_BYTES`` + 1 bytes at a time, so memory stays bounded however long a
    line. A longer line in what is so far JSON Lines, opening like a record, is an oversized record:
    its first ``MAX_BYTES`` + 1 bytes are spooled (``_lines`` then refuses it by its length) and the
    rest is read past. Any other such line makes the input one text over the limit, and copying stops.
    """
    records, seen, size = True, False, 0
    while raw := stream.readline(MAX_BYTES + 1):
        size += len(raw)
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            if not (records and raw.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"{")):
                return False, size
            seen = True
            spool.write(raw)
            size += _skip_line(stream)
            spool.write(b"\n")
            continue
        if records and raw.strip():
            seen = True
            records = _is_record_line(raw)
        if not records and size > MAX_BYTES:
            return False, size
        spool.write(raw)
    return records and seen, size


def _is_record_line(raw: bytes) -> bool:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, nested too deeply
        return False
    return isinstance(value, dict) and isinstance(value.get("text"), str)


# -- ids and dates -------------------------------------------------------------------------------


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text_id(stem: str, text: str) -> str:
    """A stable article id: the file name and a short hash of the content."""
    return f"{stem}-{_sha256(text)[:8]}"


def _slug(name: str) -> str:
    """A file name or title made safe for an id: word characters, dots and dashes."""
    return re.sub(r"[^\w.-]+", "_", name).strip("_.")[:60] or "article"


_ISO_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def _iso_date(value: str | None) -> date | None:
    """The date part of an ISO 8601 string ('2024-11-30T08:00:00Z' -> 2024-11-30), or None when it is
    not a ``plausible`` date."""
    match = _ISO_DATE.match(value or "")
    return safe_date(*map(int, match.groups())) if match else None


def _dateline_day(text: str) -> date | None:
    """The report's date its dateline gives (``extraction.dateline``), or None."""
    return read_dateline(text).day
