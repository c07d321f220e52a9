"""Mattermost's built-in slash commands, run through POST /commands/execute as the apps do."""

import json
from typing import Any

import pytest

from tests.support.client import API, World, unique


def run(api: API, channel: dict[str, Any], command: str, **extra: Any) -> dict[str, Any]:
    body = {"command": command, "channel_id": channel["id"], "team_id": channel.get("team_id", ""), **extra}
    return api.ok("POST", "/commands/execute", body)  # type: ignore[no-any-return]


def last_post(api: API, channel: dict[str, Any]) -> dict[str, Any]:
    history = api.ok("GET", f"/channels/{channel['id']}/posts?page=0&per_page=1")
    return history["posts"][history["order"][0]]  # type: ignore[no-any-return]


def private_channel(world: World, owner: API, *members: API) -> dict[str, Any]:
    channel = owner.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("secret-"), "display_name": "Secret", "type": "P"},
    )
    for member in members:
        owner.ok("POST", f"/channels/{channel['id']}/members", {"user_id": member.id})
    return channel  # type: ignore[no-any-return]


def is_member(api: API, channel: dict[str, Any], user: API) -> bool:
    return api.get(f"/channels/{channel['id']}/members/{user.id}").status_code == 200


def test_me_posts_an_italic_me_post_and_replies_go_into_the_thread(world: World) -> None:
    stream = world.othello.websocket()
    try:
        reply = run(world.hamlet, world.town_square, "/me waves")
        assert reply["response_type"] == "in_channel" and reply["type"] == "me"
        assert set(reply) >= {"text", "goto_location", "trigger_id", "skip_slack_parsing", "props"}
        stream.expect("posted")
    finally:
        stream.close()
    post = last_post(world.othello, world.town_square)
    assert post["message"] == "*waves*" and post["type"] == "me" and post["user_id"] == world.hamlet.id
    root = world.hamlet.ok("POST", "/posts", {"channel_id": world.off_topic["id"], "message": "root"})
    run(world.othello, world.off_topic, "/shrug fine", root_id=root["id"])
    thread = world.hamlet.ok("GET", f"/posts/{root['id']}/thread")
    replies = [p for p in thread["posts"].values() if p["root_id"] == root["id"]]
    assert [p["message"] for p in replies] == [r"fine ¯\\\_(ツ)\_/¯"]


def test_echo_posts_the_text_without_its_delay(world: World) -> None:
    reply = run(world.hamlet, world.off_topic, '/echo "hello there" 3')
    assert reply["response_type"] == "" and reply["text"] == ""
    assert last_post(world.hamlet, world.off_topic)["message"] == "hello there"
    run(world.hamlet, world.off_topic, "/echo plain words 2")
    assert last_post(world.hamlet, world.off_topic)["message"] == "plain words"
    assert "must be provided" in run(world.hamlet, world.off_topic, "/echo")["text"]
    assert "under 10000" in run(world.hamlet, world.off_topic, "/echo hi 20000")["text"]


def test_bad_input_is_refused_with_mattermost_errors(world: World) -> None:
    channel_id = world.town_square["id"]
    for body in (
        {"command": "", "channel_id": channel_id},
        {"command": "/", "channel_id": channel_id},
        {"command": "hello", "channel_id": channel_id},
        {"command": "/me hi", "channel_id": "nope"},
        {"command": 5, "channel_id": channel_id},
        {"command": ["/me"], "channel_id": channel_id},
        {"command": "/me hi", "channel_id": channel_id, "root_id": 7},
        {"command": "/me hi", "channel_id": channel_id, "team_id": "bad"},
    ):
        response = world.hamlet.post("/commands/execute", body)
        assert response.status_code == 400, body
    assert world.hamlet.post("/commands/execute", [1]).status_code == 400
    assert world.hamlet.post("/commands/execute", content=b"{").status_code == 400
    unknown = world.hamlet.post("/commands/execute", {"command": "/nosuch thing", "channel_id": channel_id})
    assert unknown.status_code == 404
    assert unknown.json()["id"] == "api.command.execute_command.not_found.app_error"
    assert "'nosuch'" in unknown.json()["message"]
    orphan = world.hamlet.post(
        "/commands/execute", {"command": "/me hi", "channel_id": channel_id, "root_id": "a" * 26}
    )
    assert orphan.status_code in (400, 404)


def test_only_channel_members_run_commands_there(world: World) -> None:
    secret = private_channel(world, world.iago)
    refused = world.hamlet.post("/commands/execute", {"command": "/me hi", "channel_id": secret["id"]})
    assert refused.status_code == 403
    outsider = world.cordelia.post(
        "/commands/execute", {"command": "/me hi", "channel_id": world.town_square["id"]}
    )
    assert outsider.status_code == 403


def test_join_and_leave(world: World) -> None:
    name = unique("open-")
    channel = world.iago.ok(
        "POST", "/channels", {"team_id": world.team["id"], "name": name, "display_name": "Open", "type": "O"}
    )
    reply = run(world.hamlet, world.town_square, f"/join ~{name}")
    assert reply["goto_location"].endswith(f"/{world.team['name']}/channels/{name}")
    assert is_member(world.hamlet, channel, world.hamlet)
    reply = run(world.hamlet, channel, "/leave")
    assert reply["goto_location"].endswith(f"/{world.team['name']}/channels/town-square")
    assert not is_member(world.iago, channel, world.hamlet)
    assert "default channel" in run(world.hamlet, world.town_square, "/leave")["text"]
    assert (
        run(world.hamlet, world.town_square, "/join ~no-such-channel")["text"]
        == "Unable to find the channel."
    )


def test_join_refuses_a_private_channel_the_caller_is_not_in(world: World) -> None:
    secret = private_channel(world, world.iago)
    reply = run(world.hamlet, world.town_square, f"/join ~{secret['name']}")
    assert reply["response_type"] == "ephemeral" and reply["goto_location"] == ""
    assert not is_member(world.iago, secret, world.hamlet)


def test_msg_opens_a_direct_message_with_a_first_message(world: World) -> None:
    reply = run(world.hamlet, world.town_square, f"/msg @{world.othello.username} hello you")
    assert reply["response_type"] == "ephemeral"
    dm_name = "__".join(sorted([world.hamlet.id, world.othello.id]))
    assert reply["goto_location"].endswith(f"/{world.team['name']}/channels/{dm_name}")
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    assert last_post(world.othello, dm)["message"] == "hello you"
    assert run(world.hamlet, world.town_square, "/msg @nobody-here hi")["text"] == "Unable to find the user."
    assert (
        run(world.hamlet, world.town_square, f"/msg @{world.hamlet.username}")["text"]
        == "Unable to find the user."
    )


def test_groupmsg_opens_a_group_message(world: World) -> None:
    users = f"@{world.othello.username}, @{world.iago.username}"
    reply = run(world.hamlet, world.town_square, f"/groupmsg {users} hi all")
    assert "/channels/" in reply["goto_location"]
    group = world.hamlet.ok("POST", "/channels/group", [world.hamlet.id, world.othello.id, world.iago.id])
    assert reply["goto_location"].endswith(group["name"])
    assert last_post(world.iago, group)["message"] == "hi all"
    missing = run(world.hamlet, world.town_square, f"/groupmsg @{world.othello.username}, @ghost-x hi")
    assert missing["text"] == "Unable to find the user: @ghost-x"


def test_status_commands(world: World) -> None:
    for command, status, text in (
        ("/away", "away", "You are now away"),
        ("/dnd", "dnd", "Do Not Disturb is enabled"),
        ("/offline", "offline", "You are now offline"),
        ("/online", "online", "You are now online"),
    ):
        reply = run(world.hamlet, world.town_square, command)
        assert reply["response_type"] == "ephemeral" and reply["text"].startswith(text)
        assert world.othello.ok("GET", f"/users/{world.hamlet.id}/status")["status"] == status


def test_header_purpose_and_rename(world: World) -> None:
    channel = world.off_topic
    assert run(world.hamlet, channel, "/header New header")["text"] == ""
    assert run(world.hamlet, channel, "/purpose New purpose")["text"] == ""
    assert run(world.hamlet, channel, "/rename Renamed")["text"] == ""
    fetched = world.othello.ok("GET", f"/channels/{channel['id']}")
    assert (fetched["header"], fetched["purpose"], fetched["display_name"]) == (
        "New header",
        "New purpose",
        "Renamed",
    )
    assert last_post(world.othello, channel)["type"] == "system_displayname_change"
    assert "must be provided" in run(world.hamlet, channel, "/header")["text"]
    assert "limited to 1024" in run(world.hamlet, channel, "/header " + "x" * 1100)["text"]
    assert "64 or fewer" in run(world.hamlet, channel, "/rename " + "y" * 70)["text"]
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    assert "direct message" in run(world.hamlet, dm, "/purpose hi")["text"]
    assert "direct message" in run(world.hamlet, dm, "/rename hi")["text"]
    assert run(world.hamlet, dm, "/header dm header")["text"] == ""


def test_invite_adds_people_where_the_caller_may(world: World) -> None:
    secret = private_channel(world, world.iago)
    reply = run(world.iago, secret, f"/invite @{world.hamlet.username}")
    assert reply["text"] == f"@{world.hamlet.username} added to {secret['name']} channel."
    assert is_member(world.iago, secret, world.hamlet)
    assert "already in the channel" in run(world.iago, secret, f"/invite @{world.hamlet.username}")["text"]
    other_secret = private_channel(world, world.iago)
    refused = run(
        world.hamlet, world.town_square, f"/invite @{world.othello.username} ~{other_secret['name']}"
    )
    assert "Could not find the channel" in refused["text"]
    assert not is_member(world.iago, other_secret, world.othello)
    outsider = run(world.iago, secret, f"/invite @{world.cordelia.username}")
    assert "once they are members" in outsider["text"]
    assert "couldn't find the user" in run(world.iago, secret, "/invite @ghost-y")["text"]
    assert run(world.iago, secret, "/invite")["text"] == "Missing Username and/or Channel."
    name = unique("open-")
    run(world.hamlet, world.town_square, f"/invite @{world.othello.username} ~off-topic")
    assert (
        "already"
        in run(world.hamlet, world.town_square, f"/invite @{world.othello.username} ~off-topic")["text"]
    )
    assert (
        "Could not find"
        in run(world.hamlet, world.town_square, f"/invite @{world.othello.username} ~{name}")["text"]
    )


def test_kick_and_remove(world: World) -> None:
    secret = private_channel(world, world.iago, world.hamlet, world.othello)
    assert run(world.hamlet, secret, f"/kick @{world.othello.username}")["text"] == ""
    assert not is_member(world.iago, secret, world.othello)
    assert "is not a member" in run(world.hamlet, secret, f"/remove @{world.othello.username}")["text"]
    assert "couldn't find the user" in run(world.hamlet, secret, "/remove @ghost-z")["text"]
    assert "must be provided" in run(world.hamlet, secret, "/remove")["text"]
    assert "default channel" in run(world.iago, world.town_square, f"/kick @{world.hamlet.username}")["text"]
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    assert "direct message" in run(world.hamlet, dm, f"/kick @{world.othello.username}")["text"]


def test_mute_toggles_mark_unread(world: World) -> None:
    def mark_unread() -> str:
        member = world.hamlet.ok("GET", f"/channels/{world.off_topic['id']}/members/me")
        return str(member["notify_props"].get("mark_unread"))

    reply = run(world.hamlet, world.off_topic, "/mute")
    assert "You will not receive notifications" in reply["text"]
    assert mark_unread() == "mention"
    assert "no longer muted" in run(world.hamlet, world.town_square, "/mute ~off-topic")["text"]
    assert mark_unread() == "all"
    secret = private_channel(world, world.iago)
    assert "Could not find" in run(world.hamlet, world.town_square, f"/mute ~{secret['name']}")["text"]


def test_search_logout_and_help(world: World) -> None:
    search = run(world.hamlet, world.town_square, "/search words")
    assert search["response_type"] == "ephemeral" and "isn't available" in search["text"]
    assert run(world.hamlet, world.town_square, "/logout")["goto_location"] == "/login"
    help_text = run(world.hamlet, world.town_square, "/HELP")["text"]
    assert "/join" in help_text and "/msg" in help_text


def test_listing_and_suggestions(world: World) -> None:
    team_id = world.team["id"]
    listed = world.hamlet.ok("GET", f"/commands?team_id={team_id}")
    assert {"me", "join", "msg", "shrug"} <= {c["trigger"] for c in listed}
    assert all(c["auto_complete"] for c in listed)
    assert world.hamlet.ok("GET", f"/teams/{team_id}/commands/autocomplete") == listed
    assert world.hamlet.get("/commands").status_code == 400
    assert world.cordelia.get(f"/commands?team_id={team_id}").status_code == 403
    assert world.hamlet.get(f"/commands?team_id={team_id}&custom_only=true").status_code == 403
    assert world.iago.ok("GET", f"/commands?team_id={team_id}&custom_only=true") == []
    suggestions = world.hamlet.ok(
        "GET",
        f"/teams/{team_id}/commands/autocomplete_suggestions?user_input=/sh&channel_id={world.town_square['id']}",
    )
    assert [s["Complete"] for s in suggestions] == ["shrug"]
    assert set(suggestions[0]) == {"Complete", "Suggestion", "Hint", "Description", "IconData"}
    empty = world.hamlet.get(f"/teams/{team_id}/commands/autocomplete_suggestions?user_input=")
    assert empty.status_code == 400
    assert (
        world.cordelia.get(f"/teams/{team_id}/commands/autocomplete_suggestions?user_input=/j").status_code
        == 403
    )


@pytest.mark.parametrize(
    "command", ["/msg", "/groupmsg", "/invite @", "/join", "/join ~", "/mute ~", "/kick @"]
)
def test_commands_without_their_arguments_answer_without_failing(world: World, command: str) -> None:
    response = world.hamlet.post(
        "/commands/execute",
        {"command": command, "channel_id": world.off_topic["id"], "team_id": world.team["id"]},
    )
    assert response.status_code == 200, response.text


def test_ephemeral_answers_reach_only_the_caller_as_an_unstored_post(world: World) -> None:
    mine, theirs = world.hamlet.websocket(), world.othello.websocket()
    try:
        run(world.hamlet, world.off_topic, "/away")
        event = mine.expect("ephemeral_message")
        post = json.loads(event["data"]["post"])
        assert post["message"] == "You are now away" and post["type"] == "system_ephemeral"
        assert post["channel_id"] == world.off_topic["id"] and post["user_id"] == world.hamlet.id
        theirs.expect_none("ephemeral_message")
        assert world.hamlet.get(f"/posts/{post['id']}").status_code == 404
    finally:
        mine.close()
        theirs.close()
