"""A user's own data in a real browser: "Your data" in settings asks for the export, shows it
being made, then offers the zip while its link is valid; and the warning before the retention
policy deletes one's own messages leads there (decision 0039)."""

import io
import json
import zipfile

from playwright.sync_api import expect

from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_settings import open_settings, post


@sqlite_only
def test_hamlet_exports_his_data_from_settings_and_downloads_the_zip(
    open_page: OpenPage, world: World
) -> None:
    post(world, "words, words, words")
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
    open_settings(page, "Your data")
    page.get_by_role("button", name="Export my data").click()
    link = page.get_by_role("link", name="Download your data")
    expect(link).to_be_visible(timeout=20_000)
    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    assert download.suggested_filename.endswith(".zip")
    path = download.path()
    assert path is not None
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    messages = [json.loads(line)["message"] for line in archive.read("posts.jsonl").splitlines()]
    assert "words, words, words" in messages
    assert json.loads(archive.read("profile.json"))["username"] == world.hamlet.username
    expect(page.get_by_role("button", name="Make a new export")).to_be_visible()
    assert errors == []


@sqlite_only
def test_the_retention_warning_counts_ones_own_messages_and_leads_to_the_export(
    open_page: OpenPage, world: World
) -> None:
    post(world, "soon gone")
    admin = world.admin
    admin.ok(
        "PUT",
        "/config/patch",
        {"DataRetentionSettings": {"EnableMessageDeletion": True, "MessageRetentionHours": 24}},
    )
    try:
        page, errors = open_page()
        sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
        banner = page.locator(".expiring-banner")
        expect(banner).to_contain_text("1 of your messages will be deleted in the next 7 days.")
        banner.get_by_role("button", name="Export your data").click()
        expect(page.get_by_role("button", name="Export my data")).to_be_visible()
        page.keyboard.press("Escape")
        banner.get_by_role("button", name="Dismiss").click()
        expect(banner).to_have_count(0)
        page.reload()
        expect(page.locator("#channel-title")).to_have_text("Town Square")
        expect(page.locator(".expiring-banner")).to_have_count(0)
        assert errors == []
    finally:
        admin.ok(
            "PUT",
            "/config/patch",
            {"DataRetentionSettings": {"EnableMessageDeletion": False, "MessageRetentionHours": 0}},
        )
