"""What a mobile push says, in each of Mattermost's PushNotificationContents modes, shaped like
its model.PushNotification (the fields the push proxy and the app read).

generic_no_channel  who wrote, never where (a direct message's title is its sender anyway)
generic             who wrote and in which channel, never what
full                who, where and the message text
id_loaded           only ids; the app asks POST /notifications/ack for the rest, with its own
                    session, so the text never passes through the proxy or Apple/Google
"""

from collections.abc import Mapping
from typing import Any

from villagepump.notifications.recipients import THREAD_ANY, THREAD_FOLLOWED, THREAD_ROOT, Decision

GENERIC_NO_CHANNEL = "generic_no_channel"
GENERIC = "generic"
FULL = "full"
ID_LOADED = "id_loaded"

ID_LOADED_MESSAGE = "You've received a new message."


def channel_title(channel: Mapping[Any, Any], sender_name: str) -> str:
    return sender_name if channel["type"] == "D" else str(channel["display_name"])


def message_push(
    contents: str,
    post: Mapping[Any, Any],
    channel: Mapping[Any, Any],
    sender_name: str,
    decision: Decision,
    badge: int,
) -> dict[str, Any]:
    """The push for one recipient, without the per-device routing (ack_id, device_id, platform,
    server_id, signature), which the sender adds."""
    push: dict[str, Any] = {
        "type": "message",
        "version": "v2",
        "category": "CAN_REPLY",
        "post_id": post["id"],
        "root_id": post["root_id"],
        "channel_id": channel["id"],
        "team_id": channel["team_id"],
        "sender_id": post["user_id"],
        "badge": badge,
        "cont_ava": 1,
        "is_crt_enabled": any(r == THREAD_FOLLOWED for r in decision.reasons),
    }
    if contents == ID_LOADED:
        return {**push, "is_id_loaded": True, "message": ID_LOADED_MESSAGE}
    push["sender_name"] = sender_name
    if contents != GENERIC_NO_CHANNEL or channel["type"] == "D":
        push["channel_name"] = channel_title(channel, sender_name)
    push["message"] = push_text(contents, post, channel["type"], sender_name, decision)
    return push


def push_text(
    contents: str, post: Mapping[Any, Any], channel_type: str, sender: str, decision: Decision
) -> str:
    """Mattermost's wording (getPushNotificationMessage): the text itself only in `full`."""
    message = str(post["message"])
    if not message and post.get("file_ids"):
        return "attached a file." if channel_type == "D" else f"{sender} attached a file."
    if contents == FULL:
        return message if channel_type == "D" else f"{sender}: {message}"
    if channel_type == "D":
        return "sent you a message."
    if decision.channel_wide:
        return f"{sender} notified the channel."
    if decision.explicit:
        return f"{sender} mentioned you."
    if THREAD_ROOT in decision.reasons:
        return f"{sender} commented on your post."
    if THREAD_ANY in decision.reasons or THREAD_FOLLOWED in decision.reasons:
        return f"{sender} commented on a thread you participated in."
    return f"{sender} posted a message."


def clear_push(channel_id: str, root_id: str, badge: int) -> dict[str, Any]:
    """Tells the app to take the channel's notifications off the device: read elsewhere."""
    return {
        "type": "clear",
        "version": "v2",
        "channel_id": channel_id,
        "root_id": root_id,
        "badge": badge,
        "cont_ava": 1,
    }
