"""Channels: creating them and changing who is in them."""

from villagepump.actions.transaction import Transaction
from villagepump.events.types import Broadcast, Event, MembershipChange
from villagepump.ids import new_id, now_ms
from villagepump.store import Row
from villagepump.store import channels as channel_store


async def create_channel_in(
    tx: Transaction,
    *,
    team_id: str,
    creator_id: str,
    name: str,
    display_name: str,
    channel_type: str,
    header: str = "",
    purpose: str = "",
    add_creator: bool = True,
) -> Row:
    now = now_ms()
    channel_id = new_id()
    await channel_store.insert_channel(
        tx.conn,
        {
            "id": channel_id,
            "create_at": now,
            "update_at": now,
            "delete_at": 0,
            "team_id": team_id,
            "type": channel_type,
            "display_name": display_name,
            "name": name,
            "header": header,
            "purpose": purpose,
            "creator_id": creator_id,
            "props": {},
        },
    )
    channel = await channel_store.get_channel(tx.conn, channel_id)
    assert channel is not None
    if add_creator and creator_id:
        await add_member_in(tx, channel, creator_id, admin=True)
    if channel_type == "O":
        tx.publish(
            Event(
                "channel_created", {"channel_id": channel_id, "team_id": team_id}, Broadcast(team_id=team_id)
            )
        )
    return channel


async def add_member_in(tx: Transaction, channel: Row, user_id: str, *, admin: bool = False) -> Row:
    """Within a transaction: makes the user a member, reading everything already in the channel."""
    existing = await channel_store.get_member(tx.conn, channel["id"], user_id)
    if existing is not None:
        return existing
    now = now_ms()
    await channel_store.insert_member(
        tx.conn,
        {
            "channel_id": channel["id"],
            "user_id": user_id,
            "roles": "channel_user channel_admin" if admin else "channel_user",
            "scheme_admin": admin,
            "last_viewed_at": now,
            "msg_count": channel["total_msg_count"],
            "msg_count_root": channel["total_msg_count_root"],
            "mention_count": 0,
            "mention_count_root": 0,
            "urgent_mention_count": 0,
            "notify_props": {},
            "last_update_at": now,
        },
    )
    tx.publish(
        Event(
            "user_added",
            {"user_id": user_id, "team_id": channel["team_id"]},
            Broadcast(channel_id=channel["id"]),
            membership=(MembershipChange("channel", channel["id"], user_id, True),),
        )
    )
    member = await channel_store.get_member(tx.conn, channel["id"], user_id)
    assert member is not None
    return member
