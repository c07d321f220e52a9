"""What a running server holds: settings, database, event bus, WebSocket hub, caches."""

from dataclasses import dataclass, field

from villagepump.clock import Clock, SystemClock
from villagepump.config import Settings
from villagepump.events.bus import Bus
from villagepump.events.hub import Hub
from villagepump.events.presence import Presence
from villagepump.events.socket_registry import LocalSockets, SocketRegistry
from villagepump.passwords import Passwords
from villagepump.ratelimit import FailureCounter
from villagepump.sessions import SessionCache
from villagepump.store.database import Database


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
    # The server's identity for clients (config.DiagnosticId); loaded from the database at start.
    diagnostic_id: str = ""
