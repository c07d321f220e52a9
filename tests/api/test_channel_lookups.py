"""The caller's own channels across teams: group messages by member name, all memberships."""

from tests.api.test_posts import private_channel
from tests.support.client import World, create_user, expect_error


def test_group_messages_are_found_by_their_members_names(world: World) -> None:
    group = world.hamlet.ok("POST", "/channels/group", [world.hamlet.id, world.othello.id, world.iago.id])
    other = world.hamlet.ok("POST", "/channels/group", [world.hamlet.id, world.othello.id, world.cordelia.id])
    found = world.hamlet.ok("POST", "/channels/group/search", {"term": world.iago.username[:6]})
    assert [c["id"] for c in found] == [group["id"]]
    both = world.hamlet.ok("POST", "/channels/group/search", {"term": world.othello.username.upper()})
    assert sorted(c["id"] for c in both) == sorted([group["id"], other["id"]])
    # Someone outside a group never finds it, whatever the term.
    outsider = create_user(world.admin, "outsider")
    assert outsider.ok("POST", "/channels/group/search", {"term": world.iago.username}) == []
    expect_error(
        world.hamlet.post("/channels/group/search", {"term": 7}),
        400,
        "api.context.invalid_body_param.app_error",
    )


def test_a_user_lists_their_own_channel_memberships_across_teams(world: World) -> None:
    secret = private_channel(world, world.hamlet)
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    members = world.hamlet.ok("GET", f"/users/{world.hamlet.id}/channel_members?per_page=200")
    by_channel = {m["channel_id"]: m for m in members}
    assert {secret["id"], direct["id"], world.town_square["id"]} <= set(by_channel)
    assert all(m["user_id"] == world.hamlet.id for m in members)
    assert by_channel[secret["id"]]["team_name"] == world.team["name"]
    assert by_channel[direct["id"]]["team_name"] == ""
    first = world.hamlet.ok("GET", "/users/me/channel_members?page=0&per_page=1")
    second = world.hamlet.ok("GET", "/users/me/channel_members?page=1&per_page=1")
    assert len(first) == len(second) == 1 and first[0]["channel_id"] != second[0]["channel_id"]
    # Someone else's memberships are theirs, and a system admin's to see.
    expect_error(
        world.othello.get(f"/users/{world.hamlet.id}/channel_members"),
        403,
        "api.context.permissions.app_error",
    )
    assert secret["id"] in {
        m["channel_id"] for m in world.admin.ok("GET", f"/users/{world.hamlet.id}/channel_members")
    }
