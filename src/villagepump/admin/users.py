"""`villagepump user list|show|deactivate|activate|role|password-reset|revoke-sessions|set-password`:
accounts, changed through the same actions (checks, events, audit entries) as the API's."""

import argparse
import getpass
import sys
from typing import Any

from villagepump.admin import lookup
from villagepump.admin.output import print_fields, print_json, print_outcome, print_table, when
from villagepump.admin.running import Handler, add_command, run, runtime_command
from villagepump.errors import APIError
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import Row

# The roles `user role` gives, as Mattermost's system console offers them (plus our moderator).
SYSTEM_ROLES = {
    "member": "system_user",
    "moderator": "system_user system_moderator",
    "admin": "system_user system_admin",
}
# `user list --role` takes these words or a role's own name.
_ROLE_FILTERS = {"admin": "system_admin", "moderator": "system_moderator", "guest": "system_guest"}
_PAGE = 1000


def _render(user: Row) -> dict[str, Any]:
    return render_user(user, full=True)


def _state(user: Row) -> str:
    return "inactive" if user["delete_at"] else "active"


def _has_role(user: Row, wanted: str) -> bool:
    roles = str(user["roles"]).split()
    if wanted == "member":
        return roles == ["system_user"]
    return _ROLE_FILTERS.get(wanted, wanted) in roles


async def _listed_users(rt: Runtime, args: argparse.Namespace) -> list[Row]:
    from villagepump.store import users as user_store

    team_id = (await lookup.find_team(rt, args.team))["id"] if args.team else ""
    found: list[Row] = []
    page = 0
    async with rt.db.read() as conn:
        while batch := await user_store.list_users(
            conn, page=page, per_page=_PAGE, in_team=team_id, include_deleted=args.inactive
        ):
            found += batch
            page += 1
    if args.inactive:
        found = [u for u in found if u["delete_at"]]
    if args.role:
        found = [u for u in found if _has_role(u, args.role)]
    return found


@runtime_command
async def _list(rt: Runtime, args: argparse.Namespace) -> None:
    found = await _listed_users(rt, args)
    if args.json:
        print_json([_render(u) for u in found])
        return
    print_table(
        ("USERNAME", "ID", "EMAIL", "ROLES", "STATE"),
        [(u["username"], u["id"], u["email"], u["roles"], _state(u)) for u in found],
    )


@runtime_command
async def _show(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.store import sessions as session_store
    from villagepump.store import teams as team_store

    user = await lookup.find_user(rt, args.user)
    async with rt.db.read() as conn:
        teams = await team_store.teams_for_user(conn, user["id"])
        sessions = await session_store.list_sessions(conn, user["id"])
    team_names = sorted(t["name"] for t in teams)
    if args.json:
        print_json({**_render(user), "teams": team_names, "session_count": len(sessions)})
        return
    print_fields(
        [
            ("username", user["username"]),
            ("id", user["id"]),
            ("email", user["email"]),
            ("email verified", user["email_verified"]),
            ("name", f"{user['first_name']} {user['last_name']}".strip()),
            ("nickname", user["nickname"]),
            ("roles", user["roles"]),
            ("state", _state(user)),
            ("bot", user["is_bot"]),
            ("sign-in service", user["auth_service"] or "password"),
            ("two-factor", user["mfa_active"]),
            ("created", when(user["create_at"])),
            ("deactivated", when(user["delete_at"])),
            ("teams", " ".join(team_names)),
            ("sessions", len(sessions)),
        ]
    )


def _set_active(active: bool) -> Handler:
    @runtime_command
    async def set_active(rt: Runtime, args: argparse.Namespace) -> None:
        from villagepump.actions import users as user_actions

        user = await lookup.find_user(rt, args.user)
        updated = await user_actions.set_active(rt, user["id"], active)
        what = "active again" if active else "deactivated; their sessions are ended"
        print_outcome(args, _render, updated, f"{updated['username']} is {what}.")

    return set_active


@runtime_command
async def _role(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import users as user_actions

    user = await lookup.find_user(rt, args.user)
    updated = await user_actions.update_roles(rt, user["id"], SYSTEM_ROLES[args.role])
    print_outcome(args, _render, updated, f"{updated['username']} is now {args.role} ({updated['roles']}).")


@runtime_command
async def _password_reset(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import account_mail

    user = await lookup.find_user(rt, args.user)
    if args.print_link:
        link = await account_mail.password_reset_link(rt, user["id"])
        if args.json:
            print_json({"user_id": user["id"], "link": link})
        else:
            print(f"A one-time link for {user['username']}, valid for an hour: {link}")
        return
    if not rt.settings.smtp_server:
        raise APIError(
            501,
            "api.user.send_password_reset.send.app_error",
            "No mail server is set (EmailSettings.SMTPServer): give --print-link to hand the "
            "one-time link over yourself, or use `villagepump user set-password`.",
        )
    # The action answers every address alike, for the API's sake; the operator is told.
    account_mail.check_resettable(user)
    await account_mail.send_password_reset(rt, user["email"])
    if args.json:
        print_json({"user_id": user["id"], "sent_to": user["email"]})
    else:
        print(f"Sent a password reset link to {user['email']}.")


@runtime_command
async def _revoke_sessions(rt: Runtime, args: argparse.Namespace) -> None:
    from villagepump.actions import sessions as session_actions

    user = await lookup.find_user(rt, args.user)
    await session_actions.revoke_all_sessions(rt, user["id"])
    print_outcome(args, _render, user, f"Ended every session of {user['username']}.")


def _read_password() -> str:
    """From standard input (one line), never the command line, where `ps` and shell history
    would show it; asked twice on a terminal."""
    if sys.stdin.isatty():
        password = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != password:
            raise APIError(400, "api.user.update_password.mismatch", "The two passwords differ.")
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _set_password(args: argparse.Namespace) -> None:
    from villagepump.actions import users as user_actions

    password = _read_password()

    async def work(rt: Runtime) -> None:
        user = await lookup.find_user(rt, args.user)
        await user_actions.change_password(rt, user["id"], None, password)
        done = f"Set a new password for {user['username']}; their sessions are ended."
        print_outcome(args, _render, user, done)

    run(work)


def add_user_commands(user: Any) -> None:
    """Beside `user create` and `user reset-mfa` in the existing `user` group."""
    listing = add_command(user, "list", _list, "accounts, by username")
    listing.add_argument("--team", help="only members of this team (name or id)")
    listing.add_argument("--inactive", action="store_true", help="only deactivated accounts")
    listing.add_argument("--role", help="only these: member, moderator, admin, guest (or a role's name)")
    named = (
        ("show", _show, "an account's details, teams and sessions"),
        ("deactivate", _set_active(False), "deactivate an account, ending its sessions and sockets"),
        ("activate", _set_active(True), "reactivate a deactivated account"),
        ("revoke-sessions", _revoke_sessions, "end every session of an account (access tokens stay)"),
        ("set-password", _set_password, "a new password, read from standard input; ends their sessions"),
    )
    for name, handler, help_text in named:
        add_command(user, name, handler, help_text).add_argument("user", help="username, e-mail or id")
    role = add_command(user, "role", _role, "make an account a member, moderator or system admin")
    role.add_argument("user", help="username, e-mail or id")
    role.add_argument("role", choices=tuple(SYSTEM_ROLES))
    reset = add_command(user, "password-reset", _password_reset, "mail the user a password reset link")
    reset.add_argument("user", help="username, e-mail or id")
    reset.add_argument(
        "--print-link", action="store_true", help="print the one-time link instead of mailing it"
    )
