"""The web client as the server serves it: the page for every client route, cached assets, the
Content-Security-Policy, the API's own 404s, and a plain page when the client is not built."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess
from villagepump.api import webapp
from villagepump.app import create_app
from villagepump.config import Settings

CLIENT_ROUTES = [
    "/",
    "/login",
    "/select_team",
    "/denmark/channels/town-square",
    "/denmark/messages/@hamlet",
    "/denmark/pl/" + "a" * 26,
    "/denmark/threads",
    "/denmark",
]


@pytest.fixture(scope="module")
def built() -> None:
    if not webapp.is_built():
        pytest.fail("the web client is not built: run `make web` (make test does)")


def csp_directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.parametrize("path", CLIENT_ROUTES)
def test_every_client_route_gets_the_app_uncached(server: ServerProcess, built: None, path: str) -> None:
    response = httpx.get(server.url + path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="root">' in response.text
    assert response.headers["cache-control"] == "no-cache"


def test_the_policy_allows_scripts_from_this_server_only(server: ServerProcess, built: None) -> None:
    response = httpx.get(server.url + "/login")
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    host = server.url.removeprefix("http://")
    assert directives["connect-src"] == ["'self'", f"ws://{host}", f"wss://{host}"]
    # No inline script in the page the policy protects: every script has a src of this origin.
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts and all(re.search(r'\ssrc="/assets/[^"]+\.js"', tag) for tag in scripts)
    assert "<script>" not in response.text


def test_a_forged_host_header_stays_out_of_the_policy(server: ServerProcess, built: None) -> None:
    response = httpx.get(server.url + "/", headers={"Host": "evil.example; script-src *"})
    assert response.status_code == 200
    assert csp_directives(response)["connect-src"] == ["'self'"]


def test_hashed_assets_are_cached_for_good(server: ServerProcess, built: None) -> None:
    page = httpx.get(server.url + "/")
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page.text)
    assert any(asset.endswith(".js") for asset in assets) and any(asset.endswith(".css") for asset in assets)
    for asset in assets:
        response = httpx.get(server.url + asset)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    script = next(asset for asset in assets if asset.endswith(".js"))
    assert (
        httpx.get(server.url + script)
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )


def test_scripts_and_styles_go_gzipped_to_browsers_that_take_it(server: ServerProcess, built: None) -> None:
    page = httpx.get(server.url + "/")
    assets = [
        a for a in re.findall(r'(?:src|href)="(/assets/[^"]+)"', page.text) if a.endswith((".js", ".css"))
    ]
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        plain = httpx.get(server.url + asset, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
        for accepted in ("gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.8"):
            gzipped = httpx.get(server.url + asset, headers={"Accept-Encoding": accepted})
            assert gzipped.headers["content-encoding"] == "gzip", accepted
            assert gzipped.headers["content-type"] == plain.headers["content-type"]
            assert gzipped.headers["cache-control"] == plain.headers["cache-control"]
            assert gzipped.content == plain.content  # httpx unpacked it
            assert gzipped.num_bytes_downloaded < plain.num_bytes_downloaded / 2
        refused = httpx.get(server.url + asset, headers={"Accept-Encoding": "gzip;q=0"})
        assert "content-encoding" not in refused.headers and refused.content == plain.content


def test_missing_assets_and_escapes_are_404_not_the_app(server: ServerProcess, built: None) -> None:
    for path in [
        "/assets/nothing-here.js",
        "/assets/%2e%2e/index.html",
        "/assets/%2e%2e/%2e%2e/app.py",
        "/assets/",
    ]:
        response = httpx.get(server.url + path)
        assert response.status_code == 404, path
        assert '<div id="root">' not in response.text


def test_top_level_files_of_the_build_are_served(server: ServerProcess, built: None) -> None:
    response = httpx.get(server.url + "/favicon.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-cache"
    # The build stamp is not a file of the app: the path is a client route like any other.
    assert '<div id="root">' in httpx.get(server.url + "/.built").text


def test_unknown_api_paths_keep_the_json_404(server: ServerProcess, built: None) -> None:
    for path in ["/api/v4/no/such/thing", "/api/v4", "/api/v5/users/me", "/api"]:
        response = httpx.get(server.url + path)
        assert response.status_code == 404, path
        assert response.json()["id"] == "api.context.404.app_error"


def test_the_setup_link_opens_the_app_and_a_bad_one_is_refused(server: ServerProcess, built: None) -> None:
    assert '<div id="root">' in httpx.get(server.url + "/setup/" + "b" * 26).text
    assert httpx.get(server.url + "/setup/not-a-token").status_code == 404


def test_without_a_build_the_home_page_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webapp, "STATIC_DIR", tmp_path / "static")
    # No lifespan: these pages need no database.
    app = create_app(Settings(data_dir=tmp_path))

    async def visit() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            return [
                await client.get("/"),
                await client.get("/denmark/channels/town-square"),
                await client.head("/"),
                await client.get("/assets/index.js"),
            ]

    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        home, route, head, asset = pool.submit(asyncio.run, visit()).result()
    for page in (home, route):
        assert page.status_code == 200
        assert "make web" in page.text and "Mattermost" in page.text
    assert head.status_code == 200
    assert asset.status_code == 404
