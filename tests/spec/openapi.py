"""The Mattermost OpenAPI v4 specification (June 2023), read from the shared reference folder.

The file is Mattermost's, so it is not copied into the repository: it is read from
VILLAGEPUMP_OPENAPI_SPEC, else from the shared reference folder beside the checkout, else from
the development machines' /work/shared. Where none of these exists the tests that need it skip
and say where they looked, except in CI (VILLAGEPUMP_TEST_REQUIRE_SERVICES=1), where they fail:
CI runs on the development machines, which have the file.
"""

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.server import REQUIRE_SERVICES

REPOSITORY = Path(__file__).resolve().parents[2]
_SPEC_IN_SHARED = Path("reference") / "mattermost-api-v4" / "mattermost-openapi-v4.yaml"
_CANDIDATES = [
    *([Path(os.environ["VILLAGEPUMP_OPENAPI_SPEC"])] if os.environ.get("VILLAGEPUMP_OPENAPI_SPEC") else []),
    REPOSITORY.parent / "shared" / _SPEC_IN_SHARED,
    Path("/work/shared") / _SPEC_IN_SHARED,
]
SPEC_PATH = next((path for path in _CANDIDATES if path.is_file()), _CANDIDATES[0])
API_PREFIX = "/api/v4"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def spec_available() -> bool:
    return SPEC_PATH.is_file()


def require_spec() -> dict[str, Any]:
    """The parsed spec, or a skip (locally) / failure (CI) saying where it was looked for."""
    if not spec_available():
        looked = ", ".join(str(path) for path in _CANDIDATES)
        message = f"the Mattermost OpenAPI spec is not at any of {looked} (set VILLAGEPUMP_OPENAPI_SPEC)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return load_spec()


@functools.cache
def load_spec() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_PATH.open(encoding="utf-8") as spec_file:
        spec: dict[str, Any] = yaml.load(spec_file, Loader=loader)
    return spec


def path_shape(path: str) -> str:
    """A path with its parameter names erased, so /users/{user_id} matches /users/{id}."""
    return re.sub(r"\{[^}]*\}", "{}", path.removeprefix(API_PREFIX))


@dataclass(frozen=True)
class Operation:
    method: str
    spec_path: str
    body: dict[str, Any]

    @property
    def summary(self) -> str:
        return str(self.body.get("summary", "")).strip()

    @property
    def tag(self) -> str:
        tags = self.body.get("tags") or [""]
        return str(tags[0])


@functools.cache
def _operations_by_shape() -> dict[tuple[str, str], Operation]:
    found: dict[tuple[str, str], Operation] = {}
    for spec_path, item in load_spec()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                found[(method.upper(), path_shape(spec_path))] = Operation(
                    method.upper(), spec_path, item[method]
                )
    return found


def find_operation(method: str, route_path: str) -> Operation | None:
    """The spec's operation for one of our routes (a path under /api/v4), if the spec has it."""
    return _operations_by_shape().get((method.upper(), path_shape(route_path)))


def resolve(schema: Any, depth: int = 0) -> Any:
    """The schema with $ref followed at this level (nested schemas resolve when visited)."""
    while isinstance(schema, dict) and "$ref" in schema and depth < 20:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = load_spec()["components"]["schemas"][name]
        depth += 1
    return schema


def success_schema(operation: Operation) -> dict[str, Any] | None:
    """The JSON schema of the operation's first 2xx response, resolved at the top level."""
    for status, response in sorted(operation.body.get("responses", {}).items()):
        if not str(status).startswith("2"):
            continue
        response = _resolve_response(response)
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is not None:
            resolved: dict[str, Any] = resolve(schema)
            return resolved
    return None


def request_schema(operation: Operation) -> dict[str, Any] | None:
    content = operation.body.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    resolved: dict[str, Any] = resolve(schema)
    return resolved


def query_parameters(operation: Operation) -> list[dict[str, Any]]:
    return [p for p in operation.body.get("parameters", []) if p.get("in") == "query"]


def _resolve_response(response: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        resolved: dict[str, Any] = load_spec()["components"]["responses"][name]
        return resolved
    return response
