"""Evaluation against an ACLED-format export: reading, matching, scores and the command.

``tests/data/acled_sample.csv`` holds six gold events we wrote; ``evaluate_predictions.jsonl`` seven
predictions written so that each exercises one rule (see the comments in ``EXPECTED``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.errors import MalformedRecord, UnreadableInput
from sitrep.evaluate import (
    evaluate,
    gold_articles,
    in_period,
    match_events,
    normalise_actor,
    predict,
    read_gold,
    read_predictions,
)
from sitrep.models import Article
from sitrep.store import Store
from tests.conftest import DATA

GOLD = DATA / "acled_sample.csv"
PRED = DATA / "evaluate_predictions.jsonl"

EXPECTED = {
    "SYR1001": "p1",  # same day and place, every field right
    "SYR1002": "p2",  # one day late, 5 km away: still a match
    "NIG4001": "p5",  # 24 km away: inside the 25 km limit
}
# p3: two days late; p4: other event type; p6: 26 km away; p7: not in the gold file.


def event(event_id: str, day: str = "2024-12-01", lat: float = 10.0, lon: float = 20.0,
          event_type: str = "Battles", **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "event_date": day, "event_type": event_type, "latitude": lat,
            "longitude": lon, **fields}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- reading ---------------------------------------------------------------------------------------


def test_read_gold_gives_event_records() -> None:
    gold = read_gold(GOLD)
    assert [g["event_id"] for g in gold] == ["SYR1001", "SYR1002", "SOM2001", "SDN3001", "NIG4001", "SOM2002"]
    first = gold[0]
    assert first["event_date"] == "2024-11-30"  # from "30 November 2024"
    assert gold[1]["event_date"] == "2024-12-01"  # already ISO
    assert first["latitude"] == pytest.approx(36.2021) and first["fatalities"] == 20
    assert first["actor2"] == "Military Forces of Syria (2000-2024)" and first["inter1"] == "Rebel group"
    assert gold[4]["actor2"] is None and gold[4]["inter2"] is None
    assert first["notes"].startswith("On 30 November 2024, Hayat Tahrir al-Sham")


def test_read_gold_accepts_numeric_inter_codes_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("event_id_cnty;event_date;event_type;inter1;inter2;latitude;longitude;fatalities\n"
                    "X1;05-March-2019;Battles;1;2;1.5;2.5;\n", encoding="utf-8")
    (record,) = read_gold(path)
    assert record["event_date"] == "2019-03-05"
    assert (record["inter1"], record["inter2"]) == ("State forces", "Rebel group")
    assert record["fatalities"] is None


def test_read_gold_names_the_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,date,type\n1,2024-01-01,Battles\n", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="no column event_id_cnty, event_date, event_type"):
        read_gold(path)


def test_read_gold_names_the_row_with_a_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("event_id_cnty,event_date,event_type,latitude,longitude\n"
                    "A,2024-01-01,Battles,1,2\nB,yesterday,Battles,1,2\n", encoding="utf-8")
    with pytest.raises(MalformedRecord, match=r"bad.csv:3: event_date 'yesterday'"):
        read_gold(path)


def test_read_predictions_names_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(event("e1")) + "\n\n{oops\n", encoding="utf-8")
    with pytest.raises(MalformedRecord, match=r"events.jsonl:3"):
        read_predictions(path)


def test_gold_articles_carry_no_publication_date() -> None:
    articles = gold_articles(read_gold(GOLD))
    assert [a.id for a in articles][:2] == ["SYR1001", "SYR1002"]
    assert all(a.published is None for a in articles)
    assert articles[0].text.startswith("On 30 November 2024")


# -- matching --------------------------------------------------------------------------------------


def test_dates_match_within_one_day_only() -> None:
    gold = [event("g")]
    for day, matched in (("2024-11-30", True), ("2024-12-02", True), ("2024-11-29", False),
                         ("2024-12-03", False)):
        matches, _, _ = match_events(gold, [event("p", day)])
        assert bool(matches) is matched, day


def test_a_date_range_matches_any_day_inside_it() -> None:
    pred = [event("p", "2024-12-01", date_end="2024-12-07")]
    matches, _, _ = match_events([event("g", "2024-12-05")], pred)
    assert matches[0].days == 0


def test_distance_limit_is_25_km() -> None:
    # 0.2158 degrees of latitude is 24.0 km, 0.2339 is 26.0 km
    near, far = event("near", lat=10.2158), event("far", lat=10.2339)
    matches, missed, extra = match_events([event("g")], [far, near])
    assert [m.pred["event_id"] for m in matches] == ["near"]
    assert matches[0].km == pytest.approx(24.0, abs=0.01)
    assert not missed and [p["event_id"] for p in extra] == ["far"]


def test_other_event_type_never_matches() -> None:
    gold = [event("g", event_type="Violence against civilians")]
    matches, missed, extra = match_events(gold, [event("p", event_type="Battles")])
    assert not matches and len(missed) == 1 and len(extra) == 1


def test_matching_is_one_to_one_and_closest_first() -> None:
    gold = [event("g1"), event("g2", lat=10.1)]
    pred = [event("p_far", lat=10.05), event("p_on_g2", lat=10.1), event("p_on_g1")]
    matches, missed, extra = match_events(gold, pred)
    pairs = {(m.gold["event_id"], m.pred["event_id"]) for m in matches}
    assert pairs == {("g1", "p_on_g1"), ("g2", "p_on_g2")}
    assert not missed and [p["event_id"] for p in extra] == ["p_far"]


def test_a_prediction_from_the_rows_own_notes_is_preferred() -> None:
    gold = [event("g1"), event("g2")]
    pred = [event("p", article_id="g2")]
    matches, _, _ = match_events(gold, pred)
    assert matches[0].gold["event_id"] == "g2"


def test_no_coordinates_no_match() -> None:
    matches, _, _ = match_events([event("g", lat=None)], [event("p")])  # type: ignore[arg-type]
    assert not matches


def test_predictions_outside_the_gold_period_are_left_out() -> None:
    gold = [event("g1", "2024-12-01"), event("g2", "2024-12-10")]
    pred = [event("before", "2024-11-29"), event("edge", "2024-11-30"), event("after", "2024-12-12"),
            event("range", "2024-11-20", date_end="2024-12-01")]
    assert [p["event_id"] for p in in_period(gold, pred)] == ["edge", "range"]
    assert evaluate(gold, pred).out_of_scope == 2


def test_actor_names_ignore_period_suffixes_case_and_accents() -> None:
    assert normalise_actor("Military Forces of Syria (2000-2024)") == "military forces of syria"
    assert normalise_actor("Police Forces of Somalia (2022-)") == "police forces of somalia"
    assert normalise_actor("Civilians (Côte d'Ivoire)") == "civilians (cote d'ivoire)"
    assert normalise_actor(None) == ""


# -- scores on the sample files --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Any:
    return evaluate(read_gold(GOLD), read_predictions(PRED))


def test_sample_matches_and_unmatched(sample: Any) -> None:
    assert {m.gold["event_id"]: m.pred["event_id"] for m in sample.matches} == EXPECTED
    assert [g["event_id"] for g in sample.unmatched_gold] == ["SOM2001", "SDN3001", "SOM2002"]
    assert [p["event_id"] for p in sample.unmatched_pred] == ["p3", "p4", "p6", "p7"]


def test_sample_precision_recall_f1(sample: Any) -> None:
    # 3 matched of 7 predicted and of 6 gold events
    assert sample.precision == pytest.approx(3 / 7)
    assert sample.recall == pytest.approx(3 / 6)
    assert sample.f1 == pytest.approx(2 * (3 / 7) * (1 / 2) / (3 / 7 + 1 / 2))  # 6/13


def test_sample_field_accuracy(sample: Any) -> None:
    fields = {name: (s.correct, s.scored) for name, s in sample.fields.items()}
    assert fields["sub_event_type"] == (2, 3)  # p5 says protest with intervention
    assert fields["actor1"] == (3, 3)  # p2's "Military Forces of Russia" lacks "(2000-)": still right
    assert fields["actor2"] == (2, 3)  # p2 missed the civilians
    assert fields["inter1"] == (3, 3)
    assert fields["admin1"] == (2, 3)  # p5 says Yobe
    assert fields["fatalities"] == (2, 3)  # p2 says 9 for 10
    assert fields["fatalities_within_10pct"] == (3, 3)
    assert sample.median_km == pytest.approx(5.0, abs=0.01)  # distances 0, 5 and 24 km


def test_fatalities_within_10pct_is_exact_at_zero() -> None:
    result = evaluate([event("g", fatalities=0)], [event("p", fatalities=1)])
    assert result.fields["fatalities_within_10pct"].correct == 0


def test_empty_inputs_give_zero_scores() -> None:
    result = evaluate([], [])
    assert (result.precision, result.recall, result.f1, result.median_km) == (0.0, 0.0, 0.0, None)
    assert result.fields["actor1"].accuracy is None


# -- the command -----------------------------------------------------------------------------------


def test_cli_json_report() -> None:
    code, out, err = run("evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["gold"], report["predicted"], report["matched"]) == (6, 7, 3)
    assert (report["precision"], report["recall"], report["f1"]) == (0.4286, 0.5, 0.4615)
    assert report["fields"]["admin1"] == {"scored": 3, "correct": 2, "accuracy": 0.6667}
    assert report["unmatched_gold"] == ["SOM2001", "SDN3001", "SOM2002"]
    assert report["matches"][1] == {"gold": "SYR1002", "predicted": "p2", "days": 1, "km": 5.004}


def test_cli_table_report() -> None:
    code, out, _ = run("evaluate", "--gold", str(GOLD), "--pred", str(PRED))
    assert code == 0
    assert "F1" in out and "46.2%" in out and "sub_event_type" in out and "5.0 km" in out


def test_cli_reads_a_database(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    with Store(db) as store:
        for record in read_predictions(PRED):
            store.add(Article(id=record["article_id"], text=record["event_id"]), [record])
    code, out, err = run("evaluate", "--gold", str(GOLD), "--db", db, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["matched"] == 3


def test_sitrep_reads_each_row_as_one_article() -> None:
    gold = read_gold(GOLD)
    predicted = predict(gold_articles(gold))
    assert predicted and {p["article_id"] for p in predicted} <= {g["event_id"] for g in gold}
    # the notes state their date, so the dates come out right without a publication date
    by_row = {p["article_id"]: p["event_date"] for p in predicted}
    assert all(by_row[g["event_id"]] == g["event_date"] for g in gold if g["event_id"] in by_row)


def test_cli_runs_sitrep_on_the_notes() -> None:
    code, out, err = run("evaluate", "--gold", str(GOLD), "--format", "json", "-q")
    assert code == 0, err
    report = json.loads(out)
    assert report["gold"] == 6 and report["predicted"] >= 1
    assert report["matched"] >= 3  # simple notes: sitrep reads most of them right


def test_cli_usage_and_input_errors(tmp_path: Path) -> None:
    code, _, err = run("evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--db", str(PRED))
    assert code == 2 and "not both" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run("evaluate", "--gold", str(bad), "--pred", str(PRED))
    assert code == 2 and "bad.csv" in err and "no column" in err and len(err.strip().splitlines()) == 1


OLD_EXPORT = (
    "GWNO,EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,INTER2,COUNTRY,ADMIN1,"
    "LOCATION,LATITUDE,LONGITUDE,FATALITIES,NOTES\n"
    "700,AFG1,03/01/2015,2015,Violence against civilians,Taliban,,2,Civilians (Afghanistan),7,Afghanistan,"
    "Kandahar,Kandahar,31.6133,65.7101,4,Taliban fighters killed four villagers.\n"
    "700,AFG2,04/01/2015,2015,Riots/Protests,Protesters (Afghanistan),,6,,0,Afghanistan,Kabul,Kabul,"
    "34.5167,69.1833,0,Students protested in Kabul.\n"
    "700,AFG3,05/01/2015,2015,Violence against civilians,Unidentified Armed Group (Afghanistan),,3,,0,"
    "Afghanistan,Kabul,Kabul,,,1,A man was shot dead.\n"
    "700,AFG4,05/01/2015,2015,Remote violence,Taliban,,2,,0,Afghanistan,Kabul,Kabul,34.5167,69.1833,0,"
    "A mortar shell hit Kabul.\n"
)


def test_an_export_with_upper_case_headers_is_read_and_what_it_lacks_is_said(tmp_path: Path) -> None:
    gold_file = tmp_path / "old.csv"
    gold_file.write_text(OLD_EXPORT.replace("03/01/2015", "2015-01-03").replace("04/01/2015", "2015-01-04")
                         .replace("05/01/2015", "2015-01-05"), encoding="utf-8")
    gold = read_gold(gold_file)
    assert [g["event_id"] for g in gold] == ["AFG1", "AFG2", "AFG3", "AFG4"]
    assert gold[3]["event_type"] == "Explosions/Remote violence"  # ACLED's type for it since 2019
    assert gold[0]["inter1"] == "Rebel group" and gold[0]["fatalities"] == 4 and "sub_event_type" not in gold[0]
    pred = [event("p1", "2015-01-03", 31.6133, 65.7101, "Violence against civilians", actor1="Taliban",
                  sub_event_type="Attack", fatalities=4),
            event("p2", None, 31.6, 65.7, "Violence against civilians"),
            event("p3", "2015-01-04", None, None, "Protests")]
    result = evaluate(gold, pred)
    assert len(result.matches) == 1 and result.out_of_scope == 0
    assert result.fields["sub_event_type"].scored == 0 and result.fields["fatalities"].correct == 1
    assert result.not_compared == (
        "sub_event_type: not scored, the gold file has no sub_event_type column.",
        "1 gold event of ACLED's pre-2019 type 'Remote violence' compared as 'Explosions/Remote violence'.",
        "1 gold event of type 'Riots/Protests' cannot match: not one of ACLED's event types since 2019 "
        "(Battles, Explosions/Remote violence, Protests, Riots, Strategic developments, Violence against civilians).",
        "1 gold event without latitude and longitude cannot match: matching needs a distance.",
        "1 predicted event without a date left out: matching needs a date.",
        "1 predicted event without coordinates cannot match (the text names no place).",
    )


def test_cli_says_what_it_could_not_compare(tmp_path: Path) -> None:
    gold_file = tmp_path / "old.csv"
    gold_file.write_text(OLD_EXPORT.replace("03/01/2015", "3 January 2015").replace("04/01/2015", "4 January 2015")
                         .replace("05/01/2015", "5 January 2015"), encoding="utf-8")
    code, out, err = run("evaluate", "--gold", str(gold_file), "--pred", str(PRED), "--format", "json")
    assert code == 0, err
    assert "sub_event_type: not scored, the gold file has no sub_event_type column." in json.loads(out)["not_compared"]
    code, out, _ = run("evaluate", "--gold", str(gold_file), "--pred", str(PRED))
    assert code == 0 and "Not compared:" in out and "'Riots/Protests'" in out
