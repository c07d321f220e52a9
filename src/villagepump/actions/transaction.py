"""A write transaction that collects events and publishes them once it has committed."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.clock import Clock, SystemClock, now_ms_of
from villagepump.events.types import Event
from villagepump.ids import new_id
from villagepump.runtime import Runtime
from villagepump.store import outbox as outbox_store
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
    # Two first sign-ins of one person at once: the second makes no second account.
    "uq_users_auth_service_auth_data": (
        400,
        "app.user.save.auth_data_exists.app_error",
        "An account is already linked to this sign-in.",
    ),
    "uq_teams_name": (400, "app.team.save.existing.app_error", "A team with that name already exists."),
    "uq_emoji_name_delete_at": (
        400,
        "api.emoji.create.duplicate.app_error",
        "Unable to create emoji. Another emoji with the same name already exists.",
    ),
    "uq_commands_team_id_trigger_delete_at": (
        400,
        "api.command.duplicate_trigger.app_error",
        "This trigger word is already in use.",
    ),
    # The built-in IRC bridge: one network per name, one mapping per IRC channel and per chat
    # channel on a network.
    "uq_irc_networks_name": (
        400,
        "api.irc_bridge.network_exists.app_error",
        "A network with that name exists.",
    ),
    "uq_irc_mappings_network_id_irc_channel": (
        400,
        "api.irc_bridge.mapping_exists.app_error",
        "That channel is already bridged on this network.",
    ),
    "uq_irc_mappings_network_id_channel_id": (
        400,
        "api.irc_bridge.mapping_exists.app_error",
        "That channel is already bridged on this network.",
    ),
    # One personal data export per user at a time (actions/data_exports.py).
    "uq_data_exports_running_user_id": (
        400,
        "api.villagepump.data_export.in_progress.app_error",
        "An export of this user's data is already being made.",
    ),
}


@dataclass
class Transaction:
    conn: AsyncConnection
    events: list[Event] = field(default_factory=list)
    clock: Clock = field(default_factory=SystemClock)
    enqueued: int = 0

    def publish(self, event: Event) -> None:
        """Queue an event; it goes out only if the transaction commits."""
        self.events.append(event)

    async def enqueue(
        self, kind: str, payload: dict[str, Any], *, job_id: str = "", item_id: str = "", not_before: int = 0
    ) -> str:
        """Queue a side effect that must leave the server (an HTTP call, an e-mail, a push).

        It is written with this transaction's other writes, so it exists exactly when they do,
        and a jobs worker on one of the server's processes carries it out (jobs/service.py).
        Returns its id, which the remote side receives as the delivery id. An `item_id` chosen by
        the caller makes the item once-only: queuing it again (a repeated fan-out) adds nothing.
        `not_before` (ms) holds it back until then (a batch of mails that gathers for a while).
        """
        once = bool(item_id)
        item_id = item_id or new_id()
        now = now_ms_of(self.clock)
        await (outbox_store.insert_item_once if once else outbox_store.insert_item)(
            self.conn,
            {
                "id": item_id,
                "kind": kind,
                "payload": payload,
                "status": "pending",
                "available_at": max(now, not_before),
                "attempts": 0,
                "claim_token": "",
                "last_error": "",
                "job_id": job_id,
                "create_at": now,
                "update_at": now,
            },
        )
        self.enqueued += 1
        return item_id


@asynccontextmanager
async def transaction(rt: Runtime) -> AsyncIterator[Transaction]:
    """A write transaction. A write that runs into one of the unique keys above (another request
    got there first, perhaps on another server process) rolls back and answers Mattermost's error."""
    tx: Transaction | None = None

    async def publish_after_commit() -> None:
        if tx is not None and tx.events:
            await rt.bus.publish(tx.events)
        if tx is not None and tx.enqueued and rt.jobs is not None:
            rt.jobs.wake()

    try:
        async with rt.db.write(after_commit=publish_after_commit) as conn:
            tx = Transaction(conn, clock=rt.clock)
            yield tx
    except IntegrityError as error:
        known = _UNIQUE_KEY_ERRORS.get(violated_unique_key(error) or "")
        if known is None:
            raise
        raise errors.APIError(*known) from error
