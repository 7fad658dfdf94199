"""Shared fixtures: the articles we wrote in tests/data, the shared evaluation data when present."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
EMBLEM = SHARED / "data" / "corpus" / "aleppo_2024-11-30.txt"


@pytest.fixture(scope="session")
def emblem_text() -> str:
    if not EMBLEM.exists():
        pytest.skip("the shared corpus is not present beside the project")
    return EMBLEM.read_text(encoding="utf-8")


def article_text(name: str) -> str:
    return (DATA / "articles" / name).read_text(encoding="utf-8")
