"""Terms of service, a user's answer to them, and audit entries, as Mattermost sends them."""

from typing import Any

import orjson

from villagepump.store import Row


def render_terms(terms: Row) -> dict[str, Any]:
    return {
        "id": terms["id"],
        "create_at": terms["create_at"],
        "user_id": terms["user_id"],
        "text": terms["text"],
    }


def render_user_terms(acceptance: Row) -> dict[str, Any]:
    return {
        "user_id": acceptance["user_id"],
        "terms_of_service_id": acceptance["terms_of_service_id"],
        "create_at": acceptance["create_at"],
    }


def render_audit(entry: Row) -> dict[str, Any]:
    """Mattermost's Audit. Its extra_info is a free string; ours is the entry's details as JSON,
    with the target (the user, session or version acted on) in it and beside it."""
    details = dict(entry["extra_info"] or {})
    if entry["target_id"]:
        details["target_id"] = entry["target_id"]
    return {
        "id": entry["id"],
        "create_at": entry["create_at"],
        "user_id": entry["user_id"],
        "action": entry["action"],
        "extra_info": orjson.dumps(details, option=orjson.OPT_SORT_KEYS).decode(),
        "ip_address": entry["ip_address"],
        "session_id": entry["session_id"],
        "target_id": entry["target_id"],
    }
