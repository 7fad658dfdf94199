"""A sub-event-type classifier trained on the user's own ACLED export (``sitrep train``).

    notes -> words and word pairs -> multinomial naive Bayes -> sub_event_type (and its event type)

Plain Python, no extra dependency. A model is a JSON file (``MODEL_FORMAT``) holding, per sub-event
type, the log prior and the smoothed log likelihood of each feature seen with it. Features seen fewer
than ``min_count`` times over the whole training set can be dropped, to keep the model of a large
export small (``sitrep train --min-count``). Dates and numbers are not features: ACLED notes open
with their date, and figures say nothing about the kind of event.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import MalformedRecord, UnreadableInput
from sitrep.extraction.dates import MONTH_NAMES
from sitrep.extraction.taxonomy import TYPE_OF
from sitrep.lexicon import Token, tokenize

__all__ = ["MODEL_FORMAT", "NaiveBayes", "cross_validate", "features", "train"]

MODEL_FORMAT = "sitrep-naive-bayes/1"
ALPHA = 0.1
"""Additive smoothing. Small, because ACLED notes are short and their cue words are strong."""
MIN_COUNT = 1
"""Features seen fewer times than this in the training set are dropped. 1 keeps every feature: on
small exports, pruning one-off words loses more accuracy than it saves space."""

_JOINERS = "'’-"
"""Marks that join the words of a compound into one feature ("al-shabaab", "army's", "l'armée")."""
_STOP = frozenset((
    "the", "a", "an", "of", "on", "in", "at", "to", "and", "or", "by", "for", "with", "from", "as", "its",
    "their", "his", "her", "was", "were", "is", "are", "be", "been", "has", "have", "had", "that", "this",
    "which", "who", "after", "during", "near",
    *(m.word for m in MONTH_NAMES if m.language == "english" and not m.abbreviation),
))  # fmt: skip
"""Function words and month names: frequent in every kind of note, telling nothing."""


def features(text: str) -> list[str]:
    """Lower-cased words (no stop words, dates or numbers) and the pairs of adjacent words."""
    words = [w for w in (text[start:end].casefold() for start, end in _compounds(text)) if w not in _STOP]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _compounds(text: str) -> list[tuple[int, int]]:
    """The offsets of the words of ``text`` (``lexicon.tokenize``), words that a joiner binds without a
    space (``_JOINERS``) making one compound ("al-Shabaab", "army's", "l'armée"); figures are no words."""
    found: list[tuple[int, int]] = []
    start = end = joined = -1  # the compound read so far, and the end of a joiner right after it
    for kind, first, last in _pieces(tokenize(text)):
        if kind == "word" and start >= 0 and first == joined:
            end, joined = last, -1
        elif kind == "joiner" and start >= 0 and joined < 0 and first == end:
            joined = last
        else:
            if start >= 0:
                found.append((start, end))
            start, end, joined = (first, last, -1) if kind == "word" else (-1, -1, -1)
    if start >= 0:
        found.append((start, end))
    return found


def _pieces(tokens: list[Token]) -> Iterator[tuple[str, int, int]]:
    """Each token as runs of letters ("word") and joiners ("joiner"), other marks as "other": an
    elision is a word and a joiner ("l'"), a possessive a joiner and a word ("'s")."""
    for token in tokens:
        text, at = token.text, token.start
        if text in _JOINERS:
            yield "joiner", at, token.end
        elif text[0].isalpha() and text[-1] in _JOINERS:  # an elision
            yield "word", at, token.end - 1
            yield "joiner", token.end - 1, token.end
        elif text[0] in "'’ʼ":  # a possessive; the modifier letter apostrophe joins nothing
            if text[0] in _JOINERS:
                yield "joiner", at, at + 1
            yield "word", at + 1, token.end
        elif text[0].isalpha():  # a word; apostrophes other than the joiners part its letters
            for piece in re.split(r"([ʼ`])", text):
                if piece and piece not in "ʼ`":
                    yield "word", at, at + len(piece)
                at += len(piece)
        else:
            yield "other", at, token.end


@dataclass(frozen=True)
class NaiveBayes:
    """A trained multinomial naive Bayes model over ``features``."""

    log_prior: dict[str, float]
    """Label -> log P(label)."""
    log_likelihood: dict[str, dict[str, float]]
    """Label -> feature -> log P(feature | label), for the features seen with that label."""
    log_unseen: dict[str, float]
    """Label -> log P(feature | label) of a known feature never seen with that label."""
    vocabulary: frozenset[str]
    """The features the model knows; others are ignored."""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted(self.log_prior))

    def scores(self, text: str) -> dict[str, float]:
        """Label -> posterior probability of that label for ``text``."""
        known = [f for f in features(text) if f in self.vocabulary]
        logs = {label: self.log_prior[label] + sum(self._log_p(label, f) for f in known)
                for label in self.log_prior}
        top = max(logs.values())
        total = sum(math.exp(v - top) for v in logs.values())
        return {label: math.exp(v - top) / total for label, v in logs.items()}

    def predict(self, text: str) -> str:
        """The most probable sub-event type for ``text`` (ties: alphabetical order)."""
        scores = self.scores(text)
        return max(sorted(scores), key=scores.__getitem__)

    def event_type(self, text: str) -> str | None:
        """ACLED event type of the predicted sub-event type, when it is one of ACLED's."""
        return TYPE_OF.get(self.predict(text))

    def _log_p(self, label: str, feature: str) -> float:
        return self.log_likelihood[label].get(feature, self.log_unseen[label])

    def to_dict(self) -> dict[str, Any]:
        return {"format": MODEL_FORMAT, "log_prior": self.log_prior, "log_unseen": self.log_unseen,
                "log_likelihood": self.log_likelihood}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NaiveBayes:
        likelihood = {label: dict(table) for label, table in data["log_likelihood"].items()}
        vocabulary = frozenset(f for table in likelihood.values() for f in table)
        return cls(dict(data["log_prior"]), likelihood, dict(data["log_unseen"]), vocabulary)

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (``load`` reads it back)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
        Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> NaiveBayes:
        """Read a model file written by ``save`` (``sitrep train``)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise UnreadableInput(str(path), f"cannot read the model ({err})") from err
        except json.JSONDecodeError as err:
            raise MalformedRecord(str(path), f"not JSON ({err.msg})") from None
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise MalformedRecord(str(path), f"not a {MODEL_FORMAT} model; write one with: "
                                             "sitrep train --gold EXPORT.csv -o model.json")
        try:
            model = cls.from_dict(data)
            model._check()
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            reason = f"missing {err}" if isinstance(err, KeyError) else str(err)
            raise MalformedRecord(str(path), f"a damaged {MODEL_FORMAT} model ({reason}); write it again with: "
                                             "sitrep train --gold EXPORT.csv -o model.json") from None
        return model

    def _check(self) -> None:
        """Raise ValueError unless every label has a prior, an unseen-feature value and a likelihood
        table, all numbers."""
        labels = set(self.log_prior)
        if not labels or labels != set(self.log_unseen) or labels != set(self.log_likelihood):
            raise ValueError("log_prior, log_unseen and log_likelihood must name the same labels")
        values = [*self.log_prior.values(), *self.log_unseen.values(),
                  *(v for table in self.log_likelihood.values() for v in table.values())]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise ValueError("a probability is not a number")


def train(texts: Sequence[str], labels: Sequence[str], alpha: float = ALPHA,
          min_count: int = MIN_COUNT) -> NaiveBayes:
    """Fit the model on ``texts`` labelled with ``labels`` (ValueError when empty or unequal)."""
    if not texts or len(texts) != len(labels):
        raise ValueError("train() needs as many labels as texts, and at least one of each")
    docs = [features(t) for t in texts]
    seen = Counter(f for doc in docs for f in doc)
    vocabulary = frozenset(f for f, n in seen.items() if n >= min_count)
    counts = _counts_by_label(docs, labels, vocabulary)
    size = len(vocabulary) or 1
    label_counts = Counter(labels)
    log_prior = {label: math.log(n / len(labels)) for label, n in label_counts.items()}
    log_likelihood: dict[str, dict[str, float]] = {}
    log_unseen: dict[str, float] = {}
    for label, table in counts.items():
        denominator = sum(table.values()) + alpha * size
        log_likelihood[label] = {f: math.log((n + alpha) / denominator) for f, n in table.items()}
        log_unseen[label] = math.log(alpha / denominator)
    return NaiveBayes(log_prior, log_likelihood, log_unseen, vocabulary)


def _counts_by_label(docs: Iterable[list[str]], labels: Iterable[str],
                     vocabulary: frozenset[str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for doc, label in zip(docs, labels, strict=True):
        counts.setdefault(label, Counter()).update(f for f in doc if f in vocabulary)
    return counts


def cross_validate(texts: Sequence[str], labels: Sequence[str], folds: int = 5) -> float:
    """Accuracy over ``folds`` train/test splits (row i is tested in fold i mod ``folds``)."""
    if folds < 2 or len(texts) < folds:
        raise ValueError(f"cross-validation needs at least {max(folds, 2)} examples and 2 folds")
    correct = 0
    for fold in range(folds):
        train_idx = [i for i in range(len(texts)) if i % folds != fold]
        model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        correct += sum(model.predict(texts[i]) == labels[i] for i in range(fold, len(texts), folds))
    return correct / len(texts)
