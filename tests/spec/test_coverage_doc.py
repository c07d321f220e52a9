"""docs/api-coverage.md describes the routes and events the server really has."""

from tests.spec import coverage
from tests.spec.openapi import require_spec


def test_api_coverage_doc_is_up_to_date() -> None:
    require_spec()
    current = coverage.DOC_PATH.read_text(encoding="utf-8") if coverage.DOC_PATH.exists() else ""
    assert current == coverage.render(), (
        "docs/api-coverage.md is stale: run .venv/bin/python -m tests.spec.coverage"
    )


def test_every_websocket_action_has_a_note() -> None:
    actions = set(coverage.websocket_actions())
    assert actions, f"no actions found in {coverage.WEBSOCKET_SOURCE}"
    assert actions == set(coverage.ACTION_NOTES), "update ACTION_NOTES in tests/spec/coverage.py"
