"""Headless Debian Chromium driven by Playwright, for the web client's browser stories.

Never a browser download: the tests use /usr/bin/chromium (Debian's `chromium` package, which
.ci/run installs). They run against the SQLite server only: they test the client, and the API
tests already cover both databases."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.support.client import PASSWORD
from tests.support.server import REQUIRE_SERVICES, ServerProcess
from villagepump.api import webapp

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium spends its start-up calling Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
# A socket that lost its connection retries after a few seconds, with jitter.
expect.set_options(timeout=TIMEOUT_MS)

# `server` is parametrized over both databases; these stories take the SQLite one.
sqlite_only = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


class PageErrors(list[str]):
    """Script errors and Content-Security-Policy violations seen on a page; `console` keeps
    everything the page logged, for reading when a story fails."""

    console: list[str]


OpenPage = Callable[..., tuple[Page, PageErrors]]


# Per module, not per session: Playwright's sync API holds an event loop on this thread while it
# runs, and the PostgreSQL fixtures' asyncio.run() cannot start beside it.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = "Chromium is not installed (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(reason)
        pytest.skip(reason)
    if not webapp.is_built():
        pytest.fail("the web client is not built: run `make web` (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, server: ServerProcess) -> Iterator[OpenPage]:
    """A new browser profile (its own cookies) with one page; each story signs in on its own."""
    contexts: list[BrowserContext] = []

    def open_page(width: int = 1200, height: int = 800, base_url: str = "") -> tuple[Page, PageErrors]:
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=base_url or server.url
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors = PageErrors()
        errors.console = []
        page.on("console", lambda message: errors.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page, errors

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Page, username: str, path: str = "/") -> None:
    page.goto(path)
    page.fill("#login-id", username)
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".composer textarea, #team-display-name")


def assert_no_server_errors(server: ServerProcess) -> None:
    """What the session's `server` fixture checks, for the servers a browser story starts itself."""
    failures = [line for line in server.log().splitlines() if "unexpected error" in line]
    assert not failures, "the server answered 500:\n" + "\n".join(failures[:20])
