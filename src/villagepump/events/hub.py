"""The WebSocket hub: which connections hear which events, each with its own gap-free `seq`.

Connections are indexed by user, and users by the channels and teams they belong to, so routing
an event to a channel touches only that channel's members. An event is serialised once; each
connection's `seq` is spliced into the text. A connection whose socket dropped keeps collecting
events for `websocket_resume_seconds`, so a client that comes back with its connection id and
next sequence number gets what it missed (Mattermost's "reliable websockets").
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Coroutine, Iterable, Iterator
from dataclasses import dataclass, field
from socket import gethostname
from typing import Any, Protocol

import orjson

from villagepump import MATTERMOST_VERSION
from villagepump.auth import is_guest
from villagepump.clock import Clock, SystemClock
from villagepump.config import Settings
from villagepump.events.types import EVENTS_LOST, SESSIONS_CHANGED, Broadcast, Event, MembershipChange
from villagepump.ids import new_id
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store.database import Database

log = logging.getLogger(__name__)

# How often detached connections past their resume window are forgotten.
_SWEEP_SECONDS = 5.0
# Close code for a client too slow to keep up; it may resume if its events are still buffered.
_CLOSE_TOO_SLOW = 1008
_CLOSE_GOING_AWAY = 1001


class Socket(Protocol):
    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class _Outbox:
    """Frames waiting for one socket and, while any wait, the one task that writes them in
    order, so a slow client never holds up the hub or any other client. An idle socket has no
    task: a server holds tens of thousands of idle sockets, and a parked task each is memory
    spent on nothing (bench/idle_sockets.py)."""

    def __init__(self, socket: Socket, on_failure: "Connection") -> None:
        self.socket = socket
        self.frames: deque[str] = deque()
        self._connection = on_failure
        self.task: asyncio.Task[None] | None = None
        self._stopped = False

    def push(self, frame: str) -> None:
        self.frames.append(frame)
        if self.task is None and not self._stopped:
            self.task = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        frames, socket = self.frames, self.socket
        try:
            while frames:
                await socket.send_text(frames.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:
            # The socket is gone; the reader notices too and detaches the connection.
            self._connection.detach(self)
        finally:
            # No await between the last look at `frames` and here: a frame pushed meanwhile
            # would have found this task still set, so none is left unwritten.
            self.task = None

    def stop(self, code: int = _CLOSE_GOING_AWAY) -> None:
        self._stopped = True
        if self.task is not None:
            self.task.cancel()
        asyncio.get_running_loop().create_task(_close_quietly(self.socket, code))


async def _close_quietly(socket: Socket, code: int) -> None:
    with contextlib.suppress(Exception):
        await socket.close(code)


@dataclass(eq=False)
class Connection:
    """One client's event stream; it outlives a dropped socket for the resume window."""

    id: str
    user_id: str
    session_id: str
    max_queued: int
    recent: deque[str]
    # The hub's clock, which stamps detached_at for the resume window.
    clock: Clock
    next_seq: int = 0
    outbox: _Outbox | None = None
    detached_at: float = 0.0
    # Set by the `presence` action: what the client is looking at.
    active_channel_id: str = ""
    last_typing: dict[str, float] = field(default_factory=dict)

    @property
    def attached(self) -> bool:
        return self.outbox is not None

    def send_event(self, head: str) -> None:
        frame = head + str(self.next_seq) + "}"
        self.next_seq += 1
        self.recent.append(frame)
        outbox = self.outbox
        if outbox is None:
            return
        if len(outbox.frames) >= self.max_queued:
            log.warning("websocket client too slow, closing connection %s", self.id)
            self.detach(outbox, _CLOSE_TOO_SLOW)
            return
        outbox.push(frame)

    def send_reply(self, reply: dict[str, Any]) -> None:
        """A reply to a client action: no `seq`, not replayed, but in order with the events."""
        if self.outbox is not None:
            self.outbox.push(orjson.dumps(reply).decode())

    def detach(self, outbox: _Outbox, code: int = _CLOSE_GOING_AWAY) -> None:
        """The socket behind `outbox` is done; keep collecting events for a resume."""
        if self.outbox is not outbox:
            return
        self.outbox = None
        self.detached_at = self.clock.monotonic()
        outbox.stop(code)

    def replay_from(self, sequence_number: int) -> list[str] | None:
        """The frames from `sequence_number` on, or None if some of them are no longer held."""
        first_held = self.next_seq - len(self.recent)
        if not first_held <= sequence_number <= self.next_seq:
            return None
        return list(self.recent)[sequence_number - first_held :]


@dataclass(eq=False)
class _User:
    """A user with connections on this process, and the channels and teams routing needs."""

    connections: dict[str, Connection] = field(default_factory=dict)
    channel_ids: set[str] = field(default_factory=set)
    team_ids: set[str] = field(default_factory=set)
    # A guest (system_guest) hears of public channels only those they are in.
    guest: bool = False
    # Membership changes seen while the user's channels and teams were being read.
    pending: list[MembershipChange] | None = None
    loaded: asyncio.Future[None] | None = None


class Hub:
    def __init__(self, settings: Settings, db: Database, clock: Clock | None = None) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock or SystemClock()
        self.hostname = gethostname()
        self._users: dict[str, _User] = {}
        self._connections: dict[str, Connection] = {}
        self._channel_users: dict[str, set[str]] = {}
        self._team_users: dict[str, set[str]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    # -- delivering -------------------------------------------------------------------------

    def deliver(self, event: Event) -> None:
        """Send one event to every connection allowed to hear it."""
        try:
            self._deliver(event)
        except Exception:
            # The bus hands over every event in order; one bad event must not stop the rest.
            log.exception("could not deliver %s event", event.event)

    def _deliver(self, event: Event) -> None:
        if event.event == SESSIONS_CHANGED:
            self._close_sessions(event.data["user_id"], set(event.data["session_ids"]))
            return
        if event.event == EVENTS_LOST:
            self._drop_everyone()
            return
        if event.event == "user_role_updated":
            self._set_guest(event.data.get("user_id", ""), event.data.get("roles", ""))
        for change in event.membership:
            if change.joined:
                self._apply_membership(change)
        head: str | None = None
        for connection in self._targets(event.broadcast):
            if head is None:
                head = _frame_head(event)
            connection.send_event(head)
        for change in event.membership:
            if not change.joined:
                self._apply_membership(change)

    def _close_sessions(self, user_id: str, session_ids: set[str]) -> None:
        """A revoked session's sockets close for good: no resume, no further events."""
        user = self._users.get(user_id)
        if user is None:
            return
        for connection in list(user.connections.values()):
            if connection.session_id in session_ids:
                self._forget(connection)

    def _drop_everyone(self) -> None:
        """Some events never arrived, and seq numbers cannot show a gap that the hub itself
        did not see: close every socket and forget every connection, so each client comes
        back to a new hello and resyncs over REST."""
        log.warning("events were lost; closing %d connections so clients resync", len(self._connections))
        for connection in list(self._connections.values()):
            self._forget(connection)

    def close_all(self, why: str) -> None:
        """Closes every socket for good (no resume): each client must authenticate again."""
        log.info("closing %d connections: %s", len(self._connections), why)
        for connection in list(self._connections.values()):
            self._forget(connection)

    def _targets(self, broadcast: Broadcast) -> Iterator[Connection]:
        omit_users = broadcast.omit_users or {}
        for connection in self._candidates(broadcast):
            if connection.user_id in omit_users:
                continue
            if broadcast.omit_connection_id and connection.id == broadcast.omit_connection_id:
                continue
            if broadcast.user_id and connection.user_id != broadcast.user_id:
                continue
            user = self._users[connection.user_id]
            if broadcast.channel_id and broadcast.channel_id not in user.channel_ids:
                continue
            if broadcast.team_id and broadcast.team_id not in user.team_ids:
                continue
            if (
                user.guest
                and broadcast.guests_need_channel
                and broadcast.guests_need_channel not in user.channel_ids
            ):
                continue
            yield connection

    def _candidates(self, broadcast: Broadcast) -> Iterable[Connection]:
        """The narrowest set that can hold every recipient; `_targets` applies the rest."""
        if broadcast.connection_id:
            connection = self._connections.get(broadcast.connection_id)
            return () if connection is None else (connection,)
        if broadcast.user_id:
            user = self._users.get(broadcast.user_id)
            return () if user is None else list(user.connections.values())
        if broadcast.channel_id:
            return self._connections_of(self._channel_users.get(broadcast.channel_id, ()))
        if broadcast.team_id:
            return self._connections_of(self._team_users.get(broadcast.team_id, ()))
        return list(self._connections.values())

    def _connections_of(self, user_ids: Iterable[str]) -> list[Connection]:
        users = self._users
        return [connection for user_id in user_ids for connection in users[user_id].connections.values()]

    def _set_guest(self, user_id: str, roles: object) -> None:
        user = self._users.get(user_id)
        if user is not None and isinstance(roles, str):
            user.guest = is_guest(roles)

    def _apply_membership(self, change: MembershipChange) -> None:
        user = self._users.get(change.user_id)
        if user is None:
            return
        if user.pending is not None:
            user.pending.append(change)
            return
        self._set_membership(change.user_id, user, change)

    def _set_membership(self, user_id: str, user: _User, change: MembershipChange) -> None:
        own, index = (
            (user.channel_ids, self._channel_users)
            if change.scope == "channel"
            else (user.team_ids, self._team_users)
        )
        if change.joined:
            own.add(change.scope_id)
            index.setdefault(change.scope_id, set()).add(user_id)
        else:
            own.discard(change.scope_id)
            _discard_from(index, change.scope_id, user_id)

    # -- connecting -------------------------------------------------------------------------

    async def attach(
        self,
        socket: Socket,
        user_id: str,
        session_id: str,
        connection_id: str,
        sequence_number: int | None,
        *,
        guest: bool = False,
    ) -> tuple[Connection, bool]:
        """Binds an authenticated socket to a connection: the one it resumes, whose missed
        events are queued, or a new one, greeted with `hello` at seq 0. Returns it and
        whether it was resumed."""
        self._ensure_sweeper()
        resumed = self._resume(socket, user_id, connection_id, sequence_number)
        if resumed is not None:
            return resumed, True
        connection = Connection(
            id=new_id(),
            user_id=user_id,
            session_id=session_id,
            max_queued=max(self.settings.websocket_resume_events, 1),
            recent=deque(maxlen=max(self.settings.websocket_resume_events, 1)),
            clock=self.clock,
        )
        user = await self._load_user(user_id)
        # The newest authentication knows the user's roles best (user_role_updated keeps it true).
        user.guest = guest
        user.connections[connection.id] = connection
        self._connections[connection.id] = connection
        connection.outbox = _Outbox(socket, connection)
        connection.send_event(_frame_head(self._hello(connection)))
        return connection, False

    def _resume(
        self, socket: Socket, user_id: str, connection_id: str, sequence_number: int | None
    ) -> Connection | None:
        connection = self._connections.get(connection_id) if connection_id else None
        if connection is None or connection.user_id != user_id or sequence_number is None:
            return None
        frames = connection.replay_from(sequence_number)
        if frames is None:
            # Missed events are gone: the client must start over and resync over REST.
            self._forget(connection)
            return None
        if connection.outbox is not None:
            # The client reconnected before its old socket was noticed to be dead.
            connection.detach(connection.outbox)
        outbox = _Outbox(socket, connection)
        for frame in frames:
            outbox.push(frame)
        connection.outbox = outbox
        return connection

    def _hello(self, connection: Connection) -> Event:
        return Event(
            "hello",
            {
                "connection_id": connection.id,
                "server_version": MATTERMOST_VERSION,
                "server_hostname": self.hostname,
            },
            Broadcast(user_id=connection.user_id),
        )

    async def _load_user(self, user_id: str) -> _User:
        user = self._users.get(user_id)
        if user is not None:
            if user.loaded is not None:
                await asyncio.shield(user.loaded)
            return user
        loaded: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        user = _User(pending=[], loaded=loaded)
        self._users[user_id] = user
        try:
            async with self.db.read() as conn:
                channel_ids = await channel_store.channel_ids_for_user(conn, user_id)
                team_ids = await team_store.team_ids_for_user(conn, user_id)
        except BaseException as exc:
            del self._users[user_id]
            loaded.set_exception(exc)
            loaded.exception()  # marked as retrieved: only waiting siblings re-raise it
            raise
        for channel_id in channel_ids:
            self._set_membership(user_id, user, MembershipChange("channel", channel_id, user_id, True))
        for team_id in team_ids:
            self._set_membership(user_id, user, MembershipChange("team", team_id, user_id, True))
        for change in user.pending or ():
            self._set_membership(user_id, user, change)
        user.pending = None
        user.loaded = None
        loaded.set_result(None)
        return user

    def _forget(self, connection: Connection) -> None:
        if connection.outbox is not None:
            connection.detach(connection.outbox)
        self._connections.pop(connection.id, None)
        user = self._users.get(connection.user_id)
        if user is None:
            return
        user.connections.pop(connection.id, None)
        if not user.connections and user.pending is None:
            del self._users[connection.user_id]
            for channel_id in user.channel_ids:
                _discard_from(self._channel_users, channel_id, connection.user_id)
            for team_id in user.team_ids:
                _discard_from(self._team_users, team_id, connection.user_id)

    # -- what other parts ask -----------------------------------------------------------------

    def is_channel_member(self, user_id: str, channel_id: str) -> bool:
        user = self._users.get(user_id)
        return user is not None and channel_id in user.channel_ids

    def has_attached(self, user_id: str) -> bool:
        """Whether the user has an open socket on this process."""
        user = self._users.get(user_id)
        return user is not None and any(c.attached for c in user.connections.values())

    def attached_connections(self, user_id: str) -> int:
        """How many open sockets the user has on this process."""
        user = self._users.get(user_id)
        return 0 if user is None else sum(1 for c in user.connections.values() if c.attached)

    def connected_user_ids(self) -> list[str]:
        return [user_id for user_id in self._users if self.has_attached(user_id)]

    def attached_count(self) -> int:
        """Open sockets on this process (one node's share when several run)."""
        return sum(1 for connection in self._connections.values() if connection.attached)

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Runs a background job that ends with the hub."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- housekeeping ---------------------------------------------------------------------------

    def _ensure_sweeper(self) -> None:
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        while True:
            await self.clock.pause(_SWEEP_SECONDS)
            self.sweep()

    def sweep(self) -> None:
        """Forgets detached connections whose resume window has passed."""
        cutoff = self.clock.monotonic() - self.settings.websocket_resume_seconds
        for connection in list(self._connections.values()):
            if not connection.attached and connection.detached_at <= cutoff:
                self._forget(connection)

    async def close(self) -> None:
        """Close every connection."""
        tasks = list(self._tasks)
        if self._sweeper is not None:
            tasks.append(self._sweeper)
        for connection in list(self._connections.values()):
            if connection.outbox is not None:
                if connection.outbox.task is not None:
                    tasks.append(connection.outbox.task)
                await _close_quietly(connection.outbox.socket, _CLOSE_GOING_AWAY)
            self._forget(connection)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _frame_head(event: Event) -> str:
    """The event as JSON up to its `seq` value, which each connection appends with the `}`."""
    envelope = {"event": event.event, "data": event.data, "broadcast": event.broadcast.as_dict()}
    return orjson.dumps(envelope).decode()[:-1] + ',"seq":'


def _discard_from(index: dict[str, set[str]], key: str, user_id: str) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(user_id)
        if not members:
            del index[key]
