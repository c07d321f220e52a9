"""The two search engines behind one interface: SQLite FTS5 and PostgreSQL full-text search.

Both index the tokens of search/text.py, kept one row per live post in `search_posts`
(store/search.py writes it in the same transaction as the post). Each engine says how a
post's tokens are stored, how a parsed query becomes a condition on that table, and which
structures of its own (FTS5 table and triggers, GIN index) migration 0008 creates. Nothing
a user types reaches FTS5 or tsquery syntax unquoted.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Text,
    bindparam,
    cast,
    column,
    delete,
    func,
    literal,
    not_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.engine import Connection

from villagepump.search.query import Term
from villagepump.search.text import is_unspaced
from villagepump.store.tables import posts, search_files, search_posts, systems

FTS_TABLE = "search_posts_fts"
GIN_INDEX = "ix_search_posts_terms_gin"
# The same for files' names and text layers (table search_files, migration 0034).
FILES_FTS_TABLE = "search_files_fts"
FILES_GIN_INDEX = "ix_search_files_terms_gin"
# PostgreSQL's btree indexes on the copied post columns (migration 0016): newest first overall,
# and newest first within a channel (in:, and ANDed with the GIN index for rarer words).
ORDER_INDEXES = {
    "ix_search_posts_create_at_channel_id": ("create_at", "channel_id"),
    "ix_search_posts_channel_id_create_at": ("channel_id", "create_at"),
}
# Structures an engine owns beside tables.py (which cannot describe a virtual table or an
# index on one database only); the schema check in tests/store/test_migrations.py skips them.
ENGINE_OWNED = frozenset(
    {
        FTS_TABLE,
        *(f"{FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config")),
        GIN_INDEX,
        *ORDER_INDEXES,
        FILES_FTS_TABLE,
        *(f"{FILES_FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config")),
        FILES_GIN_INDEX,
    }
)
# The GIN index's pending list (fastupdate), in kB (migration 0031; PostgreSQL's default is
# 4,096): posts add their entries there, and every search reads all of it until a merge. A
# smaller list costs each search less and the post that fills it a shorter merge (decision 0044).
GIN_PENDING_LIST_KB = 512
# Set (in table systems) while some index rows may lack their pair lexemes: migration 0032 sets it
# on a PostgreSQL database with rows written before them, and a reindex clears it. Searches ask
# for pairs only when it is not set (decision 0044).
PAIRS_PENDING = "search_pairs_pending"
# A phrase of characters of a script written without spaces (a Chinese, Japanese, Thai or
# Korean word) is first looked for among this many of the newest index rows in the searcher's
# scope. PostgreSQL estimates a phrase's matches as if its tokens were independent; the
# characters of a word are not, so it took ภาษาไทย (7 tokens) for a word in 1 post of a
# million when 54,000 held it, fetched and sorted every match through the GIN index (0.3-0.9 s)
# and missed the walk that stops at a full page (1-5 ms; bench/README.md). Phrases of words
# keep the planner's choice: their matches are as rare as it thinks, and walking to them costs
# more than the GIN index.
NEWEST_FIRST_ROWS = 2000
# tsvector positions stop at 16383 and a lexeme keeps at most 256 of them.
_MAX_POSITION = 16383
_MAX_POSITIONS = 255


def _fts_update_trigger(index: str) -> str:
    return f"""CREATE TRIGGER {index}_fts_update AFTER UPDATE OF terms ON {index} BEGIN
        INSERT INTO {index}_fts({index}_fts, rowid, terms) VALUES ('delete', old.doc_id, old.terms);
        INSERT INTO {index}_fts(rowid, terms) VALUES (new.doc_id, new.terms);
    END"""


def _sqlite_structures(index: str, owner: str, key: str) -> list[str]:
    """The FTS5 table over an index table's tokens (`<index>_fts`), the triggers that keep it in
    step, and the one that drops an index row when its owner's row is deleted."""
    return [
        # External content: the tokens live once, in <index>.terms; the ascii tokenizer splits
        # them on the spaces search/text.py put there (every non-ASCII character is part of a token).
        f"""CREATE VIRTUAL TABLE {index}_fts USING fts5(
        terms, content='{index}', content_rowid='doc_id',
        tokenize="ascii tokenchars '@#.-_'")""",
        f"""CREATE TRIGGER {index}_fts_insert AFTER INSERT ON {index} BEGIN
        INSERT INTO {index}_fts(rowid, terms) VALUES (new.doc_id, new.terms);
    END""",
        f"""CREATE TRIGGER {index}_fts_delete AFTER DELETE ON {index} BEGIN
        INSERT INTO {index}_fts({index}_fts, rowid, terms) VALUES ('delete', old.doc_id, old.terms);
    END""",
        _fts_update_trigger(index),
        # An owner's row deleted (a retention purge) takes its index row along. A trigger, not
        # a foreign key: SQLite's DROP TABLE, which batch migrations use to rebuild a table,
        # would run a cascade and empty the index, while it fires no trigger.
        f"""CREATE TRIGGER {owner}_search_forget AFTER DELETE ON {owner} BEGIN
        DELETE FROM {index} WHERE {key} = old.id;
    END""",
    ]


def _sqlite_drop(index: str, owner: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {owner}_search_forget",
        *(f"DROP TRIGGER IF EXISTS {index}_fts_{event}" for event in ("update", "delete", "insert")),
        f"DROP TABLE IF EXISTS {index}_fts",
    ]


def _postgres_structures(index: str, owner: str, key: str) -> list[str]:
    return [
        f"CREATE INDEX ix_{index}_terms_gin ON {index} USING gin (terms)",
        # Once per statement, so a purge of a million rows is one join, not a million deletes.
        f"""CREATE FUNCTION {index}_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {index} WHERE {key} IN (SELECT id FROM gone);
        RETURN NULL;
    END $$""",
        f"""CREATE TRIGGER {owner}_search_forget AFTER DELETE ON {owner}
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION {index}_forget()""",
    ]


def _postgres_drop(index: str, owner: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {owner}_search_forget ON {owner}",
        f"DROP FUNCTION IF EXISTS {index}_forget()",
        f"DROP INDEX IF EXISTS ix_{index}_terms_gin",
    ]


# Only a change of the tokens touches FTS5 (migration 0016 filled in channel_id and create_at
# on every row without rewriting the FTS index).
FTS_UPDATE_TRIGGER = _fts_update_trigger("search_posts")
_SQLITE_STRUCTURES = _sqlite_structures("search_posts", "posts", "post_id")
_SQLITE_DROP = _sqlite_drop("search_posts", "posts")
_SQLITE_FILE_STRUCTURES = _sqlite_structures("search_files", "file_infos", "file_id")
_SQLITE_FILE_DROP = _sqlite_drop("search_files", "file_infos")
_POSTGRES_STRUCTURES = _postgres_structures("search_posts", "posts", "post_id")
_POSTGRES_DROP = _postgres_drop("search_posts", "posts")
_POSTGRES_FILE_STRUCTURES = _postgres_structures("search_files", "file_infos", "file_id")
_POSTGRES_FILE_DROP = _postgres_drop("search_files", "file_infos")


@dataclass(frozen=True)
class Walk:
    """Posts joined to their index rows (`joined`), the condition that the terms are in the
    post (`matching`), the order that lists the newest first, and the columns the searcher's
    channels and the dates are tested on: the ones that let the engine stop at a full page."""

    joined: FromClause
    matching: ColumnElement[bool]
    order: list[Any]
    channel: Any
    created: Any
    # The channel ids are written into the statement, so the planner can weigh them.
    literal_channels: bool
    # How many of the newest index rows in the searcher's scope to search alone first, whatever
    # the planner expects (0: none); a page found there is the page the whole index gives.
    newest_first: int = 0
    # A column in the order of `created` that the engine can seek on, `created * time_scale`
    # at the start of each millisecond (SQLite's FTS5 rowid): dates bound it too, so the walk
    # starts at the last day asked for instead of reading every newer match first.
    time_key: Any = None
    time_scale: int = 1
    # The doc_ids of the matching posts as a select (SQLite), for a search that a narrow filter
    # (from:, in:) drives through the posts' own indexes instead of the word's matches.
    matches: Any = None
    # Whether a query whose lexemes are rare may read its matches first and only then test
    # them for the searcher's channels (PostgreSQL; decision 0049).
    rare_first: bool = False


class SearchEngine(Protocol):
    name: str

    def document(self, tokens: Sequence[str]) -> str:
        """A post's tokens as search_posts.terms stores them (bound through `terms_value`)."""

    def terms_value(self, value: Any) -> Any:
        """The SQL expression that stores a `document` string."""

    # Whether the engine can store a lexeme per pair of adjacent tokens, which makes a phrase's
    # index lookup nearly exact (PostgreSQL; decision 0044).
    pair_lexemes: bool

    def matching(self, terms: Sequence[Term], any_of: bool, *, pairs: bool = False) -> ColumnElement[bool]:
        """A condition on search_posts: all terms (or any, with `any_of`) are in the post;
        `pairs` when every row holds its pair lexemes (PAIRS_PENDING is not set)."""

    def doc_id_value(self) -> Any:
        """The SQL expression for a new row's doc_id (bound `doc_base`: the post's create_at
        shifted left by 20 bits), or None to let the database number it."""

    def newest_matching(self, terms: Sequence[Term], any_of: bool, *, pairs: bool = False) -> "Walk":
        """How to read the posts that hold all terms (or any, with `any_of`), newest first."""

    def not_matching(self, terms: Sequence[Term], *, pairs: bool = False) -> ColumnElement[bool]:
        """A condition on search_posts: none of the terms is in the post."""

    def file_matching(self, terms: Sequence[Term], any_of: bool) -> ColumnElement[bool]:
        """A condition on search_files: all terms (or any) are in the file's name or text."""

    def file_not_matching(self, terms: Sequence[Term]) -> ColumnElement[bool]:
        """A condition on search_files: none of the terms is in the file's name or text."""

    def create_structures(self, conn: Connection) -> None: ...

    def drop_structures(self, conn: Connection) -> None: ...

    def create_file_structures(self, conn: Connection) -> None: ...

    def drop_file_structures(self, conn: Connection) -> None: ...

    def before_reindex(self, conn: Connection) -> None:
        """Makes the engine's own structures agree with search_posts before a reindex writes it."""

    def after_reindex(self, conn: Connection) -> None:
        """Tidies the engine's own structures once every post has been written again."""


class SqliteEngine:
    name = "sqlite-fts5"
    pair_lexemes = False
    _fts = table(FTS_TABLE, column("rowid"))

    def document(self, tokens: Sequence[str]) -> str:
        return " ".join(tokens)

    def terms_value(self, value: Any) -> Any:
        return value

    def _expression(self, terms: Sequence[Term], operator: str) -> str:
        return f" {operator} ".join(_fts5_phrase(term) for term in terms)

    def _match(self, expression: str) -> ColumnElement[bool]:
        condition: ColumnElement[bool] = column(FTS_TABLE).op("MATCH")(literal(expression, Text))
        return condition

    def _docs(self, expression: str) -> Any:
        return select(self._fts.c.rowid).where(self._match(expression))

    def matching(self, terms: Sequence[Term], any_of: bool, *, pairs: bool = False) -> ColumnElement[bool]:
        expression = self._expression(terms, "OR" if any_of else "AND")
        return search_posts.c.doc_id.in_(self._docs(expression))

    def doc_id_value(self) -> Any:
        # doc_id orders the FTS5 rowids by creation time: create_at in the high bits, then the
        # next free number within that millisecond (one writer at a time on SQLite, so no race).
        base = bindparam("doc_base", type_=BigInteger)
        used = select(func.max(search_posts.c.doc_id) + 1).where(
            search_posts.c.doc_id.between(base, base + _PER_MS - 1)
        )
        return func.coalesce(used.scalar_subquery(), base)

    def newest_matching(self, terms: Sequence[Term], any_of: bool, *, pairs: bool = False) -> Walk:
        # Driven by FTS5 in descending rowid order, which is newest first: the join stops as soon
        # as a page is full, instead of sorting every match of a common word.
        joined = self._fts.join(search_posts, search_posts.c.doc_id == self._fts.c.rowid).join(
            posts, posts.c.id == search_posts.c.post_id
        )
        expression = self._expression(terms, "OR" if any_of else "AND")
        return Walk(
            joined,
            self._match(expression),
            [self._fts.c.rowid.desc()],
            channel=posts.c.channel_id,
            created=posts.c.create_at,
            literal_channels=False,
            time_key=self._fts.c.rowid,
            time_scale=_PER_MS,
            matches=self._docs(expression),
        )

    def not_matching(self, terms: Sequence[Term], *, pairs: bool = False) -> ColumnElement[bool]:
        return search_posts.c.doc_id.not_in(self._docs(self._expression(terms, "OR")))

    def _file_docs(self, expression: str) -> Any:
        fts = table(FILES_FTS_TABLE, column("rowid"))
        return select(fts.c.rowid).where(column(FILES_FTS_TABLE).op("MATCH")(literal(expression, Text)))

    def file_matching(self, terms: Sequence[Term], any_of: bool) -> ColumnElement[bool]:
        expression = self._expression(terms, "OR" if any_of else "AND")
        return search_files.c.doc_id.in_(self._file_docs(expression))

    def file_not_matching(self, terms: Sequence[Term]) -> ColumnElement[bool]:
        return search_files.c.doc_id.not_in(self._file_docs(self._expression(terms, "OR")))

    def create_structures(self, conn: Connection) -> None:
        for statement in _SQLITE_STRUCTURES:
            conn.exec_driver_sql(statement)

    def drop_structures(self, conn: Connection) -> None:
        for statement in _SQLITE_DROP:
            conn.exec_driver_sql(statement)

    def create_file_structures(self, conn: Connection) -> None:
        for statement in _SQLITE_FILE_STRUCTURES:
            conn.exec_driver_sql(statement)

    def drop_file_structures(self, conn: Connection) -> None:
        for statement in _SQLITE_FILE_DROP:
            conn.exec_driver_sql(statement)

    def before_reindex(self, conn: Connection) -> None:
        # Rebuilt from search_posts, the FTS index cannot disagree with it, whatever went before;
        # from then on the triggers keep it in step with every row the reindex writes. Rebuilt
        # at the end instead, it tokenised every post twice on an index written from scratch.
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")

    def after_reindex(self, conn: Connection) -> None:
        # One segment instead of the many that the batches' transactions left.
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


_PER_MS = 1 << 20


def doc_base(create_at: int) -> int:
    return create_at * _PER_MS


def _fts5_phrase(term: Term) -> str:
    # Tokens hold letters, digits, marks and "@#.-_" only; a quote is doubled all the same.
    quoted = '"' + " ".join(term.tokens).replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


class PostgresEngine:
    name = "postgresql-tsvector"
    pair_lexemes = True

    def document(self, tokens: Sequence[str]) -> str:
        positions: dict[str, list[int]] = defaultdict(list)
        for position, token in enumerate(tokens, start=1):
            found = positions[token]
            if len(found) < _MAX_POSITIONS:
                found.append(min(position, _MAX_POSITION))
        words = [
            f"{_quote(token)}:{','.join(map(str, sorted(set(places))))}"
            for token, places in positions.items()
        ]
        # One lexeme, without positions, per pair of adjacent tokens ("a b": no token holds a
        # space). Wherever `'a' <-> 'b'` matches, 'a b' is there, so a phrase query may AND
        # it in: the GIN index then returns the posts that hold the pair, not every post that
        # holds both words somewhere, each of which PostgreSQL fetched to check their places.
        pairs = dict.fromkeys(_pair(first, second) for first, second in zip(tokens, tokens[1:], strict=False))
        return " ".join([*words, *(_quote(pair) for pair in pairs)])

    def terms_value(self, value: Any) -> Any:
        return cast(value, TSVECTOR)

    def _query(self, terms: Sequence[Term], operator: str, pairs: bool) -> Any:
        expression = f" {operator} ".join(_tsquery_phrase(term, pairs) for term in terms)
        # Rendered into the statement (it is our own quoted literal, never raw user text) so
        # PostgreSQL plans each search with its lexemes' frequencies: a prepared statement's
        # generic plan cannot tell a rare word, for which the GIN index is best, from a common one.
        return cast(bindparam(None, expression, type_=Text, literal_execute=True), TSQUERY)

    def doc_id_value(self) -> Any:
        return None

    def newest_matching(self, terms: Sequence[Term], any_of: bool, *, pairs: bool = False) -> Walk:
        # The GIN index has no order. With the post's channel and time on the index row, the
        # planner may instead walk ix_search_posts_create_at_channel_id (ORDER_INDEXES) backwards and test each
        # row's tsvector, stopping at a full page: cheap for common words, which a GIN scan
        # would have to fetch and sort in full. Rare words still go through GIN. Which of the
        # two is cheaper depends on how many posts match in the searcher's channels; the
        # planner knows it from the lexeme statistics and the channel ids, both literal.
        joined = search_posts.join(posts, posts.c.id == search_posts.c.post_id)
        return Walk(
            joined,
            self.matching(terms, any_of, pairs=pairs),
            [search_posts.c.create_at.desc(), search_posts.c.post_id.desc()],
            channel=search_posts.c.channel_id,
            created=search_posts.c.create_at,
            literal_channels=True,
            newest_first=NEWEST_FIRST_ROWS if any(_is_unspaced_phrase(term) for term in terms) else 0,
            rare_first=True,
        )

    def matching(self, terms: Sequence[Term], any_of: bool, *, pairs: bool = False) -> ColumnElement[bool]:
        query = self._query(terms, "|" if any_of else "&", pairs)
        condition: ColumnElement[bool] = search_posts.c.terms.op("@@")(query)
        return condition

    def not_matching(self, terms: Sequence[Term], *, pairs: bool = False) -> ColumnElement[bool]:
        query = self._query(terms, "|", pairs)
        condition: ColumnElement[bool] = not_(search_posts.c.terms.op("@@")(query))
        return condition

    # Every file's row is written with its pair lexemes (the table began with them).
    def file_matching(self, terms: Sequence[Term], any_of: bool) -> ColumnElement[bool]:
        condition: ColumnElement[bool] = search_files.c.terms.op("@@")(
            self._query(terms, "|" if any_of else "&", True)
        )
        return condition

    def file_not_matching(self, terms: Sequence[Term]) -> ColumnElement[bool]:
        condition: ColumnElement[bool] = not_(search_files.c.terms.op("@@")(self._query(terms, "|", True)))
        return condition

    def create_file_structures(self, conn: Connection) -> None:
        for statement in _POSTGRES_FILE_STRUCTURES:
            conn.exec_driver_sql(statement)

    def drop_file_structures(self, conn: Connection) -> None:
        for statement in _POSTGRES_FILE_DROP:
            conn.exec_driver_sql(statement)

    def create_structures(self, conn: Connection) -> None:
        for statement in _POSTGRES_STRUCTURES:
            conn.exec_driver_sql(statement)

    def drop_structures(self, conn: Connection) -> None:
        for statement in _POSTGRES_DROP:
            conn.exec_driver_sql(statement)

    def before_reindex(self, conn: Connection) -> None:
        pass

    def after_reindex(self, conn: Connection) -> None:
        # A reindex leaves up to 4 MB of GIN entries in the index's pending list (fastupdate),
        # which every search reads through until autovacuum merges them: 450 pages cost each
        # word a query looks for 3-30 ms at a million posts (bench/README.md).
        conn.exec_driver_sql(f"SELECT gin_clean_pending_list('{GIN_INDEX}')")
        # Every row has been written again since the reindex began, with its pair lexemes, and
        # posts written meanwhile have theirs.
        conn.execute(delete(systems).where(systems.c.name == PAIRS_PENDING))
        conn.exec_driver_sql("ANALYZE search_posts")
        conn.exec_driver_sql("ANALYZE posts")


def _is_unspaced_phrase(term: Term) -> bool:
    return len(term.tokens) > 1 and any(is_unspaced(token) for token in term.tokens)


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _pair(first: str, second: str) -> str:
    return f"{first} {second}"


def pair_tokens(term: Term) -> list[str]:
    """The pair lexemes a phrase needs: of its adjacent tokens, but the prefix of `"a b*"`."""
    whole = term.tokens[:-1] if term.prefix else term.tokens
    return list(dict.fromkeys(_pair(a, b) for a, b in zip(whole, whole[1:], strict=False)))


def whole_lexemes(term: Term, pairs: bool) -> list[str]:
    """The lexemes that every post matching the term holds as they are: its tokens but a
    prefix's last one, and with `pairs` the pair lexemes it asks for (PostgreSQL)."""
    whole = list(term.tokens[:-1] if term.prefix else term.tokens)
    return list(dict.fromkeys([*whole, *(pair_tokens(term) if pairs else [])]))


def _tsquery_phrase(term: Term, pairs: bool) -> str:
    parts = [_quote(token) for token in term.tokens]
    if term.prefix:
        parts[-1] += ":*"
    phrase = "(" + " <-> ".join(parts) + ")"
    needed = pair_tokens(term) if pairs else []
    return "(" + " & ".join([*map(_quote, needed), phrase]) + ")" if needed else phrase


_ENGINES: dict[str, SearchEngine] = {"sqlite": SqliteEngine(), "postgresql": PostgresEngine()}


def engine_for(dialect_name: str) -> SearchEngine:
    return _ENGINES[dialect_name]
