"""Custom slash commands and interactive messages in a real browser: hamlet finds a custom
command in the composer's suggestions, sees its answer meant for him alone, clicks a message
button that an integration (a real receiver on loopback) answers by updating the post, and fills
in the dialog that integration opens."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.api.test_link_previews import configure
from tests.integrations.receiver import Receiver
from tests.support.client import World, unique
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_chat import message
from tests.web.test_composer import composer, suggestions, wait_for


@pytest.fixture
def receiver(world: World) -> Iterator[Receiver]:
    started = Receiver()
    configure(world.admin, ServiceSettings__AllowedUntrustedInternalConnections="127.0.0.1")
    yield started
    configure(world.admin, ServiceSettings__AllowedUntrustedInternalConnections="")
    started.close()


@sqlite_only
def test_a_custom_command_a_button_and_a_dialog(
    open_page: OpenPage, world: World, receiver: Receiver
) -> None:
    trigger = unique("weather")
    world.iago.ok(
        "POST",
        "/commands",
        {
            "team_id": world.team["id"],
            "trigger": trigger,
            "url": receiver.url("/command"),
            "method": "P",
            "auto_complete": True,
            "auto_complete_desc": "The weather at Elsinore",
        },
    )
    receiver.answer("/command", {"response_type": "ephemeral", "text": "Only you: cold tonight."})
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
    box = composer(page)
    box.press_sequentially(f"/{trigger[:6]}")
    expect(suggestions(page).get_by_role("option", name=re.compile(trigger))).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value(f"/{trigger} ")
    box.press_sequentially("tonight")
    box.press("Enter")
    expect(message(page, "Only you: cold tonight.")).to_be_visible()
    assert receiver.seen("/command")[0].form["text"] == "tonight"

    attachments = [
        {"text": "To be?", "actions": [{"name": "Vote yes", "integration": {"url": receiver.url("/vote")}}]}
    ]
    world.othello.ok(
        "POST",
        "/posts",
        {"channel_id": world.town_square["id"], "message": "A poll", "props": {"attachments": attachments}},
    )
    receiver.answer("/vote", {"update": {"message": "A poll: 1 vote"}})
    poll = message(page, "A poll")
    poll.get_by_role("button", name="Vote yes").click()
    expect(message(page, "A poll: 1 vote")).to_be_visible()
    trigger_id = receiver.seen("/vote")[0].json["trigger_id"]

    dialog = {
        "callback_id": "report",
        "title": "Report",
        "submit_label": "Send",
        "elements": [{"display_name": "Where", "name": "where", "type": "text"}],
    }
    world.othello.ok(
        "POST",
        "/actions/dialogs/open",
        {"trigger_id": trigger_id, "url": receiver.url("/dialog"), "dialog": dialog},
    )
    shown = page.get_by_role("dialog", name="Report")
    expect(shown).to_be_visible()
    receiver.answer("/dialog", {"errors": {"where": "Say where."}})
    shown.get_by_role("textbox", name="Where").fill("x")
    shown.get_by_role("button", name="Send").click()
    expect(shown.get_by_text("Say where.")).to_be_visible()
    receiver.answer("/dialog", {})
    shown.get_by_role("textbox", name="Where").fill("The ramparts")
    shown.get_by_role("button", name="Send").click()
    expect(shown).to_have_count(0)
    submitted = wait_for(lambda: len(receiver.seen("/dialog")) == 2)
    assert submitted and receiver.seen("/dialog")[1].json["submission"] == {"where": "The ramparts"}
    assert errors == []
