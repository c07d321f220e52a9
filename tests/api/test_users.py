"""Accounts, login, sessions and tokens, through the API."""

from tests.support.client import API, PASSWORD, World, create_user, login, unique
from tests.support.server import ServerProcess


def test_login_returns_user_token_and_cookies(world: World, server: ServerProcess) -> None:
    api = API(server.url)
    response = api.post("/users/login", {"login_id": world.hamlet.username, "password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["id"] == world.hamlet.id
    token = response.headers["Token"]
    assert {"MMAUTHTOKEN", "MMUSERID", "MMCSRF"} <= set(response.cookies.keys())
    me = api.get("/users/me", headers={"Authorization": f"BEARER {token}"})
    assert me.status_code == 200 and me.json()["username"] == world.hamlet.username


def test_wrong_password_is_rejected_with_mattermost_error(world: World, anonymous: API) -> None:
    response = anonymous.post(
        "/users/login", {"login_id": world.hamlet.username, "password": "wrong-password"}
    )
    assert response.status_code == 401
    body = response.json()
    assert body["id"] == "api.user.login.invalid_credentials_email_username"
    assert set(body) == {"id", "message", "detailed_error", "request_id", "status_code"}


def test_repeated_failures_lock_the_account_for_a_while(admin: API, anonymous: API) -> None:
    victim = create_user(admin, "polonius")
    for _ in range(10):
        assert (
            anonymous.post("/users/login", {"login_id": victim.username, "password": "nope-nope"}).status_code
            == 401
        )
    # Even the right password is refused while the account is rate-limited.
    response = anonymous.post("/users/login", {"login_id": victim.username, "password": PASSWORD})
    assert response.status_code == 429


def test_logout_ends_the_session(world: World, server: ServerProcess) -> None:
    api = login(server.url, world.othello.username)
    assert api.ok("POST", "/users/logout") == {"status": "OK"}
    assert api.get("/users/me").status_code == 401


def test_cookie_authentication_needs_csrf_for_writes(world: World, server: ServerProcess) -> None:
    import httpx

    client = httpx.Client(base_url=server.url + "/api/v4")
    login_response = client.post("/users/login", json={"login_id": world.iago.username, "password": PASSWORD})
    csrf = login_response.cookies["MMCSRF"]
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    assert client.get("/users/me", headers=xhr).status_code == 200
    assert client.get("/users/me").status_code == 401  # a cookie alone could be a cross-site request
    # ...except for a picture, which an <img> fetches without the header (the web client's avatars).
    me = client.get("/users/me", headers=xhr).json()
    assert client.get(f"/users/{me['id']}/image").status_code == 200
    patch = {"nickname": "ancient"}
    assert client.put("/users/me/patch", json=patch, headers=xhr).status_code == 401
    ok = client.put("/users/me/patch", json=patch, headers={**xhr, "X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["nickname"] == "ancient"


def test_signup_is_invite_only(anonymous: API, world: World) -> None:
    name = unique("stranger")
    fields = {"username": name, "email": f"{name}@example.org", "password": PASSWORD}
    assert anonymous.post("/users", fields).status_code == 403
    team = world.admin.ok("GET", f"/teams/{world.team['id']}")
    joined = anonymous.post(f"/users?iid={team['invite_id']}", fields)
    assert joined.status_code == 201
    newcomer = login(anonymous.base_url, name)
    assert [t["id"] for t in newcomer.ok("GET", "/users/me/teams")] == [world.team["id"]]


def test_other_users_emails_are_hidden(world: World) -> None:
    seen = world.hamlet.ok("GET", f"/users/{world.othello.id}")
    assert seen["email"] == ""
    assert "notify_props" not in seen
    assert world.admin.ok("GET", f"/users/{world.othello.id}")["email"].endswith("@example.org")


def test_users_by_ids_and_usernames(world: World) -> None:
    by_ids = world.hamlet.ok("POST", "/users/ids", [world.othello.id, world.iago.id])
    assert {u["id"] for u in by_ids} == {world.othello.id, world.iago.id}
    by_names = world.hamlet.ok("POST", "/users/usernames", [world.othello.username])
    assert [u["id"] for u in by_names] == [world.othello.id]


def test_autocomplete_within_team(world: World) -> None:
    prefix = world.othello.username[:-2]
    found = world.hamlet.ok("GET", f"/users/autocomplete?in_team={world.team['id']}&name={prefix}")
    assert world.othello.id in [u["id"] for u in found["users"]]
    assert world.cordelia.id not in [u["id"] for u in found["users"]]


def test_personal_access_token_works_until_revoked(world: World) -> None:
    created = world.hamlet.ok("POST", "/users/me/tokens", {"description": "bot"})
    bot = API(world.hamlet.base_url, token=created["token"])
    assert bot.ok("GET", "/users/me")["id"] == world.hamlet.id
    listed = world.hamlet.ok("GET", "/users/me/tokens")
    assert [t["id"] for t in listed] == [created["id"]] and "token" not in listed[0]
    world.hamlet.ok("POST", "/users/tokens/revoke", {"token_id": created["id"]})
    assert bot.get("/users/me").status_code == 401


def test_users_cannot_change_each_other(world: World) -> None:
    assert world.hamlet.put(f"/users/{world.othello.id}/patch", {"nickname": "x"}).status_code == 403
    assert (
        world.hamlet.put(
            f"/users/{world.othello.id}/roles", {"roles": "system_user system_admin"}
        ).status_code
        == 403
    )


def test_password_change_requires_current_password(world: World, server: ServerProcess) -> None:
    api = world.cordelia
    bad = api.put("/users/me/password", {"current_password": "wrong-one", "new_password": "new-password-1"})
    assert bad.status_code == 400
    api.ok("PUT", "/users/me/password", {"current_password": PASSWORD, "new_password": "new-password-1"})
    assert login(server.url, api.username, "new-password-1").id == api.id


def test_deactivated_user_cannot_log_in(world: World, anonymous: API) -> None:
    world.admin.ok("DELETE", f"/users/{world.cordelia.id}")
    response = anonymous.post("/users/login", {"login_id": world.cordelia.username, "password": PASSWORD})
    assert response.status_code == 401


def test_default_profile_image_is_a_png(world: World) -> None:
    response = world.hamlet.get(f"/users/{world.othello.id}/image")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert world.hamlet.get("/users/" + "z" * 26 + "/image").status_code == 404
