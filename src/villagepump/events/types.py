"""The event shape Mattermost clients read, plus the membership facts the hub needs to route it."""

from dataclasses import dataclass, field
from typing import Any, Literal

import orjson


@dataclass(slots=True)
class Broadcast:
    """Who receives an event. Empty fields do not narrow; all empty means every connection."""

    user_id: str = ""
    channel_id: str = ""
    team_id: str = ""
    omit_users: dict[str, bool] | None = None
    connection_id: str = ""
    omit_connection_id: str = ""
    # News of a public channel goes to its whole team, but a guest hears it only as a member
    # of this channel: guests may not see the channels they were not added to.
    guests_need_channel: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Mattermost's broadcast object, as clients see it in every event."""
        return {
            "omit_users": self.omit_users,
            "user_id": self.user_id,
            "channel_id": self.channel_id,
            "team_id": self.team_id,
            "connection_id": self.connection_id,
            "omit_connection_id": self.omit_connection_id,
        }


def json_field(value: Any) -> str:
    """Mattermost sends some event fields (post, reaction, channel, thread, ...) as JSON strings
    inside the event, and clients parse them again; this makes such a field."""
    return orjson.dumps(value).decode()


# Internal events travel on the bus to every process but never reach a client.
SESSIONS_CHANGED = "sessions_changed"
# Internal: a new version of the terms of service; every process re-reads its callers.
TERMS_CHANGED = "terms_changed"
# The stored settings changed (or, with reread_file, the TOML file should be read again): every
# process reloads them and tells its own clients with config_changed.
SETTINGS_CHANGED = "settings_changed"
# The bus lost events (Redis went away): every socket must start over and resync over REST.
EVENTS_LOST = "events_lost"


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

    @classmethod
    def sessions_changed(
        cls, user_id: str, session_ids: list[str], token_hashes: list[str], *, forget_user: bool = False
    ) -> "Event":
        """A user's sessions or access tokens stopped working (their sockets close, their cached
        tokens are dropped), or, with `forget_user`, their roles or account changed, so every
        process drops the user's cached sessions."""
        data = {
            "user_id": user_id,
            "session_ids": session_ids,
            "token_hashes": token_hashes,
            "forget_user": forget_user,
        }
        return cls(SESSIONS_CHANGED, data, Broadcast(user_id=user_id))

    @classmethod
    def settings_changed(cls, *, reread_file: bool = False) -> "Event":
        return cls(SETTINGS_CHANGED, {"reread_file": reread_file})

    def to_wire(self) -> dict[str, Any]:
        """The whole event, internal routing facts included, for carrying between processes."""
        return {
            "event": self.event,
            "data": self.data,
            "broadcast": {
                **self.broadcast.as_dict(),
                "guests_need_channel": self.broadcast.guests_need_channel,
            },
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
