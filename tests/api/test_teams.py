"""Teams and team membership, through the API."""

from tests.support.client import API, PASSWORD, World, create_user, expect_error, unique

BAD_ID = "not-an-id"
UNKNOWN_ID = "a" * 26


def test_create_team_makes_creator_admin_with_default_channels(world: World) -> None:
    name = unique("elsinore-")
    team = world.hamlet.ok("POST", "/teams", {"name": name, "display_name": "Elsinore", "type": "O"})
    assert team["name"] == name and team["type"] == "O" and team["allow_open_invite"] is True
    member = world.hamlet.ok("GET", f"/teams/{team['id']}/members/me")
    assert member["delete_at"] == 0 and member["scheme_admin"] is True
    assert member["roles"] == "team_user team_admin"
    names = {c["name"] for c in world.hamlet.ok("GET", f"/teams/{team['id']}/channels")}
    assert names == {"town-square", "off-topic"}


def test_create_team_rejects_bad_input(world: World) -> None:
    api = world.hamlet
    assert api.post("/teams", {"name": "Has Spaces", "display_name": "x", "type": "O"}).status_code == 400
    assert api.post("/teams", {"name": unique("ok-"), "display_name": "", "type": "O"}).status_code == 400
    assert api.post("/teams", {"name": unique("ok-"), "display_name": "x", "type": "Z"}).status_code == 400
    assert api.post("/teams", {"name": 5, "display_name": "x"}).status_code == 400
    assert api.post("/teams", [1, 2]).status_code == 400
    taken = {"name": world.team["name"], "display_name": "Again", "type": "O"}
    assert api.post("/teams", taken).status_code == 400


def test_get_team_by_id_and_name(world: World) -> None:
    team_id = world.team["id"]
    assert world.hamlet.ok("GET", f"/teams/{team_id}")["invite_id"] != ""
    assert world.hamlet.ok("GET", f"/teams/name/{world.team['name']}")["id"] == team_id
    assert world.hamlet.get(f"/teams/{BAD_ID}").status_code == 400
    assert world.hamlet.get(f"/teams/{UNKNOWN_ID}").status_code == 404
    assert world.hamlet.get("/teams/name/no-such-team-here").status_code == 404
    exists = world.hamlet.ok("GET", f"/teams/name/{world.team['name']}/exists")
    assert exists == {"exists": True}


def test_open_team_is_visible_to_outsiders_without_invite_id(world: World) -> None:
    seen = world.cordelia.ok("GET", f"/teams/{world.team['id']}")
    assert seen["id"] == world.team["id"] and seen["invite_id"] == ""


def test_invite_only_team_is_hidden_from_outsiders(world: World) -> None:
    team = world.hamlet.ok(
        "POST", "/teams", {"name": unique("closed-"), "display_name": "Closed", "type": "I"}
    )
    assert team["allow_open_invite"] is False
    assert world.cordelia.get(f"/teams/{team['id']}").status_code == 403
    listed = [t["id"] for t in world.cordelia.ok("GET", "/teams?per_page=200")]
    assert team["id"] not in listed
    assert team["id"] in [t["id"] for t in world.admin.ok("GET", "/teams?per_page=200")]
    # Not joinable without an invitation.
    assert (
        world.cordelia.post(f"/teams/{team['id']}/members", {"user_id": world.cordelia.id}).status_code == 403
    )


def test_list_teams_pages_and_counts(world: World) -> None:
    page = world.cordelia.ok("GET", "/teams?page=0&per_page=1&include_total_count=true")
    assert len(page["teams"]) == 1 and page["total_count"] >= 1
    assert world.cordelia.get("/teams?page=-1").status_code == 400
    assert world.cordelia.get("/teams?per_page=abc").status_code == 400


def test_update_and_patch_team_need_team_admin(world: World) -> None:
    team_id = world.team["id"]
    assert world.hamlet.put(f"/teams/{team_id}/patch", {"display_name": "Nope"}).status_code == 403
    patched = world.iago.ok(
        "PUT", f"/teams/{team_id}/patch", {"display_name": "Denmark!", "description": "rotten"}
    )
    assert patched["display_name"] == "Denmark!" and patched["description"] == "rotten"
    updated = world.iago.ok("PUT", f"/teams/{team_id}", {"id": team_id, "allow_open_invite": False})
    assert updated["allow_open_invite"] is False and updated["type"] == "I"
    assert world.iago.put(f"/teams/{team_id}/patch", {"display_name": 7}).status_code == 400
    assert world.iago.put(f"/teams/{team_id}/patch", {"allow_open_invite": "yes"}).status_code == 400
    assert world.iago.put(f"/teams/{team_id}", {"id": UNKNOWN_ID}).status_code == 400


def test_update_team_event_reaches_members(world: World) -> None:
    stream = world.hamlet.websocket()
    try:
        world.iago.ok("PUT", f"/teams/{world.team['id']}/patch", {"display_name": "Renamed"})
        event = stream.expect("update_team")
        assert '"display_name":"Renamed"' in event["data"]["team"]
        assert '"invite_id":""' in event["data"]["team"]
    finally:
        stream.close()


def test_regenerate_invite_id(world: World, anonymous: API) -> None:
    team_id = world.team["id"]
    old = world.iago.ok("GET", f"/teams/{team_id}")["invite_id"]
    expect_error(
        world.hamlet.post(f"/teams/{team_id}/regenerate_invite_id"), 403, "api.context.permissions.app_error"
    )
    new = world.iago.ok("POST", f"/teams/{team_id}/regenerate_invite_id")["invite_id"]
    assert new and new != old
    # The old link stops working at once, for every use of it.
    stale = "app.team.get_by_invite_id.finding.app_error"
    expect_error(world.cordelia.post(f"/teams/members/invite?invite_id={old}"), 404, stale)
    expect_error(anonymous.get(f"/teams/invite/{old}"), 404, stale)
    name = unique("latecomer")
    fields = {"username": name, "email": f"{name}@example.org", "password": PASSWORD}
    refused = anonymous.post(f"/users?iid={old}", fields)
    expect_error(refused, 400, "api.user.create_user.invalid_invitation_type.app_error")
    assert anonymous.ok("GET", f"/teams/invite/{new}")["id"] == team_id
    assert anonymous.post(f"/users?iid={new}", fields).status_code == 201


def test_inviting_can_be_restricted_to_admins(world: World) -> None:
    team_id, admin = world.team["id"], world.admin
    admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"RestrictTeamInviteToAdmins": True}})
    try:
        # Members lose the link and the permission, as Mattermost's team_user role would.
        assert world.hamlet.ok("GET", f"/teams/{team_id}")["invite_id"] == ""
        assert world.hamlet.ok("GET", "/users/me/teams")[0]["invite_id"] == ""
        team_user = world.hamlet.ok("GET", "/roles/name/team_user")["permissions"]
        assert "invite_user" not in team_user and "add_user_to_team" not in team_user
        assert "invite_user" in world.hamlet.ok("GET", "/roles/name/team_admin")["permissions"]
        adding = {"team_id": team_id, "user_id": world.cordelia.id}
        expect_error(
            world.hamlet.post(f"/teams/{team_id}/members", adding), 403, "api.context.permissions.app_error"
        )
        # Team admins keep both.
        assert world.iago.ok("GET", f"/teams/{team_id}")["invite_id"] != ""
        world.iago.ok("POST", f"/teams/{team_id}/members", adding)
    finally:
        admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"RestrictTeamInviteToAdmins": False}})
    assert world.hamlet.ok("GET", f"/teams/{team_id}")["invite_id"] != ""


def test_invite_info_is_public_and_minimal(world: World, anonymous: API) -> None:
    invite_id = world.hamlet.ok("GET", f"/teams/{world.team['id']}")["invite_id"]
    info = anonymous.ok("GET", f"/teams/invite/{invite_id}")
    assert info["id"] == world.team["id"] and "invite_id" not in info
    assert anonymous.get("/teams/invite/nonsense").status_code == 404


def test_join_with_invite_id(world: World) -> None:
    invite_id = world.hamlet.ok("GET", f"/teams/{world.team['id']}")["invite_id"]
    member = world.cordelia.ok("POST", f"/teams/members/invite?invite_id={invite_id}")
    assert member["team_id"] == world.team["id"] and member["delete_at"] == 0
    assert world.cordelia.post("/teams/members/invite").status_code == 400
    channel_ids = {c["id"] for c in world.cordelia.ok("GET", f"/users/me/teams/{world.team['id']}/channels")}
    assert world.town_square["id"] in channel_ids


def test_join_open_team_as_self(world: World) -> None:
    team_id = world.team["id"]
    member = world.cordelia.ok(
        "POST", f"/teams/{team_id}/members", {"team_id": team_id, "user_id": world.cordelia.id}
    )
    assert member["user_id"] == world.cordelia.id
    assert world.cordelia.id in [m["user_id"] for m in world.hamlet.ok("GET", f"/teams/{team_id}/members")]


def test_outsider_cannot_add_others(world: World, admin: API) -> None:
    other = create_user(admin, "rosencrantz")
    body = {"team_id": world.team["id"], "user_id": other.id}
    assert world.cordelia.post(f"/teams/{world.team['id']}/members", body).status_code == 403
    # A member may add others (add_user_to_team).
    assert world.hamlet.ok("POST", f"/teams/{world.team['id']}/members", body)["user_id"] == other.id


def test_add_member_bad_input(world: World) -> None:
    path = f"/teams/{world.team['id']}/members"
    assert world.hamlet.post(path, {"user_id": BAD_ID}).status_code == 400
    assert world.hamlet.post(path, {"user_id": 12}).status_code == 400
    assert world.hamlet.post(path, {"user_id": UNKNOWN_ID}).status_code == 404
    assert world.hamlet.post(f"/teams/{UNKNOWN_ID}/members", {"user_id": world.hamlet.id}).status_code == 404


def test_batch_add_members(world: World, admin: API) -> None:
    a, b = create_user(admin, "guildenstern"), create_user(admin, "osric")
    body = [{"team_id": world.team["id"], "user_id": a.id}, {"team_id": world.team["id"], "user_id": b.id}]
    added = world.iago.ok("POST", f"/teams/{world.team['id']}/members/batch", body)
    assert {m["user_id"] for m in added} == {a.id, b.id}
    assert world.iago.post(f"/teams/{world.team['id']}/members/batch", [{"user_id": "x"}]).status_code == 400
    assert world.iago.post(f"/teams/{world.team['id']}/members/batch", ["nope"]).status_code == 400


def test_team_members_list_and_lookup(world: World) -> None:
    team_id = world.team["id"]
    members = world.hamlet.ok("GET", f"/teams/{team_id}/members?per_page=2")
    assert len(members) == 2 and all(m["delete_at"] == 0 and isinstance(m["roles"], str) for m in members)
    by_ids = world.hamlet.ok("POST", f"/teams/{team_id}/members/ids", [world.othello.id, world.cordelia.id])
    assert [m["user_id"] for m in by_ids] == [world.othello.id]
    assert world.hamlet.get(f"/teams/{team_id}/members/{world.cordelia.id}").status_code == 404
    assert world.cordelia.get(f"/teams/{team_id}/members").status_code == 403
    assert world.cordelia.get(f"/teams/{team_id}/members/{world.hamlet.id}").status_code == 403
    stats = world.hamlet.ok("GET", f"/teams/{team_id}/stats")
    assert stats["total_member_count"] == 4 and stats["active_member_count"] == 4
    assert world.cordelia.get(f"/teams/{team_id}/stats").status_code == 403


def test_my_teams_and_memberships(world: World) -> None:
    assert [t["id"] for t in world.hamlet.ok("GET", "/users/me/teams")] == [world.team["id"]]
    members = world.hamlet.ok("GET", "/users/me/teams/members")
    assert [(m["team_id"], m["delete_at"]) for m in members] == [(world.team["id"], 0)]
    assert world.hamlet.get(f"/users/{world.othello.id}/teams/members").status_code == 403
    assert world.admin.get(f"/users/{world.othello.id}/teams/members").status_code == 200


def test_leave_team_removes_from_its_channels(world: World) -> None:
    team_id = world.team["id"]
    private = world.othello.ok(
        "POST", "/channels", {"team_id": team_id, "name": unique("p-"), "display_name": "P", "type": "P"}
    )
    world.othello.ok("POST", f"/channels/{private['id']}/members", {"user_id": world.hamlet.id})
    stream = world.othello.websocket()
    try:
        world.hamlet.ok("DELETE", f"/teams/{team_id}/members/me")
        event = stream.expect("leave_team")
        assert event["data"]["user_id"] == world.hamlet.id and event["data"]["team_id"] == team_id
    finally:
        stream.close()
    assert world.hamlet.ok("GET", "/users/me/teams") == []
    member = world.othello.ok("GET", f"/teams/{team_id}/members/{world.hamlet.id}")
    assert member["delete_at"] > 0
    assert world.othello.get(f"/channels/{private['id']}/members/{world.hamlet.id}").status_code == 404
    assert world.hamlet.get(f"/channels/{world.town_square['id']}").status_code == 403
    # Rejoining an open team brings back the default channels.
    world.hamlet.ok("POST", f"/teams/{team_id}/members", {"user_id": world.hamlet.id})
    assert world.hamlet.ok("GET", f"/teams/{team_id}/members/me")["delete_at"] == 0
    assert world.hamlet.get(f"/channels/{world.town_square['id']}/members/me").status_code == 200


def test_removing_others_needs_team_admin(world: World) -> None:
    path = f"/teams/{world.team['id']}/members/{world.othello.id}"
    assert world.hamlet.delete(path).status_code == 403
    assert world.iago.ok("DELETE", path) == {"status": "OK"}
    assert world.iago.delete(path).status_code == 404
    assert world.iago.delete(f"/teams/{world.team['id']}/members/{BAD_ID}").status_code == 400


def test_archive_team(world: World) -> None:
    team_id = world.team["id"]
    assert world.hamlet.delete(f"/teams/{team_id}").status_code == 403
    world.iago.ok("DELETE", f"/teams/{team_id}")
    assert world.hamlet.ok("GET", "/users/me/teams") == []
    assert world.hamlet.ok("GET", f"/teams/{team_id}")["delete_at"] > 0
    assert world.iago.delete(f"/teams/{team_id}").status_code == 404


def test_team_unreads(world: World) -> None:
    team_id = world.team["id"]
    unreads = world.hamlet.ok("GET", "/users/me/teams/unread")
    assert [u["team_id"] for u in unreads] == [team_id]
    assert {"msg_count", "mention_count", "msg_count_root", "mention_count_root"} <= set(unreads[0])
    assert world.hamlet.ok("GET", f"/users/me/teams/unread?exclude_team={team_id}") == []
    one = world.hamlet.ok("GET", f"/users/me/teams/{team_id}/unread")
    assert one["team_id"] == team_id and one["msg_count"] == 0
    assert world.cordelia.get(f"/users/me/teams/{team_id}/unread").status_code == 404
    assert world.hamlet.get(f"/users/{world.othello.id}/teams/unread").status_code == 403
    assert world.hamlet.get("/users/me/teams/unread?exclude_team=bad").status_code == 400


def test_search_teams(world: World) -> None:
    found = world.cordelia.ok("POST", "/teams/search", {"term": world.team["name"]})
    assert [t["id"] for t in found] == [world.team["id"]]
    assert world.cordelia.post("/teams/search", {"term": 3}).status_code == 400


def test_restore_archived_team(world: World) -> None:
    team_id = world.team["id"]
    world.iago.ok("DELETE", f"/teams/{team_id}")
    assert world.hamlet.post(f"/teams/{team_id}/restore").status_code == 403
    assert world.iago.ok("POST", f"/teams/{team_id}/restore")["delete_at"] == 0
    assert [t["id"] for t in world.hamlet.ok("GET", "/users/me/teams")] == [team_id]
    assert world.iago.post(f"/teams/{team_id}/restore").status_code == 400


def test_team_privacy(world: World) -> None:
    path = f"/teams/{world.team['id']}/privacy"
    assert world.hamlet.put(path, {"privacy": "I"}).status_code == 403
    closed = world.iago.ok("PUT", path, {"privacy": "I"})
    assert closed["type"] == "I" and closed["allow_open_invite"] is False
    assert world.cordelia.get(f"/teams/{world.team['id']}").status_code == 403
    assert world.iago.put(path, {"privacy": "P"}).status_code == 400
    assert world.iago.put(path, {"privacy": 1}).status_code == 400


def test_team_admins_change_member_roles_by_role_string(world: World) -> None:
    team_id = world.team["id"]
    path = f"/teams/{team_id}/members/{world.hamlet.id}/roles"
    promote = {"roles": "team_user team_admin"}
    assert world.othello.put(path, promote).status_code == 403
    assert world.cordelia.put(path, promote).status_code == 403
    stream = world.hamlet.websocket()
    try:
        world.iago.ok("PUT", path, promote)
        event = stream.expect("memberrole_updated")
        assert '"scheme_admin":true' in event["data"]["member"]
    finally:
        stream.close()
    member = world.hamlet.ok("GET", f"/teams/{team_id}/members/me")
    assert member["scheme_admin"] is True and member["roles"] == "team_user team_admin"
    # The new admin may manage roles in turn; a system admin always may.
    world.hamlet.ok("PUT", f"/teams/{team_id}/members/{world.othello.id}/roles", promote)
    assert world.othello.ok("GET", f"/teams/{team_id}/members/me")["scheme_admin"] is True
    world.admin.ok("PUT", path, {"roles": "team_user"})
    member = world.hamlet.ok("GET", f"/teams/{team_id}/members/me")
    assert member["scheme_admin"] is False and member["roles"] == "team_user"
    assert world.hamlet.put(f"/teams/{team_id}/members/{world.othello.id}/roles", promote).status_code == 403


def test_team_member_roles_reject_bad_input(world: World) -> None:
    team_id = world.team["id"]
    path = f"/teams/{team_id}/members/{world.hamlet.id}/roles"
    refusals = {
        "team_user wizard": "app.role.get_by_name.app_error",
        "team_user channel_admin": "api.channel.update_team_member_roles.scheme_role.app_error",
        "team_user system_admin": "api.channel.update_team_member_roles.scheme_role.app_error",
        "team_admin": "api.team.update_team_member_roles.unset_user_scheme.app_error",
        "   ": "api.team.update_team_member_roles.unset_user_scheme.app_error",
    }
    for roles, error_id in refusals.items():
        response = world.iago.put(path, {"roles": roles})
        assert response.status_code == 400 and response.json()["id"] == error_id, roles
    for body in ({"roles": 3}, {"roles": None}, {}, ["team_user"]):
        assert world.iago.put(path, body).status_code == 400
    assert world.hamlet.ok("GET", f"/teams/{team_id}/members/me")["roles"] == "team_user"
    promote = {"roles": "team_user team_admin"}
    assert world.iago.put(f"/teams/{team_id}/members/{world.cordelia.id}/roles", promote).status_code == 404
    assert world.iago.put(f"/teams/{BAD_ID}/members/{world.hamlet.id}/roles", promote).status_code == 400
    assert world.iago.put(f"/teams/{team_id}/members/{BAD_ID}/roles", promote).status_code == 400
    assert world.admin.put(f"/teams/{UNKNOWN_ID}/members/{world.hamlet.id}/roles", promote).status_code == 404
