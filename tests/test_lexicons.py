"""The lexicons are data: every file under ``sitrep/data/<language>/`` loads, and every entry names its source."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from sitrep import lexicon, matching, nlp
from sitrep.extraction import attribution, dates, taxonomy, words

LANGUAGES = ("en",)


def _data(language: str, name: str) -> object:
    return yaml.safe_load((resources.files("sitrep") / "data" / language / name).read_text(encoding="utf-8"))


def test_every_shared_data_file_parses() -> None:
    folder = resources.files("sitrep") / "data"
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))
    assert {"actors.yaml", "countries.yaml"} <= set(names)
    for name in names:
        assert isinstance(yaml.safe_load((folder / name).read_text(encoding="utf-8")), dict), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_data_file_of_a_language_parses(language: str) -> None:
    folder = resources.files("sitrep") / "data" / language
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))
    assert "taxonomy.yaml" in names
    for name in names:
        assert _data(language, name), name


def _commented(text: str, key: str) -> bool:
    """Whether a comment line stands between the top-level ``key:`` and the entry before it."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    for line in reversed(lines[:at]):
        if line.startswith("#"):
            return True
        if line.strip() and not line.startswith(" "):
            return False
    return False


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_every_data_file_names_its_source(language: str) -> None:
    """Each top-level entry carries a ``source`` field, or a comment above it saying where it comes from."""
    folder = resources.files("sitrep") / "data" / language
    for file in folder.iterdir():
        if not file.name.endswith(".yaml"):
            continue
        text = file.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert isinstance(data, dict), file.name
        for key, entry in data.items():
            sourced = isinstance(entry, dict) and str(entry.get("source", "")).strip()
            assert sourced or _commented(text, str(key)), f"{file.name}: {key} names no source"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_taxonomy_entry_names_its_source(language: str) -> None:
    data = _data(language, "taxonomy.yaml")
    assert isinstance(data, dict)
    for name, entry in data["lexicons"].items():
        assert str(entry.get("source", "")).strip(), f"lexicon {name} has no source"
        assert entry["patterns"], name
    for i, rule in enumerate(data["rules"]):
        assert str(rule.get("source", "")).strip(), f"rule {i + 1} ({rule['sub_event_type']}) has no source"
        assert "ACLED" in rule["source"], rule["source"]


def test_the_attribution_words_load_once_by_language() -> None:
    words = attribution.words("en")
    assert words is attribution.words("en")
    assert {"say", "tell", "deny"} <= words.speech_lemmas
    assert [kind for kind, _ in words.kind_rules][:2] == ["monitor", "expert"]
    assert attribution.source_kind("the interior ministry") == "government"
    assert attribution.claim_status("denied", "government") == "denied"


def test_the_taxonomy_loads_once_and_labels_what_every_rule_reads() -> None:
    lexicon = taxonomy.taxonomy("en")
    assert lexicon is taxonomy.taxonomy("en")
    assert {rule.sub_event_type for rule in lexicon.rules} <= set(taxonomy.TYPE_OF)
    for rule in lexicon.rules:
        reads = {*rule.needs, *([rule.unless] if rule.unless else [])}
        if rule.frame is None:
            reads.add(rule.cues)
        else:  # a frame reads its arguments' word classes, or named entities ("@place")
            reads |= {c for c in (*rule.frame.patient, *rule.frame.agent, *rule.frame.not_agent)
                      if c not in taxonomy.ENTITY_CLASSES}
        assert reads <= set(lexicon.entries)
    assert lexicon.rules[0].cues == "rule 1" and lexicon.rules[0].unless == "rule 1 unless"
    assert {"sports", "attribution", "state_agent"} <= set(lexicon.entries)


def test_every_taxonomy_entry_compiles_to_token_patterns_or_a_regex() -> None:
    """Entries are words for spaCy's Matcher; only those that read inside or around words are regexes."""
    data = taxonomy.taxonomy("en")
    as_text = []
    for label, entries in data.entries.items():
        for entry, word_end in entries:
            if matching.token_patterns(entry, data.lexicons, word_end) is None:
                as_text.append(entry)
                re.compile(r"\b(?:" + lexicon.expand(entry, data.groups, label) + ")")
    assert 0 < len(as_text) < 20, as_text


def test_a_pattern_may_name_a_lexicon_defined_before_it() -> None:
    groups = {"place": "(?:town|city)"}
    assert lexicon.alternation(["took the {place}"], groups, "test") == "(?:took the (?:town|city))"
    assert lexicon.alternation(["(?:\\w+ ){0,3}x"], groups, "test") == "(?:(?:\\w+ ){0,3}x)"
    with pytest.raises(ValueError, match="no lexicon 'village'"):
        lexicon.alternation(["took the {village}"], groups, "test")


def _words(text: str, label: str) -> list[str]:
    doc = next(nlp.parse("en", [text]))
    return [text[m.start:m.end] for m in words.within(doc, label, 0, len(text))]


def test_the_background_patterns_read_the_month_table() -> None:
    assert words.lexicons("en") is words.lexicons("en")
    assert _words("the toll since March has doubled", "running_total") == ["since March"]
    for text in ("since March 3 the road is closed", "since Mar. 3 the road is closed",
                 "since Junta leaders met", "since Mayors of the region met"):
        assert not _words(text, "running_total"), text  # a month is a whole word; a day makes it one date
    assert _words("the town is shelled almost daily", "habitual") == ["almost daily", "daily"]


def test_the_date_words_come_from_the_data_of_each_section() -> None:
    assert dates.WEEKDAYS["wednesday"] == dates.WEEKDAYS["mercredi"] == 2
    assert dates.NUMBER_WORDS["several"] == 3 and "several" in dates.VAGUE_AMOUNTS
    assert dates.ANAPHORIC_SHIFTS["the day before"] == -1


def test_every_relative_expression_of_the_table_names_a_known_period() -> None:
    table = lexicon.read("en", "dates.yaml")["relative"]["expressions"]
    assert {entry["period"] for entry in table} <= set(dates._PERIODS)
    for entry in table:  # each phrase is found when one of its needed words is present
        assert entry["needs"] and entry["phrases"], entry["period"]


def test_one_country_table_names_every_country_alike_for_places_and_actors() -> None:
    """The gazetteer and the actor base read ACLED's country names from the one table (data/countries.yaml)."""
    from sitrep.resolve import actors, gazetteer

    base = actors.actor_base()
    countries = gazetteer.load().countries
    known = {iso2: base.country(iso2) for iso2 in countries if base.country(iso2) != iso2}  # not former codes
    assert len(known) > 200
    assert {iso2: (countries[iso2].name, name) for iso2, name in known.items() if name != countries[iso2].name} == {}
    assert countries["NL"].name == "Netherlands"  # ACLED's name, not GeoNames' "The Netherlands"
    assert gazetteer.COUNTRY_ALIASES["SY"] == ("Syrie",)
    gaz = gazetteer.load()
    assert countries["PS"].row in gaz.lookup("West Bank")  # a place name of the table
    assert countries["CF"].row not in gaz.lookup("Car")  # "CAR" names the country in capitals only


def test_one_tokenizer_gives_words_figures_elisions_possessives_and_marks() -> None:
    text = "L'armée said al-Shabaab's 1,200 fighters don't rest."
    assert [t.text for t in lexicon.tokenize(text)] == [
        "L'", "armée", "said", "al", "-", "Shabaab", "'s", "1,200", "fighters", "don't", "rest", "."]
    first = lexicon.tokenize(text)[1]
    assert (first.start, first.end, first.word) == (2, 7, "armée")
    assert [t.text for t in lexicon.tokenize("M23 rebels, 3.5 km")] == ["M", "23", "rebels", ",", "3.5", "km"]
    assert [t.text for t in lexicon.tokenize("risen to 19, up from 12,500")] == [
        "risen", "to", "19", ",", "up", "from", "12,500"]  # a comma groups thousands or stands alone
