"""`villagepump moderate`: moderators' tools from the shell (mute, unmute, warn), for scripts.

Whoever runs the command has the server's shell, and so an admin's power: the change is made
by the shell (audited with an empty actor, as every command is) unless `--as` names the
moderator to act as, whose rights are then checked as through the API.
"""

import argparse
import asyncio
import re
from typing import Any

from villagepump.auth import Caller
from villagepump.errors import APIError

_DURATION = re.compile(r"^(\d+)([mhdw])$")
_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def _duration_seconds(value: str) -> int:
    """30m, 24h, 7d, 2w; or forever (0)."""
    if value == "forever":
        return 0
    found = _DURATION.match(value)
    if found is None or int(found[1]) <= 0:
        raise argparse.ArgumentTypeError("a duration such as 30m, 24h, 7d or 2w, or forever")
    return int(found[1]) * _SECONDS[found[2]]


def _run(work: Any) -> None:
    from villagepump.cli import _with_runtime

    asyncio.run(_with_runtime(work))


async def _user_id(rt: Any, username: str) -> str:
    from villagepump.store import users as user_store

    async with rt.db.read() as conn:
        found = await user_store.get_users_by_usernames(conn, [username])
    if not found:
        raise APIError(404, "app.user.missing_account.const", f"No user named {username}.")
    return str(found[0]["id"])


async def _actor(rt: Any, username: str | None) -> Caller:
    if username is None:
        return Caller(user_id="", session_id="", roles=frozenset({"system_user", "system_admin"}))
    from villagepump.store import users as user_store

    async with rt.db.read() as conn:
        user = await user_store.get_user(conn, await _user_id(rt, username))
    assert user is not None
    return Caller(user_id=user["id"], session_id="", roles=frozenset(str(user["roles"]).split()))


def _mute(args: argparse.Namespace) -> None:
    from villagepump.actions import moderation as moderation_actions
    from villagepump.ids import now_ms

    async def work(rt: Any) -> None:
        actor, user_id = await _actor(rt, args.actor), await _user_id(rt, args.user)
        until = now_ms() + args.duration * 1000 if args.duration else 0
        muted = await moderation_actions.mute_user(rt, actor, user_id, until)
        print(
            f"Muted {args.user} " + (f"until {muted['until']} (ms)." if muted["until"] else "until unmuted.")
        )

    _run(work)


def _unmute(args: argparse.Namespace) -> None:
    from villagepump.actions import moderation as moderation_actions

    async def work(rt: Any) -> None:
        actor, user_id = await _actor(rt, args.actor), await _user_id(rt, args.user)
        await moderation_actions.unmute_user(rt, actor, user_id)
        print(f"Unmuted {args.user}.")

    _run(work)


def _warn(args: argparse.Namespace) -> None:
    from villagepump.actions import moderation as moderation_actions

    async def work(rt: Any) -> None:
        actor, user_id = await _actor(rt, args.actor), await _user_id(rt, args.user)
        await moderation_actions.warn_user(rt, actor, user_id, args.text)
        print(f"Warned {args.user}.")

    _run(work)


def add_commands(commands: Any) -> None:
    moderate = commands.add_parser("moderate", help="moderators' tools: mute, unmute, warn").add_subparsers(
        dest="moderate_command", required=True
    )
    mute = moderate.add_parser("mute", help="stop a user posting anywhere for a while")
    mute.add_argument("user", help="the username")
    mute.add_argument(
        "--for",
        dest="duration",
        type=_duration_seconds,
        default=0,
        help="30m, 24h, 7d, 2w or forever (default)",
    )
    unmute = moderate.add_parser("unmute", help="let a muted user post again")
    unmute.add_argument("user", help="the username")
    warn = moderate.add_parser("warn", help="send a user a warning from the system bot")
    warn.add_argument("user", help="the username")
    warn.add_argument("text", help="the warning (Markdown)")
    for command, handler in ((mute, _mute), (unmute, _unmute), (warn, _warn)):
        command.add_argument(
            "--as", dest="actor", help="act as this moderator (default: the shell, as an admin)"
        )
        command.set_defaults(handler=handler)
