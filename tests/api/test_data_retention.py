"""Data retention policies on Mattermost's wire: the global policy every user may read, the
custom policies only system admins manage, and each user's own team and channel policies."""

import time
from typing import Any

from tests.api.test_posts import private_channel
from tests.support.client import API, World, expect_error, unique

DAY_MS = 24 * 60 * 60 * 1000
FORBIDDEN = "api.context.permissions.app_error"
NO_POLICY = "app.data_retention.get_policy.app_error"


def new_policy(admin: API, days: int, **lists: list[str]) -> dict[str, Any]:
    body = {"display_name": unique("keep-"), "post_duration": days, **lists}
    return admin.ok("POST", "/data_retention/policies", body, status=201)  # type: ignore[no-any-return]


def test_the_global_policy_is_off_until_one_setting_turns_on_ninety_days(world: World) -> None:
    policy = world.hamlet.ok("GET", "/data_retention/policy")
    assert policy["message_deletion_enabled"] is False and policy["message_retention_cutoff"] == 0
    assert policy["file_deletion_enabled"] is False and policy["file_retention_cutoff"] == 0
    assert world.hamlet.ok("GET", "/license/client?format=old")["DataRetention"] == "true"

    world.admin.ok("PUT", "/config/patch", {"DataRetentionSettings": {"EnableMessageDeletion": True}})
    try:
        policy = world.hamlet.ok("GET", "/data_retention/policy")
        assert policy["message_deletion_enabled"] is True and policy["file_deletion_enabled"] is False
        ninety_days_ago = int(time.time() * 1000) - 90 * DAY_MS
        assert abs(policy["message_retention_cutoff"] - ninety_days_ago) < 60_000
        client = world.hamlet.ok("GET", "/config/client?format=old")
        assert client["DataRetentionEnableMessageDeletion"] == "true"
        assert client["DataRetentionMessageRetentionDays"] == "90"
        assert client["DataRetentionMessageRetentionHours"] == str(90 * 24)
        assert client["DataRetentionEnableFileDeletion"] == "false"

        # The newer Hours key wins over the Days key once it is above 0.
        world.admin.ok("PUT", "/config/patch", {"DataRetentionSettings": {"MessageRetentionHours": 12}})
        policy = world.hamlet.ok("GET", "/data_retention/policy")
        twelve_hours_ago = int(time.time() * 1000) - 12 * 3_600_000
        assert abs(policy["message_retention_cutoff"] - twelve_hours_ago) < 60_000
    finally:
        world.admin.ok(
            "PUT",
            "/config/patch",
            {"DataRetentionSettings": {"EnableMessageDeletion": False, "MessageRetentionHours": 0}},
        )


def test_the_global_policy_needs_a_session(anonymous: API) -> None:
    expect_error(anonymous.get("/data_retention/policy"), 401, "api.context.session_expired.app_error")


def test_retention_settings_are_checked_with_mattermost_error_ids(world: World) -> None:
    bad = {
        "DeletionJobStartTime": "25:00",
        "MessageRetentionHours": -1,
        "BatchSize": 0,
    }
    ids = {
        "DeletionJobStartTime": "model.config.is_valid.data_retention.deletion_job_start_time.app_error",
        "MessageRetentionHours": "model.config.is_valid.data_retention.message_retention_hours_too_low.app_error",
        "BatchSize": "model.config.is_valid.data_retention.batch_size.app_error",
    }
    for key, value in bad.items():
        response = world.admin.put("/config/patch", {"DataRetentionSettings": {key: value}})
        expect_error(response, 400, ids[key])


def test_an_admin_makes_changes_and_deletes_a_custom_policy(world: World) -> None:
    admin = world.admin
    secret = private_channel(world, world.hamlet)
    created = new_policy(admin, 30, team_ids=[world.team["id"]], channel_ids=[secret["id"]])
    assert created["post_duration"] == 30 and created["team_count"] == 1 and created["channel_count"] == 1
    policy_path = f"/data_retention/policies/{created['id']}"
    assert admin.ok("GET", policy_path) == created

    listed = admin.ok("GET", "/data_retention/policies?per_page=200")
    assert created in listed["policies"] and listed["total_count"] >= 1
    assert admin.ok("GET", "/data_retention/policies_count")["total_count"] == listed["total_count"]

    assert [t["id"] for t in admin.ok("GET", f"{policy_path}/teams")] == [world.team["id"]]
    channels = admin.ok("GET", f"{policy_path}/channels")
    assert channels["total_count"] == 1
    assert channels["channels"][0]["id"] == secret["id"]
    assert channels["channels"][0]["team_name"] == world.team["name"]

    admin.ok("POST", f"{policy_path}/channels", [world.off_topic["id"]])
    assert admin.ok("GET", policy_path)["channel_count"] == 2
    # The policy editor's searches, within the policy's own teams and channels.
    found = admin.ok("POST", f"{policy_path}/teams/search", {"term": world.team["name"][:8]})
    assert [t["id"] for t in found] == [world.team["id"]]
    assert admin.ok("POST", f"{policy_path}/teams/search", {"term": "no such team"}) == []
    found = admin.ok("POST", f"{policy_path}/channels/search", {"term": "off", "public": True})
    assert [c["id"] for c in found] == [world.off_topic["id"]]
    found = admin.ok("POST", f"{policy_path}/channels/search", {"term": "", "private": True})
    assert [c["id"] for c in found] == [secret["id"]] and found[0]["team_name"] == world.team["name"]
    admin.ok("DELETE", f"{policy_path}/channels", [secret["id"]])
    admin.ok("DELETE", f"{policy_path}/teams", [world.team["id"]])
    patched = admin.ok("PATCH", policy_path, {"display_name": "Short", "post_duration": 7})
    assert (patched["display_name"], patched["post_duration"]) == ("Short", 7)
    assert (patched["team_count"], patched["channel_count"]) == (0, 1)
    # Lists in a patch replace the policy's teams or channels.
    replaced = admin.ok("PATCH", policy_path, {"channel_ids": [secret["id"]], "team_ids": []})
    assert (replaced["team_count"], replaced["channel_count"]) == (0, 1)

    admin.ok("DELETE", policy_path)
    expect_error(admin.get(policy_path), 404, NO_POLICY)
    expect_error(admin.delete(policy_path), 404, NO_POLICY)
    expect_error(admin.post(f"{policy_path}/teams", [world.team["id"]]), 404, NO_POLICY)


def test_a_team_or_channel_moves_to_the_policy_it_is_added_to(world: World) -> None:
    first = new_policy(world.admin, 10, channel_ids=[world.off_topic["id"]])
    second = new_policy(world.admin, 20)
    world.admin.ok("POST", f"/data_retention/policies/{second['id']}/channels", [world.off_topic["id"]])
    assert world.admin.ok("GET", f"/data_retention/policies/{first['id']}")["channel_count"] == 0
    assert world.admin.ok("GET", f"/data_retention/policies/{second['id']}")["channel_count"] == 1
    world.admin.ok("DELETE", f"/data_retention/policies/{first['id']}")
    world.admin.ok("DELETE", f"/data_retention/policies/{second['id']}")


def test_users_see_the_policies_of_their_own_teams_and_channels(world: World) -> None:
    secret = private_channel(world, world.hamlet)
    team_policy = new_policy(world.admin, 60, team_ids=[world.team["id"]])
    channel_policy = new_policy(world.admin, 5, channel_ids=[secret["id"]])
    try:
        teams = world.hamlet.ok("GET", "/users/me/data_retention/team_policies")
        assert teams == {"policies": [{"team_id": world.team["id"], "post_duration": 60}], "total_count": 1}
        channels = world.hamlet.ok("GET", f"/users/{world.hamlet.id}/data_retention/channel_policies")
        assert channels == {"policies": [{"channel_id": secret["id"], "post_duration": 5}], "total_count": 1}
        # Othello is in the team but not in Hamlet's private channel; Cordelia is in neither.
        assert world.othello.ok("GET", "/users/me/data_retention/channel_policies")["total_count"] == 0
        assert world.cordelia.ok("GET", "/users/me/data_retention/team_policies")["total_count"] == 0
        # Another user's policies are for system admins only.
        path = f"/users/{world.hamlet.id}/data_retention/channel_policies"
        expect_error(world.othello.get(path), 403, FORBIDDEN)
        assert world.admin.ok("GET", path)["total_count"] == 1
    finally:
        world.admin.ok("DELETE", f"/data_retention/policies/{team_policy['id']}")
        world.admin.ok("DELETE", f"/data_retention/policies/{channel_policy['id']}")


def test_only_system_admins_manage_custom_policies(world: World) -> None:
    policy = new_policy(world.admin, 30)
    path = f"/data_retention/policies/{policy['id']}"
    team_admin = world.iago
    for api in (world.hamlet, team_admin):
        expect_error(api.get("/data_retention/policies"), 403, FORBIDDEN)
        expect_error(api.get("/data_retention/policies_count"), 403, FORBIDDEN)
        expect_error(
            api.post("/data_retention/policies", {"display_name": "x", "post_duration": 1}), 403, FORBIDDEN
        )
        expect_error(api.get(path), 403, FORBIDDEN)
        expect_error(api.request("PATCH", path, json={"post_duration": 1}), 403, FORBIDDEN)
        expect_error(api.delete(path), 403, FORBIDDEN)
        expect_error(api.get(f"{path}/teams"), 403, FORBIDDEN)
        expect_error(api.post(f"{path}/channels", [world.town_square["id"]]), 403, FORBIDDEN)
        expect_error(api.post(f"{path}/channels/search", {"term": "town"}), 403, FORBIDDEN)
    assert world.admin.ok("GET", path)["post_duration"] == 30
    world.admin.ok("DELETE", path)


def test_bad_policies_are_refused_with_mattermost_error_ids(world: World) -> None:
    admin = world.admin
    create = "/data_retention/policies"
    invalid_name = "model.retention_policy.is_valid.display_name.app_error"
    invalid_duration = "model.retention_policy.is_valid.post_duration.app_error"
    expect_error(admin.post(create, {"post_duration": 3}), 400, invalid_name)
    expect_error(admin.post(create, {"display_name": "x" * 65, "post_duration": 3}), 400, invalid_name)
    expect_error(admin.post(create, {"display_name": "x", "post_duration": 0}), 400, invalid_duration)
    expect_error(admin.post(create, {"display_name": "x", "post_duration": "3"}), 400, invalid_duration)
    expect_error(
        admin.post(create, {"display_name": "x", "post_duration": 3, "team_ids": ["nope"]}),
        400,
        "api.context.invalid_body_param.app_error",
    )
    missing = "a" * 26
    expect_error(
        admin.post(create, {"display_name": "x", "post_duration": 3, "team_ids": [missing]}),
        400,
        "app.data_retention.team_not_found.app_error",
    )
    expect_error(
        admin.post(create, {"display_name": "x", "post_duration": 3, "channel_ids": [missing]}),
        400,
        "app.data_retention.channel_not_found.app_error",
    )
    expect_error(admin.get("/data_retention/policies/nope"), 400, "api.context.invalid_param.app_error")
    expect_error(admin.get(f"/data_retention/policies/{missing}"), 404, NO_POLICY)
    # A policy that keeps forever has a negative duration, as in Mattermost.
    forever = new_policy(admin, -1)
    assert forever["post_duration"] == -1
    admin.ok("DELETE", f"/data_retention/policies/{forever['id']}")
