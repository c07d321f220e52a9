"""The terms of service (code of conduct): publishing, accepting, enforcement over REST and the
WebSocket, re-acceptance of a new version, and the errors."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.realtime.sockets import open_socket, receive, receive_all, send_action
from tests.support.client import API, World, create_user, expect_error
from tests.support.server import ServerProcess

TERMS_REQUIRED = "api.context.terms_of_service_required.app_error"


def publish(admin: API, text: str) -> dict[str, Any]:
    """A new version; the admin accepts it at once, so the shared admin session keeps working."""
    terms: dict[str, Any] = admin.ok("POST", "/terms_of_service", {"text": text})
    accept(admin, terms["id"])
    return terms


def accept(api: API, terms_id: str, accepted: Any = True) -> None:
    # As Client4 and the mobile app send it.
    api.ok("POST", f"/users/{api.id}/terms_of_service", {"termsOfServiceId": terms_id, "accepted": accepted})


@contextmanager
def terms_enforced(admin: API, **support: Any) -> Iterator[None]:
    settings = {"CustomTermsOfServiceEnabled": True, **support}
    admin.ok("PUT", "/config/patch", {"SupportSettings": settings})
    try:
        yield
    finally:
        admin.ok(
            "PUT",
            "/config/patch",
            {
                "SupportSettings": {
                    "CustomTermsOfServiceEnabled": False,
                    "CustomTermsOfServiceReAcceptancePeriod": 365,
                }
            },
        )


def test_hamlet_reads_and_posts_nothing_until_he_accepts(world: World, anonymous: API) -> None:
    terms = publish(world.admin, "# Be kind\n\nThe code of conduct applies, **including** to DMs.")
    hamlet, channel_id = world.hamlet, world.town_square["id"]
    with terms_enforced(world.admin):
        client = anonymous.ok("GET", "/config/client?format=old")
        assert client["EnableCustomTermsOfService"] == "true"
        assert client["CustomTermsOfServiceReAcceptancePeriod"] == "365"
        # What the mobile app compares with the user's terms_of_service_id, and the licence it
        # needs before it asks at all (app/queries/servers/terms_of_service.ts).
        assert client["CustomTermsOfServiceId"] == terms["id"]
        assert anonymous.ok("GET", "/license/client?format=old")["IsLicensed"] == "true"
        # Everything that reads or writes is refused, with one error id.
        expect_error(hamlet.get(f"/channels/{channel_id}/posts"), 403, TERMS_REQUIRED)
        expect_error(hamlet.get(f"/users/{world.othello.id}"), 403, TERMS_REQUIRED)
        expect_error(hamlet.get("/users/me/teams"), 403, TERMS_REQUIRED)
        expect_error(hamlet.post("/posts", {"channel_id": channel_id, "message": "hi"}), 403, TERMS_REQUIRED)
        # What the acceptance needs stays open: yourself, the terms, the licence and client config.
        me = hamlet.ok("GET", "/users/me")
        assert me["terms_of_service_id"] == "" and me["terms_of_service_create_at"] == 0
        fetched = hamlet.ok("GET", "/terms_of_service")
        assert fetched == {**terms, "text": "# Be kind\n\nThe code of conduct applies, **including** to DMs."}
        hamlet.ok("GET", "/license/client?format=old")
        expect_error(
            hamlet.get(f"/users/{hamlet.id}/terms_of_service"),
            404,
            "app.user_terms_of_service.get_by_user.no_rows.app_error",
        )
        # The WebSocket stays unauthenticated: no hello, and the challenge says why.
        ws = open_socket(hamlet)
        assert receive_all(ws, 0.3) == []
        send_action(ws, 1, "authentication_challenge", {"token": hamlet.token})
        reply = receive(ws)
        assert reply["status"] == "FAIL" and reply["error"]["id"] == TERMS_REQUIRED
        ws.close()

        accept(hamlet, terms["id"])
        assert hamlet.get(f"/channels/{channel_id}/posts").status_code == 200
        me = hamlet.ok("GET", "/users/me")
        assert me["terms_of_service_id"] == terms["id"] and me["terms_of_service_create_at"] > 0
        answer = hamlet.ok("GET", "/users/me/terms_of_service")
        assert answer["user_id"] == hamlet.id and answer["terms_of_service_id"] == terms["id"]
        ws = open_socket(hamlet)
        assert receive(ws)["event"] == "hello"
        ws.close()
        # Someone who has not accepted is not shown to have: othello still owes it.
        expect_error(world.othello.get("/users/me/teams"), 403, TERMS_REQUIRED)


def test_a_new_version_closes_sockets_and_must_be_accepted_again(world: World) -> None:
    first = publish(world.admin, "Version one.")
    hamlet = world.hamlet
    accept(hamlet, first["id"])
    with terms_enforced(world.admin):
        ws = open_socket(hamlet)
        assert receive(ws)["event"] == "hello"
        second = publish(world.admin, "Version two: no spam.")
        assert hamlet.ok("GET", "/config/client?format=old")["CustomTermsOfServiceId"] == second["id"]
        # The socket opened under the old terms closes; it cannot come back before acceptance.
        with pytest.raises(ConnectionClosed):
            for _ in range(20):
                receive(ws, timeout=5)
        expect_error(hamlet.get("/users/me/teams"), 403, TERMS_REQUIRED)
        assert hamlet.ok("GET", "/users/me")["terms_of_service_id"] == first["id"]
        # Only the version in force can be answered.
        expect_error(
            hamlet.post(
                f"/users/{hamlet.id}/terms_of_service", {"serviceTermsId": first["id"], "accepted": True}
            ),
            400,
            "api.terms_of_service.not_latest.app_error",
        )
        accept(hamlet, second["id"], accepted="true")
        hamlet.ok("GET", "/users/me/teams")
    # Not enforced: no version for clients to ask about.
    assert "CustomTermsOfServiceId" not in hamlet.ok("GET", "/config/client?format=old")


def test_declining_keeps_the_user_out_and_logout_still_works(world: World) -> None:
    terms = publish(world.admin, "Be excellent to each other.")
    othello = world.othello
    accept(othello, terms["id"])
    with terms_enforced(world.admin):
        othello.ok("GET", "/users/me/teams")
        accept(othello, terms["id"], accepted=False)
        expect_error(othello.get("/users/me/teams"), 403, TERMS_REQUIRED)
        expect_error(
            othello.get("/users/me/terms_of_service"),
            404,
            "app.user_terms_of_service.get_by_user.no_rows.app_error",
        )
        othello.ok("POST", "/users/logout")
        expect_error(othello.get("/users/me"), 401, "api.context.session_expired.app_error")


def test_nobody_answers_for_someone_else_and_only_admins_publish(world: World) -> None:
    terms = publish(world.admin, "Rules.")
    body = {"serviceTermsId": terms["id"], "accepted": True}
    expect_error(
        world.hamlet.post(f"/users/{world.othello.id}/terms_of_service", body),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.admin.post(f"/users/{world.othello.id}/terms_of_service", body),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.admin.get(f"/users/{world.othello.id}/terms_of_service"),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.hamlet.post("/terms_of_service", {"text": "Mine now."}),
        403,
        "api.context.permissions.app_error",
    )
    assert world.hamlet.ok("GET", "/terms_of_service")["id"] == terms["id"]
    expect_error(
        world.admin.post("/terms_of_service", {"text": "  "}),
        400,
        "api.create_terms_of_service.empty.app_error",
    )
    expect_error(
        world.admin.post("/terms_of_service", {"text": 7}), 400, "api.create_terms_of_service.empty.app_error"
    )
    expect_error(
        world.admin.post("/terms_of_service", {"text": "x" * 16384}),
        400,
        "model.terms_of_service.is_valid.text.app_error",
    )
    for bad in (
        {"serviceTermsId": "nope", "accepted": True},
        {"serviceTermsId": terms["id"]},
        {"serviceTermsId": terms["id"], "accepted": "maybe"},
    ):
        expect_error(
            world.hamlet.post(f"/users/{world.hamlet.id}/terms_of_service", bad),
            400,
            "api.context.invalid_body_param.app_error",
        )
    # Nothing changed: the version in force is the same.
    assert world.hamlet.ok("GET", "/terms_of_service")["id"] == terms["id"]
    expect_error(
        world.admin.put("/config/patch", {"SupportSettings": {"CustomTermsOfServiceReAcceptancePeriod": 0}}),
        400,
        "model.config.is_valid.support.custom_terms_of_service_re_acceptance_period.app_error",
    )


def test_a_new_account_must_accept_before_anything_else(world: World) -> None:
    terms = publish(world.admin, "Welcome. Read this first.")
    with terms_enforced(world.admin):
        newcomer = create_user(world.admin, "horatio")
        expect_error(newcomer.get("/users/me/teams"), 403, TERMS_REQUIRED)
        accept(newcomer, terms["id"])
        assert newcomer.ok("GET", "/users/me/teams") == []


def test_the_command_line_publishes_a_file(world: World, server: ServerProcess, tmp_path: Path) -> None:
    conduct = tmp_path / "conduct.md"
    conduct.write_text("# Code of conduct\n\nFrom the shell, in UTF-8: Ελσινόρη.\n", encoding="utf-8")
    done = server.cli("terms", "set", str(conduct))
    assert done.returncode == 0, done.stderr
    latest = world.hamlet.ok("GET", "/terms_of_service")
    assert latest["text"] == conduct.read_text(encoding="utf-8") and latest["user_id"] == ""
    assert latest["id"] in done.stdout and "enforcement is off" in done.stdout
    accept(world.admin, latest["id"])
    entry = world.admin.ok("GET", "/audits?action=terms_of_service_created&per_page=1")[0]
    assert entry["target_id"] == latest["id"] and entry["user_id"] == "" and entry["ip_address"] == ""
    empty = tmp_path / "empty.md"
    empty.write_text("  \n", encoding="utf-8")
    refused = server.cli("terms", "set", str(empty))
    assert refused.returncode == 1 and "cannot be empty" in refused.stderr
    assert world.hamlet.ok("GET", "/terms_of_service")["id"] == latest["id"]


def test_sockets_close_when_enforcement_starts_not_when_a_draft_is_published(world: World) -> None:
    hamlet = world.hamlet
    ws = open_socket(hamlet)
    assert receive(ws)["event"] == "hello"
    # Not enforced: publishing a version disturbs nobody.
    publish(world.admin, "A draft of the rules.")
    world.admin.ok("PUT", f"/users/{hamlet.id}/patch", {"nickname": "still listening"})
    assert any(m.get("event") == "user_updated" for m in receive_all(ws, 1.0))
    # Switched on: a socket opened before must not go on hearing everything.
    with terms_enforced(world.admin), pytest.raises(ConnectionClosed):
        for _ in range(20):
            receive(ws, timeout=5)
