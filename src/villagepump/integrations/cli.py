"""`villagepump bot`, `webhook` and `command`: integrations managed from the shell, for scripts.

A change is made as the user named by `--as` (checked by the same actions, with that user's
permissions, as through the API): a script cannot do what its operator's account could not.
"""

import argparse
import asyncio
from typing import Any

from villagepump.auth import Caller
from villagepump.errors import APIError


def _run(work: Any) -> None:
    from villagepump.cli import _with_runtime

    asyncio.run(_with_runtime(work))


async def _user(rt: Any, username: str) -> Any:
    from villagepump.store import users as user_store

    async with rt.db.read() as conn:
        found = await user_store.get_users_by_usernames(conn, [username])
    if not found or found[0]["delete_at"]:
        raise APIError(404, "app.user.missing_account.const", f"No active user named {username}.")
    return found[0]


async def _actor(rt: Any, username: str) -> Caller:
    user = await _user(rt, username)
    return Caller(user_id=user["id"], session_id="", roles=frozenset(str(user["roles"]).split()))


async def _channel(rt: Any, team_name: str, channel_name: str) -> Any:
    from villagepump.store import channels as channel_store
    from villagepump.store import teams as team_store

    async with rt.db.read() as conn:
        team = await team_store.get_team_by_name(conn, team_name)
        channel = await channel_store.get_channel_by_name(conn, team["id"], channel_name) if team else None
    if channel is None:
        raise APIError(
            404, "app.channel.get_by_name.missing.app_error", f"No channel {team_name}/{channel_name}."
        )
    return channel


def _bot_create(args: argparse.Namespace) -> None:
    from villagepump.actions import bots as bot_actions
    from villagepump.actions import sessions as session_actions

    async def work(rt: Any) -> None:
        actor = await _actor(rt, args.actor)
        patch = bot_actions.BotPatch(args.username, args.display_name, args.description)
        bot = await bot_actions.create_bot(rt, actor, patch)
        _, secret = await session_actions.create_access_token(rt, bot["user_id"], args.token_description)
        print(f"Created bot {args.username} ({bot['user_id']}).")
        # Shown once, as the API does: only its hash is kept.
        print(f"Access token: {secret}")

    _run(work)


def _bot_list(args: argparse.Namespace) -> None:
    from villagepump.store import bots as bot_store

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            bots = await bot_store.list_bots(
                conn, owner_id=None, include_deleted=args.all, only_orphaned=False, offset=0, limit=10_000
            )
        for bot in bots:
            state = " (disabled)" if bot["delete_at"] else ""
            print(
                f"{bot['username']}\t{bot['user_id']}\towner {bot['owner_id']}{state}\t{bot['description']}"
            )

    _run(work)


def _webhook_create_incoming(args: argparse.Namespace) -> None:
    from villagepump.actions import mailed_links
    from villagepump.actions import webhooks as webhook_actions

    async def work(rt: Any) -> None:
        actor = await _actor(rt, args.actor)
        channel = await _channel(rt, args.team, args.channel)
        fields = webhook_actions.IncomingHookFields(
            channel_id=channel["id"], display_name=args.display_name, channel_locked=args.locked
        )
        hook = await webhook_actions.create_incoming(rt, actor, fields)
        print(f"Created incoming webhook {hook['id']}: {mailed_links.site_url(rt)}/hooks/{hook['id']}")

    _run(work)


def _webhook_list(_args: argparse.Namespace) -> None:
    from villagepump.store import webhooks as webhook_store

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            for kind in ("incoming", "outgoing"):
                hooks = await webhook_store.list_hooks(
                    conn, kind, team_ids=None, channel_id="", creator_id="", offset=0, limit=10_000
                )
                for hook in hooks:
                    creator = hook["user_id"] if kind == "incoming" else hook["creator_id"]
                    where = hook["channel_id"] or f"team {hook['team_id']}"
                    print(f"{kind}\t{hook['id']}\t{where}\tby {creator}\t{hook['display_name']}")

    _run(work)


def _webhook_delete(args: argparse.Namespace) -> None:
    from villagepump.actions import webhooks as webhook_actions
    from villagepump.store import webhooks as webhook_store

    async def work(rt: Any) -> None:
        actor = await _actor(rt, args.actor)
        async with rt.db.read() as conn:
            kinds = [
                k for k in ("incoming", "outgoing") if await webhook_store.get_hook(conn, k, args.hook_id)
            ]
        if not kinds:
            raise APIError(404, "app.webhooks.get_incoming.app_error", f"No webhook {args.hook_id}.")
        await webhook_actions.delete_hook(rt, actor, kinds[0], args.hook_id)
        print(f"Deleted {kinds[0]} webhook {args.hook_id}.")

    _run(work)


def _command_list(args: argparse.Namespace) -> None:
    from villagepump.store import commands_custom as command_store
    from villagepump.store import teams as team_store

    async def work(rt: Any) -> None:
        async with rt.db.read() as conn:
            team = await team_store.get_team_by_name(conn, args.team)
            if team is None:
                raise APIError(404, "app.team.get_by_name.missing.app_error", f"No team {args.team}.")
            for command in await command_store.team_commands(conn, team["id"]):
                print(f"/{command['trigger']}\t{command['id']}\t{command['method']} {command['url']}")

    _run(work)


def add_commands(commands: Any) -> None:
    bot = commands.add_parser("bot", help="bot accounts").add_subparsers(dest="bot_command", required=True)
    create = bot.add_parser("create", help="a bot account and an access token for it (shown once)")
    create.add_argument("username")
    create.add_argument(
        "--as", dest="actor", required=True, help="who makes it (needs the right to make bots)"
    )
    create.add_argument("--display-name", default="")
    create.add_argument("--description", default="")
    create.add_argument("--token-description", default="created with villagepump bot create")
    create.set_defaults(handler=_bot_create)
    listed = bot.add_parser("list", help="every bot, with its owner")
    listed.add_argument("--all", action="store_true", help="disabled bots too")
    listed.set_defaults(handler=_bot_list)

    webhook = commands.add_parser("webhook", help="incoming and outgoing webhooks").add_subparsers(
        dest="webhook_command", required=True
    )
    incoming = webhook.add_parser("create-incoming", help="a webhook posting into a channel; prints its URL")
    incoming.add_argument("--as", dest="actor", required=True, help="who makes it (a team admin of its team)")
    incoming.add_argument("--team", required=True, help="the team's name")
    incoming.add_argument("--channel", required=True, help="the channel's name")
    incoming.add_argument("--display-name", default="")
    incoming.add_argument("--locked", action="store_true", help="may post only to this channel")
    incoming.set_defaults(handler=_webhook_create_incoming)
    webhook.add_parser("list", help="every live webhook").set_defaults(handler=_webhook_list)
    delete = webhook.add_parser("delete", help="delete a webhook by its id")
    delete.add_argument("hook_id")
    delete.add_argument("--as", dest="actor", required=True, help="who deletes it (a team admin of its team)")
    delete.set_defaults(handler=_webhook_delete)

    command = commands.add_parser("command", help="custom slash commands").add_subparsers(
        dest="command_command", required=True
    )
    command_list = command.add_parser("list", help="a team's custom slash commands")
    command_list.add_argument("--team", required=True, help="the team's name")
    command_list.set_defaults(handler=_command_list)
