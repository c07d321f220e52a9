"""Fan-out benchmark: N WebSocket listeners in one channel, one poster, each post acknowledged
before the next. Reports posts/s accepted and delivery latency (POST sent -> frame received),
and the CPU time per post of the server process and, on PostgreSQL, of the database's backends
while posting: on a machine shared with other work, the wall-clock rate moves with the load,
the CPU per post much less.

    .venv/bin/python bench/fanout.py --db sqlite --listeners 100 --posts 500

The server runs as its own process (as in production); listeners and poster share one client
process on an asyncio loop, so on a 2-core machine each side has roughly one core.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.server import (  # noqa: E402
    ADMIN_PASSWORD,
    POSTGRES_URL,
    ServerProcess,
    create_postgres_database,
    drop_postgres_database,
    make_server,
)

PASSWORD = "bench-password-1"
# The tests' cheap argon2 costs, which make_server sets; a bench that measures logins drops them.
CHEAP_HASHING = ("VILLAGEPUMP_ARGON2_TIME_COST", "VILLAGEPUMP_ARGON2_MEMORY_KIB")


@contextmanager
def bench_server(db: str) -> Iterator[ServerProcess]:
    """A started server on a fresh database with the `sysadmin` account; if the bench fails,
    the tail of the server's log is printed."""
    database_url = create_postgres_database() if db == "postgresql" else ""
    server = make_server(db, database_url=database_url)
    server.cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@bench.test",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    try:
        try:
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        server.start()
        yield server
    except Exception:
        print(server.log()[-3000:], file=sys.stderr)
        raise
    finally:
        server.stop()
        if database_url:
            drop_postgres_database(database_url)


async def _login(http: httpx.AsyncClient, login_id: str, password: str) -> tuple[str, str]:
    response = await http.post("/users/login", json={"login_id": login_id, "password": password})
    response.raise_for_status()
    return response.headers["Token"], response.json()["id"]


async def _prepare(server: ServerProcess, listeners: int) -> tuple[str, str, list[str]]:
    """A team, a channel with `listeners` members; returns (poster token, channel id, listener tokens)."""
    async with httpx.AsyncClient(base_url=server.url + "/api/v4", timeout=60) as http:
        admin_token, _ = await _login(http, "sysadmin", ADMIN_PASSWORD)
        admin = {"Authorization": f"Bearer {admin_token}"}
        team = (
            await http.post(
                "/teams", json={"name": "bench", "display_name": "Bench", "type": "O"}, headers=admin
            )
        ).json()
        channel = (await http.get(f"/teams/{team['id']}/channels/name/town-square", headers=admin)).json()
        semaphore = asyncio.Semaphore(16)

        async def make_listener(index: int) -> str:
            async with semaphore:
                name = f"listener{index}"
                user = (
                    await http.post(
                        "/users",
                        json={"username": name, "email": f"{name}@bench.test", "password": PASSWORD},
                        headers=admin,
                    )
                ).json()
                (
                    await http.post(
                        f"/teams/{team['id']}/members",
                        json={"team_id": team["id"], "user_id": user["id"]},
                        headers=admin,
                    )
                ).raise_for_status()
                token, _ = await _login(http, name, PASSWORD)
                return token

        tokens = await asyncio.gather(*(make_listener(i) for i in range(listeners)))
        return admin_token, channel["id"], list(tokens)


async def _listen(
    url: str, token: str, received: dict[str, list[float]], ready: asyncio.Event, count: list[int], total: int
) -> None:
    async with websockets.connect(
        url, additional_headers={"Authorization": f"Bearer {token}"}, max_size=None
    ) as ws:
        await ws.recv()  # hello
        count[0] += 1
        if count[0] == total:
            ready.set()
        async for frame in ws:
            now = time.perf_counter()
            # Find the marker without parsing the whole event: the bench measures the server.
            text = frame if isinstance(frame, str) else frame.decode()
            if '"event":"posted"' not in text:
                continue
            start = text.find("bench-")
            if start >= 0:
                received.setdefault(text[start : start + 14], []).append(now)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _database_backends(server: ServerProcess) -> list[int]:
    """The PostgreSQL backends serving the server's database (none on SQLite)."""
    url = server.env.get("VILLAGEPUMP_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return []
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", url.rsplit("/", 1)[1])
    finally:
        await conn.close()
    return [row["pid"] for row in rows]


@dataclass
class Listening:
    """The channel, its poster's token, and the listeners connected to it with what they heard
    (arrival times by bench marker)."""

    poster_token: str
    channel_id: str
    tasks: list["asyncio.Task[None]"]
    received: dict[str, list[float]]


async def start_listening(server: ServerProcess, listeners: int) -> Listening:
    poster_token, channel_id, tokens = await _prepare(server, listeners)
    received: dict[str, list[float]] = {}
    ready = asyncio.Event()
    connected = [0]
    tasks = [
        asyncio.create_task(_listen(server.ws_url, t, received, ready, connected, listeners)) for t in tokens
    ]
    await asyncio.wait_for(ready.wait(), 120)
    return Listening(poster_token, channel_id, tasks, received)


async def warm_up(http: httpx.AsyncClient, channel_id: str) -> None:
    for warmup in range(20):
        await http.post("/posts", json={"channel_id": channel_id, "message": f"warmup {warmup}"})
    await asyncio.sleep(1)


async def _run(server: ServerProcess, listeners: int, posts: int) -> dict[str, float]:
    listening = await start_listening(server, listeners)
    channel_id, tasks, received = listening.channel_id, listening.tasks, listening.received
    sent: dict[str, float] = {}
    async with httpx.AsyncClient(
        base_url=server.url + "/api/v4",
        headers={"Authorization": f"Bearer {listening.poster_token}"},
        timeout=30,
    ) as http:
        await warm_up(http, channel_id)
        assert server.process is not None
        backends = await _database_backends(server)
        cpu_before = _cpu_seconds(server.process.pid), sum(map(_cpu_seconds, backends))
        began = time.perf_counter()
        for index in range(posts):
            marker = f"bench-{index:08d}"
            sent[marker] = time.perf_counter()
            response = await http.post("/posts", json={"channel_id": channel_id, "message": marker})
            response.raise_for_status()
        elapsed = time.perf_counter() - began
        server_cpu = _cpu_seconds(server.process.pid) - cpu_before[0]
        # Backends that started while posting count from zero.
        backends = sorted(set(backends) | set(await _database_backends(server)))
        database_cpu = sum(map(_cpu_seconds, backends)) - cpu_before[1]
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and sum(len(v) for v in received.values()) < posts * listeners:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    latencies = sorted((t - sent[m]) * 1000 for m, times in received.items() if m in sent for t in times)
    delivered = len(latencies)
    return {
        "posts_per_second": posts / elapsed,
        "delivered_fraction": delivered / (posts * listeners),
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "server_cpu_ms_per_post": server_cpu * 1000 / posts,
        "database_cpu_ms_per_post": database_cpu * 1000 / posts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--listeners", type=int, default=100)
    parser.add_argument("--posts", type=int, default=500)
    args = parser.parse_args()
    with bench_server(args.db) as server:
        result = asyncio.run(_run(server, args.listeners, args.posts))
    print(
        json.dumps(
            {
                "db": args.db,
                "listeners": args.listeners,
                "posts": args.posts,
                **{k: round(v, 2) for k, v in result.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
