"""The HTTP API against its own OpenAPI document: requests generated from it (valid and invalid
parameters, bodies and ids), with a reviewer's token (an admin's for the tokens' routes), find no
server error."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from sitrep.serve import create_app
from tests.test_serve import make_store

EXAMPLES = 25
"""Requests generated per operation."""

TOKENS: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("schema")
    db, tokens = make_store(str(folder / "s.db"), folder)
    TOKENS.update(tokens)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


def operations(schema: Any) -> list[Any]:
    """The API's operations (the situation report's page, drawn for any period asked, is left to its own
    tests: a period of centuries takes minutes to draw)."""
    return [op for op in (result.ok() for result in schema.get_all_operations()) if op.path != "/report"]


def probe(operation: Any, headers: dict[str, str]) -> None:
    """``EXAMPLES`` requests generated for ``operation``, none answered with a server error."""

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def answer(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    answer()


def test_no_request_makes_a_server_error(api_schema: Any) -> None:
    for operation in operations(api_schema):
        role = "admin" if operation.path.startswith("/tokens") else "reviewer"
        probe(operation, {"Authorization": f"Bearer {TOKENS[role]}"})


def test_the_document_names_every_route(api_schema: Any) -> None:
    paths = {operation.path for operation in operations(api_schema)}
    assert {"/events", "/events/{event_id}", "/events/{event_id}/review", "/events/merge", "/events/{event_id}/split",
            "/events/{event_id}/audit", "/articles/{article_id}", "/stats", "/tokens", "/tokens/{token_id}/revoke"} \
        <= paths
