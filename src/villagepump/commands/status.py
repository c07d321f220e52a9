"""/away, /online, /dnd, /offline: the caller sets their status."""

from villagepump.actions import status as status_actions
from villagepump.commands.base import BuiltIn, Invocation, Reply, Run, ephemeral
from villagepump.store.statuses import AWAY, DND, OFFLINE, ONLINE

_CONFIRMATIONS = {
    AWAY: "You are now away",
    ONLINE: "You are now online",
    OFFLINE: "You are now offline",
    DND: (
        "Do Not Disturb is enabled. You will not receive desktop or mobile push notifications "
        "until Do Not Disturb is turned off."
    ),
}


def _setting(status: str) -> Run:
    async def run(inv: Invocation) -> Reply:
        await status_actions.set_status(inv.rt, inv.caller.user_id, status)
        return ephemeral(_CONFIRMATIONS[status])

    return run


COMMANDS = [
    BuiltIn("away", "away", "Set your status away", "", _setting(AWAY)),
    BuiltIn("online", "online", "Set your status online", "", _setting(ONLINE)),
    BuiltIn(
        "dnd",
        "dnd",
        "Do not disturb disables desktop and mobile push notifications.",
        "",
        _setting(DND),
    ),
    BuiltIn("offline", "offline", "Set your status offline", "", _setting(OFFLINE)),
]
