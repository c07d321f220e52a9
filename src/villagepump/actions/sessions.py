"""Logging in and out, resolving tokens, personal access tokens."""

from dataclasses import dataclass
from typing import Any

from villagepump import errors, ratelimit
from villagepump.actions import mfa as mfa_actions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller, hash_token, is_guest
from villagepump.clock import now_ms_of
from villagepump.events.types import Event
from villagepump.ids import new_id, new_token, now_ms
from villagepump.moderation import audit
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import sessions as session_store
from villagepump.store import terms as terms_store
from villagepump.store import users as user_store
from villagepump.user_agents import device_props

_DAY_MS = 24 * 60 * 60 * 1000
# Writing last_activity_at on every request would make every read a write; once a minute is plenty.
_ACTIVITY_RESOLUTION_MS = 60_000


@dataclass(frozen=True)
class LoginResult:
    user: Row
    token: str
    csrf_token: str
    session_id: str


def too_many_attempts(window: ratelimit.Window, message: str) -> errors.APIError:
    # Mattermost answers a locked account with this id (and 401); the 429 and the X-RateLimit-*
    # headers are what its rate limiter sends, so clients know to wait rather than re-prompt.
    error = errors.APIError(429, "api.user.check_user_login_attempts.too_many.app_error", message)
    error.headers = window.headers()
    return error


def _invalid_credentials() -> errors.APIError:
    return errors.APIError(
        401,
        "api.user.login.invalid_credentials_email_username",
        "Enter a valid email or username and/or password.",
    )


@dataclass(frozen=True)
class PasswordChecked:
    """A login's first step passed: the password is right. The attempt counted against the
    account stays counted until the second step passes or is not needed."""

    user: Row
    account_key: str
    attempt: str
    address_key: str


async def login(
    rt: Runtime,
    login_id: str,
    password: str,
    device_id: str,
    address: str,
    user_agent: str = "",
    mfa_token: str = "",
) -> LoginResult:
    """Checks the password (and the two-factor code when the user has turned it on) and opens a
    session. A wrong two-factor code counts like a wrong password, so codes cannot be guessed
    faster than passwords."""
    checked = await check_password(rt, login_id, password, address)
    user = checked.user
    if user["mfa_active"] and rt.settings.enable_mfa:
        if not mfa_token.strip():
            # The apps' first attempt carries no code; this answer makes them ask for one. It is
            # not a failed attempt (the password was right), as in Mattermost.
            await rt.login_failures_by_account.remove(checked.account_key, checked.attempt)
            raise mfa_actions.code_needed()
        try:
            await mfa_actions.check_login_code(rt, user, mfa_token)
        except errors.APIError:
            await record_second_factor_failure(rt, checked.address_key, user, "bad_mfa_code")
            raise
    return await complete_login(rt, user, checked.account_key, device_id, user_agent)


async def check_password(rt: Runtime, login_id: str, password: str, address: str) -> PasswordChecked:
    """A login's first step. Attempts are counted per account (before the password is checked,
    so a burst of simultaneous guesses counts in full) and failures per client address; either
    reaching its limit refuses further attempts until the window passes."""
    address_key = await allowed_address_key(rt, address)
    async with rt.db.read() as conn:
        user = await user_store.get_user_by_login(conn, login_id)
    # By user id, so guesses by username and by e-mail address count together.
    account_key = user["id"] if user is not None else "login:" + login_id.strip().lower()
    account_window, attempt = await rt.login_failures_by_account.add(account_key)
    if account_window.used > account_window.limit:
        await rt.login_failures_by_account.remove(account_key, attempt)
        raise too_many_attempts(
            await rt.login_failures_by_account.peek(account_key),
            "Your account is locked because of too many failed password attempts. Please try again later.",
        )
    valid = await rt.passwords.verify(user["password_hash"] if user is not None else "", password)
    if user is None or not valid:
        await rt.login_failures_by_address.add(address_key)
        await _record_failure(rt, user, "bad_password" if user is not None else "unknown_account")
        raise _invalid_credentials()
    try:
        _require_may_sign_in(rt, user)
    except errors.APIError as error:
        await rt.login_failures_by_account.remove(account_key, attempt)
        if error.error_id == _INACTIVE:
            await _record_failure(rt, user, "deactivated")
        raise
    if rt.passwords.needs_rehash(user["password_hash"]):
        # Redone at this server's costs while the password is at hand (once per account).
        new_hash = await rt.passwords.hash(password)
        async with transaction(rt) as tx:
            await user_store.replace_password_hash(tx.conn, user["id"], user["password_hash"], new_hash)
    return PasswordChecked(user=user, account_key=account_key, attempt=attempt, address_key=address_key)


_INACTIVE = "api.user.login.inactive.app_error"


async def allowed_address_key(rt: Runtime, address: str) -> str:
    """The client address's key for the login limiter, once it has not used up its failures."""
    address_key = ratelimit.address_key(address)
    address_window = await rt.login_failures_by_address.peek(address_key)
    if address_window.exhausted:
        raise too_many_attempts(address_window, "Too many failed login attempts from your address.")
    return address_key


def _require_may_sign_in(rt: Runtime, user: Row) -> None:
    if user["is_bot"]:
        # A bot acts only with its personal access tokens (a converted account may keep a hash).
        raise errors.APIError(401, "api.user.login.bot_login_forbidden.app_error", "Bot login is forbidden.")
    if user["delete_at"]:
        raise errors.APIError(401, _INACTIVE, "Login failed because your account has been deactivated.")
    if is_guest(user["roles"]) and not rt.settings.guest_accounts_enable:
        raise errors.APIError(
            401, "api.user.login.guest_accounts.disabled.error", "Guest accounts are disabled."
        )


async def record_second_factor_failure(rt: Runtime, address_key: str, user: Row, reason: str) -> None:
    """A wrong second factor counts against the client's address (its attempt against the
    account stays counted), and is audited."""
    await rt.login_failures_by_address.add(address_key)
    await _record_failure(rt, user, reason)


async def complete_login(
    rt: Runtime, user: Row, account_key: str, device_id: str, user_agent: str
) -> LoginResult:
    """Both steps passed (or the second was not needed): the account's count starts again and
    a session opens. `user` may be read again since the first step: a key's login finishes later."""
    _require_may_sign_in(rt, user)
    await rt.login_failures_by_account.clear(account_key)
    if rt.settings.require_email_verification and not user["email_verified"]:
        raise errors.APIError(
            401,
            "api.user.login.not_verified.app_error",
            "Login failed because email address has not been verified.",
        )
    return await open_session(rt, user, device_id, user_agent)


async def _record_failure(rt: Runtime, user: Row | None, reason: str) -> None:
    # The login name typed is not kept: people type their password into it by mistake.
    async with transaction(rt) as tx:
        user_id = user["id"] if user is not None else ""
        await audit.record(
            tx.conn,
            rt.settings,
            audit.LOGIN_FAILED,
            actor_id=user_id,
            target_id=user_id,
            details={"reason": reason},
        )


async def open_session(rt: Runtime, user: Row, device_id: str, user_agent: str = "") -> LoginResult:
    """A new session for a user whose identity has been checked (password or single sign-on)."""
    guest = is_guest(user["roles"])
    token, csrf_token = new_token(), new_id()
    session_id = new_id()
    now = now_ms_of(rt.clock)
    async with transaction(rt) as tx:
        if device_id:
            # One session per device: a re-login from the same phone replaces the old session.
            replaced = await session_store.delete_device_sessions(tx.conn, user["id"], device_id)
            publish_revoked(tx, user["id"], replaced)
        await session_store.insert_session(
            tx.conn,
            {
                "id": session_id,
                "token_hash": hash_token(token),
                "user_id": user["id"],
                "create_at": now,
                "expires_at": now + rt.settings.session_days * _DAY_MS,
                "last_activity_at": now,
                "device_id": device_id,
                "csrf_token": csrf_token,
                # The device, as Mattermost's sessions carry it; never the client's address.
                "props": {**device_props(user_agent), "is_guest": str(guest).lower()},
            },
        )
        await audit.record(
            tx.conn,
            rt.settings,
            audit.LOGIN,
            actor_id=user["id"],
            target_id=user["id"],
            session_id=session_id,
            details={"device": bool(device_id)},
        )
    return LoginResult(user=user, token=token, csrf_token=csrf_token, session_id=session_id)


def publish_revoked(tx: Transaction, user_id: str, removed: list[Row], *, forget_user: bool = False) -> None:
    """Sessions or tokens that stopped working: every process forgets them and closes their
    sockets (each process's cache would otherwise honour them for a few more seconds)."""
    if removed or forget_user:
        session_ids = [row["id"] for row in removed]
        hashes = [row["token_hash"] for row in removed]
        tx.publish(Event.sessions_changed(user_id, session_ids, hashes, forget_user=forget_user))


async def logout(rt: Runtime, caller: Caller) -> None:
    async with transaction(rt) as tx:
        session = await session_store.delete_session(tx.conn, caller.session_id)
        await audit.record(tx.conn, rt.settings, audit.LOGOUT, target_id=caller.user_id)
        publish_revoked(tx, caller.user_id, [session] if session is not None else [])


async def resolve_token(rt: Runtime, token: str) -> Caller | None:
    """The caller a session or personal access token belongs to, or None if it is not valid."""
    token_hash = hash_token(token)
    cached = rt.sessions.get(token_hash)
    if cached is not None:
        return cached
    now = now_ms()
    async with rt.db.read() as conn:
        session = await session_store.get_session_by_hash(conn, token_hash)
        if session is not None:
            if session["expires_at"] and session["expires_at"] < now:
                return None
            user = await user_store.get_user(conn, session["user_id"])
            caller_session_id, csrf_token, is_access_token = session["id"], session["csrf_token"], False
        else:
            access_token = await session_store.get_access_token_by_hash(conn, token_hash)
            if access_token is None or not access_token["is_active"]:
                return None
            user = await user_store.get_user(conn, access_token["user_id"])
            caller_session_id, csrf_token, is_access_token = access_token["id"], "", True
        latest_terms = acceptance = None
        if user is not None:
            latest_terms = await terms_store.latest_terms(conn)
            acceptance = await terms_store.get_acceptance(conn, user["id"]) if latest_terms else None
    if user is None or user["delete_at"]:
        return None
    if is_guest(user["roles"]) and not rt.settings.guest_accounts_enable:
        return None
    if session is not None and now - session["last_activity_at"] > _ACTIVITY_RESOLUTION_MS:
        # In the background: the request need not wait behind other writers to extend its session.
        rt.hub.spawn(_touch_session(rt, session["id"], now))
    caller = Caller(
        user_id=user["id"],
        session_id=caller_session_id,
        roles=frozenset(user["roles"].split()),
        csrf_token=csrf_token,
        is_access_token=is_access_token,
        mfa_active=user["mfa_active"],
        is_bot=user["is_bot"],
        latest_terms_id=latest_terms["id"] if latest_terms else "",
        accepted_terms_id=acceptance["terms_of_service_id"] if acceptance else "",
        accepted_terms_at=acceptance["create_at"] if acceptance else 0,
    )
    rt.sessions.put(token_hash, caller)
    return caller


async def _touch_session(rt: Runtime, session_id: str, now: int) -> None:
    async with rt.db.write() as conn:
        await session_store.touch_session(conn, session_id, now, now + rt.settings.session_days * _DAY_MS)


async def revoke_session(rt: Runtime, user_id: str, session_id: str) -> None:
    async with transaction(rt) as tx:
        session = await session_store.get_session(tx.conn, session_id)
        if session is None or session["user_id"] != user_id:
            raise errors.not_found("session", "app.session.get.app_error")
        await session_store.delete_session(tx.conn, session_id)
        await audit.record(
            tx.conn, rt.settings, audit.SESSION_REVOKED, target_id=user_id, details={"session_id": session_id}
        )
        publish_revoked(tx, user_id, [session])


async def revoke_all_sessions(rt: Runtime, user_id: str) -> None:
    async with transaction(rt) as tx:
        removed = await session_store.delete_user_sessions(tx.conn, user_id)
        await audit.record(
            tx.conn, rt.settings, audit.SESSIONS_REVOKED, target_id=user_id, details={"count": len(removed)}
        )
        publish_revoked(tx, user_id, removed)


async def attach_device(rt: Runtime, caller: Caller, device_id: str) -> None:
    async with transaction(rt) as tx:
        await session_store.update_session(tx.conn, caller.session_id, {"device_id": device_id})


async def create_access_token(rt: Runtime, user_id: str, description: str) -> tuple[Row, str]:
    """A personal access token; the token itself is shown once, only its hash is kept."""
    token = new_token()
    values: dict[str, Any] = {
        "id": new_id(),
        "token_hash": hash_token(token),
        "user_id": user_id,
        "description": description,
        "is_active": True,
        "create_at": now_ms(),
    }
    async with transaction(rt) as tx:
        await session_store.insert_access_token(tx.conn, values)
        await audit.record(
            tx.conn, rt.settings, audit.TOKEN_CREATED, target_id=user_id, details={"token_id": values["id"]}
        )
        row = await session_store.get_access_token(tx.conn, values["id"])
    assert row is not None
    return row, token


async def set_access_token_active(rt: Runtime, token: Row, active: bool) -> None:
    async with transaction(rt) as tx:
        await session_store.set_access_token_active(tx.conn, token["id"], active)
        if not active:
            await audit.record(
                tx.conn,
                rt.settings,
                audit.TOKEN_DISABLED,
                target_id=token["user_id"],
                details={"token_id": token["id"]},
            )
            publish_revoked(tx, token["user_id"], [token])


async def revoke_access_token(rt: Runtime, token: Row) -> None:
    async with transaction(rt) as tx:
        await session_store.delete_access_token(tx.conn, token["id"])
        await audit.record(
            tx.conn,
            rt.settings,
            audit.TOKEN_REVOKED,
            target_id=token["user_id"],
            details={"token_id": token["id"]},
        )
        publish_revoked(tx, token["user_id"], [token])
