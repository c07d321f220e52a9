"""Accounts: creating, changing and deactivating users."""

import re
from typing import Any

from villagepump import errors, permissions
from villagepump.actions import account_mail
from villagepump.actions import channels as channel_actions
from villagepump.actions import mailed_links as links
from villagepump.actions import sessions as session_actions
from villagepump.actions import teams as team_actions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import GUEST_ROLE, Caller, hash_token, is_guest
from villagepump.events.types import Broadcast, Event
from villagepump.ids import new_id, now_ms
from villagepump.moderation import audit
from villagepump.passwords import check_password_rules
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import sessions as session_store
from villagepump.store import systems as system_store
from villagepump.store import teams as team_store
from villagepump.store import tokens as token_store
from villagepump.store import users as user_store

# Mattermost's rule: 3 to 22 characters, starting with a letter; letters, digits, ".", "-", "_".
_USERNAME = re.compile(r"^[a-z][a-z0-9.\-_]{2,21}$")
_RESERVED_USERNAMES = {"all", "channel", "here", "matterbot", "system", "villagepump"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")
SETUP_TOKEN = "first_admin_setup_token"
PATCHABLE = (
    "username",
    "email",
    "nickname",
    "first_name",
    "last_name",
    "position",
    "locale",
    "props",
    "notify_props",
    "timezone",
)


def check_username(username: object) -> str:
    if not isinstance(username, str) or not _USERNAME.match(username) or username in _RESERVED_USERNAMES:
        raise errors.bad_request(
            "model.user.is_valid.username.app_error",
            "Username must begin with a letter, and contain between 3 to 22 lowercase characters made up "
            "of numbers, letters, and the symbols '.', '-', and '_'.",
        )
    return username


def check_email(email: object) -> str:
    if not isinstance(email, str) or len(email) > 128 or not _EMAIL.match(email):
        raise errors.bad_request("model.user.is_valid.email.app_error", "Invalid email address.")
    return email.lower()


def new_user_row(
    now: int,
    username: str,
    email: str,
    *,
    email_verified: bool,
    password_hash: str = "",
    roles: str = "system_user",
    auth_service: str = "",
    auth_data: str | None = None,
    **profile: Any,
) -> dict[str, Any]:
    """A new person's users row, for sign-up and single sign-on alike: one place that knows
    every column a fresh account starts with."""
    return {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "username": username,
        "email": email,
        "email_verified": email_verified,
        "password_hash": password_hash,
        "roles": roles,
        "locale": "en",
        "timezone": {},
        "notify_props": {},
        "props": {},
        "last_password_update": now,
        "last_picture_update": 0,
        "is_bot": False,
        "auth_service": auth_service,
        "auth_data": auth_data,
        **profile,
    }


async def create_user(
    rt: Runtime,
    *,
    username: str,
    email: str,
    password: str,
    system_admin: bool = False,
    guest: bool = False,
    profile: dict[str, Any] | None = None,
    invite_team_id: str = "",
    invite_id: str = "",
    setup_token: str = "",
    invitation: Row | None = None,
    email_verified: bool = False,
) -> Row:
    """Creates an account (and, with an invitation, its team membership) in one transaction.
    With `setup_token`, the account is made only if the token is still valid, using it up.
    With `invite_id` (a team's invite link), only while the link works: it is looked up in the
    transaction, so a link regenerated a moment ago makes no account.
    With an e-mail `invitation` (a tokens row), the account gets the invited address, verified,
    and the invitation is used up; a guest invitation makes a system_guest who belongs to the
    team and to the invitation's channels only."""
    if invitation is not None:
        email, email_verified = invitation["email"], True
    username, email = (
        check_username(username.lower() if isinstance(username, str) else username),
        check_email(email),
    )
    guest = guest or (invitation is not None and invitation["type"] == links.GUEST_INVITATION)
    password_hash = await rt.passwords.hash(check_password_rules(password))
    now = now_ms()
    values = new_user_row(
        now,
        username,
        email,
        email_verified=email_verified,
        password_hash=password_hash,
        roles=GUEST_ROLE if guest else "system_admin system_user" if system_admin else "system_user",
        **_profile_fields(profile or {}),
    )
    async with transaction(rt) as tx:
        # Two people opening the setup link at once: one deletes the token, the other finds none.
        if setup_token and not await system_store.take_value(tx.conn, SETUP_TOKEN, setup_token):
            raise errors.forbidden("The setup link is invalid or has already been used.")
        if invite_id:
            team = await team_actions.team_for_invite(tx.conn, rt, invite_id)
            if team is None:
                raise errors.APIError(
                    400,
                    "api.user.create_user.invalid_invitation_type.app_error",
                    "The invitation link is invalid or has expired.",
                )
            invite_team_id = team["id"]
        # A username or e-mail already in use, even since a moment ago, is refused by the users'
        # unique keys with Mattermost's error (see actions/transaction.py).
        await user_store.insert_user(tx.conn, values)
        user = await user_store.get_user(tx.conn, values["id"])
        assert user is not None
        tx.publish(Event("new_user", {"user_id": user["id"]}))
        if invite_team_id:
            await team_actions.add_member_in(tx, invite_team_id, user["id"])
        if invitation is not None:
            await _accept_invitation_in(tx, invitation, user["id"])
        if rt.settings.require_email_verification and not email_verified:
            await account_mail.send_verification_in(rt, tx, user, email, change=False)
    return user


async def _accept_invitation_in(tx: Transaction, invitation: Row, user_id: str) -> None:
    # Taken inside the transaction that makes the account: of two sign-ups with one link, one
    # gets the invitation and the other is refused; a sign-up that fails leaves it unused.
    if await token_store.take_token(tx.conn, invitation["token_hash"], links.INVITATIONS) is None:
        raise invalid_signup_link()
    team_id = invitation["data"].get("team_id", "")
    if invitation["type"] != links.GUEST_INVITATION:
        await team_actions.add_member_in(tx, team_id, user_id)
        return
    # A guest joins the team without its default channels, and then only the invited ones.
    await team_actions.add_member_in(tx, team_id, user_id, default_channels=False)
    for channel_id in invitation["data"].get("channel_ids", []):
        channel = await channel_store.get_channel(tx.conn, channel_id)
        if channel is not None and not channel["delete_at"] and channel["team_id"] == team_id:
            await channel_actions.add_member_in(tx, channel, user_id)


def invalid_signup_link(status: int = 400) -> errors.APIError:
    return errors.APIError(
        status,
        "api.user.create_user.signup_link_invalid.app_error",
        "The signup link does not appear to be valid.",
    )


async def find_invitation(rt: Runtime, token: str) -> Row:
    """The invitation a sign-up link carries, if it can still be used (Mattermost's errors)."""
    async with rt.db.read() as conn:
        row = await token_store.get_token(conn, hash_token(token))
    if row is None:
        raise invalid_signup_link(404)
    if row["type"] not in links.INVITATIONS:
        raise invalid_signup_link()
    if links.is_expired(rt, row):
        raise errors.bad_request(
            "api.user.create_user.signup_link_expired.app_error", "The signup link has expired."
        )
    return row


async def create_first_admin(rt: Runtime, setup_token: str, **fields: Any) -> Row:
    """The one-time link printed on an empty server makes its first system admin."""
    async with rt.db.read() as conn:
        expected = await system_store.get_value(conn, SETUP_TOKEN)
    # Checked here too, so that a wrong link costs no password hashing.
    if not expected or setup_token != expected:
        raise errors.forbidden("The setup link is invalid or has already been used.")
    return await create_user(rt, system_admin=True, setup_token=setup_token, **fields)


async def setup_token_if_empty(rt: Runtime) -> str | None:
    """On a server with no users, the token of the first-admin link (made once, then reused)."""
    async with transaction(rt) as tx:
        if await user_store.count_users(tx.conn) > 0:
            return None
        # Several processes may start at once on an empty database: the first token made stays.
        await system_store.add_value(tx.conn, SETUP_TOKEN, new_id())
        return await system_store.get_value(tx.conn, SETUP_TOKEN)


def _profile_fields(patch: dict[str, Any]) -> dict[str, Any]:
    limits = {"nickname": 64, "first_name": 64, "last_name": 64, "position": 128, "locale": 8}
    fields: dict[str, Any] = {}
    for name, limit in limits.items():
        if name in patch and patch[name] is not None:
            value = patch[name]
            if not isinstance(value, str) or len(value) > limit:
                raise errors.bad_request(f"model.user.is_valid.{name}.app_error", f"Invalid {name}.")
            fields[name] = value
    for name in ("props", "notify_props", "timezone"):
        if name in patch and patch[name] is not None:
            value = patch[name]
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and len(v) < 4096 for k, v in value.items()
            ):
                raise errors.bad_request(f"model.user.is_valid.{name}.app_error", f"Invalid {name}.")
            fields[name] = value
    return fields


async def patch_user(rt: Runtime, user_id: str, patch: dict[str, Any], *, by_admin: bool = False) -> Row:
    """An account made or linked by single sign-on keeps the provider's name (docs/security.md):
    its owner cannot rename it, so a Wikimedia username means the same person here; an admin can,
    to settle a clash. Its address stays the owner's to change, through verification as for
    everyone, since some providers give none."""
    fields = _profile_fields(patch)
    if patch.get("username") is not None:
        fields["username"] = check_username(patch["username"])
    if patch.get("email") is not None:
        fields["email"] = check_email(patch["email"])
    async with transaction(rt) as tx:
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        renamed = fields.get("username", user["username"]) != user["username"]
        if renamed and user["auth_service"] and not by_admin:
            raise errors.APIError(
                409,
                "api.user.patch_user.login_provider_attribute_set.app_error",
                "The username is set by the account's sign-in provider.",
            )
        for name in ("props", "notify_props", "timezone"):
            if name in fields:
                fields[name] = {**(user[name] or {}), **fields[name]}
        if "email" in fields and await account_mail.change_email_in(rt, tx, user, fields["email"]):
            del fields["email"]
        fields["update_at"] = now_ms()
        await user_store.update_user(tx.conn, user_id, fields)
        updated = await user_store.get_user(tx.conn, user_id)
        assert updated is not None
        _publish_user_updated(tx, updated)
    return updated


def _publish_user_updated(tx: Transaction, user: Row) -> None:
    # Everyone hears the public profile; the user's own sessions re-read the full one over REST.
    tx.publish(Event("user_updated", {"user": render_user(user, full=False)}))


async def change_password(
    rt: Runtime, user_id: str, current: str | None, new: str, *, keep_session: str = ""
) -> None:
    """`current` is None when a system admin resets someone else's password. Every session of
    the user ends but `keep_session` (the one that changed it): whoever knew the old password
    is signed out everywhere else."""
    new = check_password_rules(new)
    async with rt.db.read() as conn:
        user = await user_store.get_user(conn, user_id)
    if user is None:
        raise errors.not_found("user", "app.user.missing_account.const")
    if user["auth_service"]:
        # Its provider signs it in; a password would be a second way in that nobody watches.
        raise errors.bad_request(
            "api.user.update_password.oauth.app_error", "This account signs in through its provider."
        )
    if current is not None and not await rt.passwords.verify(user["password_hash"], current):
        raise errors.bad_request(
            "api.user.check_user_password.invalid.app_error", "Login failed because of invalid password."
        )
    new_hash = await rt.passwords.hash(new)
    async with transaction(rt) as tx:
        now = now_ms()
        await user_store.update_user(
            tx.conn, user_id, {"password_hash": new_hash, "last_password_update": now, "update_at": now}
        )
        removed = await session_store.delete_user_sessions(tx.conn, user_id, keep=keep_session)
        await audit.record(
            tx.conn,
            rt.settings,
            audit.PASSWORD_CHANGED,
            target_id=user_id,
            details={"by_admin": current is None},
        )
        session_actions.publish_revoked(tx, user_id, removed)


async def update_roles(rt: Runtime, user_id: str, roles: str) -> Row:
    names = roles.split()
    if (
        not names
        or any(name not in ("system_user", "system_admin", "system_moderator") for name in names)
        or "system_user" not in names
    ):
        raise errors.bad_request("api.user.update_roles.invalid_roles", "Invalid roles.")
    async with transaction(rt) as tx:
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        if is_guest(user["roles"]):
            # A guest becomes a user by promotion, which changes their memberships too.
            raise errors.bad_request("api.user.update_roles.invalid_roles", "Promote the guest first.")
        await user_store.update_user(tx.conn, user_id, {"roles": " ".join(names), "update_at": now_ms()})
        await audit.record(
            tx.conn,
            rt.settings,
            audit.ROLES_CHANGED,
            target_id=user_id,
            details={"old": user["roles"], "new": " ".join(names)},
        )
        updated = await user_store.get_user(tx.conn, user_id)
        assert updated is not None
        tx.publish(
            Event(
                "user_role_updated",
                {"user_id": user_id, "roles": updated["roles"]},
                Broadcast(user_id=user_id),
            )
        )
        session_actions.publish_revoked(tx, user_id, [], forget_user=True)
    return updated


async def set_guest(rt: Runtime, user_id: str, guest: bool) -> Row:
    """Demotes a user to a guest or promotes a guest to a user. Their memberships change with
    them (team_guest / channel_guest, no admin roles), and every process forgets their sessions'
    cached roles, so the next request is judged by the new ones."""
    async with transaction(rt) as tx:
        await user_store.lock_user(tx.conn, user_id)
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        if guest and is_guest(user["roles"]):
            raise errors.APIError(
                501, "api.user.demote_user_to_guest.already_guest.app_error", "The user is already a guest."
            )
        if not guest and not is_guest(user["roles"]):
            raise errors.APIError(
                501, "api.user.promote_guest_to_user.no_guest.app_error", "The user is not a guest."
            )
        roles = GUEST_ROLE if guest else "system_user"
        await user_store.update_user(tx.conn, user_id, {"roles": roles, "update_at": now_ms()})
        await audit.record(
            tx.conn,
            rt.settings,
            audit.ROLES_CHANGED,
            target_id=user_id,
            details={"old": user["roles"], "new": roles},
        )
        await team_store.set_member_roles_for_user(tx.conn, user_id, "team_guest" if guest else "team_user")
        await channel_store.set_member_roles_for_user(
            tx.conn, user_id, "channel_guest" if guest else "channel_user"
        )
        updated = await user_store.get_user(tx.conn, user_id)
        assert updated is not None
        tx.publish(
            Event("user_role_updated", {"user_id": user_id, "roles": roles}, Broadcast(user_id=user_id))
        )
        session_actions.publish_revoked(tx, user_id, [], forget_user=True)
        _publish_user_updated(tx, updated)
    return updated


async def set_active(rt: Runtime, user_id: str, active: bool, *, actor: Caller | None = None) -> Row:
    """Deactivating keeps the account and its posts but ends its sessions. An `actor` who is not
    a system admin nor the user is a moderator, who deactivates only members and guests."""
    async with transaction(rt) as tx:
        if actor is not None and not actor.is_system_admin and actor.user_id != user_id:
            await permissions.require_moderator_over(tx.conn, actor, user_id)
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        now = now_ms()
        await user_store.update_user(tx.conn, user_id, {"delete_at": 0 if active else now, "update_at": now})
        action = audit.USER_ACTIVATED if active else audit.USER_DEACTIVATED
        await audit.record(tx.conn, rt.settings, action, target_id=user_id)
        if not active:
            # Access tokens stay (reactivation restores them) but stop resolving while the
            # account is inactive; their sockets close with the sessions'.
            removed = await session_store.delete_user_sessions(tx.conn, user_id)
            removed += await session_store.list_access_tokens(tx.conn, user_id)
            session_actions.publish_revoked(tx, user_id, removed, forget_user=True)
        updated = await user_store.get_user(tx.conn, user_id)
        assert updated is not None
        _publish_user_updated(tx, updated)
    return updated
