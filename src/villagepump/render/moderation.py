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


def render_report(report: Row) -> dict[str, Any]:
    """A report as moderators read it (our own object: Mattermost has no report API). The
    snapshot is the copy taken when it was filed: the post, its channel, and its neighbours."""
    return {
        "id": report["id"],
        "create_at": report["create_at"],
        "update_at": report["update_at"],
        "reporter_id": report["reporter_id"],
        "post_id": report["post_id"],
        "channel_id": report["channel_id"],
        "reported_user_id": report["reported_user_id"],
        "reason": report["reason"],
        "comment": report["comment"],
        "status": report["status"],
        "closed_at": report["closed_at"],
        "closed_by": report["closed_by"],
        "note": report["note"],
        "snapshot": report["snapshot"],
    }
