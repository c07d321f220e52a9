"""Reports of posts to the moderators, through the API: anyone who can read a post reports it,
from a direct message too; moderators read only the snapshot the report carries; the reported
user never learns of it; closing a report is audited; retention deletes old ones."""

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.api.test_audit import audits
from tests.api.test_files import upload
from tests.api.test_posts import post, private_channel
from tests.jobs.servers import admin_of, servers
from tests.jobs.test_retention import make_channel, make_team, run_job
from tests.support.client import API, World, create_user, expect_error
from tests.support.server import ServerProcess

REPORTS = "/villagepump/reports"
FORBIDDEN = "api.context.permissions.app_error"
POST_GONE = "app.post.get.app_error"
CREATED = "custom_villagepump_report_created"
UPDATED = "custom_villagepump_report_updated"
HOUR = 3600.0


def report(api: API, post_id: str, reason: str = "harassment", comment: str = "") -> httpx.Response:
    return api.post(REPORTS, {"post_id": post_id, "reason": reason, "comment": comment})


def filed(api: API, post_id: str, reason: str = "harassment", comment: str = "") -> dict[str, Any]:
    response = report(api, post_id, reason, comment)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def moderator(admin: API, name: str = "horatio") -> API:
    """A new account with the system_moderator role, in no team and no channel."""
    made = create_user(admin, name)
    admin.ok("PUT", f"/users/{made.id}/roles", {"roles": "system_user system_moderator"})
    return made


def direct_channel(one: API, other: API) -> dict[str, Any]:
    found: dict[str, Any] = one.ok("POST", "/channels/direct", [one.id, other.id])
    return found


def listed_ids(api: API, status: str = "open") -> list[str]:
    return [found["id"] for found in api.ok("GET", f"{REPORTS}?status={status}&per_page=200")]


def test_a_report_from_a_direct_message_shows_the_moderator_its_snapshot_and_nothing_more(
    world: World,
) -> None:
    hamlet, othello = world.hamlet, world.othello
    horatio = moderator(world.admin)
    dm = direct_channel(hamlet, othello)
    earlier = [post(hamlet if n % 2 else othello, dm, f"earlier {n}") for n in range(7)]
    offending = post(othello, dm, "you are a villain")
    later = [post(hamlet, dm, f"later {n}") for n in range(2)]
    watching, reported = horatio.websocket(), othello.websocket()
    try:
        made = filed(hamlet, offending["id"], "harassment", "this again")
        heard = json.loads(watching.expect(CREATED)["data"]["report"])
        assert heard["id"] == made["id"] and heard["reporter_id"] == hamlet.id
        reported.expect_none(CREATED, within=1.0)
        assert CREATED not in [m.get("event") for m in reported.seen]
    finally:
        watching.close()
        reported.close()

    assert made["id"] in listed_ids(horatio)
    shown = horatio.ok("GET", f"{REPORTS}/{made['id']}")
    assert (shown["status"], shown["reason"], shown["comment"]) == ("open", "harassment", "this again")
    assert (shown["reported_user_id"], shown["post_id"]) == (othello.id, offending["id"])
    snapshot = shown["snapshot"]
    assert snapshot["post"]["message"] == "you are a villain"
    assert snapshot["post"]["username"] == othello.username
    assert [p["message"] for p in snapshot["before"]] == [p["message"] for p in earlier[-5:]]
    assert [p["message"] for p in snapshot["after"]] == [p["message"] for p in later]
    assert snapshot["channel"]["type"] == "D"
    assert snapshot["channel"]["display_name"] == ", ".join(sorted([hamlet.username, othello.username]))
    # The snapshot is all: the conversation itself stays closed to the moderator.
    expect_error(horatio.get(f"/channels/{dm['id']}/posts"), 403, FORBIDDEN)
    expect_error(horatio.get(f"/posts/{earlier[0]['id']}"), 403, FORBIDDEN)
    # The reported user sees no report and learns no reporter.
    expect_error(othello.get(REPORTS), 403, FORBIDDEN)
    expect_error(othello.get(f"{REPORTS}/{made['id']}"), 403, FORBIDDEN)
    assert all(entry["target_id"] != made["id"] for entry in othello.ok("GET", f"/users/{othello.id}/audits"))


def test_the_snapshot_survives_an_edit_and_a_delete(world: World) -> None:
    hamlet = world.hamlet
    attachment = upload(hamlet, world.town_square, "evidence.txt", b"words")
    said = post(hamlet, world.town_square, "something cruel", file_ids=[attachment["id"]])
    made = filed(world.othello, said["id"], "code_of_conduct")
    hamlet.ok("PUT", f"/posts/{said['id']}/patch", {"message": "something kind"})
    hamlet.ok("DELETE", f"/posts/{said['id']}")
    shown = world.admin.ok("GET", f"{REPORTS}/{made['id']}")["snapshot"]["post"]
    assert shown["message"] == "something cruel"
    assert shown["file_names"] == ["evidence.txt"]
    assert shown["create_at"] == said["create_at"]


def test_only_a_reader_reports_and_is_told_what_reading_would_tell(world: World) -> None:
    secret = private_channel(world, world.hamlet)
    hidden = post(world.hamlet, secret, "not for othello")
    # The same answer as GET /posts/{id}: a report tells nothing reading would not.
    expect_error(world.othello.get(f"/posts/{hidden['id']}"), 403, FORBIDDEN)
    expect_error(report(world.othello, hidden["id"]), 403, FORBIDDEN)
    expect_error(report(world.othello, "g" * 26), 404, POST_GONE)
    gone = post(world.hamlet, world.town_square, "deleted soon")
    world.hamlet.ok("DELETE", f"/posts/{gone['id']}")
    expect_error(report(world.othello, gone["id"]), 404, POST_GONE)
    # Cordelia is in no team: the town square is closed to her too.
    said = post(world.hamlet, world.town_square, "team only")
    expect_error(report(world.cordelia, said["id"]), 403, FORBIDDEN)
    expect_error(report(world.hamlet, said["id"]), 400, "api.villagepump.report.own_post.app_error")


def test_one_open_report_per_reporter_and_post_even_when_sent_at_once(world: World) -> None:
    said = post(world.hamlet, world.town_square, "spam spam spam")
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: report(world.othello, said["id"], "spam"), range(4)))
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    first = answers[0].json()["id"]
    assert {a.json()["id"] for a in answers} == {first}
    assert listed_ids(world.admin).count(first) == 1
    # Once it is closed, the same reporter may report the post again.
    world.admin.ok("POST", f"{REPORTS}/{first}/dismiss", {"note": "not spam"})
    assert filed(world.othello, said["id"], "spam")["id"] != first
    # Another reporter has a report of their own.
    assert filed(world.iago, said["id"], "spam")["id"] != first


def test_bad_input_is_refused_and_changes_nothing(world: World) -> None:
    said = post(world.hamlet, world.town_square, "hmm")
    reason_error = "api.villagepump.report.reason.app_error"
    for reason in ("rudeness", "", None, 7, ["spam"]):
        body = {"post_id": said["id"], "reason": reason}
        expect_error(world.othello.post(REPORTS, body), 400, reason_error)
    expect_error(
        report(world.othello, said["id"], "spam", "x" * 4001), 400, "api.villagepump.report.comment.app_error"
    )
    expect_error(
        world.othello.post(REPORTS, {"post_id": said["id"], "reason": "spam", "comment": 5}),
        400,
        "api.villagepump.report.comment.app_error",
    )
    for post_id in ("nope", None, 5):
        body = {"post_id": post_id, "reason": "spam"}
        expect_error(world.othello.post(REPORTS, body), 400, "api.context.invalid_body_param.app_error")
    expect_error(world.othello.post(REPORTS, ["spam"]), 400, "api.context.invalid_body_param.app_error")
    expect_error(world.admin.get(f"{REPORTS}?status=pending"), 400, "api.context.invalid_param.app_error")
    expect_error(world.admin.get(f"{REPORTS}/nope"), 400, "api.context.invalid_param.app_error")
    expect_error(world.admin.get(f"{REPORTS}/{'g' * 26}"), 404, "app.villagepump.report.get.app_error")
    made = filed(world.othello, said["id"], "other")
    long_note = {"note": "x" * 4001}
    path = f"{REPORTS}/{made['id']}/resolve"
    expect_error(world.admin.post(path, long_note), 400, "api.villagepump.report.note.app_error")
    assert world.admin.ok("GET", f"{REPORTS}/{made['id']}")["status"] == "open"
    assert world.othello.ok("GET", f"{REPORTS}/reasons") == ["spam", "harassment", "code_of_conduct", "other"]


def test_members_and_team_admins_cannot_read_or_handle_the_queue(world: World) -> None:
    said = post(world.hamlet, world.town_square, "rude")
    made = filed(world.othello, said["id"], "other")
    for outsider in (world.othello, world.iago, world.cordelia):
        expect_error(outsider.get(REPORTS), 403, FORBIDDEN)
        expect_error(outsider.get(f"{REPORTS}/{made['id']}"), 403, FORBIDDEN)
        for verb in ("resolve", "dismiss"):
            expect_error(outsider.post(f"{REPORTS}/{made['id']}/{verb}", {"note": "mine"}), 403, FORBIDDEN)
    assert world.admin.ok("GET", f"{REPORTS}/{made['id']}")["status"] == "open"


def test_resolving_and_dismissing_are_audited_and_heard_by_moderators(world: World) -> None:
    horatio, marcellus = moderator(world.admin), moderator(world.admin, "marcellus")
    first = filed(world.othello, post(world.hamlet, world.town_square, "one")["id"], "spam")
    second = filed(world.othello, post(world.hamlet, world.town_square, "two")["id"], "other")
    stream = marcellus.websocket()
    try:
        resolved = horatio.ok("POST", f"{REPORTS}/{first['id']}/resolve", {"note": "warned them"})
        heard = json.loads(stream.expect(UPDATED)["data"]["report"])
        assert (heard["id"], heard["status"]) == (first["id"], "resolved")
    finally:
        stream.close()
    assert (resolved["status"], resolved["note"], resolved["closed_by"]) == (
        "resolved",
        "warned them",
        horatio.id,
    )
    assert resolved["closed_at"] > 0
    expect_error(
        marcellus.post(f"{REPORTS}/{first['id']}/dismiss", {}), 400, "api.villagepump.report.closed.app_error"
    )
    dismissed = marcellus.ok("POST", f"{REPORTS}/{second['id']}/dismiss", {})
    assert (dismissed["status"], dismissed["note"]) == ("dismissed", "")
    assert first["id"] in listed_ids(horatio, "resolved") and first["id"] not in listed_ids(horatio)
    assert second["id"] in listed_ids(horatio, "dismissed") and second["id"] in listed_ids(horatio, "closed")
    assert {first["id"], second["id"]} <= set(listed_ids(horatio, "all"))
    entries = audits(world.admin, action="report_resolved", user_id=horatio.id)
    assert [(e["target_id"], json.loads(e["extra_info"])["note"]) for e in entries] == [
        (first["id"], "warned them")
    ]
    assert [e["target_id"] for e in audits(world.admin, action="report_dismissed", user_id=marcellus.id)] == [
        second["id"]
    ]
    assert first["id"] in [
        e["target_id"] for e in audits(world.admin, action="report_created", user_id=world.othello.id)
    ]


def test_a_moderator_never_sees_the_reports_about_themselves(world: World) -> None:
    horatio = moderator(world.admin)
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": horatio.id}
    )
    said = post(horatio, world.town_square, "moderators can be rude too")
    stream = horatio.websocket()
    try:
        made = filed(world.hamlet, said["id"], "harassment")
        stream.expect_none(CREATED, within=1.0)
    finally:
        stream.close()
    assert made["id"] not in listed_ids(horatio, "all")
    expect_error(horatio.get(f"{REPORTS}/{made['id']}"), 403, FORBIDDEN)
    expect_error(horatio.post(f"{REPORTS}/{made['id']}/dismiss", {}), 403, FORBIDDEN)
    assert made["id"] in listed_ids(world.admin)


def test_each_new_report_is_announced_in_the_moderators_channel_without_the_reporter(world: World) -> None:
    desk = private_channel(world, world.iago)
    world.admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"ReportChannelId": desk["id"]}})
    try:
        said = post(world.hamlet, world.town_square, "a secret rude remark")
        made = filed(world.othello, said["id"], "code_of_conduct", "please look")
    finally:
        world.admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"ReportChannelId": ""}})
    posts = world.iago.ok("GET", f"/channels/{desk['id']}/posts")["posts"].values()
    (announced,) = [p for p in posts if p["props"].get("villagepump_report_id") == made["id"]]
    bot = world.iago.ok("GET", f"/users/{announced['user_id']}")
    assert bot["username"].startswith("system-bot") and bot["is_bot"] is True
    assert "code_of_conduct" in announced["message"] and f"@{world.hamlet.username}" in announced["message"]
    for hidden in (world.othello.username, "secret rude remark", "please look"):
        assert hidden not in announced["message"]


def test_the_queue_from_the_shell(world: World, server: ServerProcess) -> None:
    horatio = moderator(world.admin)
    said = post(world.hamlet, world.town_square, "shell-visible remark")
    made = filed(world.othello, said["id"], "spam")
    listed = server.cli("report", "list")
    assert listed.returncode == 0, listed.stderr
    assert f"{made['id']}\t" in listed.stdout and "shell-visible remark" in listed.stdout
    shown = server.cli("report", "show", made["id"])
    assert json.loads(shown.stdout)["snapshot"]["post"]["message"] == "shell-visible remark"
    refused = server.cli("report", "resolve", made["id"], "--as", world.hamlet.username)
    assert refused.returncode != 0 and "error:" in refused.stderr
    done = server.cli("report", "resolve", made["id"], "--as", horatio.username, "--note", "from the shell")
    assert done.returncode == 0, done.stderr
    closed = world.admin.ok("GET", f"{REPORTS}/{made['id']}")
    assert (closed["status"], closed["note"], closed["closed_by"]) == (
        "resolved",
        "from the shell",
        horatio.id,
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_retention_deletes_reports_past_the_message_policy(kind: str) -> None:
    with servers(kind, manual_clock=True) as (server,):
        admin = admin_of(server)
        hamlet, othello = create_user(admin, "hamlet"), create_user(admin, "othello")
        hall = make_channel(admin, make_team(admin, hamlet, othello), hamlet, othello)
        admin.ok(
            "PUT",
            "/config/patch",
            {"DataRetentionSettings": {"EnableMessageDeletion": True, "MessageRetentionHours": 1}},
        )
        server.advance(1)
        old = filed(othello, post(hamlet, hall, "an old remark")["id"], "spam")
        server.advance(2 * HOUR, step=HOUR)
        fresh = filed(othello, post(hamlet, hall, "a new remark")["id"], "spam")
        assert admin.ok("GET", f"{REPORTS}/{old['id']}")["status"] == "open"
        run_job(server, admin)
        expect_error(admin.get(f"{REPORTS}/{old['id']}"), 404, "app.villagepump.report.get.app_error")
        assert admin.ok("GET", f"{REPORTS}/{fresh['id']}")["snapshot"]["post"]["message"] == "a new remark"
