"""Custom statuses (an emoji and a short text), kept where Mattermost keeps them: the current one
as a JSON string in the user's props["customStatus"], the last five in a preference."""

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from villagepump import errors
from villagepump.actions.transaction import Transaction, transaction
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import now_ms
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import preferences as preference_store
from villagepump.store import users as user_store

PROPS_KEY = "customStatus"
RECENT_CATEGORY = "custom_status"
RECENT_NAME = "recent_custom_statuses"
MAX_RECENT = 5
MAX_TEXT = 100
# Go's zero time, which Mattermost's clients read as "never expires".
NEVER = "0001-01-01T00:00:00Z"
DURATIONS = ("thirty_minutes", "one_hour", "four_hours", "today", "this_week", "date_and_time")


@dataclass(frozen=True)
class CustomStatus:
    emoji: str
    text: str
    duration: str = ""
    expires_at: str = NEVER

    def expires_ms(self) -> int:
        """0 for never."""
        moment = parse_time(self.expires_at)
        return 0 if moment is None or moment.year <= 1 else int(moment.timestamp() * 1000)


def parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def check_custom_status(status: CustomStatus, now: int) -> CustomStatus:
    """Mattermost's rules: an emoji or a text; a known duration with an expiry not yet past, or
    no duration and no expiry. The text is cut to 100 characters."""
    if parse_time(status.expires_at) is None or (not status.emoji and not status.text):
        raise errors.invalid_param("custom_status")
    expires = status.expires_ms()
    if expires and expires < now:
        raise errors.invalid_param("custom_status")
    if status.duration and status.duration not in DURATIONS:
        raise errors.invalid_param("custom_status")
    duration = status.duration or ("date_and_time" if expires else "")
    return CustomStatus(status.emoji, status.text[:MAX_TEXT], duration, status.expires_at)


async def _write_props(tx: Transaction, user_id: str, value: str) -> None:
    await user_store.lock_user(tx.conn, user_id)
    user = await user_store.get_user(tx.conn, user_id)
    if user is None:
        raise errors.not_found("user", "app.user.missing_account.const")
    props = {**(user["props"] or {}), PROPS_KEY: value}
    await user_store.update_user(tx.conn, user_id, {"props": props, "update_at": now_ms()})
    updated = await user_store.get_user(tx.conn, user_id)
    assert updated is not None
    tx.publish(Event("user_updated", {"user": render_user(updated, full=False)}))


async def _recent(tx: Transaction, user_id: str) -> list[dict[str, Any]]:
    rows = await preference_store.get_preferences(tx.conn, user_id, RECENT_CATEGORY, RECENT_NAME)
    try:
        recent = orjson.loads(rows[0]["value"]) if rows else []
    except orjson.JSONDecodeError:
        return []
    return [item for item in recent if isinstance(item, dict)] if isinstance(recent, list) else []


async def _save_recent(tx: Transaction, user_id: str, recent: list[dict[str, Any]]) -> None:
    item = {"user_id": user_id, "category": RECENT_CATEGORY, "name": RECENT_NAME, "value": json_field(recent)}
    await preference_store.save_preferences(tx.conn, [item])
    tx.publish(Event("preferences_changed", {"preferences": json_field([item])}, Broadcast(user_id=user_id)))


async def set_custom_status(rt: Runtime, user_id: str, status: CustomStatus) -> None:
    """Sets the status and puts it first among the recent ones (replacing one with the same text)."""
    async with transaction(rt) as tx:
        status = check_custom_status(status, now_ms())
        await _write_props(tx, user_id, json_field(asdict(status)))
        recent = [item for item in await _recent(tx, user_id) if item.get("text") != status.text]
        await _save_recent(tx, user_id, [asdict(status), *recent][:MAX_RECENT])


async def clear_custom_status(rt: Runtime, user_id: str) -> None:
    async with transaction(rt) as tx:
        await _write_props(tx, user_id, "")


async def remove_recent_custom_status(rt: Runtime, user_id: str, status: CustomStatus) -> None:
    async with transaction(rt) as tx:
        recent = await _recent(tx, user_id)
        kept = [
            item
            for item in recent
            if (item.get("emoji"), item.get("text"), item.get("duration"))
            != (status.emoji, status.text, status.duration)
        ]
        if len(kept) != len(recent):
            await _save_recent(tx, user_id, kept)
