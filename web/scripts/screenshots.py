"""Regenerates the README's screenshots in docs/screenshots/.

Run from the repository root, after `make dev web`:

    .venv/bin/python web/scripts/screenshots.py

It starts a throwaway `villagepump serve` on SQLite in a temporary directory, seeds a small
community through the API, and photographs the web client in Debian's Chromium
(/usr/bin/chromium, never a browser download) at device scale 1, so the images stay small.
Emoji need a colour emoji font (Debian: `apt-get install fonts-noto-color-emoji`); without one
reactions show as empty boxes.
"""

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from tests.support.client import API, PASSWORD, login  # noqa: E402
from tests.support.server import ADMIN_PASSWORD, running_servers  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TEAM = "village-pump"

PEOPLE = {
    "ada": ("Ada", "Okafor"),
    "mateo": ("Mateo", "García"),
    "priya": ("Priya", "Raman"),
    "lars": ("Lars", "Eriksen"),
}
VIEWER = "ada"


def post(
    api: API, channel: dict[str, Any], message: str, root: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = {"channel_id": channel["id"], "message": message, "root_id": root["id"] if root else ""}
    created: dict[str, Any] = api.ok("POST", "/posts", body)
    return created


def react(api: API, target: dict[str, Any], emoji: str) -> None:
    api.ok("POST", "/reactions", {"user_id": api.id, "post_id": target["id"], "emoji_name": emoji})


def seed(url: str) -> None:
    admin = login(url, "sysadmin", ADMIN_PASSWORD)
    users: dict[str, API] = {}
    for username, (first, last) in PEOPLE.items():
        admin.ok(
            "POST",
            "/users",
            {
                "username": username,
                "email": f"{username}@example.org",
                "password": PASSWORD,
                "first_name": first,
                "last_name": last,
            },
        )
        users[username] = login(url, username)
    ada, mateo, priya, lars = (users[name] for name in PEOPLE)

    team = ada.ok("POST", "/teams", {"name": TEAM, "display_name": "Village pump", "type": "O"})
    for member in (mateo, priya, lars):
        ada.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": member.id})
    town_square, off_topic = (
        ada.ok("GET", f"/teams/{team['id']}/channels/name/{name}") for name in ("town-square", "off-topic")
    )
    tech_help = ada.ok(
        "POST",
        "/channels",
        {
            "team_id": team["id"],
            "name": "tech-help",
            "display_name": "Tech help",
            "type": "O",
            "purpose": "Ask anything about computers, phones and the printer",
        },
    )
    for member in (mateo, priya, lars):
        ada.ok("POST", f"/channels/{tech_help['id']}/members", {"user_id": member.id})

    # Town square: what the viewer reads first, with a thread she started.
    post(lars, town_square, "Welcome to the village chat! Town square is for everything village-wide.")
    post(priya, town_square, "Good morning, everyone! :wave:")
    market = post(
        ada,
        town_square,
        "The **spring market** is on Saturday. Still needed:\n\n"
        "- two more tables\n- someone to run the cake stall\n- a sign for the car park",
    )
    react(mateo, market, "+1")
    react(priya, market, "+1")
    react(lars, market, "tada")
    post(mateo, town_square, "I can bring tables from the hall, I'll need a hand carrying them.", market)
    post(lars, town_square, "Cake stall is mine! Lemon drizzle as usual :sparkles:", market)
    post(priya, town_square, "I'll paint the sign tonight.", market)
    post(
        lars,
        town_square,
        "Bus timetable changes from next week, details on the "
        "[council's site](https://example.org/buses). The 7:40 now leaves at 7:35.",
    )
    plan = post(mateo, town_square, f"@{VIEWER} could you send round the stall plan when it's ready?")
    react(priya, plan, "eyes")

    # Tech help: a code block, and a thread the viewer is mentioned in.
    question = post(
        priya,
        tech_help,
        "My backup script stopped working after the update. It says:\n\n"
        '```\nrsync: [sender] link_stat "/home/priya/Photos" failed: No such file or directory\n```\n\n'
        "Any idea?",
    )
    post(
        mateo,
        tech_help,
        "The folder moved to `~/Pictures`. Try this:\n\n"
        "```bash\nrsync -av --delete ~/Pictures/ /mnt/backup/photos/\n```",
        question,
    )
    post(
        priya,
        tech_help,
        f"That did it, thank you! @{VIEWER} the same probably applies to your laptop.",
        question,
    )
    react(priya, question, "white_check_mark")

    # Off-topic: unread for the viewer, so the sidebar shows it in bold.
    joke = post(
        lars, off_topic, "Found this in the attic. Anyone know what it is? *Definitely not a toaster.*"
    )
    react(mateo, joke, "joy")
    post(mateo, off_topic, "Looks like a 1960s egg timer to me.")

    # A direct message to the viewer.
    dm = mateo.ok("POST", "/channels/direct", [mateo.id, ada.id])
    post(mateo, dm, "Thanks for organising the market, Ada. Coffee on Friday?")


def new_page(browser: Browser, url: str, viewport: dict[str, int], scheme: str = "light", locale: str = "") -> Page:
    context = browser.new_context(
        base_url=url,
        viewport=viewport,  # type: ignore[arg-type]
        device_scale_factor=1,
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    context.set_default_timeout(15_000)
    # The pictures show the conversation, not the one-time offer of browser notifications.
    context.add_init_script("localStorage.setItem('villagepump.notificationsDismissed', '1')")
    if locale:
        context.add_init_script(f"localStorage.setItem('villagepump.locale', {locale!r})")
    return context.new_page()


def sign_in(page: Page, path: str) -> None:
    page.goto(path)
    page.fill("#login-id", VIEWER)
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".composer textarea")


def settle(page: Page) -> None:
    # Avatars and fonts load after the text; a moment lets them land before the picture.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)


def shoot(page: Page, name: str) -> None:
    # Away from the messages, so that no hover toolbar is in the picture.
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.mouse.move(width // 2, 2)
    settle(page)
    page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"docs/screenshots/{name}.png")


def channel_view(
    browser: Browser, url: str, name: str, viewport: dict[str, int], scheme: str, locale: str = ""
) -> None:
    page = new_page(browser, url, viewport, scheme, locale)
    sign_in(page, f"/{TEAM}/channels/town-square")
    expect(page.locator("article.post", has_text="could you send round the stall plan")).to_be_visible()
    shoot(page, name)
    page.context.close()


def capture(url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        page = new_page(browser, url, DESKTOP)
        page.goto("/")
        page.wait_for_selector("#login-id")
        shoot(page, "login")
        page.context.close()

        channel_view(browser, url, "channel-desktop-light", DESKTOP, "light")
        channel_view(browser, url, "channel-desktop-dark", DESKTOP, "dark")
        # The right-to-left pseudo-locale (English in brackets, mirrored layout).
        channel_view(browser, url, "channel-desktop-rtl", DESKTOP, "light", "ar-XB")

        page = new_page(browser, url, DESKTOP)
        sign_in(page, f"/{TEAM}/channels/town-square")
        market = page.locator("article.post", has_text="spring market")
        market.get_by_role("button", name="3 replies").click()
        expect(page.locator(".thread-panel article.post", has_text="paint the sign")).to_be_visible()
        shoot(page, "thread-desktop")

        page.goto(f"/{TEAM}/threads")
        expect(page.locator(".thread-item", has_text="backup script")).to_be_visible()
        shoot(page, "threads-desktop")
        page.context.close()

        channel_view(browser, url, "channel-phone-light", PHONE, "light")
        channel_view(browser, url, "channel-phone-dark", PHONE, "dark")
        browser.close()


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit("Chromium is not installed (apt-get install chromium)")
    with running_servers("sqlite") as (server,):
        seed(server.url)
        capture(server.url)


if __name__ == "__main__":
    main()
