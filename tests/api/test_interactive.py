"""Interactive messages: buttons and menus in a post's attachments call their integration (a
real receiver on loopback), whose answer updates the post and whispers to the clicker; dialogs
opened with a fresh trigger id reach only that user, and their submissions go to the dialog's URL."""

import json
import time
from typing import Any

from tests.api.test_posts import post, private_channel
from tests.integrations.receiver import Receiver
from tests.integrations.servers import TIMEOUT_SECONDS, admin, allow_loopback, receiver, server
from tests.support.client import API, World, expect_error, unique

__all__ = ["admin", "allow_loopback", "receiver", "server"]


def poll(api: API, channel: dict[str, Any], receiver: Receiver) -> dict[str, Any]:
    attachments = [
        {
            "text": "To be?",
            "actions": [
                {
                    "name": "Yes",
                    "type": "button",
                    "integration": {
                        "url": receiver.url("/vote"),
                        "context": {"vote": "yes", "secret": "ghost-of-the-king"},
                    },
                },
                {
                    "name": "Pick",
                    "type": "select",
                    "options": [{"text": "Not to be", "value": "no"}],
                    "integration": {"url": receiver.url("/vote"), "context": {"vote": "menu"}},
                },
            ],
        }
    ]
    return post(api, channel, "", props={"attachments": attachments})


def action_ids(created: dict[str, Any]) -> list[str]:
    return [a["id"] for a in created["props"]["attachments"][0]["actions"]]


def click(api: API, post_id: str, action_id: str, **body: Any) -> Any:
    return api.post(f"/posts/{post_id}/actions/{action_id}", body or None)


def test_othello_clicks_a_button_and_the_integration_updates_the_post(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    created = poll(world.hamlet, world.town_square, receiver)
    button, menu = action_ids(created)
    # Nobody, the author included, ever sees the integration's URL or context.
    for api in (world.hamlet, world.othello):
        assert "integration" not in json.dumps(api.ok("GET", f"/posts/{created['id']}"))
        assert "ghost-of-the-king" not in json.dumps(
            api.ok("GET", f"/channels/{world.town_square['id']}/posts")
        )
    receiver.answer(
        "/vote",
        {
            "update": {
                "message": "Votes: 1",
                "props": {"attachments": [{"text": "closed"}], "from_webhook": "x"},
            },
            "ephemeral_text": "Thanks for voting.",
        },
    )
    mine, theirs = world.othello.websocket(), world.hamlet.websocket()
    try:
        answer = click(world.othello, created["id"], button)
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "OK" and answer.json()["trigger_id"]
        edited = json.loads(theirs.expect("post_edited")["data"]["post"])
        whisper = json.loads(mine.expect("ephemeral_message")["data"]["post"])
        theirs.expect_none("ephemeral_message")
    finally:
        mine.close()
        theirs.close()
    (seen,) = receiver.seen("/vote")
    request = seen.json
    assert seen.headers["content-type"] == "application/json"
    assert (
        request["context"] == {"vote": "yes", "secret": "ghost-of-the-king"} and request["type"] == "button"
    )
    assert request["user_id"] == world.othello.id and request["user_name"] == world.othello.username
    assert request["post_id"] == created["id"] and request["channel_id"] == world.town_square["id"]
    assert request["channel_name"] == "town-square" and request["team_domain"] == world.team["name"]
    assert request["trigger_id"] == answer.json()["trigger_id"]
    assert edited["message"] == "Votes: 1" and edited["props"]["attachments"] == [{"text": "closed"}]
    # The integration cannot make its post pass for a webhook's.
    assert "from_webhook" not in edited["props"]
    assert whisper["message"] == "Thanks for voting." and whisper["channel_id"] == world.town_square["id"]

    # The author hides a link preview: the client sends back the props it saw, without integrations.
    fresh = poll(world.hamlet, world.town_square, receiver)
    seen_props = world.hamlet.ok("GET", f"/posts/{fresh['id']}")["props"]
    world.hamlet.ok(
        "PUT", f"/posts/{fresh['id']}/patch", {"props": {**seen_props, "remove_link_preview": "true"}}
    )
    receiver.answer("/vote", {})
    click(world.othello, fresh["id"], action_ids(fresh)[1], selected_option="no")
    assert receiver.seen("/vote")[-1].json["context"] == {"vote": "menu", "selected_option": "no"}
    assert receiver.seen("/vote")[-1].json["type"] == "select"
    assert menu


def test_clicks_that_cannot_be_made(world: World, receiver: Receiver, admin: API) -> None:
    created = poll(world.hamlet, world.town_square, receiver)
    button = action_ids(created)[0]
    expect_error(
        click(world.othello, created["id"], "nosuchaction"), 404, "api.post.do_action.action_id.app_error"
    )
    expect_error(click(world.cordelia, created["id"], button), 403, "api.context.permissions.app_error")
    expect_error(
        world.othello.post(f"/posts/{created['id']}/actions/{button}", {"selected_option": 3}),
        400,
        "api.context.invalid_body_param.app_error",
    )
    # Loopback is not open on this server: the click is refused, and the receiver never hears of it.
    refused = expect_error(
        click(world.othello, created["id"], button), 400, "api.post.do_action.action_integration.app_error"
    )
    assert "not a public address" in refused["detailed_error"] and receiver.requests == []
    secret = private_channel(world, world.hamlet)
    hidden = poll(world.hamlet, secret, receiver)
    expect_error(
        click(world.othello, hidden["id"], action_ids(hidden)[0]), 403, "api.context.permissions.app_error"
    )


def test_a_failing_or_slow_integration_is_an_error_message(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    created = poll(world.hamlet, world.town_square, receiver)
    button = action_ids(created)[0]
    receiver.answer("/vote", {"update": {"message": "never"}}, status=500)
    expect_error(
        click(world.othello, created["id"], button), 400, "api.post.do_action.action_integration.app_error"
    )
    receiver.answer("/vote", {}, delay=TIMEOUT_SECONDS + 2)
    expect_error(
        click(world.othello, created["id"], button), 400, "api.post.do_action.action_integration.app_error"
    )
    assert world.othello.ok("GET", f"/posts/{created['id']}")["message"] == ""


def dialog(receiver: Receiver) -> dict[str, Any]:
    return {
        "callback_id": "cb1",
        "title": "Report",
        "elements": [{"display_name": "Name", "name": "name", "type": "text"}],
        "submit_label": "Send",
        "state": "st",
    }


def test_a_dialog_opens_for_the_clicker_and_its_answers_reach_the_integration(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    created = poll(world.hamlet, world.town_square, receiver)
    receiver.answer("/vote", {})
    trigger_id = click(world.othello, created["id"], action_ids(created)[0]).json()["trigger_id"]
    mine, theirs = world.othello.websocket(), world.hamlet.websocket()
    try:
        # The integration (here with hamlet's token, as a bot would use its own) opens the dialog.
        opened = {"trigger_id": trigger_id, "url": receiver.url("/dialog"), "dialog": dialog(receiver)}
        world.hamlet.ok("POST", "/actions/dialogs/open", opened)
        event = mine.expect("open_dialog")
        theirs.expect_none("open_dialog")
    finally:
        mine.close()
        theirs.close()
    shown = json.loads(event["data"]["dialog"])
    assert shown["trigger_id"] == trigger_id and shown["dialog"]["title"] == "Report"
    assert shown["url"] == receiver.url("/dialog")

    receiver.answer("/dialog", {"errors": {"name": "Too short"}})
    submission = {
        "url": receiver.url("/dialog"),
        "callback_id": "cb1",
        "state": "st",
        "user_id": world.othello.id,
        "channel_id": world.town_square["id"],
        "team_id": world.team["id"],
        "submission": {"name": "Yo"},
    }
    assert world.othello.ok("POST", "/actions/dialogs/submit", submission) == {
        "errors": {"name": "Too short"}
    }
    sent = receiver.seen("/dialog")[-1].json
    assert sent["type"] == "dialog_submission" and sent["submission"] == {"name": "Yo"}
    assert sent["user_id"] == world.othello.id and sent["callback_id"] == "cb1" and sent["state"] == "st"
    assert "url" not in sent
    receiver.answer("/dialog", b"")
    assert world.othello.ok("POST", "/actions/dialogs/submit", submission) == {}
    expect_error(
        world.hamlet.post("/actions/dialogs/submit", submission), 403, "api.context.permissions.app_error"
    )
    secret = private_channel(world, world.hamlet)
    expect_error(
        world.othello.post("/actions/dialogs/submit", {**submission, "channel_id": secret["id"]}),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.othello.post("/actions/dialogs/submit", {**submission, "submission": []}),
        400,
        "api.context.invalid_body_param.app_error",
    )


def test_dialogs_need_a_fresh_genuine_trigger(world: World, receiver: Receiver, allow_loopback: None) -> None:
    created = poll(world.hamlet, world.town_square, receiver)
    receiver.answer("/vote", {})
    trigger_id = click(world.othello, created["id"], action_ids(created)[0]).json()["trigger_id"]
    body = {"trigger_id": trigger_id, "url": receiver.url("/dialog"), "dialog": dialog(receiver)}
    expect_error(
        world.hamlet.post("/actions/dialogs/open", {**body, "trigger_id": "bm90IGEgdHJpZ2dlcg=="}),
        400,
        "interactive_message.decode_trigger_id.missing_data",
    )
    expect_error(
        world.hamlet.post("/actions/dialogs/open", {**body, "trigger_id": "%%%"}),
        400,
        "interactive_message.decode_trigger_id.base64_decode_failed",
    )
    import base64

    client_id, user_id, at, signature = base64.b64decode(trigger_id).decode().split(":")
    forged = base64.b64encode(f"{client_id}:{world.hamlet.id}:{at}:{signature}".encode()).decode()
    expect_error(
        world.hamlet.post("/actions/dialogs/open", {**body, "trigger_id": forged}),
        400,
        "interactive_message.decode_trigger_id.verify_signature_failed",
    )
    expect_error(
        world.hamlet.post("/actions/dialogs/open", {**body, "dialog": {"title": ""}}),
        400,
        "api.dialog.open.title.app_error",
    )
    expect_error(
        world.hamlet.post(
            "/actions/dialogs/open", {**body, "dialog": {"title": "T", "elements": [{"name": 1}]}}
        ),
        400,
        "api.dialog.open.elements.app_error",
    )
    expect_error(
        world.hamlet.post("/actions/dialogs/open", {**body, "url": "ftp://x"}),
        400,
        "interactive_message.open_dialog.url.app_error",
    )
    time.sleep(TIMEOUT_SECONDS + 0.5)
    expect_error(
        world.hamlet.post("/actions/dialogs/open", body), 400, "interactive_message.decode_trigger_id.expired"
    )
    assert user_id == world.othello.id


def test_buttons_on_a_message_for_one_user_work_through_their_sealed_cookie(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    trigger = unique("menu")
    world.iago.ok(
        "POST",
        "/commands",
        {"team_id": world.team["id"], "trigger": trigger, "url": receiver.url("/command"), "method": "P"},
    )
    button = {
        "name": "Again",
        "integration": {"url": receiver.url("/vote"), "context": {"secret": "ghost-of-the-king"}},
    }
    receiver.answer(
        "/command", {"text": "Just for you", "attachments": [{"text": "Pick", "actions": [button]}]}
    )
    secret = private_channel(world, world.hamlet)
    stream = world.hamlet.websocket()
    try:
        world.hamlet.ok(
            "POST", "/commands/execute", {"channel_id": world.town_square["id"], "command": f"/{trigger}"}
        )
        shown = json.loads(stream.expect("ephemeral_message")["data"]["post"])
        world.hamlet.ok("POST", "/commands/execute", {"channel_id": secret["id"], "command": f"/{trigger}"})
        hidden = json.loads(stream.expect("ephemeral_message")["data"]["post"])
        (action,) = shown["props"]["attachments"][0]["actions"]
        assert "integration" not in action and "ghost-of-the-king" not in json.dumps(shown)
        receiver.answer("/vote", {"update": {"message": "Picked"}, "ephemeral_text": "Noted."})
        clicked = click(world.hamlet, shown["id"], action["id"], cookie=action["cookie"])
        assert clicked.status_code == 200, clicked.text
        replaced = json.loads(stream.expect("ephemeral_message")["data"]["post"])
        assert (replaced["id"], replaced["message"]) == (shown["id"], "Picked")
    finally:
        stream.close()
    sent = receiver.seen("/vote")[0].json
    assert sent["context"] == {"secret": "ghost-of-the-king"} and sent["post_id"] == shown["id"]
    assert sent["channel_id"] == world.town_square["id"] and sent["user_id"] == world.hamlet.id
    # A cookie is good only for its own post, only untouched, and only in a channel one can read.
    bad = "api.post.do_action.action_integration.app_error"
    expect_error(click(world.hamlet, "p" * 26, action["id"], cookie=action["cookie"]), 400, bad)
    expect_error(
        click(world.hamlet, shown["id"], action["id"], cookie=action["cookie"][:-4] + "AAAA"), 400, bad
    )
    expect_error(click(world.hamlet, shown["id"], action["id"], cookie="not base64!"), 400, bad)
    (hidden_action,) = hidden["props"]["attachments"][0]["actions"]
    stolen = click(world.othello, hidden["id"], hidden_action["id"], cookie=hidden_action["cookie"])
    expect_error(stolen, 403, "api.context.permissions.app_error")
    assert len(receiver.seen("/vote")) == 1
