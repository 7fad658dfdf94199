"""Fuzzing in the suite: a few hundred generated inputs through every stage, derandomized (the same
inputs on every run), under a minute. ``make fuzz`` runs the same properties for as long as asked.

The property (``tests/fuzzing.py``): the only exceptions that escape are sitrep's documented ones, and
the per-article guard never has to catch anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing

FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(autouse=True, scope="module")
def _quiet() -> Iterator[None]:
    """sitrep's warnings about odd inputs (most fuzzed inputs are odd) not logged: capturing thousands
    of them would cost more time than the fuzzing."""
    logger = logging.getLogger("sitrep")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@settings(FUZZ, max_examples=60)
@given(st.lists(fuzzing.input_file(), min_size=1, max_size=4))
def test_reading_any_file_gives_articles_and_named_errors(files: list[tuple[str, bytes]]) -> None:
    fuzzing.check_read(files)


@settings(FUZZ, max_examples=150)
@given(fuzzing.news_text(), fuzzing.published_dates)
def test_extract_geoparse_and_quotes_take_any_text(text: str, published: date | str | None) -> None:
    fuzzing.check_text(text, published)


@settings(FUZZ, max_examples=100)
@given(st.lists(fuzzing.event_record(), max_size=4))
def test_every_export_takes_any_event_record(records: list[dict[str, Any]]) -> None:
    fuzzing.check_export(records)


@settings(FUZZ, max_examples=100)
@given(fuzzing.news_text(max_parts=3), st.lists(fuzzing.event_record(), max_size=3))
def test_the_store_takes_any_article_and_event_record(text: str, records: list[dict[str, Any]]) -> None:
    fuzzing.check_store(text, records)
