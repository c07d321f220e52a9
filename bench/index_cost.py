"""What the search index costs a post, measured inside one server run: the server indexes every
other post of the fan-out workload (bench/fanout.py: one poster, each post acknowledged before
the next, N listeners) and leaves the others out, and the POST round trips of the two halves
are compared. Both halves share the machine's load minute by minute, which alternating whole
runs (with, without, with, ...) cannot promise on a machine shared with other work.

    .venv/bin/python bench/index_cost.py --db sqlite --listeners 50 --posts 600

The server is the code on PYTHONPATH (or the installed package); the skipping is a
sitecustomize.py this script writes into a temporary directory put first on the server's
PYTHONPATH, which wraps `villagepump.store.search.index_post`.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.server import ServerProcess  # noqa: E402

from fanout import bench_server, start_listening, warm_up  # noqa: E402

SKIP_ODD_POSTS = """
from villagepump.store import search as _search

_index_post = _search.index_post


async def index_post(conn, post, *args, **kwargs):
    message = str(post.get("message", ""))
    if message.startswith("bench-") and int(message[6:14]) % 2 == 1:
        return None
    return await _index_post(conn, post, *args, **kwargs)


_search.index_post = index_post
"""


async def _run(server: ServerProcess, listeners: int, posts: int) -> dict[str, list[float]]:
    listening = await start_listening(server, listeners)
    round_trips: dict[str, list[float]] = {"indexed": [], "not_indexed": []}
    async with httpx.AsyncClient(
        base_url=server.url + "/api/v4",
        headers={"Authorization": f"Bearer {listening.poster_token}"},
        timeout=30,
    ) as http:
        await warm_up(http, listening.channel_id)
        for index in range(posts):
            began = time.perf_counter()
            response = await http.post(
                "/posts", json={"channel_id": listening.channel_id, "message": f"bench-{index:08d}"}
            )
            response.raise_for_status()
            half = "not_indexed" if index % 2 else "indexed"
            round_trips[half].append((time.perf_counter() - began) * 1000)
    for task in listening.tasks:
        task.cancel()
    return round_trips


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--listeners", type=int, default=50)
    parser.add_argument("--posts", type=int, default=600)
    args = parser.parse_args()
    site = Path(tempfile.mkdtemp(prefix="index-cost-"))
    (site / "sitecustomize.py").write_text(SKIP_ODD_POSTS)
    # The server process inherits this environment (tests/support/server.py make_server).
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    with bench_server(args.db) as server:
        round_trips = asyncio.run(_run(server, args.listeners, args.posts))
    result: dict[str, object] = {"db": args.db, "listeners": args.listeners, "posts": args.posts}
    for half, times in round_trips.items():
        result[f"{half}_mean_ms"] = round(statistics.mean(times), 3)
        result[f"{half}_median_ms"] = round(statistics.median(times), 3)
    indexed, other = round_trips["indexed"], round_trips["not_indexed"]
    result["mean_ratio"] = round(statistics.mean(indexed) / statistics.mean(other), 3)
    result["median_ratio"] = round(statistics.median(indexed) / statistics.median(other), 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
