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


@pytest.mark.parametrize(
    "text",
    ["The checkpoint fell on 24-02-2015 after a siege.", "The checkpoint fell on 24/02/2015 after a siege.",
     "The checkpoint fell on 2015-02-24 after a siege.", "The checkpoint fell on 24.02.2015 after a siege.",
     "The checkpoint fell on 02/24/2015 after a siege.", "Posted 24.02.2015Share this story",
     "Updated24-02-2015 Rebels shelled the town."],
)
def test_numeric_dates(text: str) -> None:
    mention = only(text)
    assert (mention.day, mention.precision, mention.background) == (date(2015, 2, 24), 1, True)


def test_numeric_date_is_day_first() -> None:
    assert only("Clashes on 03.04.2024 left two dead.").day == date(2024, 4, 3)


def test_numeric_date_glued_to_next_word_keeps_its_span() -> None:
    mention = only("07.07.2015Get short URL", date(2015, 7, 7))
    assert (mention.span.text, mention.day, mention.background) == ("07.07.2015", date(2015, 7, 7), False)


@pytest.mark.parametrize("text", ["Version 1.24.02.2015 was released.", "Call 0031-24-02-2015 now."])
def test_numeric_date_inside_longer_number_is_no_date(text: str) -> None:
    assert all(m.day != date(2015, 2, 24) for m in find_dates(text, SATURDAY))


@pytest.mark.parametrize(
    "text", ["The score was 10-12-15 at the break.", "The rebels held the town in 2015 - 16 people died."]
)
def test_two_digit_year_needs_a_slash_or_dot(text: str) -> None:
    assert all(m.precision != 1 and m.end != date(2016, 12, 31) for m in find_dates(text, SATURDAY))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("The 2015-2016 offensive displaced thousands.", 2015, 2016),
     ("During the 2013-14 winter, the siege tightened.", 2013, 2014),
     ("From 2011 to 2015 the town changed hands twice.", 2011, 2015)],
)
def test_range_of_years_is_one_background_mention(text: str, first: int, last: int) -> None:
    mention = only(text)
    assert (mention.day, mention.end, mention.precision, mention.background) == (
        date(first, 1, 1), date(last, 12, 31), 3, True)


def test_range_of_years_up_to_publication_year_is_not_background() -> None:
    assert not only("The 2023-2024 campaign goes on.").background


def test_year_after_a_dash_in_a_numeric_date_is_not_a_bare_year() -> None:
    assert [m.span.text for m in find_dates("In the report of 24-02-2016 and in 2016.", SATURDAY)] == [
        "24-02-2016", "2016"]


@pytest.mark.parametrize(
    ("text", "day"),
    [("Last updated at Apr 152017 Rebels shelled the town.", date(2017, 4, 15)),
     ("Published Jul 52016 The convoy was hit.", date(2016, 7, 5)),
     ("Fighting on April 15,2017 was heavy.", date(2017, 4, 15))],
)
def test_day_and_year_run_together(text: str, day: date) -> None:
    assert only(text).day == day


def test_impossible_glued_day_is_no_date() -> None:
    assert all(m.precision != 1 for m in find_dates("Fighting on Apr 312017 was heavy.", SATURDAY))


@pytest.mark.parametrize(
    ("text", "shift"),
    [("On the same day, a car bomb exploded.", 0), ("The next day, the army withdrew.", 1),
     ("The day before, rebels had shelled it.", -1), ("Two days later, talks resumed.", 2),
     ("Three days earlier, a convoy was hit.", -3), ("The following morning, troops entered.", 1),
     ("Le lendemain, l'armée s'est retirée.", 1), ("La veille, des tirs ont été entendus.", -1),
     ("Trois jours plus tard, le convoi est reparti.", 3)],
)
def test_anaphoric_days_shift_from_the_previous_date(text: str, shift: int) -> None:
    mention = only(text)
    assert (mention.day, mention.shift, mention.precision, mention.background) == (None, shift, 1, False)


def test_the_day_before_yesterday_is_not_anaphoric() -> None:
    mention = only("The town was hit the day before yesterday.")
    assert (mention.day, mention.shift) == (date(2024, 11, 28), None)


MONDAY = date(2024, 12, 2)


@pytest.mark.parametrize(
    ("text", "published", "day", "end", "precision"),
    [("Raids took place earlier in the week.", SATURDAY, date(2024, 11, 25), SATURDAY, 2),
     ("Raids took place earlier this week.", MONDAY, MONDAY, MONDAY, 2),
     ("Raids took place last week.", MONDAY, date(2024, 11, 25), date(2024, 12, 1), 2),
     ("Raids took place over the weekend.", MONDAY, date(2024, 11, 30), date(2024, 12, 1), 2),
     ("Raids took place this past weekend.", MONDAY, date(2024, 11, 30), date(2024, 12, 1), 2),
     ("Raids took place over the week-end.", SATURDAY, SATURDAY, SATURDAY, 2),
     ("Raids took place overnight.", MONDAY, date(2024, 12, 1), date(2024, 12, 1), 1),
     ("Raids took place this month.", MONDAY, date(2024, 12, 1), MONDAY, 3),
     ("Des raids ont eu lieu ce week-end.", MONDAY, date(2024, 11, 30), date(2024, 12, 1), 2),
     ("Des raids ont eu lieu la semaine dernière.", MONDAY, date(2024, 11, 25), date(2024, 12, 1), 2),
     ("Des raids ont eu lieu la nuit dernière.", MONDAY, date(2024, 12, 1), date(2024, 12, 1), 1),
     ("Des raids ont eu lieu en début de semaine.", SATURDAY, date(2024, 11, 25), SATURDAY, 2)],
)
def test_relative_periods_against_publication(
    text: str, published: date, day: date, end: date, precision: int
) -> None:
    mention = only(text, published)
    assert (mention.day, mention.end, mention.precision, mention.background) == (day, end, precision, False)


def test_upper_case_text_is_read_like_lower_case() -> None:
    mention = only("STRIKES HIT THE TOWN ON 27 NOVEMBER 2024 AND NOT SINCE.")
    assert mention.day == date(2024, 11, 27)


def test_text_whose_lower_case_is_longer_keeps_offsets() -> None:
    text = "İİ strikes hit on 27 November 2024."
    mention = only(text)
    assert text[mention.span.start:mention.span.end] == "27 November 2024"


@pytest.mark.parametrize(
    "text",
    ["The convoy was hit 800000 days ago.", "The convoy was hit 99999999999 weeks ago.",
     "The convoy was hit 800000 months ago.", "The convoy was hit 50000 days ago."],
)
def test_an_offset_beyond_the_plausible_years_is_no_date(text: str) -> None:
    assert [m for m in find_dates(text, SATURDAY) if m.day is not None] == []


@pytest.mark.parametrize("published", [date.min, date.max, date(1899, 12, 31), date(2100, 1, 1)])
def test_a_publication_date_at_the_ends_of_the_calendar_is_unknown(published: date) -> None:
    text = "Strikes hit the city overnight, last week, last month and on Friday; two days ago too."
    mentions = find_dates(text, published)
    assert mentions and all(m.day is None for m in mentions)


def test_a_day_resolved_just_outside_the_plausible_years_is_no_date() -> None:
    assert [m.day for m in find_dates("Strikes hit the city yesterday.", date(1900, 1, 1))] == []


def test_shift_day_never_overflows() -> None:
    from sitrep.extraction.dates import shift_day

    assert shift_day(SATURDAY, 2) == date(2024, 12, 2)
    assert shift_day(SATURDAY, 800_000) is None
    assert shift_day(SATURDAY, -10**30) is None


# -- weekdays and yearless dates across a new year --------------------------------------------

FRIDAY_NEW_YEAR = date(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [("Militia fighters raided the camp on Tuesday.", date(2026, 12, 29)),
     ("Militia fighters raided the camp last Thursday.", date(2026, 12, 31)),
     ("Militia fighters raided the camp on December 30, the governor said on Friday.", date(2026, 12, 30)),
     ("Militia fighters raided the camp on Wednesday December 30.", date(2026, 12, 30))],
)
def test_weekdays_and_yearless_dates_before_a_new_year_keep_their_year(text: str, day: date) -> None:
    first = find_dates(text, FRIDAY_NEW_YEAR)[0]
    assert (first.day, first.precision, first.background) == (day, 1, False)


# -- "last", "this" and "next" before a weekday -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [("Bandits looted the market last Thursday.", date(2023, 3, 11), date(2023, 3, 9)),  # Saturday
     ("Bandits looted the market last Thursday.", date(2023, 3, 13), date(2023, 3, 9)),  # Monday
     ("Bandits looted the market last Thursday.", date(2023, 3, 9), date(2023, 3, 2)),  # Thursday itself
     ("Bandits looted the market last Monday.", date(2023, 3, 14), date(2023, 3, 13)),  # the day before
     ("Traders marched on the town hall this Thursday.", date(2023, 3, 11), date(2023, 3, 9)),
     ("Traders say they will march on the town hall this Thursday.", date(2023, 3, 13), date(2023, 3, 16)),
     ("Traders plan a march next Thursday.", date(2023, 3, 9), date(2023, 3, 16))],
)
def test_last_this_and_next_weekday(text: str, published: date, day: date) -> None:
    assert only(text, published).day == day


# -- nights and evenings --------------------------------------------------------------------------

THURSDAY = date(2023, 3, 16)


@pytest.mark.parametrize(
    ("text", "day"),
    [("Drones hit a fuel depot last night.", date(2023, 3, 15)),
     ("Drones hit a fuel depot last evening.", date(2023, 3, 15)),
     ("Drones hit a fuel depot overnight, the governor said this morning.", date(2023, 3, 15)),
     ("Youths clashed with the police yesterday evening.", date(2023, 3, 15)),
     ("Gunmen ambushed a convoy late on Tuesday.", date(2023, 3, 14)),
     ("Gunmen ambushed a convoy on Tuesday night.", date(2023, 3, 14)),
     ("Gunmen ambushed a convoy overnight Tuesday.", date(2023, 3, 14)),
     ("Gunmen ambushed a convoy overnight on Tuesday.", date(2023, 3, 14)),
     ("Gunmen ambushed a convoy overnight into Wednesday.", date(2023, 3, 14)),
     ("Gunmen ambushed a convoy overnight Tuesday into Wednesday.", date(2023, 3, 14)),
     ("Gunmen ambushed a convoy during the night of Tuesday to Wednesday.", date(2023, 3, 14)),
     ("Des hommes armés ont attaqué un convoi dans la nuit de mardi à mercredi.", date(2023, 3, 14)),
     ("Protesters gathered again tonight.", THURSDAY)],
)
def test_night_and_evening_expressions(text: str, day: date) -> None:
    first = find_dates(text, THURSDAY)[0]
    assert (first.day, first.precision) == (day, 1)


# -- the day of a statement is not the day of the event -------------------------------------------


@pytest.mark.parametrize(
    ("text", "statements"),
    [("The ministry said on Wednesday that rebels shelled the port late on Monday.", [True, False]),
     ("Rebels shelled the port on Monday, a spokesman told reporters on Wednesday.", [False, True]),
     ("The army said in a statement on Wednesday that it had retaken the port.", [True]),
     ("On Monday rebels shelled the port.", [False]),
     ("Rebels shelled the port on Monday and withdrew on Tuesday.", [False, False])],
)
def test_dates_of_statements_are_marked(text: str, statements: list[bool]) -> None:
    assert [m.statement for m in find_dates(text, THURSDAY)] == statements
