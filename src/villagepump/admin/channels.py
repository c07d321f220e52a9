"""`villagepump channel list|show|create|archive|restore|make-private|make-public|add|remove|rename`.

A channel hears who changed it ("iago archived the channel."), so every change is made as the
user named by `--as`, through the same action and with the same rights as through the API.
"""

import argparse
from typing import Any

from villagepump import errors
from villagepump.admin import lookup
from villagepump.admin.output import (
    archived_or_live,
    print_fields,
    print_json,
    print_outcome,
    print_table,
    when,
)
from villagepump.admin.running import Handler, add_actor_option, add_command, runtime_command
from villagepump.render.channels import render_channel
from villagepump.runtime import Runtime
from villagepump.store import Row

_KIND = {"O": "public", "P": "private"}
_CHANNEL_HELP = "TEAM:CHANNEL (each by name or id), or the channel's id"


@runtime_command
async def _list(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.store import channels as channel_store

    team = await lookup.find_team(rt, args.team)
    async with rt.db.read() as conn:
        channels = await channel_store.public_and_private_channels(
            conn, team["id"], include_archived=args.archived
        )
        counts = [await channel_store.count_active_members(conn, c["id"]) for c in channels]
    if args.json:
        print_json([render_channel(c) for c in channels])
        return
    print_table(
        ("NAME", "ID", "KIND", "MEMBERS", "STATE", "DISPLAY NAME"),
        [
            (c["name"], c["id"], _KIND[c["type"]], count, archived_or_live(c), c["display_name"])
            for c, count in zip(channels, counts, strict=True)
        ],
    )


@runtime_command
async def _show(rt: Runtime, args: argparse.Namespace) -> None:
    """What the system console shows of a channel: never its messages."""
    from villagepump.store import channels as channel_store
    from villagepump.store import teams as team_store

    channel = await lookup.find_channel(rt, args.channel)
    async with rt.db.read() as conn:
        team = await team_store.get_team(conn, channel["team_id"])
        members = await channel_store.count_active_members(conn, channel["id"])
    assert team is not None
    if args.json:
        print_json({**render_channel(channel), "team_name": team["name"], "member_count": members})
        return
    print_fields(
        [
            ("name", f"{team['name']}:{channel['name']}"),
            ("id", channel["id"]),
            ("display name", channel["display_name"]),
            ("kind", _KIND[channel["type"]]),
            ("state", archived_or_live(channel)),
            ("purpose", channel["purpose"]),
            ("header", channel["header"]),
            ("created", when(channel["create_at"])),
            ("archived", when(channel["delete_at"])),
            ("last post", when(channel["last_post_at"])),
            ("members", members),
        ]
    )


@runtime_command
async def _create(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump import permissions
    from villagepump.actions import channels as channel_actions

    actor = await lookup.actor(rt, args.actor)
    team = await lookup.find_team(rt, args.team)
    async with rt.db.read() as conn:
        await permissions.require_team_member(conn, actor, team["id"])
    channel = await channel_actions.create_channel(
        rt,
        actor.user_id,
        team_id=team["id"],
        name=args.name,
        display_name=args.display_name or args.name,
        channel_type="P" if args.private else "O",
        purpose=args.purpose,
        header=args.header,
    )
    done = f"Created channel {team['name']}:{channel['name']} ({channel['id']})."
    print_outcome(args, render_channel, channel, done)


def _change(action: str) -> Handler:
    """archive, restore, make-private, make-public."""

    @runtime_command
    async def change(rt: Runtime, args: argparse.Namespace) -> None:
        from villagepump.actions import channels as channel_actions

        actor = await lookup.actor(rt, args.actor)
        channel = await lookup.find_channel(rt, args.channel)
        if action == "archive":
            changed = await channel_actions.archive_channel(rt, actor, channel["id"])
        elif action == "restore":
            changed = await channel_actions.restore_channel(rt, actor, channel["id"])
        else:
            kind = "P" if action == "make-private" else "O"
            changed = await channel_actions.convert_channel(rt, actor, channel["id"], kind)
        state = archived_or_live(changed) if action in ("archive", "restore") else _KIND[changed["type"]]
        print_outcome(
            args, render_channel, changed, f"Channel {changed['name']} ({changed['id']}) is {state}."
        )

    return change


@runtime_command
async def _rename(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import channels as channel_actions

    values = {"name": args.new_name, "display_name": args.display_name}
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        raise errors.bad_request(
            "api.context.invalid_param.app_error", "Give a new name, --display-name, or both."
        )
    actor = await lookup.actor(rt, args.actor)
    channel = await lookup.find_channel(rt, args.channel)
    changed = await channel_actions.update_channel(rt, actor, channel["id"], values)
    done = f"Channel {changed['id']} is now {changed['name']} ({changed['display_name']})."
    print_outcome(args, render_channel, changed, done)


def _members(adding: bool) -> Handler:
    @runtime_command
    async def members(rt: Runtime, args: argparse.Namespace) -> None:
        from villagepump.actions import channels as channel_actions

        actor = await lookup.actor(rt, args.actor)
        channel = await lookup.find_channel(rt, args.channel)
        users = await lookup.find_users(rt, args.users)
        # All ready (in the team to be added, in the channel to be removed) before any change.
        async with rt.db.read() as conn:
            for user in users:
                await _require_ready(conn, channel, user, adding)
        for user in users:
            if adding:
                await channel_actions.add_member(rt, actor, channel["id"], user["id"])
            else:
                await channel_actions.remove_member(rt, actor, channel["id"], user["id"])
        names = ", ".join(u["username"] for u in users)
        done = f"Added {names} to" if adding else f"Removed {names} from"
        print_outcome(args, render_channel, channel, f"{done} channel {channel['name']}.")

    return members


async def _require_ready(conn: Any, channel: Row, user: Row, adding: bool) -> None:
    from villagepump.store import channels as channel_store
    from villagepump.store import teams as team_store

    if adding:
        if user["delete_at"] or not await team_store.get_active_member(conn, channel["team_id"], user["id"]):
            raise errors.APIError(
                403,
                "api.channel.add_members.user_denied",
                f"{user['username']} is not an active member of the channel's team; nobody was added.",
            )
    elif await channel_store.get_member(conn, channel["id"], user["id"]) is None:
        raise errors.APIError(
            404,
            "app.channel.get_member.missing.app_error",
            f"{user['username']} is not in channel {channel['name']}; nobody was removed.",
        )


def add_channel_commands(commands: Any) -> None:
    channel = commands.add_parser("channel", help="public and private channels").add_subparsers(
        dest="channel_command", required=True
    )
    listing = add_command(channel, "list", _list, "a team's public and private channels, by name")
    listing.add_argument("team", help="name or id")
    listing.add_argument("--archived", action="store_true", help="archived channels too")
    add_command(channel, "show", _show, "a channel's details").add_argument("channel", help=_CHANNEL_HELP)
    create = add_command(channel, "create", _create, "a channel; the one who makes it is its first member")
    create.add_argument("team", help="name or id")
    create.add_argument("name", help="its name in URLs: lowercase letters, digits, dashes, underscores")
    create.add_argument("--display-name", help="(default: the name)")
    create.add_argument("--private", action="store_true")
    create.add_argument("--purpose", default="")
    create.add_argument("--header", default="")
    add_actor_option(create, required=True)
    for name, help_text in (
        ("archive", "archive a channel (its messages stay readable to its members)"),
        ("restore", "restore an archived channel"),
        ("make-private", "make a public channel private; its members stay"),
        ("make-public", "make a private channel public"),
    ):
        command = add_command(channel, name, _change(name), help_text)
        command.add_argument("channel", help=_CHANNEL_HELP)
        add_actor_option(command, required=True)
    rename = add_command(channel, "rename", _rename, "change a channel's name in URLs, display name, or both")
    rename.add_argument("channel", help=_CHANNEL_HELP)
    rename.add_argument("new_name", nargs="?", help="the new name in URLs")
    rename.add_argument("--display-name")
    add_actor_option(rename, required=True)
    for name, adding, help_text in (
        ("add", True, "add team members to a channel"),
        ("remove", False, "remove users from a channel"),
    ):
        command = add_command(channel, name, _members(adding), help_text)
        command.add_argument("channel", help=_CHANNEL_HELP)
        command.add_argument("users", nargs="+", metavar="user", help="username, e-mail or id")
        add_actor_option(command, required=True)
