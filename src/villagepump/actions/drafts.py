"""Synced drafts: a message being written follows its author to their other devices."""

from dataclasses import dataclass, field
from typing import Any

from villagepump import errors, permissions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import now_ms
from villagepump.render.drafts import render_draft
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import drafts as draft_store


@dataclass
class DraftText:
    """A draft as a client sends it, types already checked."""

    channel_id: str
    root_id: str = ""
    message: str = ""
    props: dict[str, Any] = field(default_factory=dict)
    file_ids: list[str] = field(default_factory=list)


def _draft_event(name: str, draft: Row, connection_id: str) -> Event:
    # Only the author's sockets hear of a draft; the device that wrote it already knows.
    broadcast = Broadcast(user_id=draft["user_id"], omit_connection_id=connection_id)
    return Event(name, {"draft": json_field(render_draft(draft))}, broadcast)


async def upsert_draft(rt: Runtime, actor: Caller, text: DraftText, connection_id: str = "") -> Row | None:
    """Saves the actor's draft in a channel they may post in. An empty message deletes the draft
    instead, as Mattermost does; then there is nothing to return."""
    async with transaction(rt) as tx:
        channel = await permissions.require_post_create(tx.conn, actor, text.channel_id, lock=True)
        if channel["delete_at"]:
            raise errors.bad_request(
                "api.draft.create_draft.can_not_draft_to_deleted.error",
                "Cannot draft in an archived channel.",
            )
        if not text.message:
            await delete_draft_in(tx, actor.user_id, text.channel_id, text.root_id, connection_id)
            return None
        existing = await draft_store.get_draft(tx.conn, actor.user_id, text.channel_id, text.root_id)
        now = now_ms()
        draft = await draft_store.upsert_draft(
            tx.conn,
            {
                "user_id": actor.user_id,
                "channel_id": text.channel_id,
                "root_id": text.root_id,
                "message": text.message,
                "props": text.props,
                "file_ids": text.file_ids,
                "create_at": now,
                "update_at": now,
            },
        )
        name = "draft_created" if existing is None else "draft_updated"
        tx.publish(_draft_event(name, draft, connection_id))
    return draft


async def delete_draft(
    rt: Runtime, actor: Caller, channel_id: str, root_id: str, connection_id: str = ""
) -> None:
    """Deletes the actor's draft in a channel they can read. One that is not there deletes without
    complaint, as in Mattermost (another device got there first)."""
    async with transaction(rt) as tx:
        await permissions.require_channel_read(tx.conn, actor, channel_id)
        await delete_draft_in(tx, actor.user_id, channel_id, root_id, connection_id)


async def delete_draft_in(
    tx: Transaction, user_id: str, channel_id: str, root_id: str, connection_id: str = ""
) -> None:
    """Within a transaction: the draft goes, and the author's other devices hear of it. Posting
    the message calls this, so a sent draft disappears everywhere."""
    draft = await draft_store.delete_draft(tx.conn, user_id, channel_id, root_id)
    if draft is not None:
        tx.publish(_draft_event("draft_deleted", draft, connection_id))
