"""System admins read and change the server's settings while it runs, on Mattermost's wire:
GET/PUT /config, PUT /config/patch, POST /config/reload, GET /config/environment."""

import asyncio
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import json_leaves
from tests.support.client import API, World, create_user, expect_error, login
from tests.support.server import (
    ADMIN_PASSWORD,
    ServerProcess,
    running_servers,
)
from villagepump.config import wire_fields

FAKE_SETTING = "********************************"
PATHS = [field.wire.path for field in wire_fields().values()]
FORBIDDEN = "api.context.permissions.app_error"


@pytest.fixture
def config(admin: API) -> Iterator[dict[str, Any]]:
    """The configuration as a test starts; put back afterwards, as the server is shared."""
    before: dict[str, Any] = admin.ok("GET", "/config")
    yield before
    admin.ok("PUT", "/config", before)


def patch(admin: API, changes: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = admin.ok("PUT", "/config/patch", changes)
    return result


def test_admin_reads_settings_under_mattermost_sections(admin: API, config: dict[str, Any]) -> None:
    response = admin.get("/config")
    assert response.headers["cache-control"] == "no-cache, no-store, must-revalidate"
    settings = response.json()
    assert settings["TeamSettings"]["SiteName"] == "Villagepump"
    assert settings["TeamSettings"]["EnableOpenServer"] is False
    assert settings["ServiceSettings"]["SessionLengthWebInHours"] == 30 * 24
    assert settings["ServiceSettings"]["MaximumLoginAttempts"] == 10
    assert settings["EmailSettings"]["SMTPPort"] == "25"
    assert settings["FileSettings"]["MaxFileSize"] == 100 * 1024 * 1024
    assert settings["FileSettings"]["DriverName"] == "local"
    assert settings["DataRetentionSettings"]["MessageRetentionDays"] == 90
    assert settings["RateLimitSettings"]["PerSec"] == 10
    assert settings["OpenIdSettings"]["Enable"] is False
    assert settings["VillagepumpSettings"]["MaxPostSize"] == 16383
    # Settings read only at start (the database, Redis, the listen address) are not on the wire.
    assert "SqlSettings" not in settings
    assert "DataSource" not in str(settings)


def test_members_and_anonymous_are_refused(world: World, anonymous: API) -> None:
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/config", None),
        ("PUT", "/config", {"TeamSettings": {"SiteName": "Hamlet's"}}),
        ("PUT", "/config/patch", {"TeamSettings": {"SiteName": "Hamlet's"}}),
        ("POST", "/config/reload", None),
        ("GET", "/config/environment", None),
    ]
    for method, path, body in calls:
        # Iago administers a team, not the system.
        for member in (world.hamlet, world.iago):
            expect_error(member.request(method, path, json=body), 403, FORBIDDEN)
        expect_error(anonymous.request(method, path, json=body), 401, "api.context.session_expired.app_error")
    assert world.admin.ok("GET", "/config")["TeamSettings"]["SiteName"] != "Hamlet's"


def test_a_patch_changes_only_what_it_names_and_clients_see_it_at_once(
    admin: API, anonymous: API, config: dict[str, Any]
) -> None:
    username = "yorick" + secrets.token_hex(3)
    account = {"username": username, "email": f"{username}@example.org", "password": "x" * 10}
    expect_error(anonymous.post("/users", account), 403, FORBIDDEN)
    changed = patch(admin, {"TeamSettings": {"SiteName": "Elsinore", "EnableOpenServer": True}})
    assert changed["TeamSettings"]["SiteName"] == "Elsinore"
    assert changed["TeamSettings"]["EnableOpenServer"] is True
    assert changed["TeamSettings"]["MaxUsersPerTeam"] == config["TeamSettings"]["MaxUsersPerTeam"]
    assert changed["EmailSettings"] == config["EmailSettings"]
    client = anonymous.ok("GET", "/config/client?format=old")
    assert client["SiteName"] == "Elsinore"
    assert client["EnableOpenServer"] == "true"
    # Open signup now lets anyone create an account.
    anonymous.ok("POST", "/users", account)


def test_latex_settings_reach_the_clients(admin: API, anonymous: API, config: dict[str, Any]) -> None:
    # Code blocks on, inline formulas off by default (decision 0047; Mattermost's are the reverse
    # on a new server), as booleans for admins and strings in the client configuration.
    assert config["ServiceSettings"]["EnableLatex"] is True
    assert config["ServiceSettings"]["EnableInlineLatex"] is False
    client = anonymous.ok("GET", "/config/client?format=old")
    assert (client["EnableLatex"], client["EnableInlineLatex"]) == ("true", "false")
    patch(admin, {"ServiceSettings": {"EnableLatex": False, "EnableInlineLatex": True}})
    client = anonymous.ok("GET", "/config/client?format=old")
    assert (client["EnableLatex"], client["EnableInlineLatex"]) == ("false", "true")
    expect_error(
        admin.put("/config/patch", {"ServiceSettings": {"EnableLatex": "true"}}),
        400,
        "api.context.invalid_body_param.app_error",
    )


def test_the_settings_in_force_change_behaviour(admin: API, world: World, config: dict[str, Any]) -> None:
    patch(admin, {"VillagepumpSettings": {"MaxPostSize": 20}})
    channel_id = world.town_square["id"]
    too_long = world.hamlet.post("/posts", {"channel_id": channel_id, "message": "x" * 21})
    expect_error(too_long, 400, "model.post.is_valid.message_length.app_error")
    world.hamlet.ok("POST", "/posts", {"channel_id": channel_id, "message": "x" * 20})


def test_fewer_login_attempts_apply_to_the_next_login(
    admin: API, anonymous: API, world: World, config: dict[str, Any]
) -> None:
    patch(admin, {"ServiceSettings": {"MaximumLoginAttempts": 2}})
    wrong = {"login_id": world.cordelia.username, "password": "not-her-password"}
    for _ in range(2):
        expect_error(
            anonymous.post("/users/login", wrong), 401, "api.user.login.invalid_credentials_email_username"
        )
    expect_error(
        anonymous.post("/users/login", wrong), 429, "api.user.check_user_login_attempts.too_many.app_error"
    )


def test_put_replaces_everything_and_resets_what_it_leaves_out(admin: API, config: dict[str, Any]) -> None:
    patch(admin, {"TeamSettings": {"MaxUsersPerTeam": 70}, "EmailSettings": {"FeedbackName": "Horatio"}})
    replaced = admin.ok("PUT", "/config", {"TeamSettings": {"SiteName": "Denmark"}})
    assert replaced["TeamSettings"]["SiteName"] == "Denmark"
    assert replaced["TeamSettings"]["MaxUsersPerTeam"] == 50
    assert replaced["EmailSettings"]["FeedbackName"] == ""
    # What GET returned can be put back as it is, with sections we do not know and extra keys.
    whole = admin.ok("GET", "/config")
    whole["TeamSettings"]["SiteName"] = "Wittenberg"
    whole["SqlSettings"] = {"DriverName": "postgres", "DataSource": FAKE_SETTING}
    whole["TeamSettings"]["RestrictDirectMessage"] = "any"
    assert admin.ok("PUT", "/config", whole)["TeamSettings"]["SiteName"] == "Wittenberg"


def test_hours_on_the_wire_are_whole_days_here(admin: API, config: dict[str, Any]) -> None:
    assert patch(admin, {"ServiceSettings": {"SessionLengthWebInHours": 168}})["ServiceSettings"] == {
        **config["ServiceSettings"],
        "SessionLengthWebInHours": 168,
    }
    rounded = patch(admin, {"ServiceSettings": {"SessionLengthWebInHours": 30}})
    assert rounded["ServiceSettings"]["SessionLengthWebInHours"] == 48


INVALID: list[tuple[dict[str, Any], str]] = [
    ({"TeamSettings": {"SiteName": "x" * 31}}, "model.config.is_valid.sitename_length.app_error"),
    ({"TeamSettings": {"MaxUsersPerTeam": 0}}, "model.config.is_valid.max_users.app_error"),
    (
        {"TeamSettings": {"UserStatusAwayTimeout": 0}},
        "model.config.is_valid.user_status_away_timeout.app_error",
    ),
    ({"ServiceSettings": {"SiteURL": "chat.example.org"}}, "model.config.is_valid.site_url.app_error"),
    (
        {"ServiceSettings": {"SiteURL": "https://[chat.example.org"}},
        "model.config.is_valid.site_url.app_error",
    ),
    ({"ServiceSettings": {"MaximumLoginAttempts": 0}}, "model.config.is_valid.login_attempts.app_error"),
    ({"ServiceSettings": {"SessionLengthWebInHours": 0}}, "model.config.is_valid.session_length.app_error"),
    (
        {"ServiceSettings": {"SessionLengthWebInHours": 2**63 - 1}},
        "model.config.is_valid.session_length.app_error",
    ),
    ({"FileSettings": {"MaxFileSize": 2**64 - 1}}, "api.context.invalid_body_param.app_error"),
    ({"FileSettings": {"MaxFileSize": -1}}, "model.config.is_valid.max_file_size.app_error"),
    ({"FileSettings": {"DriverName": "ftp"}}, "model.config.is_valid.file_driver.app_error"),
    ({"EmailSettings": {"ConnectionSecurity": "SSL"}}, "model.config.is_valid.email_security.app_error"),
    (
        {"EmailSettings": {"EmailBatchingInterval": 5}},
        "model.config.is_valid.email_batching_interval.app_error",
    ),
    (
        {"EmailSettings": {"EnableEmailBatching": True}},
        "model.config.is_valid.site_url_email_batching.app_error",
    ),
    ({"RateLimitSettings": {"PerSec": 0}}, "model.config.is_valid.rate_sec.app_error"),
    ({"RateLimitSettings": {"MaxBurst": 0}}, "model.config.is_valid.max_burst.app_error"),
    (
        {"DataRetentionSettings": {"MessageRetentionDays": 0}},
        "model.config.is_valid.data_retention.message_retention_days_too_low.app_error",
    ),
    (
        {"DataRetentionSettings": {"FileRetentionDays": -5}},
        "model.config.is_valid.data_retention.file_retention_days_too_low.app_error",
    ),
    (
        {"LocalizationSettings": {"AvailableLocales": "de,fr", "DefaultClientLocale": "en"}},
        "model.config.is_valid.localization.available_locales.app_error",
    ),
    ({"VillagepumpSettings": {"MaxPostSize": 0}}, "model.config.is_valid.max_post_size.app_error"),
    # Wrong JSON types fail as Mattermost's decoder fails them.
    ({"TeamSettings": {"SiteName": 5}}, "api.context.invalid_body_param.app_error"),
    ({"TeamSettings": {"EnableOpenServer": "true"}}, "api.context.invalid_body_param.app_error"),
    ({"FileSettings": {"MaxFileSize": "big"}}, "api.context.invalid_body_param.app_error"),
    ({"FileSettings": {"MaxFileSize": 1.5}}, "api.context.invalid_body_param.app_error"),
    ({"EmailSettings": {"SMTPPort": 587}}, "api.context.invalid_body_param.app_error"),
    ({"TeamSettings": "Elsinore"}, "api.context.invalid_body_param.app_error"),
]


@pytest.mark.parametrize(("changes", "error_id"), INVALID, ids=[error_id for _, error_id in INVALID])
def test_invalid_settings_are_refused_and_change_nothing(
    admin: API, config: dict[str, Any], changes: dict[str, Any], error_id: str
) -> None:
    # A valid change in the same request is refused with the invalid one.
    body = {**changes, "SupportSettings": {"HelpLink": "https://help.example.org"}}
    expect_error(admin.put("/config/patch", body), 400, error_id)
    expect_error(admin.put("/config", {**config, **body}), 400, error_id)
    assert admin.ok("GET", "/config") == config


def test_a_body_that_is_not_a_configuration_is_refused(admin: API, config: dict[str, Any]) -> None:
    for body in (b"[]", b"not json", b'"config"', b""):
        for path in ("/config", "/config/patch"):
            response = admin.request("PUT", path, content=body)
            expect_error(response, 400, "api.context.invalid_body_param.app_error")
    assert admin.ok("GET", "/config") == config


def _stored_value(server: ServerProcess, name: str) -> Any:
    """Reads the database behind the server directly: the API never shows a secret."""
    query = "SELECT value FROM config_values WHERE name = $1"
    url = server.env["VILLAGEPUMP_DATABASE_URL"]
    if not url:
        with sqlite3.connect(server.data_dir / "villagepump.db") as db:
            row = db.execute(query.replace("$1", "?"), (name,)).fetchone()
        return None if row is None else orjson.loads(row[0])

    async def fetch() -> Any:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            value = await conn.fetchval(query, name)
        finally:
            await conn.close()
        return None if value is None else orjson.loads(value)

    return asyncio.run(fetch())


def test_secrets_are_never_sent_and_a_masked_secret_keeps_its_value(
    admin: API, server: ServerProcess, config: dict[str, Any]
) -> None:
    secret = "hunter2-" + secrets.token_hex(4)
    response = admin.put(
        "/config/patch",
        {"EmailSettings": {"SMTPPassword": secret}, "OpenIdSettings": {"Secret": secret, "Id": "pump"}},
    )
    assert response.status_code == 200 and secret not in response.text
    assert response.json()["EmailSettings"]["SMTPPassword"] == FAKE_SETTING
    got = admin.get("/config")
    assert secret not in got.text
    whole = got.json()
    assert whole["OpenIdSettings"] == {**config["OpenIdSettings"], "Secret": FAKE_SETTING, "Id": "pump"}
    # An unset secret shows as empty, so the admin can tell.
    assert whole["GitLabSettings"]["Secret"] == ""
    # Sending back what GET showed keeps the secrets, by PUT and by patch.
    whole["TeamSettings"]["SiteName"] = "Secretive"
    assert secret not in admin.put("/config", whole).text
    patch(admin, {"EmailSettings": {"SMTPPassword": FAKE_SETTING}})
    assert _stored_value(server, "EmailSettings.SMTPPassword") == secret
    assert _stored_value(server, "OpenIdSettings.Secret") == secret
    assert secret not in admin.get("/config/client?format=old").text
    # A new value replaces it; an empty one clears it.
    patch(admin, {"EmailSettings": {"SMTPPassword": ""}})
    assert _stored_value(server, "EmailSettings.SMTPPassword") is None
    assert admin.ok("GET", "/config")["EmailSettings"]["SMTPPassword"] == ""


def test_settings_from_the_environment_are_locked(admin: API, config: dict[str, Any]) -> None:
    # The test servers start with VILLAGEPUMP_LOGIN_FAILURES_PER_ADDRESS=100000 and link previews
    # off (support/server.py).
    environment = admin.ok("GET", "/config/environment")
    assert environment == {
        "ServiceSettings": {"EnableLinkPreviews": True},
        "VillagepumpSettings": {"LoginFailuresPerAddress": True},
    }
    assert config["VillagepumpSettings"]["LoginFailuresPerAddress"] == 100000
    # As in Mattermost, a change to a locked setting is ignored; the rest of the request applies.
    changed = patch(
        admin,
        {
            "VillagepumpSettings": {"LoginFailuresPerAddress": 3},
            "SupportSettings": {"AboutLink": "https://a.org"},
        },
    )
    assert changed["VillagepumpSettings"]["LoginFailuresPerAddress"] == 100000
    assert changed["SupportSettings"]["AboutLink"] == "https://a.org"
    # Nor does an invalid value for a locked setting matter: it is not what is in force.
    patch(admin, {"VillagepumpSettings": {"LoginFailuresPerAddress": 0}})
    assert admin.ok("GET", "/config")["VillagepumpSettings"]["LoginFailuresPerAddress"] == 100000


def test_sockets_hear_config_changed_with_the_client_config(
    admin: API, world: World, config: dict[str, Any]
) -> None:
    stream = world.hamlet.websocket()
    try:
        patch(
            admin,
            {"TeamSettings": {"SiteName": "Ophelia's"}, "SupportSettings": {"HelpLink": "https://h.org"}},
        )
        event = stream.expect("config_changed")
        assert event["data"]["config"]["SiteName"] == "Ophelia's"
        assert event["data"]["config"]["HelpLink"] == "https://h.org"
        assert event["broadcast"]["user_id"] == "" and event["broadcast"]["channel_id"] == ""
        # A change that changes nothing is not announced.
        patch(admin, {"TeamSettings": {"SiteName": "Ophelia's"}})
        stream.expect_none("config_changed")
    finally:
        stream.close()


def test_reload_answers_ok_and_keeps_the_stored_settings(
    admin: API, world: World, config: dict[str, Any]
) -> None:
    patch(admin, {"TeamSettings": {"SiteName": "Reloaded"}})
    response = admin.post("/config/reload")
    assert response.status_code == 200 and response.json() == {"status": "OK"}
    assert admin.ok("GET", "/config")["TeamSettings"]["SiteName"] == "Reloaded"


def test_client_config_needs_the_old_format(anonymous: API) -> None:
    expect_error(anonymous.get("/config/client"), 501, "api.config.client.old_format.app_error")
    expect_error(anonymous.get("/config/client?format=new"), 400, "api.context.invalid_param.app_error")


# -- two server processes on one PostgreSQL database and one Redis, with a settings file --------


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess, Path]]:
    settings_file = tmp_path_factory.mktemp("config") / "villagepump.toml"
    settings_file.write_text('feedback_name = "Pump Admins"\n')
    with running_servers("postgresql", 2, redis=True, env={"VILLAGEPUMP_CONFIG": str(settings_file)}) as (
        a,
        b,
    ):
        yield a, b, settings_file


def eventually(check: Callable[[], bool], what: str, within: float = 10) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_change_on_one_process_reaches_the_other_and_its_sockets(
    pair: tuple[ServerProcess, ServerProcess, Path],
) -> None:
    a, b, _ = pair
    admin_on_a = login(a.url, "sysadmin", ADMIN_PASSWORD)
    listener_on_b = API(b.url, *_session_of(create_user(admin_on_a, "horatio"))).websocket()
    anonymous_on_b = API(b.url)
    try:
        patch(admin_on_a, {"TeamSettings": {"SiteName": "Kronborg"}})
        event = listener_on_b.expect("config_changed", timeout=10)
        assert event["data"]["config"]["SiteName"] == "Kronborg"
        # B had the new settings before it told its clients.
        assert anonymous_on_b.ok("GET", "/config/client?format=old")["SiteName"] == "Kronborg"
        patch(admin_on_a, {"TeamSettings": {"SiteName": "Helsingør"}})
        eventually(
            lambda: anonymous_on_b.ok("GET", "/config/client?format=old")["SiteName"] == "Helsingør",
            "process B never saw the change made on A",
        )
    finally:
        listener_on_b.close()


def test_changes_made_at_once_on_both_processes_all_land(
    pair: tuple[ServerProcess, ServerProcess, Path],
) -> None:
    a, b, _ = pair
    admin_on_a = login(a.url, "sysadmin", ADMIN_PASSWORD)
    admin_on_b = API(b.url, admin_on_a.token, admin_on_a.user)
    links = {
        "TermsOfServiceLink": "https://example.org/terms",
        "PrivacyPolicyLink": "https://example.org/privacy",
        "AboutLink": "https://example.org/about",
        "HelpLink": "https://example.org/help",
        "ReportAProblemLink": "https://example.org/problem",
        "SupportEmail": "help@example.org",
    }
    admins = [admin_on_a, admin_on_b] * 3
    with ThreadPoolExecutor(len(links)) as pool:
        statuses = list(
            pool.map(
                lambda call: (
                    call[0].put("/config/patch", {"SupportSettings": {call[1]: call[2]}}).status_code
                ),
                [(admin, key, value) for admin, (key, value) in zip(admins, links.items(), strict=True)],
            )
        )
    assert statuses == [200] * len(links)
    for admin in (admin_on_a, admin_on_b):
        eventually(
            lambda admin=admin: (
                {key: admin.ok("GET", "/config")["SupportSettings"][key] for key in links} == links
            ),
            "a process lost one of the changes made at once",
        )


def _session_of(api: API) -> tuple[str, dict[str, Any]]:
    return api.token, api.user


def test_the_site_url_cannot_be_cleared_once_set(pair: tuple[ServerProcess, ServerProcess, Path]) -> None:
    a, _, _ = pair
    admin = login(a.url, "sysadmin", ADMIN_PASSWORD)
    patch(admin, {"ServiceSettings": {"SiteURL": a.url}})
    clear = "api.config.update_config.clear_siteurl.app_error"
    expect_error(admin.put("/config/patch", {"ServiceSettings": {"SiteURL": ""}}), 400, clear)
    # A PUT that leaves it out would reset it to its empty default: refused too.
    expect_error(admin.put("/config", {"TeamSettings": {"SiteName": "Elsinore"}}), 400, clear)
    assert admin.ok("GET", "/config")["ServiceSettings"]["SiteURL"] == a.url


def test_the_settings_file_locks_its_settings_and_reload_reads_it_again(
    pair: tuple[ServerProcess, ServerProcess, Path],
) -> None:
    a, b, settings_file = pair
    admin_on_a = login(a.url, "sysadmin", ADMIN_PASSWORD)
    admin_on_b = API(b.url, admin_on_a.token, admin_on_a.user)
    assert admin_on_a.ok("GET", "/config/environment")["EmailSettings"] == {"FeedbackName": True}
    changed = patch(
        admin_on_a, {"EmailSettings": {"FeedbackName": "Claudius", "FeedbackEmail": "c@example.org"}}
    )
    assert changed["EmailSettings"]["FeedbackName"] == "Pump Admins"
    assert changed["EmailSettings"]["FeedbackEmail"] == "c@example.org"

    settings_file.write_text('feedback_email = "court@example.org"\n')
    admin_on_a.ok("POST", "/config/reload")
    # The file no longer sets FeedbackName: the database's value, never stored, is the default;
    # FeedbackEmail is now the file's. Both processes read the file again.
    for admin in (admin_on_a, admin_on_b):
        eventually(
            lambda admin=admin: (
                admin.ok("GET", "/config")["EmailSettings"]["FeedbackEmail"] == "court@example.org"
            ),
            "the file was not read again",
        )
        email = admin.ok("GET", "/config")["EmailSettings"]
        assert email["FeedbackName"] == ""
        assert admin.ok("GET", "/config/environment")["EmailSettings"] == {"FeedbackEmail": True}


def test_a_settings_file_that_cannot_be_read_is_refused_on_reload(
    pair: tuple[ServerProcess, ServerProcess, Path],
) -> None:
    a, _, settings_file = pair
    admin = login(a.url, "sysadmin", ADMIN_PASSWORD)
    before = admin.ok("GET", "/config")
    good = settings_file.read_text()
    for broken in ("feedback_email = ", "max_post_size = 'many'\n"):
        settings_file.write_text(broken)
        try:
            expect_error(admin.post("/config/reload"), 400, "api.config.reload_config.app_error")
        finally:
            settings_file.write_text(good)
        assert admin.ok("GET", "/config") == before


SECTIONS: dict[str, list[str]] = {}
for _path in PATHS:
    SECTIONS.setdefault(_path.split(".")[0], []).append(_path.split(".")[1])


@st.composite
def config_bodies(draw: st.DrawFn) -> Any:
    section_names = st.one_of(st.sampled_from(sorted(SECTIONS)), st.text(max_size=12))
    sections = draw(st.lists(section_names, max_size=4, unique=True))
    body: dict[str, Any] = {}
    for section in sections:
        keys = st.one_of(st.sampled_from(SECTIONS.get(section) or ["Enable"]), st.text(max_size=12))
        values = st.one_of(json_leaves, st.just(FAKE_SETTING), st.lists(json_leaves, max_size=2))
        body[section] = draw(st.one_of(st.dictionaries(keys, values, max_size=4), json_leaves))
    return draw(st.one_of(st.just(body), json_leaves))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=config_bodies(), whole=st.booleans())
def test_any_configuration_body_gets_a_clear_answer(
    pair: tuple[ServerProcess, ServerProcess, Path], body: Any, whole: bool
) -> None:
    a, _, _ = pair
    admin = login_once(a.url)
    response = admin.put("/config" if whole else "/config/patch", body)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        expect_error(response, 400, response.json()["id"])
    # Whatever happened, the server still serves its configuration and its clients.
    admin.ok("GET", "/config")
    admin.ok("GET", "/config/client?format=old")


_ADMINS: dict[str, API] = {}


def login_once(url: str) -> API:
    if url not in _ADMINS:
        _ADMINS[url] = login(url, "sysadmin", ADMIN_PASSWORD)
    return _ADMINS[url]
