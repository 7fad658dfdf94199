"""Quality gate: the dev-suite scores may not fall below their pinned values.

Runs every suite pinned in ``tests/eval_pinned.json`` through the reference runner when the shared
evaluation data sits beside the repository, and skips otherwise. To change a pinned figure, run
``python bench/evaluate.py --pin``; lowering one needs ``--allow-lower REASON`` and the reason in
the commit message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

PINNED = json.loads((Path(__file__).parent / "eval_pinned.json").read_text())
NOISE = 0.01
"""Scores may move by this much between runs of an unchanged system (ties in the primary event)."""


def score(suite: str) -> dict[str, float]:
    suite_file = SHARED / "data" / "eval" / f"{suite}.dev.jsonl"
    if not suite_file.exists():
        pytest.skip(f"evaluation data not present: {suite_file.name}")
    sitrep = Path(sys.executable).parent / "sitrep"
    out = subprocess.run(["bash", str(SHARED / "eval" / "run.sh"), str(suite_file), "--json"],
                         env={**os.environ, "SITREP": str(sitrep)}, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[0])


@pytest.mark.parametrize("suite", sorted(PINNED))
def test_scores_hold(suite: str) -> None:
    result = score(suite)
    fallen = {m: (result.get(m), v) for m, v in PINNED[suite].items() if (result.get(m) or 0) < v - NOISE}
    assert not fallen, f"{suite}: scores fell below their pinned values (now, pinned): {fallen}"
