"""Moving a channel to another team (POST /channels/{id}/move): system admins only; members who
are not in the new team stop the move unless `force` removes them; the move is said in the
channel, heard by its members and audited."""

import json
from typing import Any

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error, unique


def other_team(world: World, *members: API) -> dict[str, Any]:
    team = world.admin.ok(
        "POST", "/teams", {"name": unique("norway-"), "display_name": "Norway", "type": "O"}
    )
    for member in members:
        world.admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": member.id})
    return team


def move(api: API, channel: dict[str, Any], team: dict[str, Any], force: bool = False) -> Any:
    return api.post(f"/channels/{channel['id']}/move", {"team_id": team["id"], "force": force})


def test_an_admin_moves_a_private_channel_and_its_members_hear_it(world: World) -> None:
    channel = private_channel(world, world.hamlet, world.othello)
    post(world.hamlet, channel, "before the move")
    norway = other_team(world, world.hamlet, world.othello)
    stream = world.othello.websocket()
    try:
        response = move(world.admin, channel, norway)
        assert response.status_code == 200, response.text
        assert response.json()["team_id"] == norway["id"] and response.json()["type"] == "P"
        event = stream.expect("channel_updated")
        assert event["broadcast"]["channel_id"] == channel["id"]
    finally:
        stream.close()
    assert world.othello.ok("GET", f"/channels/{channel['id']}")["team_id"] == norway["id"]
    found = world.hamlet.ok("GET", f"/teams/{norway['id']}/channels/name/{channel['name']}")
    assert found["id"] == channel["id"]
    history = world.hamlet.ok("GET", f"/channels/{channel['id']}/posts")["posts"].values()
    moved = [p for p in history if p["type"] == "system_move_channel"]
    assert len(moved) == 1 and "Denmark" in moved[0]["message"]
    mine = world.othello.ok("GET", f"/users/me/teams/{norway['id']}/channels")
    assert channel["id"] in [c["id"] for c in mine]
    entries = world.admin.ok("GET", f"/audits?action=channel_moved&user_id={world.admin.id}")
    entry = next(e for e in entries if json.loads(e["extra_info"])["to_team_id"] == norway["id"])
    assert entry["target_id"] == channel["id"]
    assert json.loads(entry["extra_info"])["from_team_id"] == world.team["id"]


def test_members_outside_the_new_team_stop_the_move_unless_forced(world: World) -> None:
    channel = private_channel(world, world.hamlet, world.othello)
    norway = other_team(world, world.hamlet)
    expect_error(
        move(world.admin, channel, norway), 400, "app.channel.move_channel.members_do_not_match.error"
    )
    assert world.hamlet.ok("GET", f"/channels/{channel['id']}")["team_id"] == world.team["id"]
    moved = move(world.admin, channel, norway, force=True)
    assert moved.status_code == 200 and moved.json()["team_id"] == norway["id"]
    members = world.hamlet.ok("GET", f"/channels/{channel['id']}/members")
    assert [m["user_id"] for m in members] == [world.hamlet.id]
    expect_error(world.othello.get(f"/channels/{channel['id']}"), 403, "api.context.permissions.app_error")


def test_only_system_admins_move_channels(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("hall-"), "display_name": "Hall", "type": "O"},
    )
    norway = other_team(world, world.hamlet, world.iago)
    for who in (world.hamlet, world.iago):
        expect_error(move(who, channel, norway, force=True), 403, "api.context.permissions.app_error")
    assert world.hamlet.ok("GET", f"/channels/{channel['id']}")["team_id"] == world.team["id"]


def test_what_cannot_be_moved(world: World) -> None:
    norway = other_team(world, world.hamlet, world.othello)
    # Every team has its town square: the name is taken.
    expect_error(
        move(world.admin, world.town_square, norway, force=True),
        400,
        "store.sql_channel.save_channel.exists.app_error",
    )
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    expect_error(move(world.admin, direct, norway), 400, "api.channel.move_channel.type.invalid")
    missing = {"id": "a" * 26}
    expect_error(move(world.admin, world.off_topic, missing), 404, "app.team.get.find.app_error")
    expect_error(
        world.admin.post(f"/channels/{world.off_topic['id']}/move", {"team_id": "nope"}),
        400,
        "api.context.invalid_body_param.app_error",
    )
