"""The `villagepump` command: serve, and administer accounts and the database from the shell."""

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from villagepump.config import Settings
from villagepump.errors import APIError


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from villagepump.app import create_app

    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    settings = Settings(**overrides)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        ws_max_size=1024 * 1024,
        ws_ping_interval=None,
        # Compressing every frame once per listener cost a third of the server's CPU in a
        # 1,000-listener fan-out (bench/fanout.py); events are small, so they go uncompressed.
        ws_per_message_deflate=False,
        proxy_headers=False,
    )


async def _with_runtime(work: Callable[[Any], Awaitable[None]]) -> None:
    from villagepump.app import make_runtime, start_runtime, stop_runtime

    rt = make_runtime(Settings())
    await start_runtime(rt)
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
        )
        role = "system admin" if args.system_admin else "user"
        print(f"Created {role} {user['username']} ({user['id']})")

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="villagepump", description="A team chat server that speaks the Mattermost API."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, or VILLAGEPUMP_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8065, or VILLAGEPUMP_PORT)")
    serve.set_defaults(handler=_serve)

    user = commands.add_parser("user", help="manage accounts").add_subparsers(
        dest="user_command", required=True
    )
    create = user.add_parser("create", help="create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--system-admin", action="store_true", help="make the account a system admin")
    create.set_defaults(handler=_user_create)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser(
        "migrate", help="apply pending migrations (the server also does this on start)"
    ).set_defaults(handler=_migrate)
    revision = db.add_parser("revision", help="(developers) generate a migration from tables.py")
    revision.add_argument("message")
    revision.add_argument("--rev-id", required=True, help="e.g. 0002")
    revision.set_defaults(handler=_revision)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except APIError as error:
        print(f"error: {error.message}", file=sys.stderr)
        sys.exit(1)
