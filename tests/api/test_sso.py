"""Signing in with an outside account, through Mattermost's SSO routes: OpenID Connect against a
real provider (npm `oidc-provider`, tests/support/oidc.py) and MediaWiki's OAuth 2.0 against a
stand-in for its endpoints (tests/support/mediawiki.py); the attacks each check is there for."""

import re
import secrets
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.client import API, World, create_user, unique
from tests.support.mediawiki import FakeMediaWiki, running_fake_mediawiki, wiki_profile
from tests.support.oidc import OpenIdProvider, account, running_openid_provider, sign_in_at_provider
from tests.support.server import ServerProcess
from villagepump.errors import APIError
from villagepump.sso.openid import validate_id_token
from villagepump.sso.providers import new_attempt
from villagepump.sso.redirects import web_redirect


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIdProvider]:
    with running_openid_provider() as started:
        yield started


@pytest.fixture(scope="module")
def wiki() -> Iterator[FakeMediaWiki]:
    with running_fake_mediawiki() as started:
        yield started


def _configure(admin: API, sections: dict[str, dict[str, Any]]) -> None:
    admin.ok("PUT", "/config/patch", sections)


SSO_OFF = {
    "OpenIdSettings": {"Enable": False, "Id": "", "Secret": "", "DiscoveryEndpoint": "", "ButtonText": ""},
    "WikimediaSettings": {"Enable": False, "Id": "", "Secret": ""},
    "VillagepumpSettings": {"EnableOpenSsoSignUp": False, "SsoLinkVerifiedEmail": False},
}


@pytest.fixture
def openid(server: ServerProcess, admin: API, provider: OpenIdProvider) -> Iterator[OpenIdProvider]:
    """OpenID sign-in on, with a client registered for this server at the provider."""
    client_id, secret = provider.register_client(server.url + "/signup/openid/complete")
    openid_settings = {"Enable": True, "Id": client_id, "Secret": secret, "ButtonText": "Example ID"}
    openid_settings["DiscoveryEndpoint"] = provider.discovery_endpoint
    _configure(admin, {"OpenIdSettings": openid_settings})
    yield provider
    _configure(admin, SSO_OFF)


@pytest.fixture
def wikimedia(server: ServerProcess, admin: API, wiki: FakeMediaWiki) -> Iterator[FakeMediaWiki]:
    settings = {"Enable": True, "Id": wiki.client_id, "Secret": wiki.client_secret, "BaseUrl": wiki.url}
    _configure(admin, {"WikimediaSettings": settings, "VillagepumpSettings": {"EnableOpenSsoSignUp": True}})
    yield wiki
    _configure(admin, SSO_OFF)


def _browser(server: ServerProcess) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)


def _sign_in(
    server: ServerProcess, browser: httpx.Client, login: str, path: str = "/oauth/openid/login"
) -> str:
    """Starts at `path` and signs in at the provider; returns the callback address it sends to."""
    start = browser.get(path)
    assert start.status_code == 302, start.text
    return sign_in_at_provider(browser, start, login, stop_at=server.url + "/signup/")


def _expect_page_error(response: httpx.Response, status: int, error_id: str) -> None:
    assert response.status_code == status, (
        f"expected {status} {error_id}, got {response.status_code} {response.text}"
    )
    assert f'<code id="error-id">{error_id}</code>' in response.text, response.text
    assert "MMAUTHTOKEN" not in response.headers.get("set-cookie", "")


def _me(server: ServerProcess, token: str) -> dict[str, Any]:
    me: dict[str, Any] = API(server.url, token).ok("GET", "/users/me")
    return me


def test_an_invited_person_signs_up_with_openid_and_comes_back_to_the_same_account(
    server: ServerProcess, world: World, anonymous: API, openid: OpenIdProvider
) -> None:
    config = anonymous.ok("GET", "/config/client?format=old")
    assert (config["EnableSignUpWithOpenId"], config["OpenIdButtonText"]) == ("true", "Example ID")
    assert anonymous.ok("GET", "/license/client?format=old")["OpenId"] == "true"
    invite_id = world.admin.ok("GET", f"/teams/{world.team['id']}")["invite_id"]
    name = unique("ann")
    browser = _browser(server)

    start = browser.get(
        f"/oauth/openid/login?redirect_to=/{world.team['name']}/channels/town-square&iid={invite_id}"
    )
    authorize = urllib.parse.parse_qs(urllib.parse.urlsplit(start.headers["location"]).query)
    assert authorize["code_challenge_method"] == ["S256"] and authorize["nonce"] and authorize["state"]
    callback = sign_in_at_provider(
        browser, start, account(name), stop_at=server.url + "/signup/openid/complete"
    )
    landed = browser.get(callback)
    assert (
        landed.status_code == 302
        and landed.headers["location"] == f"/{world.team['name']}/channels/town-square"
    )
    token = browser.cookies["MMAUTHTOKEN"]
    assert browser.cookies["MMCSRF"] and browser.cookies["MMUSERID"]
    me = _me(server, token)
    assert (me["username"], me["auth_service"], me["auth_data"]) == (name, "openid", account(name))
    assert me["email"] == f"{name}@example.org" and me["email_verified"] is True
    API(server.url, token).ok("GET", f"/teams/{world.team['id']}/members/{me['id']}")
    # No password was made: password login cannot reach the account.
    refused = anonymous.post("/users/login", {"login_id": name, "password": ""})
    assert refused.status_code == 400

    # The callback address again (a replayed code with its state): the state is used up.
    _expect_page_error(browser.get(callback), 400, "api.user.authorize_oauth_user.invalid_state.app_error")

    # Later, in another browser and without an invitation: the same account.
    again = _browser(server)
    landed = again.get(_sign_in(server, again, account(name)))
    assert landed.status_code == 302 and landed.headers["location"] == "/"
    assert _me(server, again.cookies["MMAUTHTOKEN"])["id"] == me["id"]


def test_the_mobile_app_signs_in_and_gets_its_token_at_its_own_scheme(
    server: ServerProcess, world: World, openid: OpenIdProvider
) -> None:
    invite_id = world.admin.ok("GET", f"/teams/{world.team['id']}")["invite_id"]
    browser = _browser(server)
    path = f"/oauth/openid/mobile_login?redirect_to={urllib.parse.quote('mmauth://callback')}&iid={invite_id}"
    page = browser.get(_sign_in(server, browser, account(unique("bo")), path))
    assert page.status_code == 200
    link = re.search(r'id="open-app" href="([^"]+)"', page.text)
    assert link is not None, page.text
    target = urllib.parse.urlsplit(link.group(1).replace("&amp;", "&"))
    assert (target.scheme, target.netloc) == ("mmauth", "callback")
    query = urllib.parse.parse_qs(target.query)
    me = _me(server, query["MMAUTHTOKEN"][0])
    assert me["auth_service"] == "openid" and query["MMCSRF"][0]
    # The app keeps the session cookie out of the browser it used.
    assert "MMAUTHTOKEN" not in browser.cookies


@pytest.mark.parametrize(
    ("path", "error_id"),
    [
        ("/oauth/openid/login?redirect_to=https://evil.example/", "api.invalid_redirect_url"),
        ("/oauth/openid/login?redirect_to=//evil.example/", "api.invalid_redirect_url"),
        ("/oauth/openid/login?redirect_to=/\\evil.example/", "api.invalid_redirect_url"),
        ("/oauth/openid/mobile_login?redirect_to=https://evil.example/", "api.invalid_custom_url_scheme"),
        ("/oauth/openid/mobile_login?redirect_to=mmauthx://callback", "api.invalid_custom_url_scheme"),
        ("/oauth/openid/mobile_login", "api.invalid_custom_url_scheme"),
    ],
)
def test_a_sign_in_never_ends_on_another_site(
    server: ServerProcess, openid: OpenIdProvider, path: str, error_id: str
) -> None:
    _expect_page_error(_browser(server).get(path), 400, error_id)


def test_attacks_on_the_callback_are_refused(
    server: ServerProcess, admin: API, openid: OpenIdProvider
) -> None:
    name = unique("cy")
    # Without an invitation, a new person gets no account (invite-only).
    browser = _browser(server)
    _expect_page_error(
        browser.get(_sign_in(server, browser, account(name))), 403, "api.context.permissions.app_error"
    )
    assert admin.get(f"/users/username/{name}").status_code == 404

    _configure(admin, {"VillagepumpSettings": {"EnableOpenSsoSignUp": True}})
    callback = _sign_in(server, browser, account(name))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)
    code, state = query["code"][0], query["state"][0]
    # A forged state, and the right state from a browser that did not begin the sign-in (an
    # attacker sending a victim their own callback link): both refused.
    forged = browser.get(f"/signup/openid/complete?code={code}&state={secrets.token_urlsafe(32)}")
    _expect_page_error(forged, 400, "api.user.authorize_oauth_user.invalid_state.app_error")
    victim = _browser(server)
    _expect_page_error(
        victim.get(f"/signup/openid/complete?code={code}&state={state}"),
        400,
        "api.user.authorize_oauth_user.invalid_state.app_error",
    )
    # That state is now used up; a code used before, under a fresh state of this browser, is
    # turned down by the provider.
    fresh = _sign_in(server, browser, account(name))
    fresh_state = urllib.parse.parse_qs(urllib.parse.urlsplit(fresh).query)["state"][0]
    assert browser.get(fresh).status_code == 302  # signs in, using the fresh code
    replay = _sign_in(server, browser, account(name))
    replay_state = urllib.parse.parse_qs(urllib.parse.urlsplit(replay).query)["state"][0]
    old_code = urllib.parse.parse_qs(urllib.parse.urlsplit(fresh).query)["code"][0]
    assert replay_state != fresh_state
    _expect_page_error(
        browser.get(f"/signup/openid/complete?code={old_code}&state={replay_state}"),
        400,
        "api.user.authorize_oauth_user.token_failed.app_error",
    )
    # A code that claims to come from another provider (RFC 9207 mix-up): not exchanged.
    mixed = _sign_in(server, browser, account(name))
    assert "iss=" in mixed
    mixed_up = re.sub(r"iss=[^&]+", "iss=" + urllib.parse.quote("https://evil.example", safe=""), mixed)
    _expect_page_error(browser.get(mixed_up), 400, "api.user.authorize_oauth_user.token_failed.app_error")
    # The person said no at the provider.
    denied = _sign_in(server, browser, account(name))
    denied_state = urllib.parse.parse_qs(urllib.parse.urlsplit(denied).query)["state"][0]
    _expect_page_error(
        browser.get(f"/signup/openid/complete?error=access_denied&state={denied_state}"),
        403,
        "api.user.authorize_oauth_user.access_denied.app_error",
    )


def test_an_existing_account_is_linked_only_by_a_verified_address_and_with_the_admins_consent(
    server: ServerProcess, admin: API, openid: OpenIdProvider
) -> None:
    person = create_user(admin, "dee")
    domain = "example.org"
    login = account(person.username, domain=domain)
    browser = _browser(server)
    _expect_page_error(
        browser.get(_sign_in(server, browser, login)),
        400,
        "api.user.create_oauth_user.already_attached.app_error",
    )
    _configure(admin, {"VillagepumpSettings": {"SsoLinkVerifiedEmail": True}})
    unverified = account(person.username, domain=domain, verified=False)
    # A new browser for each person: the provider remembers who signed in there.
    browser = _browser(server)
    _expect_page_error(
        browser.get(_sign_in(server, browser, unverified)),
        400,
        "api.user.create_oauth_user.already_attached.app_error",
    )
    browser = _browser(server)
    assert browser.get(_sign_in(server, browser, login)).status_code == 302
    me = _me(server, browser.cookies["MMAUTHTOKEN"])
    assert (me["id"], me["auth_service"]) == (person.id, "openid")


def test_an_id_token_for_another_client_or_sign_in_is_refused(provider: OpenIdProvider) -> None:
    """Core §3.1.3.7 on a real token: signed by the provider, but for another client (or with
    another sign-in's nonce)."""
    redirect_uri = "http://127.0.0.1:9/callback"
    other_client, other_secret = provider.register_client(redirect_uri)
    attempt = new_attempt(redirect_uri)
    browser = httpx.Client(follow_redirects=False, timeout=30)
    start = browser.get(
        provider.url + "/auth",
        params={
            "response_type": "code",
            "client_id": other_client,
            "redirect_uri": redirect_uri,
            "scope": "openid",
            "state": attempt.state,
            "nonce": attempt.nonce,
            "code_challenge": attempt.code_challenge,
            "code_challenge_method": "S256",
        },
    )
    callback = sign_in_at_provider(browser, start, account("eve"), stop_at=redirect_uri)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)["code"][0]
    tokens = httpx.post(
        provider.url + "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": attempt.code_verifier,
        },
        auth=(other_client, other_secret),
    ).json()
    jwks = httpx.get(provider.url + "/jwks").json()
    check = {"jwks": jwks, "issuer": provider.url}
    assert validate_id_token(tokens["id_token"], client_id=other_client, nonce=attempt.nonce, **check)["sub"]
    for client_id, nonce in (("our-client", attempt.nonce), (other_client, "another-nonce")):
        with pytest.raises(APIError) as refused:
            validate_id_token(tokens["id_token"], client_id=client_id, nonce=nonce, **check)
        assert refused.value.error_id == "api.user.authorize_oauth_user.token_failed.app_error"
    with pytest.raises(APIError):
        validate_id_token(
            tokens["id_token"],
            jwks=jwks,
            issuer="http://evil.example",
            client_id=other_client,
            nonce=attempt.nonce,
        )


def test_wikimedia_accounts_sign_in_with_their_wiki_name_and_blocked_ones_do_not(
    server: ServerProcess, admin: API, anonymous: API, wikimedia: FakeMediaWiki
) -> None:
    config = anonymous.ok("GET", "/config/client?format=old")
    assert (config["EnableSignUpWithWikimedia"], config["WikimediaButtonText"]) == ("true", "Wikimedia")
    # With no OpenID provider, the mobile apps' "openid" button is the Wikimedia sign-in.
    assert (config["EnableSignUpWithOpenId"], config["OpenIdButtonText"]) == ("true", "Wikimedia")
    sub = secrets.randbelow(10**9)
    wiki_name = f"Ünï Tëst {sub}"
    wikimedia.profile = wiki_profile(sub, wiki_name, email=f"u{sub}@example.org")
    browser = _browser(server)
    landed = browser.get(browser.get("/oauth/wikimedia/login").headers["location"])
    # The fake provider sends the browser straight back: follow it to our callback.
    landed = browser.get(landed.headers["location"])
    assert landed.status_code == 302, landed.text
    me = _me(server, browser.cookies["MMAUTHTOKEN"])
    expected = f"uni_test_{sub}"[:22]
    assert (me["username"], me["auth_service"], me["auth_data"]) == (expected, "wikimedia", str(sub))
    # The wiki name is the chat name: its owner cannot change it, nor add a password; an admin
    # can rename, to settle a clash, and the owner can still change the other profile fields.
    own = API(server.url, browser.cookies["MMAUTHTOKEN"])
    renamed = own.put(f"/users/{me['id']}/patch", {"username": f"other{sub}"})
    assert renamed.status_code == 409
    assert renamed.json()["id"] == "api.user.patch_user.login_provider_attribute_set.app_error"
    assert (
        own.ok("PUT", f"/users/{me['id']}/patch", {"username": expected, "nickname": "Uni"})["nickname"]
        == "Uni"
    )
    password = own.put(
        f"/users/{me['id']}/password", {"current_password": "", "new_password": "Secret-123456"}
    )
    assert password.status_code == 400 and password.json()["id"] == "api.user.update_password.oauth.app_error"
    reset = admin.put(f"/users/{me['id']}/password", {"new_password": "Secret-123456"})
    assert reset.status_code == 400 and reset.json()["id"] == "api.user.update_password.oauth.app_error"
    assert admin.ok("PUT", f"/users/{me['id']}/patch", {"username": f"wiki{sub}"})["username"] == f"wiki{sub}"
    assert admin.ok("PUT", f"/users/{me['id']}/patch", {"username": expected})["username"] == expected

    # Another wiki account whose name maps to the same chat name gets a number after it.
    wikimedia.profile = wiki_profile(sub + 1, wiki_name.upper())
    other = _browser(server)
    other.get(other.get(other.get("/oauth/openid/login").headers["location"]).headers["location"])
    second = _me(server, other.cookies["MMAUTHTOKEN"])
    assert second["username"] == expected[:20] + "-2" and second["email"].endswith("@users.invalid")

    wikimedia.profile = wiki_profile(sub + 2, f"Blocked {sub}", blocked=True)
    blocked = _browser(server)
    answer = blocked.get(
        blocked.get(blocked.get("/oauth/wikimedia/login").headers["location"]).headers["location"]
    )
    _expect_page_error(answer, 400, "api.user.login_by_oauth.blocked.app_error")
    assert admin.get(f"/users/username/blocked_{sub}").status_code == 404


@pytest.mark.parametrize(
    ("path", "status", "error_id"),
    [
        ("/oauth/gitlab/login", 501, "api.user.authorize_oauth_user.unsupported.app_error"),
        (
            "/oauth/open%20id/mobile_login?redirect_to=mmauth://callback",
            501,
            "api.user.authorize_oauth_user.unsupported.app_error",
        ),
        ("/oauth/openid/login", 501, "api.user.authorize_oauth_user.unsupported.app_error"),
        ("/signup/openid/complete?code=x&state=" + "s" * 300, 400, "api.context.invalid_param.app_error"),
        ("/signup/openid/complete", 400, "api.user.authorize_oauth_user.invalid_state.app_error"),
        ("/oauth/wikimedia/login?redirect_to=/" + "x" * 1100, 400, "api.context.invalid_param.app_error"),
        (
            "/login/wikimedia/complete?state=%ff%fe&code=%ff",
            400,
            "api.user.authorize_oauth_user.invalid_state.app_error",
        ),
    ],
)
def test_odd_requests_to_the_sign_in_routes_get_a_clear_refusal(
    server: ServerProcess, path: str, status: int, error_id: str
) -> None:
    """With no provider enabled, or with junk in the query: a page with Mattermost's error id."""
    _expect_page_error(_browser(server).get(path), status, error_id)


@pytest.mark.parametrize(
    ("redirect_to", "expected"),
    [
        ("", ""),
        ("/team/channels/town-square?x=1", "/team/channels/town-square?x=1"),
        ("https://chat.example.org/team/pl/abc", "/team/pl/abc"),
        ("https://CHAT.example.org", "/"),
        ("https://chat.example.org.evil.example/", None),
        ("http://chat.example.org/", None),
        ("https://chat.example.org//evil.example/", None),
        ("javascript:alert(1)", None),
        ("team/channels", None),
    ],
)
def test_a_web_sign_in_may_end_only_on_the_site(redirect_to: str, expected: str | None) -> None:
    """With a site URL set (the shared test server has none), its own absolute addresses count."""
    if expected is None:
        with pytest.raises(APIError) as refused:
            web_redirect(redirect_to, "https://chat.example.org")
        assert refused.value.error_id == "api.invalid_redirect_url"
    else:
        assert web_redirect(redirect_to, "https://chat.example.org") == expected
