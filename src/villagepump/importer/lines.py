"""The lines of Mattermost's bulk format and their rules, one checker per line type.

Each line is `{"type": "<t>", "<t>": {...}}`. The rules follow Mattermost's validators
(server/channels/app/imports/import_validators.go) where our model has the same limit, and our
own where ours is narrower (usernames, channel and team names). A checker raises LineError naming
the field, so the command can say "line 12, post.create_at: ...".
"""

import re
from typing import Any

from villagepump.importer.source import attachment_path

LINE_TYPES = frozenset(
    {
        "version",
        "scheme",
        "role",
        "team",
        "channel",
        "user",
        "bot",
        "post",
        "direct_channel",
        "direct_post",
        "emoji",
    }
)
# Mattermost's schemes and custom roles change permissions, which here are fixed (roles.py).
SKIPPED_TYPES = frozenset({"scheme", "role"})

_TEAM_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,62}[a-z0-9]$")
_CHANNEL_NAME = re.compile(r"^[a-z0-9_\-]{1,64}$")
_USERNAME = re.compile(r"^[a-z][a-z0-9.\-_]{2,21}$")
_EMOJI_NAME = re.compile(r"^[a-z0-9_+\-]{1,64}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")
_SYSTEM_ROLES = {"system_user", "system_admin", "system_moderator", "system_guest"}
_TEAM_ROLES = {"team_user", "team_admin", "team_guest"}
_CHANNEL_ROLES = {"channel_user", "channel_admin", "channel_guest"}
_AUTH_SERVICES = {"", "email", "gitlab", "ldap", "saml", "google", "office365", "openid", "mediawiki"}
MAX_MESSAGE = 16383
MAX_PROPS_CHARS = 800_000
GROUP_MIN, GROUP_MAX = 3, 8


class LineError(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"line {line}, {field}: {message}")
        self.line, self.field, self.message = line, field, message


class _Checker:
    """Reads fields of one object, raising LineError with the field's dotted name."""

    def __init__(self, line: int, prefix: str, data: object) -> None:
        if not isinstance(data, dict):
            raise LineError(line, prefix, "must be an object")
        self.line, self.prefix, self.data = line, prefix, data

    def fail(self, key: str, message: str) -> LineError:
        return LineError(self.line, f"{self.prefix}.{key}", message)

    def text(
        self, key: str, *, required: bool = False, max_len: int = 0, pattern: re.Pattern[str] | None = None
    ) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(key, "is required")
            return ""
        if not isinstance(value, str):
            raise self.fail(key, "must be a string")
        if max_len and len(value) > max_len:
            raise self.fail(key, f"must be at most {max_len} characters")
        if pattern is not None and not pattern.match(value):
            raise self.fail(key, f"{value!r} is not valid")
        return value

    def integer(self, key: str, *, required: bool = False) -> int:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, "must be a non-negative integer")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def objects(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return value

    def names(self, key: str) -> list[str]:
        values = self.objects(key)
        if not all(isinstance(v, str) and v for v in values):
            raise self.fail(key, "must be a list of names")
        return [v.lower() for v in values]

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "must be an object")
        return value

    def roles(self, key: str, allowed: set[str]) -> str:
        value = self.text(key, max_len=256)
        unknown = [r for r in value.split() if r not in allowed]
        if unknown:
            raise self.fail(key, f"unknown role {unknown[0]!r}")
        return value


def check_line(line: int, parsed: object) -> tuple[str, dict[str, Any]]:
    """(type, the object checked and normalised) for a parsed line."""
    if not isinstance(parsed, dict):
        raise LineError(line, "type", "a line must be a JSON object")
    kind = parsed.get("type")
    if not isinstance(kind, str) or kind not in LINE_TYPES:
        raise LineError(line, "type", f"unknown line type {kind!r}")
    if kind == "version":
        version = parsed.get("version")
        if version != 1 or isinstance(version, bool):
            raise LineError(line, "version", f"unsupported version {version!r} (only 1 is known)")
        return kind, {"version": 1}
    if kind in SKIPPED_TYPES:
        return kind, {}
    return kind, _CHECKERS[kind](_Checker(line, kind, parsed.get(kind)))


def _team(c: _Checker) -> dict[str, Any]:
    name = c.text("name", required=True).lower()
    if not _TEAM_NAME.match(name) or "--" in name:
        raise c.fail("name", f"{name!r} is not a valid team name")
    team_type = c.text("type", required=True)
    if team_type not in ("O", "I"):
        raise c.fail("type", 'must be "O" or "I"')
    display_name = c.text("display_name", required=True, max_len=64).strip()
    if not display_name:
        raise c.fail("display_name", "is required")
    return {
        "name": name,
        "display_name": display_name,
        "type": team_type,
        "description": c.text("description", max_len=255),
        "allow_open_invite": c.flag("allow_open_invite") or team_type == "O",
    }


def _channel(c: _Checker) -> dict[str, Any]:
    name = c.text("name", required=True).lower()
    if not _CHANNEL_NAME.match(name):
        raise c.fail("name", f"{name!r} is not a valid channel name")
    channel_type = c.text("type", required=True)
    if channel_type not in ("O", "P"):
        raise c.fail("type", 'must be "O" or "P"')
    return {
        "team": c.text("team", required=True).lower(),
        "name": name,
        # Mattermost: an empty display name becomes the name.
        "display_name": c.text("display_name", max_len=64) or name,
        "type": channel_type,
        "header": c.text("header", max_len=1024),
        "purpose": c.text("purpose", max_len=250),
        "deleted_at": c.integer("deleted_at"),
    }


def username_of(c: _Checker, key: str, *, required: bool = True) -> str:
    name = c.text(key, required=required).lower()
    if name and not _USERNAME.match(name):
        raise c.fail(key, f"{name!r} is not a valid username")
    return name


def _user(c: _Checker) -> dict[str, Any]:
    username = username_of(c, "username")
    email = c.text("email", required=True, max_len=128, pattern=_EMAIL).lower()
    auth_service = c.text("auth_service")
    auth_data = c.text("auth_data", max_len=128)
    if auth_service not in _AUTH_SERVICES:
        raise c.fail("auth_service", f"unknown sign-in service {auth_service!r}")
    if bool(auth_data) != bool(auth_service not in ("", "email")):
        raise c.fail("auth_data", "auth_service and auth_data go together")
    c.text("password", max_len=72)
    roles = c.roles("roles", _SYSTEM_ROLES) or "system_user"
    teams = [_user_team(_Checker(c.line, f"user.teams[{i}]", t)) for i, t in enumerate(c.objects("teams"))]
    return {
        "username": username,
        "email": email,
        "auth_service": "" if auth_service == "email" else auth_service,
        "auth_data": auth_data or None,
        "nickname": c.text("nickname", max_len=64),
        "first_name": c.text("first_name", max_len=64),
        "last_name": c.text("last_name", max_len=64),
        "position": c.text("position", max_len=128),
        "roles": roles,
        "locale": c.text("locale", max_len=8) or "en",
        "delete_at": c.integer("delete_at"),
        "notify_props": _notify_props(c, "notify_props"),
        "preferences": _preferences(c),
        "teams": teams,
    }


def _user_team(c: _Checker) -> dict[str, Any]:
    channels = [
        _user_channel(_Checker(c.line, f"{c.prefix}.channels[{i}]", ch))
        for i, ch in enumerate(c.objects("channels"))
    ]
    return {
        "name": c.text("name", required=True).lower(),
        "roles": c.roles("roles", _TEAM_ROLES),
        "channels": channels,
    }


def _user_channel(c: _Checker) -> dict[str, Any]:
    return {
        "name": c.text("name", required=True).lower(),
        "roles": c.roles("roles", _CHANNEL_ROLES),
        "favorite": c.flag("favorite"),
        "notify_props": _notify_props(c, "notify_props"),
    }


def _notify_props(c: _Checker, key: str) -> dict[str, str]:
    props = c.mapping(key)
    if not all(isinstance(v, str | bool) for v in props.values()):
        raise c.fail(key, "values must be strings")
    return {str(k): str(v).lower() if isinstance(v, bool) else v for k, v in props.items()}


# The user line's flat preference fields and the (category, name) each is stored under
# (Mattermost's exportablePreferences in app/export.go).
PREFERENCE_FIELDS = {
    "theme": ("theme", ""),
    "military_time": ("display_settings", "use_military_time"),
    "collapse_previews": ("display_settings", "collapse_previews"),
    "message_display": ("display_settings", "message_display"),
    "colorize_usernames": ("display_settings", "colorize_usernames"),
    "channel_display_mode": ("display_settings", "channel_display_mode"),
    "name_format": ("display_settings", "name_format"),
    "link_previews": ("display_settings", "link_previews"),
    "collapse_consecutive_messages": ("display_settings", "collapse_consecutive_messages"),
    "send_on_ctrl_enter": ("advanced_settings", "send_on_ctrl_enter"),
    "code_block_ctrl_enter": ("advanced_settings", "code_block_ctrl_enter"),
    "formatting": ("advanced_settings", "formatting"),
    "show_join_leave": ("advanced_settings", "join_leave"),
    "sync_drafts": ("advanced_settings", "sync_drafts"),
    "email_interval": ("notifications", "email_interval"),
    "tutorial_step": ("tutorial_step", ""),
}


def _preferences(c: _Checker) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in PREFERENCE_FIELDS:
        value = c.data.get(key)
        if value is None:
            continue
        if not isinstance(value, str | bool | int):
            raise c.fail(key, "must be a string")
        found[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return found


def _bot(c: _Checker) -> dict[str, Any]:
    return {
        "username": username_of(c, "username"),
        "owner": username_of(c, "owner"),
        "display_name": c.text("display_name", max_len=64),
        "description": c.text("description", max_len=1024),
        "delete_at": c.integer("delete_at"),
    }


def _post_body(c: _Checker, *, reply: bool = False) -> dict[str, Any]:
    create_at = c.integer("create_at", required=True)
    if not create_at:
        raise c.fail("create_at", "must not be zero")
    message = c.text("message", max_len=MAX_MESSAGE)
    props = c.mapping("props")
    if len(repr(props)) > MAX_PROPS_CHARS:
        raise c.fail("props", "too large")
    reactions = []
    for i, r in enumerate(c.objects("reactions")):
        rc = _Checker(c.line, f"{c.prefix}.reactions[{i}]", r)
        at = rc.integer("create_at", required=True)
        if at < create_at:
            raise rc.fail("create_at", "is before its post's create_at")
        emoji = rc.text("emoji_name", required=True, max_len=64).lower()
        reactions.append({"user": username_of(rc, "user"), "emoji_name": emoji, "create_at": at})
    attachments = []
    for i, a in enumerate(c.objects("attachments")):
        ac = _Checker(c.line, f"{c.prefix}.attachments[{i}]", a)
        place = attachment_path(ac.text("path", required=True, max_len=512))
        if place is None:
            raise ac.fail("path", "must name a file inside data/")
        attachments.append(place)
    body: dict[str, Any] = {
        "user": username_of(c, "user"),
        "type": c.text("type", max_len=64),
        "message": message,
        "props": props,
        "create_at": create_at,
        "edit_at": c.integer("edit_at"),
        "is_pinned": c.flag("is_pinned"),
        "flagged_by": c.names("flagged_by"),
        "reactions": reactions,
        "attachments": attachments,
    }
    if not reply:
        body["replies"] = [
            _post_body(_Checker(c.line, f"{c.prefix}.replies[{i}]", r), reply=True)
            for i, r in enumerate(c.objects("replies"))
        ]
    return body


def _post(c: _Checker) -> dict[str, Any]:
    return {
        "team": c.text("team", required=True).lower(),
        "channel": c.text("channel", required=True).lower(),
        **_post_body(c),
    }


def _members(c: _Checker) -> list[str]:
    members = c.names("members")
    if not members:
        participants = c.objects("participants")
        members = [
            username_of(_Checker(c.line, f"{c.prefix}.participants[{i}]", p), "username")
            for i, p in enumerate(participants)
        ]
    key = "members" if "members" in c.data else "participants"
    if len(set(members)) != len(members) or not (len(members) == 2 or GROUP_MIN <= len(members) <= GROUP_MAX):
        raise c.fail(key, f"must name 2, or {GROUP_MIN} to {GROUP_MAX}, different users")
    return members


def _direct_channel(c: _Checker) -> dict[str, Any]:
    members = _members(c)
    favorited_by = c.names("favorited_by")
    if not set(favorited_by) <= set(members):
        raise c.fail("favorited_by", "must name members of the conversation")
    return {"members": members, "favorited_by": favorited_by, "header": c.text("header", max_len=1024)}


def _direct_post(c: _Checker) -> dict[str, Any]:
    members = c.names("channel_members")
    if len(set(members)) != len(members) or not (len(members) == 2 or GROUP_MIN <= len(members) <= GROUP_MAX):
        raise c.fail("channel_members", f"must name 2, or {GROUP_MIN} to {GROUP_MAX}, different users")
    body = _post_body(c)
    if not set(body["flagged_by"]) <= set(members):
        raise c.fail("flagged_by", "must name members of the conversation")
    return {"channel_members": members, **body}


def _emoji(c: _Checker) -> dict[str, Any]:
    name = c.text("name", required=True, pattern=_EMOJI_NAME)
    place = attachment_path(c.text("image", required=True, max_len=512))
    if place is None:
        raise c.fail("image", "must name a file inside data/")
    return {"name": name, "image": place}


_CHECKERS = {
    "team": _team,
    "channel": _channel,
    "user": _user,
    "bot": _bot,
    "post": _post,
    "direct_channel": _direct_channel,
    "direct_post": _direct_post,
    "emoji": _emoji,
}
