"""/msg and /groupmsg: open a direct or group message, optionally with a first message."""

from villagepump import errors
from villagepump.actions import channels as channel_actions
from villagepump.commands.base import EPHEMERAL, BuiltIn, Invocation, Reply, ephemeral
from villagepump.commands.posting import post_as_caller
from villagepump.store import Row
from villagepump.store import users as user_store


async def _active_users(inv: Invocation, usernames: list[str]) -> dict[str, Row]:
    async with inv.rt.db.read() as conn:
        found = await user_store.get_users_by_usernames(conn, usernames)
    return {user["username"]: user for user in found if not user["delete_at"]}


def _open(inv: Invocation, channel: Row) -> Reply:
    if inv.team is None:
        return ephemeral("An error occurred while messaging the user.")
    return Reply(EPHEMERAL, goto_location=inv.channel_url(channel["name"]))


async def msg(inv: Invocation) -> Reply:
    target, _, text = inv.message.partition(" ")
    username = target.removeprefix("@").lower()
    user = (await _active_users(inv, [username])).get(username) if username else None
    if user is None or user["id"] == inv.caller.user_id:
        return ephemeral("Unable to find the user.")
    try:
        channel = await channel_actions.get_or_create_direct(
            inv.rt, inv.caller.user_id, inv.caller.user_id, user["id"]
        )
    except errors.APIError:
        return ephemeral("An error occurred while creating the direct message.")
    if text.strip():
        await post_as_caller(inv, channel["id"], text)
    return _open(inv, channel)


def parse_group(message: str) -> tuple[list[str], str]:
    """`@a, @b, @c text`: the usernames, then the text after the last one."""
    usernames: list[str] = []
    parts = message.split(",")
    for index, part in enumerate(parts):
        words = part.strip().removeprefix("@").split(maxsplit=1)
        if words:
            usernames.append(words[0].lower())
        if len(words) > 1:
            rest = ",".join([words[1], *parts[index + 1 :]])
            return usernames, rest.strip()
    return usernames, ""


async def groupmsg(inv: Invocation) -> Reply:
    usernames, text = parse_group(inv.message)
    if len(usernames) > channel_actions.GROUP_MAX_USERS * 2:
        return ephemeral(
            f"Group messages are limited to a maximum of {channel_actions.GROUP_MAX_USERS - 1} users."
        )
    found = await _active_users(inv, usernames)
    missing = [name for name in dict.fromkeys(usernames) if name not in found]
    if missing:
        noun = "user" if len(missing) == 1 else "users"
        return ephemeral(f"Unable to find the {noun}: @" + ", @".join(missing))
    others = list(dict.fromkeys(u["id"] for u in found.values() if u["id"] != inv.caller.user_id))
    if len(others) == 1:
        other = next(u for u in found.values() if u["id"] == others[0])
        return await msg(_with_message(inv, f"{other['username']} {text}"))
    if len(others) + 1 < channel_actions.GROUP_MIN_USERS:
        return ephemeral(
            f"Group messages are limited to a minimum of {channel_actions.GROUP_MIN_USERS - 1} users."
        )
    if len(others) + 1 > channel_actions.GROUP_MAX_USERS:
        return ephemeral(
            f"Group messages are limited to a maximum of {channel_actions.GROUP_MAX_USERS - 1} users."
        )
    try:
        channel = await channel_actions.get_or_create_group(inv.rt, inv.caller.user_id, others)
    except errors.APIError:
        return ephemeral("An error occurred while creating the group message.")
    if text:
        await post_as_caller(inv, channel["id"], text)
    return _open(inv, channel)


def _with_message(inv: Invocation, message: str) -> Invocation:
    return Invocation(inv.rt, inv.caller, inv.channel, inv.team, inv.root_id, inv.site_url, message)


COMMANDS = [
    BuiltIn("msg", "message", "Send Direct Message to a user", "@[username] 'message'", msg),
    BuiltIn(
        "groupmsg",
        "message",
        "Sends a Group Message to the specified users",
        "@[username1],@[username2] 'message'",
        groupmsg,
    ),
]
