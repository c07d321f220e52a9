"""The `villagepump` command: serve, and administer accounts and the database from the shell."""

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from villagepump.admin import cli as admin_commands
from villagepump.config import Settings
from villagepump.errors import APIError
from villagepump.integrations import cli as integration_commands
from villagepump.logs import start_logging
from villagepump.moderation import cli as moderation_commands
from villagepump.personal_data import cli as personal_data_commands

if TYPE_CHECKING:
    import uvicorn

    from villagepump.clock import ManualClock


def _serve(args: argparse.Namespace) -> None:
    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    settings = Settings(**overrides)
    listener = start_logging(settings.log_level, settings.access_log, settings.access_log_sample_rate)
    # uvicorn, once shut down, raises again the signal that stopped it; exiting through Python
    # rather than dying of SIGTERM lets `finally` write out the last queued log lines.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    try:
        _run_server(args, settings)
    finally:
        listener.stop()


def _run_server(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from villagepump import heap
    from villagepump.api.websocket_protocol import LivenessProtocol
    from villagepump.app import create_app
    from villagepump.clock import ManualClock

    clock = ManualClock() if args.manual_clock else None
    config = uvicorn.Config(
        create_app(settings, clock),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        # Our queue-backed root logger writes uvicorn's records too (villagepump.logs).
        log_config=None,
        access_log=False,
        ws=LivenessProtocol,
        ws_max_size=1024 * 1024,
        # The server's own keepalive (api/v4/websocket.py) accepts any pong; uvicorn's would
        # close clients that do not echo the ping's payload.
        ws_ping_interval=None,
        # Compressing every frame once per listener cost a third of the server's CPU in a
        # 1,000-listener fan-out (bench/fanout.py); events are small, so they go uncompressed.
        ws_per_message_deflate=False,
        # Client addresses come from api/client_address.py, which believes forwarded headers
        # only from VILLAGEPUMP_TRUSTED_PROXIES.
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    heap.settle()
    if clock is None:
        server.run()
    else:
        control_path = Path(args.manual_clock)
        # A killed process leaves the socket file behind; it is harmless, and replaced here on
        # the next start.
        control_path.unlink(missing_ok=True)
        try:
            with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
                runner.run(_serve_on_manual_clock(server, clock, str(control_path)))
        finally:
            control_path.unlink(missing_ok=True)
    if not server.started:
        # As uvicorn.run does: a server that could not start (the port is taken) fails.
        sys.exit(3)


async def _serve_on_manual_clock(server: "uvicorn.Server", clock: "ManualClock", control_path: str) -> None:
    """For tests: time stands still until a line `advance <seconds>` arrives on the control
    socket, a Unix socket only its owner may open (docs/decisions/0010-manual-clock.md)."""

    advancing = asyncio.Lock()

    async def control(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with _closing(writer):
            while line := await reader.readline():
                command, _, argument = line.decode().strip().partition(" ")
                try:
                    seconds = float(argument)
                except ValueError:
                    seconds = -1.0
                if command != "advance" or not 0 <= seconds <= 366 * 86400:
                    writer.write(b"error: expected advance <seconds>\n")
                else:
                    async with advancing:
                        await clock.advance(seconds, settle=10.0)
                    writer.write(f"ok {clock.monotonic()}\n".encode())
                await writer.drain()

    # Created with no permissions for anyone but this process's user.
    umask = os.umask(0o077)
    try:
        control_server = await asyncio.start_unix_server(control, path=control_path)
    finally:
        os.umask(umask)
    logging.getLogger("villagepump").warning(
        "THE CLOCK IS MANUAL: time stands still except when advanced through %s. "
        "This is for tests; never run a real server with --manual-clock.",
        control_path,
    )
    try:
        await server.serve()
    finally:
        control_server.close()


@contextlib.asynccontextmanager
async def _closing(writer: asyncio.StreamWriter) -> AsyncIterator[None]:
    try:
        yield
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _with_runtime(work: Callable[[Any], Awaitable[None]]) -> None:
    from villagepump.app import make_runtime, start_runtime, stop_runtime

    rt = make_runtime(Settings())
    if not rt.settings.redis_url:
        from villagepump.events.outbox_relay import OutboxRelayBus

        # No bus joins this process to a running server: the outbox carries its events there.
        rt.bus = OutboxRelayBus(rt.db, rt.clock)
    await start_runtime(rt, run_jobs=False)
    try:
        await work(rt)
    finally:
        await stop_runtime(rt)


def _user_create(args: argparse.Namespace) -> None:
    from villagepump.actions import users as user_actions

    async def work(rt: Any) -> None:
        user = await user_actions.create_user(
            rt,
            username=args.username,
            email=args.email,
            password=args.password,
            system_admin=args.system_admin,
            guest=args.guest,
            # The operator vouches for the address: a CLI-made admin can log in at once even
            # when RequireEmailVerification is on.
            email_verified=True,
        )
        role = "system admin" if args.system_admin else "guest" if args.guest else "user"
        print(f"Created {role} {user['username']} ({user['id']})")

    asyncio.run(_with_runtime(work))


def _user_reset_mfa(args: argparse.Namespace) -> None:
    """For someone who lost both their authenticator and their recovery codes."""
    from villagepump.actions import mfa as mfa_actions
    from villagepump.store import users as user_store

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            found = await user_store.get_users_by_usernames(conn, [args.username])
        if not found:
            raise APIError(404, "app.user.missing_account.const", f"No user named {args.username}.")
        await mfa_actions.deactivate(rt, found[0]["id"])
        print(
            f"Two-factor authentication is off for {found[0]['username']}; they sign in with their password."
        )

    asyncio.run(_with_runtime(work))


def _migrate(_args: argparse.Namespace) -> None:
    async def work(_rt: Any) -> None:
        print("Database is at the newest schema.")

    asyncio.run(_with_runtime(work))


def _revision(args: argparse.Namespace) -> None:
    """For developers: write a new migration from the difference between tables.py and the database."""
    from alembic import command

    from villagepump.store.database import alembic_config

    command.revision(alembic_config(), message=args.message, autogenerate=True, rev_id=args.rev_id)


def _jobs_list(args: argparse.Namespace) -> None:
    from villagepump.jobs.listing import print_jobs

    async def work(rt: Any) -> None:
        await print_jobs(rt, args.type or "", args.status or "", args.limit)

    asyncio.run(_with_runtime(work))


def _jobs_run(args: argparse.Namespace) -> None:
    from villagepump.actions import jobs as job_actions

    async def work(rt: Any) -> None:
        job = await job_actions.create_job(rt, args.type, {"url": args.url} if args.url else {})
        print(f"Created {job['type']} job {job['id']}; a running server will carry it out.")

    asyncio.run(_with_runtime(work))


def _search_reindex(_args: argparse.Namespace) -> None:
    from villagepump.search.reindex import ProgressBar, count_posts, reindex

    async def work(rt: Any) -> None:
        bar = ProgressBar(await count_posts(rt.db))
        indexed, dropped = await reindex(rt.db, bar)
        bar.finish()
        print(f"Indexed {indexed:,} posts; dropped {dropped:,} stale index rows.")

    asyncio.run(_with_runtime(work))


# -- moderation: terms of service and the audit log (decision 0031) -----------------------------


def _terms_set(args: argparse.Namespace) -> None:
    """Publishes the file's Markdown as a new version of the terms; everyone accepts it again."""
    from villagepump.actions import terms as terms_actions

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")

    async def work(rt: Any) -> None:
        created = await terms_actions.create_terms(rt, "", text)
        state = (
            "on"
            if rt.settings.enable_custom_terms_of_service
            else "off (SupportSettings.CustomTermsOfServiceEnabled)"
        )
        print(f"Published terms of service {created['id']}; enforcement is {state}.")

    asyncio.run(_with_runtime(work))


# -- data retention (decision 0032) --------------------------------------------------------------


def _retention_run(_args: argparse.Namespace) -> None:
    from villagepump.actions.retention import run_retention
    from villagepump.jobs.retention import OTHER_DELETIONS

    async def work(rt: Any) -> None:
        report = await run_retention(rt, OTHER_DELETIONS)
        others = "".join(f", {count:,} {name.replace('_', ' ')}" for name, count in report.others.items())
        print(f"Deleted {report.posts:,} posts, {report.files:,} files{others}.")

    asyncio.run(_with_runtime(work))


# -- the audit log -------------------------------------------------------------------------------


def _time_ms(value: str) -> int:
    """Milliseconds since the epoch, or an ISO 8601 date or time (UTC unless it says otherwise)."""
    from datetime import UTC, datetime

    if value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date, time or millisecond count: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


async def _audit_filter(rt: Any, args: argparse.Namespace) -> Any:
    from villagepump.store import users as user_store
    from villagepump.store.audits import AuditFilter

    user_id = ""
    if args.user:
        async with rt.db.read() as conn:
            found = await user_store.get_users_by_usernames(conn, [args.user])
        if not found:
            raise APIError(404, "app.user.missing_account.const", f"No user named {args.user}.")
        user_id = found[0]["id"]
    return AuditFilter(
        user_id=user_id, action=args.action or "", since=args.since or 0, until=args.until or 0
    )


def _audit_list(args: argparse.Namespace) -> None:
    from datetime import UTC, datetime

    from villagepump.render.moderation import render_audit
    from villagepump.store import audits as audit_store

    async def work(rt: Any) -> None:
        which = await _audit_filter(rt, args)
        async with rt.db.read() as conn:
            found = await audit_store.list_audits(conn, which, 0, args.limit)
        for entry in map(render_audit, found):
            when = datetime.fromtimestamp(entry["create_at"] / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
            who = entry["user_id"] or "-"
            print(
                f"{when}  {who:26}  {entry['action']:28}  {entry['ip_address'] or '-':15}  {entry['extra_info']}"
            )

    asyncio.run(_with_runtime(work))


def _audit_export(args: argparse.Namespace) -> None:
    from villagepump.actions import audit as audit_actions

    async def work(rt: Any, out: Any) -> None:
        which = await _audit_filter(rt, args)
        async for line in audit_actions.export(rt, which, args.format):
            out.write(line)

    if args.output == "-":
        asyncio.run(_with_runtime(lambda rt: work(rt, sys.stdout)))
        return
    with open(args.output, "w", newline="", encoding="utf-8") as out:
        asyncio.run(_with_runtime(lambda rt: work(rt, out)))


def _add_moderation_commands(commands: Any) -> None:
    terms = commands.add_parser("terms", help="the terms of service (code of conduct)").add_subparsers(
        dest="terms_command", required=True
    )
    terms_set = terms.add_parser("set", help="publish a new version from a Markdown file (- for stdin)")
    terms_set.add_argument("file")
    terms_set.set_defaults(handler=_terms_set)

    audit = commands.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True
    )
    for name, handler, help_text in (
        ("list", _audit_list, "recent entries, newest first"),
        ("export", _audit_export, "every matching entry as CSV or JSON Lines (the export is audited)"),
    ):
        command = audit.add_parser(name, help=help_text)
        command.add_argument("--user", help="only what this user (a username) did")
        command.add_argument("--action", help="only this action (login, login_failed, roles_changed, ...)")
        command.add_argument("--since", type=_time_ms, help="from this time (ISO 8601, UTC; or ms)")
        command.add_argument("--until", type=_time_ms, help="up to this time (ISO 8601, UTC; or ms)")
        command.set_defaults(handler=handler)
        if name == "list":
            command.add_argument("--limit", type=int, default=50, help="how many entries (default 50)")
        else:
            command.add_argument("--format", choices=("csv", "jsonl"), default="jsonl")
            command.add_argument("--output", default="-", help="a file to write (default: standard output)")


# -- Mattermost bulk import and export (importer/) ---------------------------------------------


def _import_mattermost(args: argparse.Namespace) -> None:
    from villagepump.importer.load import CheckedLines, LineError, Loader, Source, SourceError, validate
    from villagepump.importer.progress import Progress

    async def work(rt: Any) -> None:
        source = Source(Path(args.file))
        checked = None if args.validate else CheckedLines()
        try:
            checking = Progress("checking lines")
            summary = await validate(rt, source, checking, checked)
            checking.finish()
            if checked is not None:
                writing = Progress("importing posts", summary.posts)
                await Loader(rt, source, summary, writing, checked).load()
                writing.finish()
        finally:
            source.close()
            if checked is not None:
                checked.close()
        for warning in summary.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.validate:
            print(f"The file is valid: {summary.lines:,} lines, {summary.posts:,} posts and replies.")
            return
        created = ", ".join(f"{n:,} {k}" for k, n in sorted(summary.created.items())) or "nothing"
        skipped = ", ".join(f"{n:,} {k}" for k, n in sorted(summary.skipped.items())) or "nothing"
        print(f"Imported {created}; already there or skipped: {skipped}.")

    async def guarded(rt: Any) -> None:
        try:
            await work(rt)
        except (LineError, SourceError) as error:
            raise APIError(400, "app.import.validate.app_error", f"{error}; nothing was imported.") from None

    asyncio.run(_with_runtime(guarded))


def _export_mattermost(args: argparse.Namespace) -> None:
    from villagepump.importer.export import export_file
    from villagepump.importer.progress import Progress

    async def work(rt: Any) -> None:
        progress = Progress("exporting posts")
        count = await export_file(rt, Path(args.output), attachments=args.attachments, progress=progress)
        progress.finish()
        print(f"Exported {count:,} posts and replies to {args.output}.")

    asyncio.run(_with_runtime(work))


def _add_import_export(commands: Any) -> None:
    importing = commands.add_parser("import", help="bring in data from another server").add_subparsers(
        dest="import_command", required=True
    )
    mattermost = importing.add_parser(
        "mattermost", help="Mattermost's bulk format (.jsonl, or a .zip with attachments under data/)"
    )
    mattermost.add_argument("file")
    mattermost.add_argument("--validate", action="store_true", help="check the whole file, write nothing")
    mattermost.set_defaults(handler=_import_mattermost)
    exporting = commands.add_parser("export", help="write data out for another server").add_subparsers(
        dest="export_command", required=True
    )
    out = exporting.add_parser("mattermost", help="Mattermost's bulk format")
    out.add_argument("--attachments", action="store_true", help="a zip with the files and emoji under data/")
    out.add_argument("output")
    out.set_defaults(handler=_export_mattermost)


# The built-in IRC bridge (bridges/irc/): what a system admin does, as the operator.
def _operator() -> Any:
    from villagepump.auth import Caller

    return Caller(user_id="", session_id="", roles=frozenset({"system_admin", "system_user"}))


async def _network_named(rt: Any, name: str) -> Any:
    from villagepump.store import irc_bridge as bridge_store

    async with rt.db.read() as conn:
        network = await bridge_store.get_network_by_name(conn, name.lower())
    if network is None:
        raise APIError(404, "api.irc_bridge.network_missing.app_error", f"No IRC network named {name}.")
    return network


def _irc_add_network(args: argparse.Namespace) -> None:
    from villagepump.actions import irc_bridge as bridge_actions

    async def work(rt: Any) -> None:
        fields = bridge_actions.NetworkFields(
            name=args.name,
            host=args.host,
            port=args.port,
            nick=args.nick,
            tls=not args.no_tls,
            tls_verify=not args.no_tls_verify,
            sasl_mechanism=args.sasl or "",
            sasl_username=args.sasl_username or "",
            sasl_password=os.environ.get("VILLAGEPUMP_IRC_SASL_PASSWORD", ""),
            client_cert_path=args.client_cert or "",
            client_key_path=args.client_key or "",
        )
        network = await bridge_actions.add_network(rt, _operator(), fields)
        print(f"Added IRC network {network['name']} ({network['id']})")

    asyncio.run(_with_runtime(work))


def _irc_list(_args: argparse.Namespace) -> None:
    from villagepump.store import irc_bridge as bridge_store

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            networks = await bridge_store.list_networks(conn)
            mappings = await bridge_store.list_mappings(conn)
        for network in networks:
            tls = "tls" if network["tls"] else "plain"
            sasl = f" sasl={network['sasl_mechanism']}" if network["sasl_mechanism"] else ""
            print(
                f"{network['name']}  {network['host']}:{network['port']} {tls} nick={network['nick']}{sasl}"
            )
            for m in (m for m in mappings if m["network_id"] == network["id"]):
                print(
                    f"    {m['irc_channel']}  <->  {m['channel_name']} ({m['channel_id']})  mapping {m['id']}"
                )

    asyncio.run(_with_runtime(work))


async def _channel_for(rt: Any, given: str) -> str:
    """A channel id, or team-name/channel-name."""
    from villagepump.store import channels as channel_store
    from villagepump.store import teams as team_store

    if "/" not in given:
        return given
    team_name, channel_name = given.split("/", 1)
    async with rt.db.read() as conn:
        team = await team_store.get_team_by_name(conn, team_name)
        channel = await channel_store.get_channel_by_name(conn, team["id"], channel_name) if team else None
    if channel is None:
        raise APIError(404, "app.channel.get.existing.app_error", f"No channel {given}.")
    return str(channel["id"])


def _irc_map(args: argparse.Namespace) -> None:
    from villagepump.actions import irc_bridge as bridge_actions

    async def work(rt: Any) -> None:
        network = await _network_named(rt, args.network)
        channel_id = await _channel_for(rt, args.channel)
        mapping = await bridge_actions.map_channel(
            rt, _operator(), network["id"], channel_id, args.irc_channel, args.relay_joins
        )
        print(
            f"Mapped {mapping['irc_channel']} on {network['name']} to channel {channel_id} ({mapping['id']})"
        )

    asyncio.run(_with_runtime(work))


def _irc_unmap(args: argparse.Namespace) -> None:
    from villagepump.actions import irc_bridge as bridge_actions
    from villagepump.bridges.irc.names import irc_lower
    from villagepump.store import irc_bridge as bridge_store

    async def work(rt: Any) -> None:
        network = await _network_named(rt, args.network)
        async with rt.db.read() as conn:
            mappings = await bridge_store.list_mappings(conn, network["id"])
        found = [m for m in mappings if m["irc_channel"] == irc_lower(args.irc_channel)]
        if not found:
            raise APIError(404, "api.irc_bridge.mapping_missing.app_error", "No such mapping.")
        await bridge_actions.unmap_channel(rt, _operator(), found[0]["id"])
        print(f"Unmapped {found[0]['irc_channel']} on {network['name']}")

    asyncio.run(_with_runtime(work))


def _irc_remove(args: argparse.Namespace) -> None:
    from villagepump.actions import irc_bridge as bridge_actions

    async def work(rt: Any) -> None:
        network = await _network_named(rt, args.network)
        await bridge_actions.remove_network(rt, _operator(), network["id"])
        print(f"Removed IRC network {network['name']} and its mappings")

    asyncio.run(_with_runtime(work))


def _add_bridge_commands(commands: Any) -> None:
    bridge = commands.add_parser("bridge", help="bridges to other networks").add_subparsers(
        dest="bridge_command", required=True
    )
    irc = bridge.add_parser("irc", help="the built-in IRC bridge").add_subparsers(
        dest="irc_command", required=True
    )
    add = irc.add_parser(
        "add-network", help="add an IRC network (SASL password from VILLAGEPUMP_IRC_SASL_PASSWORD)"
    )
    add.add_argument("name")
    add.add_argument("--host", required=True)
    add.add_argument("--port", type=int, default=6697)
    add.add_argument("--nick", required=True)
    add.add_argument("--no-tls", action="store_true", help="plain text (only for a local network)")
    add.add_argument("--no-tls-verify", action="store_true", help="accept any server certificate")
    add.add_argument("--sasl", choices=["PLAIN", "EXTERNAL"])
    add.add_argument("--sasl-username")
    add.add_argument("--client-cert", help="PEM client certificate, for SASL EXTERNAL")
    add.add_argument("--client-key", help="its PEM key, if not in the certificate file")
    add.set_defaults(handler=_irc_add_network)
    irc.add_parser("list", help="networks and their mappings").set_defaults(handler=_irc_list)
    mapping = irc.add_parser("map", help="relay an IRC channel with a chat channel")
    mapping.add_argument("network")
    mapping.add_argument("irc_channel")
    mapping.add_argument("channel", help="channel id or team-name/channel-name")
    mapping.add_argument("--relay-joins", action="store_true", help="also relay IRC joins and parts")
    mapping.set_defaults(handler=_irc_map)
    unmap = irc.add_parser("unmap", help="stop relaying an IRC channel")
    unmap.add_argument("network")
    unmap.add_argument("irc_channel")
    unmap.set_defaults(handler=_irc_unmap)
    remove = irc.add_parser("remove", help="remove a network and its mappings")
    remove.add_argument("network")
    remove.set_defaults(handler=_irc_remove)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="villagepump", description="A team chat server that speaks the Mattermost API."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, or VILLAGEPUMP_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8065, or VILLAGEPUMP_PORT)")
    serve.add_argument(
        "--manual-clock",
        metavar="CONTROL_SOCKET",
        help="(tests only) run on a clock that moves only when told to through this Unix socket",
    )
    serve.set_defaults(handler=_serve)

    user = commands.add_parser("user", help="manage accounts").add_subparsers(
        dest="user_command", required=True
    )
    create = user.add_parser("create", help="create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    kind = create.add_mutually_exclusive_group()
    kind.add_argument("--system-admin", action="store_true", help="make the account a system admin")
    kind.add_argument(
        "--guest", action="store_true", help="make a guest account (sees only the channels it is added to)"
    )
    create.set_defaults(handler=_user_create)
    reset_mfa = user.add_parser("reset-mfa", help="turn off a user's two-factor authentication")
    reset_mfa.add_argument("username")
    reset_mfa.set_defaults(handler=_user_reset_mfa)
    personal_data_commands.add_user_commands(user)
    admin_commands.add_commands(commands, user)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser(
        "migrate", help="apply pending migrations (the server also does this on start)"
    ).set_defaults(handler=_migrate)
    revision = db.add_parser("revision", help="(developers) generate a migration from tables.py")
    revision.add_argument("message")
    revision.add_argument("--rev-id", required=True, help="e.g. 0002")
    revision.set_defaults(handler=_revision)

    jobs = commands.add_parser("jobs", help="background jobs and outgoing deliveries").add_subparsers(
        dest="jobs_command", required=True
    )
    listing = jobs.add_parser("list", help="recent jobs, recurring schedules and the outbox's state")
    listing.add_argument("--type", help="only jobs of this type")
    listing.add_argument(
        "--status", help="only jobs in this status (pending, in_progress, success, error, ...)"
    )
    listing.add_argument(
        "--limit", type=int, default=20, help="how many jobs and failed deliveries (default 20)"
    )
    listing.set_defaults(handler=_jobs_list)
    run = jobs.add_parser(
        "run",
        help="queue a job now (expire_sessions, purge_outbox, clean_files, expire_client_addresses, "
        "data_retention, test_webhook)",
    )
    run.add_argument("type")
    run.add_argument("--url", help="for test_webhook: where to POST the test delivery")
    run.set_defaults(handler=_jobs_run)

    search = commands.add_parser("search", help="the search index").add_subparsers(
        dest="search_command", required=True
    )
    search.add_parser(
        "reindex", help="index every post again (safe while the server runs), with a progress bar"
    ).set_defaults(handler=_search_reindex)
    _add_import_export(commands)
    _add_bridge_commands(commands)
    integration_commands.add_commands(commands)
    moderation_commands.add_commands(commands)
    _add_moderation_commands(commands)

    retention = commands.add_parser("retention", help="data retention").add_subparsers(
        dest="retention_command", required=True
    )
    retention.add_parser(
        "run", help="delete now what the retention policies say is past keeping (safe while the server runs)"
    ).set_defaults(handler=_retention_run)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except APIError as error:
        # Mattermost's id beside the message, as scripts match on it; with --json, its envelope.
        if getattr(args, "json", False):
            print(json.dumps(error.envelope("")), file=sys.stderr)
        else:
            print(f"error: {error.message} [{error.error_id}]", file=sys.stderr)
        sys.exit(1)
