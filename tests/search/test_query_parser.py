"""The search language and the tokens both engines index: pure functions, no server."""

import datetime

import pytest
from sqlalchemy.dialects import postgresql

from villagepump.search.engines import PostgresEngine, SqliteEngine
from villagepump.search.highlight import matched_words
from villagepump.search.query import MAX_TERMS_LENGTH, Term, TermsTooLong, day_bounds, parse
from villagepump.search.text import document_tokens, fold, word_tokens


def tokens_of(text: str) -> list[tuple[str, ...]]:
    return [term.tokens for term in parse(text).terms]


def test_words_phrases_exclusions_and_prefixes() -> None:
    query = parse('release "exact phrase" -draft dep*')
    assert query.terms == [
        Term(("release",), text="release"),
        Term(("exact", "phrase"), text="exact phrase"),
        Term(("dep",), prefix=True, text="dep"),
    ]
    assert query.excluded == [Term(("draft",), text="draft")]
    assert parse('-"not this" keep').excluded == [Term(("not", "this"), text="not this")]


def test_flags_with_and_without_a_space_and_excluded_ones() -> None:
    query = parse("from:Hamlet from: @othello -from:iago in:town-square channel:off-topic -in:@iago")
    assert query.from_users == ["hamlet", "othello"] and query.excluded_users == ["iago"]
    assert query.in_channels == ["town-square", "off-topic"] and query.excluded_channels == ["@iago"]
    assert query.terms == [] and not query.is_empty


def test_dates_are_read_as_days_and_unreadable_ones_filter_nothing() -> None:
    query = parse("on:2026-02-28 after:2026-01-01 before:2026-12-31")
    assert query.on == datetime.date(2026, 2, 28)
    assert query.after == datetime.date(2026, 1, 1) and query.before == datetime.date(2026, 12, 31)
    for bad in ("on:2026-02-30", "on:yesterday", "on:2026-1", "on:２０２６-01-01", "after:-1-1-1"):
        assert parse(bad).on is None and parse(bad).after is None and parse(bad).is_empty, bad


def test_day_bounds_follow_the_searchers_time_zone() -> None:
    start, end = day_bounds(datetime.date(2026, 1, 2), 0)
    assert start == 1767312000000 and end == start + 86_400_000 - 1
    east, _ = day_bounds(datetime.date(2026, 1, 2), 2 * 3600)
    assert east == start - 2 * 3600 * 1000
    assert day_bounds(datetime.date(1, 1, 1), 50_400)[0] < 0
    assert day_bounds(datetime.date(9999, 12, 31), -50_400)[1] > 0


def test_hashtags_and_mentions_are_tokens_of_their_own() -> None:
    assert tokens_of("#Release @Hamlet.Prince") == [("#release",), ("@hamlet.prince",)]
    # A sign alone, or a name no username could have, is just punctuation.
    assert tokens_of("# @ @@ #!") == []
    assert parse("# @").nothing_to_find


def test_stop_words_and_punctuation_alone_find_nothing() -> None:
    for terms in ("the", "the and of", "...", "!!! ???", "*", '""', "-", "AND OR NOT"):
        assert parse(terms).is_empty, terms
    # In a phrase, stop words count.
    assert tokens_of('"to be or not to be"') == [("to", "be", "or", "not", "to", "be")]
    assert tokens_of("the castle") == [("castle",)]


def test_unbalanced_quotes_run_to_the_end() -> None:
    assert tokens_of('"open quote never closed') == [("open", "quote", "never", "closed")]
    assert tokens_of('x "b c" "d') == [("x",), ("b", "c"), ("d",)]


def test_engine_operators_typed_by_users_are_plain_words() -> None:
    query = parse("NEAR(a b) x* OR y AND -z ^col:term {a b} 'quoted' & | ! <-> :*")
    for term in query.terms + query.excluded:
        for token in term.tokens:
            assert token.isalnum() or token[0] in "@#", token
    # The SQL a user types is words too.
    assert tokens_of("'; DROP TABLE posts; --") == [("drop",), ("table",), ("posts",)]


def test_overlong_terms_are_refused() -> None:
    parse("a" * MAX_TERMS_LENGTH)
    with pytest.raises(TermsTooLong):
        parse("a" * (MAX_TERMS_LENGTH + 1))


def test_folding_case_accents_and_compatibility_forms() -> None:
    assert fold("Straße") == "strasse"
    assert word_tokens("Café NAÏVE São Paulo Ｆｕｌｌ") == ["cafe", "naive", "sao", "paulo", "full"]
    assert word_tokens("АНДРЕЙ Ёлка") == ["андреи", "елка"]
    assert word_tokens("مَرْحَبًا") == ["مرحبا"]
    assert word_tokens("שָׁלוֹם") == ["שלום"]


def test_marks_that_spell_a_word_stay_in_it() -> None:
    assert word_tokens("हिन्दी भाषा") == ["हिन्दी", "भाषा"]


def test_text_without_spaces_is_cut_into_characters() -> None:
    assert word_tokens("東京タワー") == ["東", "京", "タ", "ワ", "ー"]
    assert word_tokens("ภาษาไทย") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"]
    assert word_tokens("서울에서") == ["서", "울", "에", "서"]
    assert word_tokens("v2東京") == ["v2", "東", "京"]
    # A query word in such a script is a phrase of its characters; a * after it changes nothing.
    assert parse("東京*").terms == [Term(("東", "京"), text="東京")]


def test_document_tokens_hold_words_then_mentions_and_hashtags() -> None:
    tokens = document_tokens("Hi @Hamlet.Prince, mail bob@example.com about #Release!", "#Release")
    assert tokens == [
        "hi", "hamlet", "prince", "mail", "bob", "example", "com", "about", "release",
        "@hamlet.prince", "#release",
    ]  # fmt: skip


def test_sqlite_queries_quote_every_token() -> None:
    engine = SqliteEngine()
    assert engine.document(["a", "b"]) == "a b"
    terms = parse('x "y z" w*').terms
    expression = engine._expression(terms, "AND")
    assert expression == '"x" AND "y z" AND "w" *'


def test_postgres_documents_and_queries_are_literals() -> None:
    engine = PostgresEngine()
    assert engine.document(["a", "b", "a"]) == "'a':1,3 'b':2 'a b' 'b a'"
    assert engine.document(["it's"]) == "'it''s':1"
    assert engine.document(["x"] * 300).count(",") == 254


def test_postgres_phrases_ask_for_their_pairs_once_every_row_has_them() -> None:
    engine = PostgresEngine()

    def query(terms: str, pairs: bool) -> str:
        condition = engine.matching(parse(terms).terms, any_of=False, pairs=pairs)
        sql = str(condition.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        return sql.replace("''", "'")

    assert "'a' <-> 'b'" in query('"a b"', pairs=False)
    assert "'a b'" not in query('"a b"', pairs=False)
    assert "('a b' & 'b c' & ('a' <-> 'b' <-> 'c'))" in query('"a b c"', pairs=True)
    # A prefix is no whole token: a-b* holds no pair to look for, a-b-c* one.
    assert "('a' <-> 'b':*)" in query("a-b*", pairs=True)
    assert "('a b' & ('a' <-> 'b' <-> 'c':*))" in query("a-b-c*", pairs=True)
    assert "('北 京' & ('北' <-> '京'))" in query("北京", pairs=True)
    assert "'word'" in query("word", pairs=True)


def test_matches_are_the_words_of_the_post() -> None:
    message = "Tonight: the Release party, then RELEASED notes #release @hamlet! 東京タワーへ"
    assert matched_words(message, parse("release")) == ["Release", "#release"]
    assert matched_words(message, parse("releas*")) == ["Release", "RELEASED", "#release"]
    assert matched_words(message, parse("#release @hamlet")) == ["#release", "@hamlet"]
    assert matched_words(message, parse("東京")) == ["東京"]
    assert matched_words("Crème brûlée", parse("creme")) == ["Crème"]
