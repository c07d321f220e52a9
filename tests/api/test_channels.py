"""Channels, direct and group messages, and channel members, through the API."""

import hashlib
from typing import Any

import pytest

from tests.support.client import API, World, create_user, expect_error, unique

BAD_ID = "not-an-id"
UNKNOWN_ID = "a" * 26


def make_channel(api: API, world: World, channel_type: str = "O", **extra: Any) -> dict[str, Any]:
    body = {
        "team_id": world.team["id"],
        "name": unique("ch-"),
        "display_name": "Battlements",
        "type": channel_type,
    }
    return api.ok("POST", "/channels", {**body, **extra})  # type: ignore[no-any-return]


def test_create_public_and_private_channels(world: World) -> None:
    public = make_channel(world.hamlet, world, purpose="Ghost sightings")
    assert public["type"] == "O" and public["purpose"] == "Ghost sightings"
    assert public["creator_id"] == world.hamlet.id and public["team_id"] == world.team["id"]
    member = world.hamlet.ok("GET", f"/channels/{public['id']}/members/me")
    assert member["scheme_admin"] is True and member["roles"] == "channel_user channel_admin"
    private = make_channel(world.hamlet, world, "P")
    assert private["type"] == "P"


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Capitals"},
        {"name": "has space"},
        {"name": ""},
        {"name": "x" * 65},
        {"name": "two__underscores"},
        {"display_name": ""},
        {"display_name": "   "},
        {"type": "D"},
        {"type": "X"},
        {"name": 7},
        {"purpose": "p" * 251},
        {"header": ["not", "a", "string"]},
        {"team_id": BAD_ID},
    ],
)
def test_create_channel_rejects_bad_input(world: World, changes: dict[str, Any]) -> None:
    body = {"team_id": world.team["id"], "name": unique("ch-"), "display_name": "Good", "type": "O"}
    assert world.hamlet.post("/channels", {**body, **changes}).status_code == 400


def test_create_channel_permissions_and_duplicates(world: World) -> None:
    body = {"team_id": world.team["id"], "name": unique("ch-"), "display_name": "Dup", "type": "O"}
    assert world.cordelia.post("/channels", body).status_code == 403
    assert world.hamlet.post("/channels", {**body, "team_id": UNKNOWN_ID}).status_code == 404
    world.hamlet.ok("POST", "/channels", body)
    assert world.othello.post("/channels", body).status_code == 400
    assert world.hamlet.post("/channels", "not an object").status_code == 400


def test_private_channel_is_invisible_to_non_members(world: World) -> None:
    private = make_channel(world.hamlet, world, "P", display_name="Secret")
    cid = private["id"]
    for outsider in (world.othello, world.cordelia, world.iago, world.admin):
        assert outsider.get(f"/channels/{cid}").status_code == 403
        assert outsider.get(f"/channels/{cid}/members").status_code == 403
        assert outsider.get(f"/channels/{cid}/members/{world.hamlet.id}").status_code == 403
        assert outsider.post(f"/channels/{cid}/members/ids", [world.hamlet.id]).status_code == 403
        assert outsider.get(f"/channels/{cid}/stats").status_code == 403
        assert outsider.put(f"/channels/{cid}/patch", {"display_name": "Mine"}).status_code == 403
        assert outsider.delete(f"/channels/{cid}").status_code == 403
        assert outsider.post(f"/channels/{cid}/members", {"user_id": outsider.id}).status_code == 403
        assert "Secret" not in world.othello.get(f"/channels/{cid}").text
    team = world.team["id"]
    assert world.othello.get(f"/teams/{team}/channels/name/{private['name']}").status_code == 404
    assert cid not in [c["id"] for c in world.othello.ok("GET", f"/teams/{team}/channels")]
    assert world.othello.ok("GET", f"/teams/{team}/channels/autocomplete?name=Secr") == []
    assert world.othello.ok("POST", f"/teams/{team}/channels/search", {"term": "Secret"}) == []
    assert cid not in [c["id"] for c in world.othello.ok("GET", f"/users/me/teams/{team}/channels")]
    assert world.hamlet.ok("GET", f"/channels/{cid}")["id"] == cid


def test_public_channel_is_hidden_from_people_outside_the_team(world: World) -> None:
    cid = world.town_square["id"]
    assert world.cordelia.get(f"/channels/{cid}").status_code == 403
    assert world.cordelia.get(f"/channels/{cid}/members").status_code == 403
    assert world.cordelia.get(f"/teams/{world.team['id']}/channels").status_code == 403
    assert world.cordelia.post(f"/channels/{cid}/members", {"user_id": world.cordelia.id}).status_code == 403
    # Team members who have not joined may still read a public channel.
    public = make_channel(world.hamlet, world)
    assert world.othello.ok("GET", f"/channels/{public['id']}")["id"] == public["id"]


def test_bad_and_unknown_channel_ids(world: World) -> None:
    assert world.hamlet.get(f"/channels/{BAD_ID}").status_code == 400
    assert world.hamlet.get(f"/channels/{UNKNOWN_ID}").status_code == 404
    assert world.hamlet.get(f"/channels/{UNKNOWN_ID}/members").status_code == 404
    assert world.hamlet.delete(f"/channels/{UNKNOWN_ID}").status_code == 404


def test_update_and_patch_channel(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    cid = channel["id"]
    stream = world.hamlet.websocket()
    try:
        patched = world.hamlet.ok("PUT", f"/channels/{cid}/patch", {"header": "Who's there?"})
        assert patched["header"] == "Who's there?" and patched["display_name"] == "Battlements"
        event = stream.expect("channel_updated")
        assert isinstance(event["data"]["channel"], str) and "Who's there?" in event["data"]["channel"]
    finally:
        stream.close()
    updated = world.hamlet.ok(
        "PUT", f"/channels/{cid}", {"id": cid, "display_name": "Ramparts", "name": "ramparts-x"}
    )
    assert updated["display_name"] == "Ramparts" and updated["name"] == "ramparts-x"
    # A team member who has not joined may not change it; a team admin may.
    assert world.othello.put(f"/channels/{cid}/patch", {"header": "x"}).status_code == 403
    assert world.iago.ok("PUT", f"/channels/{cid}/patch", {"purpose": "watch"})["purpose"] == "watch"
    assert world.hamlet.put(f"/channels/{cid}/patch", {"name": "BAD NAME"}).status_code == 400
    assert world.hamlet.put(f"/channels/{cid}/patch", {"display_name": 3}).status_code == 400
    assert world.hamlet.put(f"/channels/{cid}", {"id": UNKNOWN_ID}).status_code == 400
    town = world.town_square["id"]
    assert world.hamlet.put(f"/channels/{town}/patch", {"name": "renamed-square"}).status_code == 400


def test_archive_and_restore(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    cid, team = channel["id"], world.team["id"]
    assert world.hamlet.delete(f"/channels/{world.town_square['id']}").status_code == 400
    stream = world.othello.websocket()
    try:
        assert world.hamlet.ok("DELETE", f"/channels/{cid}") == {"status": "OK"}
        event = stream.expect("channel_deleted", channel_id=cid)
        assert event["data"]["delete_at"] > 0
    finally:
        stream.close()
    assert world.hamlet.ok("GET", f"/channels/{cid}")["delete_at"] > 0
    assert cid not in [c["id"] for c in world.hamlet.ok("GET", f"/teams/{team}/channels")]
    assert cid in [c["id"] for c in world.hamlet.ok("GET", f"/teams/{team}/channels/deleted")]
    assert world.hamlet.get(f"/teams/{team}/channels/name/{channel['name']}").status_code == 404
    found = world.hamlet.ok("GET", f"/teams/{team}/channels/name/{channel['name']}?include_deleted=true")
    assert found["id"] == cid
    mine = world.hamlet.ok("GET", f"/users/me/teams/{team}/channels")
    assert cid not in [c["id"] for c in mine]
    with_deleted = world.hamlet.ok("GET", f"/users/me/teams/{team}/channels?include_deleted=true")
    assert cid in [c["id"] for c in with_deleted]
    assert world.hamlet.put(f"/channels/{cid}/patch", {"header": "x"}).status_code == 400
    assert world.hamlet.post(f"/channels/{cid}/restore").status_code == 403
    assert world.iago.ok("POST", f"/channels/{cid}/restore")["delete_at"] == 0
    assert world.iago.post(f"/channels/{cid}/restore").status_code == 400


def test_deleted_private_channels_listed_only_for_members(world: World) -> None:
    private = make_channel(world.hamlet, world, "P")
    world.hamlet.ok("DELETE", f"/channels/{private['id']}")
    team = world.team["id"]
    assert private["id"] in [c["id"] for c in world.hamlet.ok("GET", f"/teams/{team}/channels/deleted")]
    assert private["id"] not in [c["id"] for c in world.othello.ok("GET", f"/teams/{team}/channels/deleted")]


def test_browse_public_channels_paged(world: World) -> None:
    team = world.team["id"]
    first = world.othello.ok("GET", f"/teams/{team}/channels?page=0&per_page=1")
    second = world.othello.ok("GET", f"/teams/{team}/channels?page=1&per_page=1")
    assert len(first) == 1 and len(second) == 1 and first[0]["id"] != second[0]["id"]
    assert world.othello.get(f"/teams/{team}/channels?per_page=x").status_code == 400
    assert world.othello.get(f"/teams/{team}/channels/private").status_code == 403
    private = make_channel(world.hamlet, world, "P")
    assert private["id"] in [c["id"] for c in world.admin.ok("GET", f"/teams/{team}/channels/private")]


def test_channel_by_team_name_and_channel_name(world: World) -> None:
    path = f"/teams/name/{world.team['name']}/channels/name/town-square"
    assert world.hamlet.ok("GET", path)["id"] == world.town_square["id"]
    assert world.cordelia.get(path).status_code == 403
    assert world.hamlet.get(f"/teams/name/{world.team['name']}/channels/name/nope").status_code == 404
    assert world.hamlet.get("/teams/name/no-team-zz/channels/name/town-square").status_code == 404


def test_autocomplete_and_search(world: World) -> None:
    team = world.team["id"]
    public = make_channel(world.hamlet, world, display_name="Yorick Memorial")
    private = make_channel(world.hamlet, world, "P", display_name="Yorick Skull")
    found = {c["id"] for c in world.hamlet.ok("GET", f"/teams/{team}/channels/autocomplete?name=yorick")}
    assert found == {public["id"], private["id"]}
    found = {c["id"] for c in world.othello.ok("GET", f"/teams/{team}/channels/autocomplete?name=yorick")}
    assert found == {public["id"]}
    mine = world.othello.ok("GET", f"/teams/{team}/channels/search_autocomplete?name=yorick")
    assert mine == []
    searched = world.othello.ok("POST", f"/teams/{team}/channels/search", {"term": "memorial"})
    assert [c["id"] for c in searched] == [public["id"]]
    assert world.othello.post(f"/teams/{team}/channels/search", {"term": ["x"]}).status_code == 400
    assert world.cordelia.get(f"/teams/{team}/channels/autocomplete?name=yorick").status_code == 403


def test_direct_message_channel(world: World) -> None:
    stream = world.othello.websocket()
    try:
        dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
        event = stream.expect("direct_added")
        assert event["data"]["teammate_id"] == world.othello.id
        assert event["broadcast"]["channel_id"] == dm["id"]
    finally:
        stream.close()
    assert dm["type"] == "D" and dm["team_id"] == ""
    assert dm["name"] == "__".join(sorted([world.hamlet.id, world.othello.id]))
    again = world.othello.ok("POST", "/channels/direct", [world.othello.id, world.hamlet.id])
    assert again["id"] == dm["id"]
    members = world.othello.ok("GET", f"/channels/{dm['id']}/members")
    assert {m["user_id"] for m in members} == {world.hamlet.id, world.othello.id}
    for outsider in (world.iago, world.admin):
        assert outsider.get(f"/channels/{dm['id']}").status_code == 403
        assert outsider.get(f"/channels/{dm['id']}/members").status_code == 403
    # Direct messages are listed with every team's channels.
    team = world.team["id"]
    assert dm["id"] in [c["id"] for c in world.hamlet.ok("GET", f"/users/me/teams/{team}/channels")]
    assert dm["id"] in [
        m["channel_id"] for m in world.hamlet.ok("GET", f"/users/me/teams/{team}/channels/members")
    ]
    assert dm["id"] in [c["id"] for c in world.hamlet.ok("GET", "/users/me/channels")]
    path = f"/channels/{dm['id']}/members/{world.othello.id}"
    assert world.hamlet.delete(path).status_code == 400
    assert world.hamlet.post(f"/channels/{dm['id']}/members", {"user_id": world.iago.id}).status_code == 400
    assert world.hamlet.delete(f"/channels/{dm['id']}").status_code == 400


def test_direct_message_with_oneself_and_bad_input(world: World) -> None:
    self_dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.hamlet.id])
    assert self_dm["name"] == f"{world.hamlet.id}__{world.hamlet.id}"
    assert len(world.hamlet.ok("GET", f"/channels/{self_dm['id']}/members")) == 1
    assert world.hamlet.post("/channels/direct", [world.othello.id, world.iago.id]).status_code == 403
    assert world.hamlet.post("/channels/direct", [world.hamlet.id]).status_code == 400
    assert world.hamlet.post("/channels/direct", [world.hamlet.id, BAD_ID]).status_code == 400
    assert world.hamlet.post("/channels/direct", [world.hamlet.id, 5]).status_code == 400
    assert world.hamlet.post("/channels/direct", [world.hamlet.id, UNKNOWN_ID]).status_code == 400
    assert world.hamlet.post("/channels/direct", {"a": 1}).status_code == 400


def test_group_message_channel(world: World) -> None:
    ids = [world.othello.id, world.iago.id]
    stream = world.iago.websocket()
    try:
        gm = world.hamlet.ok("POST", "/channels/group", ids)
        event = stream.expect("group_added")
        assert isinstance(event["data"]["teammate_ids"], str)
    finally:
        stream.close()
    everyone = sorted([world.hamlet.id, *ids])
    assert gm["type"] == "G" and gm["team_id"] == ""
    assert gm["name"] == hashlib.sha1("".join(everyone).encode()).hexdigest()
    usernames = sorted([world.hamlet.username, world.othello.username, world.iago.username])
    assert gm["display_name"] == ", ".join(usernames)
    assert world.othello.ok("POST", "/channels/group", [world.hamlet.id, world.iago.id])["id"] == gm["id"]
    assert world.cordelia.get(f"/channels/{gm['id']}").status_code == 403
    assert world.hamlet.delete(f"/channels/{gm['id']}/members/me").status_code == 400
    assert world.hamlet.post("/channels/group", [world.othello.id]).status_code == 400
    assert world.hamlet.post("/channels/group", [BAD_ID, world.othello.id]).status_code == 400
    assert world.hamlet.post("/channels/group", [UNKNOWN_ID, world.othello.id]).status_code == 400


def test_join_public_channel_and_add_others(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    cid = channel["id"]
    stream = world.hamlet.websocket()
    try:
        joined = world.othello.ok("POST", f"/channels/{cid}/members", {"user_id": world.othello.id})
        assert joined["user_id"] == world.othello.id and joined["roles"] == "channel_user"
        event = stream.expect("user_added", user_id=world.othello.id)
        assert event["broadcast"]["channel_id"] == cid
    finally:
        stream.close()
    # A member may add a team member; nobody may add someone outside the team.
    assert (
        world.othello.ok("POST", f"/channels/{cid}/members", {"user_id": world.iago.id})["user_id"]
        == world.iago.id
    )
    assert world.othello.post(f"/channels/{cid}/members", {"user_id": world.cordelia.id}).status_code == 403
    assert world.othello.post(f"/channels/{cid}/members", {"user_id": UNKNOWN_ID}).status_code == 404
    assert world.othello.post(f"/channels/{cid}/members", {"user_id": BAD_ID}).status_code == 400
    assert world.othello.post(f"/channels/{cid}/members", {"user_id": None}).status_code == 400
    stats = world.othello.ok("GET", f"/channels/{cid}/stats")
    assert stats == {
        "channel_id": cid,
        "member_count": 3,
        "guest_count": 0,
        "pinnedpost_count": 0,
        "files_count": 0,
    }


def test_non_member_cannot_add_others_to_public_channel(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    path = f"/channels/{channel['id']}/members"
    assert world.othello.post(path, {"user_id": world.iago.id}).status_code == 403


def test_private_channel_membership_by_members_only(world: World) -> None:
    private = make_channel(world.hamlet, world, "P")
    path = f"/channels/{private['id']}/members"
    assert world.othello.post(path, {"user_id": world.othello.id}).status_code == 403
    world.hamlet.ok("POST", path, {"user_id": world.othello.id})
    assert world.othello.ok("GET", f"/channels/{private['id']}")["id"] == private["id"]
    listed = world.othello.ok("POST", f"{path}/ids", [world.hamlet.id, world.iago.id])
    assert [m["user_id"] for m in listed] == [world.hamlet.id]


def test_leave_and_remove(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    cid = channel["id"]
    for user in (world.othello, world.iago):
        world.hamlet.ok("POST", f"/channels/{cid}/members", {"user_id": user.id})
    watcher, removed = world.hamlet.websocket(), world.othello.websocket()
    try:
        world.iago.ok("DELETE", f"/channels/{cid}/members/{world.othello.id}")
        seen = watcher.expect("user_removed")
        assert seen["data"]["user_id"] == world.othello.id and seen["broadcast"]["channel_id"] == cid
        own = removed.expect("user_removed")
        assert own["data"]["channel_id"] == cid and own["data"]["remover_id"] == world.iago.id
    finally:
        watcher.close()
        removed.close()
    assert world.hamlet.get(f"/channels/{cid}/members/{world.othello.id}").status_code == 404
    assert world.othello.delete(f"/channels/{cid}/members/{world.iago.id}").status_code == 403
    assert world.iago.ok("DELETE", f"/channels/{cid}/members/me") == {"status": "OK"}
    assert world.iago.delete(f"/channels/{cid}/members/me").status_code == 404
    town = world.town_square["id"]
    assert world.hamlet.delete(f"/channels/{town}/members/me").status_code == 400


def test_last_member_cannot_leave_private_channel(world: World) -> None:
    private = make_channel(world.hamlet, world, "P")
    assert world.hamlet.delete(f"/channels/{private['id']}/members/me").status_code == 400


def test_view_marks_channel_read(world: World) -> None:
    cid, prev = world.town_square["id"], world.off_topic["id"]
    stream = world.hamlet.websocket()
    try:
        result = world.hamlet.ok(
            "POST",
            "/channels/members/me/view",
            {"channel_id": cid, "prev_channel_id": prev, "collapsed_threads_supported": True},
        )
        stream.expect("channel_viewed", channel_id=cid)
        times = stream.expect("multiple_channels_viewed")["data"]["channel_times"]
        assert set(times) == {cid, prev}
    finally:
        stream.close()
    assert result["status"] == "OK" and set(result["last_viewed_at_times"]) == {cid, prev}
    member = world.hamlet.ok("GET", f"/channels/{cid}/members/me")
    channel = world.hamlet.ok("GET", f"/channels/{cid}")
    assert member["last_viewed_at"] == result["last_viewed_at_times"][cid]
    assert member["msg_count"] == channel["total_msg_count"] and member["mention_count"] == 0
    unread = world.hamlet.ok("GET", f"/users/me/channels/{cid}/unread")
    assert unread["msg_count"] == 0 and unread["channel_id"] == cid and unread["team_id"] == world.team["id"]


def test_view_checks_input_and_membership(world: World) -> None:
    private = make_channel(world.hamlet, world, "P")
    result = world.othello.ok("POST", "/channels/members/me/view", {"channel_id": private["id"]})
    assert result["last_viewed_at_times"] == {}
    assert world.othello.ok("POST", "/channels/members/me/view", {"channel_id": ""})["status"] == "OK"
    assert world.othello.post("/channels/members/me/view", {"channel_id": BAD_ID}).status_code == 400
    assert world.othello.post("/channels/members/me/view", {"channel_id": 5}).status_code == 400
    path = f"/channels/members/{world.hamlet.id}/view"
    assert world.othello.post(path, {"channel_id": world.town_square["id"]}).status_code == 403
    assert world.othello.get(f"/users/me/channels/{private['id']}/unread").status_code == 404


def test_channel_notify_props(world: World) -> None:
    cid = world.town_square["id"]
    stream = world.hamlet.websocket()
    try:
        world.hamlet.ok(
            "PUT", f"/channels/{cid}/members/me/notify_props", {"mark_unread": "mention", "push": "none"}
        )
        event = stream.expect("channel_member_updated")
        assert '"mark_unread":"mention"' in event["data"]["channelMember"]
    finally:
        stream.close()
    props = world.hamlet.ok("GET", f"/channels/{cid}/members/me")["notify_props"]
    assert props["mark_unread"] == "mention" and props["push"] == "none" and props["desktop"] == "default"
    path = f"/channels/{cid}/members/me/notify_props"
    assert world.hamlet.put(path, {"push": 3}).status_code == 400
    assert world.hamlet.put(path, {"not_a_prop": "x"}).status_code == 400
    for body, error_id in [
        ({"push": "loud"}, "model.channel_member.is_valid.push_level.app_error"),
        ({"desktop": "always"}, "model.channel_member.is_valid.notify_level.app_error"),
        ({"mark_unread": "none"}, "model.channel_member.is_valid.unread_level.app_error"),
        ({"email": "yes"}, "model.channel_member.is_valid.email_value.app_error"),
        (
            {"ignore_channel_mentions": "true"},
            "model.channel_member.is_valid.ignore_channel_mentions_value.app_error",
        ),
    ]:
        expect_error(world.hamlet.put(path, body), 400, error_id)
    assert world.hamlet.ok("GET", f"/channels/{cid}/members/me")["notify_props"]["push"] == "none"
    assert (
        world.othello.put(
            f"/channels/{cid}/members/{world.hamlet.id}/notify_props", {"push": "all"}
        ).status_code
        == 403
    )


def test_channel_scheme_roles(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    cid = channel["id"]
    world.hamlet.ok("POST", f"/channels/{cid}/members", {"user_id": world.othello.id})
    path = f"/channels/{cid}/members/{world.othello.id}/schemeRoles"
    assert world.othello.put(path, {"scheme_admin": True, "scheme_user": True}).status_code == 403
    world.hamlet.ok("PUT", path, {"scheme_admin": True, "scheme_user": True})
    member = world.hamlet.ok("GET", f"/channels/{cid}/members/{world.othello.id}")
    assert member["scheme_admin"] is True and "channel_admin" in member["roles"].split()
    assert world.hamlet.put(path, {"scheme_admin": "yes"}).status_code == 400


def test_my_channels_and_members_for_team(world: World) -> None:
    team = world.team["id"]
    channels = world.hamlet.ok("GET", f"/users/me/teams/{team}/channels")
    assert {c["name"] for c in channels} == {"town-square", "off-topic"}
    members = world.hamlet.ok("GET", f"/users/me/teams/{team}/channels/members")
    assert {m["channel_id"] for m in members} == {c["id"] for c in channels}
    assert all(isinstance(m["roles"], str) for m in members)
    assert world.cordelia.get(f"/users/me/teams/{team}/channels").status_code == 403
    assert world.hamlet.get(f"/users/{world.othello.id}/teams/{team}/channels").status_code == 403
    assert world.admin.get(f"/users/{world.othello.id}/teams/{team}/channels").status_code == 200


def test_new_team_member_is_added_to_default_channels(world: World, admin: API) -> None:
    newcomer = create_user(admin, "fortinbras")
    world.iago.ok("POST", f"/teams/{world.team['id']}/members", {"user_id": newcomer.id})
    names = {c["name"] for c in newcomer.ok("GET", f"/users/me/teams/{world.team['id']}/channels")}
    assert names == {"town-square", "off-topic"}


def test_convert_channel_privacy(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    path = f"/channels/{channel['id']}/privacy"
    world.hamlet.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    assert world.othello.put(path, {"privacy": "P"}).status_code == 403
    stream = world.iago.websocket()
    try:
        assert world.hamlet.ok("PUT", path, {"privacy": "P"})["type"] == "P"
        stream.expect("channel_converted", channel_id=channel["id"])
    finally:
        stream.close()
    assert world.iago.get(f"/channels/{channel['id']}").status_code == 403
    assert world.hamlet.ok("PUT", path, {"privacy": "O"})["type"] == "O"
    assert world.hamlet.put(path, {"privacy": "D"}).status_code == 400
    town = world.town_square["id"]
    assert world.iago.put(f"/channels/{town}/privacy", {"privacy": "P"}).status_code == 400


def test_team_channels_by_ids(world: World) -> None:
    private = make_channel(world.hamlet, world, "P")
    ids = [world.town_square["id"], private["id"]]
    path = f"/teams/{world.team['id']}/channels/ids"
    assert [c["id"] for c in world.othello.ok("POST", path, ids)] == [world.town_square["id"]]
    assert {c["id"] for c in world.hamlet.ok("POST", path, ids)} == set(ids)
    assert world.othello.post(path, ["bad"]).status_code == 400
    assert world.cordelia.post(path, ids).status_code == 403


def test_channel_admins_change_member_roles_by_role_string(world: World) -> None:
    channel = make_channel(world.hamlet, world)
    cid = channel["id"]
    world.hamlet.ok("POST", f"/channels/{cid}/members", {"user_id": world.othello.id})
    path = f"/channels/{cid}/members/{world.othello.id}/roles"
    promote = {"roles": "channel_user channel_admin"}
    assert world.othello.put(path, promote).status_code == 403
    assert world.cordelia.put(path, promote).status_code == 403
    stream = world.othello.websocket()
    try:
        world.hamlet.ok("PUT", path, promote)
        event = stream.expect("channel_member_updated")
        assert '"scheme_admin":true' in event["data"]["channelMember"]
    finally:
        stream.close()
    member = world.hamlet.ok("GET", f"/channels/{cid}/members/{world.othello.id}")
    assert member["scheme_admin"] is True and member["roles"] == "channel_user channel_admin"
    # A team admin may demote, as may the new channel admin.
    world.iago.ok("PUT", path, {"roles": "channel_user"})
    member = world.hamlet.ok("GET", f"/channels/{cid}/members/{world.othello.id}")
    assert member["scheme_admin"] is False and member["roles"] == "channel_user"
    schemed = world.hamlet.ok("GET", f"/channels/{cid}/members/{world.hamlet.id}")
    world.hamlet.ok("PUT", f"/channels/{cid}/members/me/roles", {"roles": "channel_admin channel_user"})
    assert world.hamlet.ok("GET", f"/channels/{cid}/members/me")["roles"] == schemed["roles"]


@pytest.mark.parametrize(
    ("roles", "error_id"),
    [
        ("channel_user wizard", "app.role.get_by_name.app_error"),
        ("channel_user team_admin", "api.channel.update_channel_member_roles.scheme_role.app_error"),
        ("channel_user system_admin", "api.channel.update_channel_member_roles.scheme_role.app_error"),
        ("channel_admin", "api.channel.update_channel_member_roles.unset_user_scheme.app_error"),
        ("", "api.channel.update_channel_member_roles.unset_user_scheme.app_error"),
        (7, "api.context.invalid_body_param.app_error"),
        (["channel_user"], "api.context.invalid_body_param.app_error"),
        (None, "api.context.invalid_body_param.app_error"),
    ],
)
def test_channel_member_roles_reject_bad_role_strings(world: World, roles: Any, error_id: str) -> None:
    path = f"/channels/{world.town_square['id']}/members/{world.hamlet.id}/roles"
    response = world.iago.put(path, {"roles": roles})
    assert response.status_code == 400 and response.json()["id"] == error_id
    assert (
        world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/members/me")["roles"] == "channel_user"
    )


def test_channel_member_roles_need_a_member_a_visible_channel_and_no_conversation(world: World) -> None:
    promote = {"roles": "channel_user channel_admin"}
    town_square = world.town_square["id"]
    assert (
        world.iago.put(f"/channels/{town_square}/members/{world.cordelia.id}/roles", promote).status_code
        == 404
    )
    assert world.iago.put(f"/channels/{BAD_ID}/members/{world.hamlet.id}/roles", promote).status_code == 400
    assert (
        world.iago.put(f"/channels/{UNKNOWN_ID}/members/{world.hamlet.id}/roles", promote).status_code == 404
    )
    # A private channel is its members' business, whoever administers the team (decision 0004).
    private = make_channel(world.hamlet, world, "P")
    path = f"/channels/{private['id']}/members/{world.hamlet.id}/roles"
    assert world.iago.put(path, {"roles": "channel_user"}).status_code == 403
    assert world.admin.put(path, {"roles": "channel_user"}).status_code == 403
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    path = f"/channels/{direct['id']}/members/{world.othello.id}/roles"
    assert world.hamlet.put(path, promote).status_code == 403


def _list_all_channels(api: API, **query: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in range(1000):
        response = api.get("/channels", params={**query, "page": str(page), "per_page": "200"})
        assert response.status_code == 200, response.text
        chunk = response.json()
        found += chunk
        if len(chunk) < 200:
            return found
    raise AssertionError("too many pages")


def test_system_admins_list_every_teams_channels(world: World) -> None:
    private = make_channel(world.hamlet, world, "P", display_name="Arras")
    archived = make_channel(world.hamlet, world)
    world.hamlet.ok("DELETE", f"/channels/{archived['id']}")
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    listed = {c["id"]: c for c in _list_all_channels(world.admin)}
    # The admin sees that the private channel exists and what it is called (decision 0004).
    assert listed[private["id"]]["display_name"] == "Arras" and listed[private["id"]]["type"] == "P"
    town_square = listed[world.town_square["id"]]
    assert town_square["team_name"] == world.team["name"]
    assert town_square["team_display_name"] == world.team["display_name"]
    assert isinstance(town_square["team_update_at"], int) and town_square["name"] == "town-square"
    assert archived["id"] not in listed and direct["id"] not in listed
    with_deleted = {c["id"] for c in _list_all_channels(world.admin, include_deleted="true")}
    assert archived["id"] in with_deleted
    no_defaults = {c["id"] for c in _list_all_channels(world.admin, exclude_default_channels="true")}
    assert private["id"] in no_defaults and world.town_square["id"] not in no_defaults
    assert world.off_topic["id"] not in no_defaults
    counted = world.admin.ok("GET", "/channels?include_total_count=true&per_page=2")
    assert len(counted["channels"]) == 2 and counted["total_count"] == len(listed)
    assert (
        world.admin.ok("GET", "/channels?per_page=1&page=1")[0]["id"]
        != (world.admin.ok("GET", "/channels?per_page=1&page=0")[0]["id"])
    )


def test_only_system_admins_list_every_channel(world: World, anonymous: API) -> None:
    assert world.hamlet.get("/channels").status_code == 403
    assert world.iago.get("/channels").status_code == 403
    assert anonymous.get("/channels").status_code == 401
    assert world.admin.get("/channels?page=-1").status_code == 400
    assert world.admin.get("/channels?per_page=lots").status_code == 400


def test_channel_timezones_are_its_members_distinct_zones(world: World, anonymous: API) -> None:
    automatic = {
        "useAutomaticTimezone": "true",
        "automaticTimezone": "Europe/Copenhagen",
        "manualTimezone": "",
    }
    manual = {
        "useAutomaticTimezone": "false",
        "automaticTimezone": "Europe/Oslo",
        "manualTimezone": "Asia/Tokyo",
    }
    world.hamlet.ok("PUT", "/users/me/patch", {"timezone": automatic})
    world.othello.ok("PUT", "/users/me/patch", {"timezone": manual})
    world.iago.ok("PUT", "/users/me/patch", {"timezone": automatic})
    channel = make_channel(world.hamlet, world, "P")
    cid = channel["id"]
    for user in (world.othello, world.iago):
        world.hamlet.ok("POST", f"/channels/{cid}/members", {"user_id": user.id})
    assert world.othello.ok("GET", f"/channels/{cid}/timezones") == ["Asia/Tokyo", "Europe/Copenhagen"]
    alone = make_channel(world.hamlet, world)
    assert world.hamlet.ok("GET", f"/channels/{alone['id']}/timezones") == ["Europe/Copenhagen"]
    # Members only: not even an admin who may see that the channel exists.
    assert world.cordelia.get(f"/channels/{cid}/timezones").status_code == 403
    assert world.admin.get(f"/channels/{cid}/timezones").status_code == 403
    assert world.iago.get(f"/channels/{world.town_square['id']}/timezones").status_code == 200
    assert anonymous.get(f"/channels/{cid}/timezones").status_code == 401
    assert world.hamlet.get(f"/channels/{BAD_ID}/timezones").status_code == 400
    assert world.hamlet.get(f"/channels/{UNKNOWN_ID}/timezones").status_code == 404


def test_supported_timezones_for_signed_in_users(world: World, anonymous: API) -> None:
    zones = world.cordelia.ok("GET", "/system/timezones")
    assert "Europe/Copenhagen" in zones and "Asia/Tokyo" in zones and zones == sorted(zones)
    assert anonymous.get("/system/timezones").status_code == 401
