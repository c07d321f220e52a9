"""A security key as its owner's settings list it: never the public key or the counter."""

from typing import Any

from villagepump.store import Row


def render_security_key(key: Row | dict[str, Any]) -> dict[str, Any]:
    return {
        "id": key["id"],
        "name": key["name"],
        "create_at": key["create_at"],
        "last_used_at": key["last_used_at"],
    }
