"""POST /users/search: filters, names in any script, and no private membership revealed."""

from typing import Any

from tests.api.test_posts import private_channel
from tests.support.client import API, World, create_user, expect_error, unique


def search(api: API, term: str, **filters: Any) -> list[str]:
    return [u["username"] for u in api.ok("POST", "/users/search", {"term": term, **filters})]


def named(world: World, name: str, **names: str) -> API:
    """A new member of the world's team with these names."""
    user = create_user(world.admin, name)
    world.admin.ok("PUT", f"/users/{user.id}/patch", names)
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": user.id}
    )
    return user


def test_search_by_username_names_and_nickname_in_a_team(world: World) -> None:
    team_id = world.team["id"]
    assert search(world.othello, world.hamlet.username[:8], team_id=team_id) == [world.hamlet.username]
    surname = unique("Dane")
    prince = named(world, "prince", first_name="Prince", last_name=surname, nickname="sweet")
    assert search(world.othello, surname.lower(), team_id=team_id) == [prince.username]
    assert search(world.othello, f"prince {surname.upper()}", team_id=team_id) == [prince.username]
    assert prince.username in search(world.othello, "SWEET", team_id=team_id)
    assert search(world.othello, "nobody-by-this-name", team_id=team_id) == []
    # Outside the team, the same term finds nobody of it.
    assert search(world.othello, surname, not_in_team_id=team_id) == []
    assert (
        search(world.othello, "", team_id=team_id, limit=2)
        == sorted([world.hamlet.username, world.iago.username, world.othello.username, prince.username])[:2]
    )


def test_a_cyrillic_term_matches_whatever_its_case(world: World) -> None:
    surname = "Петров" + unique("")
    andrei = named(world, "andrei", first_name="Андрей", last_name=surname)
    assert search(world.hamlet, "андр", team_id=world.team["id"]) == [andrei.username]
    assert search(world.hamlet, "АНДРЕЙ", team_id=world.team["id"]) == [andrei.username]
    assert search(world.hamlet, surname.lower()) == [andrei.username]


def test_e_mail_addresses_match_only_for_admins(world: World) -> None:
    address = world.cordelia.ok("GET", "/users/me")["email"]
    assert search(world.admin, address) == [world.cordelia.username]
    assert search(world.hamlet, address) == []


def test_channel_filters_and_deactivated_users(world: World) -> None:
    team_id = world.team["id"]
    secret = private_channel(world, world.hamlet, world.othello)
    prefix = world.othello.username[:7]
    assert search(world.hamlet, prefix, team_id=team_id, in_channel_id=secret["id"]) == [
        world.othello.username
    ]
    assert search(world.hamlet, prefix, team_id=team_id, not_in_channel_id=secret["id"]) == []
    assert search(world.hamlet, world.iago.username, team_id=team_id, not_in_channel_id=secret["id"]) == [
        world.iago.username
    ]
    expect_error(
        world.hamlet.post("/users/search", {"term": "x", "not_in_channel_id": secret["id"]}),
        400,
        "api.context.invalid_param.app_error",
    )
    leaving = named(world, "leaving")
    world.admin.ok("DELETE", f"/users/{leaving.id}")
    assert search(world.hamlet, leaving.username, team_id=team_id) == []
    assert search(world.hamlet, leaving.username, team_id=team_id, allow_inactive=True) == [leaving.username]


def test_no_private_membership_is_revealed_to_outsiders(world: World) -> None:
    secret = private_channel(world, world.hamlet, world.othello)
    for filters in (
        {"in_channel_id": secret["id"]},
        {"team_id": world.team["id"], "not_in_channel_id": secret["id"]},
    ):
        expect_error(
            world.iago.post("/users/search", {"term": world.othello.username, **filters}),
            403,
            "api.context.permissions.app_error",
        )
    # Nor the members of a team to someone outside it.
    expect_error(
        world.cordelia.post("/users/search", {"term": "", "team_id": world.team["id"]}),
        403,
        "api.context.permissions.app_error",
    )


def test_bad_searches_are_refused(world: World) -> None:
    for body in (
        {"term": 5},
        {"term": "x", "team_id": "short"},
        {"term": "x", "limit": "ten"},
        {"term": "x" * 65},
    ):
        expect_error(
            world.hamlet.post("/users/search", body), 400, "api.context.invalid_body_param.app_error"
        )
