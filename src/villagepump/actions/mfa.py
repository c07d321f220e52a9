"""Two-factor authentication: a TOTP secret generated, then activated with a code; ten one-time
recovery codes; checking a code at login; turning it off (by the user, or an admin's reset)."""

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from villagepump import errors, totp
from villagepump.actions import sessions as session_actions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.moderation import audit
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import mfa as mfa_store
from villagepump.store import users as user_store
from villagepump.store import webauthn as webauthn_store

RECOVERY_CODES = 10
# 16 base32 characters: 80 random bits, shown as four groups of four.
_RECOVERY_CODE_CHARS = 16


def disabled() -> errors.APIError:
    return errors.APIError(
        501, "mfa.mfa_disabled.app_error", "Multi-factor authentication has been disabled on this server."
    )


def bad_login_code() -> errors.APIError:
    return errors.APIError(401, "api.user.check_user_mfa.bad_code.app_error", "Invalid MFA token.")


def code_needed() -> errors.APIError:
    # The id the official apps and ours look for to show the second step of the login.
    return errors.APIError(
        401, "mfa.validate_token.authenticate.app_error", "Error trying to authenticate MFA token."
    )


def owes_enrolment(settings: Settings, caller: Caller) -> bool:
    """Whether enforcement requires this caller to turn on two-factor authentication before
    anything else (Mattermost's MfaRequired; bots are exempt)."""
    if not (settings.enable_mfa and settings.enforce_mfa) or caller.mfa_active or caller.is_bot:
        return False
    return settings.enforce_mfa_for == "all" or caller.is_system_admin


def enrolment_required() -> errors.APIError:
    return errors.APIError(
        403,
        "api.context.mfa_required.app_error",
        "Multi-factor authentication is required on this server.",
    )


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_recovery_code(value: str) -> str | None:
    """A recovery code as typed (any case, with or without dashes and spaces), or None."""
    code = "".join(value.split()).replace("-", "").lower()
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    if len(code) != _RECOVERY_CODE_CHARS or any(c not in alphabet for c in code):
        return None
    return code


def _new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_CODE_CHARS, 4)))
    return codes


async def store_new_recovery_codes(tx: Transaction, user_id: str, now: int) -> list[str]:
    codes = _new_recovery_codes()
    hashes = [_hash_recovery_code(code.replace("-", "")) for code in codes]
    await mfa_store.replace_recovery_codes(tx.conn, user_id, hashes, now)
    return codes


async def _user(tx: Transaction, user_id: str) -> Row:
    user = await user_store.get_user(tx.conn, user_id)
    if user is None:
        raise errors.not_found("user", "app.user.missing_account.const")
    return user


_BAD_CODE = "mfa.activate.bad_token.app_error"


@asynccontextmanager
async def code_attempt(rt: Runtime, key: str, wrong: tuple[str, ...] = (_BAD_CODE,)) -> AsyncIterator[None]:
    """Counts a signed-in user's attempt to confirm a code (or a password: `wrong` names the
    errors that mean a wrong guess) with the login limiter (per account, under its own key):
    counted before it is checked, like a login, so a burst cannot slip past; kept only if the
    guess was wrong, cleared when one is right."""
    counter = rt.login_failures_by_account
    window, attempt = await counter.add(key)
    if window.used > window.limit:
        await counter.remove(key, attempt)
        raise session_actions.too_many_attempts(
            await counter.peek(key), "Too many attempts. Please try again later."
        )
    try:
        yield
    except errors.APIError as error:
        if error.error_id not in wrong:
            await counter.remove(key, attempt)
        raise
    await counter.clear(key)


async def generate_secret(rt: Runtime, user_id: str) -> tuple[str, bytes]:
    """A new secret for the user to scan; it replaces any earlier one not yet activated."""
    if not rt.settings.enable_mfa:
        raise disabled()
    async with transaction(rt) as tx:
        await user_store.lock_user(tx.conn, user_id)
        user = await _user(tx, user_id)
        if await mfa_store.get_active_secret(tx.conn, user_id) is not None:
            # Mattermost overwrites the active secret here, so a stolen session could swap the
            # user's second factor for its own; here the old one must be turned off first.
            raise errors.bad_request(
                "api.user.generate_mfa_secret.already_active.app_error",
                "Multi-factor authentication is already active; turn it off first.",
            )
        secret = totp.new_secret()
        await mfa_store.replace_secret(tx.conn, user_id, secret, now_ms_of(rt.clock))
    issuer = (
        rt.settings.site_url.split("://", 1)[-1].removeprefix("www.").rstrip("/") or rt.settings.site_name
    )
    uri = totp.provisioning_uri(secret, issuer, user["email"] or user["username"])
    return secret, totp.qr_png(uri)


async def _check_totp(
    tx: Transaction, rt: Runtime, user_id: str, code: str, *, activating: bool = False
) -> bool:
    """True once per time step: the step is recorded in the same transaction. Only an activated
    secret counts, except for the code that activates it: a user with security keys only is
    `mfa_active` too, and a secret generated by a stolen session must not become a factor."""
    if activating:
        secret = await mfa_store.get_secret(tx.conn, user_id)
    else:
        secret = await mfa_store.get_active_secret(tx.conn, user_id)
    if secret is None or not totp.is_code(code):
        return False
    step = totp.matching_step(secret, code, rt.clock.time())
    return step is not None and await mfa_store.use_step(tx.conn, user_id, step)


async def activate(rt: Runtime, user_id: str, code: str) -> list[str]:
    """Turns two-factor authentication on with a code from the generated secret; returns the
    ten recovery codes, shown this once."""
    if not rt.settings.enable_mfa:
        raise disabled()
    async with code_attempt(rt, "mfa-activate:" + user_id), transaction(rt) as tx:
        await user_store.lock_user(tx.conn, user_id)
        user = await _user(tx, user_id)
        if user["auth_service"]:
            raise errors.bad_request(
                "api.user.activate_mfa.email_and_ldap_only.app_error",
                "MFA is not available for this account type.",
            )
        if await mfa_store.get_active_secret(tx.conn, user_id) is not None:
            raise errors.bad_request(
                "api.user.update_mfa.already_active.app_error",
                "Multi-factor authentication is already active.",
            )
        if not await _check_totp(tx, rt, user_id, code.strip(), activating=True):
            raise errors.APIError(401, _BAD_CODE, "Invalid MFA token.")
        now = now_ms_of(rt.clock)
        await mfa_store.set_active(tx.conn, user_id, True, now)
        codes = await store_new_recovery_codes(tx, user_id, now)
        await audit.record(tx.conn, rt.settings, audit.MFA_ACTIVATED, target_id=user_id)
        session_actions.publish_revoked(tx, user_id, [], forget_user=True)
    # This process forgets at once (others on the event), so the very next request of the
    # user's is no longer refused as owing enrolment.
    rt.sessions.forget_user(user_id)
    return codes


async def deactivate(rt: Runtime, user_id: str) -> None:
    """Turns it off and forgets the secret, the recovery codes and the security keys (the user,
    or an admin's reset: whoever lost their second factor loses all of it)."""
    async with transaction(rt) as tx:
        await user_store.lock_user(tx.conn, user_id)
        await _user(tx, user_id)
        await mfa_store.set_active(tx.conn, user_id, False, now_ms_of(rt.clock))
        await mfa_store.remove_all(tx.conn, user_id)
        await webauthn_store.delete_user_credentials(tx.conn, user_id)
        await audit.record(tx.conn, rt.settings, audit.MFA_DEACTIVATED, target_id=user_id)
        session_actions.publish_revoked(tx, user_id, [], forget_user=True)
    rt.sessions.forget_user(user_id)


async def regenerate_recovery_codes(rt: Runtime, user_id: str, code: str) -> list[str]:
    """Ten new codes in place of the old ones. It takes a current TOTP code, so a stolen session
    alone cannot mint itself a lasting second factor."""
    async with code_attempt(rt, "mfa-codes:" + user_id), transaction(rt) as tx:
        await user_store.lock_user(tx.conn, user_id)
        user = await _user(tx, user_id)
        if not user["mfa_active"]:
            raise errors.bad_request(
                "api.user.mfa_recovery_codes.not_active.app_error",
                "Multi-factor authentication is not active.",
            )
        if not await _check_totp(tx, rt, user_id, code.strip()):
            raise errors.APIError(401, _BAD_CODE, "Invalid MFA token.")
        codes = await store_new_recovery_codes(tx, user_id, now_ms_of(rt.clock))
    return codes


async def check_login_code(rt: Runtime, user: Row, token: str) -> None:
    """The second step of a login: a TOTP code not used before, or an unused recovery code.
    Raises Mattermost's errors: a code is needed (none, or not a code), or the code is wrong."""
    token = token.strip()
    recovery = normalise_recovery_code(token) if not totp.is_code(token) else None
    if not totp.is_code(token) and recovery is None:
        raise code_needed()
    async with transaction(rt) as tx:
        if recovery is not None:
            ok = await mfa_store.use_recovery_code(
                tx.conn, user["id"], _hash_recovery_code(recovery), now_ms_of(rt.clock)
            )
        else:
            ok = await _check_totp(tx, rt, user["id"], token)
    if not ok:
        raise bad_login_code()


async def check_code(tx: Transaction, rt: Runtime, user_id: str, code: str) -> None:
    """A signed-in user's proof of their second factor for a sensitive change: a current TOTP
    code (not used before) or an unused recovery code, which this uses up."""
    code = code.strip()
    recovery = normalise_recovery_code(code)
    if recovery is not None:
        ok = await mfa_store.use_recovery_code(
            tx.conn, user_id, _hash_recovery_code(recovery), now_ms_of(rt.clock)
        )
    else:
        ok = await _check_totp(tx, rt, user_id, code)
    if not ok:
        raise errors.APIError(401, _BAD_CODE, "Invalid MFA token.")


async def unused_recovery_codes(rt: Runtime, user_id: str) -> int:
    async with rt.db.read() as conn:
        return await mfa_store.unused_recovery_codes(conn, user_id)
