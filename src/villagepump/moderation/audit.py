"""The audit log's one writer: `record` adds an entry inside the transaction of the action it
describes, so an entry exists exactly when the change does.

Who acted and from where comes from the request: the authentication dependency
(api/authentication.require_caller) and the login route note it in `ORIGIN`, a context variable
that lives as long as the request's task (as the request id of log lines does). Actions called
from the command line or a job have no origin: their entries say so with an empty actor.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.auth import Caller
from villagepump.config import Settings
from villagepump.ids import new_id, now_ms
from villagepump.moderation.addresses import stored_address
from villagepump.store import audits as audit_store

# The actions recorded (Audit.action). Kept as names rather than Mattermost's URL paths, so
# filters stay stable when a route moves.
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
MFA_ACTIVATED = "mfa_activated"
MFA_DEACTIVATED = "mfa_deactivated"
SECURITY_KEY_ADDED = "security_key_added"
SECURITY_KEY_REMOVED = "security_key_removed"
ROLES_CHANGED = "roles_changed"
USER_DEACTIVATED = "user_deactivated"
USER_ACTIVATED = "user_activated"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
SESSION_REVOKED = "session_revoked"
SESSIONS_REVOKED = "all_sessions_revoked"
TOKEN_CREATED = "access_token_created"
TOKEN_REVOKED = "access_token_revoked"
TOKEN_DISABLED = "access_token_disabled"
CONFIG_CHANGED = "config_changed"
TERMS_CREATED = "terms_of_service_created"
TERMS_ACCEPTED = "terms_of_service_accepted"
TERMS_DECLINED = "terms_of_service_declined"
CHANNEL_MOVED = "channel_moved"
AUDIT_EXPORTED = "audit_exported"
# Moderators' tools (actions/moderation.py): the target is the post or user acted on.
POST_REMOVED = "post_removed_by_moderator"
USER_WARNED = "user_warned"
USER_MUTED = "user_muted"
USER_UNMUTED = "user_unmuted"
USER_REMOVED_FROM_CHANNEL = "user_removed_from_channel"
USER_REMOVED_FROM_TEAM = "user_removed_from_team"
CHANNEL_MODERATION_CHANGED = "channel_moderation_changed"
# A bulk export of the server's data (villagepump export mattermost).
AUDIT_DATA_EXPORTED = "data_exported"
# Reports of posts (actions/reports.py): filed by a member, closed by a moderator.
REPORT_CREATED = "report_created"
REPORT_RESOLVED = "report_resolved"
REPORT_DISMISSED = "report_dismissed"
# A user erased for good (actions/erase_user.py): the entry keeps the id and the modes only.
USER_ERASED = "user_erased"


@dataclass
class Origin:
    """Where the current request comes from. The address is worked out only when an entry is
    written (most requests write none)."""

    actor_id: str = ""
    session_id: str = ""
    address: Callable[[], str] = field(default=lambda: "")


ORIGIN: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def note_origin(actor_id: str, session_id: str, address: Callable[[], str]) -> None:
    ORIGIN.set(Origin(actor_id, session_id, address))


async def record(
    conn: AsyncConnection,
    settings: Settings,
    action: str,
    *,
    target_id: str = "",
    details: dict[str, Any] | None = None,
    actor_id: str | None = None,
    session_id: str | None = None,
) -> None:
    """Appends an entry. The actor and session default to the request's; the address is always
    the request's, stored as PrivacySettings.StoreClientAddresses says."""
    origin = ORIGIN.get() or Origin()
    await audit_store.insert_audit(
        conn,
        {
            "id": new_id(),
            "create_at": now_ms(),
            "user_id": origin.actor_id if actor_id is None else actor_id,
            "action": action,
            "target_id": target_id,
            "extra_info": details or {},
            "ip_address": stored_address(origin.address(), settings.store_client_addresses),
            "session_id": origin.session_id if session_id is None else session_id,
        },
    )


async def record_removal(
    conn: AsyncConnection, settings: Settings, actor: Caller, user_id: str, action: str, where: dict[str, str]
) -> None:
    """A moderator (or admin) removing someone from a channel or team; leaving is not recorded."""
    if user_id != actor.user_id and actor.is_moderator:
        await record(conn, settings, action, target_id=user_id, details=where)
