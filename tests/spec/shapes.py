"""Compares a JSON response with an OpenAPI schema: every property the schema lists must be present
with a compatible JSON type. Extra properties are fine (the 2023 spec lags the server)."""

from typing import Any

from tests.spec.openapi import resolve

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    for name, kinds in _TYPES.items():
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def compatible(value: Any, type_name: str) -> bool:
    if value is None:
        return True  # Mattermost itself sends null for absent optional values
    if isinstance(value, bool) and type_name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES.get(type_name, (object,)))


def _merged(schema: Any) -> dict[str, Any]:
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return {}
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}}
        for part in schema["allOf"]:
            part = _merged(part)
            merged["properties"].update(part.get("properties") or {})
        return merged
    return schema


def problems(value: Any, schema: Any, where: str = "$") -> list[str]:
    """Lines like "missing $.props" or "type $.create_at: spec integer, got string"."""
    schema = _merged(schema)
    type_name = schema.get("type") or ("object" if "properties" in schema else "")
    if type_name and not compatible(value, type_name):
        return [f"type {where}: spec {type_name}, got {json_type(value)}"]
    found: list[str] = []
    if isinstance(value, dict):
        for name, prop in (schema.get("properties") or {}).items():
            if name not in value:
                found.append(f"missing {where}.{name}")
            else:
                found += problems(value[name], prop, f"{where}.{name}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            for item in value.values():
                found += problems(item, extra, f"{where}[*]")
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            found += problems(item, schema["items"], f"{where}[]")
    return sorted(set(found))
