"""Login storm: does a burst of password checks delay WebSocket delivery to connected users?

N listeners hold a WebSocket on one channel while one poster posts at a steady rate. After a
quiet spell, `--logins` logins are fired at once (real argon2 costs, the server's defaults).
Reports delivery latency (POST sent -> `posted` frame received, every listener, every post)
for the posts sent before the storm and for those sent while logins were still being answered.

    .venv/bin/python bench/login_storm.py --db sqlite --listeners 100 --logins 200

Setting up 100 accounts at real argon2 costs would take minutes, so the listeners are created
by a first run of the server with the tests' cheap costs; the server is then restarted on the
same database with the real costs, and only the accounts that log in during the storm are
created then (each logs in `--logins / --storm-users` times at once).
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import CHEAP_HASHING, PASSWORD, _listen, _login, _prepare, bench_server  # noqa: E402
from tests.support.server import (  # noqa: E402
    ADMIN_PASSWORD,
    ServerProcess,
)


def _percentiles(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "max_ms": float("nan")}
    ordered = sorted(latencies)
    return {
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)],
        "max_ms": ordered[-1],
    }


async def _create_storm_users(server: ServerProcess, admin_token: str, team_id: str, count: int) -> list[str]:
    async with httpx.AsyncClient(
        base_url=server.url + "/api/v4", headers={"Authorization": f"Bearer {admin_token}"}, timeout=120
    ) as http:

        async def create(index: int) -> str:
            name = f"stormer{index}"
            response = await http.post(
                "/users", json={"username": name, "email": f"{name}@bench.test", "password": PASSWORD}
            )
            response.raise_for_status()
            user = response.json()
            joined = await http.post(
                f"/teams/{team_id}/members", json={"team_id": team_id, "user_id": user["id"]}
            )
            joined.raise_for_status()
            return name

        return list(await asyncio.gather(*(create(i) for i in range(count))))


async def _storm(server: ServerProcess, names: list[str], logins: int) -> tuple[list[float], int]:
    """Fires all logins at once; returns each one's latency (ms) and how many did not answer 200."""
    limits = httpx.Limits(max_connections=logins + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.url + "/api/v4", timeout=300, limits=limits) as http:

        async def one(index: int) -> tuple[float, int]:
            began = time.perf_counter()
            response = await http.post(
                "/users/login", json={"login_id": names[index % len(names)], "password": PASSWORD}
            )
            return (time.perf_counter() - began) * 1000, response.status_code

        results = await asyncio.gather(*(one(i) for i in range(logins)))
    return [ms for ms, _ in results], sum(1 for _, status in results if status != 200)


async def _run(
    server: ServerProcess, tokens: list[str], channel_id: str, team_id: str, args: argparse.Namespace
) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=server.url + "/api/v4", timeout=60) as http:
        admin_token, _ = await _login(http, "sysadmin", ADMIN_PASSWORD)
    names = await _create_storm_users(server, admin_token, team_id, args.storm_users)

    received: dict[str, list[float]] = {}
    ready, connected = asyncio.Event(), [0]
    listeners = [
        asyncio.create_task(_listen(server.ws_url, t, received, ready, connected, len(tokens)))
        for t in tokens
    ]
    await asyncio.wait_for(ready.wait(), 120)

    sent: dict[str, float] = {}
    failed_posts: list[str] = []
    phase: dict[str, str] = {}
    current_phase = ["warmup"]
    stop_posting = asyncio.Event()

    async def post_steadily() -> None:
        interval = 1 / args.rate
        async with httpx.AsyncClient(
            base_url=server.url + "/api/v4", headers={"Authorization": f"Bearer {admin_token}"}, timeout=300
        ) as poster:
            index, next_at = 0, time.perf_counter()
            while not stop_posting.is_set():
                marker = f"bench-{index:08d}"
                sent[marker], phase[marker] = time.perf_counter(), current_phase[0]
                response = await poster.post("/posts", json={"channel_id": channel_id, "message": marker})
                if response.status_code != 201:
                    failed_posts.append(marker)
                index += 1
                next_at += interval
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    poster_task = asyncio.create_task(post_steadily())
    await asyncio.sleep(1)
    current_phase[0] = "quiet"
    await asyncio.sleep(args.quiet_seconds)
    current_phase[0] = "storm"
    storm_began = time.perf_counter()
    login_ms, refused = await _storm(server, names, args.logins)
    storm_seconds = time.perf_counter() - storm_began
    current_phase[0] = "after"
    stop_posting.set()
    await poster_task

    deadline = time.perf_counter() + 30
    expected = (len(sent) - len(failed_posts)) * len(tokens)
    while time.perf_counter() < deadline and sum(len(v) for v in received.values()) < expected:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    for task in listeners:
        task.cancel()

    def latencies(of_phase: str) -> list[float]:
        return [
            (t - sent[m]) * 1000 for m, times in received.items() if phase.get(m) == of_phase for t in times
        ]

    quiet, storm = latencies("quiet"), latencies("storm")
    posts = {name: sum(1 for p in phase.values() if p == name) for name in ("quiet", "storm")}
    return {
        "quiet_posts": posts["quiet"],
        "storm_posts": posts["storm"],
        "delivered_fraction": sum(len(v) for v in received.values()) / expected,
        **{f"quiet_{k}": v for k, v in _percentiles(quiet).items()},
        **{f"storm_{k}": v for k, v in _percentiles(storm).items()},
        "storm_seconds": storm_seconds,
        "login_p50_ms": statistics.median(login_ms),
        "login_max_ms": max(login_ms),
        "logins_refused": refused,
        "posts_failed": len(failed_posts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--listeners", type=int, default=100)
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--storm-users", type=int, default=40)
    parser.add_argument("--rate", type=float, default=50, help="posts per second")
    parser.add_argument("--quiet-seconds", type=float, default=5)
    args = parser.parse_args()
    with bench_server(args.db) as server:
        _, channel_id, tokens = asyncio.run(_prepare(server, args.listeners))
        server.stop()
        for name in CHEAP_HASHING:
            server.env.pop(name, None)
        server.start()
        team_id = asyncio.run(_team_id(server, channel_id))
        result = asyncio.run(_run(server, tokens, channel_id, team_id, args))
    print(
        json.dumps(
            {
                "db": args.db,
                "listeners": args.listeners,
                "logins": args.logins,
                "rate": args.rate,
                **{k: round(v, 2) for k, v in result.items()},
            }
        )
    )


async def _team_id(server: ServerProcess, channel_id: str) -> str:
    async with httpx.AsyncClient(base_url=server.url + "/api/v4", timeout=60) as http:
        token, _ = await _login(http, "sysadmin", ADMIN_PASSWORD)
        response = await http.get(f"/channels/{channel_id}", headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        return str(response.json()["team_id"])


if __name__ == "__main__":
    main()
