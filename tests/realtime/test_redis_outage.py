"""When Redis goes away, clients are told to start over rather than silently missing events."""

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
from tests.realtime.sockets import open_socket, receive, wait_for
from tests.support.client import login
from tests.support.server import ADMIN_PASSWORD, REQUIRE_SERVICES, ServerProcess, free_port, make_server
from websockets.exceptions import ConnectionClosed


class RedisServer:
    """A private redis-server on its own port, which the test may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="villagepump-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            ping = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_and_server() -> Iterator[tuple[RedisServer, ServerProcess]]:
    if shutil.which("redis-server") is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is required in CI")
        pytest.skip("redis-server is not installed")
    redis_server = RedisServer()
    redis_server.start()
    server = make_server("sqlite", redis_url=f"redis://127.0.0.1:{redis_server.port}/0")
    created = server.cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    server.start()
    try:
        yield redis_server, server
    finally:
        server.stop()
        redis_server.stop()


def test_losing_redis_closes_sockets_and_service_resumes_when_it_returns(
    redis_and_server: tuple[RedisServer, ServerProcess],
) -> None:
    redis_server, server = redis_and_server
    admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
    socket = open_socket(admin)
    assert receive(socket)["event"] == "hello"

    redis_server.stop()
    # Writes still succeed: the database has them, and clients will resync over REST.
    assert admin.put("/users/me/patch", json={"nickname": "during the outage"}).status_code == 200
    with pytest.raises(ConnectionClosed):
        for _ in range(50):
            receive(socket, timeout=10)

    redis_server.start()
    deadline = time.monotonic() + 20
    while True:
        fresh = open_socket(admin)
        assert receive(fresh)["event"] == "hello"
        admin.ok("PUT", "/users/me/patch", {"nickname": f"after {time.monotonic()}"})
        try:
            wait_for(fresh, lambda message: message["event"] == "user_updated", timeout=2)
            break
        except (AssertionError, ConnectionClosed):
            assert time.monotonic() < deadline, "events did not flow again after Redis came back"
