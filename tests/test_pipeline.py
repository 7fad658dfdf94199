"""The pipeline's stream: the same results whatever the number of processes, in order, and streaming."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date

from sitrep.errors import EmptyInput, InputError, MalformedRecord
from sitrep.models import Article
from sitrep.pipeline import BATCH_SIZE, Analysis, Pipeline, ordered_batches


def items(count: int) -> Iterator[Article | InputError]:
    """Short articles with a read error every seventh item (read errors do not survive pickling)."""
    for i in range(count):
        if i % 7 == 3:
            yield MalformedRecord(f"dump.jsonl:{i}", "not an article record")
        else:
            text = f"Gunmen killed {i % 9 + 2} farmers near Kukawa in Borno State on Monday, police said."
            yield Article(id=f"a{i}", text=text, published=date(2024, 1, 10))


def records(results: Iterator[Analysis | InputError]) -> list[object]:
    return [[e.to_dict() for e in r.events] if isinstance(r, Analysis) else str(r) for r in results]


def test_two_processes_give_what_one_gives_in_order_with_read_errors_in_place() -> None:
    count = BATCH_SIZE * 3 + 5  # several batches, the last one short
    one = records(Pipeline().stream(items(count), workers=1))
    two = records(Pipeline().stream(items(count), workers=2))
    assert two == one and len(one) == count
    assert one[3] == "dump.jsonl:3: not an article record"
    assert all(one[i] for i in range(count) if i % 7 != 3), "every article should give an event"


def test_ordered_batches_reads_ahead_only_as_far_as_in_flight() -> None:
    read = itertools.count()
    pending: list[int] = []
    most = 0

    def endless() -> Iterator[Article | InputError]:
        for i in read:
            yield EmptyInput(f"{i}.txt", "empty") if i % 5 == 0 else Article(id=str(i), text=f"text {i}")

    def submit(articles: list[Article]) -> Callable[[], list[Analysis]]:
        nonlocal most
        pending.append(len(articles))
        most = max(most, len(pending))

        def wait() -> list[Analysis]:
            pending.pop(0)
            return [Analysis(a, (), (), ()) for a in articles]

        return wait

    results = list(itertools.islice(ordered_batches(endless(), submit, in_flight=3), BATCH_SIZE * 10))
    assert [r.source if isinstance(r, InputError) else r.article.id for r in results][:6] == \
        ["0.txt", "1", "2", "3", "4", "5.txt"]
    assert most <= 3
    assert next(read) <= BATCH_SIZE * (10 + 3)  # read ahead by at most in_flight batches
