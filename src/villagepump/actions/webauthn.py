"""Security keys and passkeys (WebAuthn) as a second factor: registering one while signed in,
listing and removing them, and finishing a login with one instead of a code.

Every ceremony starts with a random challenge kept server-side (its sha256, with its user, its
kind and a short expiry) and ends by deleting that row, in its own transaction before the
answer is checked: a challenge is used once, whether the answer was good or not. The relying
party's id and origin come from ServiceSettings.SiteURL, which a browser's origin must match."""

import hashlib
import json
import secrets
import urllib.parse
from collections.abc import Sequence
from typing import Any

import webauthn
from webauthn.helpers import parse_client_data_json, structs

from villagepump import errors
from villagepump.actions import mfa as mfa_actions
from villagepump.actions import sessions as session_actions
from villagepump.actions.transaction import transaction
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.ids import new_id
from villagepump.moderation import audit
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import mfa as mfa_store
from villagepump.store import users as user_store
from villagepump.store import webauthn as webauthn_store

REGISTER = "register"
LOGIN = "login"
# What the browser is told to wait, and a little more for the challenge to live.
_TIMEOUT_MS = 120_000
_CHALLENGE_MS = 5 * 60_000
MAX_KEYS = 20
MAX_NAME_LENGTH = 64


def _challenge_error() -> errors.APIError:
    return errors.APIError(
        400,
        "api.webauthn.challenge.app_error",
        "This security key request has expired or was already used. Please try again.",
    )


def _bad_key() -> errors.APIError:
    return errors.APIError(
        401, "api.webauthn.login.bad_key.app_error", "The security key could not be verified."
    )


def _relying_party(settings: Settings) -> tuple[str, str]:
    """(RP id, origin) from the site URL: the host name, and scheme://host[:port]."""
    parts = urllib.parse.urlsplit(settings.site_url)
    if not settings.site_url or not parts.hostname:
        raise errors.APIError(
            501,
            "api.webauthn.site_url_missing.app_error",
            "Security keys need the server's site URL (ServiceSettings.SiteURL) to be set.",
        )
    return parts.hostname, f"{parts.scheme}://{parts.netloc}"


def _hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _answered_challenge(credential: Any, parse: Any) -> tuple[Any, bytes]:
    """The browser's answer parsed, and the challenge its client data says it signed. Anything
    malformed is the client's error; the library raises many kinds for hostile input."""
    try:
        parsed = parse(credential)
        return parsed, parse_client_data_json(parsed.response.client_data_json).challenge
    except Exception as exc:
        raise errors.invalid_body("credential") from exc


async def _new_challenge(rt: Runtime, user_id: str, kind: str) -> bytes:
    challenge = secrets.token_bytes(32)
    now = now_ms_of(rt.clock)
    async with transaction(rt) as tx:
        await webauthn_store.add_challenge(tx.conn, _hash(challenge), user_id, kind, now, now + _CHALLENGE_MS)
    return challenge


async def _use_challenge(rt: Runtime, challenge: bytes, kind: str) -> str:
    async with transaction(rt) as tx:
        user_id = await webauthn_store.use_challenge(tx.conn, _hash(challenge), kind, now_ms_of(rt.clock))
    if user_id is None:
        raise _challenge_error()
    return user_id


def _descriptors(keys: Sequence[Row]) -> list[structs.PublicKeyCredentialDescriptor]:
    return [
        structs.PublicKeyCredentialDescriptor(
            id=webauthn.base64url_to_bytes(key["credential_id"]),
            transports=[
                structs.AuthenticatorTransport(t) for t in key["transports"].split() if _transport(t)
            ],
        )
        for key in keys
    ]


def _transport(value: str) -> bool:
    return value in {t.value for t in structs.AuthenticatorTransport}


def _options_json(options: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(webauthn.options_to_json(options))
    return result


async def registration_options(rt: Runtime, user_id: str) -> dict[str, Any]:
    """PublicKeyCredentialCreationOptions (as JSON) for a new key of the signed-in user."""
    if not rt.settings.enable_mfa:
        raise mfa_actions.disabled()
    rp_id, _ = _relying_party(rt.settings)
    async with rt.db.read() as conn:
        user = await user_store.get_user(conn, user_id)
        keys = await webauthn_store.user_credentials(conn, user_id)
    if user is None:
        raise errors.not_found("user", "app.user.missing_account.const")
    if user["auth_service"]:
        raise errors.bad_request(
            "api.user.activate_mfa.email_and_ldap_only.app_error",
            "MFA is not available for this account type.",
        )
    if len(keys) >= MAX_KEYS:
        raise errors.bad_request(
            "api.webauthn.too_many_keys.app_error", "This account has too many security keys."
        )
    challenge = await _new_challenge(rt, user_id, REGISTER)
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=rt.settings.site_name,
        user_id=user_id.encode(),
        user_name=user["username"],
        user_display_name=user["username"],
        challenge=challenge,
        timeout=_TIMEOUT_MS,
        # A key already registered is refused by the browser, so one key is not added twice.
        exclude_credentials=_descriptors(keys),
        authenticator_selection=structs.AuthenticatorSelectionCriteria(
            resident_key=structs.ResidentKeyRequirement.PREFERRED,
            user_verification=structs.UserVerificationRequirement.PREFERRED,
        ),
    )
    return _options_json(options)


def _key_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME_LENGTH:
        raise errors.invalid_param("name")
    return name


async def register(rt: Runtime, user_id: str, name: str, credential: Any) -> tuple[dict[str, Any], list[str]]:
    """Checks the browser's answer to the registration options and keeps the key. The user's
    first second factor turns two-factor authentication on and answers with ten recovery codes
    (shown this once), as enrolling with TOTP does; otherwise the codes list is empty."""
    if not rt.settings.enable_mfa:
        raise mfa_actions.disabled()
    rp_id, origin = _relying_party(rt.settings)
    name = _key_name(name)
    parsed, challenge = _answered_challenge(credential, webauthn.helpers.parse_registration_credential_json)
    if await _use_challenge(rt, challenge, REGISTER) != user_id:
        raise _challenge_error()
    try:
        verified = webauthn.verify_registration_response(
            credential=parsed, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin
        )
    except Exception as exc:
        raise errors.bad_request(
            "api.webauthn.register.bad_response.app_error", "The security key's answer could not be verified."
        ) from exc
    transports = " ".join(t.value for t in parsed.response.transports or [])
    now = now_ms_of(rt.clock)
    key: dict[str, Any] = {
        "id": new_id(),
        "user_id": user_id,
        "credential_id": webauthn.helpers.bytes_to_base64url(verified.credential_id),
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "name": name,
        "transports": transports[:128],
        "create_at": now,
        "last_used_at": 0,
    }
    codes: list[str] = []
    async with transaction(rt) as tx:
        await user_store.lock_user(tx.conn, user_id)
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        if await webauthn_store.get_by_credential_id(tx.conn, key["credential_id"]) is not None:
            raise errors.bad_request(
                "api.webauthn.register.already_registered.app_error",
                "This security key is already registered.",
            )
        await webauthn_store.insert_credential(tx.conn, key)
        if not user["mfa_active"]:
            await mfa_store.set_active(tx.conn, user_id, True, now)
            codes = await mfa_actions.store_new_recovery_codes(tx, user_id, now)
            await audit.record(tx.conn, rt.settings, audit.MFA_ACTIVATED, target_id=user_id)
        await audit.record(
            tx.conn, rt.settings, audit.SECURITY_KEY_ADDED, target_id=user_id, details={"key_id": key["id"]}
        )
        session_actions.publish_revoked(tx, user_id, [], forget_user=True)
    rt.sessions.forget_user(user_id)
    return key, codes


async def list_keys(rt: Runtime, user_id: str) -> Sequence[Row]:
    async with rt.db.read() as conn:
        return await webauthn_store.user_credentials(conn, user_id)


_WRONG_PASSWORD = "api.user.check_user_password.invalid.app_error"


async def remove_key(rt: Runtime, user_id: str, key_id: str, password: str, code: str) -> None:
    """Removes one of the user's keys, proven by the current password or a second factor's code
    (a stolen session alone cannot take the owner's key away). Removing the last one, without
    TOTP, turns two-factor authentication off and forgets the recovery codes."""
    if not password and not code:
        raise errors.invalid_body("password")
    async with (
        mfa_actions.code_attempt(
            rt, "webauthn-remove:" + user_id, (_WRONG_PASSWORD, "mfa.activate.bad_token.app_error")
        ),
        transaction(rt) as tx,
    ):
        await user_store.lock_user(tx.conn, user_id)
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        if password:
            if not await rt.passwords.verify(user["password_hash"] or "", password):
                raise errors.APIError(401, _WRONG_PASSWORD, "The password is not correct.")
        else:
            await mfa_actions.check_code(tx, rt, user_id, code)
        if not await webauthn_store.delete_credential(tx.conn, user_id, key_id):
            raise errors.not_found("security key", "api.webauthn.key.not_found.app_error")
        now = now_ms_of(rt.clock)
        last = await webauthn_store.count_credentials(tx.conn, user_id) == 0
        if last and await mfa_store.get_active_secret(tx.conn, user_id) is None:
            await mfa_store.set_active(tx.conn, user_id, False, now)
            await mfa_store.remove_all(tx.conn, user_id)
            await audit.record(tx.conn, rt.settings, audit.MFA_DEACTIVATED, target_id=user_id)
        await audit.record(
            tx.conn, rt.settings, audit.SECURITY_KEY_REMOVED, target_id=user_id, details={"key_id": key_id}
        )
        session_actions.publish_revoked(tx, user_id, [], forget_user=True)
    rt.sessions.forget_user(user_id)


async def login_options(rt: Runtime, login_id: str, password: str, address: str) -> dict[str, Any]:
    """The first step of a login with a key: the password is checked as /users/login checks it
    (same limits), then PublicKeyCredentialRequestOptions for the account's keys, whose
    challenge, kept for a few minutes, is what binds the second step to this first one."""
    if not rt.settings.enable_mfa:
        raise mfa_actions.disabled()
    rp_id, _ = _relying_party(rt.settings)
    checked = await session_actions.check_password(rt, login_id, password, address)
    # The password was right: this attempt is not a failure (as the code-needed answer).
    await rt.login_failures_by_account.remove(checked.account_key, checked.attempt)
    keys = await list_keys(rt, checked.user["id"])
    if not keys:
        raise errors.bad_request(
            "api.webauthn.login.no_keys.app_error", "This account has no security key; use a code."
        )
    challenge = await _new_challenge(rt, checked.user["id"], LOGIN)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        challenge=challenge,
        timeout=_TIMEOUT_MS,
        allow_credentials=_descriptors(keys),
        user_verification=structs.UserVerificationRequirement.PREFERRED,
    )
    return _options_json(options)


async def finish_login(
    rt: Runtime, credential: Any, device_id: str, address: str, user_agent: str = ""
) -> session_actions.LoginResult:
    """The second step: the key's signature over the challenge of a login whose password was
    checked. It opens the session exactly as /users/login does."""
    if not rt.settings.enable_mfa:
        raise mfa_actions.disabled()
    rp_id, origin = _relying_party(rt.settings)
    address_key = await session_actions.allowed_address_key(rt, address)
    parsed, challenge = _answered_challenge(credential, webauthn.helpers.parse_authentication_credential_json)
    user_id = await _use_challenge(rt, challenge, LOGIN)
    async with rt.db.read() as conn:
        user = await user_store.get_user(conn, user_id)
        key = await webauthn_store.get_by_credential_id(
            conn, webauthn.helpers.bytes_to_base64url(parsed.raw_id)
        )
    if user is None:
        raise _challenge_error()
    try:
        # Another user's key, however valid its signature, does not finish this user's login.
        if key is None or key["user_id"] != user_id:
            raise _bad_key()
        try:
            verified = webauthn.verify_authentication_response(
                credential=parsed,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                credential_public_key=key["public_key"],
                # A counter that did not move on (when the key keeps one) means a cloned key.
                credential_current_sign_count=key["sign_count"],
            )
        except Exception as exc:
            raise _bad_key() from exc
        async with transaction(rt) as tx:
            moved = await webauthn_store.use_credential(
                tx.conn, key["id"], key["sign_count"], verified.new_sign_count, now_ms_of(rt.clock)
            )
        if not moved:
            raise _bad_key()
    except errors.APIError:
        await session_actions.record_second_factor_failure(rt, address_key, user, "bad_security_key")
        raise
    return await session_actions.complete_login(rt, user, user_id, device_id, user_agent)
