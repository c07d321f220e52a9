"""A user's own data: the export zip (asked for in settings, built by a job, downloaded by the
one who asked), the right to be forgotten (DELETE /users/{id}?permanent=true and the CLI), and
the count behind the web client's retention warning (decision 0039)."""

import io
import json
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.api.test_audit import audits
from tests.api.test_files import upload
from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error
from tests.support.server import ServerProcess

FORBIDDEN = "api.context.permissions.app_error"
NO_EXPORT = "api.villagepump.data_export.not_found.app_error"


def export_path(user_id: str) -> str:
    return f"/villagepump/users/{user_id}/data_export"


def wait_for_export(api: API, user_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        export: dict[str, Any] = api.ok("GET", export_path(user_id))
        if export["status"] not in ("pending", "in_progress"):
            return export
        assert time.monotonic() < deadline, export
        time.sleep(0.1)


def download(api: API, export: dict[str, Any]) -> zipfile.ZipFile:
    response = api.get(export["download_url"].removeprefix("/api/v4"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def lines(archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in archive.read(name).splitlines() if line]


@contextmanager
def settings(admin: API, patch: dict[str, Any], restore: dict[str, Any]) -> Iterator[None]:
    admin.ok("PUT", "/config/patch", patch)
    try:
        yield
    finally:
        admin.ok("PUT", "/config/patch", restore)


def erasing(admin: API, posts: str = "anonymise", directs: str = "keep") -> Any:
    return settings(
        admin,
        {
            "ServiceSettings": {"EnableAPIUserDeletion": True},
            "VillagepumpSettings": {"ErasedUserPosts": posts, "ErasedUserDirectMessages": directs},
        },
        {
            "ServiceSettings": {"EnableAPIUserDeletion": False},
            "VillagepumpSettings": {"ErasedUserPosts": "anonymise", "ErasedUserDirectMessages": "keep"},
        },
    )


def test_hamlet_downloads_everything_he_posted_and_nothing_othello_said_to_him(world: World) -> None:
    hamlet, othello = world.hamlet, world.othello
    said = post(hamlet, world.town_square, "To be, or not to be")
    secret = private_channel(world, hamlet)
    post(hamlet, secret, "a private thought")
    dm = hamlet.ok("POST", "/channels/direct", [hamlet.id, othello.id])
    post(hamlet, dm, "a word in your ear")
    post(othello, dm, "othello's secret, not hamlet's to export")
    info = upload(hamlet, world.town_square, "skull.txt", b"alas, poor Yorick")
    post(hamlet, world.town_square, "see attached", file_ids=[info["id"]])
    hamlet.ok("POST", "/reactions", {"user_id": hamlet.id, "post_id": said["id"], "emoji_name": "skull"})
    saved = [{"user_id": hamlet.id, "category": "flagged_post", "name": said["id"], "value": "true"}]
    hamlet.ok("PUT", f"/users/{hamlet.id}/preferences", saved)

    stream = hamlet.websocket()
    try:
        asked = hamlet.ok("POST", export_path("me"), status=201)
        assert asked["status"] == "pending" and asked["user_id"] == hamlet.id and asked["download_url"] == ""
        event = stream.expect("villagepump_data_export_updated", timeout=30)
        assert event["data"]["export"]["id"] == asked["id"]
        assert event["broadcast"]["user_id"] == hamlet.id
    finally:
        stream.close()
    export = wait_for_export(hamlet, hamlet.id)
    assert export["status"] == "ready" and export["size"] > 0 and export["expire_at"] > export["finish_at"]

    archive = download(hamlet, export)
    messages = [line["message"] for line in lines(archive, "posts.jsonl")]
    assert "To be, or not to be" in messages and "a private thought" in messages
    assert "a word in your ear" in messages and "see attached" in messages
    assert not any("othello" in name for name in archive.namelist())
    assert b"othello's secret" not in b"".join(archive.read(name) for name in archive.namelist())
    assert archive.read(f"files/{info['id']}/skull.txt") == b"alas, poor Yorick"
    assert b"To be, or not to be" in archive.read("messages.md")
    profile = json.loads(archive.read("profile.json"))
    assert profile["username"] == hamlet.username and profile["email"] and "password_hash" not in profile
    assert json.loads(archive.read("saved_posts.json")) == [said["id"]]
    assert [(r["post_id"], r["emoji_name"]) for r in lines(archive, "reactions.jsonl")] == [
        (said["id"], "skull")
    ]
    memberships = json.loads(archive.read("memberships.json"))
    assert world.team["name"] in [team["name"] for team in memberships["teams"]]
    assert secret["name"] in [channel["name"] for channel in memberships["channels"]]
    direct = [channel for channel in memberships["channels"] if channel["type"] == "D"]
    assert direct[0]["with_users"] == [othello.username]
    assert "flagged_post" in [p["category"] for p in json.loads(archive.read("preferences.json"))]


def test_only_the_one_who_asked_reads_or_downloads_an_export(world: World) -> None:
    hamlet, othello = world.hamlet, world.othello
    expect_error(othello.post(export_path(hamlet.id)), 403, FORBIDDEN)
    expect_error(othello.get(export_path(hamlet.id)), 403, FORBIDDEN)
    expect_error(hamlet.get(export_path("me")), 404, NO_EXPORT)
    hamlet.ok("POST", export_path(hamlet.id), status=201)
    export = wait_for_export(hamlet, hamlet.id)
    expect_error(othello.get(export["download_url"].removeprefix("/api/v4")), 404, NO_EXPORT)
    expect_error(world.admin.get(export["download_url"].removeprefix("/api/v4")), 404, NO_EXPORT)
    missing = "/villagepump/data_exports/" + "a" * 26 + "/download"
    expect_error(hamlet.get(missing), 404, NO_EXPORT)

    # An admin may export anyone's data; that export is the admin's to download, not hamlet's.
    post(hamlet, world.town_square, "for the admin's eyes")
    world.admin.ok("POST", export_path(hamlet.id), status=201)
    by_admin = wait_for_export(world.admin, hamlet.id)
    assert by_admin["id"] != export["id"]
    assert b"for the admin's eyes" in download(world.admin, by_admin).read("posts.jsonl")
    expect_error(hamlet.get(by_admin["download_url"].removeprefix("/api/v4")), 404, NO_EXPORT)
    assert hamlet.ok("GET", export_path("me"))["id"] == export["id"]


def test_erasing_needs_an_admin_and_the_setting(world: World) -> None:
    path = f"/users/{world.hamlet.id}?permanent=true"
    expect_error(world.admin.delete(path), 401, "api.user.delete_user.not_enabled.app_error")
    with erasing(world.admin):
        expect_error(world.othello.delete(path), 403, FORBIDDEN)
        expect_error(world.hamlet.delete(path), 403, FORBIDDEN)
    assert world.hamlet.ok("GET", "/users/me")["username"] == world.hamlet.username


def test_an_anonymised_user_keeps_their_words_and_loses_everything_else(
    world: World, server: ServerProcess
) -> None:
    hamlet, othello = world.hamlet, world.othello
    said = post(hamlet, world.town_square, "the rest is silence")
    dm = hamlet.ok("POST", "/channels/direct", [hamlet.id, othello.id])
    whispered = post(hamlet, dm, "goodnight, sweet prince")
    info = upload(hamlet, world.town_square, "letter.txt", b"to Ophelia")
    attached = post(hamlet, world.town_square, "a letter", file_ids=[info["id"]])
    othello.ok("POST", "/reactions", {"user_id": othello.id, "post_id": said["id"], "emoji_name": "+1"})
    hamlet.ok("POST", "/reactions", {"user_id": hamlet.id, "post_id": said["id"], "emoji_name": "skull"})
    hamlet.ok("POST", export_path("me"), status=201)
    wait_for_export(hamlet, hamlet.id)
    since = int(time.time() * 1000) - 1000

    with erasing(world.admin, posts="anonymise", directs="keep"):
        world.admin.ok("DELETE", f"/users/{hamlet.id}?permanent=true")
    expect_error(hamlet.get("/users/me"), 401, "api.context.session_expired.app_error")
    seen = othello.ok("GET", f"/users/{hamlet.id}")
    assert seen["username"] == f"deleted-{hamlet.id}" and seen["delete_at"] > 0
    assert (seen["first_name"], seen["last_name"], seen["nickname"], seen["email"]) == ("", "", "", "")
    full = world.admin.ok("GET", f"/users/{hamlet.id}")
    assert hamlet.username not in json.dumps(full) and full["email"].endswith("@deleted.invalid")
    # Their words stay, under the scrubbed account; the DM too, for othello.
    assert othello.ok("GET", f"/posts/{said['id']}")["message"] == "the rest is silence"
    assert othello.ok("GET", f"/posts/{whispered['id']}")["user_id"] == hamlet.id
    # Files, reactions and the export are gone, bytes and all.
    assert othello.get(f"/files/{info['id']}").status_code == 404
    assert list((server.data_dir / "files").rglob(f"{info['id']}/*")) == []
    assert list((server.data_dir / "files" / "data_exports" / hamlet.id).glob("*")) == []
    assert othello.ok("GET", f"/posts/{attached['id']}").get("file_ids", []) == []
    reactions = othello.ok("GET", f"/posts/{said['id']}/reactions")
    assert [(r["user_id"], r["emoji_name"]) for r in reactions] == [(othello.id, "+1")]
    # The audit log says that hamlet's id was erased, and nothing that was hamlet's.
    entries = audits(world.admin, action="user_erased", since=since)
    assert [entry["target_id"] for entry in entries] == [hamlet.id]
    assert hamlet.username not in json.dumps(entries) and "@" not in json.dumps(entries)


def test_a_removed_user_takes_their_posts_and_direct_messages(world: World) -> None:
    hamlet, othello = world.hamlet, world.othello
    root = post(hamlet, world.town_square, "words, words, words")
    reply = post(othello, world.town_square, "what do you read, my lord?", root_id=root["id"])
    kept = post(othello, world.town_square, "othello's own thread")
    dm = hamlet.ok("POST", "/channels/direct", [hamlet.id, othello.id])
    post(othello, dm, "hamlet?")
    with erasing(world.admin, posts="remove", directs="delete"):
        world.admin.ok("DELETE", f"/users/{hamlet.id}?permanent=true")
    for gone in (root, reply):
        assert othello.get(f"/posts/{gone['id']}").status_code == 404
    assert othello.ok("GET", f"/posts/{kept['id']}")["message"] == "othello's own thread"
    assert othello.get(f"/channels/{dm['id']}").status_code == 404
    found = othello.ok("POST", f"/teams/{world.team['id']}/posts/search", {"terms": "words"})
    assert found["order"] == []


def test_direct_messages_are_kept_for_the_other_side_when_posts_are_removed(world: World) -> None:
    hamlet, othello = world.hamlet, world.othello
    dm = hamlet.ok("POST", "/channels/direct", [hamlet.id, othello.id])
    mine = post(hamlet, dm, "adieu")
    theirs = post(othello, dm, "farewell")
    with erasing(world.admin, posts="remove", directs="keep"):
        world.admin.ok("DELETE", f"/users/{hamlet.id}?permanent=true")
    assert othello.get(f"/posts/{mine['id']}").status_code == 404
    assert othello.ok("GET", f"/posts/{theirs['id']}")["message"] == "farewell"


def test_the_command_line_exports_and_erases(world: World, server: ServerProcess, tmp_path: Path) -> None:
    post(world.hamlet, world.town_square, "the play's the thing")
    out = tmp_path / "hamlet.zip"
    done = server.cli("user", "export-data", world.hamlet.username, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert b"the play's the thing" in zipfile.ZipFile(out).read("posts.jsonl")
    done = server.cli("user", "erase", world.hamlet.username, "--remove")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Erased {world.hamlet.id} (posts removed")
    assert world.othello.ok("GET", f"/users/{world.hamlet.id}")["username"] == f"deleted-{world.hamlet.id}"
    assert server.cli("user", "erase", "nobody-at-all").returncode == 1


def test_hamlet_is_warned_of_his_messages_that_retention_deletes_soon(world: World) -> None:
    path = "/villagepump/users/me/expiring_posts?days=1"
    post(world.hamlet, world.town_square, "soon forgotten")
    post(world.hamlet, world.off_topic, "also soon forgotten")
    assert world.hamlet.ok("GET", path) == {"count": 0, "days": 1, "oldest_at": 0, "retention": False}
    keep_a_day = {"DataRetentionSettings": {"EnableMessageDeletion": True, "MessageRetentionHours": 24}}
    off = {"DataRetentionSettings": {"EnableMessageDeletion": False, "MessageRetentionHours": 0}}
    with settings(world.admin, keep_a_day, off):
        # Kept a day: within a day, everything said until now is past the cutoff.
        warned = world.hamlet.ok("GET", path)
        assert warned["count"] == 2 and warned["retention"] is True and warned["oldest_at"] > 0
        assert world.othello.ok("GET", path)["count"] == 0
        world.admin.ok("PUT", "/config/patch", {"DataRetentionSettings": {"MessageRetentionHours": 72}})
        assert world.hamlet.ok("GET", path)["count"] == 0
    expect_error(world.othello.get(f"/villagepump/users/{world.hamlet.id}/expiring_posts"), 403, FORBIDDEN)
