"""The dateline reader: the report's day and where the dateline ends, for reading and for events."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.extraction.dateline import read_dateline
from sitrep.extraction.dates import ENGLISH_MONTHS, FRENCH_MONTHS, MONTH_NAMES, MONTHS


@pytest.mark.parametrize(
    ("opening", "day", "date_words", "stamp"),
    [
        ("14-03-2021 Army shells rebel town.", date(2021, 3, 14), "14-03-2021", True),
        ("14.03.2021Get short URL Army shells rebel town.", date(2021, 3, 14), "14.03.2021", True),
        ("Last updated at Mar 142021 BEIRUT Army shells rebel town.", date(2021, 3, 14), "Mar 142021", True),
        ("Posted 2021/03/14 Army shells rebel town.", date(2021, 3, 14), "2021/03/14", True),
        ("Date of publication 14 March 2021 Army shells rebel town.", date(2021, 3, 14), "14 March 2021", False),
        ("Sun 14 Mar 2021 Army shells rebel town.", date(2021, 3, 14), "14 Mar 2021", False),
        ("Published: March 14, 2021. Army shells rebel town.", date(2021, 3, 14), "March 14, 2021", False),
        ("Publié le 14 mars 2021 L'armée bombarde une ville.", date(2021, 3, 14), "14 mars 2021", False),
    ],
)
def test_the_date_that_opens_the_text_is_the_day_and_a_stamp_ends_the_dateline(
    opening: str, day: date, date_words: str, stamp: bool
) -> None:
    line = read_dateline(opening)
    assert line.day == day and line.span is not None and line.span.text == date_words
    assert opening[line.span.start : line.span.end] == date_words
    assert line.end == (line.span.end if stamp else 0)


@pytest.mark.parametrize(
    ("text", "day", "closing"),
    [
        ("HOMS, Syria, 3 June 2019 - Rebels shelled a checkpoint on Sunday.", date(2019, 6, 3), "2019 - "),
        ("HOMS (Reuters) - Rebels shelled a checkpoint on 2 June 2019.", date(2019, 6, 2), "(Reuters) - "),
        ("BENI, 3 June 2019 -- Rebels shelled a checkpoint on Sunday.", date(2019, 6, 3), "2019 -- "),
    ],
)
def test_place_and_dash_end_the_dateline(text: str, day: date, closing: str) -> None:
    line = read_dateline(text)
    assert line.day == day
    assert text[: line.end].endswith(closing)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("On 14 March 2021, the army shelled a rebel town.", date(2021, 3, 14)),  # a sentence
        ("Rebels shelled the town of Beni - a local official said - on 2 June 2019.", date(2019, 6, 2)),
        ("Rebels shelled the town. It was the third attack since 1 June.", None),
    ],
)
def test_a_date_inside_a_sentence_ends_no_dateline(text: str, day: date | None) -> None:
    line = read_dateline(text)
    assert (line.day, line.end) == (day, 0)


@pytest.mark.parametrize(
    "text",
    ["Saturday November 30 - Fighters entered the city.", "In May 2017 fighting resumed.",
     "Fighting resumed on 31 February 2017.", "Fighting resumed in 2017.", "Fighting resumed on 12/05/17.",
     "Fighting resumed in 2015-2016.", "Turnout rose from 1/4 to 2/3 in 2019 polls.",
     "World desk | 1422 03.05.2016 | Rebels shelled the town."],  # figures day or month first, not at the top
)
def test_no_full_date_no_day(text: str) -> None:
    assert read_dateline(text).day is None


def test_year_first_figures_need_not_open_the_text() -> None:
    assert read_dateline("World desk | 1422 2016-05-03 | Rebels shelled the town.").day == date(2016, 5, 3)


def test_the_day_is_looked_for_in_the_opening_only() -> None:
    text = "Fighting resumed near the airport. " * 10 + "It began on 5 April 2017."
    assert read_dateline(text).day is None


def test_the_month_table_covers_every_month_in_both_languages() -> None:
    assert sorted(set(ENGLISH_MONTHS.values())) == list(range(1, 13))
    assert sorted({MONTHS[w] for w in FRENCH_MONTHS}) == list(range(1, 13))
    assert all(m.word == m.word.lower() and m.word.strip() == m.word for m in MONTH_NAMES)
    assert len({m.word for m in MONTH_NAMES}) == len(MONTH_NAMES)  # no word names two months
