"""The search index (table search_posts) and the queries that read it.

The index is written in the transaction that writes the post (actions/posts.py): a post is
findable when it commits, an edit replaces its tokens, a delete takes it (and its replies) out,
and a purged post's row goes with it (a trigger on posts, search/engines.py). Which channels a search may look in
is decided here in SQL from the searcher's memberships, never from what the client sends.
"""

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, Text, and_, bindparam, delete, func, literal, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.util import ClauseAdapter, find_tables

from villagepump.search.engines import (
    PAIRS_PENDING,
    SearchEngine,
    Walk,
    doc_base,
    engine_for,
    pair_tokens,
    whole_lexemes,
)
from villagepump.search.query import SearchQuery, day_bounds
from villagepump.search.text import document_tokens, word_tokens
from villagepump.store import Row
from villagepump.store import posts as post_store
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

SYSTEM_TYPE_PATTERN = "system\\_%"
REINDEX_BATCH = 1000
# A migration that changes what index rows hold writes them again itself up to this many rows
# (a minute or so); a larger index is left to `villagepump search reindex` (decision 0044).
REWRITE_IN_MIGRATION = 50_000


def is_searchable(post: Mapping[Any, Any]) -> bool:
    """Live posts that people wrote; Mattermost's search leaves system messages out too."""
    return not post["delete_at"] and not str(post["type"]).startswith("system_")


def _searchable() -> ColumnElement[bool]:
    return and_(posts.c.delete_at == 0, posts.c.type.not_like(SYSTEM_TYPE_PATTERN, escape="\\"))


@cache
def _upsert(dialect: str) -> Any:
    """The statement that writes index rows, built once per dialect: building it per post cost
    more than running it (py-spy on bench/fanout.py: 80 % of the index's time per post went to
    SQLAlchemy constructing the statement, `excluded` and the doc_id subquery above all)."""
    engine = engine_for(dialect)
    module: Any = postgresql if dialect == "postgresql" else sqlite
    values: dict[str, Any] = {
        "post_id": bindparam("post_id"),
        "terms": engine.terms_value(bindparam("terms", type_=Text)),
        "channel_id": bindparam("channel_id"),
        "create_at": bindparam("create_at"),
    }
    doc_id = engine.doc_id_value()
    if doc_id is not None:
        values["doc_id"] = doc_id
    statement = module.insert(search_posts).values(**values)
    # An edit keeps the row's doc_id: only its tokens change. Unchanged tokens are not written
    # at all (no FTS5 trigger, no new PostgreSQL row version and GIN entries): a reindex of an
    # index that agrees with the posts only reads.
    return statement.on_conflict_do_update(
        index_elements=[search_posts.c.post_id],
        set_={"terms": statement.excluded.terms},
        where=search_posts.c.terms != statement.excluded.terms,
    )


def _documents(engine: SearchEngine, rows: Iterable[Mapping[Any, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "post_id": row["id"],
            "terms": engine.document(document_tokens(row["message"], row["hashtags"])),
            "channel_id": row["channel_id"],
            "create_at": row["create_at"],
            "doc_base": doc_base(row["create_at"]),
        }
        for row in rows
    ]


async def index_post(conn: AsyncConnection, post: Mapping[Any, Any]) -> None:
    """Writes (or rewrites, after an edit) the post's tokens, if it is searchable at all."""
    if not is_searchable(post):
        return
    dialect = conn.dialect.name
    await conn.execute(_upsert(dialect), _documents(engine_for(dialect), [post]))


async def insert_indexed_post(conn: AsyncConnection, post: dict[str, Any]) -> None:
    """Inserts a new post and, if it is searchable, its index row. On PostgreSQL the two go as
    one statement: the index's own round trip cost a post 15 % of its speed there, against the
    issue's budget of 10 % (bench/README.md, "Posting cost of the index")."""
    dialect = conn.dialect.name
    if dialect != "postgresql" or not is_searchable(post):
        await post_store.insert_post(conn, post)
        await index_post(conn, post)
        return
    terms = engine_for(dialect).document(document_tokens(post["message"], post["hashtags"]))
    await conn.execute(_post_with_index_row(tuple(post)), {**post, "terms": terms})


@cache
def _post_with_index_row(columns: tuple[str, ...]) -> Any:
    """`WITH posted AS (INSERT INTO posts ...) INSERT INTO search_posts ...`: PostgreSQL runs a
    data-modifying WITH once, to completion, whether or not the statement reads it. Built once
    per set of post columns (every caller passes new_post_values' keys)."""
    row = {name: bindparam(name, type_=posts.c[name].type) for name in columns}
    posted = postgresql.insert(posts).values(**row).cte("posted")
    index_row = postgresql.insert(search_posts).values(
        post_id=row["id"],
        terms=engine_for("postgresql").terms_value(bindparam("terms", type_=Text)),
        channel_id=row["channel_id"],
        create_at=row["create_at"],
    )
    return index_row.add_cte(posted)


async def remove_post_and_replies(conn: AsyncConnection, post_id: str) -> None:
    thread = select(posts.c.id).where(or_(posts.c.id == post_id, posts.c.root_id == post_id))
    await conn.execute(delete(search_posts).where(search_posts.c.post_id.in_(thread)))


# Reindexing runs on a synchronous connection: migration 0016 backfills with it, and the
# `villagepump search reindex` command calls it batch by batch through run_sync.


def count_searchable(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(posts).where(_searchable())) or 0)


def reindex_batch(
    conn: Connection, after: tuple[int, str], limit: int = REINDEX_BATCH, *, missing_only: bool = False
) -> tuple[int, str] | None:
    """Indexes the next `limit` searchable posts after (create_at, id), oldest first (only those
    without an index row, with `missing_only`); returns where the batch ended, or None when no
    post was left."""
    query = (
        select(posts.c.id, posts.c.channel_id, posts.c.create_at, posts.c.message, posts.c.hashtags)
        .where(
            _searchable(),
            # The bare lower bound is what an index on create_at can start from; without it
            # PostgreSQL read the index from its first row at every batch (a million posts
            # took quadratic time).
            posts.c.create_at >= after[0],
            or_(posts.c.create_at > after[0], and_(posts.c.create_at == after[0], posts.c.id > after[1])),
        )
        .order_by(posts.c.create_at, posts.c.id)
        .limit(limit)
    )
    if missing_only:
        query = query.where(
            ~select(search_posts.c.post_id).where(search_posts.c.post_id == posts.c.id).exists()
        )
    rows = list(conn.execute(query).mappings())
    if not rows:
        return None
    index_posts(conn, rows)
    return rows[-1]["create_at"], rows[-1]["id"]


def index_posts(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> None:
    """Writes (or rewrites) the index rows of a batch of searchable posts at once: the bulk
    writers' path (reindex, import)."""
    dialect = conn.dialect.name
    documents = _documents(engine_for(dialect), rows)
    if dialect == "sqlite":
        _write_sqlite_rows(conn, documents)
    else:
        conn.execute(_upsert(dialect), documents)


# One statement for a whole batch. Each statement that writes to an FTS5 table makes FTS5 write
# out what it holds in memory as a segment of its own, so a row per statement (executemany)
# wrote a segment per post, and merging them cost ~1 ms per post and growing at 100,000 posts
# (bench/README.md); one INSERT ... SELECT, its triggers included, writes one segment.
_SQLITE_BATCH_UPSERT = text(
    "INSERT INTO search_posts (doc_id, post_id, terms, channel_id, create_at)"
    " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),"
    " json_extract(value, '$[3]'), json_extract(value, '$[4]') FROM json_each(:rows) WHERE true"
    " ON CONFLICT (post_id) DO UPDATE SET terms = excluded.terms WHERE search_posts.terms != excluded.terms"
)
# The highest doc_id in use within each given millisecond (doc_base), if any.
_SQLITE_USED_DOC_IDS = text(
    "SELECT value, (SELECT max(doc_id) FROM search_posts WHERE doc_id BETWEEN value AND value + :span)"
    " FROM json_each(:bases)"
)


def _write_sqlite_rows(conn: Connection, documents: Sequence[Mapping[str, Any]]) -> None:
    """Writes the index rows of a batch in one statement (SQLite), each new one numbered as
    `SqliteEngine.doc_id_value` numbers it: the next free number in its post's millisecond.
    A post that has its row already conflicts on post_id and keeps its doc_id; the number
    drawn for it stays unused."""
    bases = sorted({document["doc_base"] for document in documents})
    used = conn.execute(
        _SQLITE_USED_DOC_IDS, {"bases": orjson.dumps(bases).decode(), "span": doc_base(1) - 1}
    )
    next_free = {base: base if highest is None else highest + 1 for base, highest in used}
    values = []
    for document in documents:
        doc_id = next_free[document["doc_base"]]
        next_free[document["doc_base"]] = doc_id + 1
        values.append(
            [doc_id, document["post_id"], document["terms"], document["channel_id"], document["create_at"]]
        )
    conn.execute(_SQLITE_BATCH_UPSERT, {"rows": orjson.dumps(values).decode()})


def drop_unsearchable(conn: Connection) -> int:
    """Removes index rows of posts deleted (or never searchable) behind the index's back."""
    # NOT EXISTS, an anti-join: PostgreSQL runs NOT IN (subquery) as a scan of the subquery per
    # row once the ids outgrow work_mem (16 minutes and counting at 300,000 posts).
    live = select(posts.c.id).where(posts.c.id == search_posts.c.post_id, _searchable())
    result = conn.execute(delete(search_posts).where(~live.exists()))
    return int(result.rowcount or 0)


def start_reindex(conn: Connection) -> None:
    engine_for(conn.dialect.name).before_reindex(conn)


def finish_reindex(conn: Connection) -> None:
    engine_for(conn.dialect.name).after_reindex(conn)


def index_missing(conn: Connection) -> None:
    """Indexes the searchable posts that have no index row, in this one transaction (migration
    0016's backfill: every post, on a database that comes from before the index)."""
    position: tuple[int, str] | None = (-1, "")
    while position is not None:
        position = reindex_batch(conn, position, missing_only=True)


@dataclass(frozen=True)
class Scope:
    """Where a search looks: the searcher's channels now, in one team (and their direct and
    group messages) or in all teams, archived ones only when asked."""

    user_id: str
    team_id: str = ""
    include_archived: bool = False


def _channels_in_scope(scope: Scope) -> Any:
    query = (
        select(channels.c.id)
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .where(channel_members.c.user_id == scope.user_id)
    )
    if scope.team_id:
        query = query.where(channels.c.team_id.in_((scope.team_id, "")))
    if not scope.include_archived:
        query = query.where(channels.c.delete_at == 0)
    return query


async def _channel_ids_named(conn: AsyncConnection, scope: Scope, names: Sequence[str]) -> list[str]:
    """The searcher's channels in scope called one of `names`; "@user" names a direct message.
    A channel's id names it too, as in Mattermost, whose web app lists a channel's files by
    searching for "channel:<channel id>"."""
    plain = [name for name in names if not name.startswith("@")]
    usernames = [name[1:] for name in names if name.startswith("@")]
    conditions: list[ColumnElement[bool]] = (
        [channels.c.name.in_(plain), channels.c.id.in_(plain)] if plain else []
    )
    if usernames:
        others = select(users.c.id).where(users.c.username.in_(usernames))
        dm_names = [
            "__".join(sorted((scope.user_id, other))) for other in (await conn.execute(others)).scalars()
        ]
        conditions.append(and_(channels.c.type == "D", channels.c.name.in_(dm_names)))
    if not conditions:
        return []
    query = select(channels.c.id).where(channels.c.id.in_(_channels_in_scope(scope)), or_(*conditions))
    return list((await conn.execute(query)).scalars())


async def _user_ids_named(conn: AsyncConnection, usernames: Sequence[str]) -> list[str]:
    return list((await conn.execute(select(users.c.id).where(users.c.username.in_(usernames)))).scalars())


async def _filters(
    conn: AsyncConnection,
    query: SearchQuery,
    scope: Scope,
    time_zone_offset: int,
    columns: tuple[Any, Any, Any],
) -> list[ColumnElement[bool]] | None:
    """Conditions for from:, in:, and the dates on (channel, author, creation time) columns;
    None when a filter names nobody or nowhere the searcher may look."""
    conditions: list[ColumnElement[bool]] = []
    table_channel, table_user, created = columns
    if query.in_channels:
        named = await _channel_ids_named(conn, scope, query.in_channels)
        if not named:
            return None
        conditions.append(table_channel.in_(named))
    if query.excluded_channels:
        conditions.append(
            table_channel.not_in(await _channel_ids_named(conn, scope, query.excluded_channels))
        )
    if query.from_users:
        authors = await _user_ids_named(conn, query.from_users)
        if not authors:
            return None
        conditions.append(table_user.in_(authors))
    if query.excluded_users:
        conditions.append(table_user.not_in(await _user_ids_named(conn, query.excluded_users)))
    first, last = _date_range(query, time_zone_offset)
    if first is not None:
        conditions.append(created >= first)
    if last is not None:
        conditions.append(created <= last)
    return conditions


def _date_range(query: SearchQuery, time_zone_offset: int) -> tuple[int | None, int | None]:
    """The first and last millisecond that on:, after: and before: allow (None: no bound)."""
    firsts: list[int] = []
    lasts: list[int] = []
    if query.on:
        start, end = day_bounds(query.on, time_zone_offset)
        firsts.append(start)
        lasts.append(end)
    if query.after:
        firsts.append(day_bounds(query.after, time_zone_offset)[1] + 1)
    if query.before:
        lasts.append(day_bounds(query.before, time_zone_offset)[0] - 1)
    return max(firsts, default=None), min(lasts, default=None)


async def search_posts_page(
    conn: AsyncConnection,
    query: SearchQuery,
    scope: Scope,
    *,
    any_of: bool,
    time_zone_offset: int,
    offset: int,
    limit: int,
) -> list[Row]:
    """Up to `limit` matching posts after the first `offset`, newest first."""
    if query.is_empty:
        return []
    if not query.terms:
        return await _filtered_posts_page(conn, query, scope, time_zone_offset, offset, limit)
    engine = engine_for(conn.dialect.name)
    pairs = await _pairs_indexed(conn, engine, query)
    walk = engine.newest_matching(query.terms, any_of, pairs=pairs)
    conditions = await _filters(
        conn, query, scope, time_zone_offset, (walk.channel, posts.c.user_id, walk.created)
    )
    if conditions is None:
        return []
    scope_channels = 0
    if not query.in_channels:
        # in: names only channels in scope (_channel_ids_named), so its list alone is the scope.
        if walk.literal_channels:
            in_scope = list((await conn.execute(_channels_in_scope(scope))).scalars())
            if not in_scope:
                return []
            scope_channels = len(in_scope)
            conditions.append(
                walk.channel.in_(bindparam("in_scope", in_scope, expanding=True, literal_execute=True))
            )
        else:
            conditions.append(walk.channel.in_(_channels_in_scope(scope)))
    seek: list[ColumnElement[bool]] = []
    if walk.time_key is not None:
        first, last = _date_range(query, time_zone_offset)
        if first is not None:
            seek.append(walk.time_key >= first * walk.time_scale)
        if last is not None:
            seek.append(walk.time_key < (last + 1) * walk.time_scale)
    statement = select(posts).select_from(walk.joined).where(walk.matching, _searchable(), *conditions, *seek)
    if query.excluded:
        statement = statement.where(engine.not_matching(query.excluded, pairs=pairs))
    statement = statement.order_by(*walk.order)
    if walk.matches is not None and (query.in_channels or query.from_users):
        return await _page_through_filter(conn, query, walk, statement, conditions, seek, offset, limit)
    if walk.newest_first:
        page = await _page_among_newest(conn, statement, conditions, walk.newest_first, offset, limit)
        if page is not None:
            return page
    if (
        scope_channels
        and walk.rare_first
        and await _matches_are_few(conn, query, any_of, pairs, scope_channels)
    ):
        row_conditions = [walk.matching]
        if query.excluded:
            row_conditions.append(engine.not_matching(query.excluded, pairs=pairs))
        statement = _matches_first(walk, row_conditions, conditions)
    return list((await conn.execute(statement.offset(offset).limit(limit))).mappings())


# PostgreSQL: a query that the lexeme statistics say is in at most this many index rows reads
# them all through the GIN index first, and only then tests the searcher's channels and sorts
# them (decision 0049).
RARE_MATCHES = 5000
# ... and when that is fewer than the searcher's channels' index rows over this: the bitmap of
# those rows that the planner ANDs in costs about this many of them per match read instead
# (bench/README.md, fifth session: 99,353 rows in 55-72 ms against 2,194 matches in 5-10 ms; for
# a searcher in 2 channels the bitmap took 1-10 ms and w99's matches 5-46).
INDEX_ROWS_PER_MATCH = 10
# The planner's own statistics on search_posts.terms (ANALYZE): the most common lexemes with the
# share of rows that hold each, followed by the least and the greatest of those shares; a lexeme
# not in the list is in fewer rows than the least. `reltuples`: the rows ANALYZE last counted;
# `n_distinct` of channel_id: how many channels they are in (below 0: that share of the rows).
_LEXEME_STATISTICS = text(
    "SELECT c.reltuples, CAST(CAST(s.most_common_elems AS text) AS text[]), s.most_common_elem_freqs,"
    " (SELECT n_distinct FROM pg_stats WHERE schemaname = current_schema()"
    "  AND tablename = 'search_posts' AND attname = 'channel_id')"
    " FROM pg_stats AS s JOIN pg_class AS c ON c.oid = CAST('search_posts' AS regclass)"
    " WHERE s.schemaname = current_schema() AND s.tablename = 'search_posts' AND s.attname = 'terms'"
)
# Read again after this long: they change only when the table is analysed, and reading them
# costs a search 2-3 ms (the pg_stats view).
LEXEME_STATISTICS_SECONDS = 300.0


@dataclass(frozen=True)
class _LexemeStatistics:
    rows: float
    rarest: float
    shares: dict[str, float]
    channels: float


# By database: when they were read, and what (None: the table has none yet).
_lexeme_statistics: dict[str, tuple[float, _LexemeStatistics | None]] = {}


async def _statistics(conn: AsyncConnection) -> _LexemeStatistics | None:
    database = conn.engine.url.render_as_string()
    now = time.monotonic()
    cached = _lexeme_statistics.get(database)
    if cached is not None and now - cached[0] < LEXEME_STATISTICS_SECONDS:
        return cached[1]
    found = (await conn.execute(_LEXEME_STATISTICS)).first()
    statistics = None
    if found is not None and found[0] and found[0] > 0 and found[1] and found[3]:
        rows, lexemes, shares, channels = found
        statistics = _LexemeStatistics(
            rows,
            shares[len(lexemes)],
            dict(zip(lexemes, shares, strict=False)),
            channels if channels > 0 else -channels * rows,
        )
    _lexeme_statistics[database] = (now, statistics)
    return statistics


async def _matches_are_few(
    conn: AsyncConnection, query: SearchQuery, any_of: bool, pairs: bool, scope_channels: int
) -> bool:
    """Whether the statistics put the query's matches at RARE_MATCHES or fewer, and fewer than
    the searcher's channels' rows (the average channel's times `scope_channels`) over
    INDEX_ROWS_PER_MATCH. A term is in no more rows than its rarest whole lexeme, all terms in
    no more than the rarest term, any of them in no more than their sum. Unknown (no statistics
    yet, a term that is a prefix alone) is not few."""
    lexemes_of = [whole_lexemes(term, pairs) for term in query.terms]
    if not all(lexemes_of):
        return False
    statistics = await _statistics(conn)
    if statistics is None:
        return False
    # A lexeme not in the list: half the least share, as the planner guesses it (ts_selfuncs.c).
    unlisted = statistics.rarest / 2
    bounds = [
        min(statistics.shares.get(lexeme, unlisted) for lexeme in lexemes) * statistics.rows
        for lexemes in lexemes_of
    ]
    matches = sum(bounds) if any_of else min(bounds)
    scope_rows = scope_channels * statistics.rows / statistics.channels
    return matches <= RARE_MATCHES and matches * INDEX_ROWS_PER_MATCH <= scope_rows


def _matches_first(
    walk: Walk, row_conditions: Sequence[ColumnElement[bool]], conditions: Sequence[ColumnElement[bool]]
) -> Select[Any]:
    """The search over the query's matches read first (`WITH ... AS MATERIALIZED`, which the
    planner cannot merge into the outer query): the GIN index alone, then the searcher's channels
    and the filters tested on those rows. Offered the channels beside the GIN index, PostgreSQL
    ANDs in a bitmap of every index row in them (100,000 at a million posts for 50 channels of
    500), which costs tens of milliseconds whatever the word; a rare word's matches cost a few."""
    matches = (
        select(search_posts.c.post_id, search_posts.c.channel_id, search_posts.c.create_at)
        .where(*row_conditions)
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    adapter = ClauseAdapter(matches)
    return (
        select(posts)
        .select_from(matches.join(posts, posts.c.id == matches.c.post_id))
        .where(_searchable(), *(adapter.traverse(condition) for condition in conditions))
        .order_by(*(adapter.traverse(key) for key in walk.order))
    )


async def _pairs_indexed(conn: AsyncConnection, engine: SearchEngine, query: SearchQuery) -> bool:
    """Whether a phrase of the query may be looked for by its pair lexemes: the engine has them
    and no index row written before them is left (PAIRS_PENDING, decision 0044)."""
    if not engine.pair_lexemes or not any(pair_tokens(t) for t in [*query.terms, *query.excluded]):
        return False
    return await conn.scalar(select(systems.c.name).where(systems.c.name == PAIRS_PENDING)) is None


async def _page_among_newest(
    conn: AsyncConnection,
    statement: Select[Any],
    conditions: Sequence[ColumnElement[bool]],
    rows: int,
    offset: int,
    limit: int,
) -> list[Row] | None:
    """The page, if the newest `rows` index rows in the searcher's scope hold it (their matches
    come before any older one's, in the same order); None when they hold fewer matches."""
    own = [c for c in conditions if set(find_tables(c, check_columns=True)) == {search_posts}]
    newest = (
        select(search_posts)
        .where(*own)
        .order_by(search_posts.c.create_at.desc(), search_posts.c.post_id.desc())
        .limit(rows)
        .subquery("newest")
    )
    among_newest = ClauseAdapter(newest).traverse(statement).offset(offset).limit(limit)
    page = list((await conn.execute(among_newest)).mappings())
    return page if len(page) == limit else None


# A search with from: or in: on SQLite first walks this many of the word's newest matches.
NARROW_FIRST_MATCHES = 2000


async def _page_through_filter(
    conn: AsyncConnection,
    query: SearchQuery,
    walk: Walk,
    statement: Select[Any],
    conditions: Sequence[ColumnElement[bool]],
    seek: Sequence[ColumnElement[bool]],
    offset: int,
    limit: int,
) -> list[Row]:
    """A page of a search with from: or in: (SQLite). Walking the word's matches newest first
    until a page of the author's or channel's is found reads all of a common word's matches
    for a quiet author; walking the author's or channel's posts reads all of a busy channel's.
    So the newest matches are tried first, and if they hold fewer than a page (and there are
    more), the filter's posts are walked, each looked up among the matches. When the filter
    holds no more posts than that first try would read, they are walked at once."""
    newest = walk.matches.where(*seek).order_by(walk.time_key.desc()).limit(NARROW_FIRST_MATCHES).subquery()
    count, oldest = (await conn.execute(select(func.count(), func.min(newest.c.rowid)))).one()
    if count < NARROW_FIRST_MATCHES:
        # Every match is among those: the walk over them is the whole search.
        return list((await conn.execute(statement.offset(offset).limit(limit))).mappings())
    if not await _filter_holds_at_most(conn, conditions, NARROW_FIRST_MATCHES):
        among_newest = statement.where(walk.time_key >= oldest).offset(offset).limit(limit)
        page = list((await conn.execute(among_newest)).mappings())
        if len(page) == limit:
            return page
    driven = (
        select(posts)
        .select_from(search_posts.join(posts, posts.c.id == search_posts.c.post_id))
        # `+ 0`: not a key to look rows up by, or SQLite reads the matches' rows one by one
        # again (EXPLAIN QUERY PLAN at a million posts: 0.7-0.9 s for from:user7 edit; 9-20 ms
        # walking the author's posts).
        .where((search_posts.c.doc_id + 0).in_(walk.matches.where(*seek)), _searchable(), *conditions)
    )
    if query.excluded:
        driven = driven.where(engine_for(conn.dialect.name).not_matching(query.excluded))
    # doc_id's order (create_at << 20, then a counter): by the post's create_at first, SQLite
    # walks a channel's posts newest first on ix_posts_channel_id_create_at and stops at the page
    # (sorting only posts of the same millisecond), instead of reading all of them and sorting
    # (7 against 13 ms of CPU for in:channel-10 review at a million posts).
    driven = (
        driven.order_by(posts.c.create_at.desc(), search_posts.c.doc_id.desc()).offset(offset).limit(limit)
    )
    return list((await conn.execute(driven)).mappings())


async def _filter_holds_at_most(
    conn: AsyncConnection, conditions: Sequence[ColumnElement[bool]], posts_at_most: int
) -> bool:
    """Whether at most `posts_at_most` posts pass the filters (SQLite, where they are all on
    `posts`): counted on the author's or channel's index, and no further than one past that.
    A filter that narrow costs no more to walk than the first try at the word's newest matches,
    which at a million posts finds less than a page for an author's or a channel's share of
    them (bench/README.md, fifth session: 10 ms of CPU spent before the walk in every case)."""
    # Selecting no column of the post lets SQLite count on the index alone (in:).
    within = select(literal(1)).select_from(posts).where(*conditions).limit(posts_at_most + 1).subquery()
    return int(await conn.scalar(select(func.count()).select_from(within)) or 0) <= posts_at_most


async def _filtered_posts_page(
    conn: AsyncConnection, query: SearchQuery, scope: Scope, time_zone_offset: int, offset: int, limit: int
) -> list[Row]:
    """A search with filters (and perhaps excluded words) but no word to look for."""
    columns = (posts.c.channel_id, posts.c.user_id, posts.c.create_at)
    conditions = await _filters(conn, query, scope, time_zone_offset, columns)
    if conditions is None:
        return []
    in_scope = [] if query.in_channels else [posts.c.channel_id.in_(_channels_in_scope(scope))]
    statement = select(posts).where(_searchable(), *in_scope, *conditions)
    if query.excluded:
        engine = engine_for(conn.dialect.name)
        pairs = await _pairs_indexed(conn, engine, query)
        statement = statement.join(search_posts, search_posts.c.post_id == posts.c.id).where(
            engine.not_matching(query.excluded, pairs=pairs)
        )
    statement = statement.order_by(posts.c.create_at.desc(), posts.c.id.desc()).offset(offset).limit(limit)
    return list((await conn.execute(statement)).mappings())


# Files are found by name: far fewer than posts, they are filtered in SQL by where the
# searcher may look and matched in Python, newest first, with the same tokens as posts.
# The first so many tokens of a file's name and text layer are indexed: a tsvector holds at
# most 16,383 positions and a megabyte.
MAX_FILE_TOKENS = 16_000


def _file_document(engine: SearchEngine, name: str, text: str) -> str:
    return engine.document((word_tokens(name) + word_tokens(text))[:MAX_FILE_TOKENS])


async def index_files(conn: AsyncConnection, rows: Sequence[Mapping[Any, Any]], texts: Sequence[str]) -> None:
    """Writes the index rows of new files: the tokens of each name and text layer."""
    if rows:
        await conn.execute(_file_rows(conn.dialect.name), _file_values(conn.dialect.name, rows, texts))


def index_files_sync(conn: Connection, rows: Sequence[Mapping[Any, Any]], texts: Sequence[str]) -> None:
    """index_files for the bulk writers (import, migration 0034), on a synchronous connection."""
    if rows:
        conn.execute(_file_rows(conn.dialect.name), _file_values(conn.dialect.name, rows, texts))


@cache
def _file_rows(dialect: str) -> Any:
    engine = engine_for(dialect)
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(search_files).values(
        file_id=bindparam("file_id"), terms=engine.terms_value(bindparam("terms", type_=Text))
    )
    return statement.on_conflict_do_nothing(index_elements=[search_files.c.file_id])


def _file_values(
    dialect: str, rows: Sequence[Mapping[str, Any]], texts: Sequence[str]
) -> list[dict[str, Any]]:
    engine = engine_for(dialect)
    return [
        {"file_id": row["id"], "terms": _file_document(engine, row["name"], text)}
        for row, text in zip(rows, texts, strict=True)
    ]


async def search_files_page(
    conn: AsyncConnection,
    query: SearchQuery,
    scope: Scope,
    *,
    any_of: bool,
    time_zone_offset: int,
    offset: int,
    limit: int,
) -> list[Row]:
    """Files attached to live posts in the searcher's channels whose names or text layers
    match, newest first."""
    if query.is_empty and not query.extensions:
        return []
    columns = (file_infos.c.channel_id, file_infos.c.creator_id, file_infos.c.create_at)
    conditions = await _filters(conn, query, scope, time_zone_offset, columns)
    if conditions is None:
        return []
    statement = (
        select(file_infos)
        .join(posts, posts.c.id == file_infos.c.post_id)
        .where(
            file_infos.c.delete_at == 0,
            posts.c.delete_at == 0,
            file_infos.c.channel_id.in_(_channels_in_scope(scope)),
            *conditions,
        )
    )
    if query.terms or query.excluded:
        engine = engine_for(conn.dialect.name)
        statement = statement.join(search_files, search_files.c.file_id == file_infos.c.id)
        if query.terms:
            statement = statement.where(engine.file_matching(query.terms, any_of))
        if query.excluded:
            statement = statement.where(engine.file_not_matching(query.excluded))
    if query.extensions:
        statement = statement.where(func.lower(file_infos.c.extension).in_(query.extensions))
    statement = statement.order_by(file_infos.c.create_at.desc(), file_infos.c.id.desc())
    return list((await conn.execute(statement.offset(offset).limit(limit))).mappings())
