"""The index itself on both databases: migrations 0008 and 0016 backfill the posts written before it, and
`villagepump search reindex` makes the index agree with the posts again, whatever happened."""

import asyncio
import datetime
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Text, cast, column, delete, func, insert, select, table, text, update
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection

from tests.support.server import (
    REQUIRE_SERVICES,
    create_postgres_database,
    drop_postgres_database,
    postgres_available,
)
from villagepump.ids import new_id
from villagepump.search import engines
from villagepump.search.engines import ORDER_INDEXES, PAIRS_PENDING, engine_for
from villagepump.search.query import parse
from villagepump.search.reindex import reindex
from villagepump.search.text import document_tokens
from villagepump.store import search as search_store
from villagepump.store.database import Database, alembic_config
from villagepump.store.tables import (
    channel_members,
    channels,
    file_infos,
    posts,
    search_files,
    search_posts,
    systems,
    users,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database: (plain URL for the CLI, async URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{Path(tempfile.mkdtemp()) / 'index.db'}"
        return
    if not postgres_available():
        if REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required in CI but is not reachable")
        pytest.skip("PostgreSQL is not reachable")
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _async_url(url: str) -> str:
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url.removeprefix("sqlite:")
    return "postgresql+asyncpg://" + url.split("://", 1)[1]


def _post(message: str, channel_id: str, **values: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "create_at": 1_700_000_000_000,
        "update_at": 1_700_000_000_000,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": False,
        "user_id": "u" * 26,
        "channel_id": channel_id,
        "root_id": "",
        "original_id": "",
        "message": message,
        "type": "",
        "props": {},
        "hashtags": "",
        "file_ids": [],
        "pending_post_id": "",
        **values,
    }


def _channel(conn: Connection, name: str = "square", *, member: bool = True) -> str:
    """A channel of the team, which the searcher ("u" * 26) is a member of unless not `member`."""
    channel_id = new_id()
    conn.execute(
        insert(channels),
        {"id": channel_id, "team_id": "t" * 26, "type": "O", "name": name, "display_name": name.title()},
    )
    if member:
        conn.execute(insert(channel_members), {"channel_id": channel_id, "user_id": "u" * 26})
    return channel_id


def _searcher_and_author(conn: Connection) -> None:
    """The searcher ("u" * 26) and another poster ("a" * 26), for from: filters."""
    conn.execute(
        insert(users),
        [
            {"id": "u" * 26, "username": "searcher", "email": "s@example.org"},
            {"id": "a" * 26, "username": "author", "email": "a@example.org"},
        ],
    )


async def _page(db: Database, terms: str, offset: int, limit: int) -> list[str]:
    """The messages of a page of the searcher's results, newest first."""
    async with db.read() as conn:
        rows = await search_store.search_posts_page(
            conn,
            parse(terms),
            search_store.Scope("u" * 26),
            any_of=False,
            time_zone_offset=0,
            offset=offset,
            limit=limit,
        )
    return [row["message"] for row in rows]


def _config(conn: Connection) -> Any:
    config = alembic_config()
    config.attributes["connection"] = conn
    return config


def _upgrade(conn: Connection, revision: str) -> None:
    command.upgrade(_config(conn), revision)


async def _found(db: Database, terms: str) -> list[str]:
    return sorted(await _page(db, terms, 0, 50))


def test_migration_backfills_posts_written_before_it(database_url: str) -> None:
    async def scenario() -> None:
        db = Database(_async_url(database_url))
        async with db.write() as conn:
            await conn.run_sync(_upgrade, "0007")

            def write_posts(sync: Connection) -> None:
                channel_id = _channel(sync)
                sync.execute(
                    insert(posts),
                    [
                        _post("old news from Kraków", channel_id),
                        _post("旧闻 deleted", channel_id, delete_at=5),
                        _post("joined the channel", channel_id, type="system_join_channel"),
                    ],
                )

            await conn.run_sync(write_posts)
        await db.migrate()
        assert await _found(db, "krakow") == ["old news from Kraków"]
        assert await _found(db, "旧闻") == []
        assert await _found(db, "joined") == []
        async with db.read() as conn:
            assert await conn.scalar(select(func.count()).select_from(search_posts)) == 1
        await db.close()

    asyncio.run(scenario())


def test_migration_0016_gives_existing_index_rows_their_channel_and_time(database_url: str) -> None:
    """A database indexed before 0016 keeps its index: the rows get the post's channel and time,
    searches still find them, and an edit still reaches SQLite's FTS5 table (its trigger is
    recreated)."""

    async def scenario() -> None:
        db = Database(_async_url(database_url))
        async with db.write() as conn:
            await conn.run_sync(_upgrade, "0011")

            def write_indexed_post(sync: Connection) -> dict[str, Any]:
                post = _post("kept across the migration", _channel(sync), create_at=1_700_000_123_456)
                sync.execute(insert(posts), [post])
                engine = engine_for(sync.dialect.name)
                # As revision 0011's code wrote it: the post's id and tokens only.
                terms = engine.document(document_tokens(post["message"], ""))
                old_table = table("search_posts", column("post_id"), column("terms"))
                sync.execute(insert(old_table).values(post_id=post["id"], terms=engine.terms_value(terms)))
                return post

            post = await conn.run_sync(write_indexed_post)
        await db.migrate()
        async with db.read() as conn:
            row = (await conn.execute(select(search_posts))).mappings().one()
        assert (row["channel_id"], row["create_at"]) == (post["channel_id"], 1_700_000_123_456)
        if not database_url.startswith("sqlite"):
            async with db.read() as conn:
                found = text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_posts'")
                assert set(ORDER_INDEXES) <= set((await conn.execute(found)).scalars())
        assert await _found(db, "migration") == ["kept across the migration"]
        async with db.write() as conn:
            edited = {**post, "message": "rewritten afterwards"}
            await conn.execute(
                update(posts).where(posts.c.id == post["id"]).values(message=edited["message"])
            )
            await search_store.index_post(conn, edited)
        assert await _found(db, "migration") == []
        assert await _found(db, "rewritten") == ["rewritten afterwards"]
        await db.close()

    asyncio.run(scenario())


def test_reindex_command_makes_the_index_agree_with_the_posts(database_url: str) -> None:
    async def prepare() -> None:
        db = Database(_async_url(database_url))
        await db.migrate()
        async with db.write() as conn:

            def write(sync: Connection) -> None:
                channel_id = _channel(sync)
                rows = [_post(f"message number {n} ภาษาไทย", channel_id) for n in range(2500)]
                sync.execute(insert(posts), rows)
                # Written behind the index's back: nothing indexed them, and one changed since.
                stale = _post("stale words", channel_id)
                sync.execute(insert(posts), [stale])
                search_store.reindex_batch(sync, (-1, ""), limit=10_000)
                sync.execute(update(posts).where(posts.c.id == stale["id"]).values(delete_at=9))
                sync.execute(
                    update(posts).where(posts.c.id == rows[0]["id"]).values(message="edited quietly")
                )

            await conn.run_sync(write)
        # The index still holds the deleted post (which no search shows) and the old words.
        async with db.read() as conn:
            assert await conn.scalar(select(func.count()).select_from(search_posts)) == 2501
        assert await _found(db, "quietly") == []
        await db.close()

    async def check() -> None:
        db = Database(_async_url(database_url))
        assert await _found(db, "stale") == []
        assert await _found(db, "quietly") == ["edited quietly"]
        assert len(await _found(db, "ภาษาไทย")) == 50
        async with db.read() as conn:
            assert await conn.scalar(select(func.count()).select_from(search_posts)) == 2500
        await db.close()

    asyncio.run(prepare())
    env = {**os.environ, "VILLAGEPUMP_DATABASE_URL": database_url, "VILLAGEPUMP_DATA_DIR": tempfile.mkdtemp()}
    done = subprocess.run(
        [sys.executable, "-m", "villagepump", "search", "reindex"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Indexed 2,500 posts; dropped 1 stale index rows." in done.stdout
    assert "2,500/2,500 posts" in done.stderr
    asyncio.run(check())


def test_posts_indexed_one_by_one_are_found_at_once_and_an_edit_replaces_their_words(
    database_url: str,
) -> None:
    """As posting and editing index them: a transaction per post, several within one millisecond,
    the post and its index row written together (one statement on PostgreSQL). Each post is found
    by its own words as soon as its transaction commits, newest first; a system message is stored
    but not indexed; an edit replaces the words and keeps the row."""

    async def scenario() -> None:
        db = Database(_async_url(database_url))
        await db.migrate()
        async with db.write() as conn:
            channel_id = await conn.run_sync(_channel)
        written = []
        for n in range(6):
            # Three posts in each of two milliseconds.
            post = _post(f"pump{n} village", channel_id, create_at=1_700_000_000_000 + n // 3)
            async with db.write() as conn:
                await search_store.insert_indexed_post(conn, post)
            written.append(post)
            assert await _found(db, f"pump{n}") == [post["message"]]
        system = _post("pump9 village", channel_id, type="system_header_change")
        async with db.write() as conn:
            await search_store.insert_indexed_post(conn, system)
        assert await _found(db, "pump9") == []
        async with db.read() as conn:
            assert (
                await conn.scalar(select(posts.c.message).where(posts.c.id == system["id"]))
                == "pump9 village"
            )
        newest_first = await _page(db, "village", 0, 50)
        assert sorted(newest_first[:3]) == [f"pump{n} village" for n in (3, 4, 5)]
        assert sorted(newest_first[3:]) == [f"pump{n} village" for n in (0, 1, 2)]
        async with db.read() as conn:
            doc_ids = dict((await conn.execute(select(search_posts.c.post_id, search_posts.c.doc_id))).all())
        assert len(set(doc_ids.values())) == 6

        edited = {**written[1], "message": "rewritten hamlet"}
        async with db.write() as conn:
            await conn.execute(
                update(posts).where(posts.c.id == edited["id"]).values(message=edited["message"])
            )
            await search_store.index_post(conn, edited)
        assert await _found(db, "pump1") == []
        assert await _found(db, "hamlet") == ["rewritten hamlet"]
        assert len(await _found(db, "village")) == 5
        async with db.read() as conn:
            doc_id = await conn.scalar(
                select(search_posts.c.doc_id).where(search_posts.c.post_id == edited["id"])
            )
        assert doc_id == doc_ids[edited["id"]]
        await db.close()

    asyncio.run(scenario())


def test_a_purged_posts_index_row_goes_with_it(database_url: str) -> None:
    async def scenario() -> None:
        db = Database(_async_url(database_url))
        await db.migrate()
        async with db.write() as conn:

            def write(sync: Connection) -> list[str]:
                channel_id = _channel(sync)
                rows = [_post(f"purge candidate {n}", channel_id) for n in range(3)]
                sync.execute(insert(posts), rows)
                search_store.reindex_batch(sync, (-1, ""))
                return [row["id"] for row in rows]

            ids = await conn.run_sync(write)
        async with db.write() as conn:
            await conn.execute(delete(posts).where(posts.c.id.in_(ids[:2])))
        async with db.read() as conn:
            left = list((await conn.execute(select(search_posts.c.post_id))).scalars())
        assert left == [ids[2]]
        assert await _found(db, "candidate") == ["purge candidate 2"]
        await db.close()

    asyncio.run(scenario())


def test_a_deleted_files_index_row_goes_with_it_and_older_files_are_indexed_by_name(
    database_url: str,
) -> None:
    """Migration 0034 indexes the names of files uploaded before it; deleting a file's row (a
    retention purge, a user's data removed) takes its index row along, on both databases."""

    def file_row(name: str) -> dict[str, Any]:
        return {
            "id": new_id(),
            "creator_id": "u" * 26,
            "channel_id": "c" * 26,
            "create_at": 1_700_000_000_000,
            "update_at": 1_700_000_000_000,
            "delete_at": 0,
            "path": f"data/{name}",
            "name": name,
            "size": 1,
        }

    def index_rows(conn: Connection) -> dict[str, str]:
        found = conn.execute(select(search_files.c.file_id, cast(search_files.c.terms, Text)))
        return {file_id: terms for file_id, terms in found}

    older = [file_row("Quarterly_Report.pdf"), file_row("minutes.txt")]
    newer = file_row("agenda.md")

    def write_older(conn: Connection) -> None:
        _upgrade(conn, "0033")
        conn.execute(insert(file_infos), older)

    def write_newer(conn: Connection) -> None:
        conn.execute(insert(file_infos), [newer])
        search_store.index_files_sync(conn, [newer], ["the agenda of the village pump"])

    async def scenario() -> None:
        db = Database(_async_url(database_url))
        async with db.write() as conn:
            await conn.run_sync(write_older)
        await db.migrate()
        async with db.write() as conn:
            rows = await conn.run_sync(index_rows)
            assert set(rows) == {row["id"] for row in older}
            assert "quarterly" in rows[older[0]["id"]] and "report" in rows[older[0]["id"]]
            await conn.run_sync(write_newer)
            assert "pump" in (await conn.run_sync(index_rows))[newer["id"]]
        async with db.write() as conn:
            await conn.execute(delete(file_infos).where(file_infos.c.id.in_([older[0]["id"], newer["id"]])))
        async with db.read() as conn:
            assert set(await conn.run_sync(index_rows)) == {older[1]["id"]}
        await db.close()

    asyncio.run(scenario())


def test_a_phrases_pages_are_the_same_whether_the_newest_rows_hold_them_or_not(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a phrase of CJK characters is looked for among the newest index rows in
    scope first, then in the whole index: either way the same posts, newest first, page by
    page, and only from the searcher's channels."""

    async def scenario() -> None:
        db = Database(_async_url(database_url))
        await db.migrate()
        async with db.write() as conn:

            def write(sync: Connection) -> None:
                mine = _channel(sync)
                elsewhere = _channel(sync, "elsewhere", member=False)
                rows = []
                for n in range(40):
                    message = f"北京大学 {n}" if n % 3 == 0 else f"大学 京 北 {n}"
                    channel_id = elsewhere if n % 5 == 0 else mine
                    rows.append(_post(message, channel_id, create_at=1_700_000_000_000 + n // 2))
                sync.execute(insert(posts), rows)
                search_store.reindex_batch(sync, (-1, ""), limit=1000)

            await conn.run_sync(write)
        # Newest first, ties broken by id: as the search orders them.
        async with db.read() as conn:
            expected = [
                row.message
                for row in await conn.execute(
                    select(posts.c.message)
                    .where(
                        posts.c.message.like("北京大学%"),
                        posts.c.channel_id
                        != select(channels.c.id).where(channels.c.name == "elsewhere").scalar_subquery(),
                    )
                    .order_by(posts.c.create_at.desc(), posts.c.id.desc())
                )
            ]
        assert len(expected) == 11
        for newest_rows in (1, 4, 9, 10_000):
            monkeypatch.setattr(engines, "NEWEST_FIRST_ROWS", newest_rows)
            for offset, limit in ((0, 3), (3, 3), (9, 3), (0, 50)):
                assert await _page(db, '"北京"', offset, limit) == expected[offset : offset + limit]
        await db.close()

    asyncio.run(scenario())


def test_a_narrow_filters_pages_are_the_same_whichever_way_the_search_walks(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With from: or in:, SQLite walks the word's newest matches first, then the author's or
    channel's posts: the same posts, newest first, page by page, on both databases, within the
    dates asked for and only from the searcher's channels."""

    async def scenario() -> None:
        db = Database(_async_url(database_url))
        await db.migrate()
        async with db.write() as conn:

            def write(sync: Connection) -> None:
                mine = _channel(sync)
                other = _channel(sync, "other", member=False)
                _searcher_and_author(sync)
                rows = []
                for n in range(60):
                    author = "a" * 26 if n % 4 == 0 else "u" * 26
                    channel_id = other if n % 5 == 0 else mine
                    words = "needle hay" if n % 3 else "hay only"
                    # Two posts a day, so a date filter cuts the list.
                    at = 1_700_000_000_000 + (n // 2) * 86_400_000 + n
                    rows.append(_post(f"{words} {n}", channel_id, user_id=author, create_at=at))
                sync.execute(insert(posts), rows)
                search_store.reindex_batch(sync, (-1, ""), limit=1000)

            await conn.run_sync(write)
        async with db.read() as conn:
            everything = [
                row
                for row in await conn.execute(
                    select(posts.c.message, posts.c.user_id, posts.c.create_at).order_by(
                        posts.c.create_at.desc()
                    )
                )
            ]
            other_id = await conn.scalar(select(channels.c.id).where(channels.c.name == "other"))
            in_mine = {
                row.message
                for row in await conn.execute(select(posts.c.message).where(posts.c.channel_id != other_id))
            }
        # after:2023-11-24 starts at midnight UTC on the 25th (the posts run from the 14th).
        since = int(datetime.datetime(2023, 11, 25, tzinfo=datetime.UTC).timestamp() * 1000)
        cases = {
            "from:author needle": lambda r: r.user_id == "a" * 26 and "needle" in r.message,
            "in:square needle": lambda r: "needle" in r.message,
            "in:square hay -needle": lambda r: "needle" not in r.message,
            "from:author hay after:2023-11-24": lambda r: r.user_id == "a" * 26 and r.create_at >= since,
            "hay before:2023-11-30 after:2023-11-24": lambda r: since <= r.create_at < since + 5 * 86_400_000,
        }
        # With 20 first matches, "needle" has more matches than that and the author fewer posts
        # (15): SQLite walks the author's posts at once.
        walked_at_once = _spy(monkeypatch, search_store, "_filter_holds_at_most")
        for terms, wanted in cases.items():
            expected = [r.message for r in everything if r.message in in_mine and wanted(r)]
            assert expected, terms
            for first_matches in (1, 5, 20, 10_000):
                monkeypatch.setattr(search_store, "NARROW_FIRST_MATCHES", first_matches)
                for offset, limit in ((0, 2), (2, 2), (0, 50)):
                    got = await _page(db, terms, offset, limit)
                    assert got == expected[offset : offset + limit], (terms, first_matches, offset)
        if database_url.startswith("sqlite"):
            assert True in walked_at_once.results and False in walked_at_once.results
        await db.close()

    asyncio.run(scenario())


@dataclass
class _Calls:
    results: list[Any] = field(default_factory=list)


def _spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> _Calls:
    """Records what each call of an async function of `module` returned."""
    calls = _Calls()
    original = getattr(module, name)

    async def recording(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        calls.results.append(result)
        return result

    monkeypatch.setattr(module, name, recording)
    return calls


def test_a_rare_querys_pages_are_the_same_whether_its_matches_are_read_first_or_not(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a query that the lexeme statistics call rare reads its matches through the
    GIN index first, then tests the searcher's channels, the filters and the dates and sorts
    them: the same posts, newest first, page by page, as the planner's own plan gives, and only
    from the searcher's channels. A query in more rows than RARE_MATCHES, or in more than a
    tenth (INDEX_ROWS_PER_MATCH) of the searcher's channels' rows, is left to the planner."""

    async def page(terms: str, offset: int, limit: int, any_of: bool) -> list[str]:
        async with db.read() as conn:
            rows = await search_store.search_posts_page(
                conn,
                parse(terms),
                search_store.Scope("u" * 26),
                any_of=any_of,
                time_zone_offset=0,
                offset=offset,
                limit=limit,
            )
        return [row["message"] for row in rows]

    db = Database(_async_url(database_url))

    async def scenario() -> None:
        await db.migrate()
        async with db.write() as conn:

            def write(sync: Connection) -> None:
                mine = _channel(sync)
                other = _channel(sync, "other", member=False)
                _searcher_and_author(sync)
                rows = []
                for n in range(60):
                    words = "needle thread hay" if n % 3 else "hay straw"
                    rows.append(
                        _post(
                            f"{words} {'rare' if n % 7 == 0 else 'common'} {n}",
                            other if n % 5 == 0 else mine,
                            user_id="a" * 26 if n % 4 == 0 else "u" * 26,
                            create_at=1_700_000_000_000 + (n // 2) * 86_400_000 + n,
                        )
                    )
                sync.execute(insert(posts), rows)
                search_store.reindex_batch(sync, (-1, ""), limit=1000)
                if sync.dialect.name == "postgresql":
                    sync.exec_driver_sql("ANALYZE search_posts")

            await conn.run_sync(write)
            everything = list(
                await conn.execute(
                    select(posts.c.message, posts.c.user_id, posts.c.create_at, channels.c.name)
                    .join(channels, channels.c.id == posts.c.channel_id)
                    .order_by(posts.c.create_at.desc())
                )
            )
        since = int(datetime.datetime(2023, 11, 25, tzinfo=datetime.UTC).timestamp() * 1000)
        cases = {
            ("needle", False): lambda r: "needle" in r.message,
            ('"needle thread"', False): lambda r: "needle" in r.message,
            ("rare -needle", False): lambda r: "rare" in r.message and "needle" not in r.message,
            ("from:author hay", False): lambda r: r.user_id == "a" * 26,
            ("needle after:2023-11-24", False): lambda r: "needle" in r.message and r.create_at >= since,
            ("rare straw", True): lambda r: "rare" in r.message or "straw" in r.message,
        }
        read_first = _spy(monkeypatch, search_store, "_matches_are_few")
        monkeypatch.setattr(search_store, "INDEX_ROWS_PER_MATCH", 0)
        for (terms, any_of), wanted in cases.items():
            expected = [r.message for r in everything if r.name != "other" and wanted(r)]
            assert expected, terms
            for rare_matches in (-1, 1_000_000):
                monkeypatch.setattr(search_store, "RARE_MATCHES", rare_matches)
                # The statistics are read once in a while; the test's database has them now.
                monkeypatch.setattr(search_store, "_lexeme_statistics", {})
                for offset, limit in ((0, 2), (2, 3), (0, 50)):
                    got = await page(terms, offset, limit, any_of)
                    assert got == expected[offset : offset + limit], (terms, rare_matches, offset)
        if database_url.startswith("postgresql"):
            assert True in read_first.results and False in read_first.results
            # "hay" is in all 60 rows: more than 30, so the planner's plan.
            monkeypatch.setattr(search_store, "RARE_MATCHES", 30)
            read_first.results.clear()
            await page("hay", 0, 5, False)
            await page("rare", 0, 5, False)
            assert read_first.results == [False, True]
            # "rare" is in 9 rows; the searcher's one channel of two holds 30, under 9 × 10.
            monkeypatch.setattr(search_store, "INDEX_ROWS_PER_MATCH", 10)
            await page("rare", 0, 5, False)
            assert read_first.results == [False, True, False]
        else:
            assert read_first.results == []
        await db.close()

    asyncio.run(scenario())


def _without_pairs(document: str) -> str:
    """A PostgreSQL document as the code before migration 0032 wrote it: no pair lexemes (the
    only lexemes without positions)."""
    return " ".join(part for part in document.split(" ") if ":" in part)


# Pair lexemes are PostgreSQL's (SQLite's FTS5 answers phrases exactly on its own).
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_phrases_are_found_while_and_after_the_pair_lexemes_are_indexed(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL index too large to rewrite in migration 0032 is marked; phrases are found
    without the pairs until `reindex` has written them, and with them afterwards. A small index
    is rewritten by the migration itself."""

    async def terms_of(db: Database, message: str) -> str:
        async with db.read() as conn:
            query = (
                select(cast(search_posts.c.terms, Text))
                .join(posts, posts.c.id == search_posts.c.post_id)
                .where(posts.c.message == message)
            )
            return str(await conn.scalar(query))

    async def pending(db: Database) -> bool:
        async with db.read() as conn:
            return (
                await conn.scalar(select(systems.c.name).where(systems.c.name == PAIRS_PENDING)) is not None
            )

    async def phrases_found(db: Database) -> None:
        assert await _found(db, '"meeting release"') == ["meeting release notes"]
        assert await _found(db, "release") == ["meeting release notes", "release the meeting"]
        assert await _found(db, 'release -"meeting release"') == ["release the meeting"]
        assert await _found(db, "北京") == ["北京大学"]
        assert await _found(db, "京大") == ["北京大学"]

    def write_old_rows(sync: Connection) -> None:
        """Every index row as the code before 0032 wrote it."""
        for post_id, terms in list(
            sync.execute(select(search_posts.c.post_id, cast(search_posts.c.terms, Text)))
        ):
            sync.execute(
                update(search_posts)
                .where(search_posts.c.post_id == post_id)
                .values(terms=cast(_without_pairs(terms), TSVECTOR))
            )

    async def scenario() -> None:
        db = Database(_async_url(database_url))
        async with db.write() as conn:
            await conn.run_sync(_upgrade, "0031")

            def write(sync: Connection) -> None:
                channel_id = _channel(sync)
                rows = [
                    _post(m, channel_id) for m in ("meeting release notes", "release the meeting", "北京大学")
                ]
                sync.execute(insert(posts), rows)
                search_store.reindex_batch(sync, (-1, ""))
                write_old_rows(sync)

            await conn.run_sync(write)
        assert "'meeting release'" not in await terms_of(db, "meeting release notes")
        monkeypatch.setattr(search_store, "REWRITE_IN_MIGRATION", 2)
        await db.migrate()
        assert await pending(db)
        assert "'meeting release'" not in await terms_of(db, "meeting release notes")
        await phrases_found(db)
        await reindex(db)
        assert not await pending(db)
        assert "'meeting release'" in await terms_of(db, "meeting release notes")
        assert "'北 京'" in await terms_of(db, "北京大学")
        await phrases_found(db)
        # Back before 0032 and up again with a small index: the migration rewrites the rows.
        async with db.write() as conn:
            await conn.run_sync(lambda sync: command.downgrade(_config(sync), "0031"))
            await conn.run_sync(write_old_rows)
        monkeypatch.setattr(search_store, "REWRITE_IN_MIGRATION", 50_000)
        await db.migrate()
        assert not await pending(db)
        assert "'meeting release'" in await terms_of(db, "meeting release notes")
        await phrases_found(db)
        await db.close()

    asyncio.run(scenario())
