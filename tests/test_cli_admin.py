"""Administration from the shell (`villagepump user|team|channel|role|config`): the real command
against the real database of a running server, its effects checked through the API, and bad
input refused with Mattermost's error id and a non-zero exit, changing nothing."""

import json
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable

import pytest
from websockets.exceptions import ConnectionClosed

from tests.support.client import API, PASSWORD, EventStream, World, create_user, login, unique
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers


def cli(server: ServerProcess, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "villagepump", *args],
        env=server.env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def ok(server: ServerProcess, *args: str, stdin: str = "") -> str:
    done = cli(server, *args, stdin=stdin)
    assert done.returncode == 0, f"{args}: {done.stderr}"
    return done.stdout


def refused(server: ServerProcess, error_id: str, *args: str) -> str:
    """Runs a command that must fail with this Mattermost error id; returns its message."""
    done = cli(server, *args)
    assert done.returncode == 1, f"{args} should have failed: {done.stdout}"
    assert done.stderr.startswith("error: ") and done.stderr.rstrip().endswith(f"[{error_id}]"), done.stderr
    return done.stderr


def eventually(check: Callable[[], bool], seconds: float = 15) -> None:
    """A running server hears of a change made from another process within seconds: session
    caches live 5 s, stored settings are read again every 3 s without Redis."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the running server did not see the change"
        time.sleep(0.25)


def signed_out(api: API) -> bool:
    return api.get("/users/me").status_code == 401


# -- users ---------------------------------------------------------------------------------------


def test_users_are_listed_by_team_and_role_and_shown_by_name_address_or_id(
    world: World, server: ServerProcess
) -> None:
    team = world.team["name"]
    listed = json.loads(ok(server, "user", "list", "--team", team, "--json"))
    # sysadmin made the team, so is in it.
    assert {u["username"] for u in listed} == {
        "sysadmin",
        world.hamlet.username,
        world.othello.username,
        world.iago.username,
    }
    table = ok(server, "user", "list", "--team", world.team["id"])
    assert table.splitlines()[0].split() == ["USERNAME", "ID", "EMAIL", "ROLES", "STATE"]
    rows = [line.split() for line in table.splitlines()]
    assert [
        world.hamlet.username,
        world.hamlet.id,
        world.hamlet.user["email"],
        "system_user",
        "active",
    ] in rows
    assert world.cordelia.username not in table
    admins = json.loads(ok(server, "user", "list", "--role", "admin", "--json"))
    assert "sysadmin" in {u["username"] for u in admins}
    assert world.hamlet.username not in {u["username"] for u in admins}
    for given in (world.hamlet.username, world.hamlet.user["email"], world.hamlet.id):
        shown = json.loads(ok(server, "user", "show", given, "--json"))
        assert shown["id"] == world.hamlet.id and shown["teams"] == [team]
    assert "state:           active" in ok(server, "user", "show", world.hamlet.username)
    refused(server, "app.user.missing_account.const", "user", "show", "nobody-by-this-name")
    refused(server, "app.team.get_by_name.missing.app_error", "user", "list", "--team", "no-such-team")


def test_a_deactivated_user_is_signed_out_of_the_running_server_until_reactivated(
    world: World, server: ServerProcess
) -> None:
    hamlet = world.hamlet
    since = int(time.time() * 1000) - 1000
    assert "is deactivated" in ok(server, "user", "deactivate", hamlet.username)
    eventually(lambda: signed_out(hamlet))
    assert world.admin.ok("GET", f"/users/{hamlet.id}")["delete_at"] > 0
    assert hamlet.username in ok(server, "user", "list", "--inactive")
    entry = world.admin.ok("GET", f"/audits?action=user_deactivated&since={since}")[0]
    assert entry["target_id"] == hamlet.id and entry["user_id"] == ""
    assert (
        API(server.url).post("/users/login", {"login_id": hamlet.username, "password": PASSWORD}).status_code
        == 401
    )
    ok(server, "user", "activate", hamlet.id)
    assert world.admin.ok("GET", f"/users/{hamlet.id}")["delete_at"] == 0
    login(server.url, hamlet.username)


def test_roles_are_given_and_taken_and_a_bad_role_changes_nothing(
    world: World, server: ServerProcess
) -> None:
    othello = world.othello
    assert "is now moderator" in ok(server, "user", "role", othello.username, "moderator")
    assert world.admin.ok("GET", f"/users/{othello.id}")["roles"].split() == [
        "system_user",
        "system_moderator",
    ]
    moderators = json.loads(ok(server, "user", "list", "--role", "moderator", "--json"))
    assert othello.id in {u["id"] for u in moderators}
    done = cli(server, "user", "role", othello.username, "emperor")
    assert done.returncode == 2 and "invalid choice" in done.stderr
    assert world.admin.ok("GET", f"/users/{othello.id}")["roles"] == "system_user system_moderator"
    ok(server, "user", "role", othello.username, "member")
    assert world.admin.ok("GET", f"/users/{othello.id}")["roles"] == "system_user"


def test_a_password_set_from_standard_input_ends_every_session(world: World, server: ServerProcess) -> None:
    hamlet = world.hamlet
    ok(server, "user", "set-password", hamlet.username, stdin="a-brand-new-password\n")
    eventually(lambda: signed_out(hamlet))
    login(server.url, hamlet.username, "a-brand-new-password")
    # Too short (an empty line, too): refused with the API's error, in its envelope with --json.
    short = cli(server, "user", "set-password", hamlet.username, "--json", stdin="short\n")
    assert (
        short.returncode == 1 and json.loads(short.stderr)["id"] == "model.user.is_valid.pwd_length.app_error"
    )
    login(server.url, hamlet.username, "a-brand-new-password")


def test_a_reset_link_is_printed_only_when_asked_and_works_once(world: World, server: ServerProcess) -> None:
    cordelia = world.cordelia
    # The test server has no SMTP server: nothing to send the mail through, and it says so.
    message = refused(
        server, "api.user.send_password_reset.send.app_error", "user", "password-reset", cordelia.username
    )
    assert "--print-link" in message
    printed = json.loads(ok(server, "user", "password-reset", cordelia.username, "--print-link", "--json"))
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(printed["link"]).query)["token"][0]
    anonymous = API(server.url)
    anonymous.ok("POST", "/users/password/reset", {"token": token, "new_password": "reset-from-the-shell"})
    login(server.url, cordelia.username, "reset-from-the-shell")
    again = anonymous.post("/users/password/reset", {"token": token, "new_password": "a-second-try-here"})
    assert again.status_code == 400


def test_revoking_sessions_signs_the_user_out_of_the_running_server(
    world: World, server: ServerProcess
) -> None:
    othello = world.othello
    second = login(server.url, othello.username)
    ok(server, "user", "revoke-sessions", othello.username)
    eventually(lambda: signed_out(othello) and signed_out(second))
    assert world.admin.ok("GET", f"/users/{othello.id}/sessions") == []


def closed(stream: EventStream) -> bool:
    """Reads the stream until the server closes it (True), or a quiet spell of 5 s (False)."""
    try:
        while True:
            stream.next(timeout=5)
    except ConnectionClosed:
        return True
    except TimeoutError:
        return False


def test_without_redis_the_shell_closes_the_sockets_of_a_user_it_deactivates_or_signs_out(
    world: World, server: ServerProcess
) -> None:
    """A lone server (no Redis) hears the shell's events through the outbox: the user's sockets
    close within the jobs poll, and REST refuses them at once rather than after the 5 s session
    cache. Others' sockets stay open."""
    hamlet, iago = world.hamlet, world.iago
    on_phone = login(server.url, hamlet.username)
    streams = [hamlet.websocket(), on_phone.websocket()]
    bystander = iago.websocket()
    ok(server, "user", "deactivate", hamlet.username)
    assert all(closed(stream) for stream in streams)
    assert signed_out(hamlet) and signed_out(on_phone)
    # Everyone else hears of it as of a deactivation made through the API.
    while (heard := bystander.expect("user_updated"))["data"]["user"]["id"] != hamlet.id:
        pass
    assert heard["data"]["user"]["delete_at"] > 0
    ok(server, "user", "activate", hamlet.username)
    hamlet_again = login(server.url, hamlet.username)
    stream = hamlet_again.websocket()
    ok(server, "user", "revoke-sessions", hamlet.username)
    assert closed(stream) and signed_out(hamlet_again)
    assert not closed(bystander)
    # A delivered item is deleted: the outbox keeps no copy of the events.
    eventually(lambda: "relayed_events" not in ok(server, "jobs", "list"))


# -- teams ---------------------------------------------------------------------------------------


def test_a_team_is_made_filled_renamed_archived_and_restored(world: World, server: ServerProcess) -> None:
    name = unique("elsinore-")
    made = json.loads(ok(server, "team", "create", name, "--display-name", "Elsinore", "--private", "--json"))
    team = world.admin.ok("GET", f"/teams/name/{name}")
    assert team["id"] == made["id"] and team["type"] == "I" and team["display_name"] == "Elsinore"
    # Made by the operator, the team starts empty.
    assert world.admin.ok("GET", f"/teams/{team['id']}/members") == []
    ok(server, "team", "add", name, world.hamlet.username, world.othello.user["email"])
    members = {m["user_id"] for m in world.admin.ok("GET", f"/teams/{team['id']}/members")}
    assert members == {world.hamlet.id, world.othello.id}
    assert name in [t["name"] for t in world.hamlet.ok("GET", "/users/me/teams")]
    # A name that is nobody's stops the whole command before anyone is removed.
    refused(
        server, "app.user.missing_account.const", "team", "remove", name, world.hamlet.username, "nobody-here"
    )
    refused(
        server,
        "app.team.get_member.missing.app_error",
        "team",
        "remove",
        name,
        world.hamlet.username,
        world.iago.username,
    )
    assert len(world.admin.ok("GET", f"/teams/{team['id']}/members")) == 2
    ok(server, "team", "remove", name, world.othello.username)
    assert {m["user_id"] for m in world.admin.ok("GET", f"/teams/{team['id']}/members")} == {world.hamlet.id}
    ok(server, "team", "rename", team["id"], "Castle Elsinore")
    assert world.admin.ok("GET", f"/teams/{team['id']}")["display_name"] == "Castle Elsinore"
    shown = json.loads(ok(server, "team", "show", name, "--json"))
    assert shown["member_count"] == 1 and shown["admins"] == [] and shown["channel_count"] == 2
    ok(server, "team", "archive", name)
    assert world.admin.ok("GET", f"/teams/{team['id']}")["delete_at"] > 0
    assert name not in ok(server, "team", "list") and name in ok(server, "team", "list", "--archived")
    ok(server, "team", "restore", name)
    assert world.admin.ok("GET", f"/teams/{team['id']}")["delete_at"] == 0


def test_a_team_made_as_a_user_is_theirs_and_members_act_with_their_own_rights(
    world: World, server: ServerProcess
) -> None:
    name = unique("wittenberg-")
    ok(server, "team", "create", name, "--display-name", "Wittenberg", "--as", world.hamlet.username)
    team = world.hamlet.ok("GET", f"/teams/name/{name}")
    member = world.hamlet.ok("GET", f"/teams/{team['id']}/members/{world.hamlet.id}")
    assert "team_admin" in member["roles"]
    # othello is no admin of hamlet's team: he may not archive it.
    ok(server, "team", "add", name, world.othello.username, "--as", world.hamlet.username)
    refused(
        server, "api.context.permissions.app_error", "team", "archive", name, "--as", world.othello.username
    )
    assert world.admin.ok("GET", f"/teams/{team['id']}")["delete_at"] == 0


def test_bad_team_input_changes_nothing(world: World, server: ServerProcess) -> None:
    refused(
        server, "model.team.is_valid.url.app_error", "team", "create", "Not A Name", "--display-name", "x"
    )
    refused(server, "app.team.get_by_name.missing.app_error", "team", "archive", "no-such-team")
    taken = cli(server, "team", "create", world.team["name"], "--display-name", "Again")
    assert taken.returncode == 1 and "error:" in taken.stderr
    assert world.admin.ok("GET", f"/teams/{world.team['id']}")["display_name"] == "Denmark"


# -- channels ------------------------------------------------------------------------------------


def test_a_private_channel_is_made_filled_converted_and_archived_by_a_named_member(
    world: World, server: ServerProcess
) -> None:
    team, hamlet = world.team["name"], world.hamlet.username
    name = unique("plans-")
    made = json.loads(ok(server, "channel", "create", team, name, "--private", "--as", hamlet, "--json"))
    assert made["type"] == "P" and world.hamlet.ok("GET", f"/channels/{made['id']}")["name"] == name
    where = f"{team}:{name}"
    ok(server, "channel", "add", where, world.othello.username, "--as", hamlet)
    assert world.othello.ok("GET", f"/channels/{made['id']}")["id"] == made["id"]
    posts = world.othello.ok("GET", f"/channels/{made['id']}/posts")["posts"].values()
    assert any(p["type"] == "system_add_to_channel" for p in posts)
    # cordelia is not in the team; iago (its admin) is not in the private channel: neither
    # can be added, or add, and nothing changes.
    refused(
        server,
        "api.channel.add_members.user_denied",
        "channel",
        "add",
        where,
        world.cordelia.username,
        "--as",
        hamlet,
    )
    refused(
        server,
        "api.context.permissions.app_error",
        "channel",
        "add",
        where,
        world.iago.username,
        "--as",
        world.iago.username,
    )
    assert world.iago.get(f"/channels/{made['id']}").status_code == 403
    ok(
        server,
        "channel",
        "rename",
        made["id"],
        unique("schemes-"),
        "--display-name",
        "Schemes",
        "--as",
        hamlet,
    )
    renamed = world.hamlet.ok("GET", f"/channels/{made['id']}")
    assert renamed["display_name"] == "Schemes" and renamed["name"].startswith("schemes-")
    where = f"{team}:{renamed['name']}"
    ok(server, "channel", "make-public", where, "--as", hamlet)
    assert world.iago.ok("GET", f"/channels/{made['id']}")["type"] == "O"
    ok(server, "channel", "remove", where, world.othello.username, "--as", hamlet)
    assert world.othello.get(f"/channels/{made['id']}/members/{world.othello.id}").status_code == 404
    ok(server, "channel", "archive", where, "--as", hamlet)
    assert world.hamlet.ok("GET", f"/channels/{made['id']}")["delete_at"] > 0
    listed = json.loads(ok(server, "channel", "list", team, "--archived", "--json"))
    assert made["id"] in {c["id"] for c in listed}
    assert made["id"] not in {c["id"] for c in json.loads(ok(server, "channel", "list", team, "--json"))}
    # Restoring is for team admins, as in Mattermost: not hamlet, but iago.
    refused(server, "api.context.permissions.app_error", "channel", "restore", made["id"], "--as", hamlet)
    ok(server, "channel", "restore", made["id"], "--as", world.iago.username)
    shown = json.loads(ok(server, "channel", "show", where, "--json"))
    assert shown["delete_at"] == 0 and shown["member_count"] == 1 and shown["team_name"] == team


def test_bad_channel_input_changes_nothing(world: World, server: ServerProcess) -> None:
    team, iago = world.team["name"], world.iago.username
    refused(
        server,
        "api.channel.delete_channel.cannot.app_error",
        "channel",
        "archive",
        f"{team}:town-square",
        "--as",
        iago,
    )
    refused(
        server,
        "app.channel.get_by_name.missing.app_error",
        "channel",
        "archive",
        f"{team}:nowhere",
        "--as",
        iago,
    )
    refused(
        server, "model.channel.is_valid.name.app_error", "channel", "create", team, "Bad Name!", "--as", iago
    )
    refused(
        server,
        "api.context.permissions.app_error",
        "channel",
        "create",
        team,
        "side-room",
        "--as",
        world.cordelia.username,
    )
    no_actor = cli(server, "channel", "archive", f"{team}:off-topic")
    assert no_actor.returncode == 2 and "--as" in no_actor.stderr
    assert world.hamlet.ok("GET", f"/channels/{world.off_topic['id']}")["delete_at"] == 0
    names = {c["name"] for c in json.loads(ok(server, "channel", "list", team, "--json"))}
    assert names == {"town-square", "off-topic"}


# -- roles and settings --------------------------------------------------------------------------


def test_the_built_in_roles_are_listed_as_the_api_gives_them(world: World, server: ServerProcess) -> None:
    roles = {r["name"]: r for r in json.loads(ok(server, "role", "list", "--json"))}
    api_roles = world.admin.ok("POST", "/roles/names", list(roles))
    assert {r["name"]: sorted(r["permissions"]) for r in api_roles} == {
        name: sorted(r["permissions"]) for name, r in roles.items()
    }
    shown = ok(server, "role", "show", "system_moderator")
    assert "manage_reports" in shown and "manage_system" not in shown
    refused(server, "app.role.get_by_name.app_error", "role", "show", "emperor")


def test_a_setting_changed_from_the_shell_reaches_the_running_server(
    world: World, server: ServerProcess
) -> None:
    name = unique("Village Pump ")
    since = int(time.time() * 1000) - 1000
    try:
        assert (
            ok(server, "config", "set", "TeamSettings.SiteName", name).strip()
            == f"TeamSettings.SiteName = {name}"
        )
        eventually(lambda: world.admin.ok("GET", "/config")["TeamSettings"]["SiteName"] == name)
        assert API(server.url).ok("GET", "/config/client?format=old")["SiteName"] == name
        assert ok(server, "config", "get", "SiteName").strip() == name
        entry = world.admin.ok("GET", f"/audits?action=config_changed&since={since}")[0]
        assert "TeamSettings.SiteName" in entry["extra_info"] and entry["user_id"] == ""
        # The API's validation, with its error ids; nothing changes.
        refused(
            server,
            "model.config.is_valid.max_users.app_error",
            "config",
            "set",
            "TeamSettings.MaxUsersPerTeam",
            "0",
        )
        refused(
            server,
            "api.context.invalid_body_param.app_error",
            "config",
            "set",
            "TeamSettings.EnableOpenServer",
            "maybe",
        )
        refused(
            server,
            "api.config.get.unknown_setting.app_error",
            "config",
            "set",
            "TeamSettings.NoSuchThing",
            "1",
        )
        # Set by the environment (tests/support/server.py): the environment wins, so it is refused.
        refused(
            server,
            "api.config.update_config.locked.app_error",
            "config",
            "set",
            "ServiceSettings.EnableLinkPreviews",
            "true",
        )
        config = world.admin.ok("GET", "/config")
        assert (
            config["TeamSettings"]["MaxUsersPerTeam"] == 50
            and config["TeamSettings"]["EnableOpenServer"] is False
        )
        rows = [line.split(None, 2) for line in ok(server, "config", "show", "TeamSettings").splitlines()]
        assert ["TeamSettings.SiteName", "database", name] in rows
        assert ["TeamSettings.MaxUsersPerTeam", "default", "50"] in rows
    finally:
        ok(server, "config", "reset", "TeamSettings.SiteName")
    eventually(lambda: world.admin.ok("GET", "/config")["TeamSettings"]["SiteName"] == "Villagepump")


def test_secrets_are_masked_and_read_from_standard_input(world: World, server: ServerProcess) -> None:
    try:
        ok(server, "config", "set", "EmailSettings.SMTPPassword", "-", stdin="hunter2-secret\n")
        shown = ok(server, "config", "show", "EmailSettings", "--json")
        assert "hunter2" not in shown
        assert json.loads(shown)["EmailSettings"]["SMTPPassword"] == "********************************"
        assert "hunter2" not in ok(server, "config", "get", "EmailSettings.SMTPPassword")
    finally:
        ok(server, "config", "reset", "EmailSettings.SMTPPassword")
    assert json.loads(ok(server, "config", "get", "EmailSettings.SMTPPassword", "--json")) == ""


# -- with Redis, the change reaches every running server at once ---------------------------------


def test_deactivating_from_the_shell_closes_the_users_sockets_on_every_server() -> None:
    with running_servers("postgresql", 2, redis=True) as (first, second):
        admin = login(first.url, "sysadmin", ADMIN_PASSWORD)
        hamlet = create_user(admin, "hamlet")
        on_second = login(second.url, hamlet.username)
        streams = [hamlet.websocket(), on_second.websocket()]
        ok(first, "user", "deactivate", hamlet.username)
        for stream in streams:
            with pytest.raises(ConnectionClosed):
                for _ in range(20):
                    stream.next(timeout=5)
        # Without the 5 s session cache's delay: the event told both servers.
        assert signed_out(hamlet) and signed_out(on_second)
        ok(first, "config", "set", "TeamSettings.SiteName", "Heard everywhere")
        eventually(
            lambda: API(second.url).ok("GET", "/config/client?format=old")["SiteName"] == "Heard everywhere",
            5,
        )
