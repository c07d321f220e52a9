"""The WebSocket hub: which connections hear which events. (Being filled in by the realtime work.)"""

from villagepump.config import Settings
from villagepump.events.types import Event
from villagepump.store.database import Database


class Hub:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db

    def deliver(self, event: Event) -> None:
        """Send one event to every connection allowed to hear it."""

    async def close(self) -> None:
        """Close every connection."""
