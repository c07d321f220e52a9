"""Running a slash command: find the built-in for its trigger, run it, and post its in-channel
answer as the caller (into the thread, for a reply)."""

from dataclasses import replace
from typing import Any

from villagepump import commands, errors
from villagepump.actions import commands_custom as custom_actions
from villagepump.actions import ephemeral as ephemeral_actions
from villagepump.actions import posts as post_actions
from villagepump.commands.base import EPHEMERAL, IN_CHANNEL, Invocation, Reply

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
        custom = await custom_actions.find_command(inv, trigger)
        if custom is None:
            raise not_found(trigger)
        return await custom_actions.run_command(inv, custom, message)
    reply = await built_in.run(replace(inv, message=message))
    if reply.response_type == IN_CHANNEL and reply.text:
        draft = post_actions.Draft(reply.text, root_id=inv.root_id, post_type=reply.post_type)
        await post_actions.create_post(inv.rt, inv.caller, inv.channel["id"], draft)
    elif reply.response_type == EPHEMERAL and reply.text:
        await send_ephemeral(inv, reply)
    return reply.render()


async def send_ephemeral(inv: Invocation, reply: Reply) -> None:
    await ephemeral_actions.publish_ephemeral(
        inv.rt, inv.caller.user_id, inv.channel["id"], inv.root_id, reply.text
    )
