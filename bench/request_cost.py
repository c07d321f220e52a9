"""Server CPU per request for the load test's users, one user at a time.

    .venv/bin/python bench/request_cost.py --db sqlite --users 200

The load test's verdicts move with everything else the machine runs; the server's CPU time per
request barely does. This seeds the load test's world (bench/loadtest.py), then lets `--users`
of its simulated users (bench/loadtest_user.py) each log in (the tests' cheap password
hashing, so hashing is left out), make their agent's initial calls, open their WebSocket, switch
channel `--switches` times and post once, strictly one after another. It reports the server
process's CPU seconds (user + system, from /proc) per request, and per user so started, the
kernel's share of it, and the client's CPU per request.

`--seed-users M` creates M accounts but measures `--users` of them (channels as full as the load
test's); `--profile FILE` records the measured part with py-spy; `--bare N` measures instead N
requests that stop at authentication: what a request costs before any route's work.
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fanout import bench_server  # noqa: E402
from loadtest import _cpu_seconds, seed  # noqa: E402
from loadtest_user import Recorder, SimUser, create_post, switch_channel  # noqa: E402


async def measure(world: object, pid: int, users: int, switches: int) -> dict[str, float]:
    recorder = Recorder()
    names = [f"load{i}" for i in range(users)]
    await _reset_marker(world)
    before = _cpu_seconds(pid)
    system_before = _system_seconds(pid)
    client_before = time.process_time()
    for name in names:
        user = SimUser(world, name, recorder, rate=1.0)  # type: ignore[arg-type]
        if not await user.login():
            raise SystemExit(f"{name} could not log in")
        for _ in range(switches):
            await switch_channel(user)
        await create_post(user)
        await user.close()
    cpu = _cpu_seconds(pid) - before
    system = _system_seconds(pid) - system_before
    client_cpu = time.process_time() - client_before
    requests = sum(len(s) for s in recorder.samples.values())
    failed = sum(
        1 for bucket in recorder.samples.values() for s in bucket if s.status >= 500 or s.status == 0
    )
    return {
        "users": users,
        "requests": requests,
        "failed": failed,
        "server_cpu_s": round(cpu, 2),
        "server_system_share": round(system / cpu, 2) if cpu else 0.0,
        "cpu_ms_per_request": round(cpu / requests * 1000, 3),
        "cpu_ms_per_user": round(cpu / users * 1000, 1),
        "client_cpu_ms_per_request": round(client_cpu / requests * 1000, 3),
    }


def _system_seconds(pid: int) -> float:
    # The kernel's part of the process's CPU (sending and receiving on sockets, mostly).
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[12]) / os.sysconf("SC_CLK_TCK")


async def measure_bare(base_url: str, pid: int, requests: int) -> dict[str, float]:
    """`requests` calls that stop at authentication (a 401): what a request costs in the server
    and the client apart from any route's work, e.g. the response's writes."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            async with http.get(base_url + "/api/v4/users/me") as response:
                await response.read()
        before, client, wall = _cpu_seconds(pid), time.process_time(), time.perf_counter()
        for _ in range(requests):
            async with http.get(base_url + "/api/v4/users/me") as response:
                await response.read()
        return {
            "requests": requests,
            "server_cpu_us_per_request": round((_cpu_seconds(pid) - before) / requests * 1e6, 1),
            "client_cpu_us_per_request": round((time.process_time() - client) / requests * 1e6, 1),
            "wall_us_per_request": round((time.perf_counter() - wall) / requests * 1e6, 1),
        }


async def _reset_marker(world: object) -> None:
    # Marks where the measured part begins, for instruments that watch the server's requests.
    async with httpx.AsyncClient() as http:
        await http.get(world.base_url + "/api/v4/system/ping", params={"reset": "1"})  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--switches", type=int, default=5)
    parser.add_argument(
        "--seed-users",
        type=int,
        default=0,
        help="accounts to create (default --users); channels then have more members than are measured",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="record the measured part with py-spy into FILE (collapsed stacks)"
    )
    parser.add_argument(
        "--bare", type=int, default=0, metavar="N", help="instead: N requests that stop at authentication"
    )
    args = parser.parse_args()
    if args.bare:
        with bench_server(args.db) as server:
            assert server.process is not None
            print(json.dumps(asyncio.run(measure_bare(server.url, server.process.pid, args.bare))))
        return
    with bench_server(args.db) as server:
        world = asyncio.run(seed(server, max(args.users, args.seed_users), 20, 5, 20))
        assert server.process is not None
        spy = None
        if args.profile:
            py_spy = Path(sys.executable).with_name("py-spy")
            command = [str(py_spy), "record", "--pid", str(server.process.pid), "--rate", "250"]
            command += ["--format", "raw", "--output", args.profile, "--nonblocking"]
            spy = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        report = asyncio.run(measure(world, server.process.pid, args.users, args.switches))
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
    print(json.dumps({"db": args.db, **report}))


if __name__ == "__main__":
    main()
