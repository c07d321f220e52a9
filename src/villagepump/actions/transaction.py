"""A write transaction that collects events and publishes them once it has committed."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.events.types import Event
from villagepump.runtime import Runtime
from villagepump.store.database import violated_unique_key

# The unique keys that decide a race between two writers, and what the loser hears: Mattermost's
# error id and status for the same conflict. Keys left out are never expected to clash (the
# actions insert into them with ON CONFLICT), so running into one stays an unexpected error.
_UNIQUE_KEY_ERRORS = {
    "uq_channels_team_id_name": (
        400,
        "store.sql_channel.save_channel.exists.app_error",
        "A channel with that name already exists on the same team.",
    ),
    "uq_users_username": (
        400,
        "app.user.save.username_exists.app_error",
        "An account with that username already exists.",
    ),
    "uq_users_email": (
        400,
        "app.user.save.email_exists.app_error",
        "An account with that email already exists.",
    ),
    "uq_teams_name": (400, "app.team.save.existing.app_error", "A team with that name already exists."),
}


@dataclass
class Transaction:
    conn: AsyncConnection
    events: list[Event] = field(default_factory=list)

    def publish(self, event: Event) -> None:
        """Queue an event; it goes out only if the transaction commits."""
        self.events.append(event)


@asynccontextmanager
async def transaction(rt: Runtime) -> AsyncIterator[Transaction]:
    """A write transaction. A write that runs into one of the unique keys above (another request
    got there first, perhaps on another server process) rolls back and answers Mattermost's error."""
    tx: Transaction | None = None

    async def publish_after_commit() -> None:
        if tx is not None and tx.events:
            await rt.bus.publish(tx.events)

    try:
        async with rt.db.write(after_commit=publish_after_commit) as conn:
            tx = Transaction(conn)
            yield tx
    except IntegrityError as error:
        known = _UNIQUE_KEY_ERRORS.get(violated_unique_key(error) or "")
        if known is None:
            raise
        raise errors.APIError(*known) from error
