"""User groups, which Villagepump does not have: the routes the licensed mobile app calls say
there are none, and check what Mattermost checks so that they reveal nothing."""

from tests.api.test_posts import private_channel
from tests.support.client import World, expect_error


def test_there_are_no_groups_anywhere_a_member_may_look(world: World) -> None:
    hamlet = world.hamlet
    assert hamlet.ok("GET", "/groups?q=dev&include_member_count=true&filter_allow_reference=true") == []
    empty = {"groups": [], "total_group_count": 0}
    assert hamlet.ok("GET", f"/channels/{world.town_square['id']}/groups?paginate=false") == empty
    assert hamlet.ok("GET", f"/teams/{world.team['id']}/groups?paginate=false") == empty
    assert hamlet.ok("GET", f"/users/{hamlet.id}/groups") == []
    assert world.admin.ok("GET", f"/users/{hamlet.id}/groups") == []


def test_the_group_routes_check_who_asks(world: World) -> None:
    private = private_channel(world, world.othello)
    expect_error(
        world.hamlet.get(f"/channels/{private['id']}/groups"), 403, "api.context.permissions.app_error"
    )
    expect_error(
        world.hamlet.get(f"/users/{world.othello.id}/groups"), 403, "api.context.permissions.app_error"
    )
    expect_error(
        world.hamlet.get("/channels/" + "x" * 26 + "/groups"), 404, "app.channel.get.existing.app_error"
    )
    assert world.hamlet.get("/teams/bad/groups").status_code == 400
