"""The ASGI application: routes, error envelopes, and what starts and stops with the server."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from villagepump import errors
from villagepump.actions import config as config_actions
from villagepump.actions import files as file_actions
from villagepump.actions import terms as terms_actions
from villagepump.actions import users as user_actions
from villagepump.api import command_hooks, hooks, pages, sso, webapp
from villagepump.api.http import json_response
from villagepump.api.middleware import CleanRequestPath, ResponseHeaders
from villagepump.api.v4.routes import RoutesByFirstSegment, all_routes
from villagepump.api.v4.websocket import websocket_endpoint
from villagepump.bridges.irc.service import IrcBridge
from villagepump.clock import Clock, SystemClock, set_current
from villagepump.config import Settings
from villagepump.events.bus import Bus, LocalBus
from villagepump.events.hub import Hub
from villagepump.events.socket_registry import RedisSockets
from villagepump.events.types import EVENTS_LOST, SESSIONS_CHANGED, SETTINGS_CHANGED, TERMS_CHANGED, Event
from villagepump.files.storage import StorageUnavailable, storage_for
from villagepump.ids import new_id
from villagepump.jobs.service import JobService
from villagepump.notifications import signing, webpush
from villagepump.passwords import Passwords
from villagepump.ratelimit import login_counters
from villagepump.runtime import Runtime
from villagepump.sessions import SessionCache
from villagepump.store import systems as system_store
from villagepump.store.database import Database

log = logging.getLogger("villagepump")


def make_bus(settings: Settings) -> Bus:
    if settings.redis_url:
        from villagepump.events.redis_bus import RedisBus

        bus: Bus = RedisBus(settings.redis_url, settings.redis_channel)
        return bus
    return LocalBus()


def make_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """The runtime, on the system clock unless given another (`serve --manual-clock`)."""
    clock = clock or SystemClock()
    set_current(clock)
    db = Database(settings.resolved_database_url)
    by_account, by_address = login_counters(settings, clock)
    rt = Runtime(
        settings=settings,
        db=db,
        bus=make_bus(settings),
        hub=Hub(settings, db, clock),
        clock=clock,
        sessions=SessionCache(clock),
        passwords=Passwords(settings.argon2_time_cost, settings.argon2_memory_kib, settings.password_threads),
        login_failures_by_account=by_account,
        login_failures_by_address=by_address,
    )
    if settings.redis_url:
        rt.sockets = RedisSockets(
            settings.redis_url, settings.redis_channel, rt.hub.connected_user_ids, clock
        )
    return rt


async def start_runtime(rt: Runtime, run_jobs: bool = True) -> None:
    """Everything a server process needs; `run_jobs=False` for a short-lived CLI command, which
    must not take background work (and its leases) with it when it exits."""
    if rt.settings.is_sqlite:
        rt.settings.data_dir.mkdir(parents=True, exist_ok=True)
    await rt.db.migrate()
    async with rt.db.write() as conn:
        diagnostic_id = await system_store.get_value(conn, "diagnostic_id")
        if diagnostic_id is None:
            diagnostic_id = new_id()
            await system_store.set_value(conn, "diagnostic_id", diagnostic_id)
        # Several processes may start at once: the first key stored is everyone's.
        await system_store.add_value(conn, signing.SIGNING_KEY_NAME, signing.new_private_key_pem())
        signing_key = await system_store.get_value(conn, signing.SIGNING_KEY_NAME)
        await system_store.add_value(conn, webpush.VAPID_KEY_NAME, signing.new_private_key_pem())
        vapid_key = await system_store.get_value(conn, webpush.VAPID_KEY_NAME)
    rt.diagnostic_id = diagnostic_id
    rt.push_signing_key = signing_key or ""
    rt.webpush_key = vapid_key or ""
    await rt.bus.start(_deliverer(rt))
    # Loaded after subscribing, so a change stored meanwhile is either read here or announced.
    await config_actions.load_config(rt)
    if run_jobs:  # a serving process; a CLI command leaves the files alone
        await _check_file_storage(rt)
    rt.hub.spawn(config_actions.follow_config_changes(rt))
    await rt.sockets.start()
    if run_jobs:
        rt.jobs = JobService(rt)
        await rt.jobs.start()
        if rt.settings.irc_bridge_enabled:
            rt.irc_bridge = IrcBridge(rt)
            await rt.irc_bridge.start()


async def _check_file_storage(rt: Runtime) -> None:
    """A server whose file storage cannot be used does not start: one clear line in the log
    rather than a failure on every upload (a missing bucket, refused keys, an unwritable folder)."""
    try:
        await storage_for(rt.settings).check()
    except StorageUnavailable as error:
        log.error("file storage cannot be used (%s): %s", error.error_id, error.message)
        raise RuntimeError(f"file storage cannot be used: {error.message}") from None
    # What a killed process of this installation left in this machine's folders; the
    # clean_files job does it again every hour, for processes that never restart.
    await file_actions.remove_stale_temporary_files(rt.settings)


def _deliverer(rt: Runtime) -> Callable[[Event], None]:
    def deliver(event: Event) -> None:
        if event.event == SETTINGS_CHANGED:
            _settings_changed(rt, event)
            return
        if event.event == TERMS_CHANGED:
            terms_actions.terms_changed_here(rt, event.data.get("terms_id"))
            return
        if event.event == EVENTS_LOST:
            # The lost events may have held a settings change.
            rt.config_stale.set()
        if event.event == SESSIONS_CHANGED:
            # Every process drops the revoked tokens from its cache, not only the one that revoked.
            for token_hash in event.data["token_hashes"]:
                rt.sessions.forget(token_hash)
            if event.data["forget_user"]:
                rt.sessions.forget_user(event.data["user_id"])
        rt.hub.deliver(event)
        if rt.irc_bridge is not None:
            rt.irc_bridge.deliver(event)

    return deliver


def _settings_changed(rt: Runtime, event: Event) -> None:
    if event.data.get("reread_file"):
        try:
            rt.base_settings = config_actions.reread_base_settings(rt.base_settings)
        except Exception:
            log.exception("could not read the settings file again; keeping the settings read before")
    rt.config_stale.set()


async def stop_runtime(rt: Runtime) -> None:
    if rt.irc_bridge is not None:
        await rt.irc_bridge.stop()
        rt.irc_bridge = None
    if rt.jobs is not None:
        await rt.jobs.stop()
        rt.jobs = None
    await rt.sockets.close()
    await rt.hub.close()
    await rt.bus.close()
    await rt.login_failures_by_account.close()
    await rt.login_failures_by_address.close()
    rt.passwords.close()
    await rt.db.close()


def _request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.APIError)
    return json_response(exc.envelope(_request_id(request)), exc.status_code, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error_ids = {404: "api.context.404.app_error", 405: "api.context.method_not_allowed.app_error"}
    messages = {404: "Sorry, we could not find the page.", 405: "Method not allowed."}
    error = errors.APIError(
        exc.status_code,
        error_ids.get(exc.status_code, "api.context.http_error.app_error"),
        messages.get(exc.status_code, str(exc.detail)),
    )
    return json_response(error.envelope(_request_id(request)), exc.status_code)


async def _client_gone(request: Request, exc: Exception) -> Response:
    # The client went away while sending its body (a cancelled upload): nobody is left to answer,
    # and it is not the server's error.
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return Response(status_code=400)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    error = errors.APIError(500, "api.context.unexpected.app_error", "An unexpected error occurred.")
    return json_response(error.envelope(_request_id(request)), 500)


WEBSOCKET_PATH = "/api/v4/websocket"


class _Villagepump(Starlette):
    """The WebSocket goes straight to its endpoint. Through the middleware and the router, each
    of their frames would stay suspended for the life of every connection: about 5 KiB a socket
    of an idle socket's 36 (bench/README.md). Neither does anything for a WebSocket that the
    endpoint does not (a path with doubled slashes still takes the long way and works)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == WEBSOCKET_PATH:
            scope["app"] = self
            await websocket_endpoint(WebSocket(scope, receive, send))
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Starlette:
    settings = settings or Settings()
    rt = make_runtime(settings, clock)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await start_runtime(rt)
        token = await user_actions.setup_token_if_empty(rt)
        if token is not None:
            base = rt.settings.site_url or f"http://{settings.host}:{settings.port}"
            # Printed, not logged: this is the one way in to a brand-new server.
            print(f"No users yet. Create the first system admin at: {base}/setup/{token}", flush=True)
        yield
        await stop_runtime(rt)

    app = _Villagepump(
        routes=[
            Mount("/api/v4", app=RoutesByFirstSegment(all_routes())),
            Route("/setup/{token}", pages.setup, methods=["GET"]),
            *sso.routes,
            Route("/hooks/{hook_id}", hooks.incoming_webhook, methods=["POST"]),
            *command_hooks.routes,
            Route("/", pages.home, methods=["GET"]),
            Route("/assets/{path:path}", webapp.asset, methods=["GET"]),
            # Last: every other GET is a client route (/<team>/channels/<name>, /login, ...).
            Route("/{path:path}", webapp.page, methods=["GET"]),
        ],
        middleware=[Middleware(ResponseHeaders), Middleware(CleanRequestPath)],
        exception_handlers={
            errors.APIError: _api_error,
            ClientDisconnect: _client_gone,
            HTTPException: _http_error,
            Exception: _unexpected_error,
        },
        lifespan=lifespan,
    )
    app.state.runtime = rt
    return app
