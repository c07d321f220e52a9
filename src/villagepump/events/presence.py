"""What this process remembers about users' presence, so recording activity costs no query."""

from dataclasses import dataclass, field


@dataclass(slots=True)
class UserPresence:
    status: str
    manual: bool
    last_activity_at: int
    # When last_activity_at was last written to the database.
    written_activity_at: int


@dataclass
class Presence:
    users: dict[str, UserPresence] = field(default_factory=dict)
    sweeping: bool = False
