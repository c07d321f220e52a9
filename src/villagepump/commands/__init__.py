"""Mattermost's built-in slash commands, by trigger. Each one calls the same actions (and so
sends the same events) as the REST endpoint for what it does."""

from collections.abc import Mapping, Sequence
from typing import Any

from villagepump.commands import channels, invite, messages, posting, status
from villagepump.commands.base import BuiltIn, Invocation, Reply, ephemeral, go_to

# Mattermost's logout is done by the client; the server only says where to go.
LOGIN_LOCATION = "/login"


async def _logout(inv: Invocation) -> Reply:
    return go_to(LOGIN_LOCATION)


async def _search(inv: Invocation) -> Reply:
    return ephemeral("Search isn't available on this server yet.")


async def _help(inv: Invocation) -> Reply:
    lines = [f"- `/{c.trigger}{' ' + c.hint if c.hint else ''}` — {c.description}" for c in BUILT_INS]
    return ephemeral("These commands are available:\n" + "\n".join(lines))


BUILT_INS: list[BuiltIn] = sorted(
    [
        *posting.COMMANDS,
        *channels.COMMANDS,
        *invite.COMMANDS,
        *messages.COMMANDS,
        *status.COMMANDS,
        BuiltIn("logout", "logout", "Logout of Mattermost", "", _logout),
        BuiltIn("search", "search", "Search text in messages", "[text]", _search),
        BuiltIn("help", "help", "Show the commands you can use", "", _help),
    ],
    key=lambda command: command.trigger,
)
BY_TRIGGER = {command.trigger: command for command in BUILT_INS}


def suggestions(user_input: str, custom: Sequence[Mapping[Any, Any]] = ()) -> list[dict[str, str]]:
    """Commands whose trigger starts with what was typed, built-ins and the team's custom ones
    (rows of the commands table), in Mattermost's AutocompleteSuggestion shape."""
    typed = user_input.removeprefix("/").lower()
    if " " in typed:
        return []
    found = [(c.trigger, c.hint, c.description) for c in BUILT_INS]
    found += [(c["trigger"], c["auto_complete_hint"], c["auto_complete_desc"]) for c in custom]
    return [
        {"Complete": trigger, "Suggestion": trigger, "Hint": hint, "Description": description, "IconData": ""}
        for trigger, hint, description in sorted(found)
        if trigger.startswith(typed)
    ]


def render_command(command: BuiltIn) -> dict[str, object]:
    """A built-in as Mattermost lists it: a Command with no id, team or URL."""
    return {
        "id": "",
        "token": "",
        "create_at": 0,
        "update_at": 0,
        "delete_at": 0,
        "creator_id": "",
        "team_id": "",
        "trigger": command.trigger,
        "method": "",
        "username": "",
        "icon_url": "",
        "auto_complete": True,
        "auto_complete_desc": command.description,
        "auto_complete_hint": command.hint,
        "display_name": command.display_name,
        "description": "",
        "url": "",
        "plugin_id": "",
        "autocomplete_data": {
            "Trigger": command.trigger,
            "Hint": command.hint,
            "HelpText": command.description,
            "RoleID": "",
            "Arguments": [],
            "SubCommands": [],
        },
    }
