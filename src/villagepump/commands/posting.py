"""Commands that post for the caller: /me, /shrug, /echo."""

import re

from villagepump.actions import posts as post_actions
from villagepump.commands.base import IN_CHANNEL, BuiltIn, Invocation, Reply, ephemeral

ME_POST_TYPE = "me"
# Escaped as Mattermost sends it, so Markdown shows the arm and the underscores.
SHRUG = r"¯\\\_(ツ)\_/¯"
MAX_ECHO_DELAY_SECONDS = 10_000
_TRAILING_NUMBER = re.compile(r"^(.*\S)\s+(-?\d+)$", re.DOTALL)


async def post_as_caller(inv: Invocation, channel_id: str, message: str, root_id: str = "") -> None:
    """A plain post by the caller, through the same checked action (and events) as POST /posts."""
    await post_actions.create_post(
        inv.rt, inv.caller, channel_id, post_actions.Draft(message, root_id=root_id)
    )


async def me(inv: Invocation) -> Reply:
    return Reply(IN_CHANNEL, f"*{inv.message}*", post_type=ME_POST_TYPE)


async def shrug(inv: Invocation) -> Reply:
    return Reply(IN_CHANNEL, f"{inv.message} {SHRUG}" if inv.message else SHRUG)


def parse_echo(message: str) -> tuple[str, int]:
    """`"text" [delay]` or `text [delay]`: the text, and the delay in seconds."""
    end_quote = message.rfind('"')
    if message.startswith('"') and end_quote > 1:
        rest = message[end_quote:].strip(' "')
        return message[1:end_quote], int(rest) if re.fullmatch(r"-?\d+", rest) else 0
    found = _TRAILING_NUMBER.match(message)
    if found:
        return found.group(1), int(found.group(2))
    return message, 0


async def echo(inv: Invocation) -> Reply:
    if not inv.message:
        return ephemeral("A message must be provided with the /echo command.")
    text, delay = parse_echo(inv.message)
    if delay > MAX_ECHO_DELAY_SECONDS:
        return ephemeral("Delays must be under 10000 seconds.")
    # The delay is not honoured: the text is posted at once.
    await post_as_caller(inv, inv.channel["id"], text, inv.root_id)
    return Reply()


COMMANDS = [
    BuiltIn("me", "me", "Do an action", "[message]", me),
    BuiltIn("shrug", "shrug", "Adds ¯\\_(ツ)_/¯ to your message", "[message]", shrug),
    BuiltIn("echo", "echo", "Echo back text from your account", "'message' [delay in seconds]", echo),
]
