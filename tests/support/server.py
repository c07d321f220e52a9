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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
# per-account login limit, which stays at its default. Link previews are off: a test that posts a
# link must never make the server reach out to it; the link preview tests start servers of their
# own with previews on, and link only to loopback addresses (tests/api/test_link_previews.py).
TEST_ENV = {
    "VILLAGEPUMP_ARGON2_TIME_COST": "1",
    "VILLAGEPUMP_ARGON2_MEMORY_KIB": "1024",
    "VILLAGEPUMP_LOGIN_FAILURES_PER_ADDRESS": "100000",
    "VILLAGEPUMP_ENABLE_LINK_PREVIEWS": "false",
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
        # One per process: processes of one installation may share a data directory.
        return self.data_dir / f"clock-{self.port}.sock"

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
        # Generous: on a 2-core machine running several suites at once, imports alone take 20 s.
        deadline = time.monotonic() + 90
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


def database_for(kind: str, needs_redis: bool = False) -> str:
    """A fresh PostgreSQL database's URL for "postgresql", "" for SQLite; skips (fails in CI)
    when a service the test needs is down."""
    down = []
    if kind == "postgresql" and not postgres_available():
        down.append("PostgreSQL")
    if needs_redis and not redis_available():
        down.append("Redis")
    if down:
        import pytest

        if REQUIRE_SERVICES:
            pytest.fail(f"{' and '.join(down)} required in CI but not reachable")
        pytest.skip(f"{' and '.join(down)} not reachable")
    return create_postgres_database() if kind == "postgresql" else ""


def assert_no_500s(servers: list[ServerProcess]) -> None:
    failures = [line for s in servers for line in s.log().splitlines() if "unexpected error" in line]
    assert not failures, "a server answered 500:\n" + "\n".join(failures[:20])


@contextmanager
def running_servers(
    kind: str,
    count: int = 1,
    *,
    redis: bool = False,
    manual_clock: bool = False,
    with_admin: bool = True,
    together: bool = False,
    env: dict[str, str] | None = None,
    unset: tuple[str, ...] = (),
) -> Iterator[list[ServerProcess]]:
    """`count` started processes sharing one fresh database and data directory (and, with
    `redis`, one Redis channel of their own), with the `sysadmin` account unless `with_admin` is
    off; `together` starts them at the same moment; `unset` drops test defaults from the
    environment (a setting given there is locked against the config API). Afterwards a 500 in
    any log fails the run."""
    database_url = database_for(kind, needs_redis=redis)
    first = make_server(kind, database_url=database_url, redis_url=REDIS_URL if redis else "")
    servers = [first] + [
        make_server(kind, database_url, first.env["VILLAGEPUMP_REDIS_URL"], first.data_dir)
        for _ in range(count - 1)
    ]
    # Redis pub/sub channels are shared by every database on the server: a channel of our own
    # keeps parallel test runs apart.
    channel = "villagepump.test." + secrets.token_hex(6)
    for server in servers:
        server.manual_clock = manual_clock
        server.env["VILLAGEPUMP_REDIS_CHANNEL"] = channel
        server.env.update(env or {})
        for name in unset:
            server.env.pop(name, None)
    if with_admin:
        created = first.cli(
            "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
            "--password", ADMIN_PASSWORD, "--system-admin",
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
    try:
        if together:
            with ThreadPoolExecutor(count) as pool:
                list(pool.map(ServerProcess.start, servers))
        else:
            for server in servers:
                server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
        if database_url:
            drop_postgres_database(database_url)
    assert_no_500s(servers)


def serve_with_admin(
    kind: str, manual_clock: bool = False, env: dict[str, str] | None = None
) -> Iterator[ServerProcess]:
    """One started server with the `sysadmin` account, for a fixture to yield."""
    with running_servers(kind, manual_clock=manual_clock, env=env) as (server,):
        yield server
