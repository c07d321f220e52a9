"""Password hashing with argon2id, on threads of its own so the event loop never waits for it."""

import asyncio
import contextlib
import os
import secrets
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from villagepump.errors import bad_request

MIN_LENGTH = 8
MAX_LENGTH = 72 * 4  # Mattermost caps at 72 bytes for bcrypt; argon2 has no such limit, but bound the work.


def default_thread_count() -> int:
    """One hashing thread per core. The threads are nicer than the event loop, which wins a
    contended core; with one thread fewer, a 2-core machine cleared a login ramp of 20 a second
    too slowly (its one thread lost its core to the loop and the load generator), and 2,000
    users' logins timed out (bench/README.md, load test)."""
    return max(1, os.cpu_count() or 2)


class Passwords:
    """argon2id on a small pool of threads. argon2-cffi releases the GIL while it hashes, so the
    event loop keeps delivering messages meanwhile; and a burst of logins waits its turn for the
    pool instead of taking every core (and 64 MiB of memory per hash) at once."""

    def __init__(self, time_cost: int, memory_kib: int, threads: int = 0) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._pool = ThreadPoolExecutor(
            max_workers=threads or default_thread_count(),
            thread_name_prefix="passwords",
            initializer=_yield_to_the_event_loop,
        )
        self._dummy: Future[str] | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        """An empty hash (no such user, or no password) fails, after the same work as any other,
        so the response time does not tell which accounts exist."""
        if not password_hash:
            await self._check(await self._dummy_hash(), password)
            return False
        return await self._check(password_hash, password)

    async def _check(self, password_hash: str, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._verify, password_hash, password
        )

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Made with other costs than this server's (an older default, or a changed setting)."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False

    def _dummy_hash(self) -> "asyncio.Future[str]":
        # Made once, on first need, with this server's costs. The check and the submit happen
        # without an await between them, so simultaneous first callers share one hash.
        if self._dummy is None:
            self._dummy = self._pool.submit(self._hasher.hash, secrets.token_urlsafe(24))
        return asyncio.wrap_future(self._dummy)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


# How much nicer than the rest of the process the hashing threads run (Linux niceness): where
# they and the event loop want the same core, the loop gets about three times their share.
_NICER_BY = 5


def _yield_to_the_event_loop() -> None:
    # Linux schedules threads one by one, so a hashing thread can be made nicer than the event
    # loop's thread: the loop, delivering messages, wins a contended core, and hashing still
    # uses every cycle the loop leaves idle. Relative to the process's own niceness, so a server
    # started with `nice` keeps the same balance inside.
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            thread = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + _NICER_BY)


def check_password_rules(password: object) -> str:
    if not isinstance(password, str) or not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise bad_request(
            "model.user.is_valid.pwd_length.app_error",
            f"Your password must contain between {MIN_LENGTH} and {MAX_LENGTH} characters.",
        )
    return password
