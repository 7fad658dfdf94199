"""Shared-suite quality gate: the dev-suite scores may not fall below their pinned values.

Runs every suite pinned in ``tests/eval_pinned.json`` through the reference runner on machines that
have the shared evaluation data beside the repository (``../shared``), and skips elsewhere (a fresh
clone, CI); the owned gate, ``tests/test_gate.py``, runs everywhere. Each selected suite runs once per
test session, ``PARALLEL`` suites at a time. To change a pinned figure, run
``python bench/evaluate.py --pin``; lowering one needs ``--allow-lower REASON`` and the reason in
the commit message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SHARED

PINNED = json.loads((Path(__file__).parent / "eval_pinned.json").read_text())
NOISE = 0.01
"""Scores may move by this much between runs of an unchanged system (ties in the primary event)."""
PARALLEL = os.cpu_count() or 1
"""Suites run at once: each is one single-threaded `sitrep` process."""
RUNNER = SHARED / "eval" / "run.sh"


def suite_file(suite: str) -> Path:
    return SHARED / "data" / "eval" / f"{suite}.dev.jsonl"


def score(suite: str) -> dict[str, float]:
    """The reference scorer's figures for one dev suite (the first line the runner prints)."""
    sitrep = Path(sys.executable).parent / "sitrep"
    out = subprocess.run(["bash", str(RUNNER), str(suite_file(suite)), "--json"],
                         env={**os.environ, "SITREP": str(sitrep)}, capture_output=True, text=True)
    assert out.returncode == 0, f"{suite}: the reference runner failed:\n{out.stderr[-2000:]}"
    result: dict[str, float] = json.loads(out.stdout.splitlines()[0])
    return result


@pytest.fixture(scope="session")
def scores(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[dict[str, float]]]]:
    """The selected suites, started together (``PARALLEL`` at a time) the first time a test asks."""
    ids = {item.nodeid.rpartition("::")[2] for item in request.session.items}
    selected = [s for s in sorted(PINNED) if f"test_scores_hold[{s}]" in ids and suite_file(s).exists()]
    pool = ThreadPoolExecutor(max_workers=PARALLEL)
    yield {suite: pool.submit(score, suite) for suite in selected} if RUNNER.exists() else {}
    pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("suite", sorted(PINNED))
def test_scores_hold(suite: str, scores: dict[str, Future[dict[str, float]]]) -> None:
    if suite not in scores:
        pytest.skip(f"shared-suite gate: {suite_file(suite)} is absent. This gate runs only where the shared "
                    "evaluation data sits beside the repository (../shared); tests/test_gate.py is the gate that "
                    "runs everywhere")
    result = scores[suite].result()
    fallen = {m: (result.get(m), v) for m, v in PINNED[suite].items() if (result.get(m) or 0) < v - NOISE}
    assert not fallen, f"{suite}: scores fell below their pinned values (now, pinned): {fallen}"
