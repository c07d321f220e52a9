"""Sidebar categories, through the API. The mobile app shows a channel only through them."""

from typing import Any

from tests.support.client import API, World, unique

UNKNOWN_ID = "a" * 26


def categories_path(world: World, user: str = "me") -> str:
    return f"/users/{user}/teams/{world.team['id']}/channels/categories"


def sidebar(api: API, world: World) -> dict[str, Any]:
    return api.ok("GET", categories_path(world))  # type: ignore[no-any-return]


def by_type(result: dict[str, Any], category_type: str) -> dict[str, Any]:
    return next(c for c in result["categories"] if c["type"] == category_type)


def make_channel(api: API, world: World, channel_type: str = "O") -> dict[str, Any]:
    body = {
        "team_id": world.team["id"],
        "name": unique("ch-"),
        "display_name": "Chapel",
        "type": channel_type,
    }
    return api.ok("POST", "/channels", body)  # type: ignore[no-any-return]


def all_placed(result: dict[str, Any]) -> list[str]:
    return [cid for c in result["categories"] for cid in c["channel_ids"]]


def test_default_categories_hold_every_channel_once(world: World) -> None:
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    gm = world.hamlet.ok("POST", "/channels/group", [world.othello.id, world.iago.id])
    private = make_channel(world.hamlet, world, "P")
    result = sidebar(world.hamlet, world)
    assert [c["type"] for c in result["categories"]] == ["favorites", "channels", "direct_messages"]
    assert result["order"] == [c["id"] for c in result["categories"]]
    category = result["categories"][0]
    assert set(category) >= {
        "id",
        "user_id",
        "team_id",
        "type",
        "display_name",
        "sort_order",
        "sorting",
        "muted",
        "collapsed",
        "channel_ids",
    }
    assert category["user_id"] == world.hamlet.id and category["team_id"] == world.team["id"]
    assert set(by_type(result, "channels")["channel_ids"]) == {
        world.town_square["id"],
        world.off_topic["id"],
        private["id"],
    }
    assert set(by_type(result, "direct_messages")["channel_ids"]) == {dm["id"], gm["id"]}
    placed = all_placed(result)
    assert len(placed) == len(set(placed))
    # Asking again gives the same categories, not new ones.
    assert sidebar(world.hamlet, world)["order"] == result["order"]


def test_direct_messages_appear_in_every_team(world: World) -> None:
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    other_team = world.hamlet.ok(
        "POST", "/teams", {"name": unique("wittenberg-"), "display_name": "Wittenberg", "type": "O"}
    )
    path = f"/users/me/teams/{other_team['id']}/channels/categories"
    result = world.hamlet.ok("GET", path)
    assert dm["id"] in by_type(result, "direct_messages")["channel_ids"]
    assert world.town_square["id"] not in all_placed(result)


def test_joined_and_left_channels_follow(world: World) -> None:
    sidebar(world.othello, world)
    channel = make_channel(world.hamlet, world)
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    assert channel["id"] in by_type(sidebar(world.othello, world), "channels")["channel_ids"]
    world.othello.ok("DELETE", f"/channels/{channel['id']}/members/me")
    assert channel["id"] not in all_placed(sidebar(world.othello, world))


def test_move_channel_to_favorites_and_back(world: World) -> None:
    result = sidebar(world.hamlet, world)
    favorites = by_type(result, "favorites")
    town = world.town_square["id"]
    stream = world.hamlet.websocket()
    try:
        updated = world.hamlet.ok(
            "PUT", f"{categories_path(world)}/{favorites['id']}", {**favorites, "channel_ids": [town]}
        )
        event = stream.expect("sidebar_category_updated")
        assert isinstance(event["data"]["updatedCategories"], str)
    finally:
        stream.close()
    assert updated["channel_ids"] == [town]
    result = sidebar(world.hamlet, world)
    assert town not in by_type(result, "channels")["channel_ids"]
    assert by_type(result, "favorites")["channel_ids"] == [town]
    world.hamlet.ok("PUT", f"{categories_path(world)}/{favorites['id']}", {**favorites, "channel_ids": []})
    assert town in by_type(sidebar(world.hamlet, world), "channels")["channel_ids"]


def test_custom_category_lifecycle(world: World) -> None:
    path = categories_path(world)
    stream = world.hamlet.websocket()
    try:
        created = world.hamlet.ok(
            "POST", path, {"display_name": "Plays", "channel_ids": [world.off_topic["id"]]}
        )
        assert stream.expect("sidebar_category_created")["data"]["category_id"] == created["id"]
    finally:
        stream.close()
    assert created["type"] == "custom" and created["channel_ids"] == [world.off_topic["id"]]
    result = sidebar(world.hamlet, world)
    assert result["order"][0] == created["id"]
    assert world.off_topic["id"] not in by_type(result, "channels")["channel_ids"]
    renamed = world.hamlet.ok(
        "PUT",
        f"{path}/{created['id']}",
        {"id": created["id"], "display_name": "Tragedies", "sorting": "alpha", "collapsed": True},
    )
    assert (
        renamed["display_name"] == "Tragedies"
        and renamed["sorting"] == "alpha"
        and renamed["collapsed"] is True
    )
    assert world.hamlet.ok("GET", f"{path}/{created['id']}")["display_name"] == "Tragedies"
    world.hamlet.ok("DELETE", f"{path}/{created['id']}")
    result = sidebar(world.hamlet, world)
    assert created["id"] not in result["order"]
    assert world.off_topic["id"] in by_type(result, "channels")["channel_ids"]
    assert world.hamlet.get(f"{path}/{created['id']}").status_code == 404


def test_default_categories_cannot_be_deleted_or_renamed(world: World) -> None:
    path = categories_path(world)
    channels = by_type(sidebar(world.hamlet, world), "channels")
    assert world.hamlet.delete(f"{path}/{channels['id']}").status_code == 400
    kept = world.hamlet.ok("PUT", f"{path}/{channels['id']}", {"id": channels["id"], "display_name": "Other"})
    assert kept["display_name"] == "Channels"


def test_reorder_categories(world: World) -> None:
    path = categories_path(world)
    order = world.hamlet.ok("GET", f"{path}/order")
    assert order == sidebar(world.hamlet, world)["order"]
    reversed_order = list(reversed(order))
    stream = world.hamlet.websocket()
    try:
        assert world.hamlet.ok("PUT", f"{path}/order", reversed_order) == reversed_order
        assert stream.expect("sidebar_category_order_updated")["data"]["order"] == reversed_order
    finally:
        stream.close()
    assert world.hamlet.ok("GET", f"{path}/order") == reversed_order
    assert world.hamlet.put(f"{path}/order", order[:2]).status_code == 400
    assert world.hamlet.put(f"{path}/order", [*order, UNKNOWN_ID]).status_code == 400
    assert world.hamlet.put(f"{path}/order", {"not": "a list"}).status_code == 400


def test_bulk_update(world: World) -> None:
    path = categories_path(world)
    result = sidebar(world.hamlet, world)
    favorites, channels = by_type(result, "favorites"), by_type(result, "channels")
    town, off = world.town_square["id"], world.off_topic["id"]
    updated = world.hamlet.ok(
        "PUT",
        path,
        [{**favorites, "channel_ids": [off, town]}, {**channels, "channel_ids": [], "sorting": "recent"}],
    )
    assert [c["id"] for c in updated] == [favorites["id"], channels["id"]]
    assert updated[0]["channel_ids"] == [off, town] and updated[1]["sorting"] == "recent"


def test_bad_category_updates(world: World) -> None:
    path = categories_path(world)
    result = sidebar(world.hamlet, world)
    channels, dms = by_type(result, "channels"), by_type(result, "direct_messages")
    private = make_channel(world.othello, world, "P")
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.iago.id])
    # Only channels of one's own, and each kind in its own default category.
    assert (
        world.hamlet.put(
            f"{path}/{channels['id']}", {"id": channels["id"], "channel_ids": [private["id"]]}
        ).status_code
        == 400
    )
    assert (
        world.hamlet.put(
            f"{path}/{channels['id']}", {"id": channels["id"], "channel_ids": [dm["id"]]}
        ).status_code
        == 400
    )
    assert (
        world.hamlet.put(
            f"{path}/{dms['id']}", {"id": dms["id"], "channel_ids": [world.town_square["id"]]}
        ).status_code
        == 400
    )
    assert (
        world.hamlet.put(f"{path}/{channels['id']}", {"id": channels["id"], "channel_ids": "x"}).status_code
        == 400
    )
    assert (
        world.hamlet.put(
            f"{path}/{channels['id']}", {"id": channels["id"], "sorting": "sideways"}
        ).status_code
        == 400
    )
    assert (
        world.hamlet.put(f"{path}/{channels['id']}", {"id": channels["id"], "muted": "yes"}).status_code
        == 400
    )
    assert world.hamlet.put(f"{path}/{channels['id']}", {"id": UNKNOWN_ID}).status_code == 400
    assert world.hamlet.put(f"{path}/{UNKNOWN_ID}", {"id": UNKNOWN_ID}).status_code == 404
    assert world.hamlet.put(f"{path}/not-an-id", {}).status_code == 400
    assert world.hamlet.post(path, {"display_name": ""}).status_code == 400
    assert world.hamlet.post(path, {"display_name": 3}).status_code == 400
    assert world.hamlet.put(path, [{"id": "bad"}]).status_code == 400


def test_categories_are_private_to_their_user(world: World) -> None:
    mine = by_type(sidebar(world.hamlet, world), "channels")
    assert world.othello.get(categories_path(world, world.hamlet.id)).status_code == 403
    path = f"{categories_path(world)}/{mine['id']}"
    assert world.othello.get(path).status_code == 404
    assert world.othello.put(path, {"id": mine["id"], "collapsed": True}).status_code == 404
    assert world.cordelia.get(categories_path(world)).status_code == 403
    assert world.admin.get(categories_path(world, world.hamlet.id)).status_code == 200


def test_muting_a_category_mutes_its_channels(world: World) -> None:
    path = categories_path(world)
    created = world.hamlet.ok("POST", path, {"display_name": "Quiet", "channel_ids": [world.off_topic["id"]]})
    world.hamlet.ok("PUT", f"{path}/{created['id']}", {"id": created["id"], "muted": True})
    member = world.hamlet.ok("GET", f"/channels/{world.off_topic['id']}/members/me")
    assert member["notify_props"]["mark_unread"] == "mention"
    world.hamlet.ok("PUT", f"{path}/{created['id']}", {"id": created["id"], "muted": False})
    member = world.hamlet.ok("GET", f"/channels/{world.off_topic['id']}/members/me")
    assert member["notify_props"]["mark_unread"] == "all"


def favorite_preference(api: API, channel_id: str) -> str | None:
    response = api.get(f"/users/me/preferences/favorite_channel/name/{channel_id}")
    return response.json()["value"] if response.status_code == 200 else None  # type: ignore[no-any-return]


def test_favoriting_through_the_sidebar_sets_the_favorite_preference(world: World) -> None:
    result = sidebar(world.hamlet, world)
    favorites, channels = by_type(result, "favorites"), by_type(result, "channels")
    town, off = world.town_square["id"], world.off_topic["id"]
    path = f"{categories_path(world)}/{favorites['id']}"
    world.hamlet.ok("PUT", path, {**favorites, "channel_ids": [town, off]})
    assert (favorite_preference(world.hamlet, town), favorite_preference(world.hamlet, off)) == (
        "true",
        "true",
    )
    assert favorite_preference(world.othello, town) is None
    world.hamlet.ok("PUT", path, {**favorites, "channel_ids": [off]})
    assert favorite_preference(world.hamlet, town) is None
    # Moving a favorite into another category, in a bulk update, takes the preference away too.
    world.hamlet.ok("PUT", categories_path(world), [{**channels, "channel_ids": [town, off]}])
    assert favorite_preference(world.hamlet, off) is None
    assert by_type(sidebar(world.hamlet, world), "favorites")["channel_ids"] == []


def test_the_favorite_preference_moves_the_channel_in_and_out_of_favorites(world: World) -> None:
    sidebar(world.hamlet, world)
    town = world.town_square["id"]
    item = {"user_id": world.hamlet.id, "category": "favorite_channel", "name": town, "value": "true"}
    stream = world.hamlet.websocket()
    try:
        world.hamlet.ok("PUT", "/users/me/preferences", [item])
        stream.expect("sidebar_category_updated")
        stream.expect("preferences_changed")
    finally:
        stream.close()
    result = sidebar(world.hamlet, world)
    assert by_type(result, "favorites")["channel_ids"] == [town]
    assert town not in by_type(result, "channels")["channel_ids"]
    world.hamlet.ok("PUT", "/users/me/preferences", [{**item, "value": "false"}])
    result = sidebar(world.hamlet, world)
    assert town in by_type(result, "channels")["channel_ids"]
    assert by_type(result, "favorites")["channel_ids"] == []
    world.hamlet.ok("PUT", "/users/me/preferences", [item])
    stream = world.hamlet.websocket()
    try:
        world.hamlet.ok("POST", "/users/me/preferences/delete", [item])
        stream.expect("sidebar_category_updated")
        stream.expect("preferences_deleted")
    finally:
        stream.close()
    assert by_type(sidebar(world.hamlet, world), "favorites")["channel_ids"] == []
    assert all_placed(sidebar(world.hamlet, world)).count(town) == 1


def test_a_favorite_direct_message_is_a_favorite_in_every_team(world: World, admin: API) -> None:
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    other_team = admin.ok(
        "POST", "/teams", {"name": unique("elsinore-"), "display_name": "Elsinore", "type": "O"}
    )
    admin.ok(
        "POST",
        f"/teams/{other_team['id']}/members",
        {"team_id": other_team["id"], "user_id": world.hamlet.id},
    )
    other_path = f"/users/me/teams/{other_team['id']}/channels/categories"
    sidebar(world.hamlet, world)
    world.hamlet.ok("GET", other_path)
    item = {"user_id": world.hamlet.id, "category": "favorite_channel", "name": dm["id"], "value": "true"}
    world.hamlet.ok("PUT", "/users/me/preferences", [item])
    assert by_type(sidebar(world.hamlet, world), "favorites")["channel_ids"] == [dm["id"]]
    assert by_type(world.hamlet.ok("GET", other_path), "favorites")["channel_ids"] == [dm["id"]]
    assert dm["id"] not in by_type(world.hamlet.ok("GET", other_path), "direct_messages")["channel_ids"]


def test_favoriting_a_channel_one_is_not_in_changes_no_sidebar(world: World) -> None:
    private = make_channel(world.othello, world, "P")
    item = {
        "user_id": world.hamlet.id,
        "category": "favorite_channel",
        "name": private["id"],
        "value": "true",
    }
    world.hamlet.ok("PUT", "/users/me/preferences", [item])
    assert private["id"] not in all_placed(sidebar(world.hamlet, world))
