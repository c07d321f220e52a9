"""Channels, navigation and lists in a real browser against a real server: creating, browsing and
joining channels, the Ctrl+K switcher, custom sidebar categories, pinned and saved lists,
permalinks, the profile card and signing up from a team's invite link."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.client import API, PASSWORD, World, unique
from tests.support.mail import link_in, running_mailbox, text_of
from tests.web.conftest import OpenPage, sign_in, sqlite_only


def post(api: API, channel: dict[str, Any], message: str) -> dict[str, Any]:
    created: dict[str, Any] = api.ok("POST", "/posts", {"channel_id": channel["id"], "message": message})
    return created


def sidebar_menu(page: Page, item: str) -> None:
    page.get_by_role("button", name="Add channels and more").click()
    page.get_by_role("menuitem", name=item).click()


def channel_menu(page: Page, channel: str, item: str) -> None:
    link = page.locator(".channel-item", has_text=channel)
    link.hover()
    link.get_by_role("button", name=f"Options for {channel}").click()
    page.get_by_role("menuitem", name=item).click()


def many_posts(api: API, channel: dict[str, Any], count: int, prefix: str) -> list[dict[str, Any]]:
    return [post(api, channel, f"{prefix} {n}") for n in range(count)]


@sqlite_only
def test_a_new_channel_is_found_joined_and_described(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")

    sidebar_menu(hamlet, "Create a channel")
    dialog = hamlet.get_by_role("dialog", name="Create a channel")
    dialog.get_by_label("Name", exact=True).fill("Élsinore Battlements")
    # The URL name follows the display name, as Mattermost's does.
    expect(dialog.get_by_label("URL")).to_have_value("elsinore-battlements")
    dialog.get_by_label("Purpose (optional)").fill("Where the ghost walks")
    dialog.get_by_role("button", name="Create channel").click()
    expect(hamlet).to_have_url(re.compile(f"/{team}/channels/elsinore-battlements$"))
    expect(hamlet.locator("#channel-title")).to_have_text("Élsinore Battlements")
    expect(hamlet.locator(".channel-link", has_text="Élsinore Battlements")).to_be_visible()

    # The same URL again: Mattermost's refusal is shown, and the dialog stays open to fix it.
    sidebar_menu(hamlet, "Create a channel")
    dialog.get_by_label("Name", exact=True).fill("Elsinore battlements")
    dialog.get_by_role("button", name="Create channel").click()
    expect(dialog.get_by_role("alert")).not_to_be_empty()
    dialog.get_by_role("button", name="Cancel").click()

    # The header, in Markdown, set by a member.
    hamlet.get_by_role("button", name="More actions for Élsinore Battlements").click()
    hamlet.get_by_role("menuitem", name="Edit header").click()
    hamlet.get_by_label("Header, shown beside the channel name").fill("**Watch** at midnight")
    hamlet.get_by_role("button", name="Save", exact=True).click()
    expect(hamlet.locator(".channel-header-text strong")).to_have_text("Watch")

    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    expect(othello.locator(".channel-link", has_text="Élsinore Battlements")).to_have_count(0)
    sidebar_menu(othello, "Browse channels")
    browse = othello.get_by_role("dialog", name="Browse channels")
    browse.get_by_label("Search channels").fill("battle")
    expect(browse.locator(".browse-result")).to_have_count(1)
    expect(browse.locator(".browse-result")).to_contain_text("Where the ghost walks")
    browse.get_by_role("button", name="Join Élsinore Battlements").click()
    expect(othello).to_have_url(re.compile(f"/{team}/channels/elsinore-battlements$"))
    expect(othello.locator(".channel-header-text strong")).to_have_text("Watch")
    expect(othello.locator(".channel-link", has_text="Élsinore Battlements")).to_be_visible()
    expect(othello.get_by_role("button", name="2 members")).to_be_visible()

    # The member list shows both; Hamlet sees Othello join.
    othello.get_by_role("button", name="2 members").click()
    members = othello.get_by_role("list", name="Members")
    expect(members.locator(".member")).to_have_count(2)
    expect(othello.locator(".channel-purpose")).to_contain_text("Where the ghost walks")
    expect(
        hamlet.locator(".system-post", has_text=f"{world.othello.username} joined the channel")
    ).to_be_visible()

    # Leaving: back to Town Square, and the channel is gone from the sidebar.
    channel_menu(othello, "Élsinore Battlements", "Leave channel")
    expect(othello).to_have_url(re.compile(f"/{team}/channels/town-square$"))
    expect(othello.locator(".channel-link", has_text="Élsinore Battlements")).to_have_count(0)

    # Archived, it is still found under Browse, and readable but closed to posting.
    channel_id = world.hamlet.ok("GET", f"/teams/{world.team['id']}/channels/name/elsinore-battlements")["id"]
    world.hamlet.ok("DELETE", f"/channels/{channel_id}")
    sidebar_menu(othello, "Browse channels")
    browse.get_by_role("button", name="Archived channels").click()
    browse.get_by_role("button", name="View Élsinore Battlements").click()
    expect(othello).to_have_url(re.compile(f"/{team}/channels/elsinore-battlements$"))
    expect(othello.get_by_role("note")).to_contain_text("archived")
    expect(othello.locator(".channel-view .composer")).to_have_count(0)
    expect(othello.locator(".post-list article.post", has_text="joined the channel").first).to_be_visible()
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_ctrl_k_switches_channels_and_starts_direct_messages_by_keyboard(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    post(world.othello, world.off_topic, f"@{world.hamlet.username} over here")
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    expect(hamlet.locator("#channel-title")).to_have_text("Town Square")

    hamlet.keyboard.press("Control+k")
    search = hamlet.get_by_role("combobox", name="Find a channel or a person")
    expect(search).to_be_focused()
    # Unread ones first before anything is typed: Off-Topic has a mention.
    expect(hamlet.locator(".switcher-result").first).to_contain_text("Off-Topic")
    search.type("offt")
    expect(hamlet.get_by_role("option", selected=True)).to_contain_text("Off-Topic")
    hamlet.keyboard.press("Enter")
    expect(hamlet).to_have_url(re.compile(f"/{team}/channels/off-topic$"))
    expect(hamlet.get_by_role("dialog")).to_have_count(0)

    # A person with no direct channel yet: picking them opens one.
    hamlet.keyboard.press("Control+k")
    hamlet.keyboard.type(world.iago.username)
    option = hamlet.get_by_role("option", name=re.compile(world.iago.username))
    expect(option).to_be_visible()
    hamlet.keyboard.press("ArrowDown")
    hamlet.keyboard.press("ArrowUp")
    expect(option).to_have_attribute("aria-selected", "true")
    hamlet.keyboard.press("Enter")
    expect(hamlet).to_have_url(re.compile(f"/{team}/messages/@{world.iago.username}$"))
    expect(hamlet.locator("#channel-title")).to_have_text(world.iago.username)

    # Escape closes it and leaves the reader where they were.
    hamlet.keyboard.press("Control+k")
    hamlet.keyboard.press("Escape")
    expect(hamlet.get_by_role("dialog")).to_have_count(0)
    expect(hamlet).to_have_url(re.compile(f"/{team}/messages/@{world.iago.username}$"))
    assert errors == []


@sqlite_only
def test_a_channel_moved_to_a_new_category_stays_there_on_every_device(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    laptop, laptop_errors = open_page()
    phone, phone_errors = open_page()
    sign_in(laptop, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(phone, world.hamlet.username, f"/{team}/channels/town-square")

    channel_menu(laptop, "Off-Topic", "Move to…")
    laptop.get_by_role("button", name="New category…").click()
    laptop.get_by_label("Category name").fill("Plays")
    laptop.get_by_role("button", name="Create", exact=True).click()
    plays = laptop.locator('.category[data-category="Plays"]')
    expect(plays.locator(".channel-link", has_text="Off-Topic")).to_be_visible()
    expect(
        laptop.locator('.category[data-category="channels"] .channel-link', has_text="Off-Topic")
    ).to_have_count(0)

    # The other device hears of it over the WebSocket, without a reload.
    expect(
        phone.locator('.category[data-category="Plays"] .channel-link', has_text="Off-Topic")
    ).to_be_visible()

    laptop.reload()
    expect(plays.locator(".channel-link", has_text="Off-Topic")).to_be_visible()
    categories = world.hamlet.ok(
        "GET", f"/users/{world.hamlet.id}/teams/{world.team['id']}/channels/categories"
    )
    custom = [c for c in categories["categories"] if c["type"] == "custom"]
    assert [(c["display_name"], c["channel_ids"]) for c in custom] == [("Plays", [world.off_topic["id"]])]

    # Favorite, then rename and delete the category: its channels go back home.
    channel_menu(laptop, "Town Square", "Favorite")
    expect(
        laptop.locator('.category[data-category="favorites"] .channel-link', has_text="Town Square")
    ).to_be_visible()
    laptop.get_by_role("button", name="Options for the category Plays").click()
    laptop.get_by_role("menuitem", name="Rename category").click()
    laptop.get_by_label("Category name").fill("Tragedies")
    laptop.get_by_role("button", name="Rename category").click()
    expect(
        phone.locator('.category[data-category="Tragedies"] .channel-link', has_text="Off-Topic")
    ).to_be_visible()
    laptop.get_by_role("button", name="Options for the category Tragedies").click()
    laptop.get_by_role("menuitem", name="Delete category").click()
    laptop.get_by_role("dialog").get_by_role("button", name="Delete category").click()
    expect(
        phone.locator('.category[data-category="channels"] .channel-link', has_text="Off-Topic")
    ).to_be_visible()
    expect(phone.locator('.category[data-category="Tragedies"]')).to_have_count(0)

    # The unread filter shows only what is unread.
    post(world.othello, world.off_topic, "news from the players")
    laptop.get_by_role("button", name="Show only unread channels").click()
    expect(laptop.locator(".sidebar-categories .channel-link:not(.threads-link)")).to_have_count(2)
    expect(laptop.locator(".channel-link.unread", has_text="Off-Topic")).to_be_visible()
    assert laptop_errors == [] and phone_errors == []


def categories_saved(page: Page) -> Any:
    """Waits for the sidebar's PUT of the changed categories (the sidebar shows a move at once)."""
    return page.expect_response(
        lambda response: response.url.endswith("/channels/categories") and response.request.method == "PUT"
    )


def sidebar_categories(api: API, team: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The user's categories as the server (and so the mobile app) has them, by display name."""
    found = api.ok("GET", f"/users/{api.id}/teams/{team['id']}/channels/categories")
    return {c["display_name"]: c for c in found["categories"]}


@sqlite_only
def test_channels_are_dragged_between_categories_and_ordered_by_hand(
    open_page: OpenPage, world: World
) -> None:
    team = world.team
    elsinore = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": team["id"], "name": unique("elsinore-"), "display_name": "Elsinore", "type": "O"},
    )
    world.hamlet.ok(
        "POST",
        f"/users/{world.hamlet.id}/teams/{team['id']}/channels/categories",
        {"team_id": team["id"], "user_id": world.hamlet.id, "type": "custom", "display_name": "Plays"},
    )
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{team['name']}/channels/town-square")
    plays = page.locator('.category[data-category="Plays"]')
    channels = page.locator('.category[data-category="channels"]')

    # Into another category: dropped on its heading.
    with categories_saved(page) as saved:
        page.locator(".channel-item", has_text="Off-Topic").drag_to(plays.locator("h2"))
    assert saved.value.ok
    expect(plays.locator(".channel-link", has_text="Off-Topic")).to_be_visible()
    expect(channels.locator(".channel-link", has_text="Off-Topic")).to_have_count(0)
    assert sidebar_categories(world.hamlet, team)["Plays"]["channel_ids"] == [world.off_topic["id"]]

    # Within one: Town Square dropped on the upper half of Elsinore, above it; the category,
    # sorted by name until now, keeps the order it was given.
    expect(channels.locator(".channel-name")).to_have_text(["Elsinore", "Town Square"])
    with categories_saved(page) as saved:
        page.locator(".channel-item", has_text="Town Square").drag_to(
            channels.locator(".channel-item", has_text="Elsinore"), target_position={"x": 20, "y": 2}
        )
    assert saved.value.ok
    expect(channels.locator(".channel-name")).to_have_text(["Town Square", "Elsinore"])
    ordered = sidebar_categories(world.hamlet, team)["Channels"]
    assert ordered["sorting"] == "manual"
    assert ordered["channel_ids"][:2] == [world.town_square["id"], elsinore["id"]]

    # The keyboard's way: the channel's menu.
    with categories_saved(page) as saved:
        channel_menu(page, "Elsinore", "Move up")
    assert saved.value.ok
    expect(channels.locator(".channel-name")).to_have_text(["Elsinore", "Town Square"])
    page.reload()
    expect(channels.locator(".channel-name")).to_have_text(["Elsinore", "Town Square"])
    expect(plays.locator(".channel-link", has_text="Off-Topic")).to_be_visible()
    assert sidebar_categories(world.hamlet, team)["Channels"]["channel_ids"][:2] == [
        elsinore["id"],
        world.town_square["id"],
    ]
    assert errors == []


@sqlite_only
def test_pinned_and_saved_lists_jump_to_the_message_in_its_channel(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    pinned = post(world.othello, world.town_square, "The play's the thing")
    many_posts(world.othello, world.town_square, 70, "filler")
    world.othello.ok("POST", f"/posts/{pinned['id']}/pin")
    world.hamlet.ok(
        "PUT",
        f"/users/{world.hamlet.id}/preferences",
        [{"user_id": world.hamlet.id, "category": "flagged_post", "name": pinned["id"], "value": "true"}],
    )
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/off-topic")

    # From another channel: the jump opens Town Square with the message loaded, in view, highlighted.
    hamlet.get_by_role("button", name="Saved messages").click()
    saved = hamlet.get_by_role("list", name="Saved messages")
    expect(saved.locator(".post-result")).to_have_count(1)
    expect(saved).to_contain_text("in Town Square")
    saved.get_by_role("button", name="Jump").click()
    expect(hamlet).to_have_url(re.compile(f"/{team}/channels/town-square$"))
    target = hamlet.locator(f'.post-list article[data-post-id="{pinned["id"]}"]')
    expect(target).to_have_class(re.compile(r"\bhighlighted\b"))
    expect(target).to_be_in_viewport()

    hamlet.get_by_role("button", name="Pinned messages").click()
    pins = hamlet.get_by_role("list", name="Pinned messages")
    expect(pins.locator(".post-result")).to_have_count(1)
    expect(pins).to_contain_text("The play's the thing")
    # Scrolled away to the latest; the jump brings it back.
    hamlet.locator(".post-list").evaluate("box => box.scrollTop = box.scrollHeight")
    expect(target).not_to_be_in_viewport()
    pins.get_by_role("button", name="Jump").click()
    expect(target).to_be_in_viewport()
    assert errors == []


@sqlite_only
def test_a_permalink_opens_the_message_in_context(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    before = many_posts(world.othello, world.off_topic, 5, "before")
    wanted = post(world.iago, world.off_topic, "Remember this one")
    many_posts(world.othello, world.off_topic, 80, "after")
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/pl/{wanted['id']}")
    expect(hamlet).to_have_url(re.compile(f"/{team}/channels/off-topic$"))
    target = hamlet.locator(f'.post-list article[data-post-id="{wanted["id"]}"]')
    expect(target).to_have_class(re.compile(r"\bhighlighted\b"))
    expect(target).to_be_in_viewport()
    # The posts around it are there too, and the newest ones below it (the list is virtualised:
    # only rows near the view are in the page, so the newest show once scrolled to).
    expect(hamlet.locator(f'.post-list article[data-post-id="{before[-1]["id"]}"]')).to_be_attached()
    hamlet.locator(".post-list").evaluate("box => box.scrollTop = box.scrollHeight")
    expect(hamlet.locator(".post-list article.post", has_text="after 79")).to_be_attached()
    hamlet.locator(".post-list").evaluate("box => box.scrollTop = 0")
    expect(target).to_be_attached()

    # The author's card: their name, and a button that opens the direct message.
    target.locator(".post-author").click()
    card = hamlet.get_by_role("dialog", name=f"Profile of @{world.iago.username}")
    expect(card).to_contain_text(f"@{world.iago.username}")
    expect(card).to_contain_text("Local time")
    card.get_by_role("button", name="Message").click()
    expect(hamlet).to_have_url(re.compile(f"/{team}/messages/@{world.iago.username}$"))
    assert errors == []


@sqlite_only
def test_signing_up_from_the_team_invite_link_lands_in_the_team(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sidebar_menu(hamlet, "Invite people")
    link = hamlet.get_by_label("Invite link").input_value()
    assert re.fullmatch(r"http://[^/]+/signup_user_complete/\?id=[a-z0-9]{26}", link), link

    newcomer, newcomer_errors = open_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Create your account to join Denmark")).to_be_visible()
    username = unique("horatio")
    newcomer.get_by_label("E-mail").fill(f"{username}@example.org")
    newcomer.get_by_label("Username").fill(username)
    newcomer.get_by_label("Password").fill("short")
    newcomer.get_by_role("button", name="Create account").click()
    # The server's own reason for refusing a weak password.
    expect(newcomer.get_by_role("alert")).not_to_be_empty()
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create account").click()
    expect(newcomer).to_have_url(re.compile(f"/{team}/channels/town-square$"))
    expect(newcomer.locator("#channel-title")).to_have_text("Town Square")
    expect(hamlet.locator(".system-post", has_text=f"{username} joined the team.")).to_be_visible()

    # A link with a wrong id says so instead of showing a form that cannot work.
    stranger, stranger_errors = open_page()
    stranger.goto("/signup_user_complete/?id=" + "x" * 26)
    expect(stranger.get_by_role("alert")).to_contain_text("not valid")
    expect(stranger.get_by_label("E-mail")).to_have_count(0)
    assert hamlet_errors == [] and newcomer_errors == [] and stranger_errors == []


@sqlite_only
def test_a_team_admin_invites_a_guest_by_mail_into_chosen_channels(open_page: OpenPage, world: World) -> None:
    before = world.admin.ok("GET", "/config")
    with running_mailbox() as mailbox:
        world.admin.ok(
            "PUT",
            "/config/patch",
            {
                "EmailSettings": mailbox.settings(),
                "ServiceSettings": {"EnableEmailInvitations": True},
                "GuestAccountsSettings": {"Enable": True},
            },
        )
        try:
            iago, errors = open_page()
            sign_in(iago, world.iago.username, f"/{world.team['name']}/channels/town-square")
            sidebar_menu(iago, "Invite people")
            iago.get_by_label("Invite guests by e-mail").fill("rosalind@example.org")
            iago.get_by_role("button", name="Invite guests").click()
            expect(iago.get_by_role("alert")).to_have_text("Choose at least one channel for the guests.")
            iago.get_by_role("group", name="Channels the guests join").get_by_label("Off-Topic").check()
            iago.get_by_label("A message for the guests (optional)").fill("Come and read the play")
            iago.get_by_role("button", name="Invite guests").click()
            expect(iago.get_by_role("status").filter(has_text="Invitations sent: 1.")).to_be_visible()
            mail = mailbox.wait_for("rosalind@example.org")
            assert "as a guest" in mail["Subject"]
            assert "Come and read the play" in text_of(mail)
            assert "/signup_user_complete/?" in link_in(mail)
            assert errors == []
        finally:
            world.admin.ok(
                "PUT",
                "/config/patch",
                {
                    "EmailSettings": {key: before["EmailSettings"][key] for key in mailbox.settings()},
                    "ServiceSettings": {
                        "EnableEmailInvitations": before["ServiceSettings"]["EnableEmailInvitations"]
                    },
                    "GuestAccountsSettings": {"Enable": before["GuestAccountsSettings"]["Enable"]},
                },
            )
