"""How long a failed delivery waits before its next attempt."""

from villagepump.config import Settings


def retry_delay(settings: Settings, attempts: int, retry_after: float | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: exponential, capped, and never
    sooner than the remote side asked (Retry-After) unless that is beyond the cap."""
    delay = settings.jobs_retry_base_seconds * 2 ** max(attempts - 1, 0)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return float(min(delay, settings.jobs_retry_max_seconds))
