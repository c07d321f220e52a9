"""The links the server mails: address verification, password reset and invitations.

Each link carries a random token that works once and expires; only its sha256 is stored
(store/tokens.py), and using it deletes the row in the transaction that acts on it, so of two
requests with one token only one succeeds. Mails are queued in the same transaction
(tx.enqueue), so a mail leaves only if the change that sends it commits, and once.
"""

import secrets
import urllib.parse
from typing import Any

from villagepump.actions.transaction import Transaction
from villagepump.auth import hash_token
from villagepump.clock import now_ms_of
from villagepump.jobs.types import EMAIL
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import tokens as token_store

VERIFY_EMAIL = "verify_email"
PASSWORD_RECOVERY = "password_recovery"
TEAM_INVITATION = "team_invitation"
GUEST_INVITATION = "guest_invitation"
INVITATIONS = (TEAM_INVITATION, GUEST_INVITATION)

_HOUR_MS = 60 * 60 * 1000
# Mattermost's 48 hours for invitations; a reset link lasts an hour (Mattermost: 24), as it
# hands over the account; a verification link a day.
LIFETIME_MS = {
    VERIFY_EMAIL: 24 * _HOUR_MS,
    PASSWORD_RECOVERY: _HOUR_MS,
    TEAM_INVITATION: 48 * _HOUR_MS,
    GUEST_INVITATION: 48 * _HOUR_MS,
}
# Token strings are checked for length before any lookup.
MAX_TOKEN_LENGTH = 128


def site_url(rt: Runtime) -> str:
    """Where links point. Never the request's Host header: a reset requested with a forged one
    would otherwise mail the victim a link to the attacker's site, token included."""
    return rt.settings.site_url.rstrip("/") or f"http://{rt.settings.host}:{rt.settings.port}"


async def new_token(
    rt: Runtime,
    tx: Transaction,
    token_type: str,
    *,
    user_id: str = "",
    email: str,
    data: dict[str, Any] | None = None,
) -> str:
    token = secrets.token_urlsafe(32)
    now = now_ms_of(rt.clock)
    await token_store.insert_token(
        tx.conn,
        {
            "token_hash": hash_token(token),
            "type": token_type,
            "user_id": user_id,
            "email": email,
            "data": data or {},
            "create_at": now,
            "expires_at": now + LIFETIME_MS[token_type],
        },
    )
    return token


def is_expired(rt: Runtime, token: Row) -> bool:
    return bool(token["expires_at"] <= now_ms_of(rt.clock))


async def mail(
    rt: Runtime,
    tx: Transaction,
    to: str,
    template: str,
    locale: str,
    params: dict[str, str] | None = None,
    link: str = "",
) -> None:
    """Queues a mail, if the server has an SMTP server to send it through: without one there
    is nowhere for it to go, and the outbox would only collect failures."""
    if not rt.settings.smtp_server:
        return
    payload = {"to": to, "template": template, "locale": locale, "params": params or {}, "link": link}
    await tx.enqueue(EMAIL, payload)


def link(rt: Runtime, path: str, **query: str) -> str:
    return f"{site_url(rt)}{path}?{urllib.parse.urlencode(query)}"
