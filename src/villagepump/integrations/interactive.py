"""Interactive messages on Mattermost's wire: buttons and menus in a post's attachments
(`props.attachments[].actions[]`), the request sent to an action's integration and its answer,
trigger ids, and interactive dialogs.

An action's `integration` ({url, context}) is kept in the stored post but never sent to a
client (Mattermost's StripActionIntegrations): the URL and context are the integration's, and a
client that could read them could call the integration as anyone. A click names only the post
and the action id; the server finds the URL in the stored post.
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from villagepump import errors
from villagepump.ids import new_id
from villagepump.integrations.incoming import RESERVED_PROPS

BUTTON = "button"
SELECT = "select"
# Props only the server sets: what marks a post as an integration's and how it is shown. An
# integration's update of its post cannot change them (Mattermost's PostActionRetainPropKeys).
INTEGRATION_PROPS = RESERVED_PROPS
MAX_DIALOG_ELEMENTS = 20


def _actions(props: dict[str, Any]) -> list[dict[str, Any]]:
    attachments = props.get("attachments")
    if not isinstance(attachments, list):
        return []
    found: list[dict[str, Any]] = []
    for attachment in attachments:
        if isinstance(attachment, dict) and isinstance(attachment.get("actions"), list):
            found.extend(action for action in attachment["actions"] if isinstance(action, dict))
    return found


def has_attachments(props: dict[str, Any]) -> bool:
    attachments = props.get("attachments")
    return isinstance(attachments, list) and bool(attachments)


def with_action_ids(props: dict[str, Any]) -> dict[str, Any]:
    """Every action given an id (Mattermost's GenerateActionIds), so a click can name it."""
    for action in _actions(props):
        if not isinstance(action.get("id"), str) or not action["id"]:
            action["id"] = new_id()
    return props


def kept_integrations(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """New props for a post, its actions' integrations carried over by action id: a client that
    edits the props (hiding a link preview, say) sends them back as it saw them, without."""
    integrations = {a.get("id"): a["integration"] for a in _actions(old) if "integration" in a}
    for action in _actions(new):
        if "integration" not in action and action.get("id") in integrations:
            action["integration"] = integrations[action["id"]]
    return new


def client_props(props: dict[str, Any]) -> dict[str, Any]:
    """The props as clients see them: actions without their integration."""
    if not any("integration" in action for action in _actions(props)):
        return props
    shown = dict(props)
    shown["attachments"] = [
        {**attachment, "actions": [_without_integration(a) for a in attachment["actions"]]}
        if isinstance(attachment, dict) and isinstance(attachment.get("actions"), list)
        else attachment
        for attachment in props["attachments"]
    ]
    return shown


def _without_integration(action: Any) -> Any:
    if not isinstance(action, dict):
        return action
    return {key: value for key, value in action.items() if key != "integration"}


@dataclass(frozen=True)
class Action:
    id: str
    type: str
    data_source: str
    url: str
    context: dict[str, Any]


def find_action(props: dict[str, Any], action_id: str) -> Action | None:
    for action in _actions(props):
        if action.get("id") == action_id:
            integration = action.get("integration")
            if not isinstance(integration, dict) or not isinstance(integration.get("url"), str):
                return None
            context = integration.get("context")
            return Action(
                id=action_id,
                type=action.get("type") if action.get("type") in (BUTTON, SELECT) else BUTTON,  # type: ignore[arg-type]
                data_source=str(action.get("data_source") or ""),
                url=integration["url"],
                context=dict(context) if isinstance(context, dict) else {},
            )
    return None


# An ephemeral post is never stored, so a click on one of its buttons cannot find the action's
# integration in the database: as in Mattermost, each action carries it in a `cookie`, sealed
# (AES-GCM) with a key only the server has, so the client holds it without reading it.


def _cookie_key(key: bytes) -> bytes:
    return hmac.new(key, b"post action cookie", hashlib.sha256).digest()


def sealed_actions(props: dict[str, Any], key: bytes, post_id: str, channel_id: str) -> dict[str, Any]:
    """The props of an ephemeral post: each action with an id and a sealed cookie, and without
    its integration."""
    props = with_action_ids(props)
    for action in _actions(props):
        integration = action.pop("integration", None)
        if isinstance(integration, dict):
            cookie = {
                "post_id": post_id,
                "channel_id": channel_id,
                "type": action.get("type") or BUTTON,
                "data_source": action.get("data_source") or "",
                "integration": integration,
            }
            nonce = os.urandom(12)
            sealed = AESGCM(_cookie_key(key)).encrypt(nonce, orjson.dumps(cookie), None)
            action["cookie"] = base64.b64encode(nonce + sealed).decode()
    return props


def opened_cookie(key: bytes, cookie: str, post_id: str, action_id: str) -> tuple[str, Action]:
    """The channel and the action a sealed cookie holds, if it is genuine and for this post."""
    try:
        raw = base64.b64decode(cookie.encode(), validate=True)
        data = orjson.loads(AESGCM(_cookie_key(key)).decrypt(raw[:12], raw[12:], None))
    except (ValueError, binascii.Error, InvalidTag, orjson.JSONDecodeError):
        raise errors.bad_request(
            "api.post.do_action.action_integration.app_error", "Invalid action cookie."
        ) from None
    integration = data.get("integration") or {}
    if data.get("post_id") != post_id or not isinstance(integration.get("url"), str):
        raise errors.bad_request("api.post.do_action.action_integration.app_error", "Invalid action cookie.")
    context = integration.get("context")
    action = Action(
        id=action_id,
        type=data["type"] if data.get("type") in (BUTTON, SELECT) else BUTTON,
        data_source=str(data.get("data_source") or ""),
        url=integration["url"],
        context=dict(context) if isinstance(context, dict) else {},
    )
    return str(data.get("channel_id") or ""), action


def updated_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """An integration's new props for its post, with the retained props as they were."""
    props = {key: value for key, value in new.items() if key not in INTEGRATION_PROPS}
    props.update({key: old[key] for key in INTEGRATION_PROPS if key in old})
    return props


# Trigger ids: the server hands one to an integration with each command or click; the
# integration may open a dialog for that user with it, for a limited time. The id carries the
# user and the time, signed with the server's key, as Mattermost's does (with an HMAC rather
# than ECDSA: only this server ever checks it).


def make_trigger_id(key: bytes, user_id: str, at_ms: int) -> str:
    data = f"{new_id()}:{user_id}:{at_ms}:"
    signature = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha256).digest()).decode()
    return base64.b64encode((data + signature).encode()).decode()


def trigger_user(key: bytes, trigger_id: str, now_ms: int, lifetime_ms: int) -> str:
    """The user a trigger id was issued to; raises Mattermost's errors when it is not valid."""
    try:
        parts = base64.b64decode(trigger_id.encode(), validate=True).decode().split(":")
    except (ValueError, UnicodeError):
        raise _bad_trigger("base64_decode_failed", "The trigger id is not valid.") from None
    if len(parts) != 4:
        raise _bad_trigger("missing_data", "The trigger id is missing data.")
    client_id, user_id, issued, signature = parts
    data = f"{client_id}:{user_id}:{issued}:"
    expected = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, signature):
        raise _bad_trigger("verify_signature_failed", "The trigger id's signature is not valid.")
    if not issued.isdigit() or now_ms - int(issued) > lifetime_ms:
        raise _bad_trigger("expired", f"The trigger id has expired (after {lifetime_ms // 1000} s).")
    return user_id


def _bad_trigger(what: str, message: str) -> errors.APIError:
    return errors.bad_request(f"interactive_message.decode_trigger_id.{what}", message)


def check_dialog(dialog: Any) -> dict[str, Any]:
    """An OpenDialogRequest's dialog, as Mattermost checks it: a title, elements with names."""
    if not isinstance(dialog, dict):
        raise errors.invalid_body("dialog")
    title, elements = dialog.get("title"), dialog.get("elements") or []
    if not isinstance(title, str) or not title.strip() or len(title) > 24 * 4:
        raise errors.bad_request("api.dialog.open.title.app_error", "The dialog needs a title.")
    if not isinstance(elements, list) or len(elements) > MAX_DIALOG_ELEMENTS:
        raise errors.bad_request(
            "api.dialog.open.elements.app_error", f"A dialog has at most {MAX_DIALOG_ELEMENTS} elements."
        )
    for element in elements:
        if not isinstance(element, dict) or not isinstance(element.get("name"), str) or not element["name"]:
            raise errors.bad_request(
                "api.dialog.open.elements.app_error", "Each dialog element needs a name."
            )
    return dialog
