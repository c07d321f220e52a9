"""Reports in a real browser: a member reports a message from its menu; a moderator finds it in
the queue (the System Console's one section for moderators) with the message marked in its snapshot, and resolves it."""

from playwright.sync_api import expect

from tests.api.test_posts import post
from tests.api.test_reports import moderator
from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_accessibility import serious_violations, with_axe
from tests.web.test_composer import open_menu


@sqlite_only
def test_a_member_reports_a_message_and_a_moderator_resolves_it(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    horatio = moderator(world.admin)
    said = post(world.hamlet, world.town_square, "thou art a boil")
    othello, othello_errors = open_page()
    with_axe(othello)
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    open_menu(othello, "thou art a boil").get_by_role("menuitem", name="Report message").click()
    dialog = othello.get_by_role("dialog", name="Report message")
    dialog.get_by_label("Reason").select_option("harassment")
    dialog.get_by_label("Comment (optional)").fill("insults again")
    assert serious_violations(othello) == [], "report dialog"
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog.get_by_role("status")).to_contain_text("Thank you")
    dialog.get_by_role("button", name="Close", exact=True).last.click()
    assert othello_errors == []

    (filed,) = [r for r in world.admin.ok("GET", "/villagepump/reports") if r["post_id"] == said["id"]]
    assert (filed["reason"], filed["comment"], filed["reporter_id"]) == (
        "harassment",
        "insults again",
        world.othello.id,
    )

    # The moderator reads the snapshot; being in the team is only for the sidebar's user menu.
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": horatio.id}
    )
    page, errors = open_page()
    with_axe(page)
    sign_in(page, horatio.username, f"/{team}/channels/town-square")
    page.locator(".user-menu-button").click()
    # A moderator's System Console holds only the queue.
    page.get_by_role("menuitem", name="System Console").click()
    queue = page.locator(".console-main")
    expect(queue.get_by_role("heading", name="Reported messages")).to_be_visible()
    item = queue.get_by_role("button", name=f"Harassment: @{world.hamlet.username}")
    item.click()
    expect(queue.locator(".report-post.reported")).to_contain_text("thou art a boil")
    expect(queue.get_by_text("insults again")).to_be_visible()
    found = serious_violations(page)
    assert found == [], found
    queue.get_by_label("Note").fill("spoke with them")
    queue.get_by_role("button", name="Resolve").click()
    expect(item).to_have_count(0)
    assert errors == []
    resolved = world.admin.ok("GET", f"/villagepump/reports/{filed['id']}")
    assert (resolved["status"], resolved["note"], resolved["closed_by"]) == (
        "resolved",
        "spoke with them",
        horatio.id,
    )
