"""Whether a caller still owes acceptance of the terms of service (a pure rule; the caller
carries the facts, read with the session)."""

from villagepump.auth import Caller
from villagepump.config import Settings

_DAY_MS = 24 * 60 * 60 * 1000


def owes_terms(settings: Settings, caller: Caller, now: int) -> bool:
    """True while custom terms are on, a version exists, and the caller has not accepted it, or
    accepted it longer ago than the re-acceptance period. Bots never sign anything."""
    if not settings.enable_custom_terms_of_service or not caller.latest_terms_id or caller.is_bot:
        return False
    if caller.accepted_terms_id != caller.latest_terms_id:
        return True
    return now - caller.accepted_terms_at > settings.terms_of_service_reacceptance_days * _DAY_MS
