"""The audit log: an entry for each security- and moderation-relevant action, written with it;
read and filtered by system admins only; exported by the command line."""

import csv
import io
import json
import time
from typing import Any

import pyotp

from tests.api.test_terms_of_service import publish
from tests.support.client import API, PASSWORD, World, expect_error, login
from tests.support.server import ServerProcess


def audits(admin: API, **filters: Any) -> list[dict[str, Any]]:
    query = "&".join(f"{key}={value}" for key, value in {"per_page": 1000, **filters}.items())
    found: list[dict[str, Any]] = admin.ok("GET", f"/audits?{query}")
    return found


def actions_on(entries: list[dict[str, Any]], target_id: str) -> list[str]:
    """The actions done to `target_id`, oldest first."""
    return [entry["action"] for entry in reversed(entries) if entry["target_id"] == target_id]


def test_each_security_action_leaves_an_entry_shaped_like_mattermosts(
    world: World, server: ServerProcess
) -> None:
    since = int(time.time() * 1000) - 1
    admin, hamlet, othello = world.admin, world.hamlet, world.othello
    # Logins, failed and not.
    expect_error(
        API(server.url).post("/users/login", {"login_id": hamlet.username, "password": "wrong"}),
        401,
        "api.user.login.invalid_credentials_email_username",
    )
    login(server.url, hamlet.username)
    # Two-factor authentication on, then an admin's reset.
    secret = hamlet.ok("POST", f"/users/{hamlet.id}/mfa/generate")["secret"]
    hamlet.ok("PUT", f"/users/{hamlet.id}/mfa", {"activate": True, "code": pyotp.TOTP(secret).now()})
    admin.ok("PUT", f"/users/{hamlet.id}/mfa", {"activate": False})
    # Roles, deactivation, passwords, sessions and tokens.
    admin.ok("PUT", f"/users/{othello.id}/roles", {"roles": "system_user system_admin"})
    admin.ok("PUT", f"/users/{othello.id}/roles", {"roles": "system_user"})
    admin.ok("PUT", f"/users/{othello.id}/active", {"active": False})
    admin.ok("PUT", f"/users/{othello.id}/active", {"active": True})
    new_password = PASSWORD + "-new"
    hamlet.ok(
        "PUT", f"/users/{hamlet.id}/password", {"current_password": PASSWORD, "new_password": new_password}
    )
    admin.ok("PUT", f"/users/{hamlet.id}/password", {"new_password": PASSWORD})
    # The admin's reset ended every session of hamlet's.
    hamlet, phone = login(server.url, hamlet.username), login(server.url, hamlet.username)
    hamlet.ok("POST", f"/users/{hamlet.id}/sessions/revoke", {"session_id": _session_of(phone)})
    token = hamlet.ok("POST", f"/users/{hamlet.id}/tokens", {"description": "bot"})
    hamlet.ok("POST", "/users/tokens/disable", {"token_id": token["id"]})
    hamlet.ok("POST", "/users/tokens/revoke", {"token_id": token["id"]})
    admin.ok("POST", f"/users/{othello.id}/sessions/revoke/all")
    # Settings and the terms.
    admin.ok("PUT", "/config/patch", {"TeamSettings": {"SiteName": "Elsinore"}})
    admin.ok("PUT", "/config/patch", {"TeamSettings": {"SiteName": "Villagepump"}})
    terms = publish(admin, "Be kind.")

    entries = audits(admin, since=since)
    assert actions_on(entries, hamlet.id) == [
        "login_failed",
        "login",
        "mfa_activated",
        "mfa_deactivated",
        "password_changed",
        "password_changed",
        "login",
        "login",
        "session_revoked",
        "access_token_created",
        "access_token_disabled",
        "access_token_revoked",
    ]
    assert actions_on(entries, othello.id) == [
        "roles_changed",
        "roles_changed",
        "user_deactivated",
        "user_activated",
        "all_sessions_revoked",
    ]
    assert actions_on(entries, terms["id"]) == ["terms_of_service_created", "terms_of_service_accepted"]
    by_action = {entry["action"]: entry for entry in entries}
    # Mattermost's Audit fields; extra_info a string (ours holds JSON).
    promotion = next(e for e in reversed(entries) if e["action"] == "roles_changed")
    assert set(promotion) >= {
        "id",
        "create_at",
        "user_id",
        "action",
        "extra_info",
        "ip_address",
        "session_id",
    }
    assert promotion["user_id"] == admin.id and promotion["session_id"]
    assert json.loads(promotion["extra_info"]) == {
        "old": "system_user",
        "new": "system_user system_admin",
        "target_id": othello.id,
    }
    # Who failed to log in is the account, not the text typed; the address is cut to its /24.
    failed = by_action["login_failed"]
    assert failed["user_id"] == hamlet.id and json.loads(failed["extra_info"])["reason"] == "bad_password"
    assert failed["ip_address"] == "127.0.0.0"
    # Which settings changed, never their values (some are secrets).
    changed = [e for e in entries if e["action"] == "config_changed"]
    assert [json.loads(e["extra_info"]) for e in changed] == [{"settings": ["TeamSettings.SiteName"]}] * 2
    assert all(e["user_id"] == admin.id for e in changed)


def _session_of(api: API) -> str:
    sessions = api.ok("GET", "/users/me/sessions")
    return next(s["id"] for s in sessions if s["props"].get("is_current") == "true")


def test_filters_by_user_action_and_time(world: World, server: ServerProcess) -> None:
    since = int(time.time() * 1000) - 1
    for _ in range(2):
        API(server.url).post("/users/login", {"login_id": world.iago.username, "password": "nope"})
    login(server.url, world.cordelia.username)
    until = int(time.time() * 1000) + 1
    admin = world.admin
    mine = audits(admin, user_id=world.iago.id, since=since)
    assert [e["action"] for e in mine] == ["login_failed", "login_failed"]
    assert mine[0]["create_at"] >= mine[1]["create_at"]  # newest first
    logins = audits(admin, action="login", since=since, until=until)
    assert [e["user_id"] for e in logins] == [world.cordelia.id]
    assert audits(admin, action="login", since=until + 60_000) == []
    assert len(admin.ok("GET", f"/audits?user_id={world.iago.id}&since={since}&per_page=1")) == 1
    expect_error(admin.get("/audits?since=yesterday"), 400, "api.context.invalid_param.app_error")
    expect_error(admin.get("/audits?user_id=not-an-id"), 400, "api.context.invalid_param.app_error")


def test_only_admins_read_the_log_and_nobody_rewrites_it(world: World) -> None:
    hamlet = world.hamlet
    expect_error(hamlet.get("/audits"), 403, "api.context.permissions.app_error")
    expect_error(world.iago.get("/audits"), 403, "api.context.permissions.app_error")
    expect_error(hamlet.get(f"/users/{world.othello.id}/audits"), 403, "api.context.permissions.app_error")
    # Your own entries are yours to see.
    hamlet.ok(
        "PUT", f"/users/{hamlet.id}/password", {"current_password": PASSWORD, "new_password": PASSWORD + "x"}
    )
    own = hamlet.ok("GET", "/users/me/audits")
    assert own and {e["user_id"] for e in own} == {hamlet.id}
    assert world.admin.ok("GET", f"/users/{hamlet.id}/audits")[0]["action"] == "password_changed"
    entry_id = own[0]["id"]
    for method in ("PUT", "DELETE", "PATCH"):
        assert world.admin.request(method, "/audits").status_code in (404, 405)
        assert world.admin.request(method, f"/audits/{entry_id}").status_code in (404, 405)


def test_the_command_line_lists_and_exports_as_csv_and_json_lines(
    world: World, server: ServerProcess
) -> None:
    since = int(time.time() * 1000) - 1
    API(server.url).post("/users/login", {"login_id": world.othello.username, "password": "nope"})
    world.admin.ok("PUT", f"/users/{world.othello.id}/active", {"active": False})
    listed = server.cli("audit", "list", "--since", str(since), "--limit", "5")
    assert listed.returncode == 0, listed.stderr
    assert "user_deactivated" in listed.stdout and "login_failed" in listed.stdout
    exported = server.cli(
        "audit", "export", "--format", "csv", "--user", world.othello.username, "--since", str(since)
    )
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["action"] for row in rows] == ["login_failed"]
    assert (
        rows[0]["ip_address"] == "127.0.0.0" and json.loads(rows[0]["extra_info"])["reason"] == "bad_password"
    )
    jsonl = server.cli(
        "audit", "export", "--format", "jsonl", "--action", "user_deactivated", "--since", str(since)
    )
    assert jsonl.returncode == 0, jsonl.stderr
    lines = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [(e["action"], e["target_id"]) for e in lines] == [("user_deactivated", world.othello.id)]
    # Taking a copy of the log is itself in the log (from the shell: no actor, no address).
    exports = audits(world.admin, action="audit_exported", since=since)
    assert [json.loads(e["extra_info"])["format"] for e in exports] == ["jsonl", "csv"]
    assert {e["user_id"] for e in exports} == {""} and {e["ip_address"] for e in exports} == {""}
    bad = server.cli("audit", "export", "--format", "xml")
    assert bad.returncode != 0
    unknown = server.cli("audit", "list", "--user", "nobody-by-this-name")
    assert unknown.returncode == 1 and "No user named" in unknown.stderr


def test_admins_export_the_log_through_the_api(world: World) -> None:
    since = int(time.time() * 1000) - 1
    world.admin.ok("PUT", f"/users/{world.othello.id}/active", {"active": False})
    response = world.admin.get(f"/audits/export?format=csv&user_id={world.admin.id}&since={since}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="audit.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    # Newest first: the export itself (recorded before the copy is taken), then the deactivation.
    assert [row["action"] for row in rows] == ["audit_exported", "user_deactivated"]
    assert rows[1]["target_id"] == world.othello.id
    jsonl = world.admin.get(f"/audits/export?format=jsonl&action=user_deactivated&since={since}")
    assert jsonl.status_code == 200 and jsonl.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [(e["action"], e["target_id"]) for e in lines] == [("user_deactivated", world.othello.id)]
    exports = audits(world.admin, action="audit_exported", user_id=world.admin.id, since=since)
    assert [json.loads(e["extra_info"])["format"] for e in exports] == ["jsonl", "csv"]
    expect_error(world.admin.get("/audits/export?format=xml"), 400, "api.context.invalid_param.app_error")
    expect_error(world.hamlet.get("/audits/export"), 403, "api.context.permissions.app_error")
    expect_error(world.iago.get("/audits/export?format=jsonl"), 403, "api.context.permissions.app_error")
