"""Shared-suite quality gate: the dev-suite scores may not fall below their pinned values.

Runs every suite pinned in ``tests/eval_pinned.json`` through the reference runner, once per test
session, on machines that have the shared evaluation data beside the repository (``../shared``), and
skips elsewhere (a fresh clone, CI); the owned gate, ``tests/test_gate.py``, runs everywhere. To change
a pinned figure, run
``python bench/evaluate.py --pin``; lowering one needs ``--allow-lower REASON`` and the reason in
the commit message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import SHARED

PINNED = json.loads((Path(__file__).parent / "eval_pinned.json").read_text())
NOISE = 0.01
"""Scores may move by this much between runs of an unchanged system (ties in the primary event)."""


@cache
def score(suite: str) -> dict[str, float]:
    """The reference scorer's figures for one dev suite; each suite runs at most once per session."""
    suite_file = SHARED / "data" / "eval" / f"{suite}.dev.jsonl"
    if not suite_file.exists() or not (SHARED / "eval" / "run.sh").exists():
        pytest.skip(f"shared-suite gate: {suite_file} is absent. This gate runs only where the shared "
                    "evaluation data sits beside the repository (../shared); tests/test_gate.py is the "
                    "gate that runs everywhere")
    sitrep = Path(sys.executable).parent / "sitrep"
    out = subprocess.run(["bash", str(SHARED / "eval" / "run.sh"), str(suite_file), "--json"],
                         env={**os.environ, "SITREP": str(sitrep)}, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[0])


@pytest.mark.parametrize("suite", sorted(PINNED))
def test_scores_hold(suite: str) -> None:
    result = score(suite)
    fallen = {m: (result.get(m), v) for m, v in PINNED[suite].items() if (result.get(m) or 0) < v - NOISE}
    assert not fallen, f"{suite}: scores fell below their pinned values (now, pinned): {fallen}"
