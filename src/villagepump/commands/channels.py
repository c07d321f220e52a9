"""Commands about channels: /join, /leave, /header, /purpose, /rename, /invite, /kick, /mute.

Each calls the checked channel action, which decides inside its transaction whether the caller
may (actions/channels.py); a refusal becomes Mattermost's ephemeral answer for it.
"""

from villagepump import errors, permissions
from villagepump.actions import channels as channel_actions
from villagepump.commands.base import BuiltIn, Invocation, Reply, ephemeral, go_to
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

FORBIDDEN = errors.forbidden().error_id
NOT_A_MEMBER = "app.channel.get_member.missing.app_error"

MAX_HEADER, MAX_PURPOSE, MAX_DISPLAY_NAME = 1024, 250, 64
CHANNEL_HANDLE_HELP = (
    "Please use the [channel handle](https://docs.mattermost.com/messaging/managing-channels.html"
    "#naming-a-channel) to identify channels."
)


def _handle(word: str, prefix: str) -> str:
    return word.removeprefix(prefix).strip().lower()


async def _channel_named(inv: Invocation, name: str) -> Row | None:
    team_id = inv.team["id"] if inv.team is not None else inv.channel["team_id"]
    if not team_id or not name:
        return None
    async with inv.rt.db.read() as conn:
        return await channel_store.get_channel_by_name(conn, team_id, name)


async def _user_named(inv: Invocation, username: str) -> Row | None:
    """An active user, by username (with or without the @)."""
    async with inv.rt.db.read() as conn:
        found = await user_store.get_users_by_usernames(conn, [_handle(username, "@")])
    return found[0] if found and not found[0]["delete_at"] else None


async def join(inv: Invocation) -> Reply:
    channel = await _channel_named(inv, _handle(inv.message, "~"))
    if channel is None or channel["type"] not in ("O", "P"):
        return ephemeral("Unable to find the channel.")
    try:
        await channel_actions.add_member(inv.rt, inv.caller, channel["id"], inv.caller.user_id)
        async with inv.rt.db.read() as conn:
            team = await permissions.require_team(conn, channel["team_id"])
    except errors.APIError:
        return ephemeral("An error occurred while joining the channel.")
    return go_to(inv.channel_url(channel["name"], team))


async def leave(inv: Invocation) -> Reply:
    channel = inv.channel
    if channel["name"] == channel_actions.DEFAULT_CHANNEL:
        return ephemeral(f"Unable to leave the default channel {channel_actions.DEFAULT_CHANNEL}.")
    try:
        await channel_actions.remove_member(inv.rt, inv.caller, channel["id"], inv.caller.user_id)
    except errors.APIError:
        return ephemeral("An error occurred while leaving the channel.")
    if inv.team is None:
        return go_to(f"{inv.site_url}/")
    async with inv.rt.db.read() as conn:
        still_in_team = await team_store.get_active_member(conn, inv.team["id"], inv.caller.user_id)
    if still_in_team is None:
        return go_to(f"{inv.site_url}/")
    return go_to(inv.channel_url(channel_actions.DEFAULT_CHANNEL))


async def _change(inv: Invocation, what: str, value: str, refused: str, failure: str) -> Reply:
    try:
        await channel_actions.update_channel(inv.rt, inv.caller, inv.channel["id"], {what: value})
    except errors.APIError as error:
        return ephemeral(refused if error.error_id == FORBIDDEN else failure)
    return Reply()


async def header(inv: Invocation) -> Reply:
    if not inv.message:
        return ephemeral("Text must be provided with the /header command.")
    if len(inv.message) > MAX_HEADER:
        return ephemeral(
            "The text entered exceeds the character limit. "
            f"The channel header is limited to {MAX_HEADER} characters."
        )
    return await _change(
        inv,
        "header",
        inv.message,
        "You don't have the appropriate permissions to edit the channel header.",
        "Error updating the channel header.",
    )


async def purpose(inv: Invocation) -> Reply:
    if inv.channel["type"] not in ("O", "P"):
        return ephemeral(
            "Unable to set purpose for direct message channels. Use /header to set the header instead."
        )
    if not inv.message:
        return ephemeral("A message must be provided with the /purpose command.")
    if len(inv.message) > MAX_PURPOSE:
        return ephemeral(
            "The text entered exceeds the character limit. "
            f"The channel purpose is limited to {MAX_PURPOSE} characters."
        )
    return await _change(
        inv,
        "purpose",
        inv.message,
        "You don't have the appropriate permissions to edit the channel purpose.",
        "Error updating the channel purpose.",
    )


async def rename(inv: Invocation) -> Reply:
    if inv.channel["type"] not in ("O", "P"):
        return ephemeral("Unable to rename direct message channels.")
    if not inv.message:
        return ephemeral("A message must be provided with the /rename command.")
    if len(inv.message) > MAX_DISPLAY_NAME:
        return ephemeral(f"Channel name must be {MAX_DISPLAY_NAME} or fewer characters.")
    return await _change(
        inv,
        "display_name",
        inv.message,
        "You don't have the appropriate permissions to rename the channel.",
        "Error to update the current channel.",
    )


async def remove(inv: Invocation) -> Reply:
    """/kick and /remove: take a member out of the current channel."""
    if inv.channel["type"] not in ("O", "P"):
        return ephemeral("You can't remove someone from a direct message channel.")
    words = inv.message.split()
    if not words:
        return ephemeral("A message must be provided with the /remove or /kick command.")
    user = await _user_named(inv, words[0])
    if user is None:
        return ephemeral(
            "We couldn't find the user. They may have been deactivated by the System Administrator."
        )
    try:
        await channel_actions.remove_member(inv.rt, inv.caller, inv.channel["id"], user["id"])
    except errors.APIError as refused:
        if refused.error_id == FORBIDDEN:
            return ephemeral("You don't have the appropriate permissions to remove the member.")
        if refused.error_id == NOT_A_MEMBER:
            return ephemeral(f"{user['username']} is not a member of this channel.")
        return ephemeral(refused.message)
    return Reply()


async def mute(inv: Invocation) -> Reply:
    """Toggles the channel's (or ~channel's) mark_unread between "all" and "mention"."""
    channel: Row | None = inv.channel
    words = inv.message.split()
    name = _handle(words[0], "~") if words else ""
    if name:
        channel = await _channel_named(inv, name)
        if channel is None or not await _readable(inv, channel):
            return ephemeral(f"Could not find the channel {name}. {CHANNEL_HANDLE_HELP}")
    assert channel is not None
    async with inv.rt.db.read() as conn:
        member = await channel_store.get_member(conn, channel["id"], inv.caller.user_id)
    if member is None:
        return ephemeral(f"Could not mute channel {name} as you are not a member.")
    muted = (member["notify_props"] or {}).get("mark_unread") != "mention"
    await channel_actions.update_notify_props(
        inv.rt, inv.caller, channel["id"], inv.caller.user_id, {"mark_unread": "mention" if muted else "all"}
    )
    if channel["type"] in ("D", "G"):
        # A conversation has no name worth showing.
        if muted:
            return ephemeral(
                "You will not receive notifications for this channel until channel mute is turned off."
            )
        return ephemeral("This channel is no longer muted.")
    if muted:
        return ephemeral(
            f"You will not receive notifications for {channel['display_name']} until channel mute is turned off."
        )
    return ephemeral(f"{channel['display_name']} is no longer muted.")


async def _readable(inv: Invocation, channel: Row) -> bool:
    async with inv.rt.db.read() as conn:
        return await permissions.can_read_channel(conn, inv.caller, channel)


COMMANDS = [
    BuiltIn("join", "join", "Join the open channel", "~[channel]", join),
    BuiltIn("leave", "leave", "Leave the current channel", "", leave),
    BuiltIn("header", "header", "Edit the channel header", "[text]", header),
    BuiltIn("purpose", "purpose", "Edit the channel purpose", "[text]", purpose),
    BuiltIn("rename", "rename", "Rename the channel", "[text]", rename),
    BuiltIn("kick", "kick", "Remove a member from the channel", "@[username]", remove),
    BuiltIn("remove", "remove", "Remove a member from the channel", "@[username]", remove),
    BuiltIn(
        "mute",
        "mute",
        "Turns off desktop, email and push notifications for the current channel or the [channel] specified.",
        "~[channel]",
        mute,
    ),
]
