"""Lexicon entries as spaCy token patterns, matched once per document into spans (``sitrep.matching``)."""

from __future__ import annotations

import spacy

from sitrep import matching
from sitrep.matching import CueMatcher, Found, found, leftmost, token_patterns

LEXICONS = {"place": (["town", "city"], False), "group": (["al[- ]shabaab", "rebels?"], True)}
GROUPS = {"place": "(?:town|city)", "group": r"(?:al[- ]shabaab|rebels?)\b"}


def _regexes(entry: str, word_end: bool = False) -> list[list[str]] | None:
    patterns = token_patterns(entry, LEXICONS, word_end)
    return None if patterns is None else [
        [spec["TEXT"]["REGEX"] + ("+space" if spec.get("SPACY") else "") + (spec.get("OP", ""))
         if "TEXT" in spec else spec["ORTH"] for spec in pattern] for pattern in patterns]


def test_a_word_is_a_token_start_and_a_word_before_a_space_a_whole_token() -> None:
    assert _regexes("protest") == [["(?i)^(?:protest)"]]
    assert _regexes("shot dead") == [[r"(?i)^(?:shot)\Z+space", "(?i)^(?:dead)"]]
    assert _regexes(r"kill(?:ed|ing|s)?\b") == [[r"(?i)^(?:kill(?:ed|ing|s)?\b)"]]


def test_groups_of_words_are_optional_repeated_or_alternative_tokens() -> None:
    assert _regexes(r"captured (?:the )?(?:\w+ ){0,3}base") == [
        [r"(?i)^(?:captured)\Z+space", r"(?i)^(?:the)\Z+space?", r"(?i)^(?:\w+)\Z+space{0,3}", "(?i)^(?:base)"]]
    assert _regexes("without (?:fighting|a shot)") == [
        [r"(?i)^(?:without)\Z+space", "(?i)^(?:fighting)"],
        [r"(?i)^(?:without)\Z+space", r"(?i)^(?:a)\Z+space", "(?i)^(?:shot)"]]
    assert _regexes("air ?strikes?") == [[r"(?i)^(?:air)\Z+space", "(?i)^(?:strikes?)"], ["(?i)^(?:airstrikes?)"]]


def test_a_hyphen_is_a_token_and_a_reference_each_entry_of_its_lexicon() -> None:
    assert _regexes("sit-in") == [[r"(?i)^(?:sit)\Z", "-", "(?i)^(?:in)"]]
    assert _regexes("seized (?:the )?{place}") == [
        [r"(?i)^(?:seized)\Z+space", r"(?i)^(?:the)\Z+space?", "(?i)^(?:town)"],
        [r"(?i)^(?:seized)\Z+space", r"(?i)^(?:the)\Z+space?", "(?i)^(?:city)"]]
    assert _regexes("{group}") == [
        [r"(?i)^(?:al)\Z", "-", r"(?i)^(?:shabaab\b)"], [r"(?i)^(?:al)\Z+space", r"(?i)^(?:shabaab\b)"],
        [r"(?i)^(?:rebels?\b)"]]


def test_what_reads_inside_or_around_words_is_matched_over_the_text() -> None:
    assert _regexes(r"riot(?!\s+police)") is None
    assert _regexes("(?<!rocket-propelled )grenades?") is None
    assert _regexes(r"(?:took|held) (?:[\w,]+ ){0,5}hostages?") is None
    assert _regexes("kidnap(?!per)") == [["(?i)^(?:kidnap(?!per))"]]


def _matched(text: str) -> list[tuple[str, str, int]]:
    nlp = spacy.blank("en")
    cues = [("shot dead", False), ("shot", False), (r"riot(?!\s+police)", False), ("seized (?:the )?{place}", False)]
    entries = {"cue": cues, "group": [(p, True) for p in LEXICONS["group"][0]]}
    matcher = CueMatcher(nlp.vocab, "test", entries, LEXICONS, GROUPS)
    doc = matcher(nlp(text))
    return [(span.text, span.label_, int(span.id_)) for span in doc.spans["test"]]


def test_the_matcher_stores_every_match_as_a_span_labelled_with_its_entry() -> None:
    assert _matched("Al-Shabaab rebels shot dead two men and seized the town; a riot followed, riot police came.") == [
        ("Al-Shabaab", "group", 0), ("rebels", "group", 1), ("shot", "cue", 1), ("shot dead", "cue", 0),
        ("seized the town", "cue", 3), ("riot", "cue", 2)]


def test_leftmost_picks_what_a_regular_expression_would() -> None:
    a, b, c = Found(0, 9, "x", 1), Found(0, 4, "x", 0), Found(5, 12, "x", 0)
    assert leftmost([a, b, c]) == [b, c]  # at one start the earlier entry; then after its end
    assert leftmost([a, c]) == [a]


def test_found_reads_the_spans_of_a_range_once_per_document() -> None:
    nlp = spacy.blank("en")
    matcher = CueMatcher(nlp.vocab, "test", {"cue": [("shot", False)]}, {}, {})
    doc = matcher(nlp("He was shot. She was shot too."))
    assert [m.start for m in found(doc, "test", 0, 12)["cue"]] == [7]
    assert [m.start for m in found(doc, "test", 13, len(doc.text))["cue"]] == [21]
    assert found(doc, "test", 0, 9) == {}
    assert isinstance(matching.MAX_VARIANTS, int)
