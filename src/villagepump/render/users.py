"""Users as Mattermost sends them. Others' e-mail addresses and settings stay private."""

from typing import Any

from villagepump.store import Row

DEFAULT_TIMEZONE = {"automaticTimezone": "", "manualTimezone": "", "useAutomaticTimezone": "true"}
DEFAULT_NOTIFY_PROPS = {
    "channel": "true",
    "comments": "never",
    "desktop": "mention",
    "desktop_sound": "true",
    "desktop_threads": "all",
    "email": "true",
    "email_threads": "all",
    "first_name": "false",
    "mention_keys": "",
    "push": "mention",
    "push_status": "away",
    "push_threads": "all",
}


def render_user(user: Row, *, full: bool) -> dict[str, Any]:
    """`full` for the user themselves and system admins: e-mail, notification settings."""
    timezone = {**DEFAULT_TIMEZONE, **(user["timezone"] or {})}
    rendered: dict[str, Any] = {
        "id": user["id"],
        "create_at": user["create_at"],
        "update_at": user["update_at"],
        "delete_at": user["delete_at"],
        "username": user["username"],
        # The key at the sign-in service only to the user and admins, as Mattermost sanitises it.
        "auth_data": (user.get("auth_data") or "") if full else "",
        "auth_service": user["auth_service"],
        # The mobile app treats a user without the "email" key as missing, so it is always here.
        "email": user["email"] if full else "",
        "nickname": user["nickname"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "position": user["position"],
        "roles": user["roles"],
        "props": user["props"] or {},
        "last_picture_update": user["last_picture_update"],
        "locale": user["locale"],
        "timezone": timezone,
        "is_bot": user["is_bot"],
        "disable_welcome_email": False,
    }
    if full:
        rendered["email_verified"] = user["email_verified"]
        rendered["notify_props"] = {**DEFAULT_NOTIFY_PROPS, **(user["notify_props"] or {})}
        rendered["last_password_update"] = user["last_password_update"]
        rendered["mfa_active"] = user["mfa_active"]
    return rendered
