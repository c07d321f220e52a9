"""Single sign-on: remembering a sign-in while the browser is at the provider, then finding,
linking or making the account the provider vouched for, and opening its session."""

import hashlib
import hmac
import re
import unicodedata

from villagepump import errors
from villagepump.actions import teams as team_actions
from villagepump.actions.sessions import LoginResult, open_session
from villagepump.actions.transaction import Transaction, transaction
from villagepump.actions.users import check_username, new_user_row
from villagepump.auth import hash_token
from villagepump.clock import now_ms_of
from villagepump.events.types import Event
from villagepump.ids import new_id
from villagepump.runtime import Runtime
from villagepump.sso.providers import Attempt, Identity
from villagepump.store import Row
from villagepump.store import sso as sso_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

# Time to sign in at the provider (Mattermost keeps its OAuth cookie for 30 minutes).
STATE_LIFETIME_MS = 30 * 60 * 1000
_USERNAME_MAX = 22


def invalid_state() -> errors.APIError:
    return errors.bad_request(
        "api.user.authorize_oauth_user.invalid_state.app_error",
        "Invalid state: this sign-in was not started here, has expired, or was already used.",
    )


async def begin_sign_in(
    rt: Runtime,
    *,
    service: str,
    attempt: Attempt,
    binding: str,
    redirect_to: str,
    action: str,
    invite_id: str,
) -> None:
    now = now_ms_of(rt.clock)
    async with transaction(rt) as tx:
        await sso_store.delete_expired_states(tx.conn, now)
        await sso_store.insert_state(
            tx.conn,
            {
                "state": attempt.state,
                "binding": hash_token(binding),
                "service": service,
                "nonce": attempt.nonce,
                "code_verifier": attempt.code_verifier,
                "redirect_to": redirect_to,
                "action": action,
                "invite_id": invite_id,
                "expires_at": now + STATE_LIFETIME_MS,
            },
        )


async def take_sign_in(rt: Runtime, state: str, binding: str) -> Row:
    """The sign-in `state` began, used up. Refused unless it comes back to the browser that
    began it (the cookie `binding`), so nobody can sign a victim in to the attacker's account by
    sending them a callback link."""
    async with transaction(rt) as tx:
        row = await sso_store.take_state(tx.conn, state)
    if (
        row is None
        or row["expires_at"] < now_ms_of(rt.clock)
        or not hmac.compare_digest(row["binding"], hash_token(binding))
    ):
        raise invalid_state()
    return row


async def sign_in(
    rt: Runtime, identity: Identity, *, invite_id: str, device_id: str, user_agent: str = ""
) -> LoginResult:
    """The session of the account that belongs to `identity`, made or linked if need be; an
    invitation adds the account to its team."""
    async with transaction(rt) as tx:
        team = await _invited_team(tx, invite_id)
        user = await sso_store.get_user_by_auth(tx.conn, identity.service, identity.subject)
        if user is None:
            user = await _link_or_create(rt, tx, identity, team)
        elif user["delete_at"]:
            raise errors.APIError(
                401,
                "api.user.login.inactive.app_error",
                "Login failed because your account has been deactivated.",
            )
        if team is not None:
            await team_actions.add_member_in(tx, team["id"], user["id"])
    return await open_session(rt, user, device_id, user_agent)


async def _invited_team(tx: Transaction, invite_id: str) -> Row | None:
    if not invite_id:
        return None
    team = await team_store.get_team_by_invite_id(tx.conn, invite_id)
    if team is None or team["delete_at"]:
        raise errors.bad_request(
            "api.user.create_user.invalid_invitation_type.app_error",
            "The invitation link is invalid or has expired.",
        )
    return team


async def _link_or_create(rt: Runtime, tx: Transaction, identity: Identity, team: Row | None) -> Row:
    email = identity.email.lower()
    existing = await sso_store.get_user_by_email(tx.conn, email, lock=True) if email else None
    if existing is not None:
        # Linking hands an existing account to whoever controls this outside account, so only
        # when the provider checked that they own the address, and the admin trusts it to.
        linkable = (
            rt.settings.sso_link_verified_email
            and identity.email_verified
            and existing["auth_service"] == ""
            and not existing["is_bot"]
            and not existing["delete_at"]
        )
        if not linkable:
            raise errors.bad_request(
                "api.user.create_oauth_user.already_attached.app_error",
                "There is already an account with that email address that signs in another way.",
            )
        now = now_ms_of(rt.clock)
        await sso_store.link_account(tx.conn, existing["id"], identity.service, identity.subject, now)
        linked = await sso_store.get_user_by_auth(tx.conn, identity.service, identity.subject)
        assert linked is not None
        return linked
    if team is None and not (rt.settings.sso_open_signup or rt.settings.open_signup):
        raise errors.forbidden("This server is invite-only: ask for an invitation link to sign up.")
    return await _create(tx, identity, email, await _free_username(tx, identity.username))


async def _create(tx: Transaction, identity: Identity, email: str, username: str) -> Row:
    now = now_ms_of(tx.clock)
    values = new_user_row(
        now,
        username,
        email or placeholder_email(identity),
        # No password: the account signs in only through its provider.
        email_verified=identity.email_verified,
        auth_service=identity.service,
        auth_data=identity.subject,
        first_name=identity.first_name[:64],
        last_name=identity.last_name[:64],
    )
    await user_store.insert_user(tx.conn, values)
    user = await user_store.get_user(tx.conn, values["id"])
    assert user is not None
    tx.publish(Event("new_user", {"user_id": user["id"]}))
    return user


def placeholder_email(identity: Identity) -> str:
    """For a provider that shares no address (a wiki account without one, or without the
    private-info grant): unique, and in a reserved domain that no mail can reach (RFC 2606)."""
    digest = hashlib.sha256(identity.subject.encode()).hexdigest()[:24]
    return f"{identity.service}-{digest}@users.invalid"


def chat_username(name: str) -> str:
    """A valid chat username for an outside account name (docs/admin.md, "Usernames"): accents
    dropped, lower case, spaces as "_" (as wikis treat them), other characters left out, a
    leading "u" if it does not start with a letter, padded to 3 and cut to 22 characters."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9.\-_]", "", text.lower().replace(" ", "_"))
    if not text or not text[0].isalpha():
        text = "u" + text
    return text[:_USERNAME_MAX].ljust(3, "_")


async def _free_username(tx: Transaction, name: str) -> str:
    """The chat username for `name`, or the first free one with a number after it: the person
    who has the name already keeps it."""
    base = chat_username(name)
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        candidate = base[: _USERNAME_MAX - len(suffix)] + suffix
        try:
            check_username(candidate)
        except errors.APIError:
            continue  # a reserved name ("all", "here", ...)
        if not await sso_store.username_taken(tx.conn, candidate):
            return candidate
    return "u" + new_id()[:21]
