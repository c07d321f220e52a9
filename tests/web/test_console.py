"""The System Console in a real browser: an admin reads the statistics, changes a setting that
the server then has, and deactivates a user; on a phone it still works; anyone else is refused."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.support.client import API, World, create_user
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe
from tests.web.test_notifications import eventually


def an_admin(world: World) -> API:
    """A system admin of the world's team who signs in with the usual password."""
    horatio = create_user(world.admin, "horatio")
    world.admin.ok("PUT", f"/users/{horatio.id}/roles", {"roles": "system_user system_admin"})
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": horatio.id}
    )
    return horatio


def team_count(admin: API) -> int:
    standard = admin.ok("GET", "/analytics/old?name=standard")
    return int(next(row["value"] for row in standard if row["name"] == "team_count"))


def open_console(page: Page) -> None:
    page.locator(".user-menu-button").click()
    page.get_by_role("menuitem", name="System Console").click()
    expect(page).to_have_url(re.compile(r"/admin_console$"))


@sqlite_only
def test_an_admin_reads_statistics_changes_a_setting_and_deactivates_a_user(
    open_page: OpenPage, world: World
) -> None:
    horatio = an_admin(world)
    world.hamlet.ok(
        "POST", "/posts", {"channel_id": world.town_square["id"], "message": "words, words, words"}
    )
    before = world.admin.ok("GET", "/config")["TeamSettings"]["SiteName"]
    teams_before = team_count(world.admin)
    page, errors = open_page()
    with_axe(page)
    sign_in(page, horatio.username)
    open_console(page)

    # Statistics first: the counts and both charts, each with its numbers beneath.
    expect(page.get_by_role("heading", name="Statistics")).to_be_visible()
    teams = page.locator("[data-stat=team_count] dd")
    # The server's own count, read around the page's (the shared test server holds more teams
    # than one page of /teams lists, and other tests may be making more meanwhile).
    expect(teams).to_have_text(re.compile(r"^\d+$"))
    shown = int(teams.inner_text())
    assert teams_before <= shown <= team_count(world.admin)
    expect(page.get_by_role("img", name="Messages per day")).to_be_visible()
    expect(page.get_by_role("img", name="People who posted, per day")).to_be_visible()
    assert serious_violations(page) == [], "statistics"

    try:
        page.get_by_role("link", name="Settings").click()
        site_name = page.get_by_label("SiteName", exact=True)
        expect(site_name).to_have_value(before)
        assert serious_violations(page) == [], "settings"
        site_name.fill("Elsinore Pump")
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_role("status")).to_have_text("Settings saved.")
        assert world.admin.ok("GET", "/config")["TeamSettings"]["SiteName"] == "Elsinore Pump"
        # A bad value is refused with the server's message, and nothing changes.
        page.get_by_label("SiteName", exact=True).fill("x" * 31)
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_role("alert")).to_contain_text("30 characters")
        assert world.admin.ok("GET", "/config")["TeamSettings"]["SiteName"] == "Elsinore Pump"
    finally:
        world.admin.ok("PUT", "/config/patch", {"TeamSettings": {"SiteName": before}})

    page.get_by_role("link", name="Users").click()
    page.get_by_role("searchbox", name="Search users").fill(world.othello.username)
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"@{world.othello.username}").click()
    panel = page.get_by_role("region", name=f"Manage @{world.othello.username}")
    assert serious_violations(page) == [], "users"
    panel.get_by_role("button", name="Deactivate").click()
    expect(panel.get_by_role("status")).to_have_text("Done.")
    othello = eventually(
        lambda: world.admin.ok("GET", f"/users/{world.othello.id}"), lambda user: user["delete_at"] > 0
    )
    assert othello["delete_at"] > 0
    expect(panel.get_by_role("button", name="Activate")).to_be_visible()
    assert errors == []


@sqlite_only
def test_the_console_fits_a_phone(open_page: OpenPage, world: World) -> None:
    horatio = an_admin(world)
    page, errors = open_page(width=390, height=800)
    sign_in(page, horatio.username)
    page.goto("/admin_console/audit")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    nav = page.get_by_role("navigation", name="Console sections")
    expect(nav.get_by_role("link", name="Audit log")).to_have_attribute("aria-current", "page")
    # The page does not scroll sideways: the sections scroll within their own row.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


@sqlite_only
def test_a_member_is_refused_the_console(open_page: OpenPage, world: World) -> None:
    page, errors = open_page()
    sign_in(page, world.hamlet.username)
    page.locator(".user-menu-button").click()
    expect(page.get_by_role("menuitem", name="Profile and settings")).to_be_visible()
    expect(page.get_by_role("menuitem", name="System Console")).to_have_count(0)
    page.goto("/admin_console/settings")
    expect(page.get_by_role("alert")).to_have_text("Only system administrators can use the System Console.")
    expect(page.get_by_role("button", name="Save settings")).to_have_count(0)
    assert errors == []


def open_user(page: Page, username: str) -> Locator:
    page.get_by_role("searchbox", name="Search users").fill(username)
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"@{username}").click()
    return page.get_by_role("region", name=f"Manage @{username}")


@sqlite_only
def test_an_admin_exports_a_users_data_and_erases_another_for_good(open_page: OpenPage, world: World) -> None:
    horatio = an_admin(world)
    yorick = create_user(world.admin, "yorick")
    page, errors = open_page()
    with_axe(page)
    sign_in(page, horatio.username)
    page.goto("/admin_console/users")

    panel = open_user(page, world.hamlet.username)
    panel.get_by_role("button", name="Export this user's data").click()
    download = panel.get_by_role("link", name=re.compile(r"^Download the export"))
    expect(download).to_be_visible(timeout=30_000)
    assert serious_violations(page) == [], "personal data"
    with page.expect_download() as started:
        download.click()
    assert started.value.suggested_filename.endswith(".zip")

    panel = open_user(page, yorick.username)
    erase = panel.get_by_role("button", name="Erase for good")
    expect(erase).to_be_disabled()
    panel.get_by_label(f"To erase @{yorick.username} for good, type the username:").fill(yorick.username)
    # Off by default: the server refuses, and says why.
    erase.click()
    expect(panel.get_by_role("alert")).to_be_visible()
    assert world.admin.ok("GET", f"/users/{yorick.id}")["username"] == yorick.username
    world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableAPIUserDeletion": True}})
    try:
        erase.click()
        # The list is read again: the erased account no longer answers to its name.
        expect(panel).to_have_count(0)
        expect(page.get_by_role("button", name=f"@{yorick.username}")).to_have_count(0)
    finally:
        world.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableAPIUserDeletion": False}})
    erased = world.admin.ok("GET", f"/users/{yorick.id}")
    assert erased["username"] == f"deleted-{yorick.id}" and erased["delete_at"] > 0
    assert errors == []
