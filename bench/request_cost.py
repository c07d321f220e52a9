"""Server CPU per request for the load test's users, one user at a time.

    .venv/bin/python bench/request_cost.py --db sqlite --users 200

The load test's verdicts move with everything else the machine runs; the server's CPU time per
request barely does. This seeds the load test's world (bench/loadtest.py), then lets `--users`
of its simulated users (bench/loadtest_user.py) each log in (the tests' cheap password
hashing, so hashing is left out), make their agent's initial calls, open their WebSocket, switch
channel `--switches` times and post once, strictly one after another. It reports the server
process's CPU seconds (user + system, from /proc) per request, and per user so started.
"""

import argparse
import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fanout import bench_server  # noqa: E402
from loadtest import _cpu_seconds, seed  # noqa: E402
from loadtest_user import Recorder, SimUser, create_post, switch_channel  # noqa: E402


async def measure(world: object, pid: int, users: int, switches: int) -> dict[str, float]:
    recorder = Recorder()
    names = [f"load{i}" for i in range(users)]
    before = _cpu_seconds(pid)
    for name in names:
        user = SimUser(world, name, recorder, rate=1.0)  # type: ignore[arg-type]
        if not await user.login():
            raise SystemExit(f"{name} could not log in")
        for _ in range(switches):
            await switch_channel(user)
        await create_post(user)
        await user.close()
    cpu = _cpu_seconds(pid) - before
    requests = sum(len(s) for s in recorder.samples.values())
    failed = sum(
        1 for bucket in recorder.samples.values() for s in bucket if s.status >= 500 or s.status == 0
    )
    return {
        "users": users,
        "requests": requests,
        "failed": failed,
        "server_cpu_s": round(cpu, 2),
        "cpu_ms_per_request": round(cpu / requests * 1000, 3),
        "cpu_ms_per_user": round(cpu / users * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--switches", type=int, default=5)
    args = parser.parse_args()
    with bench_server(args.db) as server:
        world = asyncio.run(seed(server, args.users, 20, 5, 20))
        assert server.process is not None
        report = asyncio.run(measure(world, server.process.pid, args.users, args.switches))
    print(json.dumps({"db": args.db, **report}))


if __name__ == "__main__":
    main()
