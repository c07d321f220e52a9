"""Custom slash commands: team admins make them, members run them, and each run calls the
command's URL on a real receiver on loopback (opened with AllowedUntrustedInternalConnections),
whose answer becomes a post, a message for the caller alone, or an error message."""

import json
import threading
import time
from typing import Any

import httpx

from tests.api.test_posts import private_channel
from tests.integrations.receiver import Receiver
from tests.integrations.servers import MAX_ANSWER_BYTES, admin, allow_loopback, configure, receiver, server
from tests.support.client import API, World, expect_error, unique

__all__ = ["admin", "allow_loopback", "receiver", "server"]


def make_command(
    api: API, world: World, receiver: Receiver, trigger: str = "", **extra: Any
) -> httpx.Response:
    body = {
        "team_id": world.team["id"],
        "trigger": trigger or unique("weather"),
        "url": receiver.url("/command"),
        "method": "P",
        "display_name": "Weather",
        "auto_complete": True,
        "auto_complete_desc": "The weather at Elsinore",
        "auto_complete_hint": "[place]",
        **extra,
    }
    return api.post("/commands", body)


def run(api: API, channel: dict[str, Any], command: str, **extra: Any) -> httpx.Response:
    return api.post("/commands/execute", {"channel_id": channel["id"], "command": command, **extra})


def test_iago_makes_a_command_and_hamlet_runs_it_in_the_channel(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    created = make_command(world.iago, world, receiver, "Weather")
    assert created.status_code == 201, created.text
    command = created.json()
    assert command["trigger"] == "weather" and len(command["token"]) == 26
    assert command["creator_id"] == world.iago.id and command["url"] == receiver.url("/command")
    receiver.answer("/command", {"response_type": "in_channel", "text": "Cold, and a ghost on the ramparts."})
    stream = world.othello.websocket()
    try:
        answer = world.hamlet.ok(
            "POST",
            "/commands/execute",
            {
                "channel_id": world.town_square["id"],
                "command": "/weather  Elsinore castle",
                "team_id": world.team["id"],
            },
        )
        posted = json.loads(stream.expect("posted")["data"]["post"])
    finally:
        stream.close()
    assert answer["response_type"] == "in_channel" and answer["trigger_id"]
    (seen,) = receiver.seen("/command")
    assert seen.method == "POST" and seen.headers["content-type"] == "application/x-www-form-urlencoded"
    form = seen.form
    assert form["token"] == command["token"] and form["command"] == "/weather"
    assert form["text"] == " Elsinore castle" and form["user_id"] == world.hamlet.id
    assert form["user_name"] == world.hamlet.username and form["channel_name"] == "town-square"
    assert form["team_id"] == world.team["id"] and form["team_domain"] == world.team["name"]
    assert form["channel_id"] == world.town_square["id"] and form["trigger_id"] == answer["trigger_id"]
    assert form["response_url"].endswith("/hooks/commands/" + form["response_url"].rsplit("/", 1)[1])
    assert posted["message"] == "Cold, and a ghost on the ramparts." and posted["user_id"] == world.hamlet.id
    assert posted["props"]["from_webhook"] == "true"


def test_a_get_command_answering_text_is_shown_to_the_caller_alone(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    trigger = unique("whisper")
    make_command(world.iago, world, receiver, trigger, method="G", url=receiver.url("/command?fixed=1"))
    receiver.answer("/command", b"Only you can hear this.", content_type="text/plain")
    mine, theirs = world.hamlet.websocket(), world.othello.websocket()
    try:
        answer = run(world.hamlet, world.town_square, f"/{trigger} softly")
        assert answer.status_code == 200, answer.text
        ephemeral = json.loads(mine.expect("ephemeral_message")["data"]["post"])
        theirs.expect_none("ephemeral_message")
        theirs.expect_none("posted", within=0.1)
    finally:
        mine.close()
        theirs.close()
    assert (
        ephemeral["message"] == "Only you can hear this."
        and ephemeral["channel_id"] == world.town_square["id"]
    )
    (seen,) = receiver.seen("/command")
    assert seen.method == "GET" and seen.form["fixed"] == "1" and seen.form["text"] == "softly"


def test_extra_responses_and_attachments(world: World, receiver: Receiver, allow_loopback: None) -> None:
    trigger = unique("poll")
    make_command(world.iago, world, receiver, trigger)
    attachment = {
        "text": "Choose",
        "actions": [{"name": "Yes", "integration": {"url": receiver.url("/yes"), "context": {"s": 1}}}],
    }
    receiver.answer(
        "/command",
        {
            "response_type": "in_channel",
            "text": "<!here> vote at <https://vote.example|the booth>",
            "attachments": [attachment],
            "extra_responses": [{"response_type": "ephemeral", "text": "Poll posted."}],
        },
    )
    stream = world.hamlet.websocket()
    try:
        run(world.hamlet, world.town_square, f"/{trigger}")
        posted = json.loads(stream.expect("posted")["data"]["post"])
        assert json.loads(stream.expect("ephemeral_message")["data"]["post"])["message"] == "Poll posted."
    finally:
        stream.close()
    # Slack's markup reads as Mattermost reads it, unless skip_slack_parsing says otherwise.
    assert posted["message"] == "@here vote at [the booth](https://vote.example)"
    (action,) = posted["props"]["attachments"][0]["actions"]
    # The integration's URL and context stay on the server; the action got an id to click by.
    assert "integration" not in action and len(action["id"]) == 26
    assert "integration" not in json.dumps(world.hamlet.ok("GET", f"/posts/{posted['id']}"))


def test_names_and_pictures_are_overridden_only_where_the_admin_allows(
    world: World, receiver: Receiver, admin: API, allow_loopback: None
) -> None:
    command = make_command(world.iago, world, receiver, username="weatherbot").json()
    receiver.answer(
        "/command",
        {
            "response_type": "in_channel",
            "text": "<!here> Rain.",
            "skip_slack_parsing": True,
            "username": "ignored",
            "icon_url": "https://example.com/cloud.png",
            "props": {"from_webhook": "false", "override_username": "hamlet"},
        },
    )
    posts = []
    for allowed in (False, True):
        configure(
            admin,
            ServiceSettings__EnablePostUsernameOverride=allowed,
            ServiceSettings__EnablePostIconOverride=allowed,
        )
        stream = world.hamlet.websocket()
        try:
            run(world.hamlet, world.town_square, f"/{command['trigger']}")
            posted = json.loads(stream.expect("posted")["data"]["post"])
            assert posted["message"] == "<!here> Rain."
            posts.append(posted["props"])
        finally:
            stream.close()
    configure(
        admin,
        ServiceSettings__EnablePostUsernameOverride=False,
        ServiceSettings__EnablePostIconOverride=False,
    )
    # The integration's own props cannot unmark the post or name it after someone.
    assert posts[0] == {"from_webhook": "true"}
    assert posts[1] == {
        "from_webhook": "true",
        "override_username": "weatherbot",
        "override_icon_url": "https://example.com/cloud.png",
    }


def test_who_may_manage_commands_and_see_their_tokens(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    expect_error(make_command(world.hamlet, world, receiver), 403, "api.context.permissions.app_error")
    expect_error(make_command(world.cordelia, world, receiver), 403, "api.context.permissions.app_error")
    command = make_command(world.iago, world, receiver).json()
    team_id = world.team["id"]
    # Members see the command, to run it, but not its token, creator or URL.
    listed = world.hamlet.ok("GET", f"/commands?team_id={team_id}")
    (shown,) = [c for c in listed if c["trigger"] == command["trigger"]]
    assert shown["token"] == "" and shown["url"] == "" and shown["creator_id"] == ""
    assert any(c["trigger"] == "me" for c in listed)
    auto = world.hamlet.ok("GET", f"/teams/{team_id}/commands/autocomplete")
    assert [c["token"] for c in auto if c["trigger"] == command["trigger"]] == [""]
    typed = command["trigger"][:4]
    suggested = world.hamlet.ok(
        "GET", f"/teams/{team_id}/commands/autocomplete_suggestions?user_input=/{typed}"
    )
    assert {
        "Complete": command["trigger"],
        "Suggestion": command["trigger"],
        "Hint": "[place]",
        "Description": "The weather at Elsinore",
        "IconData": "",
    } in suggested
    expect_error(
        world.hamlet.get(f"/commands?team_id={team_id}&custom_only=true"),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(world.cordelia.get(f"/commands?team_id={team_id}"), 403, "api.context.permissions.app_error")
    expect_error(
        world.hamlet.get(f"/commands/{command['id']}"), 404, "api.command.command_not_found.app_error"
    )
    expect_error(
        world.hamlet.delete(f"/commands/{command['id']}"), 404, "api.command.command_not_found.app_error"
    )
    expect_error(
        world.hamlet.put(f"/commands/{command['id']}/regen_token"),
        404,
        "api.command.command_not_found.app_error",
    )
    # Admins see everything, tokens included.
    custom = world.iago.ok("GET", f"/commands?team_id={team_id}&custom_only=true")
    assert [(c["id"], c["token"]) for c in custom] == [(command["id"], command["token"])]
    assert world.admin.ok("GET", f"/commands/{command['id']}")["token"] == command["token"]

    changed = world.iago.ok(
        "PUT", f"/commands/{command['id']}", {**command, "description": "Updated", "method": "G"}
    )
    assert (
        changed["description"] == "Updated"
        and changed["method"] == "G"
        and changed["token"] == command["token"]
    )
    token = world.iago.ok("PUT", f"/commands/{command['id']}/regen_token")["token"]
    assert token != command["token"] and world.iago.ok("GET", f"/commands/{command['id']}")["token"] == token

    # Moving needs the right to manage the other team's commands too.
    other = world.admin.ok(
        "POST", "/teams", {"name": unique("norway-"), "display_name": "Norway", "type": "O"}
    )
    expect_error(
        world.iago.put(f"/commands/{command['id']}/move", {"team_id": other["id"]}),
        403,
        "api.context.permissions.app_error",
    )
    world.admin.ok("PUT", f"/commands/{command['id']}/move", {"team_id": other["id"]})
    assert world.admin.ok("GET", f"/commands/{command['id']}")["team_id"] == other["id"]
    world.admin.ok("DELETE", f"/commands/{command['id']}")
    expect_error(
        world.admin.get(f"/commands/{command['id']}"), 404, "api.command.command_not_found.app_error"
    )
    expect_error(
        run(world.hamlet, world.town_square, f"/{command['trigger']}"),
        404,
        "api.command.execute_command.not_found.app_error",
    )


def test_bad_commands_are_refused(world: World, receiver: Receiver, admin: API) -> None:
    iago = world.iago
    expect_error(
        make_command(iago, world, receiver, trigger=5), 400, "model.command.is_valid.trigger.app_error"
    )  # type: ignore[arg-type]
    expect_error(
        make_command(iago, world, receiver, "/slash"), 400, "model.command.is_valid.trigger.app_error"
    )
    expect_error(
        make_command(iago, world, receiver, "two words"), 400, "model.command.is_valid.trigger.app_error"
    )
    expect_error(
        make_command(iago, world, receiver, method="DELETE"), 400, "model.command.is_valid.method.app_error"
    )
    expect_error(make_command(iago, world, receiver, url=["x"]), 400, "model.command.is_valid.url.app_error")
    expect_error(
        make_command(iago, world, receiver, url="ftp://example.com/"),
        400,
        "model.command.is_valid.url.app_error",
    )
    expect_error(
        make_command(iago, world, receiver, auto_complete="yes"),
        400,
        "model.command.is_valid.auto_complete.app_error",
    )
    expect_error(
        make_command(iago, world, receiver, "me", url="https://example.com/hook"),
        400,
        "api.command.duplicate_trigger.app_error",
    )
    expect_error(
        iago.post("/commands", {"trigger": "x", "url": "https://example.com"}),
        400,
        "model.command.is_valid.team_id.app_error",
    )
    # Loopback and private addresses are refused unless the administrator allowed them.
    for url in (
        receiver.url("/command"),
        receiver.url("/command", "localhost"),
        "http://10.0.0.1/",
        "http://0x7f000001/",
    ):
        refused = expect_error(
            make_command(iago, world, receiver, url=url), 400, "model.command.is_valid.url.app_error"
        )
        assert "not a public address" in refused["detailed_error"]
    trigger = unique("twice")
    assert make_command(iago, world, receiver, trigger, url="https://example.com/hook").status_code == 201
    expect_error(
        make_command(iago, world, receiver, trigger, url="https://example.com/hook"),
        400,
        "api.command.duplicate_trigger.app_error",
    )


def test_a_command_whose_address_is_no_longer_allowed_fails_with_a_message(
    world: World, receiver: Receiver, admin: API
) -> None:
    configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="127.0.0.1")
    try:
        command = make_command(world.iago, world, receiver).json()
    finally:
        configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="")
    refused = expect_error(
        run(world.hamlet, world.town_square, f"/{command['trigger']}"),
        400,
        "api.command.execute_command.failed.app_error",
    )
    assert "not a public address" in refused["detailed_error"]
    assert receiver.requests == []


def test_slow_failing_and_huge_answers_are_error_messages_and_block_no_one(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    command = make_command(world.iago, world, receiver).json()
    trigger = command["trigger"]
    receiver.answer("/command", {"text": "late"}, delay=6)
    outcome: list[httpx.Response] = []
    slow = threading.Thread(
        target=lambda: outcome.append(run(world.hamlet, world.town_square, f"/{trigger}"))
    )
    slow.start()
    time.sleep(0.3)
    # While the command's URL keeps its caller waiting, everyone else is served.
    started = time.monotonic()
    world.othello.ok("GET", "/users/me")
    world.othello.ok("GET", f"/channels/{world.town_square['id']}/posts")
    assert time.monotonic() - started < 1.5
    slow.join(20)
    timed_out = expect_error(outcome[0], 400, "api.command.execute_command.failed.app_error")
    assert f"/{trigger}" in timed_out["message"]

    receiver.answer("/command", b"x" * (MAX_ANSWER_BYTES + 1), content_type="text/plain")
    huge = expect_error(
        run(world.hamlet, world.town_square, f"/{trigger}"),
        400,
        "api.command.execute_command.failed.app_error",
    )
    assert "larger than" in huge["detailed_error"]
    receiver.answer("/command", {"text": "broken"}, status=500)
    expect_error(
        run(world.hamlet, world.town_square, f"/{trigger}"),
        400,
        "api.command.execute_command.failed_resp.app_error",
    )
    receiver.answer("/command", b"{not json", content_type="application/json")
    expect_error(
        run(world.hamlet, world.town_square, f"/{trigger}"),
        400,
        "api.command.execute_command.failed.app_error",
    )
    receiver.answer("/command", {"response_type": "shout", "text": 3})
    expect_error(
        run(world.hamlet, world.town_square, f"/{trigger}"),
        400,
        "api.command.execute_command.failed.app_error",
    )


def test_a_delayed_answer_through_the_response_url(
    world: World, receiver: Receiver, allow_loopback: None
) -> None:
    command = make_command(world.iago, world, receiver).json()
    receiver.answer("/command", {"text": "Working on it..."})
    run(world.hamlet, world.town_square, f"/{command['trigger']}")
    response_url = receiver.seen("/command")[0].form["response_url"]
    stream = world.othello.websocket()
    try:
        answered = httpx.post(
            response_url, json={"response_type": "in_channel", "text": "Done: it will rain."}
        )
        assert answered.status_code == 200 and answered.text == "ok"
        posted = json.loads(stream.expect("posted")["data"]["post"])
    finally:
        stream.close()
    assert posted["message"] == "Done: it will rain." and posted["user_id"] == world.hamlet.id
    for _ in range(4):
        assert httpx.post(response_url, json={"text": "again"}).status_code == 200
    # Five answers at most, as in Mattermost.
    expect_error(
        httpx.post(response_url, json={"text": "too many"}),
        400,
        "app.command_webhook.try_use.invalid.app_error",
    )
    fake = response_url.rsplit("/", 1)[0] + "/" + "a" * 26
    expect_error(
        httpx.post(fake, json={"text": "who?"}), 400, "app.command_webhook.try_use.invalid.app_error"
    )
    expect_error(
        httpx.post(response_url, json=["not", "an", "object"]), 400, "api.command_webhook.parse.app_error"
    )


def test_a_private_channel_stays_private(world: World, receiver: Receiver, allow_loopback: None) -> None:
    secret = private_channel(world, world.hamlet)
    command = make_command(world.iago, world, receiver).json()
    receiver.answer("/command", {"response_type": "in_channel", "text": "the secret plan"})
    stream = world.othello.websocket()
    try:
        expect_error(
            run(world.othello, secret, f"/{command['trigger']} spy"), 403, "api.context.permissions.app_error"
        )
        assert receiver.requests == []
        run(world.hamlet, secret, f"/{command['trigger']}")
        stream.expect_none("posted")
    finally:
        stream.close()
    assert receiver.seen("/command")[0].form["channel_id"] == secret["id"]
    expect_error(
        world.othello.get(f"/channels/{secret['id']}/posts"), 403, "api.context.permissions.app_error"
    )


def test_commands_can_be_turned_off(
    world: World, receiver: Receiver, admin: API, allow_loopback: None
) -> None:
    command = make_command(world.iago, world, receiver).json()
    configure(admin, ServiceSettings__EnableCommands=False)
    try:
        assert world.hamlet.ok("GET", "/config/client?format=old")["EnableCommands"] == "false"
        expect_error(make_command(world.iago, world, receiver), 501, "api.command.disabled.app_error")
        expect_error(
            run(world.hamlet, world.town_square, f"/{command['trigger']}"),
            501,
            "api.command.disabled.app_error",
        )
        listed = world.hamlet.ok("GET", f"/teams/{world.team['id']}/commands/autocomplete")
        assert command["trigger"] not in [c["trigger"] for c in listed]
        # Built-in commands still work.
        assert run(world.hamlet, world.town_square, "/shrug").status_code == 200
    finally:
        configure(admin, ServiceSettings__EnableCommands=True)
    assert world.hamlet.ok("GET", "/config/client?format=old")["EnableCommands"] == "true"
    assert receiver.requests == []
