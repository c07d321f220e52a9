"""GET /api/v4/websocket: Mattermost's event stream and the few actions clients send on it."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import orjson
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from villagepump import MATTERMOST_VERSION, errors
from villagepump.actions import mfa as mfa_actions
from villagepump.actions import sessions as session_actions
from villagepump.actions import status as status_actions
from villagepump.actions import terms as terms_actions
from villagepump.actions import typing as typing_actions
from villagepump.api.authentication import token_from_request
from villagepump.api.websocket_protocol import Liveness, liveness_of
from villagepump.auth import Caller
from villagepump.clock import Clock
from villagepump.events.hub import Connection
from villagepump.ids import is_valid_id, now_ms
from villagepump.moderation.terms import owes_terms
from villagepump.runtime import Runtime
from villagepump.store import statuses as status_store

log = logging.getLogger(__name__)

# A socket that has not authenticated by then is closed.
AUTHENTICATION_SECONDS = 10.0
# The server pings every socket this often (a ping frame with an empty payload, as Mattermost's
# server sends). Mattermost pings every 60 s; Matterbridge logs out and in again when no ping
# has come for 65 s, so we ping twice as often to leave it a margin.
PING_INTERVAL_SECONDS = 30.0
# A socket from which nothing at all (no pong, no frame) has come for this long is closed:
# Mattermost's pong wait.
SILENCE_LIMIT_SECONDS = 100.0
# Clients send user_typing every few seconds while typing; more often than this is dropped.
TYPING_INTERVAL_SECONDS = 1.0
MAX_STATUS_IDS = 1000
_CLOSE_POLICY_VIOLATION = 1008

Reply = dict[str, Any] | None


class _KeepAlive:
    """Pings a socket every interval and drops it once it has been silent past the limit.

    Any bytes from the client count, pongs with whatever payload included: Matterbridge answers
    every ping with an empty pong. A timer rather than a sleeping task, because a server holds
    tens of thousands of idle sockets and a parked task each costs kilobytes.
    """

    def __init__(self, clock: Clock, liveness: Liveness) -> None:
        self._clock = clock
        self._liveness = liveness
        self._heard, self._heard_at = liveness.bytes_heard, clock.monotonic()
        self._timer = clock.call_later(PING_INTERVAL_SECONDS, self._tick)

    def _tick(self) -> None:
        liveness, now = self._liveness, self._clock.monotonic()
        if liveness.bytes_heard != self._heard:
            self._heard, self._heard_at = liveness.bytes_heard, now
        elif now - self._heard_at >= SILENCE_LIMIT_SECONDS:
            log.info("closing a websocket that has been silent for %.0f s", now - self._heard_at)
            liveness.drop()
            return
        liveness.ping()
        self._timer = self._clock.call_later(PING_INTERVAL_SECONDS, self._tick)

    def stop(self) -> None:
        self._timer.cancel()


class _Socket:
    """One WebSocket from accept to close: authentication, then actions until it closes."""

    def __init__(self, rt: Runtime, websocket: WebSocket) -> None:
        self.rt = rt
        self.websocket = websocket
        self.caller: Caller | None = None
        self.connection: Connection | None = None
        self._outbox: object = None
        self._handlers: dict[str, Callable[[dict[str, Any]], Awaitable[Reply]]] = {
            "ping": self._ping,
            "user_typing": self._user_typing,
            "get_statuses": self._get_statuses,
            "get_statuses_by_ids": self._get_statuses_by_ids,
            "user_update_active_status": self._user_update_active_status,
            "presence": self._presence,
            "posted_notify_ack": self._acknowledge,
        }

    async def start(self, caller: Caller) -> None:
        """Attaches to the hub: the resumed connection's missed events, or a new `hello`."""
        self.caller = caller
        params = self.websocket.query_params
        connection, resumed = await self.rt.hub.attach(
            self.websocket,
            caller.user_id,
            caller.session_id,
            params.get("connection_id", ""),
            _sequence_number(params.get("sequence_number")),
            guest=caller.is_guest,
        )
        self.connection, self._outbox = connection, connection.outbox
        try:
            await status_actions.user_connected(self.rt, caller.user_id)
        except Exception:
            log.exception("could not mark user %s online", caller.user_id)

    def end(self) -> None:
        connection = self.connection
        if connection is None:
            return
        if connection.outbox is not None and connection.outbox is self._outbox:
            connection.detach(connection.outbox)
        self.rt.hub.spawn(status_actions.user_disconnected(self.rt, connection.user_id))

    async def run(self) -> None:
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = message["bytes"].decode("utf-8", "replace")
            if text:
                await self._handle(text)

    async def close_unless_authenticated(self) -> None:
        await self.rt.clock.sleep(AUTHENTICATION_SECONDS)
        if self.caller is None:
            # The reader sees the disconnect this queues and ends.
            with contextlib.suppress(Exception):
                await self.websocket.close(_CLOSE_POLICY_VIOLATION)

    async def _handle(self, text: str) -> None:
        try:
            request = orjson.loads(text)
        except orjson.JSONDecodeError:
            return
        if not isinstance(request, dict):
            return
        seq = request.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**53:
            seq = 0
        action = request.get("action")
        data = request.get("data")
        if not isinstance(data, dict):
            data = {}
        try:
            reply = await self._dispatch(action, data)
        except errors.APIError as exc:
            await self._send({"status": "FAIL", "seq_reply": seq, "error": exc.envelope("")})
            return
        except Exception:
            log.exception("websocket action %r failed", action)
            error = errors.APIError(500, "api.web_socket_router.server_error", "Internal server error.")
            await self._send({"status": "FAIL", "seq_reply": seq, "error": error.envelope("")})
            return
        await self._send({"status": "OK", "seq_reply": seq, **({"data": reply} if reply is not None else {})})

    async def _dispatch(self, action: object, data: dict[str, Any]) -> Reply:
        if action == "authentication_challenge":
            await self._authenticate(data)
            return None
        if self.caller is None:
            raise errors.APIError(
                401, "api.web_socket_router.not_authenticated.app_error", "The socket is not authenticated."
            )
        handler = self._handlers.get(action) if isinstance(action, str) else None
        if handler is None:
            raise errors.APIError(
                400, "api.web_socket_router.bad_action.app_error", "Unknown WebSocket action."
            )
        return await handler(data)

    async def _send(self, reply: dict[str, Any]) -> None:
        """Replies go behind already queued events once attached, straight out before that."""
        if self.connection is not None:
            self.connection.send_reply(reply)
            return
        with contextlib.suppress(Exception):
            await self.websocket.send_text(orjson.dumps(reply).decode())

    async def _authenticate(self, data: dict[str, Any]) -> None:
        if self.caller is not None:
            # The official clients send the challenge even when the cookie or header already did.
            return
        token = data.get("token")
        caller = None
        if isinstance(token, str) and 0 < len(token) <= 256:
            caller = await session_actions.resolve_token(self.rt, token)
        if caller is not None and owes_terms(self.rt.settings, caller, now_ms()):
            raise terms_actions.terms_required()
        if caller is None or _kept_out(self.rt, caller):
            raise errors.APIError(
                401, "api.web_socket_router.bad_token.app_error", "Invalid or expired session token."
            )
        # As in Mattermost, the hello goes out before the reply to the challenge.
        await self.start(caller)

    # -- actions ---------------------------------------------------------------------------------

    async def _ping(self, data: dict[str, Any]) -> Reply:
        return {"text": "pong", "version": MATTERMOST_VERSION, "server_time": now_ms(), "node_id": ""}

    async def _user_typing(self, data: dict[str, Any]) -> Reply:
        assert self.caller is not None and self.connection is not None
        channel_id, parent_id = data.get("channel_id"), data.get("parent_id") or ""
        if not is_valid_id(channel_id) or not (parent_id == "" or is_valid_id(parent_id)):
            raise errors.invalid_param("channel_id")
        assert isinstance(channel_id, str) and isinstance(parent_id, str)
        if not self.rt.hub.is_channel_member(self.caller.user_id, channel_id):
            raise errors.forbidden()
        await status_actions.record_activity(self.rt, self.caller.user_id)
        now, key = self.rt.clock.monotonic(), channel_id + parent_id
        if now - self.connection.last_typing.get(key, -TYPING_INTERVAL_SECONDS) < TYPING_INTERVAL_SECONDS:
            return None
        if len(self.connection.last_typing) > 100:
            self.connection.last_typing.clear()
        self.connection.last_typing[key] = now
        await typing_actions.publish_typing(self.rt, self.caller.user_id, channel_id, parent_id)
        return None

    async def _get_statuses(self, data: dict[str, Any]) -> Reply:
        async with self.rt.db.read() as conn:
            return dict(await status_store.statuses_not_offline(conn))

    async def _get_statuses_by_ids(self, data: dict[str, Any]) -> Reply:
        user_ids = data.get("user_ids")
        if (
            not isinstance(user_ids, list)
            or len(user_ids) > MAX_STATUS_IDS
            or not all(is_valid_id(user_id) for user_id in user_ids)
        ):
            raise errors.invalid_param("user_ids")
        async with self.rt.db.read() as conn:
            rows = await status_store.get_statuses(conn, user_ids)
        return {user_id: rows[user_id]["status"] if user_id in rows else "offline" for user_id in user_ids}

    async def _user_update_active_status(self, data: dict[str, Any]) -> Reply:
        assert self.caller is not None
        is_active, manual = data.get("user_is_active"), data.get("manual", False)
        if not isinstance(is_active, bool) or not isinstance(manual, bool):
            raise errors.invalid_param("user_is_active")
        await status_actions.set_active(self.rt, self.caller.user_id, is_active, manual)
        return None

    async def _presence(self, data: dict[str, Any]) -> Reply:
        assert self.caller is not None and self.connection is not None
        channel_id = data.get("channel_id") or data.get("thread_channel_id") or ""
        self.connection.active_channel_id = channel_id if is_valid_id(channel_id) else ""
        await status_actions.record_activity(self.rt, self.caller.user_id)
        return None

    async def _acknowledge(self, data: dict[str, Any]) -> Reply:
        return None


def _sequence_number(raw: str | None) -> int | None:
    if raw is None or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _same_origin(websocket: WebSocket, rt: Runtime) -> bool:
    """A browser on another site could open a socket that rides on the user's cookie; only our own
    pages (or a client that sends no Origin, like the mobile apps' native code) may use it."""
    origin = websocket.headers.get("origin")
    if not origin:
        return True
    origin_host = urlsplit(origin).netloc.lower()
    allowed = {websocket.headers.get("host", "").lower()}
    if rt.settings.site_url:
        allowed.add(urlsplit(rt.settings.site_url).netloc.lower())
    return origin_host in allowed


async def _caller_from_upgrade(rt: Runtime, websocket: WebSocket) -> Caller | None:
    token, from_cookie = token_from_request(websocket)
    if not token or len(token) > 256 or (from_cookie and not _same_origin(websocket, rt)):
        return None
    caller = await session_actions.resolve_token(rt, token)
    # Mattermost lets a user who still owes two-factor enrolment open the socket (and hear every
    # post); here, as with the REST calls, only the enrolment is open to them.
    if caller is not None and _kept_out(rt, caller):
        return None
    return caller


def _kept_out(rt: Runtime, caller: Caller) -> bool:
    # A user who owes two-factor enrolment or acceptance of the terms of service hears nothing:
    # the socket stays unauthenticated until they have done it over REST and connect again.
    return mfa_actions.owes_enrolment(rt.settings, caller) or owes_terms(rt.settings, caller, now_ms())


async def websocket_endpoint(websocket: WebSocket) -> None:
    rt: Runtime = websocket.app.state.runtime
    caller = await _caller_from_upgrade(rt, websocket)
    await websocket.accept()
    socket = _Socket(rt, websocket)
    # Set before the hello is sent: once a client has its hello, these timers run.
    liveness = liveness_of(websocket.scope)
    keep_alive = _KeepAlive(rt.clock, liveness) if liveness is not None else None
    watcher = (
        asyncio.get_running_loop().create_task(socket.close_unless_authenticated())
        if caller is None
        else None
    )
    try:
        if caller is not None:
            await socket.start(caller)
        await socket.run()
    except WebSocketDisconnect:
        pass
    finally:
        if watcher is not None:
            watcher.cancel()
        if keep_alive is not None:
            keep_alive.stop()
        socket.end()


routes = [WebSocketRoute("/websocket", websocket_endpoint)]
