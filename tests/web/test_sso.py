"""Sign in with an outside account from the web client: an invited person follows the team's
invite link, chooses "Sign in with ..." and, after the provider's login page (a real OpenID
provider, npm `oidc-provider`), lands signed in, in the team's Town Square."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.api.test_sso import SSO_OFF
from tests.support.client import API, World, unique
from tests.support.oidc import OpenIdProvider, account, running_openid_provider
from tests.support.server import ServerProcess
from tests.web.conftest import OpenPage, sqlite_only


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIdProvider]:
    with running_openid_provider() as started:
        yield started


@pytest.fixture
def openid(server: ServerProcess, admin: API, provider: OpenIdProvider) -> Iterator[OpenIdProvider]:
    client_id, secret = provider.register_client(server.url + "/signup/openid/complete")
    settings = {"Enable": True, "Id": client_id, "Secret": secret, "ButtonText": "Example ID"}
    settings["DiscoveryEndpoint"] = provider.discovery_endpoint
    admin.ok("PUT", "/config/patch", {"OpenIdSettings": settings})
    yield provider
    admin.ok("PUT", "/config/patch", SSO_OFF)


@sqlite_only
def test_an_invited_person_signs_in_with_openid_and_lands_in_the_team(
    open_page: OpenPage, world: World, openid: OpenIdProvider
) -> None:
    page, errors = open_page()
    page.goto("/login")
    expect(page.get_by_role("link", name="Sign in with Example ID")).to_be_visible()

    invite_id = world.admin.ok("GET", f"/teams/{world.team['id']}")["invite_id"]
    page.goto(f"/signup_user_complete/?id={invite_id}")
    page.get_by_role("link", name="Sign in with Example ID").click()
    # The provider's own login page (oidc-provider's development interaction).
    name = unique("fay")
    page.locator("input[name=login]").fill(account(name))
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()

    expect(page.locator("#channel-title")).to_have_text("Town Square")
    assert page.url.endswith(f"/{world.team['name']}/channels/town-square")
    me = page.evaluate("() => fetch('/api/v4/users/me').then((r) => r.json())")
    assert (me["username"], me["auth_service"]) == (name, "openid")
    assert errors == []
