"""`villagepump team list|show|create|archive|restore|add|remove|rename`: teams and their members,
changed through the same actions as the API's, as the operator or the user named by `--as`."""

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
from villagepump.render.teams import render_team
from villagepump.runtime import Runtime
from villagepump.store import Row

_KIND = {"O": "open", "I": "invite-only"}


def _render(team: Row) -> dict[str, Any]:
    # The operator may invite to any team, so its invite id shows.
    return render_team(team, show_invite=True)


@runtime_command
async def _list(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.store import teams as team_store

    async with rt.db.read() as conn:
        teams = await team_store.all_teams(conn, include_archived=args.archived)
        counts = [await team_store.member_counts(conn, t["id"]) for t in teams]
    if args.json:
        print_json([_render(t) for t in teams])
        return
    print_table(
        ("NAME", "ID", "KIND", "MEMBERS", "STATE", "DISPLAY NAME"),
        [
            (t["name"], t["id"], _KIND[t["type"]], total, archived_or_live(t), t["display_name"])
            for t, (total, _) in zip(teams, counts, strict=True)
        ],
    )


@runtime_command
async def _show(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.store import channels as channel_store
    from villagepump.store import teams as team_store
    from villagepump.store import users as user_store

    team = await lookup.find_team(rt, args.team)
    async with rt.db.read() as conn:
        total, active = await team_store.member_counts(conn, team["id"])
        channels = await channel_store.public_and_private_channels(conn, team["id"], include_archived=False)
        members = await team_store.members_page(conn, team["id"], page=0, per_page=10_000)
        admins = await user_store.get_users(conn, [m["user_id"] for m in members if m["scheme_admin"]])
    admin_names = sorted(u["username"] for u in admins)
    if args.json:
        print_json(
            {**_render(team), "member_count": total, "admins": admin_names, "channel_count": len(channels)}
        )
        return
    print_fields(
        [
            ("name", team["name"]),
            ("id", team["id"]),
            ("display name", team["display_name"]),
            ("description", team["description"]),
            ("kind", _KIND[team["type"]]),
            ("state", archived_or_live(team)),
            ("created", when(team["create_at"])),
            ("archived", when(team["delete_at"])),
            ("members", f"{total} ({active} active)"),
            ("admins", " ".join(admin_names)),
            ("channels", len(channels)),
        ]
    )


@runtime_command
async def _create(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import teams as team_actions

    actor = await lookup.actor(rt, args.actor)
    team_type = "I" if args.private else "O"
    team = await team_actions.create_team(rt, actor.user_id, args.name, args.display_name, team_type)
    print_outcome(args, _render, team, f"Created team {team['name']} ({team['id']}).")


def _archive(archive: bool) -> Handler:
    @runtime_command
    async def change(rt: Runtime, args: argparse.Namespace) -> None:
        from villagepump.actions import teams as team_actions

        actor = await lookup.actor(rt, args.actor)
        team = await lookup.find_team(rt, args.team)
        action = team_actions.archive_team if archive else team_actions.restore_team
        changed = await action(rt, actor, team["id"])
        done = f"Team {changed['name']} is {'archived' if archive else 'restored'}."
        print_outcome(args, _render, changed, done)

    return change


@runtime_command
async def _rename(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import teams as team_actions

    actor = await lookup.actor(rt, args.actor)
    team = await lookup.find_team(rt, args.team)
    changed = await team_actions.update_team(rt, actor, team["id"], {"display_name": args.display_name})
    print_outcome(args, _render, changed, f"Team {changed['name']} is now called {changed['display_name']}.")


@runtime_command
async def _add(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import teams as team_actions

    actor = await lookup.actor(rt, args.actor)
    team = await lookup.find_team(rt, args.team)
    users = await lookup.find_users(rt, args.users)
    await team_actions.add_members(rt, actor, team["id"], [u["id"] for u in users])
    names = ", ".join(u["username"] for u in users)
    print_outcome(args, _render, team, f"Added {names} to team {team['name']}.")


@runtime_command
async def _remove(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import teams as team_actions
    from villagepump.store import teams as team_store

    actor = await lookup.actor(rt, args.actor)
    team = await lookup.find_team(rt, args.team)
    users = await lookup.find_users(rt, args.users)
    # All must be members before any is removed.
    async with rt.db.read() as conn:
        for user in users:
            if await team_store.get_active_member(conn, team["id"], user["id"]) is None:
                raise errors.APIError(
                    404,
                    "app.team.get_member.missing.app_error",
                    f"{user['username']} is not a member of team {team['name']}; nobody was removed.",
                )
    for user in users:
        await team_actions.remove_member(rt, actor, team["id"], user["id"])
    names = ", ".join(u["username"] for u in users)
    print_outcome(args, _render, team, f"Removed {names} from team {team['name']} and its channels.")


def add_team_commands(commands: Any) -> None:
    team = commands.add_parser("team", help="teams and their members").add_subparsers(
        dest="team_command", required=True
    )
    listing = add_command(team, "list", _list, "every team, by name")
    listing.add_argument("--archived", action="store_true", help="archived teams too")
    add_command(team, "show", _show, "a team's details").add_argument("team", help="name or id")
    create = add_command(team, "create", _create, "a team with its default channels")
    create.add_argument("name", help="its name in URLs: lowercase letters, digits and dashes")
    create.add_argument("--display-name", required=True)
    create.add_argument("--private", action="store_true", help="invite-only rather than open to everyone")
    add_actor_option(create)
    create.epilog = "With --as, that user makes the team and becomes its first admin; else it starts empty."
    for name, handler, help_text in (
        ("archive", _archive(True), "archive a team (its content stays; restore brings it back)"),
        ("restore", _archive(False), "restore an archived team"),
    ):
        command = add_command(team, name, handler, help_text)
        command.add_argument("team", help="name or id")
        add_actor_option(command)
    rename = add_command(team, "rename", _rename, "change a team's display name")
    rename.add_argument("team", help="name or id")
    rename.add_argument("display_name")
    add_actor_option(rename)
    for name, handler, help_text in (
        ("add", _add, "add users to a team (and its default channels)"),
        ("remove", _remove, "remove users from a team and all its channels"),
    ):
        command = add_command(team, name, handler, help_text)
        command.add_argument("team", help="name or id")
        command.add_argument("users", nargs="+", metavar="user", help="username, e-mail or id")
        add_actor_option(command)
