"""Load test after Mattermost's load-test model: simulated users, stepped up, judged by its thresholds.

    .venv/bin/python bench/loadtest.py --db sqlite --steps 100,250,500,1000,2000 --step-seconds 300

Each simulated user (bench/loadtest_user.py) logs in (at most `--login-rate` logins a second
across all users), makes its agent's initial calls, opens one WebSocket, then loops: idle
(uniform 1-39 s times `--rate`, mean 108 s at 5.4), one action picked by weight, with that
action's REST calls in the agent's order; every minute it polls statuses. At each step the
user count is raised to the step's figure and the step runs `--step-seconds`. A step is
supported when 5xx < 0.025 %, timeouts (5 s) < 0.025 %, mean < 100 ms and p99 < 2 s.

The server runs as its own process on the same machine; the report gives the CPU each side took
(100 % = one core). Accounts are created with the tests' cheap argon2 costs, then the server is
restarted with its configured costs for the test's logins (`--login-cost test` keeps them cheap).
"""

import argparse
import asyncio
import json
import math
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import uvloop
from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import CHEAP_HASHING, _login, bench_server  # noqa: E402
from bench.loadtest_user import Recorder, Sample, SimUser, World  # noqa: E402
from tests.support.server import (  # noqa: E402
    ADMIN_PASSWORD,
    ServerProcess,
    _pg_execute,
)

from villagepump.config import Settings  # noqa: E402

PASSWORD = "load-password-1"
THRESHOLDS = {"5xx_pct": 0.025, "timeout_pct": 0.025, "mean_ms": 100.0, "p99_ms": 2000.0}


async def seed(server: ServerProcess, users: int, channels: int, per_user: int, posts: int) -> World:
    """One team, `channels` public channels with posts and threads, `users` accounts in the team."""
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(base_url=server.url + "/api/v4", timeout=120, limits=limits) as http:
        token, _ = await _login(http, "sysadmin", ADMIN_PASSWORD)
        http.headers["Authorization"] = f"Bearer {token}"

        async def ok(method: str, path: str, body: Any) -> Any:
            response = await http.request(method, path, json=body)
            response.raise_for_status()
            return response.json()

        team = await ok("POST", "/teams", {"name": "load", "display_name": "Load", "type": "O"})
        channel_ids = [
            (
                await ok(
                    "POST",
                    "/channels",
                    {"team_id": team["id"], "name": f"c{i}", "display_name": f"C{i}", "type": "O"},
                )
            )["id"]
            for i in range(channels)
        ]

        async def fill(channel_id: str) -> None:
            for index in range(posts):
                root = await ok("POST", "/posts", {"channel_id": channel_id, "message": f"seed {index}"})
                if index % 5 == 0:
                    for reply in range(3):
                        body = {"channel_id": channel_id, "root_id": root["id"], "message": f"reply {reply}"}
                        await ok("POST", "/posts", body)

        await asyncio.gather(*(fill(c) for c in channel_ids))
        semaphore = asyncio.Semaphore(16)

        async def make(index: int) -> str:
            async with semaphore:
                name = f"load{index}"
                user = await ok(
                    "POST", "/users", {"username": name, "email": f"{name}@load.test", "password": PASSWORD}
                )
                await ok(
                    "POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user["id"]}
                )
                for channel_id in random.sample(channel_ids, min(per_user, len(channel_ids))):
                    await ok("POST", f"/channels/{channel_id}/members", {"user_id": user["id"]})
                return str(user["id"])

        began = time.perf_counter()
        user_ids = list(await asyncio.gather(*(make(i) for i in range(users))))
        print(f"seeded {users} users in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return World(server.url, server.ws_url, team["id"], user_ids, PASSWORD)


def _store_server_cost_hashes(server: ServerProcess, database_url: str) -> None:
    """argon2 verifies at the cost stored in each hash, so cheap-made accounts would log in cheaply.
    Hashing 2,000 accounts at the real cost takes minutes; all share one password, so one hash at
    the server's default cost is written to all of them (not to the administrator) instead."""
    settings = Settings()
    hasher = PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib, parallelism=1
    )
    sql = f"UPDATE users SET password_hash = '{hasher.hash(PASSWORD)}' WHERE username LIKE 'load%'"
    if database_url:
        asyncio.run(_pg_execute(database_url.replace("+asyncpg", ""), sql))
    else:
        with sqlite3.connect(server.data_dir / "villagepump.db") as db:
            db.execute(sql)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * fraction) - 1)] if ordered else float("nan")


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    latencies = sorted(s.ms for s in samples)
    count = len(samples) or 1
    by_route: dict[str, list[float]] = {}
    client_errors: dict[str, int] = {}
    server_errors: dict[str, int] = {}
    for sample in samples:
        by_route.setdefault(sample.route, []).append(sample.ms)
        if 400 <= sample.status < 500:
            client_errors[sample.route] = client_errors.get(sample.route, 0) + 1
        elif sample.status >= 500:
            server_errors[sample.route] = server_errors.get(sample.route, 0) + 1
    slowest = sorted(by_route.items(), key=lambda item: -statistics.fmean(item[1]))[:6]
    result: dict[str, Any] = {
        "requests": len(samples),
        "rps": round(len(samples) / seconds, 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else float("nan"),
        "p50_ms": round(_percentile(latencies, 0.5), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "5xx_pct": round(100 * sum(1 for s in samples if s.status >= 500) / count, 3),
        "timeout_pct": round(100 * sum(1 for s in samples if s.timed_out) / count, 3),
        "transport_errors": sum(1 for s in samples if s.status == 0 and not s.timed_out),
        "4xx_by_route": client_errors,
        "5xx_by_route": server_errors,
        "slowest_routes": [
            {
                "route": route,
                "n": len(ms),
                "mean_ms": round(statistics.fmean(ms), 1),
                "p99_ms": round(_percentile(sorted(ms), 0.99), 1),
            }
            for route, ms in slowest
        ],
    }
    result["supported"] = bool(latencies) and all(result[key] < limit for key, limit in THRESHOLDS.items())
    return result


async def run(world: World, server_pid: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    recorder = Recorder()
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    connected = [0]

    async def one(index: int) -> None:
        user = SimUser(world, f"load{index}", recorder, args.rate)
        if not await user.login():
            recorder.error("login failed")
            await user.close()
            return
        connected[0] += 1
        await user.run(stop)

    reports = []
    for step, target in enumerate(args.steps):
        recorder.step = step
        began = time.perf_counter()
        cpu_server, cpu_self = _cpu_seconds(server_pid), sum(os.times()[:2])
        # The login ramp: at most `login_rate` new users a second.
        while len(tasks) < target:
            tasks.append(asyncio.create_task(one(len(tasks))))
            await asyncio.sleep(1 / args.login_rate)
        await asyncio.sleep(max(0.0, args.step_seconds - (time.perf_counter() - began)))
        elapsed = time.perf_counter() - began
        logins = sorted(recorder.logins.get(step, []))
        report = {
            "step": step,
            "users": target,
            "logged_in": connected[0],
            "seconds": round(elapsed, 1),
            **summarise(recorder.samples.get(step, []), elapsed),
            "logins": len(logins),
            "login_p50_s": round(statistics.median(logins), 2) if logins else None,
            "login_max_s": round(logins[-1], 2) if logins else None,
            "actions": sum(recorder.actions.get(step, {}).values()),
            "errors": recorder.errors.get(step, {}),
            "server_cpu_pct": round(100 * (_cpu_seconds(server_pid) - cpu_server) / elapsed, 1),
            "loadgen_cpu_pct": round(100 * (sum(os.times()[:2]) - cpu_self) / elapsed, 1),
            "loadavg_1m": os.getloadavg()[0],
        }
        print(json.dumps(report), flush=True)
        reports.append(report)
    stop.set()
    await asyncio.wait(tasks, timeout=30)
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--steps", type=lambda s: [int(n) for n in s.split(",")], default=[100, 250, 500, 1000, 2000]
    )
    parser.add_argument("--step-seconds", type=float, default=300)
    parser.add_argument("--login-rate", type=float, default=20, help="logins per second, all users together")
    parser.add_argument(
        "--rate", type=float, default=5.4, help="idle-time multiplier (Mattermost's ceiling test)"
    )
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--channels-per-user", type=int, default=5)
    parser.add_argument("--posts-per-channel", type=int, default=20)
    parser.add_argument(
        "--login-cost", choices=["server", "test"], default="server", help="argon2 cost of the test's logins"
    )
    args = parser.parse_args()
    with bench_server(args.db) as server:
        world = asyncio.run(
            seed(server, max(args.steps), args.channels, args.channels_per_user, args.posts_per_channel)
        )
        if args.login_cost == "server":
            server.stop()
            _store_server_cost_hashes(server, server.env["VILLAGEPUMP_DATABASE_URL"])
            for name in CHEAP_HASHING:
                server.env.pop(name, None)
            server.start()
        assert server.process is not None
        # uvloop, as the server runs: the generator's own CPU is taken from the server's machine.
        reports = uvloop.run(run(world, server.process.pid, args))
    supported = 0
    for report in reports:
        if not report["supported"]:
            break
        supported = report["users"]
    print(f"server log: {server.log_path}", file=sys.stderr)
    print(json.dumps({"db": args.db, "supported_users": supported, "login_cost": args.login_cost}))


if __name__ == "__main__":
    main()
