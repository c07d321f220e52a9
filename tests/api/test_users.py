"""Accounts, login, sessions and tokens, through the API."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.client import API, PASSWORD, World, create_user, expect_error, login, unique
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
    # Guesses by username and by e-mail address count against the same account.
    for login_id in [victim.username, victim.user["email"].upper()] * 5:
        expect_error(
            anonymous.post("/users/login", {"login_id": login_id, "password": "nope-nope"}),
            401,
            "api.user.login.invalid_credentials_email_username",
        )
    # Even the right password is refused while the account is rate-limited.
    response = anonymous.post("/users/login", {"login_id": victim.username, "password": PASSWORD})
    expect_error(response, 429, "api.user.check_user_login_attempts.too_many.app_error")
    assert response.headers["X-RateLimit-Limit"] == "10"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(response.headers["X-RateLimit-Reset"]) <= 300
    assert 0 < int(response.headers["Retry-After"]) <= 300
    # Other accounts are not affected.
    assert login(anonymous.base_url, create_user(admin, "laertes").username).token


def test_a_burst_of_simultaneous_guesses_gets_no_more_tries_than_the_limit(
    admin: API, anonymous: API
) -> None:
    victim = create_user(admin, "guildenstern")

    def guess(n: int) -> int:
        with httpx.Client(base_url=anonymous.base_url + "/api/v4", timeout=30) as client:
            body = {"login_id": victim.username, "password": f"guess-{n:04d}"}
            return client.post("/users/login", json=body).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = sorted(pool.map(guess, range(30)))
    # Each attempt counts as it starts, so guesses in flight together cannot overshoot the limit.
    assert statuses == [401] * 10 + [429] * 20


def test_logout_ends_the_session(world: World, server: ServerProcess) -> None:
    api = login(server.url, world.othello.username)
    assert api.ok("POST", "/users/logout") == {"status": "OK"}
    assert api.get("/users/me").status_code == 401


def _browser_login(server: ServerProcess, username: str) -> tuple[httpx.Client, str]:
    """A client that keeps cookies, as a browser does; returns it and the MMCSRF token."""
    client = httpx.Client(base_url=server.url + "/api/v4")
    response = client.post("/users/login", json={"login_id": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client, response.cookies["MMCSRF"]


def test_a_browser_reads_with_its_cookie_alone(world: World, server: ServerProcess) -> None:
    # <img src=".../image"> and plain links cannot add X-Requested-With; Mattermost accepts them.
    browser, _ = _browser_login(server, world.iago.username)
    me = browser.get("/users/me")
    assert me.status_code == 200 and me.json()["id"] == world.iago.id
    assert browser.head("/users/me").status_code == 200
    avatar = browser.get(f"/users/{world.hamlet.id}/image")
    assert avatar.status_code == 200 and avatar.headers["content-type"] == "image/png"
    # The cookie is what authenticated those reads.
    browser.cookies.clear()
    expect_error(browser.get("/users/me"), 401, "api.context.session_expired.app_error")


def test_a_browser_writes_only_with_the_csrf_token(world: World, server: ServerProcess) -> None:
    browser, csrf = _browser_login(server, world.iago.username)
    patch = {"nickname": "ancient"}
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    for headers in ({}, xhr, {"X-CSRF-Token": "not" + csrf}, {**xhr, "X-CSRF-Token": ""}):
        refused = browser.put("/users/me/patch", json=patch, headers=headers)
        expect_error(refused, 401, "api.context.session_expired.app_error")
    assert world.iago.ok("GET", "/users/me")["nickname"] != "ancient"
    ok = browser.put("/users/me/patch", json=patch, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["nickname"] == "ancient"
    # A DELETE is a write too: deactivating oneself needs the token as well.
    refused = browser.delete(f"/users/{world.iago.id}")
    expect_error(refused, 401, "api.context.session_expired.app_error")
    assert world.iago.ok("GET", "/users/me")["delete_at"] == 0


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


CHROME_ON_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)


def test_sessions_show_their_device_and_never_an_address(world: World, server: ServerProcess) -> None:
    laptop = API(server.url)
    response = laptop.post(
        "/users/login",
        {"login_id": world.othello.username, "password": PASSWORD},
        headers={"User-Agent": CHROME_ON_LINUX, "X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status_code == 200
    listed = world.othello.get("/users/me/sessions")
    sessions = listed.json()
    assert len(sessions) == 2
    device = next(s for s in sessions if s["props"].get("browser"))
    assert [s["props"].get("is_current") for s in sessions if s is not device] == ["true"]
    assert device["props"] == {
        "platform": "Linux",
        "os": "Linux",
        "browser": "Chrome/120",
        "is_mobile": "false",
        "is_guest": "false",
        "csrf": "",
    }
    assert device["last_activity_at"] > 0
    # The server keeps no client address, so no session list can show one.
    assert "127.0.0.1" not in listed.text and "203.0.113.9" not in listed.text
    expect_error(
        world.hamlet.get(f"/users/{world.othello.id}/sessions"), 403, "api.context.permissions.app_error"
    )


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    world: World, server: ServerProcess
) -> None:
    here, elsewhere = world.othello, login(server.url, world.othello.username)
    here.ok("PUT", "/users/me/password", {"current_password": PASSWORD, "new_password": "new-password-2"})
    assert here.ok("GET", "/users/me")["id"] == world.othello.id
    expect_error(elsewhere.get("/users/me"), 401, "api.context.session_expired.app_error")
    assert len(here.ok("GET", "/users/me/sessions")) == 1
    # An admin's reset ends all of them.
    world.admin.ok("PUT", f"/users/{world.othello.id}/password", {"new_password": "new-password-3"})
    expect_error(here.get("/users/me"), 401, "api.context.session_expired.app_error")


def test_deactivating_oneself_needs_the_setting(world: World) -> None:
    refused = world.cordelia.delete(f"/users/{world.cordelia.id}")
    expect_error(refused, 401, "api.user.update_active.not_enable.app_error")
    expect_error(
        world.cordelia.put(f"/users/{world.cordelia.id}/active", {"active": False}),
        401,
        "api.user.update_active.not_enable.app_error",
    )
    world.admin.ok("PUT", "/config/patch", {"TeamSettings": {"EnableUserDeactivation": True}})
    try:
        assert world.cordelia.ok("GET", "/config/client?format=old")["EnableUserDeactivation"] == "true"
        world.cordelia.ok("DELETE", f"/users/{world.cordelia.id}")
    finally:
        world.admin.ok("PUT", "/config/patch", {"TeamSettings": {"EnableUserDeactivation": False}})
    assert world.admin.ok("GET", f"/users/{world.cordelia.id}")["delete_at"] > 0
    expect_error(world.cordelia.get("/users/me"), 401, "api.context.session_expired.app_error")


def test_people_change_their_own_names_and_profile(world: World) -> None:
    name = unique("prince")
    changes = {
        "username": name,
        "email": f"{name}@example.org",
        "nickname": "Sweet prince",
        "position": "Student at Wittenberg",
        "timezone": {"useAutomaticTimezone": "false", "manualTimezone": "Europe/Copenhagen"},
    }
    me = world.hamlet.ok("PUT", "/users/me/patch", changes)
    assert {k: me[k] for k in ("username", "email", "nickname", "position")} == {
        k: changes[k] for k in ("username", "email", "nickname", "position")
    }
    assert me["timezone"]["manualTimezone"] == "Europe/Copenhagen"
    taken = world.othello.ok("GET", "/users/me")
    expect_error(
        world.hamlet.put("/users/me/patch", {"username": taken["username"]}),
        400,
        "app.user.save.username_exists.app_error",
    )
    expect_error(
        world.hamlet.put("/users/me/patch", {"email": taken["email"].upper()}),
        400,
        "app.user.save.email_exists.app_error",
    )
    expect_error(
        world.hamlet.put("/users/me/patch", {"username": "No Spaces"}),
        400,
        "model.user.is_valid.username.app_error",
    )
    assert world.hamlet.ok("GET", "/users/me")["username"] == name
