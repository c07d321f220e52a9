"""Running a slash command: find the built-in for its trigger, run it, and post its in-channel
answer as the caller (into the thread, for a reply)."""

from dataclasses import replace
from typing import Any

from villagepump import commands, errors
from villagepump.actions import posts as post_actions
from villagepump.commands.base import EPHEMERAL, IN_CHANNEL, Invocation, Reply
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import new_id, now_ms
from villagepump.render.posts import render_post

EPHEMERAL_POST_TYPE = "system_ephemeral"
# Mattermost shortens an unknown trigger to this many characters in its error.
MAX_TRIGGER_IN_ERROR = 512


def split_command(command: str) -> tuple[str, str]:
    """The lower-cased trigger without its slash, and the text after the first blank."""
    for index, char in enumerate(command):
        if char.isspace():
            trigger, message = command[:index], command[index + 1 :]
            break
    else:
        trigger, message = command, ""
    trigger = trigger.lower()
    if not trigger.startswith("/"):
        raise errors.bad_request(
            "api.command.execute_command.format.app_error",
            "Command trigger word is missing the leading slash character",
        )
    return trigger[1:], message


def not_found(trigger: str) -> errors.APIError:
    if len(trigger) > MAX_TRIGGER_IN_ERROR:
        trigger = trigger[:MAX_TRIGGER_IN_ERROR] + "..."
    return errors.APIError(
        404,
        "api.command.execute_command.not_found.app_error",
        f"Command with a trigger of '{trigger}' not found. To send a message beginning with \"/\", "
        "try adding an empty space at the beginning of the message.",
    )


async def execute_command(inv: Invocation, command: str) -> dict[str, Any]:
    """`inv.message` is ignored: the text after the trigger is taken from `command`."""
    trigger, message = split_command(command)
    built_in = commands.BY_TRIGGER.get(trigger)
    if built_in is None:
        raise not_found(trigger)
    reply = await built_in.run(replace(inv, message=message))
    if reply.response_type == IN_CHANNEL and reply.text:
        draft = post_actions.Draft(reply.text, root_id=inv.root_id, post_type=reply.post_type)
        await post_actions.create_post(inv.rt, inv.caller, inv.channel["id"], draft)
    elif reply.response_type == EPHEMERAL and reply.text:
        await send_ephemeral(inv, reply)
    return reply.render()


async def send_ephemeral(inv: Invocation, reply: Reply) -> None:
    """Shows the answer to the caller alone, as a post that is never stored: the apps display
    `ephemeral_message` posts but not the text of the command's response."""
    now = now_ms()
    post = {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": False,
        "user_id": inv.caller.user_id,
        "channel_id": inv.channel["id"],
        "root_id": inv.root_id,
        "original_id": "",
        "message": reply.text,
        "type": EPHEMERAL_POST_TYPE,
        "props": {},
        "hashtags": "",
        "file_ids": [],
        "pending_post_id": "",
    }
    event = Event(
        "ephemeral_message",
        {"post": json_field(render_post(post))},
        Broadcast(user_id=inv.caller.user_id),
    )
    await inv.rt.bus.publish([event])
