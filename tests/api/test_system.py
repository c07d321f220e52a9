"""The discovery calls clients make before anything else."""

from tests.support.client import API


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
    assert anonymous.ok("GET", "/license/client?format=old") == {"IsLicensed": "false"}


def test_unknown_route_gets_error_envelope(anonymous: API) -> None:
    response = anonymous.get("/no/such/thing")
    assert response.status_code == 404
    assert response.json()["status_code"] == 404
