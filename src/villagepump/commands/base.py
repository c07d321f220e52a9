"""What a built-in slash command is given, and what it answers (Mattermost's CommandResponse)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from villagepump.auth import Caller
from villagepump.runtime import Runtime
from villagepump.store import Row

IN_CHANNEL = "in_channel"
EPHEMERAL = "ephemeral"


@dataclass(frozen=True, slots=True)
class Invocation:
    """One run of a command: who, where (the channel as `posting_context` loads it, with the
    caller's `poster_username`), in which team (none for a direct message sent without one),
    and the text after the trigger."""

    rt: Runtime
    caller: Caller
    channel: Row
    team: Row | None
    root_id: str
    site_url: str
    message: str

    def channel_url(self, channel_name: str, team: Row | None = None) -> str:
        team = team or self.team
        assert team is not None
        return f"{self.site_url}/{team['name']}/channels/{channel_name}"


@dataclass(frozen=True, slots=True)
class Reply:
    """In-channel text becomes a post by the caller; ephemeral text is only for the caller."""

    response_type: str = ""
    text: str = ""
    goto_location: str = ""
    post_type: str = ""

    def render(self) -> dict[str, Any]:
        return {
            "response_type": self.response_type,
            "text": self.text,
            "username": "",
            "channel_id": "",
            "icon_url": "",
            "type": self.post_type,
            "props": None,
            "goto_location": self.goto_location,
            "trigger_id": "",
            "skip_slack_parsing": False,
            "attachments": None,
            "extra_responses": None,
        }


def ephemeral(text: str) -> Reply:
    return Reply(EPHEMERAL, text)


def go_to(location: str) -> Reply:
    return Reply(goto_location=location)


Run = Callable[[Invocation], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class BuiltIn:
    trigger: str
    display_name: str
    description: str
    hint: str
    run: Run
