"""`villagepump role list|show NAME`: the built-in roles and the permissions each grants, as
the server applies them now (RestrictTeamInviteToAdmins moves two of them)."""

import argparse
from typing import Any

from villagepump.admin.output import print_fields, print_json, print_table
from villagepump.admin.running import add_command, runtime_command
from villagepump.errors import APIError
from villagepump.roles import ROLE_PERMISSIONS, render_role
from villagepump.runtime import Runtime

_SCOPES = ("system", "team", "channel")


def _scope(name: str) -> str:
    return name.split("_", 1)[0]


@runtime_command
async def _list(rt: Runtime, args: argparse.Namespace) -> None:
    restricted = rt.settings.restrict_team_invite_to_admins
    names = sorted(ROLE_PERMISSIONS, key=lambda n: (_SCOPES.index(_scope(n)), n))
    roles = [render_role(name, invite_restricted=restricted) for name in names]
    if args.json:
        print_json(roles)
        return
    print_table(
        ("NAME", "SCOPE", "PERMISSIONS"),
        [(r["name"], _scope(r["name"]), len(r["permissions"])) for r in roles],
    )


@runtime_command
async def _show(rt: Runtime, args: argparse.Namespace) -> None:
    if args.name not in ROLE_PERMISSIONS:
        raise APIError(
            404,
            "app.role.get_by_name.app_error",
            f"No role {args.name!r}; `villagepump role list` names them.",
        )
    role = render_role(args.name, invite_restricted=rt.settings.restrict_team_invite_to_admins)
    if args.json:
        print_json(role)
        return
    print_fields([("name", role["name"]), ("id", role["id"]), ("scope", _scope(role["name"]))])
    print("permissions:")
    for permission in sorted(role["permissions"]):
        print(f"  {permission}")


def add_role_commands(commands: Any) -> None:
    role = commands.add_parser("role", help="the built-in roles and their permissions").add_subparsers(
        dest="role_command", required=True
    )
    add_command(role, "list", _list, "every role, by scope")
    add_command(role, "show", _show, "a role's permissions").add_argument(
        "name", help="e.g. system_moderator"
    )
