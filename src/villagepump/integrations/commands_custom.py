"""Custom slash commands on Mattermost's wire: a Command's fields as a client sends them, as
Mattermost shows them, what is sent to the command's URL, and its CommandResponse."""

import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from villagepump import errors
from villagepump.commands.base import Reply
from villagepump.integrations.incoming import webhook_props
from villagepump.store import Row

POST_METHOD, GET_METHOD = "P", "G"
MAX_TRIGGER_LENGTH = 128
# What a client may set, with Mattermost's limits (model/command.go IsValid).
_TEXT_FIELDS = {
    "username": 64,
    "icon_url": 1024,
    "auto_complete_desc": 1024,
    "auto_complete_hint": 1024,
    "display_name": 64,
    "description": 128,
}
EPHEMERAL, IN_CHANNEL = "ephemeral", "in_channel"
MAX_EXTRA_RESPONSES = 10


def _invalid(what: str, message: str) -> errors.APIError:
    return errors.bad_request(f"model.command.is_valid.{what}.app_error", message)


def command_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The settable fields of a Command, types and limits checked; the trigger lower-cased."""
    trigger = body.get("trigger")
    if not isinstance(trigger, str):
        raise _invalid("trigger", "Invalid trigger.")
    trigger = trigger.strip().lower()
    if (
        not trigger
        or len(trigger) > MAX_TRIGGER_LENGTH
        or trigger.startswith("/")
        or any(c.isspace() for c in trigger)
    ):
        raise _invalid("trigger", "Invalid trigger.")
    url, method = body.get("url"), body.get("method", POST_METHOD)
    if not isinstance(url, str) or not url or len(url) > 1024:
        raise _invalid("url", "Invalid URL.")
    if method not in (POST_METHOD, GET_METHOD):
        raise _invalid("method", "Invalid method.")
    values: dict[str, Any] = {"trigger": trigger, "url": url, "method": method}
    for name, limit in _TEXT_FIELDS.items():
        value = body.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            raise _invalid(name, f"Invalid {name}.")
        values[name] = value
    auto_complete = body.get("auto_complete", False)
    if not isinstance(auto_complete, bool):
        raise _invalid("auto_complete", "Invalid auto_complete.")
    values["auto_complete"] = auto_complete
    return values


def render_command(command: Row, *, with_token: bool) -> dict[str, Any]:
    """A Command as Mattermost sends it; the token only to those who manage the command."""
    return {
        "id": command["id"],
        "token": command["token"] if with_token else "",
        "create_at": command["create_at"],
        "update_at": command["update_at"],
        "delete_at": command["delete_at"],
        "creator_id": command["creator_id"] if with_token else "",
        "team_id": command["team_id"],
        "trigger": command["trigger"],
        "method": command["method"],
        "username": command["username"],
        "icon_url": command["icon_url"],
        "auto_complete": command["auto_complete"],
        "auto_complete_desc": command["auto_complete_desc"],
        "auto_complete_hint": command["auto_complete_hint"],
        "display_name": command["display_name"],
        "description": command["description"],
        "url": command["url"] if with_token else "",
        "plugin_id": "",
    }


def request_fields(
    command: Row, team: Row, channel: Row, user: dict[str, str], text: str, trigger_id: str, response_url: str
) -> dict[str, str]:
    """What Mattermost sends to a command's URL, by its field names."""
    return {
        "token": command["token"],
        "team_id": team["id"],
        "team_domain": team["name"],
        "channel_id": channel["id"],
        "channel_name": channel["name"],
        "user_id": user["id"],
        "user_name": user["username"],
        "command": "/" + command["trigger"],
        "text": text,
        "trigger_id": trigger_id,
        "response_url": response_url,
    }


@dataclass
class CommandResponse:
    response_type: str = EPHEMERAL
    text: str = ""
    username: str = ""
    icon_url: str = ""
    goto_location: str = ""
    skip_slack_parsing: bool = False
    props: dict[str, Any] = field(default_factory=dict)
    attachments: list[Any] = field(default_factory=list)
    extra: list["CommandResponse"] = field(default_factory=list)

    def render(self) -> dict[str, Any]:
        rendered = Reply(self.response_type, self.text, self.goto_location).render()
        rendered["props"] = self.props or None
        rendered["username"], rendered["icon_url"] = self.username, self.icon_url
        rendered["skip_slack_parsing"] = self.skip_slack_parsing
        rendered["attachments"] = self.attachments or None
        rendered["extra_responses"] = [extra.render() for extra in self.extra] or None
        return rendered

    def post_props(self, command: Row, overrides: "Overrides") -> dict[str, Any]:
        """The props of the post this response makes: marked as an integration's as a webhook's
        post is, with the name and picture the command (or else the response) asks for where the
        admin allows."""
        username = command["username"] or self.username
        icon_url = command["icon_url"] or self.icon_url
        return webhook_props(
            self.props,
            display_name="",
            username=username if overrides.username else "",
            icon_url=icon_url if overrides.icon else "",
            attachments=self.attachments,
        )


@dataclass(frozen=True)
class Overrides:
    """EnablePostUsernameOverride and EnablePostIconOverride."""

    username: bool
    icon: bool


class BadResponse(Exception):
    """The command's answer is not a CommandResponse."""


def parse_response(content_type: str, body: bytes) -> CommandResponse:
    """A JSON answer is a CommandResponse; any other answer is text shown to the caller alone."""
    if content_type != "application/json":
        return CommandResponse(text=body.decode("utf-8", "replace"))
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadResponse(f"the answer is not JSON: {error}") from None
    return response_from(data, extra_allowed=True)


_SLACK_LINK = re.compile(r"<([^|<>]+)\|([^|<>]+)>")
_SLACK_ANNOUNCEMENT = re.compile(r"<!(channel|here|all)>")
_ATTACHMENT_TEXTS = ("pretext", "text", "title", "fallback")


def slack_to_markdown(text: str) -> str:
    """Slack's markup as Mattermost reads it: `<url|label>` a Markdown link, `<!channel>` @channel."""
    return _SLACK_LINK.sub(r"[\2](\1)", _SLACK_ANNOUNCEMENT.sub(r"@\1", text))


def _slack_attachment(attachment: Any) -> Any:
    if not isinstance(attachment, dict):
        return attachment
    converted = {
        key: slack_to_markdown(value) if key in _ATTACHMENT_TEXTS and isinstance(value, str) else value
        for key, value in attachment.items()
    }
    if isinstance(attachment.get("fields"), list):
        converted["fields"] = [
            {**f, "value": slack_to_markdown(f["value"])}
            if isinstance(f, dict) and isinstance(f.get("value"), str)
            else f
            for f in attachment["fields"]
        ]
    return converted


def response_from(data: Any, *, extra_allowed: bool) -> CommandResponse:
    if not isinstance(data, dict):
        raise BadResponse("the answer is not a JSON object")
    response_type = data.get("response_type") or EPHEMERAL
    if response_type not in (EPHEMERAL, IN_CHANNEL):
        raise BadResponse(f"unknown response_type {response_type!r}")
    text, goto = data.get("text") or "", data.get("goto_location") or ""
    username, icon_url = data.get("username") or "", data.get("icon_url") or ""
    if (
        not (isinstance(username, str) and isinstance(icon_url, str))
        or len(username) > 64
        or len(icon_url) > 1024
    ):
        raise BadResponse("username or icon_url has the wrong type or length")
    props, attachments = data.get("props") or {}, data.get("attachments") or []
    extra = data.get("extra_responses") or []
    if not (isinstance(text, str) and isinstance(goto, str) and isinstance(props, dict)):
        raise BadResponse("text, goto_location or props has the wrong type")
    if not isinstance(attachments, list) or not isinstance(extra, list):
        raise BadResponse("attachments or extra_responses is not a list")
    if len(extra) > MAX_EXTRA_RESPONSES or (extra and not extra_allowed):
        raise BadResponse("too many extra_responses")
    skip_slack_parsing = data.get("skip_slack_parsing") is True
    if not skip_slack_parsing:
        text = slack_to_markdown(text)
        attachments = [_slack_attachment(a) for a in attachments]
    return CommandResponse(
        response_type=response_type,
        text=text,
        username=username,
        icon_url=icon_url,
        goto_location=goto if goto.startswith(("http://", "https://", "/")) else "",
        skip_slack_parsing=skip_slack_parsing,
        props=props,
        attachments=attachments,
        extra=[response_from(item, extra_allowed=False) for item in extra],
    )
