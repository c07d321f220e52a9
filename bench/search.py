"""Search at scale: a generated multilingual corpus, indexing throughput, query latency per kind of
query for a searcher in 50 channels, and the disk the index takes; on SQLite or PostgreSQL.

Posts are written straight into a fresh database (no HTTP), then indexed with the same code as
`villagepump search reindex`; queries go through store/search.py as the API's do. The corpus is
seeded, so two runs search the same text.

    .venv/bin/python bench/search.py --db sqlite --posts 100000

`--keep` keeps the database (a SQLite file, or a PostgreSQL database) and prints its URL;
`--reuse URL` times the queries again on such a database without building one, and `--explain`
prints each query's plan as the database ran it.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, text
from sqlalchemy.engine import Connection, Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.server import create_postgres_database, drop_postgres_database  # noqa: E402

from villagepump.search.query import parse  # noqa: E402
from villagepump.search.reindex import reindex  # noqa: E402
from villagepump.store import search as search_store  # noqa: E402
from villagepump.store.database import Database  # noqa: E402
from villagepump.store.tables import channel_members, channels, posts, users  # noqa: E402

TEAM = "t" * 26
START_MS = 1_735_689_600_000  # 2025-01-01
YEAR_MS = 365 * 86_400_000
# A few hundred everyday words per language would be more faithful; these, plus a long tail of
# generated words, give each language common and rare terms.
VOCABULARY = {
    "en": "the meeting release page edit bot wiki talk article source vote policy admin draft review "
    "image commons license template category deletion discussion proposal community translate",
    "de": "Hauptbahnhof Donaudampfschifffahrt Straße Bearbeitung Artikel Diskussion Abstimmung "
    "Gemeinschaft Übersetzung Vorlage Kategorie Löschung Quelle Bild Lizenz Richtlinie",
    "fr": "réunion édition communauté catégorie modèle suppression discussion traduction élection "
    "sécurité général vérifié réponse",
    "ru": "Википедия статья обсуждение правка голосование сообщество перевод шаблон категория "
    "удаление источник изображение",
    "zh": "维基百科 条目 讨论 编辑 投票 社区 翻译 模板 分类 删除 来源 图片 北京 上海 大学",
    "ja": "ウィキペディア 記事 議論 編集 投票 コミュニティ 翻訳 テンプレート 東京 画像 出典",
    "th": "วิกิพีเดีย บทความ อภิปราย แก้ไข ลงคะแนน ชุมชน แปล แม่แบบ หมวดหมู่ ภาษาไทย",
    "ar": "ويكيبيديا مقالة نقاش تحرير تصويت مجتمع ترجمة قالب تصنيف حذف مصدر صورة",
    "hi": "विकिपीडिया लेख चर्चा संपादन मतदान समुदाय अनुवाद साँचा श्रेणी हिन्दी स्रोत",
    "ko": "위키백과 문서 토론 편집 투표 공동체 번역 틀 분류 삭제 서울 사진",
    "he": "ויקיפדיה ערך דיון עריכה הצבעה קהילה תרגום תבנית קטגוריה מחיקה",
}
UNSPACED = {"zh", "ja", "th"}


def make_message(rng: random.Random) -> str:
    language = rng.choice(list(VOCABULARY))
    words = VOCABULARY[language].split()
    picked = [
        rng.choice(words) if rng.random() < 0.8 else f"w{int(rng.paretovariate(1.0) * 10)}"
        for _ in range(rng.randint(4, 20))
    ]
    if rng.random() < 0.05:
        picked.append(f"@user{rng.randrange(2000)}")
    if rng.random() < 0.05:
        picked.append(f"#topic{rng.randrange(50)}")
    return ("" if language in UNSPACED else " ").join(picked)


def _corpus(conn: Connection, total: int, channel_count: int, user_count: int, seed: int) -> None:
    rng = random.Random(seed)
    conn.execute(
        insert(users),
        [
            {"id": f"{n:026d}", "username": f"user{n}", "email": f"user{n}@bench.test"}
            for n in range(user_count)
        ],
    )
    conn.execute(
        insert(channels),
        [
            {
                "id": f"c{n:025d}",
                "team_id": TEAM,
                "type": "O",
                "name": f"channel-{n}",
                "display_name": f"C{n}",
            }
            for n in range(channel_count)
        ],
    )
    batch: list[dict[str, Any]] = []
    for n in range(total):
        at = START_MS + rng.randrange(YEAR_MS)
        batch.append(
            {
                "id": f"p{n:025d}",
                "create_at": at,
                "update_at": at,
                "edit_at": 0,
                "delete_at": 0,
                "is_pinned": False,
                "user_id": f"{rng.randrange(user_count):026d}",
                "channel_id": f"c{rng.randrange(channel_count):025d}",
                "root_id": "",
                "original_id": "",
                "message": make_message(rng),
                "type": "",
                "props": {},
                "hashtags": "",
                "file_ids": [],
                "pending_post_id": "",
            }
        )
        if len(batch) == 5000:
            conn.execute(insert(posts), batch)
            batch.clear()
    if batch:
        conn.execute(insert(posts), batch)


def _searcher(conn: Connection, channel_count: int, member_of: int) -> str:
    searcher = f"{0:026d}"
    step = max(channel_count // member_of, 1)
    conn.execute(
        insert(channel_members),
        [{"channel_id": f"c{n:025d}", "user_id": searcher} for n in range(0, channel_count, step)][
            :member_of
        ],
    )
    return searcher


QUERIES = {
    "common word": ["discussion", "edit", "Википедия", "talk", "review"],
    "rare word": ["w173", "w4211", "w99", "w1234", "w60"],
    "phrase": ['"meeting release"', '"обсуждение правка"', '"wiki talk"', '"policy admin"'],
    "prefix": ["transl*", "Diskuss*", "катег*", "commun*"],
    "cjk/thai substring": ["北京", "東京", "ภาษาไทย", "条目", "서울"],
    "filters": [
        "from:user7 edit",
        "in:channel-10 review",
        "discussion after:2025-06-01 before:2025-07-01",
        "on:2025-03-03",
    ],
    "or search": ["vote wiki", "w173 w99", "北京 東京"],
}


async def _search(db: Database, searcher: str, kind: str, terms: str) -> int:
    # As the API runs a search: on a reader of its own (a thread beside the loop, on SQLite).
    async with db.read(offload=True) as conn:
        rows = await search_store.search_posts_page(
            conn,
            parse(terms),
            search_store.Scope(searcher, TEAM),
            any_of=kind == "or search",
            time_zone_offset=0,
            offset=0,
            limit=21,
        )
    return len(rows)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 10 ms ticks), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _backends(db: Database) -> list[int]:
    """The PostgreSQL backends on the bench's database (its pool's; none on SQLite)."""
    if db.is_sqlite:
        return []
    async with db.read() as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        return list((await conn.exec_driver_sql(query)).scalars())


async def _latencies(db: Database, searcher: str, rounds: int) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    for kind, queries in QUERIES.items():
        timings: list[float] = []
        found = 0
        # CPU, which a busy machine's waits for a core do not inflate: this process's (SQLite's
        # engine included) and, on PostgreSQL, its backends' (read from /proc).
        backends = await _backends(db)
        cpu = time.process_time(), sum(map(_cpu_seconds, backends))
        for _ in range(rounds):
            for terms in queries:
                started = time.perf_counter()
                found += await _search(db, searcher, kind, terms)
                timings.append((time.perf_counter() - started) * 1000)
        backends = sorted(set(backends) | set(await _backends(db)))
        process_cpu = time.process_time() - cpu[0]
        database_cpu = sum(map(_cpu_seconds, backends)) - cpu[1]
        timings.sort()
        figures[kind] = {
            "p50": statistics.median(timings),
            "p95": timings[int(len(timings) * 0.95) - 1],
            "p99": timings[int(len(timings) * 0.99) - 1],
            "hits/query": found / len(timings),
            "cpu": (process_cpu + database_cpu) * 1000 / len(timings),
        }
    return figures


async def _explain(db: Database, searcher: str) -> None:
    """Runs each query once more and prints the plan of every statement it sent."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.startswith("EXPLAIN"):
            sent.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        for kind, queries in QUERIES.items():
            for terms in queries:
                sent.clear()
                await _search(db, searcher, kind, terms)
                statements = list(sent)
                print(f"\n## {kind}: {terms}")
                for statement, parameters in statements:
                    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
                    async with db.read(offload=True) as conn:
                        plan = await conn.exec_driver_sql(prefix + statement, parameters)
                        print("\n".join(" | ".join(map(str, row)) for row in plan))
                    print("--")
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def _index_bytes(db: Database) -> int:
    """Bytes of the index's tables and indexes (search_posts and the engine's own)."""
    async with db.read() as conn:
        if db.is_sqlite:
            query = "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_posts%' OR name LIKE 'sqlite_autoindex_search_posts%'"
        else:
            query = "SELECT pg_total_relation_size('search_posts')"
        return int(await conn.scalar(text(query)) or 0)


def _async_url(url: str) -> str:
    if url.startswith("sqlite"):
        return "sqlite+aiosqlite:" + url.split(":", 1)[1]
    return "postgresql+asyncpg://" + url.split("://", 1)[1]


async def _build(db: Database, args: argparse.Namespace) -> str:
    """Writes and indexes the corpus; returns the searcher's id."""
    await db.migrate()
    started = time.perf_counter()
    async with db.write() as conn:
        await conn.run_sync(_corpus, args.posts, args.channels, args.users, args.seed)
        searcher = await conn.run_sync(_searcher, args.channels, args.member_of)
    print(f"corpus: {args.posts:,} posts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    async with db.write() as conn:
        # A database in use has its statistics; a freshly loaded one gets them here.
        await conn.exec_driver_sql("ANALYZE")
    cpu, started = time.process_time(), time.perf_counter()
    indexed, _ = await reindex(db)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"engine: {args.db}; posts: {indexed:,}; channels: {args.channels}; users: {args.users}")
    print(f"indexing: {indexed / wall:,.0f} posts/s wall ({wall:.1f} s), bench process CPU {cpu:.1f} s")
    return searcher


async def run(args: argparse.Namespace, url: str) -> None:
    db = Database(_async_url(url))
    try:
        searcher = await _build(db, args) if not args.reuse else _searcher_id()
        index_bytes = await _index_bytes(db)
        async with db.read() as conn:
            indexed = int(await conn.scalar(text("SELECT count(*) FROM search_posts")) or 0)
        print(f"index on disk: {index_bytes / 1e6:,.1f} MB ({index_bytes / max(indexed, 1):,.0f} bytes/post)")
        print(f"load average at the start of the queries: {_load()}")
        figures = await _latencies(db, searcher, args.rounds)
        print(
            f"queries by a member of {args.member_of} channels, newest 20 (+1) results, ms"
            " (CPU: the bench process's and, on PostgreSQL, its backends' per query):"
        )
        print("| kind | p50 | p95 | p99 | hits/query | CPU/query |")
        print("|---|---|---|---|---|---|")
        for kind, f in figures.items():
            print(
                f"| {kind} | {f['p50']:.1f} | {f['p95']:.1f} | {f['p99']:.1f} | {f['hits/query']:.1f}"
                f" | {f['cpu']:.1f} |"
            )
        print(f"load average at the end: {_load()}")
        if args.explain:
            await _explain(db, searcher)
    finally:
        await db.close()


def _searcher_id() -> str:
    return f"{0:026d}"


def _load() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--posts", type=int, default=1_000_000, help="corpus size (the issue asks 1,000,000)")
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--member-of", type=int, default=50, help="channels the searcher is in")
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the database and print its URL")
    parser.add_argument("--reuse", metavar="URL", help="time the queries on a database kept by --keep")
    parser.add_argument("--explain", action="store_true", help="print each query's plan after the timings")
    args = parser.parse_args()
    if args.reuse:
        asyncio.run(run(args, args.reuse))
        return
    if args.db == "postgresql":
        url = create_postgres_database()
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'search-bench.db'}"
    try:
        asyncio.run(run(args, url))
    finally:
        if args.keep:
            print(f"kept: --reuse {url}")
        elif args.db == "postgresql":
            drop_postgres_database(url)
        else:
            for leftover in Path(url.removeprefix("sqlite:///")).parent.glob("search-bench.db*"):
                os.unlink(leftover)


if __name__ == "__main__":
    main()
