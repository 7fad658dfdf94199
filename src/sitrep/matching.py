"""Lexicon entries matched once per parsed document, kept as token spans that later stages read.

A lexicon entry is written in the notation of ``sitrep.lexicon``: a Python regular expression matched
case-insensitively from a word start, where a space separates two words. ``token_patterns`` turns an
entry into spaCy ``Matcher`` token patterns, one regular expression per token ("protest" matches a
token that starts with it, "protesters"; a word before a space must be the whole token), so that the
entry is matched over spaCy's tokens; an entry that reads what tokens cannot show (a comma inside
a word, a look at the words around: ``(?<!rocket-propelled )``) is matched over the sentence's text
and its matches aligned to tokens (``Doc.char_span``).

``CueMatcher`` matches a set of labelled entries over a document: each token's text is tested once
per process against the regular expressions that can start an entry (``_WordClasses``); an entry of
one token is then matched, and an entry of several tokens is handed to a spaCy ``Matcher`` holding
the patterns that start with that token's expression, run over the few tokens the pattern can reach.
One ``Matcher`` over every pattern would test each pattern's first token at every token of the
document: 0.8 times the parse's own time for this lexicon. The matches are stored in
``doc.spans[key]``: one span per match, labelled with its entry's label, its ``id_`` the entry's
position in that label's list (what a regular expression's alternation would try first).

``found`` reads them back, per character range (a sentence, a phrase), and ``leftmost`` picks among
them as ``re.finditer`` over the range's text would: the leftmost match, of the earliest entry, the
longest; then the next one after it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from sitrep.lexicon import REFERENCE, expand

__all__ = ["CueMatcher", "Found", "TokenPattern", "found", "leftmost", "token_patterns"]

TokenPattern = list[dict[str, Any]]
"""One pattern of spaCy's ``Matcher``: a dict per token."""

MAX_VARIANTS = 256
"""Most token patterns one entry may stand for (its alternatives multiplied out); beyond, the text."""

SPLIT_MARKS = (",", "'", "’", ".", "/", " ", "\\s", "\\W")
"""What a pattern may not read inside a word: characters spaCy may cut a word at or keep in one, spaces."""

WORDS_CACHED = 200_000
"""Most token texts whose word classes are kept (``_WordClasses``) before the cache starts afresh."""


class Found(NamedTuple):
    """One match of a lexicon entry: document character offsets of its tokens."""

    start: int
    end: int
    label: str
    order: int
    """The entry's position in its label's list: an earlier entry is tried first."""


# --- the notation as token patterns --------------------------------------------------------------


class _Item(NamedTuple):
    """One element of a parsed entry: ``kind`` is "chars" (regex text within one word), "space" (one
    space, ``low`` 0 when optional), "hyphen" (a hyphen between two words, which spaCy's tokenizer
    makes a token of its own), "group" (alternatives that span words, repeated ``low`` to ``high``
    times; once expanded, the regex of one word and its space) or "ref" (the lexicon named ``{text}``)."""

    kind: str
    text: str = ""
    alternatives: tuple[tuple[_Item, ...], ...] = ()
    low: int = 1
    high: int = 1


class _NeedsText(Exception):
    """The entry cannot be matched token by token."""


def token_patterns(entry: str, lexicons: dict[str, tuple[list[str], bool]],
                   word_end: bool = False) -> list[TokenPattern] | None:
    """The spaCy ``Matcher`` patterns that match what ``entry`` matches from a word start, in the order
    the regular expression tries them; None when the entry must be matched over the text.

    A space separates two tokens; a group of words (``(?:the )?``, ``(?:\\w+ ){0,3}``, ``(?:fight|a
    shot)``) becomes an optional or repeated token, or one pattern per alternative; a hyphen between
    letters is a token of its own, as spaCy's tokenizer makes it (``al[- ]shabaab``: "al-Shabaab",
    "al Shabaab"); ``{name}`` stands for each entry of ``lexicons[name]`` (its entries, and whether
    it ends on a word boundary). ``word_end``: the entry ends on a word boundary. Each token is
    matched by a regular expression over its text, case-insensitively: a whole token before a space
    or a hyphen, a token's start at the end of the entry.
    """
    try:
        parsed = _parse(entry, 0, len(entry))
        if word_end:
            parsed = tuple((*alternative, _Item("chars", r"\b")) for alternative in parsed)
        variants = _variants(parsed, lexicons, 0)
    except _NeedsText:
        return None
    patterns = [_token_specs(v) for v in variants]
    return None if any(p is None for p in patterns) else [p for p in patterns if p is not None]


def _parse(text: str, start: int, end: int) -> tuple[tuple[_Item, ...], ...]:
    """The alternatives (``|``) of ``text[start:end]``, each a sequence of items."""
    alternatives: list[tuple[_Item, ...]] = []
    items: list[_Item] = []
    i = start
    while i < end:
        c = text[i]
        if c == "|":
            alternatives.append(tuple(items))
            items, i = [], i + 1
        elif c in " -":
            optional = i + 1 < end and text[i + 1] == "?"
            items.append(_Item("space" if c == " " else "hyphen", low=0 if optional else 1))
            i += 1 + optional
        elif c == "{" and (reference := REFERENCE.match(text, i)):
            items.append(_Item("ref", reference.group(1)))
            i = reference.end()
        elif c == "(":
            close = _closing(text, i)
            if text.startswith(("(?!", "(?=", "(?<"), i):
                if any(mark in text[i:close] for mark in (" ", "-", "\\s")):
                    raise _NeedsText  # it looks at other words
                items.append(_Item("chars", text[i:close + 1]))
                i = close + 1
                continue
            opener = 3 if text.startswith("(?:", i) else 5 if text.startswith("(?-i:", i) else 1
            quantifier, after = _quantifier(text, close + 1)
            inner = text[i + opener:close]
            if any(mark in inner for mark in " -") or REFERENCE.search(inner):
                if opener == 5:
                    raise _NeedsText  # case-sensitive words
                low, high = _bounds(quantifier)
                items.append(_Item("group", alternatives=_parse(text, i + opener, close), low=low, high=high))
            else:
                items.append(_Item("chars", text[i:after]))
            i = after
        elif c == "[":
            close = text.index("]", i + 2 if text[i + 1] in "]^" else i + 1)
            klass = text[i + 1:close]
            quantifier, after = _quantifier(text, close + 1)
            if klass in ("- ", " -"):  # a hyphen or a space: two words either way
                low, high = _bounds(quantifier)
                items.append(_Item("group", alternatives=((_Item("hyphen"),), (_Item("space"),)), low=low, high=high))
            elif "-" in klass.strip("-") or " " in klass:
                raise _NeedsText  # a range or a space in a class
            else:
                items.append(_Item("chars", text[i:after]))
            i = after
        else:
            quantifier, after = _quantifier(text, i + (2 if c == "\\" else 1))
            items.append(_Item("chars", text[i:after]))
            i = after
    alternatives.append(tuple(items))
    return tuple(alternatives)


def _depths(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Each index of a regex ``text`` from ``start`` outside escapes and character classes, with the
    parenthesis depth after its character."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = text.index("]", i + 2 if text[i + 1] in "]^" else i + 1) + 1
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        yield i, depth
        i += 1


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one at ``start``."""
    for i, depth in _depths(text, start):
        if depth == 0:
            return i
    raise ValueError(f"unbalanced parenthesis in {text!r}")


def _quantifier(text: str, at: int) -> tuple[str, int]:
    """The quantifier at ``at`` ("?", "*", "+", "{m,n}"; "" when none) and the index after it."""
    end = at
    if at < len(text) and text[at] in "?*+":
        end = at + 1
    elif at < len(text) and text[at] == "{" and (close := text.find("}", at)) > 0 and \
            text[at + 1:close].replace(",", "").isdigit():
        end = close + 1
    if end < len(text) and end > at and text[end] in "?+":
        raise _NeedsText  # a lazy or possessive quantifier
    return text[at:end], end


def _bounds(quantifier: str) -> tuple[int, int]:
    """The least and most repetitions a quantifier of words allows; ``_NeedsText`` when unbounded."""
    if quantifier in ("", "?"):
        return (1, 1) if quantifier == "" else (0, 1)
    low, comma, high = quantifier.strip("{}").partition(",")
    if quantifier.startswith("{") and (high or not comma):
        return int(low), int(high or low)
    raise _NeedsText  # "*", "+" or "{m,}" over words


def _variants(alternatives: tuple[tuple[_Item, ...], ...], lexicons: dict[str, tuple[list[str], bool]],
              depth: int) -> list[list[_Item]]:
    """The sequences of "chars", "space", "hyphen" and one-word "group" items that ``alternatives``
    stand for, in the order the regular expression tries them (alternatives left to right, an
    optional part first present, a repeated one first most often)."""
    if depth > 4:
        raise _NeedsText
    out: list[list[_Item]] = []
    for items in alternatives:
        partial: list[list[_Item]] = [[]]
        for item in items:
            partial = [p + v for p in partial for v in _item_variants(item, lexicons, depth, p)]
            if len(partial) > MAX_VARIANTS:
                raise _NeedsText
        out += partial
    if len(out) > MAX_VARIANTS:
        raise _NeedsText
    return out


def _item_variants(item: _Item, lexicons: dict[str, tuple[list[str], bool]], depth: int,
                   before: list[_Item]) -> list[list[_Item]]:
    if item.kind == "chars":
        if _reads_marks(item.text):
            raise _NeedsText
        return [[item]]
    if item.kind in ("space", "hyphen"):
        return [[item], []] if item.low == 0 else [[item]]
    if item.kind == "ref":
        if item.text not in lexicons:
            raise ValueError(f"names no lexicon {item.text!r} defined before it")
        entries, word_end = lexicons[item.text]
        found: list[list[_Item]] = []
        for entry in entries:
            parsed = _parse(entry, 0, len(entry))
            if word_end:
                parsed = tuple((*alternative, _Item("chars", r"\b")) for alternative in parsed)
            found += _variants(parsed, lexicons, depth + 1)
        return found
    alternatives = _merged(item.alternatives)
    words = [_one_word(alternative) for alternative in alternatives]
    if (not before or before[-1].kind in ("space", "group")) and all(w is not None and not _reads_marks(w)
                                                                      for w in words):
        return [[_Item("group", "|".join(w for w in words if w is not None), low=item.low, high=item.high)]]
    inner = _variants(alternatives, lexicons, depth + 1)
    found = []
    for count in range(item.high, item.low - 1, -1):
        sequences: list[list[_Item]] = [[]]
        for _ in range(count):
            sequences = [s + v for s in sequences for v in inner]
            if len(sequences) > MAX_VARIANTS:
                raise _NeedsText
        found += sequences
    return found


def _reads_marks(regex: str) -> bool:
    return any(mark in re.sub(r"\{\d+(?:,\d*)?\}", "", regex) for mark in SPLIT_MARKS)


def _merged(alternatives: tuple[tuple[_Item, ...], ...]) -> tuple[tuple[_Item, ...], ...]:
    """The alternatives with each run of one-word alternatives of the same shape (a word, or a word
    and its space) made one: ``(?:set up|established|built)`` tries "set up", then
    ``(?:established|built)``, as the regular expression does."""
    merged: list[tuple[_Item, ...]] = []
    run: list[str] = []
    spaced_run = False

    def close() -> None:
        if run:
            text = run[0] if len(run) == 1 else "(?:" + "|".join(run) + ")"
            merged.append((_Item("chars", text), *([_Item("space")] if spaced_run else [])))
            run.clear()

    for alternative in alternatives:
        spaced = bool(alternative) and alternative[-1] == _Item("space")
        word = alternative[:-1] if spaced else alternative
        if not word or any(item.kind != "chars" for item in word):
            close()
            merged.append(alternative)
            continue
        if run and spaced != spaced_run:
            close()
        spaced_run = spaced
        run.append("".join(item.text for item in word))
    close()
    return tuple(merged)


def _one_word(items: tuple[_Item, ...]) -> str | None:
    """The regex of an alternative that is one word and the space after it ("the ", "\\w+ "), else None."""
    if len(items) < 2 or items[-1] != _Item("space") or any(i.kind != "chars" for i in items[:-1]):
        return None
    return "".join(i.text for i in items[:-1])


def _token_specs(variant: list[_Item]) -> TokenPattern | None:
    """The Matcher pattern of one sequence of items; None when it cannot match spaCy's tokens."""
    specs: TokenPattern = []
    word = ""
    for item in variant:
        if item.kind == "chars":
            word += item.text
            continue
        if item.kind == "group":  # one word and its space, repeated
            if word:
                return None
            spec: dict[str, Any] = {"TEXT": {"REGEX": f"(?i)^(?:{item.text})\\Z"}, "SPACY": True}
            if (item.low, item.high) != (1, 1):
                spec["OP"] = "?" if (item.low, item.high) == (0, 1) else f"{{{item.low},{item.high}}}"
            specs.append(spec)
            continue
        if not word:
            return None  # a space or a hyphen with no word before it
        specs.append({"TEXT": {"REGEX": f"(?i)^(?:{word})\\Z"}, "SPACY": item.kind == "space"})
        if item.kind == "hyphen":
            specs.append({"ORTH": "-", "SPACY": False})
        word = ""
    if word:
        specs.append({"TEXT": {"REGEX": f"(?i)^(?:{word})"}})
    elif specs and "ORTH" in specs[-1]:
        return None  # a hyphen last
    return specs or None


# --- matching ----------------------------------------------------------------------------------


class _WordClasses:
    """Which of a set of token regular expressions each token text matches, tested once per text
    and, for a new text, only against the expressions that can start with its first character."""

    def __init__(self, regexes: Sequence[str]) -> None:
        self.compiled = [re.compile(r) for r in regexes]
        self.by_initial: dict[str, list[int]] = {}
        self.anywhere: list[int] = []
        for i, regex in enumerate(regexes):
            initials = _initials(regex.removeprefix("(?i)^(?:"))
            for initial in initials or ():
                self.by_initial.setdefault(initial, []).append(i)
            if initials is None:
                self.anywhere.append(i)
        self.cache: dict[str, tuple[int, ...]] = {}

    def __call__(self, text: str) -> tuple[int, ...]:
        classes = self.cache.get(text)
        if classes is None:
            if len(self.cache) >= WORDS_CACHED:
                self.cache.clear()
            tried = sorted(self.by_initial.get(text[:1].lower(), []) + self.anywhere)
            classes = self.cache[text] = tuple(i for i in tried if self.compiled[i].search(text))
        return classes


def _initials(regex: str) -> frozenset[str] | None:
    """The lower-case characters a regular expression's match can start with; None when any may."""
    regex = regex.removeprefix(r"\b")
    if not regex:
        return None
    if regex.startswith(("(?:", "(?-i:")):
        close = _closing(regex, 0)
        quantifier, _ = _quantifier(regex, close + 1)
        if quantifier[:1] in ("?", "*") or quantifier.startswith("{0"):
            return None
        opener = 3 if regex.startswith("(?:") else 5
        found: set[str] = set()
        for alternative in _top_level(regex[opener:close]):
            initials = _initials(alternative)
            if initials is None:
                return None
            found |= initials
        return frozenset(found)
    first = regex[0]
    if not (first.isalpha() or first.isdigit()) or regex[1:2] in ("?", "*") or regex[1:3] == "{0":
        return None
    return frozenset({first.lower()})


def _top_level(text: str) -> list[str]:
    """The alternatives of ``text`` split at its top-level ``|``."""
    cuts = [i for i, depth in _depths(text) if depth == 0 and text[i] == "|"]
    return [text[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(text)], strict=True)]


class CueMatcher:
    """Labelled lexicon entries matched over a document, into ``doc.spans[key]`` (module docstring).

    ``entries``: per label, its entries in order (the notation of ``sitrep.lexicon``), each with
    whether it ends on a word boundary; ``lexicons``: what ``{name}`` references stand for.
    """

    def __init__(self, vocab: Vocab, key: str, entries: dict[str, list[tuple[str, bool]]],
                 lexicons: dict[str, tuple[list[str], bool]], groups: dict[str, str]) -> None:
        self.key = key
        self.texts: list[tuple[str, int, re.Pattern[str]]] = []
        """Entries matched over the text: label, order, compiled expression."""
        starts: dict[str, list[tuple[str, int, TokenPattern, int]]] = {}
        for label, listed in entries.items():
            for order, (entry, word_end) in enumerate(listed):
                patterns = token_patterns(entry, lexicons, word_end)
                if patterns is None:
                    self.texts.append((label, order, re.compile(
                        r"\b(?:" + expand(entry, groups, label) + ")" + (r"\b" if word_end else ""), re.IGNORECASE)))
                    continue
                for pattern in patterns:
                    gate = _gate(pattern)
                    for index in _starts(pattern, gate):
                        shift = gate if index == gate else 0  # tokens between the match's start and its gate
                        starts.setdefault(pattern[index]["TEXT"]["REGEX"], []).append((label, order, pattern, shift))
        regexes = sorted(starts)
        self.classes = _WordClasses(regexes)
        self.single: dict[int, list[tuple[str, int, bool]]] = {}
        """Per class, the one-token entries it matches: label, order, whether a space must follow."""
        self.matchers: dict[int, tuple[Matcher, int, int, dict[int, tuple[str, int, int]]]] = {}
        """Per class, a Matcher of the patterns it starts or gates, the most tokens a match starts
        before its gate, the most tokens its patterns reach, and per key the label, order and shift."""
        for i, regex in enumerate(regexes):
            matcher = Matcher(vocab)
            keys: dict[int, tuple[str, int, int]] = {}
            for label, order, pattern, shift in starts[regex]:
                if len(pattern) == 1 and "OP" not in pattern[0]:
                    self.single.setdefault(i, []).append((label, order, bool(pattern[0].get("SPACY"))))
                    continue
                name = f"{label}\t{order}\t{shift}"
                matcher.add(name, [pattern])
                keys[vocab.strings[name]] = (label, order, shift)
            if keys:
                reach = max(_reach(p) for _, _, p, _ in starts[regex])
                self.matchers[i] = (matcher, max(shift for _, _, shift in keys.values()), reach, keys)

    def __call__(self, doc: Doc) -> Doc:
        seen: set[tuple[int, int, str, int]] = set()
        for token in doc:
            for i in self.classes(token.text):
                for label, order, spaced in self.single.get(i, ()):
                    if not spaced or token.whitespace_:
                        seen.add((token.i, token.i + 1, label, order))
                if i in self.matchers:
                    matcher, most, reach, keys = self.matchers[i]
                    first = max(0, token.i - most)
                    for key, start, end in matcher(doc[first:min(len(doc), token.i + reach)]):
                        label, order, shift = keys[key]
                        if first + start == token.i - shift:  # the match this token starts or gates
                            seen.add((first + start, first + end, label, order))
        if self.texts:
            sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
            for sentence in sentences:
                text, at = sentence.text, sentence.start_char
                for label, order, expression in self.texts:
                    for start, end in _overlapping(expression, text):
                        span = doc.char_span(at + start, at + end, alignment_mode="expand")
                        if span is not None:
                            seen.add((span.start, span.end, label, order))
        doc.spans[self.key] = [Span(doc, start, end, label=label, span_id=str(order))
                               for start, end, label, order in sorted(seen)]
        return doc


def _gate(pattern: TokenPattern) -> int:
    """The token of a pattern whose class decides whether to try it: its first, unless the first
    reads any word (``\\w+``) and a fixed one follows."""
    first = pattern[0]
    if len(pattern) > 1 and "OP" not in first and first["TEXT"]["REGEX"].startswith(r"(?i)^(?:\w+)") \
            and "OP" not in pattern[1] and "TEXT" in pattern[1]:
        return 1
    return 0


def _starts(pattern: TokenPattern, gate: int) -> list[int]:
    """The gate of a pattern and, while it is optional, the tokens after it: the tokens whose class
    says the pattern may match there."""
    found = []
    for index in range(gate, len(pattern)):
        if "TEXT" not in pattern[index]:
            break
        found.append(index)
        if pattern[index].get("OP") not in ("?", "*") and not str(pattern[index].get("OP", "")).startswith("{0"):
            break
    return found


def _reach(pattern: TokenPattern) -> int:
    """The most tokens a pattern can match."""
    total = 0
    for spec in pattern:
        op = str(spec.get("OP", ""))
        total += int(op.strip("{}").rpartition(",")[2]) if op.startswith("{") else 1
    return total


def _overlapping(expression: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    """Every start at which ``expression`` matches in ``text``, with the end it matches to."""
    at = 0
    while (match := expression.search(text, at)) is not None:
        yield match.start(), match.end()
        at = match.start() + 1


# --- reading ------------------------------------------------------------------------------------


class _Index(NamedTuple):
    starts: list[int]
    matches: list[Found]


def found(doc: Doc, key: str, start: int, end: int) -> dict[str, list[Found]]:
    """The matches stored in ``doc.spans[key]`` that lie within document characters ``[start, end)``,
    by label, in reading order. The spans are read once per document (kept in ``doc.user_data``)."""
    index = doc.user_data.get(f"sitrep.matches.{key}")
    if not isinstance(index, _Index):
        matches = sorted(Found(s.start_char, s.end_char, s.label_, int(s.id_)) for s in doc.spans.get(key, ()))
        index = doc.user_data[f"sitrep.matches.{key}"] = _Index([m.start for m in matches], matches)
    by_label: dict[str, list[Found]] = {}
    for match in index.matches[bisect_left(index.starts, start):bisect_left(index.starts, end)]:
        if match.end <= end:
            by_label.setdefault(match.label, []).append(match)
    return by_label


def leftmost(matches: Iterable[Found]) -> list[Found]:
    """The matches ``re.finditer`` would give over the text: from the left, at each start the earliest
    entry's (the longest of it), each match after the end of the one before."""
    picked: list[Found] = []
    for match in sorted(matches, key=lambda m: (m.start, m.order, -m.end)):
        if not picked or match.start >= picked[-1].end:
            picked.append(match)
    return picked
