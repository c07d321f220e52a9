"""Searching posts and files through the API, on both databases: the query language, many
scripts, the index following edits and deletes, who may find what, paging and bad input."""

import datetime
from typing import Any

import httpx
import pytest

from tests.api.test_files import upload
from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, expect_error, unique


def search_response(
    api: API, terms: str, team: dict[str, Any] | None = None, **options: Any
) -> httpx.Response:
    path = f"/teams/{team['id']}/posts/search" if team else "/posts/search"
    return api.post(path, {"terms": terms, "is_or_search": False, **options})


def search(api: API, terms: str, team: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    response = search_response(api, terms, team, **options)
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    return response.json()  # type: ignore[no-any-return]


def found(api: API, terms: str, team: dict[str, Any] | None = None, **options: Any) -> list[str]:
    """Messages found, newest first."""
    result = search(api, terms, team, **options)
    assert set(result["posts"]) == set(result["order"])
    return [result["posts"][post_id]["message"] for post_id in result["order"]]


def word(prefix: str = "w") -> str:
    """A word no other test has written: the server's database is shared by the whole run."""
    return unique(prefix).replace("-", "").replace("_", "")


def test_all_words_must_match_unless_it_is_an_or_search(world: World) -> None:
    castle, ghost = word("castle"), word("ghost")
    both = post(world.hamlet, world.town_square, f"the {castle} has a {ghost}")["message"]
    only_castle = post(world.othello, world.town_square, f"a quiet {castle}")["message"]
    only_ghost = post(world.hamlet, world.off_topic, f"{ghost.upper()} seen")["message"]
    assert found(world.hamlet, f"{castle} {ghost}", world.team) == [both]
    assert found(world.hamlet, f"{castle} {ghost}", world.team, is_or_search=True) == [
        only_ghost,
        only_castle,
        both,
    ]
    result = search(world.othello, castle, world.team)
    assert result["has_next"] is False and result["first_inaccessible_post_time"] == 0
    assert result["matches"] == {p: [castle] for p in result["order"]}
    # Posts come with their metadata, as other post routes send them.
    first = result["posts"][result["order"][0]]
    assert first["channel_id"] == world.town_square["id"] and "metadata" in first


def test_phrases_exclusions_and_prefixes(world: World) -> None:
    token = word("tok")
    near = post(world.hamlet, world.town_square, f"{token} to be or not to be")["message"]
    far = post(world.hamlet, world.town_square, f"{token} be not to or be to")["message"]
    draft = post(world.hamlet, world.town_square, f"{token} draft {token}suffix")["message"]
    assert found(world.hamlet, f'{token} "to be or not to be"', world.team) == [near]
    assert found(world.hamlet, f"{token} -draft", world.team) == [far, near]
    assert found(world.hamlet, f'{token} -"be not to"', world.team) == [draft, near]
    assert found(world.hamlet, f"{token}suf*", world.team) == [draft]
    result = search(world.hamlet, f"{token}suf*", world.team)
    assert result["matches"][result["order"][0]] == [f"{token}suffix"]
    # Only excluded words, with nothing to look for: nothing, not every post.
    assert found(world.hamlet, "-draft", world.team) == []


def test_hashtags_mentions_and_recent_mentions(world: World) -> None:
    tag = word("tag")
    tagged = post(world.hamlet, world.town_square, f"ship it #{tag}")["message"]
    plain = post(world.hamlet, world.town_square, f"the word {tag} without its sign")["message"]
    assert found(world.hamlet, f"#{tag}", world.team) == [tagged]
    assert found(world.hamlet, f"#{tag.upper()}", world.team) == [tagged]
    assert found(world.hamlet, tag, world.team) == [plain, tagged]
    othello = world.othello.username
    mention = post(world.hamlet, world.town_square, f"@{othello}, look at this")["message"]
    named = post(world.hamlet, world.off_topic, f"I told {othello} already")["message"]
    post(world.hamlet, world.town_square, f"mail {othello}x@example.com")
    # The web and mobile apps' "recent mentions" search for the user's mention keys.
    assert found(world.othello, f"@{othello}", world.team, is_or_search=True) == [mention]
    assert found(world.othello, f"@{othello} {othello}", world.team, is_or_search=True)[:2] == [
        named,
        mention,
    ]
    everyone = post(world.iago, world.town_square, "@channel meeting now")["message"]
    assert found(world.othello, f"@{othello} @channel", world.team, is_or_search=True)[:2] == [
        everyone,
        mention,
    ]


def test_from_and_in_filters_with_direct_messages(world: World) -> None:
    token = word("filt")
    by_hamlet = post(world.hamlet, world.town_square, f"{token} one")["message"]
    by_othello = post(world.othello, world.off_topic, f"{token} two")["message"]
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    in_dm = post(world.hamlet, direct, f"{token} three")["message"]
    assert found(world.othello, f"{token} from:{world.hamlet.username}", world.team) == [in_dm, by_hamlet]
    assert found(world.othello, f"{token} -from:{world.hamlet.username}", world.team) == [by_othello]
    assert found(world.othello, f"{token} in:off-topic", world.team) == [by_othello]
    assert found(world.othello, f"{token} -in:off-topic", world.team) == [in_dm, by_hamlet]
    assert found(world.othello, f"{token} in:@{world.hamlet.username}", world.team) == [in_dm]
    assert found(world.hamlet, f"{token} in:@{world.othello.username}") == [in_dm]
    # Filters alone list everything they admit; unknown names admit nothing.
    assert found(world.othello, f"from:{world.othello.username} in:off-topic", world.team) == [by_othello]
    assert found(world.othello, f"{token} from:nobody-{token}", world.team) == []
    assert found(world.othello, f"{token} in:no-such-channel", world.team) == []


def _local_day(at_ms: int, offset_seconds: int) -> datetime.date:
    return (
        datetime.datetime.fromtimestamp(at_ms / 1000, datetime.UTC)
        + datetime.timedelta(seconds=offset_seconds)
    ).date()


def test_dates_are_days_in_the_searchers_time_zone(world: World) -> None:
    token = word("date")
    created = post(world.hamlet, world.town_square, f"{token} dated")
    east, west = 14 * 3600, -12 * 3600
    day_east, day_west = _local_day(created["create_at"], east), _local_day(created["create_at"], west)
    # 26 hours apart, the two zones are never on the same day.
    assert day_east != day_west
    one_day = datetime.timedelta(days=1)
    assert found(world.hamlet, f"{token} on:{day_east}", world.team, time_zone_offset=east) == [
        created["message"]
    ]
    assert found(world.hamlet, f"{token} on:{day_east}", world.team, time_zone_offset=west) == []
    assert found(world.hamlet, f"{token} on:{day_west}", world.team, time_zone_offset=west) == [
        created["message"]
    ]
    after, before = day_east - one_day, day_east + one_day
    assert found(
        world.hamlet, f"{token} after:{after} before:{before}", world.team, time_zone_offset=east
    ) == [created["message"]]
    assert found(world.hamlet, f"{token} after:{day_east}", world.team, time_zone_offset=east) == []
    assert found(world.hamlet, f"{token} before:{day_east}", world.team, time_zone_offset=east) == []
    assert found(world.hamlet, f"{token} on:{day_east}", world.team, time_zone_offset=east - 3600 * 30) == []


# (message, a query that must find it): eight scripts and then some.
LANGUAGES = [
    ("我明天去北京大学上课", "北京"),  # Chinese: no spaces, a two-character word
    ("我明天去北京大学上课", "京"),  # one character
    ("東京タワーに行きました", "タワー"),  # Japanese katakana inside kanji and kana
    ("ฉันชอบเรียนภาษาไทยมาก", "ภาษาไทย"),  # Thai: no spaces
    ("서울에서 만나요", "서울"),  # Korean: a particle written onto the noun
    ("Die Donaudampfschifffahrtsgesellschaft tagt", "Donaudampf*"),  # German compound, prefix
    ("Wir treffen uns in der Hauptstraße", "hauptstrasse"),  # ß folds to ss
    ("Une crème brûlée, s'il vous plaît", "creme brulee"),  # accents left out
    ("Une creme brulee sans accents", "crème"),  # accents typed, none written
    ("Привет, Андрей из Москвы", "андрей"),  # Cyrillic, any case
    ("Привет, Андрей из Москвы", "москв*"),
    ("مَرْحَبًا بِالعالم", "مرحبا"),  # Arabic, harakat left out
    ("שָׁלוֹם עֲלֵיכֶם", "שלום"),  # Hebrew, points left out
    ("मैं हिन्दी बोलता हूँ", "हिन्दी"),  # Devanagari, vowel signs kept
    ("Ελληνικά γράμματα", "ελληνικα"),  # Greek, tonos left out
]


@pytest.mark.parametrize(("message", "terms"), LANGUAGES)
def test_words_are_found_in_many_scripts(world: World, message: str, terms: str) -> None:
    token = word("lang")
    created = post(world.hamlet, world.town_square, f"{message} {token}")
    post(world.hamlet, world.town_square, f"{token} 無関係 unrelated")
    result = search(world.othello, f"{terms} {token}", world.team)
    assert result["order"] == [created["id"]]
    matches = result["matches"][created["id"]]
    assert token in matches and len(matches) >= 2


def test_text_without_spaces_does_not_match_characters_out_of_order(world: World) -> None:
    token = word("cjk")
    post(world.hamlet, world.town_square, f"{token} 京北")
    assert found(world.hamlet, f"北京 {token}", world.team) == []


def test_edits_and_deletes_are_reflected_at_once(world: World) -> None:
    old, new, reply_word = word("old"), word("new"), word("reply")
    root = post(world.hamlet, world.town_square, f"{old} message")
    reply = post(world.othello, world.town_square, f"{reply_word} in the thread", root_id=root["id"])
    world.hamlet.ok("PUT", f"/posts/{root['id']}/patch", {"message": f"{new} message"})
    assert found(world.hamlet, old, world.team) == []
    assert found(world.hamlet, new, world.team) == [f"{new} message"]
    assert found(world.hamlet, reply_word, world.team) == [reply["message"]]
    # Pinning is no edit: the post stays findable as it is.
    world.hamlet.ok("POST", f"/posts/{root['id']}/pin")
    assert found(world.hamlet, new, world.team) == [f"{new} message"]
    world.hamlet.ok("DELETE", f"/posts/{root['id']}")
    assert found(world.hamlet, new, world.team) == []
    assert found(world.hamlet, reply_word, world.team) == []


def test_system_messages_are_not_found(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("sys-"), "display_name": "Sys", "type": "O"},
    )
    world.othello.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    assert found(world.hamlet, f"joined in:{channel['name']}", world.team) == []
    assert found(world.hamlet, f"in:{channel['name']}", world.team) == []


def test_only_channels_the_searcher_is_in_now(world: World) -> None:
    token = word("perm")
    secret = private_channel(world, world.hamlet)
    post(world.hamlet, secret, f"{token} private")
    public = post(world.hamlet, world.town_square, f"{token} public")["message"]
    for terms in (token, f"{token} in:{secret['name']}", f"in:{secret['name']}", f"{token} private"):
        result = search(world.othello, terms, world.team)
        assert {p["message"] for p in result["posts"].values()} <= {public}, terms
        assert set(result["matches"]) == set(result["order"]) == set(result["posts"])
    assert found(world.othello, f"{token} private", world.team) == []
    assert found(world.hamlet, f"{token} private", world.team) == [f"{token} private"]
    # Having left a channel, its posts are no longer found.
    world.othello.ok("DELETE", f"/channels/{world.off_topic['id']}/members/{world.othello.id}")
    post(world.hamlet, world.off_topic, f"{token} off topic")
    assert found(world.othello, f"{token} topic", world.team) == []
    assert found(world.othello, f"{token} topic") == []
    # Cordelia is not in the team: she may not search it, and finds nothing anywhere.
    expect_error(search_response(world.cordelia, token, world.team), 403, "api.context.permissions.app_error")
    expect_error(
        search_response(world.cordelia, token, {"id": "a" * 26}), 403, "api.context.permissions.app_error"
    )
    assert found(world.cordelia, token) == []


def test_other_teams_channels_are_found_only_in_an_all_teams_search(world: World) -> None:
    token = word("team")
    other = world.admin.ok(
        "POST", "/teams", {"name": unique("norway-"), "display_name": "Norway", "type": "O"}
    )
    world.admin.ok(
        "POST", f"/teams/{other['id']}/members", {"team_id": other["id"], "user_id": world.hamlet.id}
    )
    elsewhere = world.admin.ok("GET", f"/teams/{other['id']}/channels/name/town-square")
    world.hamlet.ok("POST", f"/channels/{elsewhere['id']}/members", {"user_id": world.hamlet.id})
    post(world.hamlet, elsewhere, f"{token} abroad")
    here = post(world.hamlet, world.town_square, f"{token} at home")["message"]
    assert found(world.hamlet, token, world.team) == [here]
    assert sorted(found(world.hamlet, token)) == sorted([here, f"{token} abroad"])
    # Othello is not in the other team: his all-teams search does not reach it.
    assert found(world.othello, token) == [here]


def test_archived_channels_only_when_asked_and_only_for_members(world: World) -> None:
    token = word("arch")
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("old-"), "display_name": "Old", "type": "O"},
    )
    post(world.hamlet, channel, f"{token} archived talk")
    world.hamlet.ok("DELETE", f"/channels/{channel['id']}")
    assert found(world.hamlet, token, world.team) == []
    assert found(world.hamlet, token, world.team, include_deleted_channels=True) == [f"{token} archived talk"]
    assert found(world.othello, token, world.team, include_deleted_channels=True) == []


def test_paging(world: World) -> None:
    token = word("page")
    messages = [post(world.hamlet, world.town_square, f"{token} {n}")["message"] for n in range(5)]
    first = search(world.hamlet, token, world.team, page=0, per_page=2)
    second = search(world.hamlet, token, world.team, page=1, per_page=2)
    last = search(world.hamlet, token, world.team, page=2, per_page=2)
    pages = [first, second, last]
    assert [p["has_next"] for p in pages] == [True, True, False]
    listed = [p["posts"][i]["message"] for p in pages for i in p["order"]]
    assert listed == messages[::-1]
    assert search(world.hamlet, token, world.team, page=9, per_page=2)["order"] == []


def test_stop_words_punctuation_and_engine_syntax_find_nothing_and_never_fail(world: World) -> None:
    post(world.hamlet, world.town_square, "the and of ... !!!")
    for terms in ("the", "the and of", "...", "!!! ???", "*", '"', '""', "-", "#", "@"):
        assert found(world.hamlet, terms, world.team) == [], terms
    token = word("ops")
    target = post(world.hamlet, world.town_square, f"{token} NEAR drop table")["message"]
    for terms in (
        f'{token} NEAR("a" "b")',
        f"{token} OR AND NOT",
        f"{token} ^terms:x",
        f"{token} 'single' & | ! <-> :* \\",
        f"{token} '; DROP TABLE posts; --",
        f'{token} "unbalanced',
        f"{token} ((( )))",
        f"{token} {{col}}: *",
        f"{token} \u0000",
    ):
        response = search_response(world.hamlet, terms, world.team)
        assert response.status_code in (200, 400), terms
        if response.status_code == 200:
            assert set(response.json()["order"]) <= {p for p in response.json()["posts"]}
    assert found(world.hamlet, f"{token} near drop table", world.team) == [target]


def test_bad_requests_get_mattermosts_errors(world: World) -> None:
    path = f"/teams/{world.team['id']}/posts/search"
    body_error = "api.post.search_posts.invalid_body.app_error"
    expect_error(world.hamlet.request("POST", path, content=b"{not json"), 400, body_error)
    expect_error(world.hamlet.post(path, ["terms"]), 400, body_error)
    expect_error(world.hamlet.post(path, {"terms": 7}), 400, body_error)
    expect_error(world.hamlet.post(path, {"terms": "x", "page": "1"}), 400, body_error)
    expect_error(world.hamlet.post(path, {"terms": "x", "is_or_search": "yes"}), 400, body_error)
    expect_error(world.hamlet.post(path, {"terms": "x", "per_page": True}), 400, body_error)
    expect_error(world.hamlet.post(path, {"is_or_search": True}), 400, "api.context.invalid_param.app_error")
    expect_error(world.hamlet.post(path, {"terms": "   "}), 400, "api.context.invalid_param.app_error")
    expect_error(world.hamlet.post(path, {"terms": "x" * 10_000}), 400, "api.context.invalid_param.app_error")
    expect_error(
        world.hamlet.post(path, {"terms": "x", "page": -1}), 400, "api.context.invalid_param.app_error"
    )
    for offset in (10**12, -(10**12), 86_400):
        expect_error(
            world.hamlet.post(path, {"terms": "x", "time_zone_offset": offset}),
            400,
            "api.context.invalid_param.app_error",
        )
    expect_error(
        world.hamlet.post("/teams/nonsense/posts/search", {"terms": "x"}),
        400,
        "api.context.invalid_param.app_error",
    )
    expect_error(
        API(world.hamlet.base_url).post(path, {"terms": "x"}), 401, "api.context.session_expired.app_error"
    )
    # A long query of many words is fine: at most so many of them are looked for.
    assert search(world.hamlet, " ".join(word("many") for _ in range(300)), world.team)["order"] == []
    assert (
        search(world.hamlet, "on:9999-12-31 after:0001-01-01", world.team, time_zone_offset=50_400)["order"]
        == []
    )


def test_files_are_found_by_name_where_the_searcher_may_look(world: World) -> None:
    token = word("file")
    report = upload(world.hamlet, world.town_square, f"{token}-Quarterly_Report.pdf", b"%PDF-1.4 report")
    image = upload(world.hamlet, world.town_square, f"{token}-photo.png", b"not really a png")
    post(world.hamlet, world.town_square, "files", file_ids=[report["id"], image["id"]])
    secret = private_channel(world, world.hamlet)
    hidden = upload(world.hamlet, secret, f"{token}-secret-report.pdf", b"%PDF-1.4 secret")
    post(world.hamlet, secret, "secret file", file_ids=[hidden["id"]])
    unattached = upload(world.hamlet, world.town_square, f"{token}-draft-report.pdf", b"%PDF draft")
    assert unattached["id"]

    def names(api: API, terms: str, team: bool = True, **options: Any) -> list[str]:
        path = f"/teams/{world.team['id']}/files/search" if team else "/files/search"
        result = api.ok("POST", path, {"terms": terms, "is_or_search": False, **options})
        assert set(result["order"]) == set(result["file_infos"])
        return sorted(result["file_infos"][i]["name"] for i in result["order"])

    assert names(world.othello, f"{token} report") == [f"{token}-Quarterly_Report.pdf"]
    assert names(world.hamlet, f"{token} report") == sorted(
        [f"{token}-Quarterly_Report.pdf", f"{token}-secret-report.pdf"]
    )
    assert names(world.othello, f"{token} quart*", team=False) == [f"{token}-Quarterly_Report.pdf"]
    assert names(world.othello, f"{token} ext:png") == [f"{token}-photo.png"]
    assert names(world.othello, f"{token} -report") == [f"{token}-photo.png"]
    assert names(world.othello, f"{token} report in:{secret['name']}") == []
    assert names(world.cordelia, token, team=False) == []
    expect_error(
        world.cordelia.post(f"/teams/{world.team['id']}/files/search", {"terms": token}),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.othello.request("POST", "/files/search", content=b"[]"),
        400,
        "api.post.search_files.invalid_body.app_error",
    )
    # A deleted post takes its files out of the results.
    world.hamlet.ok("DELETE", f"/posts/{report.get('post_id') or _post_of(world, report['id'])}")
    assert names(world.hamlet, f"{token} quarterly") == []


def test_a_channels_files_are_listed_newest_first_by_its_id(world: World) -> None:
    """Mattermost's web app lists a channel's files with a file search for "channel:<id>"."""
    secret = private_channel(world, world.hamlet)
    older = upload(world.hamlet, secret, "minutes.txt", b"older")
    post(world.hamlet, secret, "the minutes", file_ids=[older["id"]])
    newer = upload(world.hamlet, secret, "agenda.txt", b"newer")
    post(world.hamlet, secret, "the agenda", file_ids=[newer["id"]])
    path = f"/teams/{world.team['id']}/files/search"
    listed = world.hamlet.ok("POST", path, {"terms": f"channel:{secret['id']}"})
    assert listed["order"] == [newer["id"], older["id"]]
    assert listed["file_infos"][newer["id"]]["user_id"] == world.hamlet.id
    assert world.hamlet.ok("POST", path, {"terms": f"in:{secret['id']} agenda"})["order"] == [newer["id"]]
    # Naming a channel by its id does not open it to someone who is not in it.
    assert world.othello.ok("POST", path, {"terms": f"channel:{secret['id']}"})["order"] == []
    assert search(world.othello, f"in:{secret['id']} agenda", world.team)["order"] == []
    assert search(world.hamlet, f"in:{secret['id']} agenda", world.team)["order"] != []


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer is `text` (ASCII, no parentheses), its offsets computed."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def test_files_are_found_by_the_words_in_them(world: World) -> None:
    """A text file's words and a PDF's text layer are searched beside the names, with the same
    syntax (phrases, exclusions, prefixes) and the same limits on where the searcher may look.
    Other files' bytes are not read as text."""
    token = word("inside")
    notes = upload(world.hamlet, world.town_square, "notes.txt", f"The {token} census of quokkas".encode())
    paper = upload(world.hamlet, world.town_square, "paper.pdf", pdf_with_text(f"{token} marsupial survey"))
    blob = upload(world.hamlet, world.town_square, "blob.bin", f"{token} census quokkas".encode())
    post(world.hamlet, world.town_square, "attachments", file_ids=[notes["id"], paper["id"], blob["id"]])
    secret = private_channel(world, world.hamlet)
    hidden = upload(world.hamlet, secret, "hidden.md", f"{token} census in private".encode())
    post(world.hamlet, secret, "private notes", file_ids=[hidden["id"]])

    def names(api: API, terms: str, **options: Any) -> list[str]:
        path = f"/teams/{world.team['id']}/files/search"
        result = api.ok("POST", path, {"terms": terms, **options})
        return sorted(result["file_infos"][i]["name"] for i in result["order"])

    assert names(world.othello, f"{token} census") == ["notes.txt"]
    assert names(world.hamlet, f"{token} census") == ["hidden.md", "notes.txt"]
    assert names(world.othello, f"{token} marsupial") == ["paper.pdf"]
    assert names(world.othello, f'"{token} marsupial survey"') == ["paper.pdf"]
    assert names(world.othello, f'"survey marsupial" {token}') == []
    assert names(world.othello, f"{token} quokk*") == ["notes.txt"]
    assert names(world.othello, f"{token} -census") == ["paper.pdf"]
    assert names(world.othello, f"{token} census survey", is_or_search=True) == ["notes.txt", "paper.pdf"]
    # The name is searched as before, and a file's words do not make its post a match.
    assert names(world.othello, f"paper {token}") == ["paper.pdf"]
    assert found(world.othello, f"{token} census", world.team) == []


def _post_of(world: World, file_id: str) -> str:
    info = world.hamlet.ok("GET", f"/files/{file_id}/info")
    return str(info["post_id"])


def test_channel_names_match_in_any_script_and_case(world: World) -> None:
    channel = world.hamlet.ok(
        "POST",
        "/channels",
        {
            "team_id": world.team["id"],
            "name": unique("kanal-"),
            "display_name": "Андреевский Канал",
            "type": "O",
        },
    )
    found_channels = world.hamlet.ok(
        "POST", f"/teams/{world.team['id']}/channels/search", {"term": "андреевск"}
    )
    assert [c["id"] for c in found_channels] == [channel["id"]]
    found_channels = world.hamlet.ok("POST", f"/teams/{world.team['id']}/channels/search", {"term": "КАНАЛ"})
    assert [c["id"] for c in found_channels] == [channel["id"]]
