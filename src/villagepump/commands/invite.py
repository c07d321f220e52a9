"""/invite @user... [~channel...]: add people to the current channel or to the channels named."""

import re

from villagepump import errors, permissions
from villagepump.actions import channels as channel_actions
from villagepump.commands.base import BuiltIn, Invocation, Reply, ephemeral
from villagepump.commands.channels import CHANNEL_HANDLE_HELP, FORBIDDEN
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

MAX_TARGETS = 50
NOT_IN_TEAM = "api.channel.add_members.user_denied"


def parse_targets(message: str) -> tuple[list[str], list[str]]:
    """Usernames and channel names, in order, without their @ and ~."""
    usernames: list[str] = []
    channel_names: list[str] = []
    for word in re.split(r"[\s,]+", message.strip()):
        if word.startswith("~") and len(word) > 1:
            channel_names.append(word[1:].lower())
        elif word and word != "@":
            usernames.append(word.removeprefix("@").lower())
    return list(dict.fromkeys(usernames)), list(dict.fromkeys(channel_names))


async def invite(inv: Invocation) -> Reply:
    usernames, channel_names = parse_targets(inv.message)
    if not usernames or len(usernames) + len(channel_names) > MAX_TARGETS:
        return ephemeral("Missing Username and/or Channel.")
    channels: list[Row] = []
    for name in channel_names:
        channel = await _visible_channel(inv, name)
        if channel is None:
            return ephemeral(f"Could not find the channel {name}. {CHANNEL_HANDLE_HELP}")
        channels.append(channel)
    if not channels:
        channels = [inv.channel]
    lines: list[str] = []
    for username in usernames:
        async with inv.rt.db.read() as conn:
            found = await user_store.get_users_by_usernames(conn, [username])
        if not found or found[0]["delete_at"]:
            lines.append(
                f"We couldn't find the user {username}. "
                "They may have been deactivated by the System Administrator."
            )
            continue
        for channel in channels:
            lines.append(await _add(inv, found[0], channel))
    return ephemeral("\n".join(lines))


async def _visible_channel(inv: Invocation, name: str) -> Row | None:
    """A channel of the team by name; a private one the caller is not in looks missing."""
    team_id = inv.team["id"] if inv.team is not None else inv.channel["team_id"]
    if not team_id:
        return None
    async with inv.rt.db.read() as conn:
        channel = await channel_store.get_channel_by_name(conn, team_id, name)
        if channel is None or channel["delete_at"]:
            return None
        return channel if await permissions.can_read_channel(conn, inv.caller, channel) else None


async def _add(inv: Invocation, user: Row, channel: Row) -> str:
    handle = f"@{user['username']}"
    if channel["type"] not in ("O", "P"):
        return "You can't add someone to a direct message channel."
    async with inv.rt.db.read() as conn:
        if await channel_store.get_member(conn, channel["id"], user["id"]) is not None:
            return f"{handle} is already in the channel."
    try:
        await channel_actions.add_member(inv.rt, inv.caller, channel["id"], user["id"])
    except errors.APIError as refused:
        if refused.error_id == FORBIDDEN:
            return f"You don't have enough permissions to add {handle} in {channel['name']}."
        if refused.error_id == NOT_IN_TEAM:
            return f"You can add {handle} to this channel once they are members of the **{await _team_name(inv, channel)}** team."
        return "An error occurred while joining the channel."
    return f"{handle} added to {channel['name']} channel."


async def _team_name(inv: Invocation, channel: Row) -> str:
    async with inv.rt.db.read() as conn:
        team = await team_store.get_team(conn, channel["team_id"])
    return team["display_name"] if team is not None else ""


COMMANDS = [
    BuiltIn("invite", "invite", "Invite a user to a channel", "@[username]... ~[channel]...", invite),
]
