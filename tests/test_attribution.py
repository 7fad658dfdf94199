"""Attribution: who said what, on short articles written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import sitrep
from sitrep.extraction.attribution import claim_status, find_quotes, source_kind
from sitrep.models import Quote
from sitrep.nlp import pipeline

ARTICLE = (
    "Aleppo would have fallen into the hands of jihadists, the Syrian Observatory for Human Rights "
    "(OSDH), a well-informed NGO based in the United Kingdom, warned on Saturday November 30. "
    "Russian air strikes on the city killed 28 civilians, according to the OSDH.\n\n"
    "On Friday, the Kremlin also called on the Syrian authorities to “restore order as quickly as "
    "possible” in Aleppo. According to Dareen Khalifa, expert from the International Crisis Group, "
    "this operation had been prepared for months.\n\n"
    "The dazzlingness of the offensive “reminds how weak the regime is”, judges analyst Aaron Stein.\n"
)

SPOKESMAN = (
    "“We will not let the city fall,” the army spokesman said. “Reinforcements are on their way.”\n\n"
    "He added that the road to Hama was still open. The ministry confirmed in a statement that two "
    "soldiers were killed.\n"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return pipeline("en")


@pytest.fixture(scope="module")
def article(nlp: Language) -> Doc:
    return nlp(ARTICLE)


@pytest.fixture(scope="module")
def quotes(article: Doc) -> list[Quote]:
    return find_quotes(article)


def by_cue(quotes: list[Quote], cue: str, source_word: str) -> Quote:
    """The quote with this cue whose source mentions a word."""
    for quote in quotes:
        if quote.cue.text == cue and quote.source is not None and source_word in quote.source.text:
            return quote
    raise AssertionError(f"no quote with cue {cue!r} and source {source_word!r} in {quotes}")


def test_postposed_speaker_with_apposition(quotes: list[Quote]) -> None:
    quote = by_cue(quotes, "warned", "Observatory")
    assert quote.source is not None
    assert "the Syrian Observatory for Human Rights" in quote.source.text
    assert quote.actor == "Syrian Observatory for Human Rights"
    assert quote.content.text == "Aleppo would have fallen into the hands of jihadists"


def test_according_to(quotes: list[Quote]) -> None:
    quote = by_cue(quotes, "according to", "OSDH")
    assert quote.actor == "OSDH"
    assert quote.content.text == "Russian air strikes on the city killed 28 civilians"


def test_call_with_quoted_words(quotes: list[Quote]) -> None:
    quote = by_cue(quotes, "called", "Kremlin")
    assert quote.actor == "Kremlin"
    assert "restore order as quickly as possible" in quote.content.text


def test_according_to_at_sentence_start(quotes: list[Quote]) -> None:
    quote = by_cue(quotes, "According to", "Khalifa")
    assert quote.actor == "Dareen Khalifa"
    assert quote.content.text == "this operation had been prepared for months"


def test_inverted_speaker_after_quote(quotes: list[Quote]) -> None:
    quote = by_cue(quotes, "judges", "Stein")
    assert quote.actor == "Aaron Stein"
    assert "“reminds how weak the regime is”" in quote.content.text


def test_spans_are_offsets_into_the_text(article: Doc, quotes: list[Quote]) -> None:
    assert len(quotes) >= 5
    for quote in quotes:
        for span in (quote.source, quote.cue, quote.content):
            if span is not None:
                assert span.text == article.text[span.start : span.end]


def test_quote_runs_on_and_pronoun_takes_previous_speaker(nlp: Language) -> None:
    quotes = find_quotes(nlp(SPOKESMAN))
    said = by_cue(quotes, "said", "spokesman")
    assert said.content.text.startswith("“We will not let the city fall,”")
    assert said.content.text.endswith("“Reinforcements are on their way.”")
    added = by_cue(quotes, "added", "He")
    assert added.actor == "army spokesman"
    assert added.content.text == "that the road to Hama was still open"
    confirmed = by_cue(quotes, "confirmed", "ministry")
    assert confirmed.content.text == "that two soldiers were killed"


def test_direct_quote_after_colon_and_participle(nlp: Language) -> None:
    text = (
        "The governor told reporters on Monday: “The dam will hold.” She spoke in Mosul, "
        "saying that evacuations would continue."
    )
    quotes = find_quotes(nlp(text))
    told = by_cue(quotes, "told", "governor")
    assert told.content.text == "“The dam will hold.”"
    saying = by_cue(quotes, "saying", "She")
    assert saying.content.text == "that evacuations would continue"
    assert saying.actor == "governor"


def test_words_inside_a_quotation_are_not_separate_statements(nlp: Language) -> None:
    text = "“I think the ceasefire will hold,” the envoy said."
    quotes = find_quotes(nlp(text))
    assert [q.cue.text for q in quotes] == ["said"]
    assert quotes[0].content.text == "“I think the ceasefire will hold,”"


def test_guillemets_and_resolver(nlp: Language) -> None:
    text = "«The town is surrounded», said Colonel Hassan Ali."
    quotes = find_quotes(nlp(text), resolve=lambda name: "Hassan Ali" if "Hassan" in name else None)
    assert len(quotes) == 1
    assert quotes[0].content.text == "«The town is surrounded»"
    assert quotes[0].actor == "Hassan Ali"


def test_speaker_never_takes_the_end_of_the_quotation(nlp: Language) -> None:
    # a possessive speaker after a closing quote: the parse can hang the quote's last words on the speaker
    text = "“These raids are simply unacceptable,” Moses’ spokeswoman, Ada Eze, told journalists in Lagos."
    (quote,) = find_quotes(nlp(text))
    assert quote.source is not None
    assert quote.source.text == "Moses’ spokeswoman"
    assert quote.content.text == "“These raids are simply unacceptable,”"


def test_no_attribution_in_plain_narration(nlp: Language) -> None:
    assert find_quotes(nlp("Rebels entered the city on Friday. The army withdrew to the south.")) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("the Syrian Observatory for Human Rights", "monitor"),
        ("OSDH", "monitor"),
        ("the Russian defence ministry", "government"),
        ("the Kremlin", "government"),
        ("Hayat Tahrir al-Sham", "armed group"),
        ("the UN", "international organisation"),
        ("the ICRC", "international organisation"),
        ("Dareen Khalifa, expert from the International Crisis Group", "expert"),
        ("analyst Aaron Stein", "expert"),
        ("Reuters", "media"),
        ("a witness", "witness"),
        ("Sarah", "other"),
    ],
)
def test_source_kind(name: str, kind: str) -> None:
    assert source_kind(name) == kind


@pytest.mark.parametrize(
    ("cue", "kind", "status"),
    [
        ("said", "monitor", "reported"),
        ("confirmed", "government", "confirmed"),
        ("denied", "government", "denied"),
        ("claimed", "media", "claimed"),
        ("said", "armed group", "claimed"),
        ("according to", "monitor", "reported"),
    ],
)
def test_claim_status(cue: str, kind: str, status: str) -> None:
    assert claim_status(cue, kind) == status


def test_one_source_however_the_article_capitalises_it() -> None:
    text = ("Gunmen killed six villagers in Dankoli in Zamfara state on Tuesday, security sources said.\n"
            "Security sources said the gunmen also wounded four women in Dankoli.\n")
    (event,) = sitrep.extract(text, published="2024-03-07")
    assert [s.name for s in event.sources] == ["security sources"]


def test_the_monitor_is_the_monitor_named_before() -> None:
    text = ("Air strikes killed nine civilians in Saraqib on Monday, the Idlib Health Directorate said. "
            "At least 12 fighters died in clashes near Maarat al-Numan on the same day, the Syrian Network "
            "for Human Rights said.\nArtillery also hit Ariha, wounding four people, the monitor added.\n")
    events = sitrep.extract(text, published="2024-05-14")
    ariha = [e for e in events if any("Ariha" in s.text for s in e.evidence)]
    assert ariha and all("Syrian Network for Human Rights" in [s.name for s in e.sources] for e in ariha)
    assert all(s.name != "monitor" for e in events for s in e.sources)


@pytest.mark.parametrize(("name", "bare"), [
    ("the Observatory", "Observatory"),
    ("An  envoy", "envoy"),
    ("Theatre workers", "Theatre workers"),  # "the" only as a whole word
    ("the", "the"),  # the article alone stays
    ("A1 brigade", "A1 brigade"),
])
def test_a_name_is_looked_up_without_its_article(name: str, bare: str) -> None:
    from sitrep.extraction.attribution import without_article

    assert without_article(name) == bare


@pytest.mark.parametrize(("words", "expected"), [
    ("the Observatory (OSDH)", "Observatory"),
    ("No one", None),  # nobody spoke
    ("none of the residents", None),
    ("Nora Ahmed", "Nora Ahmed"),
    ("they", None),  # a pronoun with no speaker before it
])
def test_the_words_a_speaker_is_looked_up_by(words: str, expected: str | None) -> None:
    from sitrep.extraction.sources import speaker_words
    from sitrep.models import Span

    quote = Quote(Span(0, len(words), words), None, Span(0, 4, "said"), Span(0, 1, "x"))
    assert speaker_words(quote) == expected


def test_a_definite_noun_refers_back_to_the_one_source_of_its_kind() -> None:
    from sitrep.extraction.sources import Sources
    from sitrep.models import Span

    named = Quote(Span(0, 42, "the Syrian Observatory for Human Rights"), None, Span(43, 47, "said"),
                  Span(48, 60, "x"))
    again = Quote(Span(70, 81, "the monitor"), None, Span(82, 87, "added"), Span(88, 99, "x"))
    sources = Sources("", [named, again], [None, None])
    assert sources.name(again, None, None) == "Syrian Observatory for Human Rights"
    plural = Quote(Span(70, 82, "the monitors"), None, Span(83, 88, "added"), Span(89, 99, "x"))
    assert sources.name(plural, None, None) == "monitors"
