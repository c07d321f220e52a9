"""Mattermost bulk import at scale (issue 19): generates an export of N posts (100 channels, 2,000
users, 10% of the posts replies, a reaction on every fifth, a file on 1%), then imports it into a
fresh database with `villagepump import mattermost` in a child process, and reports the rate
and the child's peak RSS. The generator is seeded, so runs import the same file.

    .venv/bin/python bench/import_bulk.py --db sqlite --posts 100000
    .venv/bin/python bench/import_bulk.py --db postgresql --posts 100000
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.server import TEST_ENV, create_postgres_database, drop_postgres_database  # noqa: E402

CHANNELS = 100
USERS = 2000
CHANNELS_PER_USER = 10
START_MS = 1_735_689_600_000  # 2025-01-01
WORDS = [
    "the",
    "meeting",
    "release",
    "page",
    "edit",
    "bot",
    "wiki",
    "talk",
    "article",
    "source",
    "vote",
    "policy",
    "admin",
    "draft",
    "review",
    "image",
    "commons",
    "license",
    "template",
    "category",
    "deletion",
    "discussion",
    "proposal",
    "community",
    "translate",
    "servers",
]
EMOJI = ["+1", "heart", "smile", "tada", "eyes", "rocket"]


def _line(kind: str, data: dict[str, object]) -> bytes:
    return orjson.dumps({"type": kind, kind: data}) + b"\n"


def generate(path: Path, posts: int, seed: int = 19) -> int:
    """Writes the zip; returns the number of posts and replies in it."""
    rng = random.Random(seed)
    members: list[list[str]] = [[] for _ in range(CHANNELS)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("import.jsonl", "w", force_zip64=True) as out:
            out.write(orjson.dumps({"type": "version", "version": 1}) + b"\n")
            out.write(_line("team", {"name": "bench", "display_name": "Bench", "type": "O"}))
            for c in range(CHANNELS):
                out.write(
                    _line(
                        "channel",
                        {
                            "team": "bench",
                            "name": f"channel-{c}",
                            "display_name": f"Channel {c}",
                            "type": "O",
                        },
                    )
                )
            for u in range(USERS):
                chosen = rng.sample(range(CHANNELS), CHANNELS_PER_USER)
                for c in chosen:
                    members[c].append(f"user{u}")
                out.write(
                    _line(
                        "user",
                        {
                            "username": f"user{u}",
                            "email": f"user{u}@example.org",
                            "roles": "system_user",
                            "teams": [
                                {
                                    "name": "bench",
                                    "roles": "team_user",
                                    "channels": [
                                        {"name": f"channel-{c}", "roles": "channel_user"} for c in chosen
                                    ],
                                }
                            ],
                        },
                    )
                )
            written = files = 0
            at = START_MS
            while written < posts:
                c = rng.randrange(CHANNELS)
                at += rng.randrange(1, 2000)
                root = _post(rng, members[c], at)
                written += 1
                # One root in ten gets replies: 10% of all posts are replies.
                if rng.random() < 0.1 and written < posts:
                    replies = []
                    for _ in range(min(rng.randint(1, 2), posts - written)):
                        at += rng.randrange(1, 2000)
                        replies.append(_post(rng, members[c], at))
                        written += 1
                    root["replies"] = replies
                if rng.random() < 0.01:
                    files += 1
                    root["attachments"] = [{"path": f"bulk-export-attachments/f{files}.txt"}]
                out.write(_line("post", {"team": "bench", "channel": f"channel-{c}", **root}))
        for n in range(1, files + 1):
            archive.writestr(f"data/bulk-export-attachments/f{n}.txt", f"file {n}\n".encode() * 20)
    return written


def _post(rng: random.Random, members: list[str], at: int) -> dict[str, object]:
    post: dict[str, object] = {
        "user": rng.choice(members),
        "message": " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20))),
        "create_at": at,
    }
    if rng.random() < 0.2:
        post["reactions"] = [
            {"user": rng.choice(members), "emoji_name": rng.choice(EMOJI), "create_at": at + 1000}
        ]
    return post


def run_import(path: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS of the import process in MiB, its output). The CPU
    time is the figure to compare when other work shares the machine (watch the load average)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "villagepump", "import", "mattermost", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--keep", help="keep the generated export at this path (reused if present)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    export = Path(args.keep) if args.keep else work / "export.zip"
    if not export.exists():
        started = time.monotonic()
        count = generate(export, args.posts)
        print(
            f"generated {count:,} posts in {time.monotonic() - started:.1f} s ({export.stat().st_size / 1e6:.1f} MB)"
        )
    database_url = create_postgres_database() if args.db == "postgresql" else ""
    env = {
        **os.environ,
        **TEST_ENV,
        "VILLAGEPUMP_DATA_DIR": str(work),
        "VILLAGEPUMP_DATABASE_URL": database_url,
    }
    try:
        elapsed, cpu, peak, output = run_import(export, env)
    finally:
        if database_url:
            drop_postgres_database(database_url)
    print(output)
    print(
        f"{args.db}: {args.posts:,} posts in {elapsed:.1f} s = {args.posts / elapsed:,.0f} posts/s "
        f"(import process CPU {cpu:.1f} s = {args.posts / cpu:,.0f} posts per CPU-second); "
        f"peak RSS {peak} MiB; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
