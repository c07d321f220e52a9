"""The terms of service (code of conduct): an admin publishes a version; each user accepts it
(or declines, which their client follows with a logout). Until they accept, the authentication
dependency lets them reach only what the acceptance needs (api/authentication.require_caller)."""

from villagepump import errors
from villagepump.actions import sessions as session_actions
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.events.types import TERMS_CHANGED, Broadcast, Event
from villagepump.ids import new_id
from villagepump.moderation import audit
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import terms as terms_store

# Mattermost's limit for the text of its terms of service.
MAX_TEXT_LENGTH = 16383


def no_terms() -> errors.APIError:
    return errors.not_found("terms of service", "app.terms_of_service.get.no_rows.app_error")


def terms_required() -> errors.APIError:
    # Our own id: Mattermost's server does not refuse anything while the terms are unaccepted.
    return errors.APIError(
        403,
        "api.context.terms_of_service_required.app_error",
        "You must accept the terms of service before you continue.",
    )


def check_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise errors.bad_request(
            "api.create_terms_of_service.empty.app_error", "Terms of service text cannot be empty."
        )
    if len(text) > MAX_TEXT_LENGTH:
        raise errors.bad_request(
            "model.terms_of_service.is_valid.text.app_error",
            f"Terms of service text must be at most {MAX_TEXT_LENGTH} characters.",
        )
    return text


async def create_terms(rt: Runtime, actor_id: str, text: object) -> Row:
    """Publishes a new version; from now on everyone owes acceptance of it."""
    checked = check_text(text)
    values = {"id": new_id(), "create_at": now_ms_of(rt.clock), "user_id": actor_id, "text": checked}
    async with transaction(rt) as tx:
        await terms_store.insert_terms(tx.conn, values)
        await audit.record(
            tx.conn,
            rt.settings,
            audit.TERMS_CREATED,
            actor_id=actor_id,
            target_id=str(values["id"]),
            details={"length": len(checked)},
        )
        tx.publish(Event(TERMS_CHANGED, {"terms_id": values["id"]}, Broadcast()))
        created = await terms_store.latest_terms(tx.conn)
    assert created is not None
    return created


async def latest_terms(rt: Runtime) -> Row:
    async with rt.db.read() as conn:
        found = await terms_store.latest_terms(conn)
    if found is None:
        raise no_terms()
    return found


async def record_answer(rt: Runtime, caller: Caller, terms_id: str, accepted: bool) -> None:
    """Accepting records the version and the time; declining forgets any earlier acceptance.
    Only the version in force can be answered: accepting an older one would let a client skip
    reading the new text."""
    async with transaction(rt) as tx:
        latest = await terms_store.latest_terms(tx.conn)
        if latest is None or latest["id"] != terms_id:
            raise errors.bad_request(
                "api.terms_of_service.not_latest.app_error",
                "These are not the terms of service in force; fetch them again.",
            )
        if accepted:
            await terms_store.save_acceptance(tx.conn, caller.user_id, terms_id, now_ms_of(rt.clock))
        else:
            await terms_store.delete_acceptance(tx.conn, caller.user_id)
        action = audit.TERMS_ACCEPTED if accepted else audit.TERMS_DECLINED
        await audit.record(tx.conn, rt.settings, action, target_id=terms_id)
        session_actions.publish_revoked(tx, caller.user_id, [], forget_user=True)
    # This process forgets at once, so the user's very next request is let through.
    rt.sessions.forget_user(caller.user_id)


async def user_acceptance(rt: Runtime, user_id: str) -> Row:
    async with rt.db.read() as conn:
        found = await terms_store.get_acceptance(conn, user_id)
    if found is None:
        raise errors.not_found(
            "terms of service acceptance", "app.user_terms_of_service.get_by_user.no_rows.app_error"
        )
    return found


def terms_changed_here(rt: Runtime, terms_id: str | None = None) -> None:
    """This process's part of a new version (or of the terms being switched on): cached callers
    are read again, and every socket closes, so that one whose user has not accepted is not
    let back in (api/v4/websocket.py); the clients that reconnect read the new version's id in
    the client config."""
    if terms_id is not None:
        rt.latest_terms_id = terms_id
    rt.sessions.clear()
    # While the terms are not enforced, a new version concerns nobody's connection yet.
    if rt.settings.enable_custom_terms_of_service:
        rt.hub.close_all("the terms of service changed")
