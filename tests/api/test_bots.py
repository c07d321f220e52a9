"""Bot accounts (/bots), through the API: made by a system admin when bot creation is on,
acting with personal access tokens only."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.test_posts import post
from tests.support.client import API, PASSWORD, World, expect_error, unique


@pytest.fixture
def bots_on(admin: API) -> Iterator[None]:
    admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": True}})
    yield
    admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": False}})


def make_bot(admin: API, **fields: Any) -> dict[str, Any]:
    body = {"username": unique("bot-"), "display_name": "Relay", "description": "relays", **fields}
    return admin.ok("POST", "/bots", body)  # type: ignore[no-any-return]


def bot_api(world: World, bot: dict[str, Any]) -> API:
    token = world.admin.ok("POST", f"/users/{bot['user_id']}/tokens", {"description": "for tests"})["token"]
    api = API(world.admin.base_url, token)
    api.user = api.ok("GET", "/users/me")
    return api


def test_creating_a_bot_needs_the_setting_and_a_system_admin(world: World) -> None:
    world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": False}})
    expect_error(world.admin.post("/bots", {"username": unique("bot-")}), 403, "api.bot.create_disabled")
    world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": True}})
    try:
        expect_error(
            world.hamlet.post("/bots", {"username": unique("bot-")}), 403, "api.context.permissions.app_error"
        )
        expect_error(
            world.admin.post("/bots", {"username": "Not Valid!"}),
            400,
            "model.user.is_valid.username.app_error",
        )
        expect_error(
            world.admin.post("/bots", {"username": 7}), 400, "api.context.invalid_body_param.app_error"
        )
        client = world.admin.ok("GET", "/config/client?format=old")
        assert client["EnableBotAccountCreation"] == "true"
    finally:
        world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": False}})


def test_a_bot_is_a_user_that_posts_with_a_token_and_never_logs_in(world: World, bots_on: None) -> None:
    bot = make_bot(world.admin)
    assert bot["owner_id"] == world.admin.id and bot["display_name"] == "Relay" and bot["delete_at"] == 0
    user = world.admin.ok("GET", f"/users/{bot['user_id']}")
    assert user["is_bot"] is True and user["bot_description"] == "relays"
    assert user["username"] == bot["username"]
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": bot["user_id"]}
    )
    world.admin.ok("POST", f"/channels/{world.town_square['id']}/members", {"user_id": bot["user_id"]})
    as_bot = bot_api(world, bot)
    said = post(as_bot, world.town_square, "beep")
    assert said["user_id"] == bot["user_id"]
    for password in ("anything-at-all", PASSWORD):
        response = httpx.post(
            world.admin.base_url + "/api/v4/users/login",
            json={"login_id": bot["username"], "password": password},
        )
        assert response.status_code == 401, response.text


def test_listing_patching_disabling_and_assigning_bots(world: World, bots_on: None) -> None:
    bot = make_bot(world.admin)
    listed = world.admin.ok("GET", "/bots?per_page=200")
    assert bot["user_id"] in [b["user_id"] for b in listed]
    assert world.hamlet.ok("GET", "/bots") == []
    # Its owner (the admin) is active, so it is no orphan.
    assert bot["user_id"] not in [
        b["user_id"] for b in world.admin.ok("GET", "/bots?only_orphaned=true&per_page=200")
    ]
    expect_error(world.hamlet.get(f"/bots/{bot['user_id']}"), 404, "store.sql_bot.get.missing.app_error")

    patched = world.admin.ok(
        "PUT", f"/bots/{bot['user_id']}", {"display_name": "Bridge", "description": "IRC"}
    )
    assert patched["display_name"] == "Bridge" and patched["description"] == "IRC"
    assert patched["username"] == bot["username"]

    as_bot = bot_api(world, bot)
    disabled = world.admin.ok("POST", f"/bots/{bot['user_id']}/disable")
    assert disabled["delete_at"] > 0
    assert as_bot.get("/users/me").status_code == 401
    expect_error(world.admin.get(f"/bots/{bot['user_id']}"), 404, "store.sql_bot.get.missing.app_error")
    assert world.admin.ok("GET", f"/bots/{bot['user_id']}?include_deleted=true")["delete_at"] > 0
    assert bot["user_id"] not in [b["user_id"] for b in world.admin.ok("GET", "/bots?per_page=200")]
    enabled = world.admin.ok("POST", f"/bots/{bot['user_id']}/enable")
    assert enabled["delete_at"] == 0
    assert as_bot.ok("GET", "/users/me")["id"] == bot["user_id"]

    assigned = world.admin.ok("POST", f"/bots/{bot['user_id']}/assign/{world.hamlet.id}")
    assert assigned["owner_id"] == world.hamlet.id
    # The owner now sees and manages it.
    assert [b["user_id"] for b in world.hamlet.ok("GET", "/bots")] == [bot["user_id"]]
    assert world.hamlet.ok("PUT", f"/bots/{bot['user_id']}", {"description": "mine"})["description"] == "mine"
    expect_error(
        world.hamlet.post(f"/bots/{bot['user_id']}/assign/{world.othello.id}"),
        403,
        "api.context.permissions.app_error",
    )


def test_converting_a_user_to_a_bot_and_back(world: World, bots_on: None) -> None:
    person = world.cordelia
    expect_error(
        world.hamlet.post(f"/users/{person.id}/convert_to_bot"), 403, "api.context.permissions.app_error"
    )
    bot = world.admin.ok("POST", f"/users/{person.id}/convert_to_bot")
    assert bot["user_id"] == person.id and bot["owner_id"] == person.id
    # Their sessions ended and the password no longer logs in.
    assert person.get("/users/me").status_code == 401
    response = httpx.post(
        world.admin.base_url + "/api/v4/users/login", json={"login_id": person.username, "password": PASSWORD}
    )
    assert response.status_code == 401
    assert world.admin.ok("GET", f"/users/{person.id}")["is_bot"] is True

    user = world.admin.ok(
        "POST",
        f"/bots/{person.id}/convert_to_user",
        {"email": unique("cordelia-") + "@example.org", "password": "a-new-password-1"},
    )
    assert user["is_bot"] is False
    response = httpx.post(
        world.admin.base_url + "/api/v4/users/login",
        json={"login_id": person.username, "password": "a-new-password-1"},
    )
    assert response.status_code == 200
    expect_error(world.admin.get(f"/bots/{person.id}"), 404, "store.sql_bot.get.missing.app_error")
