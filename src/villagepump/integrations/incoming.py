"""An incoming webhook's request, decoded as Mattermost decodes it: a JSON body, or a form whose
`payload` field holds the JSON (Slack's way), with Slack's markup turned into Markdown."""

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import orjson

from villagepump import errors

# Props a request may not set itself: they are what marks a post as a webhook's.
RESERVED_PROPS = frozenset({"from_webhook", "override_username", "override_icon_url", "webhook_display_name"})
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)\|([^>]*)>")
_SLACK_BARE_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)>")
_SLACK_MENTION = re.compile(r"<!(channel|here|everyone)>")


@dataclass(frozen=True)
class HookRequest:
    text: str = ""
    channel: str = ""
    username: str = ""
    icon_url: str = ""
    post_type: str = ""
    props: dict[str, Any] = field(default_factory=dict)
    attachments: list[Any] = field(default_factory=list)


def parse_error(detail: str) -> errors.APIError:
    return errors.bad_request(
        "api.webhook.incoming.error", "Could not decode the multipart payload of incoming webhook.", detail
    )


def decode_body(content_type: str, body: bytes) -> HookRequest:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8"), strict_parsing=False)
        except UnicodeDecodeError:
            raise parse_error("the form is not UTF-8") from None
        payloads = form.get("payload")
        if not payloads:
            raise parse_error("the form has no payload field")
        body = payloads[0].encode()
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise parse_error(str(error)) from None
    if not isinstance(value, dict):
        raise parse_error("the payload is not a JSON object")
    return _request(value)


def _string(value: dict[str, Any], name: str, max_length: int) -> str:
    found = value.get(name)
    if found is None:
        return ""
    if not isinstance(found, str) or len(found) > max_length:
        raise parse_error(f"{name} must be a string of at most {max_length} characters")
    if "\x00" in found:
        raise parse_error(f"{name} holds a NUL character")
    return found


def _request(value: dict[str, Any]) -> HookRequest:
    props = value.get("props")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise parse_error("props must be an object")
    attachments = value.get("attachments")
    if attachments is None:
        attachments = []
    if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
        raise parse_error("attachments must be a list of objects")
    post_type = _string(value, "type", 64)
    if post_type and not post_type.startswith("custom_"):
        raise parse_error("type must be empty or a custom_ type")
    return HookRequest(
        text=slack_to_markdown(_string(value, "text", 1_000_000)),
        channel=_string(value, "channel", 128),
        username=_string(value, "username", 255),
        icon_url=_string(value, "icon_url", 1024),
        post_type=post_type,
        props={key: item for key, item in props.items() if key not in RESERVED_PROPS},
        attachments=attachments,
    )


def slack_to_markdown(text: str) -> str:
    """Slack's <url|label>, <url> and <!channel> as Mattermost reads them."""
    text = _SLACK_LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
    text = _SLACK_BARE_LINK.sub(r"\1", text)
    return _SLACK_MENTION.sub(lambda m: "@all" if m.group(1) == "everyone" else f"@{m.group(1)}", text)


def webhook_props(
    request_props: dict[str, Any],
    *,
    display_name: str,
    username: str,
    icon_url: str,
    attachments: list[Any] | None = None,
) -> dict[str, Any]:
    """A webhook post's props: always marked from_webhook, so no client shows it as the local
    user whose id it carries; the override name and icon only when given (and allowed)."""
    props = {key: item for key, item in request_props.items() if key not in RESERVED_PROPS}
    props["from_webhook"] = "true"
    if display_name:
        props["webhook_display_name"] = display_name
    if username:
        props["override_username"] = username
    if icon_url:
        props["override_icon_url"] = icon_url
    if attachments:
        props["attachments"] = attachments
    return props
