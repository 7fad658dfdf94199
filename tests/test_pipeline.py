"""The pipeline's stream: the same results whatever the number of processes, in order, and streaming."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

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


def test_the_public_surface_is_pinned() -> None:
    import sitrep

    assert sorted(sitrep.__all__) == sorted([
        "Actor", "Article", "Event", "Fatalities", "Place", "Quote", "Source", "Span",
        "__version__", "extract", "geoparse", "quotes",
    ])
    assert all(hasattr(sitrep, name) for name in sitrep.__all__)


def test_no_extraction_module_imports_a_resolver() -> None:
    """Extraction reads resolved mentions (``sitrep.stages``); only the pipeline's resolve stage calls
    the resolvers."""
    import ast
    from pathlib import Path

    import sitrep.extraction

    folder = Path(sitrep.extraction.__file__).parent
    imports = {}
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            imports[path.name] = imports.get(path.name, []) + names
    assert len(imports) > 5
    offending = {name: [m for m in modules if m in {"sitrep.resolve", "sitrep.resolvers"}
                        or m.startswith("sitrep.resolve.")] for name, modules in imports.items()}
    assert {name: found for name, found in offending.items() if found} == {}


def test_resolvers_passed_in_resolve_the_events_names() -> None:
    """An in-memory actor resolver and gazetteer stand in for the shipped knowledge bases."""
    from sitrep.models import Actor, Place, Span
    from sitrep.resolvers import InMemoryActors, InMemoryPlaces

    fighters = Actor("Ridge Brigade", "Rebel group", "Syria")
    actors = InMemoryActors({"Ridge Brigade": fighters, "gunmen": Actor("Unidentified Armed Group (Syria)",
                                                                         "Political militia", "Syria")},
                            generics=frozenset({"gunmen"}))
    province = Place(Span(0, 4, "Homs"), "Homs", 34.7, 36.7, 1, "SY", "Syria", "Homs", None, "ADM1", 1_000_000)
    village = Place(Span(0, 6, "Qarnah"), "Qarnah", 34.8, 36.6, 2, "SY", "Syria", "Homs", None, "PPL", 900)
    gazetteer = InMemoryPlaces((province, village), {"SY": "SYR"})
    text = "Fighters of the Ridge Brigade shelled Qarnah village (Homs) on Monday, killing three civilians."
    analysis = Pipeline(actors=actors, gazetteer=gazetteer).analyse(
        Article(id="mem", text=text, published=date(2024, 1, 10)))
    (event,) = analysis.events
    assert event.actor1.name == "Ridge Brigade"
    assert event.location == "Qarnah" and event.geo_precision == 1 and event.iso3 == "SYR"
    assert event.place is not None and text[event.place.mention.start:event.place.mention.end] == "Qarnah"


def test_assembly_asks_no_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every name is resolved before events are assembled: a resolver asked during assembly fails."""
    from sitrep import pipeline as stages_run
    from sitrep.models import Actor, Place, Span
    from sitrep.resolvers import InMemoryActors, InMemoryPlaces

    assembling = []

    class Watched(InMemoryActors):
        def find(self, *args: Any, **kwargs: Any) -> Any:
            assert not assembling, "actors looked up while assembling events"
            return super().find(*args, **kwargs)

        def resolve(self, *args: Any, **kwargs: Any) -> Any:
            assert not assembling, "a speaker looked up while assembling events"
            return super().resolve(*args, **kwargs)

        def generic(self, *args: Any, **kwargs: Any) -> Any:
            assert not assembling, "an unnamed actor looked up while assembling events"
            return super().generic(*args, **kwargs)

    real = stages_run.extract_events

    def extract_events(resolved: Any) -> Any:
        assembling.append(True)
        try:
            return real(resolved)
        finally:
            assembling.clear()

    monkeypatch.setattr(stages_run, "extract_events", extract_events)
    fighters = Actor("Ridge Brigade", "Rebel group", "Syria")
    actors = Watched({"Ridge Brigade": fighters, "police": Actor("Police Forces of Syria", "State forces", "Syria")})
    province = Place(Span(0, 4, "Homs"), "Homs", 34.7, 36.7, 1, "SY", "Syria", "Homs", None, "ADM1", 1_000_000)
    village = Place(Span(0, 6, "Qarnah"), "Qarnah", 34.8, 36.6, 2, "SY", "Syria", "Homs", None, "PPL", 900)
    text = ("Fighters of the Ridge Brigade shelled Qarnah village (Homs) on Monday, killing three people, "
            "police said. The Ridge Brigade claimed responsibility for the attack.")
    analysis = Pipeline(actors=actors, gazetteer=InMemoryPlaces((province, village), {"SY": "SYR"})).analyse(
        Article(id="watched", text=text, published=date(2024, 1, 10)))
    (event,) = analysis.events
    assert event.actor1.name == "Ridge Brigade" and event.iso3 == "SYR" and event.fatalities.fatalities == 3
    assert [s.name for s in event.sources] == ["Police Forces of Syria"]


def test_stage_boundaries_are_frozen_with_a_docstring_per_field() -> None:
    import ast
    import dataclasses
    import inspect
    import textwrap

    from sitrep import stages

    assert sorted(stages.__all__) == ["ByDay", "Located", "Mentions", "Resolved", "SentenceActors", "by_day"]
    for cls in (stages.Mentions, stages.Resolved, stages.SentenceActors, stages.ByDay, stages.Located):
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body  # type: ignore[attr-defined]
        documented = {node.target.id for node, after in itertools.pairwise(body)
                      if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                      and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)}
        assert documented == {f.name for f in dataclasses.fields(cls)}, cls
