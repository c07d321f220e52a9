"""The clean_files job, on a manual clock: a day after a post is deleted its files are gone from
storage, as are uploads never attached (unless a draft holds them), and temporary uploads a
killed process left behind; files on a standing post stay. On local storage and on S3."""

import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_files import upload
from tests.jobs.receiver import wait_until
from tests.jobs.servers import admin_of, servers
from tests.support.client import API, expect_error, unique
from tests.support.s3 import S3Server
from tests.support.server import ServerProcess

HOUR = 3600.0


def stored_ids(server: ServerProcess, s3: S3Server | None, bucket: str) -> set[str]:
    """The ids of the files whose bytes are in storage (keys are <day>/<file id>/<kind>)."""
    if s3 is not None:
        return {key.split("/")[-2] for key in s3.keys(bucket)}
    root = server.data_dir / "files"
    return {path.parent.name for path in root.glob("*/*/*") if path.is_file()}


def advanced(server: ServerProcess, done: bool) -> bool:
    """`done`; if not, a minute passes: the job loop polls only when the clock moves, and a
    worker busy while the test moved it would otherwise wait for a poll that never comes."""
    if not done:
        server.advance(60, step=60)
    return done


def setting_up(admin: API) -> dict[str, Any]:
    team = admin.ok("POST", "/teams", {"name": unique("elsinore-"), "display_name": "Elsinore", "type": "O"})
    return admin.ok(
        "POST",
        "/channels",
        {"team_id": team["id"], "name": unique("ramparts-"), "display_name": "Ramparts", "type": "O"},
    )


@pytest.mark.parametrize(
    ("kind", "driver"), [("sqlite", "local"), ("postgresql", "local"), ("sqlite", "amazons3")]
)
def test_unreadable_files_and_stale_uploads_are_removed_a_day_later(
    kind: str, driver: str, request: pytest.FixtureRequest
) -> None:
    s3: S3Server | None = request.getfixturevalue("s3") if driver == "amazons3" else None
    bucket = s3.new_bucket() if s3 is not None else ""
    env = s3.server_env(bucket) if s3 is not None else {}
    with servers(kind, manual_clock=True, **env) as (server,):
        admin = admin_of(server)
        channel = setting_up(admin)
        kept = upload(admin, channel, "kept.txt", b"kept")
        standing = admin.ok(
            "POST", "/posts", {"channel_id": channel["id"], "message": "k", "file_ids": [kept["id"]]}
        )
        gone = upload(admin, channel, "gone.txt", b"gone")
        doomed = admin.ok(
            "POST", "/posts", {"channel_id": channel["id"], "message": "g", "file_ids": [gone["id"]]}
        )
        never = upload(admin, channel, "never.png", _png())
        drafted = upload(admin, channel, "drafted.txt", b"drafted")
        admin.ok(
            "POST", "/drafts", {"channel_id": channel["id"], "message": "soon", "file_ids": [drafted["id"]]}
        )
        admin.ok("DELETE", f"/posts/{doomed['id']}")
        assert stored_ids(server, s3, bucket) == {kept["id"], gone["id"], never["id"], drafted["id"]}

        staging = server.data_dir / "uploads"
        staging.mkdir(parents=True, exist_ok=True)
        stale, fresh = staging / "upload-killed", staging / "upload-live"
        stale.write_bytes(b"left by a killed process")
        fresh.write_bytes(b"still arriving")
        two_hours_ago = time.time() - 2 * HOUR
        os.utime(stale, (two_hours_ago, two_hours_ago))

        # Less than a day: the deleted post's file and the unattached upload are still kept.
        server.advance(20 * HOUR, step=HOUR)
        wait_until(lambda: advanced(server, not stale.exists()), what="the stale temporary upload to go")
        assert fresh.exists()
        assert admin.ok("GET", f"/files/{never['id']}/info")["id"] == never["id"]
        assert stored_ids(server, s3, bucket) == {kept["id"], gone["id"], never["id"], drafted["id"]}

        server.advance(6 * HOUR, step=HOUR)

        wait_until(
            lambda: advanced(server, stored_ids(server, s3, bucket) == {kept["id"], drafted["id"]}),
            what="the unreadable files to leave storage",
        )
        expect_error(admin.get(f"/files/{never['id']}/info"), 404, "app.file_info.get.app_error")
        assert admin.get(f"/files/{kept['id']}").content == b"kept"
        assert [f["id"] for f in admin.ok("GET", f"/posts/{standing['id']}/files/info")] == [kept["id"]]
        assert admin.get(f"/files/{drafted['id']}").content == b"drafted"
        runs = admin.ok("GET", "/jobs/type/clean_files?per_page=200")
        assert sum(int(run["data"].get("deleted_files", "0")) for run in runs) == 2
        assert [run for run in runs if run["status"] == "error"] == []


def _png() -> bytes:
    """An image, so that its thumbnail and preview must go too."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def test_stored_ids_sees_a_written_file(tmp_path: Path) -> None:
    """The helper above must see files where the local driver writes them, or the story proves nothing."""
    server = ServerProcess("sqlite", "http://x", 0, {}, tmp_path)
    (tmp_path / "files" / "20260101" / "abc").mkdir(parents=True)
    (tmp_path / "files" / "20260101" / "abc" / "original").write_bytes(b"x")
    assert stored_ids(server, None, "") == {"abc"}
