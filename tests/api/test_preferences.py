"""Preferences, through the API."""

import json

from tests.support.client import World, expect_error


def pref(user_id: str, category: str, name: str, value: str = "true") -> dict[str, str]:
    return {"user_id": user_id, "category": category, "name": name, "value": value}


def test_save_read_and_delete_preferences(world: World) -> None:
    me = world.hamlet
    stream = me.websocket()
    try:
        saved = [
            pref(me.id, "display_settings", "collapsed_reply_threads", "on"),
            pref(me.id, "theme", world.team["id"], "{}"),
        ]
        assert me.ok("PUT", "/users/me/preferences", saved) == {"status": "OK"}
        event = stream.expect("preferences_changed")
        assert json.loads(event["data"]["preferences"]) == saved
        assert event["broadcast"]["user_id"] == me.id
    finally:
        stream.close()
    everything = me.ok("GET", "/users/me/preferences")
    assert {(p["category"], p["name"], p["value"]) for p in everything} >= {
        ("display_settings", "collapsed_reply_threads", "on"),
        ("theme", world.team["id"], "{}"),
    }
    assert me.ok("GET", "/users/me/preferences/theme") == [saved[1]]
    one = me.ok("GET", "/users/me/preferences/display_settings/name/collapsed_reply_threads")
    assert one["value"] == "on"
    me.ok("PUT", "/users/me/preferences", [pref(me.id, "display_settings", "collapsed_reply_threads", "off")])
    assert (
        me.ok("GET", "/users/me/preferences/display_settings/name/collapsed_reply_threads")["value"] == "off"
    )
    me.ok("POST", "/users/me/preferences/delete", [saved[1]])
    assert me.ok("GET", "/users/me/preferences/theme") == []
    assert me.get("/users/me/preferences/theme/name/nothing").status_code == 404


def test_only_the_owner_or_a_system_admin(world: World) -> None:
    mine = [pref(world.hamlet.id, "display_settings", "name_format", "username")]
    assert world.othello.put(f"/users/{world.hamlet.id}/preferences", mine).status_code == 403
    assert world.othello.get(f"/users/{world.hamlet.id}/preferences").status_code == 403
    # The items must belong to the user in the path.
    assert world.othello.put(f"/users/{world.othello.id}/preferences", mine).status_code == 403
    assert world.admin.ok("PUT", f"/users/{world.hamlet.id}/preferences", mine) == {"status": "OK"}
    assert (
        world.admin.ok("GET", f"/users/{world.hamlet.id}/preferences/display_settings")[0]["value"]
        == "username"
    )


def test_bad_preference_input(world: World) -> None:
    me = world.othello
    for body in (
        {},
        [],
        ["x"],
        [{"user_id": me.id, "category": 5, "name": "a", "value": "b"}],
        [{"user_id": me.id, "category": "c" * 33, "name": "a", "value": "b"}],
        [{"user_id": me.id, "category": "c", "name": "a", "value": "v" * 2001}],
        [{"user_id": me.id, "category": "flagged_post", "name": "not-a-post", "value": "true"}],
    ):
        assert me.put("/users/me/preferences", body).status_code == 400, body
    missing = [{"user_id": me.id, "category": "flagged_post", "name": "h" * 26, "value": "true"}]
    assert me.put("/users/me/preferences", missing).status_code == 404


def test_a_theme_for_all_teams_has_an_empty_name_and_must_be_a_json_object(world: World) -> None:
    me = world.hamlet
    dark = json.dumps({"type": "Onyx", "centerChannelBg": "#202124", "sidebarBg": "#121317"})
    assert me.ok("PUT", "/users/me/preferences", [pref(me.id, "theme", "", dark)]) == {"status": "OK"}
    assert me.ok("GET", "/users/me/preferences/theme") == [pref(me.id, "theme", "", dark)]
    for bad in ("not json", "[1, 2]", '{"sidebarBg": 3}', ""):
        expect_error(
            me.put("/users/me/preferences", [pref(me.id, "theme", "", bad)]),
            400,
            "model.preference.is_valid.theme.app_error",
        )
    assert me.ok("GET", "/users/me/preferences/theme")[0]["value"] == dark
    expect_error(
        me.put("/users/me/preferences", [pref(me.id, "", "x")]),
        400,
        "api.context.invalid_body_param.app_error",
    )
    me.ok("POST", "/users/me/preferences/delete", [pref(me.id, "theme", "")])
    assert me.ok("GET", "/users/me/preferences/theme") == []
