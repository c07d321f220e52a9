"""Mattermost's identifiers and timestamps: 26-character lowercase base32 ids, milliseconds since epoch."""

import base64
import hashlib
import os
import re

from villagepump import clock

_ID_PATTERN = re.compile(r"^[a-z0-9]{26}$")


def new_id() -> str:
    """A fresh random id: 128 random bits as 26 lowercase base32 characters, like Mattermost's NewId."""
    return base64.b32encode(os.urandom(16)).decode("ascii")[:26].lower()


def derived_id(*parts: str) -> str:
    """An id that follows from what it is about, so making it twice gives the same id: an
    outbox item queued again (a repeated fan-out) is then recognised and adds nothing."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return base64.b32encode(digest).decode("ascii")[:26].lower()


def new_token() -> str:
    """A session or access token; the same shape as an id, which clients expect."""
    return new_id()


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and _ID_PATTERN.match(value) is not None


def now_ms() -> int:
    """Now on the process's clock (the running server's), for the timestamps written to rows."""
    return clock.now_ms_of(clock.current())
