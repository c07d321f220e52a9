"""Hypothesis strategies for malformed and half-right requests to one route.

A request mixes good values (real ids the caller can see, field names the route reads) with junk
(wrong JSON types, huge strings, NUL bytes, nested lists, non-JSON bodies), so the fuzz reaches past
the first validation into the code that uses the values.
"""

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from tests.spec import openapi
from tests.spec.routes import ImplementedRoute

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_LITERAL = re.compile(r"\"([a-z][a-z0-9_]{1,40})\"")
_NOT_FIELDS = {"me", "true", "false", "ok", "id_", "utf"}

random_id = st.text(alphabet=ID_ALPHABET, min_size=26, max_size=26)
nasty_strings = st.sampled_from(
    [
        "me",
        "0",
        "-1",
        "null",
        "true",
        "\x00",
        "a\x00b",
        "..",
        "%",
        "x" * 27,
        "A" * 26,
        " ",
        "💥" * 30,
        "' OR 1=1 --",
        "<script>",
        "\u202e",
        "9" * 40,
        "1e400",
        "-9223372036854775809",
        "18446744073709551616",
    ]
)
junk_strings = st.one_of(
    nasty_strings,
    st.text(max_size=40),
    st.text(alphabet=ID_ALPHABET, min_size=25, max_size=27),
    st.integers(min_value=1000, max_value=70_000).map(lambda n: "y" * n),
)
json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([2**64, -(2**70), 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
    junk_strings,
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
deep_nesting = st.integers(min_value=50, max_value=3000).map(lambda n: "[" * n + "]" * n)


@dataclass
class Context:
    """Good values by name (path parameters, body fields, query parameters), from the fuzz world."""

    values: dict[str, list[Any]] = field(default_factory=dict)

    def good(self, name: str) -> list[Any]:
        if name in self.values:
            return self.values[name]
        if name.endswith("_ids"):
            single = self.values.get(name[:-1], self.values.get("user_id", []))
            return [single[:1], single]
        if name.endswith("_id") or name == "id":
            return self.values.get("any_id", [])
        return []


@dataclass(frozen=True)
class FuzzRequest:
    method: str
    path: str
    query: dict[str, str]
    content: bytes | None
    content_type: str

    def describe(self) -> str:
        body = (self.content or b"")[:300]
        return (
            f"{self.method} {self.path} query={self.query!r} content-type={self.content_type} body={body!r}"
        )


def route_field_names(route: ImplementedRoute) -> dict[str, str]:
    """Body field names with their spec type ("" when unknown) for this route."""
    names: dict[str, str] = {name: "" for name in _source_literals(route)}
    operation = openapi.find_operation(route.method, route.path) if openapi.spec_available() else None
    schema = openapi.request_schema(operation) if operation else None
    if schema:
        for name, prop in (schema.get("properties") or {}).items():
            names[name] = str(openapi.resolve(prop).get("type", ""))
    return names


def route_query_names(route: ImplementedRoute) -> list[str]:
    names = set(_source_literals(route)) | {"page", "per_page", "since", "before", "after"}
    operation = openapi.find_operation(route.method, route.path) if openapi.spec_available() else None
    if operation:
        names |= {str(p["name"]) for p in openapi.query_parameters(operation)}
    return sorted(names)


def _source_literals(route: ImplementedRoute) -> list[str]:
    try:
        source = inspect.getsource(route.endpoint)
    except (OSError, TypeError):
        return []
    return sorted({name for name in _LITERAL.findall(source) if name not in _NOT_FIELDS})


def _weighted(good: list[Any], junk: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if not good:
        return junk
    choice = st.sampled_from(good)
    return st.one_of(choice, choice, choice, junk)


def _typed_value(type_name: str) -> st.SearchStrategy[Any]:
    if type_name == "integer":
        return st.integers(min_value=-(2**40), max_value=2**40)
    if type_name == "boolean":
        return st.booleans()
    if type_name == "array":
        return st.lists(st.one_of(random_id, st.text(max_size=20)), max_size=5)
    if type_name == "object":
        return st.dictionaries(st.text(max_size=12), st.text(max_size=20), max_size=3)
    return st.text(max_size=60)


def field_value(name: str, type_name: str, ctx: Context) -> st.SearchStrategy[Any]:
    right = _typed_value(type_name)
    return _weighted(ctx.good(name), st.one_of(right, right, json_values))


def path_value(name: str, ctx: Context) -> st.SearchStrategy[str]:
    good = [str(v) for v in ctx.good(name) if isinstance(v, str) and v]
    junk = st.one_of(random_id, junk_strings.filter(lambda s: 0 < len(s) <= 3000))
    return _weighted(good, junk)


def query_value(name: str, ctx: Context) -> st.SearchStrategy[str]:
    good = [v if isinstance(v, str) else json.dumps(v) for v in ctx.good(name) if not isinstance(v, list)]
    numbers = st.sampled_from(["-1", "0", "1", "200", "1000000", str(2**63), "1.5", "abc", ""])
    junk = st.one_of(numbers, st.sampled_from(["true", "false", "yes"]), junk_strings.map(lambda s: s[:3000]))
    return _weighted(good, junk)


def _encode(value: Any) -> bytes:
    return json.dumps(value).encode()


def json_body(fields: dict[str, str], ctx: Context) -> st.SearchStrategy[bytes]:
    if not fields:
        return json_values.map(_encode)
    names = sorted(fields)
    objects = st.lists(st.sampled_from(names), unique=True, max_size=len(names)).flatmap(
        lambda chosen: st.fixed_dictionaries({n: field_value(n, fields[n], ctx) for n in chosen})
    )
    nested = objects.map(lambda obj: {"junk": obj, **{k: [v] for k, v in obj.items()}})
    return st.one_of(objects, objects, objects, nested, json_values).map(_encode)


def non_json_body() -> st.SearchStrategy[tuple[bytes, str]]:
    return st.one_of(
        st.binary(max_size=200).map(lambda b: (b, "application/json")),
        st.sampled_from([b"{", b'{"a":', b"[1,2", b"NaN", b'"\\ud800"', b"{}" * 3, b"\xff\xfe"]).map(
            lambda b: (b, "application/json")
        ),
        deep_nesting.map(lambda s: (s.encode(), "application/json")),
        st.text(max_size=100).map(lambda s: (s.encode(), "text/plain")),
        st.just((b"a=1&b=2", "application/x-www-form-urlencoded")),
    )


# The systematic pass: each path parameter, query parameter and body field in turn gets each of
# these, with everything else good.
NASTY_PATH_VALUES = ["\x00", "a\x00", "me", "x" * 27, "A" * 26, "💥", "' OR 1=1 --", "9" * 40, "z" * 3000]
NASTY_QUERY_VALUES = ["-1", "abc", "\x00", str(2**64), "x" * 3000]
WRONG_FIELD_VALUES: list[Any] = [None, -1, 2**64, 1.5, True, "", "\x00", "z" * 70_000, [], {}, [[{"a": []}]]]
NON_JSON_BODIES = [
    b"",
    b"{",
    b"[1,",
    b"null",
    b"NaN",
    b'"\\ud800"',
    b"\xff",
    ("[" * 5000 + "]" * 5000).encode(),
]


def _first_good(name: str, type_name: str, ctx: Context) -> Any:
    good = ctx.good(name)
    if good:
        return good[0]
    return {"integer": 0, "boolean": False, "array": [], "object": {}}.get(type_name, "value")


def systematic_requests(route: ImplementedRoute, ctx: Context) -> list[FuzzRequest]:
    method = "GET" if route.method == "WEBSOCKET" else route.method
    good_path = {name: str(_first_good(name, "string", ctx)) for name in route.param_names}
    fields = route_field_names(route) if method in BODY_METHODS else {}
    good_body = {name: _first_good(name, kind, ctx) for name, kind in fields.items()}
    baseline_body = _encode(good_body) if method in BODY_METHODS else None
    kind = "application/json" if baseline_body is not None else ""

    def make(path: dict[str, str], query: dict[str, str], body: bytes | None) -> FuzzRequest:
        return FuzzRequest(method, _fill(route.path, path), query, body, kind if body is not None else "")

    found = [make(good_path, {}, baseline_body)]
    for name in route.param_names:
        found += [make({**good_path, name: value}, {}, baseline_body) for value in NASTY_PATH_VALUES]
    for name in _source_literals(route):
        found += [make(good_path, {name: value}, baseline_body) for value in NASTY_QUERY_VALUES]
    for name in fields:
        found += [make(good_path, {}, _encode({**good_body, name: wrong})) for wrong in WRONG_FIELD_VALUES]
    if method in BODY_METHODS:
        found += [make(good_path, {}, body) for body in NON_JSON_BODIES]
        found += [make(good_path, {}, _encode(wrong)) for wrong in WRONG_FIELD_VALUES]
    return found


def requests_for(route: ImplementedRoute, ctx: Context) -> st.SearchStrategy[FuzzRequest]:
    method = "GET" if route.method == "WEBSOCKET" else route.method
    params = {name: path_value(name, ctx) for name in route.param_names}
    query_names = route_query_names(route)
    queries: st.SearchStrategy[dict[str, str]] = st.just({})
    if query_names:
        queries = st.lists(st.sampled_from(query_names), unique=True, max_size=4).flatmap(
            lambda chosen: st.fixed_dictionaries({n: query_value(n, ctx) for n in chosen})
        )
    if method in BODY_METHODS:
        json_bodies = json_body(route_field_names(route), ctx).map(lambda b: (b, "application/json"))
        bodies: st.SearchStrategy[tuple[bytes | None, str]] = st.one_of(
            json_bodies, json_bodies, json_bodies, non_json_body(), st.just((None, ""))
        )
    else:
        bodies = st.just((None, ""))
    return st.builds(
        lambda values, query, body: FuzzRequest(method, _fill(route.path, values), query, body[0], body[1]),
        st.fixed_dictionaries(params),
        queries,
        bodies,
    )


def _fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = re.sub(r"\{" + re.escape(name) + r"(:[^}]*)?\}", _literal(quote(value, safe="")), path)
    return path


def _literal(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text
