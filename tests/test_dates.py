"""Date mentions resolved against the publication date (ACLED's "When" rules)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.extraction.dates import DateMention, find_dates

SATURDAY = date(2024, 11, 30)


def only(text: str, published: date | None = SATURDAY) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The offensive began this Wednesday.", date(2024, 11, 27)),
        ("Rebels entered the city on Friday.", date(2024, 11, 29)),
        ("It was published Saturday November 30.", date(2024, 11, 30)),
        ("Clashes resumed on Saturday.", date(2024, 11, 30)),
        ("The town fell last Friday.", date(2024, 11, 29)),
        ("Les combats ont commencé ce mercredi.", date(2024, 11, 27)),
        ("Strikes hit the city yesterday.", date(2024, 11, 29)),
        ("Strikes hit the city overnight.", date(2024, 11, 29)),
        ("Protesters gathered today.", date(2024, 11, 30)),
        ("The convoy was hit two days ago.", date(2024, 11, 28)),
        ("On 1 April 2025, forces struck a hideout.", date(2025, 4, 1)),
        ("Fighting on November 27, 2024 was heavy.", date(2024, 11, 27)),
        ("Fighting on Nov. 27 was heavy.", date(2024, 11, 27)),
        ("Fighting on 27/11/2024 was heavy.", date(2024, 11, 27)),
        ("Fighting on 2024-11-27 was heavy.", date(2024, 11, 27)),
        ("Les combats du 27 novembre ont fait des morts.", date(2024, 11, 27)),
    ],
)
def test_days(text: str, day: date) -> None:
    mention = only(text)
    assert (mention.day, mention.end, mention.precision, mention.background) == (day, day, 1, False)


def test_last_friday_on_a_friday_is_a_week_before() -> None:
    assert only("It happened last Friday.", date(2024, 11, 29)).day == date(2024, 11, 22)


def test_future_cue_points_ahead() -> None:
    assert only("Talks will resume on Monday.").day == date(2024, 12, 2)


def test_yearless_date_takes_the_year_its_weekday_makes_true() -> None:
    assert only("Attacked on Thursday November 30.", date(2024, 1, 10)).day == date(2023, 11, 30)


def test_yearless_date_far_after_publication_is_last_year() -> None:
    assert only("The siege began on 20 December.", date(2025, 1, 5)).day == date(2024, 12, 20)


def test_since_weekday_is_a_range_to_publication() -> None:
    mention = only("More than 300 people have died since Wednesday.")
    assert mention.span.text == "since Wednesday"
    assert (mention.day, mention.end, mention.precision) == (date(2024, 11, 27), SATURDAY, 2)


@pytest.mark.parametrize(
    ("text", "day", "end", "precision"),
    [
        ("Raids took place earlier this week.", date(2024, 11, 25), SATURDAY, 2),
        ("Raids took place last week.", date(2024, 11, 18), date(2024, 11, 24), 2),
        ("Raids took place this month.", date(2024, 11, 1), SATURDAY, 3),
        ("Raids took place last month.", date(2024, 10, 1), date(2024, 10, 31), 3),
        ("Raids took place in early November.", date(2024, 11, 1), date(2024, 11, 10), 3),
        ("Raids took place on 27-29 November 2024.", date(2024, 11, 27), date(2024, 11, 29), 2),
    ],
)
def test_periods(text: str, day: date, end: date, precision: int) -> None:
    mention = only(text)
    assert (mention.day, mention.end, mention.precision, mention.background) == (day, end, precision, False)


@pytest.mark.parametrize(
    "text",
    ["In 2016 the regime retook the city.", "The city changed hands in August 2013.",
     "The group was defeated last year.", "The base was built years ago.",
     "Attacks have grown in recent months.", "A similar attack on 30 November 2023 killed 12."],
)
def test_background(text: str) -> None:
    mention = only(text)
    assert mention.background
    assert mention.precision in {1, 3}


def test_two_years_are_both_background() -> None:
    mentions = find_dates("The regime retook the area in 2015 and 2016.", SATURDAY)
    assert [(m.span.text, m.day, m.precision, m.background) for m in mentions] == [
        ("2015", date(2015, 1, 1), 3, True),
        ("2016", date(2016, 1, 1), 3, True),
    ]


def test_this_year_is_not_background() -> None:
    assert not only("The group was founded in 2024.").background


def test_same_day_is_left_to_the_caller() -> None:
    same, after = find_dates("On the same day, and the next day, strikes continued.", SATURDAY)
    assert (same.day, same.shift) == (None, 0)
    assert (after.day, after.shift) == (None, 1)


@pytest.mark.parametrize(
    "text",
    ["Strikes hit on Wednesday.", "Strikes hit yesterday.", "Strikes hit last week.", "Hit on Nov. 27."],
)
def test_no_publication_date_gives_no_relative_day(text: str) -> None:
    assert only(text, None).day is None


def test_explicit_date_needs_no_publication_date() -> None:
    assert only("On 1 April 2025, forces struck.", None).day == date(2025, 4, 1)


def test_offsets_equal_the_text() -> None:
    text = "Since Wednesday, and on 30 November 2024, and in 2016, and yesterday."
    mentions = find_dates(text, SATURDAY, offset=100)
    assert [m.span.text for m in mentions] == ["Since Wednesday", "30 November 2024", "2016", "yesterday"]
    for m in mentions:
        assert text[m.span.start - 100 : m.span.end - 100] == m.span.text


@pytest.mark.parametrize(
    "text", ["He may 5 times have tried.", "At least 2016 people fled.", "It cost $2016."]
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, SATURDAY) == []
