"""Address verification, e-mail change and password reset: the account flows that go through
a mailed link (actions/mailed_links.py). Requests for a link answer the same whether or not
the address belongs to anyone, so they cannot be used to find out who has an account."""

from villagepump import errors
from villagepump.actions import mailed_links as links
from villagepump.actions.sessions import publish_revoked
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import hash_token
from villagepump.events.types import Event
from villagepump.ids import now_ms
from villagepump.moderation import audit
from villagepump.passwords import check_password_rules
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import sessions as session_store
from villagepump.store import tokens as token_store
from villagepump.store import users as user_store


async def _user_by_email(tx: Transaction, email: str) -> Row | None:
    user = await user_store.get_user_by_login(tx.conn, email)
    # get_user_by_login also matches usernames: only an address is an address here.
    if user is None or user["email"] != email.strip().lower() or user["delete_at"]:
        return None
    return user


# -- address verification and e-mail change ------------------------------------------------------


async def send_verification_in(
    rt: Runtime, tx: Transaction, user: Row, address: str, *, change: bool
) -> None:
    """Mails `address` a link that verifies it for `user` (and, for a change, makes it theirs).
    Only the newest link of a user works."""
    await token_store.delete_user_tokens(tx.conn, user["id"], links.VERIFY_EMAIL)
    token = await links.new_token(rt, tx, links.VERIFY_EMAIL, user_id=user["id"], email=address)
    url = links.link(rt, "/do_verify_email", token=token, email=address)
    template = "email_change_verify" if change else "verify_email"
    await links.mail(rt, tx, address, template, user["locale"], link=url)


async def send_verification(rt: Runtime, email: str) -> None:
    """POST /users/email/verify/send: nothing is said about whether the address is known."""
    async with transaction(rt) as tx:
        user = await _user_by_email(tx, email)
        if user is not None and not user["email_verified"]:
            await send_verification_in(rt, tx, user, user["email"], change=False)


def _bad_verify_link() -> errors.APIError:
    return errors.bad_request("api.user.verify_email.bad_link.app_error", "Bad verify email link.")


async def verify_email(rt: Runtime, token: str) -> Row:
    """POST /users/email/verify: the address in the link becomes the user's, verified."""
    token_hash = hash_token(token)
    async with transaction(rt) as tx:
        row = await token_store.take_token(tx.conn, token_hash, (links.VERIFY_EMAIL,))
        if row is None:
            if await token_store.get_token(tx.conn, token_hash) is not None:
                raise errors.bad_request(
                    "api.user.verify_email.broken_token.app_error", "Invalid verify email token type."
                )
            raise _bad_verify_link()
        if links.is_expired(rt, row):
            raise errors.bad_request(
                "api.user.verify_email.link_expired.app_error", "The email verification link has expired."
            )
        user = await user_store.get_user(tx.conn, row["user_id"])
        if user is None or user["delete_at"]:
            raise _bad_verify_link()
        # Another account may have taken the address since the link was sent: the users' unique
        # key refuses it with Mattermost's app.user.save.email_exists (actions/transaction.py).
        await user_store.update_user(
            tx.conn, user["id"], {"email": row["email"], "email_verified": True, "update_at": now_ms()}
        )
        if row["email"] != user["email"]:
            params = {"new_email": row["email"]}
            await links.mail(rt, tx, user["email"], "email_changed", user["locale"], params)
        updated = await user_store.get_user(tx.conn, user["id"])
        assert updated is not None
        tx.publish(Event("user_updated", {"user": render_user(updated, full=False)}))
    return updated


async def change_email_in(rt: Runtime, tx: Transaction, user: Row, new_email: str) -> bool:
    """Within a profile patch that changes the address. When verification is required the
    address stays as it is until the new one is verified (Mattermost's rule: nobody can take an
    address they do not control); True then, meaning "leave the email field out of the patch".
    Otherwise the old address is told of the change."""
    if new_email == user["email"]:
        return True
    if not rt.settings.require_email_verification:
        await links.mail(rt, tx, user["email"], "email_changed", user["locale"], {"new_email": new_email})
        return False
    other = await user_store.get_user_by_login(tx.conn, new_email)
    if other is not None and other["email"] == new_email:
        raise errors.bad_request(
            "app.user.save.email_exists.app_error", "An account with that email already exists."
        )
    await send_verification_in(rt, tx, user, new_email, change=True)
    return True


# -- password reset ---------------------------------------------------------------------------


async def send_password_reset(rt: Runtime, email: str) -> None:
    """POST /users/password/reset/send: the same answer whether or not the address is known."""
    async with transaction(rt) as tx:
        user = await _user_by_email(tx, email)
        if user is None or user["auth_service"] or user["is_bot"]:
            return
        url = await _new_reset_link(rt, tx, user)
        await links.mail(rt, tx, user["email"], "password_reset", user["locale"], link=url)


async def password_reset_link(rt: Runtime, user_id: str) -> str:
    """For the operator on the shell (`villagepump user password-reset --print-link`): the link
    the mail would carry, to hand over another way when the server has no SMTP server."""
    async with transaction(rt) as tx:
        user = check_resettable(await user_store.get_user(tx.conn, user_id))
        return await _new_reset_link(rt, tx, user)


def check_resettable(user: Row | None) -> Row:
    """The user, if a reset link can serve them: an active account that signs in with a password."""
    if user is None or user["delete_at"]:
        raise errors.not_found("user", "app.user.missing_account.const")
    if user["auth_service"] or user["is_bot"]:
        raise errors.bad_request(
            "api.user.reset_password.sso.app_error",
            "This account signs in elsewhere (or is a bot): it has no password to reset.",
        )
    return user


async def _new_reset_link(rt: Runtime, tx: Transaction, user: Row) -> str:
    """Only the newest link of a user works."""
    await token_store.delete_user_tokens(tx.conn, user["id"], links.PASSWORD_RECOVERY)
    token = await links.new_token(rt, tx, links.PASSWORD_RECOVERY, user_id=user["id"], email=user["email"])
    return links.link(rt, "/reset_password_complete", token=token)


def _invalid_reset_link() -> errors.APIError:
    return errors.bad_request(
        "api.user.reset_password.invalid_link.app_error", "The reset link does not appear to be valid."
    )


def _expired_reset_link() -> errors.APIError:
    return errors.bad_request(
        "api.user.reset_password.link_expired.app_error", "The password reset link has expired."
    )


def _check_reset_token(rt: Runtime, row: Row | None, user: Row | None) -> Row:
    """The user the token resets, or Mattermost's error for it."""
    if row is None:
        raise _invalid_reset_link()
    if row["type"] != links.PASSWORD_RECOVERY:
        raise errors.bad_request(
            "api.user.reset_password.broken_token.app_error", "The reset token is not valid."
        )
    if links.is_expired(rt, row):
        raise _expired_reset_link()
    if user is None or user["delete_at"]:
        raise _invalid_reset_link()
    # The link was sent to the address the account had then; if it has changed, the link is void.
    if user["email"] != row["email"]:
        raise _expired_reset_link()
    return user


async def reset_password(rt: Runtime, token: str, new_password: str) -> None:
    """POST /users/password/reset: sets the password, verifies the address (the mail reached
    it), and ends every session and socket of the account."""
    token_hash = hash_token(token)
    # Checked before hashing, so that a wrong token costs no argon2 work.
    async with rt.db.read() as conn:
        row = await token_store.get_token(conn, token_hash)
        user = await user_store.get_user(conn, row["user_id"]) if row is not None else None
    _check_reset_token(rt, row, user)
    password_hash = await rt.passwords.hash(check_password_rules(new_password))
    async with transaction(rt) as tx:
        row = await token_store.take_token(tx.conn, token_hash, (links.PASSWORD_RECOVERY,))
        user = await user_store.get_user(tx.conn, row["user_id"]) if row is not None else None
        # Used by a request a moment ago, or changed since the read: checked again.
        user = _check_reset_token(rt, row, user)
        now = now_ms()
        await user_store.update_user(
            tx.conn,
            user["id"],
            {
                "password_hash": password_hash,
                "last_password_update": now,
                "update_at": now,
                "email_verified": True,
            },
        )
        removed = await session_store.delete_user_sessions(tx.conn, user["id"])
        await audit.record(
            tx.conn,
            rt.settings,
            audit.PASSWORD_RESET,
            actor_id=user["id"],
            target_id=user["id"],
            details={"by": "mailed_link"},
        )
        publish_revoked(tx, user["id"], removed, forget_user=True)
        params = {"method": "password_changed_method_reset"}
        await links.mail(rt, tx, user["email"], "password_changed", user["locale"], params)
