"""Access without a mouse or without sight: axe-core finds no serious or critical violation on the
main screens; every flow works from the keyboard alone (F6 between regions, visible focus); new
messages from others are read out through a polite live region."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.client import PASSWORD, World
from tests.web.conftest import OpenPage, sign_in, sqlite_only

# npm axe-core, installed in tests/js by `make dev`.
AXE = Path(__file__).resolve().parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"

SERIOUS = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(' ') + ' ' + (node.failureSummary || '')),
        }));
}"""

FOCUS_OUTLINE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
}"""


def with_axe(page: Page) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make dev` (tests/js)")
    # An init script runs before the page's own and is not subject to its CSP.
    page.context.add_init_script(path=str(AXE))


def serious_violations(page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = page.evaluate(SERIOUS)
    return violations


def say(world: World, channel: dict[str, Any], message: str, root_id: str = "") -> dict[str, Any]:
    post: dict[str, Any] = world.othello.ok(
        "POST", "/posts", {"channel_id": channel["id"], "message": message, "root_id": root_id}
    )
    return post


@sqlite_only
def test_axe_finds_nothing_serious_on_login_channel_thread_settings_and_phone(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    root = say(world, world.town_square, "Who's there? **Nay**, answer me")
    say(world, world.town_square, "Long live the king!", root_id=root["id"])
    page, errors = open_page()
    with_axe(page)

    page.goto("/login")
    expect(page.locator("#login-id")).to_be_visible()
    assert serious_violations(page) == [], "login"

    sign_in(page, world.hamlet.username, f"/{team}/channels/town-square")
    expect(page.locator(".post-list article.post", has_text="Who's there?")).to_be_visible()
    assert serious_violations(page) == [], "channel"

    page.locator(".post-list article.post", has_text="Who's there?").get_by_role(
        "button", name="1 reply"
    ).click()
    expect(page.locator(".thread-panel article.post", has_text="Long live the king!")).to_be_visible()
    assert serious_violations(page) == [], "thread"

    page.locator(".user-menu-button").click()
    page.get_by_role("menuitem", name="Profile and settings").click()
    for tab in ("Profile", "Security", "Notifications", "Display", "Language", "Your data"):
        page.get_by_role("dialog").get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        expect(page.get_by_role("tabpanel")).not_to_be_empty()
        assert serious_violations(page) == [], f"settings: {tab}"
    page.keyboard.press("Escape")

    phone, phone_errors = open_page(width=360, height=740)
    with_axe(phone)
    sign_in(phone, world.hamlet.username, f"/{team}/channels/town-square")
    expect(phone.locator(".post-list article.post", has_text="Who's there?")).to_be_visible()
    assert serious_violations(phone) == [], "phone channel"
    phone.locator(".channel-view").get_by_role("button", name="Back").click()
    expect(phone.locator(".sidebar")).to_be_visible()
    assert serious_violations(phone) == [], "phone sidebar"
    assert errors == [] and phone_errors == []


def focused(page: Page) -> Any:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, label: document.activeElement.getAttribute('aria-label'),"
        " text: document.activeElement.textContent, classes: document.activeElement.className,"
        " name: document.activeElement.getAttribute('name'), role: document.activeElement.getAttribute('role')})"
    )


def tab_to(page: Page, matches: Any, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if matches(focused(page)):
            return
    raise AssertionError(f"Tab never reached the element; the focus is on {focused(page)}")


def f6_to(page: Page, selector: str, limit: int = 8) -> None:
    for _ in range(limit):
        page.keyboard.press("F6")
        if page.evaluate(f"() => Boolean(document.activeElement.closest({selector!r}))"):
            return
    raise AssertionError(f"F6 never reached {selector}; the focus is on {focused(page)}")


def sign_in_by_keyboard(page: Page, username: str, path: str) -> None:
    """The sign-in form takes the focus; typing, Tab and Enter do the rest, and the channel's
    composer has the focus then."""
    page.goto(path)
    expect(page.locator("#login-id")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".channel-view .composer textarea")).to_be_focused()


@sqlite_only
def test_keyboard_only_sign_in_switch_channel_post_and_reply_in_a_thread(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    page, errors = open_page()
    sign_in_by_keyboard(page, world.hamlet.username, f"/{team}/channels/town-square")
    composer = page.locator(".channel-view .composer textarea")

    # F6 goes round the regions in order: sidebar, header, messages, composer.
    page.keyboard.press("F6")
    expect(page.locator(".sidebar .channel-link.current")).to_be_focused()
    assert page.evaluate(FOCUS_OUTLINE), "the focused channel link shows no focus ring"
    page.keyboard.press("F6")
    expect(page.locator(".channel-header")).to_be_focused()
    page.keyboard.press("F6")
    expect(page.locator(".post-list")).to_be_focused()
    assert page.evaluate(FOCUS_OUTLINE), "the focused message list shows no focus ring"
    page.keyboard.press("F6")
    expect(composer).to_be_focused()
    page.keyboard.press("Shift+F6")
    expect(page.locator(".post-list")).to_be_focused()

    # Switch channel from the sidebar.
    f6_to(page, ".sidebar")
    tab_to(page, lambda element: "channel-link" in element["classes"] and "Off-Topic" in element["text"])
    assert page.evaluate(FOCUS_OUTLINE), f"no focus ring on {focused(page)}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{team}/channels/off-topic$"))
    expect(page.locator("#channel-title")).to_have_text("Off-Topic")

    # Post.
    f6_to(page, ".main-pane .composer")
    page.keyboard.type("Words, words, words")
    page.keyboard.press("Enter")
    mine = page.locator(".post-list article.post", has_text="Words, words, words")
    expect(mine).to_be_visible()

    # Open its thread: Up in the message list reaches the post, Tab its Reply button.
    f6_to(page, ".main-pane .post-list")
    page.keyboard.press("ArrowUp")
    expect(mine).to_be_focused()
    assert page.evaluate(FOCUS_OUTLINE), "the focused message shows no focus ring"
    tab_to(page, lambda element: element["label"] == "Reply", limit=10)
    page.keyboard.press("Enter")
    thread = page.locator(".thread-panel")
    expect(thread.locator(".composer textarea")).to_be_focused()
    page.keyboard.type("What do you read, my lord?")
    page.keyboard.press("Enter")
    expect(thread.locator("article.post", has_text="What do you read, my lord?")).to_be_visible()
    # The thread panel is a region of its own.
    f6_to(page, ".thread-panel .thread-posts")
    assert errors == []


@sqlite_only
def test_keyboard_only_switcher_reaction_and_theme(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    madness = say(world, world.off_topic, "Though this be madness, yet there is method in it")
    page, errors = open_page()
    page.emulate_media(color_scheme="light")
    sign_in_by_keyboard(page, world.hamlet.username, f"/{team}/channels/town-square")

    # Ctrl+K: the switcher's search takes the focus; typing and Enter open the channel.
    page.keyboard.press("Control+k")
    switcher = page.get_by_role("dialog", name="Switch channels")
    expect(switcher.get_by_label("Find a channel or a person")).to_be_focused()
    page.keyboard.type("off")
    page.keyboard.press("Enter")
    expect(page.locator("#channel-title")).to_have_text("Off-Topic")
    expect(switcher).to_have_count(0)

    # React: the message list, Up to the message, Tab to Add reaction, then a quick reaction.
    f6_to(page, ".main-pane .post-list")
    message = page.locator(".post-list article.post", has_text="method in it")
    for _ in range(5):
        page.keyboard.press("ArrowUp")
        if message.evaluate("element => element === document.activeElement"):
            break
    expect(message).to_be_focused()
    tab_to(page, lambda element: element["label"] == "Add reaction", limit=10)
    page.keyboard.press("Enter")
    tab_to(page, lambda element: (element["label"] or "").startswith("React with"), limit=5)
    emoji = focused(page)["label"].removeprefix("React with ")
    page.keyboard.press("Enter")
    expect(message.get_by_role("button", name=f"{emoji}: 1 reaction")).to_be_visible()
    reactions = world.hamlet.ok("GET", f"/posts/{madness['id']}/reactions")
    assert [(r["user_id"], r["emoji_name"]) for r in reactions] == [(world.hamlet.id, emoji)]

    # Settings: the user menu from the sidebar, the Display tab, the theme's radio buttons.
    f6_to(page, ".sidebar")
    tab_to(page, lambda element: "user-menu-button" in element["classes"], limit=60)
    page.keyboard.press("Enter")
    tab_to(page, lambda element: element["text"] == "Profile and settings", limit=20)
    page.keyboard.press("Enter")
    settings = page.get_by_role("dialog", name="Settings")
    expect(settings).to_be_visible()
    tab_to(page, lambda element: element["role"] == "tab" and element["text"] == "Display", limit=10)
    page.keyboard.press("Enter")
    tab_to(page, lambda element: element["name"] == "theme", limit=10)
    html = page.locator("html")
    for _ in range(3):
        if page.evaluate("document.activeElement.value") == "dark":
            break
        page.keyboard.press("ArrowDown")
    expect(html).to_have_attribute("data-theme", "dark")
    page.keyboard.press("Escape")
    expect(settings).to_have_count(0)
    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    assert errors == []


@sqlite_only
def test_new_messages_from_others_are_announced_politely(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{team}/channels/town-square")
    region = page.locator("[data-testid=announcer]")
    expect(region).to_have_attribute("aria-live", "polite")

    box = page.locator(".channel-view .composer textarea")
    box.fill("Mine is not read out")
    box.press("Enter")
    expect(page.locator(".post-list article.post", has_text="Mine is not read out")).to_be_visible()
    say(world, world.town_square, "Something is *rotten*")
    expect(region).to_have_text(f"{world.othello.username}: Something is rotten")

    # A burst is one announcement, not one each.
    for n in range(3):
        say(world, world.town_square, f"burst {n}")
    expect(region).to_have_text("3 new messages in Town Square")
    # Nor are other channels' messages.
    say(world, world.off_topic, "elsewhere")
    page.wait_for_timeout(2500)
    expect(region).to_have_text("3 new messages in Town Square")
    assert errors == []
