"""Security keys and passkeys (WebAuthn) as a second factor, driven by a software
authenticator: registering, signing in with a key, and an attacker's variants (another page's
origin, a replayed or expired challenge, another user's key, a cloned key's counter)."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pyotp
import pytest

from tests.api.test_audit import actions_on, audits
from tests.support.client import API, PASSWORD, World, expect_error, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers, serve_with_admin
from tests.support.webauthn import SoftwareAuthenticator

SITE = "https://chat.example.org"
KEYS = "/villagepump/webauthn/keys"
LOGIN = "/villagepump/webauthn/login"
CHALLENGE_GONE = "api.webauthn.challenge.app_error"
BAD_KEY = "api.webauthn.login.bad_key.app_error"
CODE_NEEDED = "mfa.validate_token.authenticate.app_error"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    # The relying party is the site URL's host, whatever address the test reaches it on; the
    # clock is manual so that a challenge can be left to expire.
    yield from serve_with_admin(request.param, manual_clock=True, env={"VILLAGEPUMP_SITE_URL": SITE})


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


def add_key(api: API, name: str = "Yubikey") -> tuple[SoftwareAuthenticator, dict[str, Any]]:
    key = SoftwareAuthenticator(SITE)
    options = api.ok("POST", f"{KEYS}/options")
    added = api.ok("POST", KEYS, {"name": name, "credential": key.create(options)}, status=201)
    return key, added


def login_options(api: API, password: str = PASSWORD) -> httpx.Response:
    return API(api.base_url).post(f"{LOGIN}/options", {"login_id": api.username, "password": password})


def finish(api: API, credential: dict[str, Any]) -> httpx.Response:
    return API(api.base_url).post(LOGIN, {"credential": credential, "device_id": ""})


def sign_in_with(api: API, key: SoftwareAuthenticator) -> httpx.Response:
    options = login_options(api)
    assert options.status_code == 200, options.text
    return finish(api, key.get(options.json()))


def password_login(api: API, token: str = "") -> httpx.Response:
    return API(api.base_url).post(
        "/users/login", {"login_id": api.username, "password": PASSWORD, "token": token}
    )


def test_hamlet_registers_a_key_and_signs_in_with_it(world: World) -> None:
    hamlet = world.hamlet
    options = hamlet.ok("POST", f"{KEYS}/options")
    assert options["rp"]["id"] == "chat.example.org" and options["user"]["name"] == hamlet.username
    key = SoftwareAuthenticator(SITE)
    added = hamlet.ok("POST", KEYS, {"name": "  Blue   key ", "credential": key.create(options)}, status=201)
    # The first second factor turns two-factor on, with the recovery codes shown this once.
    assert added["key"]["name"] == "Blue key" and len(set(added["recovery_codes"])) == 10
    assert hamlet.ok("GET", "/users/me")["mfa_active"] is True
    # The apps, which cannot use keys, are asked for a code as with TOTP.
    expect_error(password_login(hamlet), 401, CODE_NEEDED)

    expect_error(
        login_options(hamlet, "wrong-password"), 401, "api.user.login.invalid_credentials_email_username"
    )
    request_options = login_options(hamlet).json()
    assert request_options["rpId"] == "chat.example.org"
    assert [c["id"] for c in request_options["allowCredentials"]] == [key.id]
    signed_in = finish(hamlet, key.get(request_options))
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["id"] == hamlet.id
    assert {"MMAUTHTOKEN", "MMUSERID", "MMCSRF"} <= set(signed_in.cookies.keys())
    session = API(hamlet.base_url, signed_in.headers["Token"])
    assert session.ok("GET", "/users/me")["id"] == hamlet.id
    listed = session.ok("GET", KEYS)
    assert [k["name"] for k in listed] == ["Blue key"] and listed[0]["last_used_at"] > 0
    assert "public_key" not in listed[0] and "sign_count" not in listed[0]
    # A recovery code still signs in where keys cannot be used (the mobile app).
    assert password_login(hamlet, added["recovery_codes"][0]).status_code == 200
    # A second key beside the first.
    add_key(hamlet, "Phone")
    # (The manual clock stands still: both were added at the same millisecond.)
    assert sorted(k["name"] for k in hamlet.ok("GET", KEYS)) == ["Blue key", "Phone"]
    # In the audit log (the manual clock stands still, so as counts, not in order).
    actions = Counter(actions_on(audits(world.admin), hamlet.id))
    assert actions["security_key_added"] == 2 and actions["mfa_activated"] == 1
    assert actions["login"] == 3 and actions["login_failed"] == 1


def test_bad_registrations(world: World, anonymous: API) -> None:
    othello, hamlet = world.othello, world.hamlet
    expect_error(anonymous.post(f"{KEYS}/options"), 401, "api.context.session_expired.app_error")
    key = SoftwareAuthenticator(SITE)
    # Another page's origin: refused, and the challenge is used up.
    options = othello.ok("POST", f"{KEYS}/options")
    wrong_origin = othello.post(
        KEYS, {"name": "k", "credential": key.create(options, "https://evil.example")}
    )
    expect_error(wrong_origin, 400, "api.webauthn.register.bad_response.app_error")
    expect_error(othello.post(KEYS, {"name": "k", "credential": key.create(options)}), 400, CHALLENGE_GONE)
    # Othello's challenge answered in Hamlet's session.
    options = othello.ok("POST", f"{KEYS}/options")
    expect_error(hamlet.post(KEYS, {"name": "k", "credential": key.create(options)}), 400, CHALLENGE_GONE)
    # A name is needed; nonsense is refused.
    options = othello.ok("POST", f"{KEYS}/options")
    expect_error(
        othello.post(KEYS, {"name": " ", "credential": key.create(options)}),
        400,
        "api.context.invalid_param.app_error",
    )
    expect_error(
        othello.post(KEYS, {"name": "k", "credential": {"id": 3}}),
        400,
        "api.context.invalid_body_param.app_error",
    )
    # The same key twice is one key.
    options = othello.ok("POST", f"{KEYS}/options")
    othello.ok("POST", KEYS, {"name": "k", "credential": key.create(options)}, status=201)
    options = othello.ok("POST", f"{KEYS}/options")
    assert [c["id"] for c in options["excludeCredentials"]] == [key.id]
    again = othello.post(KEYS, {"name": "k2", "credential": key.create(options)})
    expect_error(again, 400, "api.webauthn.register.already_registered.app_error")
    assert world.othello.ok("GET", "/users/me")["mfa_active"] is True
    assert hamlet.ok("GET", KEYS) == [] and hamlet.ok("GET", "/users/me")["mfa_active"] is False


def test_attacks_on_the_login(world: World) -> None:
    hamlet, othello = world.hamlet, world.othello
    key, _ = add_key(hamlet)
    othellos_key, _ = add_key(othello)
    # Another page's origin: refused, and that challenge cannot be answered again.
    options = login_options(hamlet).json()
    expect_error(finish(hamlet, key.get(options, "https://evil.example")), 401, BAD_KEY)
    expect_error(finish(hamlet, key.get(options)), 400, CHALLENGE_GONE)
    # A good answer works once.
    options = login_options(hamlet).json()
    answer = key.get(options)
    assert finish(hamlet, answer).status_code == 200
    expect_error(finish(hamlet, answer), 400, CHALLENGE_GONE)
    # Othello's key, however well it signs, does not finish Hamlet's login.
    expect_error(finish(hamlet, othellos_key.get(login_options(hamlet).json())), 401, BAD_KEY)
    # A challenge no one was given.
    expect_error(finish(hamlet, key.get({**options, "challenge": "AAAA"})), 400, CHALLENGE_GONE)
    expect_error(finish(hamlet, {"id": "x"}), 400, "api.context.invalid_body_param.app_error")
    # Cordelia has no key: there is nothing to sign with.
    expect_error(login_options(world.cordelia), 400, "api.webauthn.login.no_keys.app_error")


def test_a_cloned_key_falls_behind_and_is_refused(world: World) -> None:
    iago = world.iago
    key, _ = add_key(iago)
    copy = key.clone()
    assert sign_in_with(iago, key).status_code == 200
    assert sign_in_with(iago, key).status_code == 200
    # The copy's counter is behind the original's last use.
    expect_error(sign_in_with(iago, copy), 401, BAD_KEY)
    copy.sign_count = key.sign_count - 1
    expect_error(sign_in_with(iago, copy), 401, BAD_KEY)
    assert sign_in_with(iago, key).status_code == 200


def test_an_expired_challenge_is_refused(world: World, server: ServerProcess) -> None:
    cordelia = world.cordelia
    key, _ = add_key(cordelia)
    options = login_options(cordelia).json()
    server.advance(6 * 60)
    expect_error(finish(cordelia, key.get(options)), 400, CHALLENGE_GONE)
    assert sign_in_with(cordelia, key).status_code == 200


def test_removing_a_key_takes_the_password_or_a_code(world: World) -> None:
    hamlet, othello = world.hamlet, world.othello
    _, first = add_key(hamlet, "first")
    _, second = add_key(hamlet, "second")
    first_id, second_id = first["key"]["id"], second["key"]["id"]
    expect_error(
        hamlet.delete(f"{KEYS}/{first_id}", json={}), 400, "api.context.invalid_body_param.app_error"
    )
    wrong = hamlet.delete(f"{KEYS}/{first_id}", json={"password": "wrong-password"})
    expect_error(wrong, 401, "api.user.check_user_password.invalid.app_error")
    expect_error(
        hamlet.delete(f"{KEYS}/{first_id}", json={"code": "123456"}), 401, "mfa.activate.bad_token.app_error"
    )
    # Othello cannot remove Hamlet's key, even with his own password.
    expect_error(
        othello.delete(f"{KEYS}/{first_id}", json={"password": PASSWORD}),
        404,
        "api.webauthn.key.not_found.app_error",
    )
    hamlet.ok("DELETE", f"{KEYS}/{first_id}", {"password": PASSWORD})
    assert [k["id"] for k in hamlet.ok("GET", KEYS)] == [second_id]
    # A recovery code proves the second factor too; the last key gone, two-factor is off.
    hamlet.ok("DELETE", f"{KEYS}/{second_id}", {"code": first["recovery_codes"][0]})
    assert hamlet.ok("GET", "/users/me")["mfa_active"] is False
    assert password_login(hamlet).status_code == 200


def test_keys_beside_totp(world: World) -> None:
    othello = world.othello
    _, added = add_key(othello)
    server_time = added["key"]["create_at"] / 1000
    # A TOTP secret generated but not activated is no second factor at login (a stolen
    # session must not be able to mint one).
    secret = othello.ok("POST", f"/users/{othello.id}/mfa/generate")["secret"]
    pending_code = pyotp.TOTP(secret).at(server_time)
    expect_error(password_login(othello, pending_code), 401, "api.user.check_user_mfa.bad_code.app_error")
    # Activated, it is, and removing the key leaves two-factor on.
    activated = othello.ok("PUT", f"/users/{othello.id}/mfa", {"activate": True, "code": pending_code})
    assert len(activated["recovery_codes"]) == 10
    remove = {"code": pyotp.TOTP(secret).at(server_time + 30)}
    othello.ok("DELETE", f"{KEYS}/{added['key']['id']}", remove)
    assert othello.ok("GET", "/users/me")["mfa_active"] is True
    expect_error(password_login(othello), 401, CODE_NEEDED)


def test_turning_two_factor_off_removes_the_keys(world: World, server: ServerProcess) -> None:
    hamlet, iago = world.hamlet, world.iago
    add_key(hamlet)
    result = server.cli("user", "reset-mfa", hamlet.username)
    assert result.returncode == 0, result.stderr
    assert hamlet.ok("GET", KEYS) == [] and hamlet.ok("GET", "/users/me")["mfa_active"] is False
    expect_error(login_options(hamlet), 400, "api.webauthn.login.no_keys.app_error")
    assert password_login(hamlet).status_code == 200
    # An admin's reset through the API, as Mattermost's, does the same.
    add_key(iago)
    world.admin.ok("PUT", f"/users/{iago.id}/mfa", {"activate": False})
    assert iago.ok("GET", KEYS) == []


def test_a_key_is_enough_where_two_factor_is_enforced() -> None:
    env = {"VILLAGEPUMP_ENFORCE_MFA": "true", "VILLAGEPUMP_SITE_URL": SITE}
    with running_servers("sqlite", env=env) as (server,):
        created = server.cli(
            "user", "create", "--username", "yorick", "--email", "yorick@example.org", "--password", PASSWORD
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
        yorick = login(server.url, "yorick")
        expect_error(yorick.get("/users/me/teams"), 403, "api.context.mfa_required.app_error")
        # The enrolment routes are open to a key as to TOTP; with one, Yorick is enrolled.
        add_key(yorick)
        assert yorick.ok("GET", "/users/me")["mfa_active"] is True
        assert yorick.ok("GET", "/users/me/teams") == []
