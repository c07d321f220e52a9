"""The event shape Mattermost clients read, plus the membership facts the hub needs to route it."""

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(slots=True)
class Broadcast:
    """Who receives an event. Empty fields do not narrow; all empty means every connection."""

    user_id: str = ""
    channel_id: str = ""
    team_id: str = ""
    omit_users: dict[str, bool] | None = None
    connection_id: str = ""
    omit_connection_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "omit_users": self.omit_users,
            "user_id": self.user_id,
            "channel_id": self.channel_id,
            "team_id": self.team_id,
            "connection_id": self.connection_id,
            "omit_connection_id": self.omit_connection_id,
        }


@dataclass(slots=True, frozen=True)
class MembershipChange:
    """A user joined or left a channel or team. The hub applies joins before delivering the event
    that carries them (so a new member hears it) and leaves after (so the leaver hears it too)."""

    scope: Literal["channel", "team"]
    scope_id: str
    user_id: str
    joined: bool


@dataclass(slots=True)
class Event:
    event: str
    data: dict[str, Any]
    broadcast: Broadcast = field(default_factory=Broadcast)
    membership: tuple[MembershipChange, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        """The whole event, internal routing facts included, for carrying between processes."""
        return {
            "event": self.event,
            "data": self.data,
            "broadcast": self.broadcast.as_dict(),
            "membership": [[m.scope, m.scope_id, m.user_id, m.joined] for m in self.membership],
        }

    @classmethod
    def from_wire(cls, wire: dict[str, Any]) -> "Event":
        return cls(
            event=wire["event"],
            data=wire["data"],
            broadcast=Broadcast(**wire["broadcast"]),
            membership=tuple(MembershipChange(s, i, u, j) for s, i, u, j in wire.get("membership", [])),
        )
