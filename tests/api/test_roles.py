"""Roles, which clients read to decide what to offer, through the API."""

from tests.support.client import API, World


def test_roles_by_names_for_a_member(world: World) -> None:
    me = world.hamlet.ok("GET", "/users/me")
    team_member = world.hamlet.ok("GET", f"/teams/{world.team['id']}/members/me")
    channel_member = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/members/me")
    names = me["roles"].split() + team_member["roles"].split() + channel_member["roles"].split()
    roles = world.hamlet.ok("POST", "/roles/names", names)
    assert sorted(r["name"] for r in roles) == sorted(set(names))
    permissions = {p for r in roles for p in r["permissions"]}
    assert {
        "create_post",
        "join_public_channels",
        "create_public_channel",
        "create_direct_channel",
    } <= permissions
    assert "manage_system" not in permissions


def test_unknown_roles_are_left_out_and_bad_names_rejected(world: World) -> None:
    assert world.hamlet.ok("POST", "/roles/names", ["no_such_role", "team_user"])[0]["name"] == "team_user"
    assert world.hamlet.post("/roles/names", ["Bad Name!"]).status_code == 400
    assert world.hamlet.post("/roles/names", [1, 2]).status_code == 400
    assert world.hamlet.post("/roles/names", {"names": []}).status_code == 400


def test_role_by_name_and_id(world: World) -> None:
    role = world.hamlet.ok("GET", "/roles/name/channel_admin")
    assert "manage_channel_roles" in role["permissions"]
    assert world.hamlet.ok("GET", f"/roles/{role['id']}")["name"] == "channel_admin"
    assert world.hamlet.get("/roles/name/no_such_role").status_code == 404
    assert world.hamlet.get("/roles/name/BAD!").status_code == 400
    assert world.hamlet.get("/roles/" + "b" * 26).status_code == 404


def test_all_roles_for_admins(world: World, anonymous: API) -> None:
    assert world.hamlet.get("/roles").status_code == 403
    assert {r["name"] for r in world.admin.ok("GET", "/roles")} >= {"system_user", "team_admin"}
    assert anonymous.post("/roles/names", ["system_user"]).status_code == 401


def test_admins_give_the_moderator_role_which_grants_no_admin_power(world: World) -> None:
    path = f"/users/{world.othello.id}/roles"
    world.admin.ok("PUT", path, {"roles": "system_user system_moderator"})
    assert world.othello.ok("GET", "/users/me")["roles"] == "system_user system_moderator"
    role = world.othello.ok("GET", "/roles/name/system_moderator")
    assert set(role["permissions"]) == {"manage_reports", "moderate_posts", "moderate_users"}
    # A moderator cannot change roles, their own included.
    response = world.othello.put(path, {"roles": "system_user system_admin"})
    assert response.status_code == 403
    assert world.othello.get("/roles").status_code == 403
    assert (
        world.admin.put(path, {"roles": "system_moderator"}).json()["id"]
        == "api.user.update_roles.invalid_roles"
    )
