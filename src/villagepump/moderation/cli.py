"""`villagepump report`: the moderators' queue from the shell, for scripts.

Listing and reading are the operator's (who can read the database anyway); resolving and
dismissing are done as the moderator named by `--as`, through the same action as the API, so
the audit log names them.
"""

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from villagepump.integrations.cli import _actor, _run


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _report_list(args: argparse.Namespace) -> None:
    from villagepump.store import reports as report_store

    statuses = report_store.STATUSES if args.status == "all" else (args.status,)

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            found = await report_store.list_reports(conn, statuses, "", 0, args.limit)
        for report in found:
            post = report["snapshot"]["post"]
            print(
                f"{report['id']}\t{_when(report['create_at'])}\t{report['status']}\t{report['reason']}"
                f"\t@{post['username']}\t{post['message'][:60]!r}"
            )

    _run(work)


def _report_show(args: argparse.Namespace) -> None:
    from villagepump.errors import APIError
    from villagepump.render.moderation import render_report
    from villagepump.store import reports as report_store

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            report = await report_store.get_report(conn, args.report_id)
        if report is None:
            raise APIError(404, "app.villagepump.report.get.app_error", f"No report {args.report_id}.")
        print(json.dumps(render_report(report), indent=2, ensure_ascii=False))

    _run(work)


def _report_close(status: str) -> Any:
    def handler(args: argparse.Namespace) -> None:
        from villagepump.actions import reports as report_actions

        async def work(rt: Any) -> None:
            actor = await _actor(rt, args.actor)
            note = report_actions.check_text(args.note, "note", report_actions.MAX_NOTE_LENGTH)
            await report_actions.close_report(rt, actor, args.report_id, status, note)
            print(f"Report {args.report_id} {status}.")

        _run(work)

    return handler


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
