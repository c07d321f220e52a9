"""The web client in a real browser against a real server: people sign in, talk, reply, react,
edit, delete, scroll back and use a phone. Each story watches its pages for script errors and
Content-Security-Policy violations."""

import re
import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.client import API, PASSWORD, World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_notifications import eventually

UNREAD = re.compile(r"\bunread\b")


def write(page: Page, text: str, where: str = ".channel-view") -> None:
    box = page.locator(f"{where} .composer textarea")
    box.fill(text)
    box.press("Enter")


def post(api: API, channel: dict[str, Any], message: str, root_id: str = "") -> dict[str, Any]:
    created: dict[str, Any] = api.ok(
        "POST", "/posts", {"channel_id": channel["id"], "message": message, "root_id": root_id}
    )
    return created


# Scrolls a list down by half its height; true when it was already at the end.
SCROLL_HALF_A_SCREEN = """list => {
    const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 2;
    list.scrollTop += list.clientHeight / 2;
    return atEnd;
}"""

# True once the rendered rows cover the list's viewport: the virtualiser lays rows out a frame
# or more after a scroll, and a busy machine makes that longer than any fixed wait.
ROWS_COVER_THE_VIEWPORT = """list => {
    const rows = list.querySelector('.post-rows');
    if (!rows || !rows.firstElementChild) return false;
    const view = list.getBoundingClientRect();
    const style = getComputedStyle(rows);
    const above = parseFloat(style.paddingBlockStart) === 0 || rows.firstElementChild.getBoundingClientRect().top <= view.top + 1;
    const below = parseFloat(style.paddingBlockEnd) === 0 || rows.lastElementChild.getBoundingClientRect().bottom >= view.bottom - 1;
    return above && below;
}"""

# The channel's first line is on screen (not merely rendered above the viewport).
CHANNEL_START_IN_VIEW = """list => {
    const start = list.querySelector('.channel-start');
    return start !== null && start.getBoundingClientRect().top >= list.getBoundingClientRect().top - 1;
}"""


def message(page: Page, text: str, where: str = ".post-list") -> Any:
    return page.locator(f"{where} article.post", has_text=text)


@sqlite_only
def test_two_people_chat_in_real_time_with_unreads_and_mentions(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    expect(othello.locator("#channel-title")).to_have_text("Town Square")
    othello.locator(".channel-link", has_text="Off-Topic").click()
    expect(othello).to_have_url(re.compile(f"/{team}/channels/off-topic$"))

    write(hamlet, "Good morning, all")
    town_square = othello.locator(".channel-link", has_text="Town Square")
    expect(town_square).to_have_class(UNREAD)
    expect(town_square.locator(".badge")).to_have_count(0)
    write(hamlet, f"@{world.othello.username} have you seen the ghost?")
    expect(town_square.locator(".badge")).to_have_text("1")
    expect(othello).to_have_title(re.compile(r"^\(1\) Off-Topic - Denmark "))

    town_square.click()
    expect(message(othello, "have you seen the ghost?")).to_be_visible()
    # The line sits where Othello stopped reading: above Hamlet's first new message.
    expect(othello.locator(".new-messages + article.post")).to_contain_text("Good morning, all")
    expect(town_square).not_to_have_class(UNREAD)
    expect(town_square.locator(".badge")).to_have_count(0)
    expect(othello.locator(".mention-me")).to_have_text(f"@{world.othello.username}")
    expect(
        othello.locator(".system-post", has_text=f"{world.othello.username} joined the team.")
    ).to_be_visible()

    write(othello, "I have, my *lord*")
    expect(message(hamlet, "I have, my lord").locator("em")).to_have_text("lord")
    # Hamlet's two messages are one group: the second shows no name again.
    expect(message(hamlet, "have you seen the ghost?")).to_have_class(re.compile(r"\bcontinuation\b"))

    # The server agrees that Othello read the channel, so his phone would too.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        member = world.othello.ok("GET", f"/channels/{world.town_square['id']}/members/me")
        if member["mention_count"] == 0 and member["last_viewed_at"] > 0:
            break
        time.sleep(0.1)
    assert member["mention_count"] == 0
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_a_reply_in_the_thread_panel_and_reactions(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    root = post(world.hamlet, world.town_square, "To be, or not to be")
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    question = message(othello, "To be, or not to be")
    question.hover()
    question.get_by_role("button", name="Reply").click()
    expect(othello.locator(".thread-panel")).to_contain_text("To be, or not to be")
    write(othello, "that is the question", where=".thread-panel")
    expect(message(othello, "that is the question", ".thread-panel")).to_be_visible()
    # Replies stay in the thread; the channel shows the count.
    expect(message(othello, "that is the question")).to_have_count(0)

    replies = message(hamlet, "To be, or not to be").get_by_role("button", name="1 reply")
    expect(replies).to_be_visible()
    replies.click()
    expect(message(hamlet, "that is the question", ".thread-panel")).to_be_visible()

    question.hover()
    question.get_by_role("button", name="Add reaction").click()
    question.get_by_role("button", name="React with heart").click()
    hamlet_heart = message(hamlet, "To be, or not to be").get_by_role("button", name="heart: 1 reaction")
    expect(hamlet_heart).to_have_attribute("aria-pressed", "false")
    hamlet_heart.click()
    expect(question.get_by_role("button", name="heart: 2 reactions")).to_have_attribute(
        "aria-pressed", "true"
    )

    othello.keyboard.press("Escape")
    expect(othello.locator(".thread-panel")).to_have_count(0)

    reactions = world.hamlet.ok("GET", f"/posts/{root['id']}")["metadata"]["reactions"]
    assert sorted(r["user_id"] for r in reactions) == sorted([world.hamlet.id, world.othello.id])
    thread = world.hamlet.ok("GET", f"/posts/{root['id']}/thread")
    assert [p["message"] for p in thread["posts"].values() if p["root_id"]] == ["that is the question"]
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_editing_with_up_and_deleting_after_confirmation(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/off-topic")
    sign_in(othello, world.othello.username, f"/{team}/channels/off-topic")

    write(hamlet, "Frailty, thy name is man")
    expect(message(othello, "Frailty, thy name is man")).to_be_visible()
    hamlet.locator(".channel-view .composer textarea").press("ArrowUp")
    editor = hamlet.get_by_role("textbox", name="Edit message")
    expect(editor).to_have_value("Frailty, thy name is man")
    editor.fill("Frailty, thy name is woman")
    editor.press("Enter")
    edited = message(othello, "Frailty, thy name is woman")
    expect(edited.locator(".edited")).to_have_text("(edited)")

    own = message(hamlet, "Frailty, thy name is woman")
    own.hover()
    own.get_by_role("button", name="Delete").click()
    dialog = hamlet.get_by_role("dialog", name="Delete message")
    dialog.get_by_role("button", name="Cancel").click()
    expect(own).to_be_visible()
    own.hover()
    own.get_by_role("button", name="Delete").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(own).to_have_count(0)
    expect(edited).to_have_count(0)
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_scrolling_up_loads_older_messages_in_order(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    lines = [f"line {n:03d}" for n in range(150)]
    for line in lines:
        post(world.hamlet, world.off_topic, line)
    # Read elsewhere already, so the channel opens at its newest message, not at a new-messages line.
    world.othello.ok("POST", "/channels/members/me/view", {"channel_id": world.off_topic["id"]})
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/off-topic")
    expect(message(othello, "line 149")).to_be_in_viewport()
    assert othello.locator(".post-list article.post", has_text="line 000").count() == 0

    post_list = othello.locator(".post-list")
    deadline = time.monotonic() + 30
    while not post_list.evaluate(CHANNEL_START_IN_VIEW) and time.monotonic() < deadline:
        post_list.evaluate("list => { list.scrollTop = 0; }")
        othello.wait_for_timeout(100)
    assert post_list.evaluate(CHANNEL_START_IN_VIEW)
    # The list is virtualised, so it holds only the rows near the viewport: read it from the top
    # down, half a screen at a time; each screenful is a run of the lines in order, and together
    # they are all of them.
    seen: list[str] = []
    for _ in range(400):
        othello.wait_for_function(ROWS_COVER_THE_VIEWPORT, arg=post_list.element_handle())
        shown = othello.locator(".post-list article.post:not(.system-post) .post-text").all_inner_texts()
        texts = [text.strip() for text in shown]
        first = lines.index(texts[0])
        assert texts == lines[first : first + len(texts)]
        seen += [text for text in texts if text not in seen]
        if post_list.evaluate(SCROLL_HALF_A_SCREEN):
            break
    assert seen == lines
    # Under load the list may still be settling its rows when it is scrolled to the top; scroll
    # again until the page has seen it away from the newest messages.
    jump = othello.get_by_role("button", name="Jump to recent messages")
    deadline = time.monotonic() + 30
    while not jump.is_visible() and time.monotonic() < deadline:
        post_list.evaluate("list => { list.scrollTop = 0; }")
        othello.wait_for_timeout(200)
    jump.click()
    expect(message(othello, "line 149")).to_be_in_viewport()
    expect(othello.get_by_role("button", name="Jump to recent messages")).to_have_count(0)
    assert errors == []


@sqlite_only
def test_a_phone_shows_one_pane_at_a_time(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world.hamlet, world.town_square, "Something is rotten")
    phone, errors = open_page(width=360, height=740)
    sign_in(phone, world.othello.username, f"/{team}/channels/town-square")
    sidebar, channel, thread = (
        phone.locator(".sidebar"),
        phone.locator(".channel-view"),
        phone.locator(".thread-panel"),
    )
    expect(channel).to_be_visible()
    expect(sidebar).to_be_hidden()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    channel.get_by_role("button", name="Back").click()
    expect(sidebar).to_be_visible()
    expect(channel).to_be_hidden()
    sidebar.locator(".channel-link", has_text="Town Square").click()
    expect(channel).to_be_visible()
    expect(sidebar).to_be_hidden()

    rotten = message(phone, "Something is rotten")
    # No buttons beside the text on a phone until the message is tapped.
    expect(rotten.get_by_role("button", name="Reply")).to_be_hidden()
    rotten.locator(".post-text").click()
    rotten.get_by_role("button", name="Reply").click()
    expect(thread).to_be_visible()
    expect(channel).to_be_hidden()
    thread.get_by_role("button", name="Back").click()
    expect(channel).to_be_visible()
    expect(thread).to_have_count(0)

    # The profile card floats over the one pane, rather than hiding with the others.
    rotten.locator(".post-author").click()
    card = phone.get_by_role("dialog", name=f"Profile of @{world.hamlet.username}")
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name="Message")).to_be_visible()
    assert errors == []


@sqlite_only
def test_hostile_markdown_stays_text_in_the_browser(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    for attack in [
        "<img src=x onerror=\"document.title='pwned'\">",
        "[click me](javascript:document.title='pwned')",
        "![tracker](http://127.0.0.1:9/pixel.png)",
        "<script>document.title='pwned'</script>",
    ]:
        post(world.hamlet, world.off_topic, attack)
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/off-topic")
    expect(message(othello, "<script>")).to_be_visible()
    texts = othello.locator(".post-list .post-text")
    assert texts.locator("img, script, iframe").count() == 0
    assert texts.locator("a[href^='javascript']").count() == 0
    tracker = texts.get_by_role("link", name="tracker")
    expect(tracker).to_have_attribute("rel", "noopener noreferrer")
    othello.get_by_text("click me").click()
    assert "pwned" not in othello.title()
    assert errors == []


@sqlite_only
def test_a_latex_block_is_drawn_by_katex_and_stays_harmless(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world.hamlet, world.off_topic, "```latex\n\\frac{a}{b} = \\sqrt{c}\n```")
    post(world.hamlet, world.off_topic, "```latex\n\\href{javascript:document.title='pwned'}{click me}\n```")
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/off-topic")
    formulas = othello.locator(".post-list .post-text .md-latex")
    expect(formulas).to_have_count(2)
    fraction = formulas.first
    expect(fraction.locator(".katex .mfrac")).to_be_visible()
    expect(fraction).to_have_attribute("aria-label", "\\frac{a}{b} = \\sqrt{c}")
    # KaTeX's style sheet and fonts came with its chunk, from this server.
    assert fraction.locator(".katex").evaluate("e => getComputedStyle(e).fontFamily").startswith("KaTeX_Main")
    assert othello.evaluate("document.fonts.load('1em KaTeX_Main').then(fonts => fonts.length)") > 0
    # With trust off, KaTeX shows \href as the command's name, in red: no link, nothing to run.
    refused = formulas.nth(1)
    expect(refused.locator(".katex")).to_have_text("\\href")
    assert refused.locator("a").count() == 0
    refused.click()
    assert "pwned" not in othello.title()
    # No Content-Security-Policy violation: KaTeX set its styles through the CSSOM.
    assert errors == []


@sqlite_only
def test_sign_in_errors_direct_messages_and_sign_out(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    hamlet.goto(f"/{team}/channels/town-square")
    expect(hamlet).to_have_url(re.compile(r"/login\?redirect_to="))
    hamlet.fill("#login-id", world.hamlet.username)
    hamlet.fill("#login-password", "not-the-password")
    hamlet.click("button[type=submit]")
    expect(hamlet.get_by_role("alert")).to_have_text("Enter a valid email or username and/or password.")
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    expect(hamlet).to_have_url(re.compile(f"/{team}/channels/town-square$"))

    othello, othello_errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    hamlet.get_by_role("button", name="New direct message").click()
    hamlet.get_by_label("Find people by name").fill(world.othello.username)
    hamlet.get_by_role("dialog").get_by_role("button", name=re.compile(world.othello.username)).click()
    hamlet.get_by_role("button", name="Open direct message").click()
    expect(hamlet).to_have_url(re.compile(f"/{team}/messages/@{world.othello.username}$"))
    expect(hamlet.locator("#channel-title")).to_have_text(world.othello.username)
    write(hamlet, "Get thee to a nunnery")

    direct = othello.locator(".channel-link", has_text=world.hamlet.username)
    expect(direct.locator(".badge")).to_have_text("1")
    direct.click()
    expect(message(othello, "Get thee to a nunnery")).to_be_visible()

    hamlet.get_by_role("button", name="Sign out").click()
    expect(hamlet.locator("#login-id")).to_be_visible()
    hamlet.reload()
    expect(hamlet.locator("#login-id")).to_be_visible()
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_someone_back_after_being_away_finds_the_line_and_the_badge(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    read = post(world.hamlet, world.town_square, "Read before leaving")
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    expect(message(othello, "Read before leaving")).to_be_visible()
    # The page tells the server he has read the channel once it has shown the messages (and
    # fetched their authors): closing it before that request lands would leave the channel
    # unread from an older point, and the line above the wrong message. A busy machine made
    # that window long enough to fail this story now and then.
    membership = f"/channels/{world.town_square['id']}/members/me"
    viewed = eventually(
        lambda: world.othello.ok("GET", membership)["last_viewed_at"], lambda at: at >= read["create_at"]
    )
    assert viewed >= read["create_at"], "the page never marked Town Square read"
    context = othello.context
    othello.close()

    # While no page of his is open: messages in the channel he read, one naming him.
    post(world.hamlet, world.town_square, "First while you were away")
    post(world.hamlet, world.town_square, f"@{world.othello.username} second while you were away")

    back = context.new_page()
    back.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    back.goto(f"/{team}/channels/off-topic")
    town_square = back.locator(".channel-link", has_text="Town Square")
    expect(town_square).to_have_class(UNREAD)
    expect(town_square.locator(".badge")).to_have_text("1")
    town_square.click()
    expect(back.locator(".new-messages + article.post")).to_contain_text("First while you were away")
    expect(message(back, "Read before leaving")).to_be_visible()
    expect(town_square.locator(".badge")).to_have_count(0)
    assert errors == []


@sqlite_only
def test_a_group_message_reaches_everyone_chosen(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    hamlet.get_by_role("button", name="New direct message").click()
    dialog = hamlet.get_by_role("dialog")
    for person in (world.othello, world.iago):
        dialog.get_by_label("Find people by name").fill(person.username)
        dialog.get_by_role("button", name=re.compile(f"^@{person.username}")).click()
        expect(dialog.get_by_role("list", name="People chosen")).to_contain_text(f"@{person.username}")
    # Chosen people leave the results, and can be taken out again.
    dialog.get_by_label("Find people by name").fill(world.iago.username)
    expect(dialog.locator(".user-results")).not_to_contain_text(f"@{world.iago.username}")
    dialog.get_by_role("button", name=f"Remove @{world.iago.username}").click()
    expect(dialog.locator(".user-results")).to_contain_text(f"@{world.iago.username}")
    expect(dialog.get_by_role("button", name="Open direct message")).to_be_visible()
    dialog.get_by_role("button", name=re.compile(f"^@{world.iago.username}")).click()
    dialog.get_by_role("button", name="Start group message").click()

    expect(hamlet).to_have_url(re.compile(f"/{team}/messages/[0-9a-f]{{40}}$"))
    names = sorted([world.hamlet.username, world.othello.username, world.iago.username])
    members = world.hamlet.ok("GET", f"/users/{world.hamlet.id}/channels")
    group = next(c for c in members if c["type"] == "G")
    assert sorted(u["username"] for u in world.hamlet.ok("GET", f"/users?in_channel={group['id']}")) == names
    write(hamlet, "The play's the thing")

    link = othello.locator(".channel-link", has_text=world.iago.username)
    expect(link.locator(".badge")).to_have_count(0)
    expect(link).to_have_class(UNREAD)
    link.click()
    expect(message(othello, "The play's the thing")).to_be_visible()
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_a_revoked_session_lands_on_the_login_page_and_back(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/off-topic")
    world.admin.ok("POST", f"/users/{world.othello.id}/sessions/revoke/all")
    expect(othello.get_by_role("status").filter(has_text="Your session has ended")).to_be_visible()
    expect(othello).to_have_url(re.compile(r"/login\?redirect_to="))
    othello.fill("#login-id", world.othello.username)
    othello.fill("#login-password", PASSWORD)
    othello.click("button[type=submit]")
    expect(othello).to_have_url(re.compile(f"/{team}/channels/off-topic$"))
    post(world.hamlet, world.off_topic, "welcome back")
    expect(message(othello, "welcome back")).to_be_visible()
    assert errors == []
