"""The discovery calls clients make before anything else."""

import time
from pathlib import Path

import httpx

from tests.support.client import API
from tests.support.server import ServerProcess, make_server


def test_ping(anonymous: API) -> None:
    response = anonymous.get("/system/ping")
    assert response.status_code == 200
    assert response.json()["status"] == "OK"
    assert response.headers["x-version-id"].startswith("10.11.0.")


def test_client_config_old_format(anonymous: API) -> None:
    config = anonymous.ok("GET", "/config/client?format=old")
    assert config["DiagnosticId"]
    assert config["EnableSignInWithUsername"] == "true"
    assert all(isinstance(value, str) for value in config.values())


def test_client_config_needs_old_format(anonymous: API) -> None:
    assert anonymous.get("/config/client").status_code == 501


def test_client_license(anonymous: API) -> None:
    # Licensed (the apps act on a licensed feature only then), with the flags of what Mattermost
    # licenses and we give freely, and no SKU, so no tier-gated feature turns on.
    assert anonymous.ok("GET", "/license/client?format=old") == {
        "IsLicensed": "true",
        "OpenId": "true",
        "GuestAccounts": "true",
        "DataRetention": "true",
        "MFA": "true",
    }


def test_unknown_route_gets_error_envelope(anonymous: API) -> None:
    response = anonymous.get("/no/such/thing")
    assert response.status_code == 404
    assert response.json()["status_code"] == 404
    assert response.json()["id"] == "api.context.404.app_error"


def test_routes_are_found_by_first_segment_as_before(anonymous: API) -> None:
    # Routes are looked up by their first segment (api/v4/routes.py): an unknown path under a
    # known segment, and a known path with the wrong method, answer as Starlette's router did.
    response = anonymous.get("/users/no/such/thing")
    assert (response.status_code, response.json()["id"]) == (404, "api.context.404.app_error")
    response = anonymous.request("DELETE", "/system/ping")
    assert (response.status_code, response.json()["id"]) == (405, "api.context.method_not_allowed.app_error")


def test_home_page_answers_head_and_get(server: ServerProcess) -> None:
    # The mobile app checks the server address with HEAD before anything else.
    assert httpx.head(server.url + "/").status_code == 200
    assert "Mattermost" in httpx.get(server.url + "/").text


def test_first_admin_setup_link(tmp_path: Path) -> None:
    fresh = make_server("sqlite", data_dir=tmp_path)
    fresh.start()
    try:
        deadline = time.monotonic() + 10
        while "/setup/" not in fresh.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        token = fresh.log().split("/setup/")[1].split()[0]
        page = httpx.get(f"{fresh.url}/setup/{token}")
        # The web client's setup screen when it is built, else the server's own small page.
        assert page.status_code == 200
        assert "first administrator" in page.text or '<div id="root">' in page.text
        fields = {"username": "founder", "email": "founder@example.org", "password": "founder-password"}
        created = httpx.post(f"{fresh.url}/api/v4/users?setup_token={token}", json=fields)
        assert created.status_code == 201 and "system_admin" in created.json()["roles"]
        # The link works once.
        again = httpx.post(
            f"{fresh.url}/api/v4/users?setup_token={token}", json={**fields, "username": "second"}
        )
        assert again.status_code == 403
    finally:
        fresh.stop()
