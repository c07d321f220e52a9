"""What a running server holds: settings, database, event bus, WebSocket hub, caches."""

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from villagepump.clock import Clock, SystemClock
from villagepump.config import Settings
from villagepump.events.bus import Bus
from villagepump.events.hub import Hub
from villagepump.events.presence import Presence
from villagepump.events.socket_registry import LocalSockets, SocketRegistry
from villagepump.passwords import Passwords
from villagepump.previews.image_proxy import ImageCache
from villagepump.ratelimit import FailureCounter
from villagepump.sessions import SessionCache
from villagepump.store.database import Database

if TYPE_CHECKING:
    from villagepump.bridges.irc.service import IrcBridge
    from villagepump.jobs.service import JobService


@dataclass
class Runtime:
    settings: Settings
    db: Database
    bus: Bus
    hub: Hub
    passwords: Passwords
    clock: Clock = field(default_factory=SystemClock)
    sessions: SessionCache = field(default_factory=SessionCache)
    presence: Presence = field(default_factory=Presence)
    sockets: SocketRegistry = field(default_factory=LocalSockets)
    login_failures_by_account: FailureCounter = field(default_factory=lambda: FailureCounter(10, 300))
    login_failures_by_address: FailureCounter = field(default_factory=lambda: FailureCounter(50, 300))
    # Remote pictures served through GET /image (previews/image_proxy.py), kept for a while.
    preview_images: ImageCache = field(default_factory=ImageCache)
    # The server's identity for clients (config.DiagnosticId); loaded from the database at start.
    diagnostic_id: str = ""
    # The terms of service version in force (CustomTermsOfServiceId in the client config): read
    # with the settings, and set again by every process when a new version is published.
    latest_terms_id: str = ""
    # The private key (PEM) that signs mobile pushes; made once, kept in the systems table.
    push_signing_key: str = ""
    # The VAPID private key (PEM) that identifies this server to browsers' push services.
    webpush_key: str = ""
    # `settings` is what code reads: these (defaults, TOML file, environment) with the values an
    # administrator stored through /api/v4/config laid over them, replaced whole on a change.
    base_settings: Settings = field(init=False)
    # Set when another process changed the stored settings; actions.config reloads them.
    config_stale: asyncio.Event = field(default_factory=asyncio.Event)
    # One reload at a time, so an older read never replaces a newer one.
    config_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Background jobs and the outbox (jobs/service.py); set while the server runs, None in the CLI.
    jobs: "JobService | None" = None
    # The built-in IRC bridge (bridges/irc/service.py); set while the server runs, None in the CLI.
    irc_bridge: "IrcBridge | None" = None

    def __post_init__(self) -> None:
        self.base_settings = self.settings
