"""Two-factor authentication through the API: enrolment, the login's second step, recovery
codes, replayed and wrong codes, limits, resets and enforcement."""

import base64
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyotp

from tests.support.client import API, PASSWORD, World, create_user, expect_error, login
from tests.support.server import ServerProcess


def code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now, or that many 30-second steps later."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(api: API) -> tuple[str, list[str]]:
    """Turns two-factor authentication on for `api`'s user; (secret, recovery codes)."""
    secret = api.ok("POST", f"/users/{api.id}/mfa/generate")["secret"]
    activated = api.ok("PUT", f"/users/{api.id}/mfa", {"activate": True, "code": code(secret)})
    return secret, activated["recovery_codes"]


def sign_in(api: API, token: str | None = None) -> Any:
    body = {"login_id": api.username, "password": PASSWORD}
    if token is not None:
        body["token"] = token
    return API(api.base_url).post("/users/login", body)


def mfa_required(api: API) -> bool:
    """Mattermost's legacy pre-login check, asked without a session."""
    answer: bool = API(api.base_url).ok("POST", "/users/mfa", {"login_id": api.username})["mfa_required"]
    return answer


def test_hamlet_enrols_then_signs_in_with_a_code_and_with_a_recovery_code(world: World) -> None:
    hamlet = world.hamlet
    assert hamlet.ok("GET", "/users/me")["mfa_active"] is False
    generated = hamlet.post(f"/users/{hamlet.id}/mfa/generate")
    assert generated.status_code == 200 and "no-store" in generated.headers["cache-control"]
    secret = generated.json()["secret"]
    assert base64.b64decode(generated.json()["qr_code"]).startswith(b"\x89PNG\r\n\x1a\n")
    # A code from another secret (someone else's authenticator) does not activate it.
    wrong = {"activate": True, "code": pyotp.TOTP(pyotp.random_base32()).now()}
    expect_error(hamlet.put(f"/users/{hamlet.id}/mfa", wrong), 401, "mfa.activate.bad_token.app_error")
    activation_code = code(secret)
    activated = hamlet.ok("PUT", f"/users/{hamlet.id}/mfa", {"activate": True, "code": activation_code})
    recovery_codes = activated["recovery_codes"]
    assert len(set(recovery_codes)) == 10
    assert hamlet.ok("GET", "/users/me")["mfa_active"] is True
    assert "mfa_active" not in world.othello.ok("GET", f"/users/{hamlet.id}")
    assert world.admin.ok("GET", f"/users/{hamlet.id}")["mfa_active"] is True
    assert mfa_required(hamlet) is True
    expect_error(
        hamlet.post(f"/users/{hamlet.id}/mfa/generate"),
        400,
        "api.user.generate_mfa_secret.already_active.app_error",
    )

    # The apps' first attempt has no code: this error makes them ask for it.
    expect_error(sign_in(hamlet), 401, "mfa.validate_token.authenticate.app_error")
    expect_error(sign_in(hamlet, "not a code"), 401, "mfa.validate_token.authenticate.app_error")
    # The code that activated it was used: it cannot be used again, nor can another user's code.
    expect_error(sign_in(hamlet, activation_code), 401, "api.user.check_user_mfa.bad_code.app_error")
    other = pyotp.TOTP(pyotp.random_base32()).now()
    expect_error(sign_in(hamlet, other), 401, "api.user.check_user_mfa.bad_code.app_error")
    # A wrong password is refused before any code is looked at.
    wrong_password = API(hamlet.base_url).post(
        "/users/login", {"login_id": hamlet.username, "password": "wrong-password", "token": code(secret, 1)}
    )
    expect_error(wrong_password, 401, "api.user.login.invalid_credentials_email_username")

    next_code = code(secret, 1)
    signed_in = sign_in(hamlet, next_code)
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["mfa_active"] is True and signed_in.headers["Token"]
    # Replayed, as by someone who saw it over a shoulder: refused.
    expect_error(sign_in(hamlet, next_code), 401, "api.user.check_user_mfa.bad_code.app_error")

    # A recovery code works once, however it is typed.
    typed = recovery_codes[0].replace("-", " ").upper()
    assert sign_in(hamlet, typed).status_code == 200
    expect_error(sign_in(hamlet, recovery_codes[0]), 401, "api.user.check_user_mfa.bad_code.app_error")
    # Othello's recovery codes are not Hamlet's.
    _, othellos_codes = enrol(world.othello)
    expect_error(sign_in(hamlet, othellos_codes[0]), 401, "api.user.check_user_mfa.bad_code.app_error")
    assert sign_in(hamlet, recovery_codes[1]).status_code == 200

    # Turning it off: the password alone is enough again, and the old codes are gone.
    hamlet.ok("PUT", f"/users/{hamlet.id}/mfa", {"activate": False})
    assert sign_in(hamlet).status_code == 200
    assert mfa_required(hamlet) is False
    assert hamlet.ok("GET", "/users/me")["mfa_active"] is False


def test_new_recovery_codes_take_a_current_code_and_replace_the_old_ones(world: World) -> None:
    iago = world.iago
    secret, old_codes = enrol(iago)
    path = f"/users/{iago.id}/mfa/recovery_codes"
    expect_error(iago.post(path, {}), 400, "api.context.invalid_body_param.app_error")
    expect_error(iago.post(path, {"code": "000000"}), 401, "mfa.activate.bad_token.app_error")
    expect_error(world.admin.post(path, {"code": code(secret, 1)}), 403, "api.context.permissions.app_error")
    new_codes = iago.ok("POST", path, {"code": code(secret, 1)})["recovery_codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    expect_error(sign_in(iago, old_codes[0]), 401, "api.user.check_user_mfa.bad_code.app_error")
    assert sign_in(iago, new_codes[0]).status_code == 200
    # Without two-factor authentication there are no codes to regenerate.
    expect_error(
        world.othello.post(f"/users/{world.othello.id}/mfa/recovery_codes", {"code": "123456"}),
        400,
        "api.user.mfa_recovery_codes.not_active.app_error",
    )


def test_resets_bad_input_and_who_may_do_what(world: World, server: ServerProcess) -> None:
    hamlet, othello = world.hamlet, world.othello
    enrol(hamlet)
    mfa = f"/users/{hamlet.id}/mfa"
    # Someone else's two-factor authentication is not yours to generate, activate or turn off.
    expect_error(othello.post(f"{mfa}/generate"), 403, "api.context.permissions.app_error")
    expect_error(othello.put(mfa, {"activate": False}), 403, "api.context.permissions.app_error")
    expect_error(
        world.admin.put(mfa, {"activate": True, "code": "123456"}), 403, "api.context.permissions.app_error"
    )
    for body in ({}, {"activate": "false"}, {"activate": True}, {"activate": True, "code": 123456}):
        expect_error(hamlet.put(mfa, body), 400, "api.context.invalid_body_param.app_error")
    expect_error(
        hamlet.put(mfa, {"activate": True, "code": "123456"}),
        400,
        "api.user.update_mfa.already_active.app_error",
    )
    expect_error(API(hamlet.base_url).post("/users/mfa", {}), 400, "api.context.invalid_body_param.app_error")
    # An admin resets it (the user lost their phone and their codes).
    world.admin.ok("PUT", mfa, {"activate": False})
    assert sign_in(hamlet).status_code == 200
    # Activation codes cannot be tried without end either.
    secret = hamlet.ok("POST", f"{mfa}/generate")["secret"]
    wrong = {"activate": True, "code": "000000" if code(secret) != "000000" else "111111"}
    for _ in range(world.admin.ok("GET", "/config")["ServiceSettings"]["MaximumLoginAttempts"]):
        expect_error(hamlet.put(mfa, wrong), 401, "mfa.activate.bad_token.app_error")
    limited = hamlet.put(mfa, {"activate": True, "code": code(secret)})
    expect_error(limited, 429, "api.user.check_user_login_attempts.too_many.app_error")
    assert int(limited.headers["Retry-After"]) > 0
    # And so does the command line.
    enrol(othello)
    result = server.cli("user", "reset-mfa", othello.username)
    assert result.returncode == 0, result.stderr
    assert sign_in(othello).status_code == 200
    missing = server.cli("user", "reset-mfa", "nobody-by-this-name")
    assert missing.returncode == 1 and "nobody-by-this-name" in missing.stderr


def test_guessing_codes_is_limited_like_guessing_passwords(world: World) -> None:
    cordelia = world.cordelia
    secret, _ = enrol(cordelia)
    limit = world.admin.ok("GET", "/config")["ServiceSettings"]["MaximumLoginAttempts"]
    for guess in range(limit):
        expect_error(sign_in(cordelia, f"{guess:06d}"), 401, "api.user.check_user_mfa.bad_code.app_error")
    # Even the right code waits now.
    expect_error(
        sign_in(cordelia, code(secret, 1)), 429, "api.user.check_user_login_attempts.too_many.app_error"
    )


def test_disabled_on_the_server(world: World) -> None:
    admin = world.admin
    admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableMultifactorAuthentication": False}})
    try:
        assert admin.ok("GET", "/config/client?format=old")["EnableMultifactorAuthentication"] == "false"
        expect_error(
            world.hamlet.post(f"/users/{world.hamlet.id}/mfa/generate"), 501, "mfa.mfa_disabled.app_error"
        )
    finally:
        admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableMultifactorAuthentication": True}})
    client = admin.ok("GET", "/config/client?format=old")
    assert client["EnableMultifactorAuthentication"] == "true"
    assert client["EnforceMultifactorAuthentication"] == "false"
    assert admin.ok("GET", "/license/client?format=old")["MFA"] == "true"


def test_enforced_two_factor_leaves_only_enrolment_open(world: World, server: ServerProcess) -> None:
    # A second admin with two-factor authentication turns enforcement on and off: the session
    # admin has none, and is shut out meanwhile like everyone else without it.
    horatio = create_user(world.admin, "horatio")
    world.admin.ok("PUT", f"/users/{horatio.id}/roles", {"roles": "system_user system_admin"})
    enrol(horatio)
    hamlet = world.hamlet
    teams = f"/users/{hamlet.id}/teams"
    horatio.ok("PUT", "/config/patch", {"ServiceSettings": {"EnforceMultifactorAuthentication": True}})
    try:
        assert (
            API(server.url).ok("GET", "/config/client?format=old")["EnforceMultifactorAuthentication"]
            == "true"
        )
        expect_error(hamlet.get(teams), 403, "api.context.mfa_required.app_error")
        expect_error(world.admin.get("/config"), 403, "api.context.mfa_required.app_error")
        newcomer = {"username": "yorick", "email": "yorick@example.org", "password": PASSWORD}
        expect_error(world.admin.post("/users", newcomer), 403, "api.context.mfa_required.app_error")
        assert horatio.get(teams.replace(hamlet.id, horatio.id)).status_code == 200
        # Signing in still works; reading yourself and enrolling are open.
        fresh = login(server.url, hamlet.username)
        assert fresh.ok("GET", "/users/me")["mfa_active"] is False
        expect_error(fresh.get(f"/users/{hamlet.id}"), 403, "api.context.mfa_required.app_error")
        enrol(fresh)
        assert fresh.get(teams).status_code == 200

        # For admins only: members without it are let through, admins are not.
        horatio.ok(
            "PUT", "/config/patch", {"VillagepumpSettings": {"EnforceMultifactorAuthenticationFor": "admins"}}
        )
        client = API(server.url).ok("GET", "/config/client?format=old")
        assert client["EnforceMultifactorAuthentication"] == "false"
        assert client["EnforceMultifactorAuthenticationFor"] == "admins"
        assert world.othello.get(f"/users/{world.othello.id}/teams").status_code == 200
        expect_error(world.admin.get("/config"), 403, "api.context.mfa_required.app_error")
        expect_error(
            horatio.put(
                "/config/patch", {"VillagepumpSettings": {"EnforceMultifactorAuthenticationFor": "some"}}
            ),
            400,
            "model.config.is_valid.enforce_mfa_for.app_error",
        )
    finally:
        horatio.ok(
            "PUT",
            "/config/patch",
            {
                "ServiceSettings": {"EnforceMultifactorAuthentication": False},
                "VillagepumpSettings": {"EnforceMultifactorAuthenticationFor": "all"},
            },
        )
    assert world.admin.get("/config").status_code == 200


def test_the_same_code_sent_at_once_signs_in_once(world: World) -> None:
    othello = world.othello
    secret, recovery_codes = enrol(othello)
    for token in (code(secret, 1), recovery_codes[0]):
        with ThreadPoolExecutor(max_workers=5) as pool:
            statuses = sorted(
                response.status_code for response in pool.map(sign_in, [othello] * 5, [token] * 5)
            )
        assert statuses == [200, 401, 401, 401, 401]
