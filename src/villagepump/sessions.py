"""A short-lived cache of resolved sessions, so each request does not read the sessions table."""

from villagepump.auth import Caller
from villagepump.clock import Clock, SystemClock

# Long enough to take the sessions table off the hot path, short enough that a session
# revoked on another server process stops working quickly.
_TTL_SECONDS = 5.0


class SessionCache:
    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._entries: dict[str, tuple[float, Caller]] = {}

    def get(self, token_hash: str) -> Caller | None:
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if entry[0] < self._clock.monotonic():
            del self._entries[token_hash]
            return None
        return entry[1]

    def put(self, token_hash: str, caller: Caller) -> None:
        if len(self._entries) > 50_000:
            self._entries.clear()
        self._entries[token_hash] = (self._clock.monotonic() + _TTL_SECONDS, caller)

    def forget(self, token_hash: str) -> None:
        self._entries.pop(token_hash, None)

    def clear(self) -> None:
        self._entries.clear()

    def forget_user(self, user_id: str) -> None:
        for token_hash in [h for h, (_, c) in self._entries.items() if c.user_id == user_id]:
            del self._entries[token_hash]
