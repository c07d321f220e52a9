"""`villagepump user erase` and `villagepump user export-data`: a user's data from the shell, for
the operator who answers a request by mail. The same actions as the API (decision 0039)."""

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from villagepump.errors import APIError


def _run(work: Any) -> None:
    from villagepump.cli import _with_runtime

    asyncio.run(_with_runtime(work))


async def _user_id(rt: Any, name: str) -> str:
    """A username, or an account's id (an erased account keeps only its id)."""
    from villagepump.ids import is_valid_id
    from villagepump.store import users as user_store

    async with rt.db.read() as conn:
        found = await user_store.get_users_by_usernames(conn, [name])
        if not found and is_valid_id(name):
            user = await user_store.get_user(conn, name)
            found = [user] if user is not None else []
    if not found:
        raise APIError(404, "app.user.missing_account.const", f"No user named {name}.")
    return str(found[0]["id"])


def _erase(args: argparse.Namespace) -> None:
    from villagepump.actions import erase_user as erase_actions

    async def work(rt: Any) -> None:
        user_id = await _user_id(rt, args.user)
        defaults = erase_actions.EraseOptions.from_settings(rt)
        options = erase_actions.EraseOptions(
            posts=args.posts or defaults.posts,
            direct_messages=args.direct_messages or defaults.direct_messages,
        )
        report = await erase_actions.erase_user(rt, None, user_id, options)
        print(
            f"Erased {user_id} (posts {options.posts}d, direct messages {options.direct_messages}): "
            f"{report.posts} posts, {report.files} files, {report.reactions} reactions, "
            f"{report.direct_channels} direct conversations deleted."
        )

    _run(work)


def _export(args: argparse.Namespace) -> None:
    from villagepump.clock import now_ms_of
    from villagepump.files.storage import storage_for
    from villagepump.personal_data.export import write_export

    target = Path(args.out)
    if target.exists() and not args.force:
        print(f"error: {target} exists (use --force to overwrite)", file=sys.stderr)
        sys.exit(1)

    async def work(rt: Any) -> None:
        user_id = await _user_id(rt, args.user)
        storage = storage_for(rt.settings)
        await write_export(rt.db, storage, rt.settings.site_name, user_id, target, now_ms_of(rt.clock))
        print(f"Wrote the data of {args.user} to {target}.")

    _run(work)


def add_user_commands(user: Any) -> None:
    """Adds `erase` and `export-data` to the `user` command group."""
    erase = user.add_parser(
        "erase",
        help="erase a user for good (the right to be forgotten): scrub the account, end its sessions, "
        "delete files, reactions and settings; posts as the settings say unless told here",
    )
    erase.add_argument("user", help="a username, or the id of an account")
    posts = erase.add_mutually_exclusive_group()
    posts.add_argument(
        "--anonymise", dest="posts", action="store_const", const="anonymise", help="keep posts, anonymised"
    )
    posts.add_argument("--remove", dest="posts", action="store_const", const="remove", help="delete posts")
    directs = erase.add_mutually_exclusive_group()
    directs.add_argument(
        "--keep-direct-messages",
        dest="direct_messages",
        action="store_const",
        const="keep",
        help="the other side keeps one-to-one conversations",
    )
    directs.add_argument(
        "--delete-direct-messages",
        dest="direct_messages",
        action="store_const",
        const="delete",
        help="delete one-to-one conversations whole",
    )
    erase.set_defaults(handler=_erase)
    export = user.add_parser(
        "export-data", help="write a zip of everything a user posted and uploaded, their profile and settings"
    )
    export.add_argument("user", help="a username, or the id of an account")
    export.add_argument("--out", required=True, help="the zip file to write")
    export.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    export.set_defaults(handler=_export)
