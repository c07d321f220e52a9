"""Moderation from the shell, for scripts: `villagepump report` (the moderators' queue) and
`villagepump moderate` (mute, unmute, warn).

Listing and reading reports are the operator's (who can read the database anyway); resolving
and dismissing are done as the moderator named by `--as`, through the same action as the API,
so the audit log names them. The moderators' tools act as the shell, with an admin's power
(audited with an empty actor, as every command is), unless `--as` names the moderator to act
as, whose rights are then checked as through the API.
"""

import argparse
import json
import re
from datetime import UTC, datetime
from typing import Any

from villagepump.admin.lookup import OPERATOR
from villagepump.admin.running import Handler, runtime_command
from villagepump.auth import Caller
from villagepump.integrations.cli import _actor, _user
from villagepump.runtime import Runtime


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


@runtime_command
async def _report_list(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.store import reports as report_store

    statuses = report_store.STATUSES if args.status == "all" else (args.status,)
    async with rt.db.read() as conn:
        found = await report_store.list_reports(conn, statuses, "", 0, args.limit)
    for report in found:
        post = report["snapshot"]["post"]
        print(
            f"{report['id']}\t{_when(report['create_at'])}\t{report['status']}\t{report['reason']}"
            f"\t@{post['username']}\t{post['message'][:60]!r}"
        )


@runtime_command
async def _report_show(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.errors import APIError
    from villagepump.render.moderation import render_report
    from villagepump.store import reports as report_store

    async with rt.db.read() as conn:
        report = await report_store.get_report(conn, args.report_id)
    if report is None:
        raise APIError(404, "app.villagepump.report.get.app_error", f"No report {args.report_id}.")
    print(json.dumps(render_report(report), indent=2, ensure_ascii=False))


def _report_close(status: str) -> Handler:
    @runtime_command
    async def close(rt: Runtime, args: argparse.Namespace) -> None:
        from villagepump.actions import reports as report_actions

        actor = await _actor(rt, args.actor)
        note = report_actions.check_text(args.note, "note", report_actions.MAX_NOTE_LENGTH)
        await report_actions.close_report(rt, actor, args.report_id, status, note)
        print(f"Report {args.report_id} {status}.")

    return close


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


async def _user_id(rt: Runtime, username: str) -> str:
    return str((await _user(rt, username))["id"])


async def _actor_or_shell(rt: Runtime, username: str | None) -> Caller:
    if username is None:
        return OPERATOR
    return await _actor(rt, username)


@runtime_command
async def _mute(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import moderation as moderation_actions
    from villagepump.ids import now_ms

    actor, user_id = await _actor_or_shell(rt, args.actor), await _user_id(rt, args.user)
    until = now_ms() + args.duration * 1000 if args.duration else 0
    muted = await moderation_actions.mute_user(rt, actor, user_id, until)
    print(f"Muted {args.user} " + (f"until {muted['until']} (ms)." if muted["until"] else "until unmuted."))


@runtime_command
async def _unmute(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import moderation as moderation_actions

    actor, user_id = await _actor_or_shell(rt, args.actor), await _user_id(rt, args.user)
    await moderation_actions.unmute_user(rt, actor, user_id)
    print(f"Unmuted {args.user}.")


@runtime_command
async def _warn(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import moderation as moderation_actions

    actor, user_id = await _actor_or_shell(rt, args.actor), await _user_id(rt, args.user)
    await moderation_actions.warn_user(rt, actor, user_id, args.text)
    print(f"Warned {args.user}.")


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="reports of posts: the moderators' queue").add_subparsers(
        dest="report_command", required=True
    )
    listing = report.add_parser("list", help="reports, newest first")
    listing.add_argument("--status", choices=("open", "resolved", "dismissed", "all"), default="open")
    listing.add_argument("--limit", type=int, default=50, help="how many reports (default 50)")
    listing.set_defaults(handler=_report_list)
    show = report.add_parser("show", help="one report with its snapshot, as JSON")
    show.add_argument("report_id")
    show.set_defaults(handler=_report_show)
    for name, status in (("resolve", "resolved"), ("dismiss", "dismissed")):
        close = report.add_parser(name, help=f"mark an open report {status}, with a note")
        close.add_argument("report_id")
        close.add_argument("--as", dest="actor", required=True, help="the moderator who does it (a username)")
        close.add_argument("--note", default="", help="why (kept with the report and in the audit log)")
        close.set_defaults(handler=_report_close(status))
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
