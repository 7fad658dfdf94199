"""The sub-event-type classifier ``sitrep train`` fits on a user's own ACLED export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.classifier import MODEL_FORMAT, NaiveBayes, cross_validate, features, train
from sitrep.cli import cli
from sitrep.errors import MalformedRecord

NOTES = {
    "Armed clash": [
        "Army troops clashed with militants near the village, exchanging fire for hours.",
        "Fighting broke out between the army and rebels on the outskirts of the town.",
        "Government soldiers and insurgents exchanged fire at a checkpoint.",
        "Rebels clashed with army soldiers in the hills east of the town.",
        "Heavy fighting between militants and troops was reported near the border.",
        "Militia fighters clashed with the army at a checkpoint on the highway.",
    ],
    "Air/drone strike": [
        "Warplanes struck a market in the city, killing civilians.",
        "A drone strike hit a vehicle carrying militants on the road.",
        "Air strikes by warplanes targeted positions near the airport.",
        "A military drone struck a house in the village.",
        "Fighter jets carried out air strikes on the town overnight.",
        "An air strike hit a school sheltering displaced families.",
    ],
    "Peaceful protest": [
        "Traders protested peacefully against rising fuel prices.",
        "Students held a peaceful demonstration demanding lower fees.",
        "Residents protested peacefully outside the governor's office over power cuts.",
        "Teachers demonstrated peacefully demanding unpaid salaries.",
        "Hundreds of women held a peaceful march calling for the release of detainees.",
        "Farmers protested peacefully against land seizures.",
    ],
    "Abduction/forced disappearance": [
        "Gunmen abducted a village chief from his home at night.",
        "Armed men kidnapped three passengers on the highway.",
        "Militants abducted two aid workers and took them to an unknown location.",
        "Unidentified gunmen kidnapped a teacher on his way to school.",
        "An armed group abducted several farmers working in their fields.",
        "Gunmen kidnapped a trader and demanded a ransom.",
    ],
}
TEXTS = [text for notes in NOTES.values() for text in notes]
LABELS = [label for label, notes in NOTES.items() for _ in notes]


def write_export(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id_cnty", "event_date", "event_type", "sub_event_type", "latitude",
                         "longitude", "notes"])
        for i, (label, text) in enumerate(rows):
            writer.writerow([f"T{i}", "30 November 2024", "Battles", label, "1.0", "2.0",
                             f"On 30 November 2024, {text}"])


def test_features_are_words_and_pairs_without_dates_or_numbers() -> None:
    assert features("On 30 November 2024, 12 gunmen abducted a chief.") == [
        "gunmen", "abducted", "chief", "gunmen abducted", "abducted chief"]


def test_a_compound_is_one_feature() -> None:
    assert features("Al-Shabaab's fighters took l'armée's post") == [
        "al-shabaab's", "fighters", "took", "l'armée's", "post", "al-shabaab's fighters", "fighters took",
        "took l'armée's", "l'armée's post"]
    assert features("M23 - rebels' 5-year-old war") == ["m", "rebels", "year-old", "war", "m rebels",
                                                       "rebels year-old", "year-old war"]


def test_predicts_unseen_notes() -> None:
    model = train(TEXTS, LABELS)
    assert model.predict("Gunmen abducted two traders on the road.") == "Abduction/forced disappearance"
    assert model.predict("A drone struck a house near the market.") == "Air/drone strike"
    assert model.predict("Nurses protested peacefully over unpaid salaries.") == "Peaceful protest"
    assert model.predict("Troops clashed with rebels near the border.") == "Armed clash"
    assert model.event_type("Troops clashed with rebels near the border.") == "Battles"
    scores = model.scores("Gunmen abducted two traders.")
    assert sum(scores.values()) == pytest.approx(1.0) and max(scores.values()) > 0.5


def test_cross_validated_accuracy() -> None:
    assert cross_validate(TEXTS, LABELS, folds=3) >= 0.75


def test_save_and_load_give_the_same_predictions(tmp_path: Path) -> None:
    model = train(TEXTS, LABELS)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = NaiveBayes.load(path)
    assert loaded.labels == model.labels
    for text in TEXTS:
        assert loaded.scores(text) == pytest.approx(model.scores(text))


def test_load_rejects_other_json(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(MalformedRecord, match=MODEL_FORMAT):
        NaiveBayes.load(path)


def test_train_needs_examples() -> None:
    with pytest.raises(ValueError):
        train([], [])


def test_cli_train_writes_a_model(tmp_path: Path) -> None:
    export, model = tmp_path / "export.csv", tmp_path / "model.json"
    write_export(export, list(zip(LABELS, TEXTS, strict=True)))
    result = CliRunner().invoke(cli, ["train", "--gold", str(export), "-o", str(model), "--folds", "3"])
    assert result.exit_code == 0, result.stderr
    assert "Trained on 24 notes, 4 sub-event types; 3-fold accuracy" in result.stderr
    assert NaiveBayes.load(model).predict("Gunmen kidnapped a farmer.") == "Abduction/forced disappearance"


def test_cli_train_needs_two_sub_event_types(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    write_export(export, [("Armed clash", text) for text in NOTES["Armed clash"]])
    result = CliRunner().invoke(cli, ["train", "--gold", str(export), "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 1 and "at least two sub-event types" in result.stderr


def test_cli_train_explains_a_file_without_sub_event_type(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,LATITUDE,LONGITUDE,NOTES\n"
                      "T1,2015-01-03,Battle-No change of territory,1.0,2.0,Troops clashed with rebels.\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--gold", str(export), "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and not (tmp_path / "m.json").exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: Invalid value for '--gold': ") and "export.csv" in line
    assert "no column sub_event_type" in line


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "not JSON"),
    ('{"format": "sitrep-naive-bayes/1"}', "missing 'log_likelihood'"),
    ('{"format": "sitrep-naive-bayes/1", "log_prior": {"Attack": -0.1}, "log_unseen": {"Attack": -9.0}, '
     '"log_likelihood": {"Attack": {"gunmen": "high"}}}', "not a number"),
    ('{"format": "sitrep-naive-bayes/1", "log_prior": {"Attack": -0.1}, "log_unseen": {}, '
     '"log_likelihood": {"Attack": {}}}', "same labels"),
])
def test_load_names_what_is_wrong_with_a_damaged_model(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MalformedRecord, match=reason) as caught:
        NaiveBayes.load(path)
    assert str(caught.value).startswith(f"{path}: ")
