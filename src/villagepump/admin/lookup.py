"""Finding what a command names: a user by username, e-mail address or id; a team by name or
id; a channel as TEAM:CHANNEL (by name or id) or by its id alone. And who acts: the operator,
or the user named by `--as`."""

from villagepump.auth import Caller
from villagepump.errors import APIError
from villagepump.ids import is_valid_id
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

# The operator acts as a system admin who is nobody: the audit log shows an empty actor, and
# private channels, readable by their members only (decision 0004), stay out of reach.
OPERATOR = Caller(user_id="", session_id="", roles=frozenset({"system_admin", "system_user"}))


async def find_user(rt: Runtime, given: str) -> Row:
    async with rt.db.read() as conn:
        user = await user_store.get_user(conn, given) if is_valid_id(given) else None
        user = user or await user_store.get_user_by_login(conn, given)
    if user is None:
        raise APIError(404, "app.user.missing_account.const", f"No user {given!r} (username, e-mail or id).")
    return user


async def find_users(rt: Runtime, given: list[str]) -> list[Row]:
    """Every one named, before a command changes anything: a typo in the third name changes nothing."""
    return [await find_user(rt, one) for one in given]


async def find_team(rt: Runtime, given: str) -> Row:
    async with rt.db.read() as conn:
        team = await team_store.get_team_by_name(conn, given.lower())
        if team is None and is_valid_id(given):
            team = await team_store.get_team(conn, given)
    if team is None:
        raise APIError(404, "app.team.get_by_name.missing.app_error", f"No team {given!r} (name or id).")
    return team


async def find_channel(rt: Runtime, given: str) -> Row:
    """TEAM:CHANNEL, each by name or id, or a channel's id."""
    team_part, _, channel_part = given.rpartition(":")
    async with rt.db.read() as conn:
        channel = None
        if not team_part and is_valid_id(channel_part):
            channel = await channel_store.get_channel(conn, channel_part)
    if not team_part:
        if channel is None or channel["type"] not in ("O", "P"):
            raise APIError(
                404, "app.channel.get.existing.app_error", f"No channel {given!r} (TEAM:CHANNEL or an id)."
            )
        return channel
    team = await find_team(rt, team_part)
    async with rt.db.read() as conn:
        channel = await channel_store.get_channel_by_name(conn, team["id"], channel_part.lower())
        if channel is None and is_valid_id(channel_part):
            channel = await channel_store.get_channel(conn, channel_part)
    if channel is None or channel["team_id"] != team["id"]:
        raise APIError(404, "app.channel.get_by_name.missing.app_error", f"No channel {given!r}.")
    return channel


async def actor(rt: Runtime, username: str | None) -> Caller:
    """The user named by `--as`, with their own roles (a script can do no more than they could),
    or the operator."""
    if not username:
        return OPERATOR
    user = await find_user(rt, username)
    if user["delete_at"]:
        raise APIError(404, "app.user.missing_account.const", f"{user['username']} is deactivated.")
    return Caller(user_id=user["id"], session_id="", roles=frozenset(str(user["roles"]).split()))
