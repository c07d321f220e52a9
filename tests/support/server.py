"""Starting a real `villagepump serve` process against SQLite or a fresh PostgreSQL database."""

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.sync.client import ClientConnection

POSTGRES_URL = os.environ.get(
    "VILLAGEPUMP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("VILLAGEPUMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# CI sets this so that PostgreSQL and Redis tests fail, rather than skip, when the service is down.
REQUIRE_SERVICES = os.environ.get("VILLAGEPUMP_TEST_REQUIRE_SERVICES") == "1"
ADMIN_PASSWORD = "admin-password-1"

# Cheap password hashing and generous address limits keep the suite fast; one test checks the
# per-account login limit, which stays at its default.
TEST_ENV = {
    "VILLAGEPUMP_ARGON2_TIME_COST": "1",
    "VILLAGEPUMP_ARGON2_MEMORY_KIB": "1024",
    "VILLAGEPUMP_LOGIN_FAILURES_PER_ADDRESS": "100000",
    "VILLAGEPUMP_LOG_LEVEL": "warning",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_available() -> bool:
    try:
        asyncio.run(_pg_execute(POSTGRES_URL, "SELECT 1"))
        return True
    except Exception:
        return False


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


async def _pg_execute(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_postgres_database() -> str:
    """A new empty database; returns its URL."""
    name = "vp_test_" + secrets.token_hex(6)
    asyncio.run(_pg_execute(POSTGRES_URL, f"CREATE DATABASE {name}"))
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    asyncio.run(_pg_execute(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@dataclass
class ServerProcess:
    """One running server. `env` is what it was started with, for starting siblings or the CLI."""

    kind: str
    url: str
    port: int
    env: dict[str, str]
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None
    # Started with `serve --manual-clock`: its time moves only through `advance`.
    manual_clock: bool = False
    log_path: Path = field(default_factory=lambda: Path(tempfile.mktemp(suffix=".log")))

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/api/v4/websocket"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "villagepump", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    @property
    def clock_socket(self) -> Path:
        return self.data_dir / "clock.sock"

    def advance(self, seconds: float, step: float = 10.0, alive: Sequence[ClientConnection] = ()) -> None:
        """Moves the server's clock forward; returns once what was due in that time has run.

        The clock goes `step` seconds at a time, and after each step every socket in `alive`
        pings the server and waits for its pong: on a clock that jumps, a client's answers to
        the server's pings could arrive only after it has been counted silent and closed
        (api/v4/websocket.py), so sockets that must stay open are kept heard this way.
        """
        assert self.manual_clock, "only a server started with manual_clock=True can be advanced"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as control:
            control.settimeout(60)
            control.connect(str(self.clock_socket))
            answers = control.makefile("rb")
            while seconds > 0:
                control.sendall(f"advance {min(seconds, step)}\n".encode())
                answer = answers.readline().decode()
                assert answer.startswith("ok "), answer
                seconds -= step
                for ws in alive:
                    assert ws.ping().wait(10), "the server did not answer a ping"

    def start(self) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - the process writes to it until stopped
        command = [sys.executable, "-m", "villagepump", "serve", "--port", str(self.port)]
        if self.manual_clock:
            command += ["--manual-clock", str(self.clock_socket)]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(self.url + "/api/v4/system/ping", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def make_server(
    kind: str,
    database_url: str = "",
    redis_url: str = "",
    data_dir: Path | None = None,
    manual_clock: bool = False,
) -> ServerProcess:
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="villagepump-test-"))
    port = free_port()
    env = {**os.environ, **TEST_ENV, "VILLAGEPUMP_DATA_DIR": str(data_dir)}
    env.pop("VILLAGEPUMP_CONFIG", None)
    env["VILLAGEPUMP_DATABASE_URL"] = database_url
    env["VILLAGEPUMP_REDIS_URL"] = redis_url
    return ServerProcess(
        kind=kind,
        url=f"http://127.0.0.1:{port}",
        port=port,
        env=env,
        data_dir=data_dir,
        manual_clock=manual_clock,
    )


def serve_with_admin(kind: str, manual_clock: bool = False) -> Iterator[ServerProcess]:
    """A started server (on a fresh PostgreSQL database for "postgresql") with the `sysadmin`
    account, for a fixture to yield; afterwards, a 500 anywhere in its log fails the run."""
    import pytest

    database_url = ""
    if kind == "postgresql":
        if not postgres_available():
            if REQUIRE_SERVICES:
                pytest.fail("PostgreSQL is required in CI but is not reachable")
            pytest.skip("PostgreSQL is not reachable")
        database_url = create_postgres_database()
    server = make_server(kind, database_url=database_url, manual_clock=manual_clock)
    created = server.cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if database_url:
            drop_postgres_database(database_url)
    failures = [line for line in server.log().splitlines() if "unexpected error" in line]
    assert not failures, "the server answered 500:\n" + "\n".join(failures[:20])
