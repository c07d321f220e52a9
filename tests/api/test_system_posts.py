"""Mattermost's system messages: who joined, left, was added or removed, and what changed in a channel."""

from typing import Any

from tests.api.test_posts import post, private_channel
from tests.api.test_unreads import member, unread, view
from tests.support.client import API, World, unique


def system_posts(api: API, channel: dict[str, Any]) -> list[dict[str, Any]]:
    """The channel's system messages, oldest first."""
    page = api.ok("GET", f"/channels/{channel['id']}/posts")
    newest_first = [page["posts"][post_id] for post_id in page["order"]]
    return [p for p in reversed(newest_first) if p["type"].startswith("system_")]


def last_system_post(api: API, channel: dict[str, Any]) -> dict[str, Any]:
    return system_posts(api, channel)[-1]


def public_channel(owner: API, world: World) -> dict[str, Any]:
    return owner.ok(  # type: ignore[no-any-return]
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("stage-"), "display_name": "Stage", "type": "O"},
    )


def test_creating_a_channel_and_joining_it_are_announced(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    created = last_system_post(world.hamlet, channel)
    assert (created["type"], created["user_id"]) == ("system_join_channel", world.hamlet.id)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    joined = last_system_post(world.othello, channel)
    assert joined["type"] == "system_join_channel"
    assert joined["user_id"] == world.othello.id
    assert joined["message"] == f"{world.othello.username} joined the channel."
    assert joined["props"] == {"username": world.othello.username}
    assert joined["root_id"] == ""


def test_joins_and_leaves_make_no_channel_unread_and_mention_nobody(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    view(world.hamlet, channel)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    world.hamlet.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.iago.id})
    assert unread(world.hamlet, world, channel) == (0, 0)
    assert unread(world.othello, world, channel) == (0, 0)
    assert unread(world.iago, world, channel) == (0, 0)
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}/members/{world.iago.id}")
    world.othello.ok("DELETE", f"/channels/{channel['id']}/members/{world.othello.id}")
    assert unread(world.hamlet, world, channel) == (0, 0)
    fresh = world.hamlet.ok("GET", f"/channels/{channel['id']}")
    assert fresh["last_post_at"] == last_system_post(world.hamlet, channel)["create_at"]
    types = [p["type"] for p in system_posts(world.hamlet, channel)]
    assert types == [
        "system_join_channel",
        "system_join_channel",
        "system_add_to_channel",
        "system_remove_from_channel",
        "system_leave_channel",
    ]


def test_leaving_a_channel(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    world.othello.ok("DELETE", f"/channels/{channel['id']}/members/{world.othello.id}")
    left = last_system_post(world.hamlet, channel)
    assert left["type"] == "system_leave_channel"
    assert left["user_id"] == world.othello.id
    assert left["message"] == f"@{world.othello.username} left the channel."
    assert left["props"] == {"username": world.othello.username}


def test_being_added_and_removed_by_someone_else(world: World) -> None:
    channel = private_channel(world, world.hamlet, world.othello)
    added = last_system_post(world.othello, channel)
    assert added["type"] == "system_add_to_channel"
    assert added["user_id"] == world.hamlet.id
    assert added["message"] == f"{world.othello.username} added to the channel by {world.hamlet.username}."
    assert added["props"] == {
        "userId": world.hamlet.id,
        "username": world.hamlet.username,
        "addedUserId": world.othello.id,
        "addedUsername": world.othello.username,
    }
    world.hamlet.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.iago.id})
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}/members/{world.iago.id}")
    removed = last_system_post(world.hamlet, channel)
    assert removed["type"] == "system_remove_from_channel"
    assert removed["user_id"] == world.hamlet.id
    assert removed["message"] == f"@{world.iago.username} removed from the channel."
    assert removed["props"] == {"removedUserId": world.iago.id, "removedUsername": world.iago.username}
    assert unread(world.othello, world, channel) == (0, 0)


def test_creating_a_team_and_joining_it_are_announced(world: World) -> None:
    town_square = system_posts(world.hamlet, world.town_square)
    assert [(p["type"], p["user_id"]) for p in town_square] == [
        ("system_join_team", world.admin.id),
        ("system_join_team", world.hamlet.id),
        ("system_join_team", world.othello.id),
        ("system_join_team", world.iago.id),
    ]
    assert town_square[1]["message"] == f"{world.hamlet.username} joined the team."
    assert town_square[1]["props"] == {"username": world.hamlet.username}
    off_topic = system_posts(world.hamlet, world.off_topic)
    assert [(p["type"], p["user_id"]) for p in off_topic] == [
        ("system_join_channel", world.admin.id),
        ("system_join_channel", world.hamlet.id),
        ("system_join_channel", world.othello.id),
        ("system_join_channel", world.iago.id),
    ]
    assert unread(world.hamlet, world, world.town_square) == (0, 0)


def test_added_to_a_team_by_someone_else_then_leaving_or_removed(world: World) -> None:
    team_id = world.team["id"]
    world.iago.ok(
        "POST", f"/teams/{team_id}/members/batch", [{"team_id": team_id, "user_id": world.cordelia.id}]
    )
    added = last_system_post(world.cordelia, world.town_square)
    assert added["type"] == "system_add_to_team"
    assert added["user_id"] == world.iago.id
    assert added["message"] == f"{world.cordelia.username} added to the team by {world.iago.username}."
    assert added["props"] == {
        "userId": world.iago.id,
        "username": world.iago.username,
        "addedUserId": world.cordelia.id,
        "addedUsername": world.cordelia.username,
    }
    assert last_system_post(world.cordelia, world.off_topic)["type"] == "system_add_to_channel"
    world.cordelia.ok("DELETE", f"/teams/{team_id}/members/{world.cordelia.id}")
    left = last_system_post(world.hamlet, world.town_square)
    assert (left["type"], left["user_id"]) == ("system_leave_team", world.cordelia.id)
    assert left["message"] == f"{world.cordelia.username} left the team."
    world.iago.ok("DELETE", f"/teams/{team_id}/members/{world.othello.id}")
    removed = last_system_post(world.hamlet, world.town_square)
    # Mattermost posts a removal from the team as the removed user.
    assert (removed["type"], removed["user_id"]) == ("system_remove_from_team", world.othello.id)
    assert removed["message"] == f"{world.othello.username} removed from the team."
    assert removed["props"] == {"username": world.othello.username}


def test_header_purpose_and_display_name_changes(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    view(world.othello, channel)
    name = world.hamlet.username
    header = f"Ask @{world.othello.username} @channel"
    world.hamlet.ok("PUT", f"/channels/{channel['id']}/patch", {"header": header})
    world.hamlet.ok("PUT", f"/channels/{channel['id']}/patch", {"header": "Rules", "purpose": "Plays"})
    world.hamlet.ok("PUT", f"/channels/{channel['id']}/patch", {"header": "", "display_name": "Globe"})
    changes = [p for p in system_posts(world.hamlet, channel) if p["type"] != "system_join_channel"]
    assert [(p["type"], p["message"], p["props"]) for p in changes] == [
        (
            "system_header_change",
            f"{name} updated the channel header to: {header}",
            {"username": name, "old_header": "", "new_header": header},
        ),
        (
            "system_header_change",
            f"{name} updated the channel header from: {header} to: Rules",
            {"username": name, "old_header": header, "new_header": "Rules"},
        ),
        (
            "system_purpose_change",
            f"{name} updated the channel purpose to: Plays",
            {"username": name, "old_purpose": "", "new_purpose": "Plays"},
        ),
        (
            "system_displayname_change",
            f"{name} updated the channel display name from: Stage to: Globe",
            {"username": name, "old_displayname": "Stage", "new_displayname": "Globe"},
        ),
        (
            "system_header_change",
            f"{name} removed the channel header (was: Rules)",
            {"username": name, "old_header": "Rules", "new_header": ""},
        ),
    ]
    assert all(p["user_id"] == world.hamlet.id for p in changes)
    # Others have five new messages to read, and none mentions them; the one who changed it has read them.
    assert unread(world.othello, world, channel) == (5, 0)
    assert unread(world.hamlet, world, channel) == (0, 0)
    # A patch that changes nothing says nothing.
    world.hamlet.ok("PUT", f"/channels/{channel['id']}/patch", {"header": ""})
    assert len(system_posts(world.hamlet, channel)) == 2 + len(changes)


def test_archiving_and_restoring_a_channel(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    view(world.othello, channel)
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}")
    archived = last_system_post(world.hamlet, channel)
    assert (archived["type"], archived["user_id"]) == ("system_channel_deleted", world.hamlet.id)
    assert archived["message"] == f"{world.hamlet.username} archived the channel."
    assert archived["props"] == {"username": world.hamlet.username}
    assert unread(world.othello, world, channel) == (1, 0)
    world.admin.ok("POST", f"/channels/{channel['id']}/restore")
    restored = last_system_post(world.hamlet, channel)
    assert (restored["type"], restored["user_id"]) == ("system_channel_restored", world.admin.id)
    assert restored["message"] == f"{world.admin.username} unarchived the channel."
    assert restored["props"] == {"username": world.admin.username}


def test_direct_and_group_messages_get_no_membership_messages(world: World) -> None:
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    group = world.hamlet.ok("POST", "/channels/group", [world.hamlet.id, world.othello.id, world.iago.id])
    for channel in (direct, group):
        assert system_posts(world.hamlet, channel) == []
        assert world.hamlet.ok("GET", f"/channels/{channel['id']}")["total_msg_count"] == 0


def test_system_messages_cannot_be_edited(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    joined = last_system_post(world.hamlet, channel)
    response = world.hamlet.put(f"/posts/{joined['id']}/patch", json={"message": "I never joined"})
    assert response.status_code == 400
    assert response.json()["id"] == "api.post.update_post.system_message.app_error"


def test_marking_unread_counts_no_joins_and_no_mentions_in_system_messages(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    first = post(world.othello, channel, "first")
    world.hamlet.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.iago.id})
    world.hamlet.ok("PUT", f"/channels/{channel['id']}/patch", {"header": f"@{world.othello.username}"})
    post(world.iago, channel, "last")
    view(world.othello, channel)
    world.othello.ok("POST", f"/users/{world.othello.id}/posts/{first['id']}/set_unread")
    # "first", the header change and "last"; iago being added is not counted.
    assert unread(world.othello, world, channel) == (3, 0)
    assert member(world.othello, world, channel)["mention_count"] == 0


def test_a_new_member_hears_they_were_added_before_the_message_saying_so(world: World) -> None:
    channel = private_channel(world, world.hamlet)
    stream = world.othello.websocket()
    try:
        world.hamlet.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
        stream.expect("user_added", user_id=world.othello.id)
        posted = stream.expect("posted")
        assert '"system_add_to_channel"' in posted["data"]["post"]
        assert "mentions" not in posted["data"]
        # The leaver hears their leave message, then that they left.
        world.othello.ok("DELETE", f"/channels/{channel['id']}/members/{world.othello.id}")
        posted = stream.expect("posted")
        assert '"system_leave_channel"' in posted["data"]["post"]
        stream.expect("user_removed", channel_id=channel["id"])
    finally:
        stream.close()


def test_converting_a_channel_is_announced_between_updated_and_converted(world: World) -> None:
    channel = public_channel(world.hamlet, world)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    view(world.othello, channel)
    path = f"/channels/{channel['id']}/privacy"
    stream = world.othello.websocket()
    try:
        world.hamlet.ok("PUT", path, {"privacy": "P"})
        stream.expect("channel_converted", channel_id=channel["id"])
    finally:
        stream.close()
    wanted = ("channel_updated", "posted", "channel_converted")
    assert [m["event"] for m in stream.seen if m.get("event") in wanted] == list(wanted)
    to_private = last_system_post(world.hamlet, channel)
    assert to_private["type"] == "system_change_chan_privacy"
    assert to_private["user_id"] == world.hamlet.id
    assert to_private["message"] == "This channel has been converted to a Private Channel."
    assert to_private["props"] == {"username": world.hamlet.username}
    assert unread(world.othello, world, channel) == (1, 0)
    assert unread(world.hamlet, world, channel) == (0, 0)
    world.hamlet.ok("PUT", path, {"privacy": "O"})
    to_public = last_system_post(world.othello, channel)
    assert to_public["message"] == (
        "This channel has been converted to a Public Channel and can be joined by any team member."
    )
    assert to_public["create_at"] > to_private["create_at"]
    world.hamlet.ok("PUT", path, {"privacy": "O"})
    assert (
        len([p for p in system_posts(world.hamlet, channel) if p["type"] == "system_change_chan_privacy"])
        == 2
    )
