"""What only the amazons3 driver has to show: processes sharing one bucket, a bucket that is not
there refused at start and at a config change, and a switch of driver while the server runs.
(The whole files API also runs on S3: tests/api/test_files.py.)"""

import pytest

from tests.api.test_files import download, upload
from tests.api.test_posts import post
from tests.support.client import expect_error, login, unique
from tests.support.s3 import S3Server
from tests.support.server import ADMIN_PASSWORD, make_server, running_servers


def test_two_processes_sharing_a_bucket_serve_each_others_files(s3: S3Server) -> None:
    bucket = s3.new_bucket()
    with running_servers("postgresql", 2, env=s3.server_env(bucket, prefix="chat")) as (first, second):
        admin_first = login(first.url, "sysadmin", ADMIN_PASSWORD)
        admin_second = login(second.url, "sysadmin", ADMIN_PASSWORD)
        team = admin_first.ok(
            "POST", "/teams", {"name": unique("globe-"), "display_name": "Globe", "type": "O"}
        )
        channel = admin_first.ok(
            "POST",
            "/channels",
            {"team_id": team["id"], "name": unique("stage-"), "display_name": "Stage", "type": "O"},
        )
        info = upload(admin_first, channel, "script.txt", b"to be or not to be")
        post(admin_second, channel, "attached on the other process", file_ids=[info["id"]])
        assert download(admin_second, info["id"]).content == b"to be or not to be"
        # The bytes are in the bucket under the path prefix, not on either process's disk.
        keys = s3.keys(bucket)
        assert keys and all(key.startswith("chat/") for key in keys)
        assert any(key.endswith(f"/{info['id']}/original") for key in keys)
        assert not (first.data_dir / "files").exists()


def test_a_missing_bucket_stops_the_server_at_start_with_a_clear_message(s3: S3Server) -> None:
    server = make_server("sqlite")
    server.env.update(s3.server_env("no-such-bucket-" + unique("b").lower()))
    with pytest.raises(RuntimeError, match="server exited early"):
        server.start()
    assert "does not exist" in server.log() and "api.file.test_connection_no_bucket.app_error" in server.log()
    assert server.process is not None and server.process.returncode != 0


def test_wrong_keys_stop_the_server_at_start(s3: S3Server) -> None:
    server = make_server("sqlite")
    server.env.update(
        {**s3.server_env(s3.new_bucket()), "VILLAGEPUMP_S3_SECRET_ACCESS_KEY": "not-the-secret"}
    )
    with pytest.raises(RuntimeError, match="server exited early"):
        server.start()
    assert "api.file.test_connection_auth.app_error" in server.log()


def test_an_admin_switches_to_s3_at_runtime_only_to_a_bucket_that_is_there(s3: S3Server) -> None:
    bucket = s3.new_bucket()
    with running_servers("sqlite") as (server,):
        admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
        team = admin.ok("POST", "/teams", {"name": unique("rose-"), "display_name": "Rose", "type": "O"})
        channel = admin.ok(
            "POST",
            "/channels",
            {"team_id": team["id"], "name": unique("pit-"), "display_name": "Pit", "type": "O"},
        )
        local = upload(admin, channel, "local.txt", b"on disk")
        settings = {
            "DriverName": "amazons3",
            "AmazonS3Bucket": "no-such-bucket",
            "AmazonS3Endpoint": s3.endpoint,
            "AmazonS3SSL": False,
            "AmazonS3AccessKeyId": s3.access_key,
            "AmazonS3SecretAccessKey": s3.secret_key,
        }
        refused = admin.put("/config/patch", {"FileSettings": settings})
        expect_error(refused, 400, "api.file.test_connection_no_bucket.app_error")
        assert admin.ok("GET", "/config")["FileSettings"]["DriverName"] == "local"

        admin.ok("PUT", "/config/patch", {"FileSettings": {**settings, "AmazonS3Bucket": bucket}})
        remote = upload(admin, channel, "remote.txt", b"in the bucket")
        assert download(admin, remote["id"]).content == b"in the bucket"
        assert any(key.endswith(f"/{remote['id']}/original") for key in s3.keys(bucket))
        # A file stored before the switch stays on disk, where the new driver does not look.
        expect_error(download(admin, local["id"]), 404, "api.file.no_file.app_error")
        admin.ok("PUT", "/config/patch", {"FileSettings": {"DriverName": "local"}})
        assert download(admin, local["id"]).content == b"on disk"
