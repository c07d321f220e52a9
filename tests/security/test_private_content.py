"""A private channel's content never leaks (DESIGN: not through search, events, threads, previews).

Every route is called with the ids of conversations the caller is not in: as cordelia (in the
team, in none of them), as iago (team admin, in the group message only), anonymously, and as the
system admin (who may see that private channels exist, but never their posts: decision 0004).
A 2xx body must hold none of the hidden words or ids; anything else is 401/403/404 with
Mattermost's error envelope. A route neither swept nor exempted here fails the suite.
"""

import itertools
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.security.conftest import EMOJI, Hidden, Secrets
from tests.spec.routes import ImplementedRoute, implemented_routes
from tests.support.client import API, EventStream, create_user
from tests.support.server import ServerProcess
from villagepump.ids import new_id

ROUTES = {route.key: route for route in implemented_routes()}
ENVELOPE = {"id": str, "message": str, "detailed_error": str, "request_id": str, "status_code": int}
REFUSALS = {401, 403, 404}

# POSTs that only read; they are swept like the GETs.
READ_POSTS = {
    "POST /posts/ids",
    "POST /posts/ids/reactions",
    "POST /users/ids",
    "POST /users/usernames",
    "POST /users/group_channels",
    "POST /users/status/ids",
    "POST /channels/{channel_id}/members/ids",
    "POST /teams/{team_id}/channels/search",
    "POST /teams/{team_id}/channels/ids",
    "POST /teams/{team_id}/members/ids",
    "POST /teams/search",
    "POST /roles/names",
    "POST /users/search",
    "POST /channels/group/search",
    "POST /emoji/names",
    "POST /emoji/search",
    "POST /teams/{team_id}/posts/search",
    "POST /posts/search",
    "POST /teams/{team_id}/files/search",
    "POST /files/search",
}
# Writes whose path names a hidden channel, post, thread or hamlet's category: swept by
# test_outsiders_cannot_write_through_hidden_ids, which then checks that nothing changed.
PATH_PARAMETERS_THAT_HIDE = {"channel_id", "post_id", "thread_id", "category_id", "channel_name", "file_id"}
# Writes without a hidden object in their path, each with where it is covered or why not.
EXEMPT: dict[str, str] = {
    "POST /villagepump/webpush/subscriptions": "names no channel or post: a browser's own subscription "
    "(tests/notifications/test_webpush.py: pushes reach only members)",
    "DELETE /villagepump/webpush/subscriptions": "removes only the caller's own subscription "
    "(tests/notifications/test_webpush.py)",
    "POST /notifications/ack": "tests/notifications/test_push.py::test_an_id_loaded_push_is_answered_only_to_its_reader"
    " (the message goes only to the push's own recipient while they can read its channel)",
    "WEBSOCKET /websocket": "test_sockets_hear_nothing_of_hidden_conversations",
    "POST /posts": "test_outsiders_cannot_write_with_hidden_ids_in_the_body",
    "POST /files": "tests/api/test_files.py: test_outsiders_can_neither_upload_to_nor_read_a_private_channel",
    "POST /commands/execute": "test_outsiders_cannot_write_with_hidden_ids_in_the_body",
    "POST /reactions": "test_outsiders_cannot_write_with_hidden_ids_in_the_body",
    "POST /channels/members/{user_id}/view": "test_outsiders_cannot_write_with_hidden_ids_in_the_body",
    "PUT /users/{user_id}/preferences": "flagging hidden posts is done in set-up; the sweep reads flagged posts",
    "POST /users/{user_id}/teams/{team_id}/channels/categories": (
        "test_outsiders_cannot_write_with_hidden_ids_in_the_body"
    ),
    "PUT /users/{user_id}/teams/{team_id}/channels/categories": (
        "test_outsiders_cannot_write_with_hidden_ids_in_the_body"
    ),
    "PUT /users/{user_id}/teams/{team_id}/channels/categories/order": (
        "test_outsiders_cannot_write_with_hidden_ids_in_the_body"
    ),
    "POST /channels": "creates a new channel; no existing conversation involved",
    "POST /channels/direct": "opening a direct message reveals no posts (checked by the sweep afterwards)",
    "POST /channels/group": "opening a group message reveals no posts (checked by the sweep afterwards)",
    "PUT /users/{user_id}/teams/{team_id}/threads/read": "marks the caller's own threads; no ids taken",
    "POST /users/{user_id}/preferences/delete": "the caller's own preferences",
    "POST /users": "account management, no channel content",
    "POST /users/login": "account management, no channel content",
    "POST /users/logout": "account management, no channel content",
    "PUT /users/sessions/device": "account management, no channel content",
    "POST /users/tokens/revoke": "account management, no channel content",
    "POST /users/tokens/disable": "account management, no channel content",
    "POST /users/tokens/enable": "account management, no channel content",
    "DELETE /users/{user_id}": "account management, no channel content",
    "PUT /users/{user_id}": "account management, no channel content",
    "PUT /users/{user_id}/patch": "account management, no channel content",
    "PUT /users/{user_id}/password": "account management, no channel content",
    "POST /users/mfa": "account management, no channel content",
    "PUT /users/{user_id}/mfa": "account management, no channel content",
    "POST /users/{user_id}/mfa/generate": "account management, no channel content",
    "POST /users/{user_id}/mfa/recovery_codes": "account management, no channel content",
    "PUT /users/{user_id}/roles": "account management, no channel content",
    "PUT /users/{user_id}/active": "account management, no channel content",
    "POST /users/{user_id}/demote": "account management (admins only), no channel content",
    "POST /users/{user_id}/promote": "account management (admins only), no channel content",
    "POST /users/{user_id}/sessions/revoke": "account management, no channel content",
    "POST /users/{user_id}/sessions/revoke/all": "account management, no channel content",
    "POST /users/{user_id}/tokens": "account management, no channel content",
    "PUT /users/{user_id}/status": "presence, no channel content",
    "PUT /users/{user_id}/status/custom": "presence, no channel content",
    "DELETE /users/{user_id}/status/custom": "presence, no channel content",
    "DELETE /users/{user_id}/status/custom/recent": "presence, no channel content",
    "POST /users/{user_id}/status/custom/recent/delete": "presence, no channel content",
    "POST /drafts": "a draft in a channel one may not post in is refused (tests/api/test_drafts.py)",
    "POST /teams": "team management, no channel content",
    "POST /teams/members/invite": "team management, no channel content",
    "POST /teams/{team_id}/invite/email": "team management, no channel content",
    "POST /teams/{team_id}/invite-guests/email": (
        "channel ids in the body must be readable by the inviter (tests/api/test_email.py, guest invitation)"
    ),
    "POST /users/email/verify/send": "account management, no channel content",
    "POST /users/email/verify": "account management, no channel content",
    "POST /users/password/reset/send": "account management, no channel content",
    "POST /users/password/reset": "account management, no channel content",
    "PUT /teams/{team_id}": "team management, no channel content",
    "PUT /teams/{team_id}/patch": "team management, no channel content",
    "DELETE /teams/{team_id}": "team management, no channel content",
    "POST /teams/{team_id}/restore": "team management, no channel content",
    "PUT /teams/{team_id}/privacy": "team management, no channel content",
    "POST /teams/{team_id}/regenerate_invite_id": "team management, no channel content",
    "POST /teams/{team_id}/members": "team management, no channel content",
    "POST /teams/{team_id}/members/batch": "team management, no channel content",
    "DELETE /teams/{team_id}/members/{user_id}": "team management, no channel content",
    "PUT /teams/{team_id}/members/{user_id}/schemeRoles": "team management, no channel content",
    "PUT /teams/{team_id}/members/{user_id}/roles": "team management, no channel content",
    "PUT /config": "server settings for system admins only, no channel content (tests/api/test_config.py)",
    "PUT /config/patch": "server settings for system admins only, no channel content (tests/api/test_config.py)",
    "POST /config/reload": "server settings for system admins only, no channel content (tests/api/test_config.py)",
    "POST /jobs": "background jobs, system admins only; no channel content",
    "POST /opengraph": (
        "takes a URL, not a conversation; a private channel's previews reach only its members: "
        "tests/api/test_link_previews.py: test_previews_of_private_channels_stay_in_them"
    ),
    "POST /jobs/{job_id}/cancel": "background jobs, system admins only; no channel content",
    "POST /users/{user_id}/image": "profile pictures, no channel content (tests/api/test_avatars.py)",
    "DELETE /users/{user_id}/image": "profile pictures, no channel content (tests/api/test_avatars.py)",
    "POST /teams/{team_id}/image": "team icons, team admins only; no channel content (tests/api/test_avatars.py)",
    "DELETE /teams/{team_id}/image": "team icons, team admins only; no channel content (tests/api/test_avatars.py)",
    "POST /emoji": "custom emoji are server-wide, no channel content (tests/api/test_custom_emoji.py)",
    "DELETE /emoji/{emoji_id}": "custom emoji are server-wide; deleting one removes its reactions, which "
    "sends reaction_removed only to the channels that had one (tests/api/test_custom_emoji.py)",
    # Integrations: bots are accounts (system admins and their owners), hooks a team admin's.
    "POST /bots": "account management (system admins only), no channel content (tests/api/test_bots.py)",
    "PUT /bots/{bot_user_id}": "account management, no channel content (tests/api/test_bots.py)",
    "POST /bots/{bot_user_id}/disable": "account management, no channel content (tests/api/test_bots.py)",
    "POST /bots/{bot_user_id}/enable": "account management, no channel content (tests/api/test_bots.py)",
    "POST /bots/{bot_user_id}/assign/{user_id}": "account management (system admins only), no channel content",
    "POST /bots/{bot_user_id}/convert_to_user": "account management (system admins only), no channel content",
    "POST /users/{user_id}/convert_to_bot": "account management (system admins only), no channel content",
    "POST /hooks/incoming": "the channel in the body must be readable by the team admin making the hook "
    "(tests/api/test_webhooks.py: test_managing_incoming_hooks_takes_a_team_admin)",
    "PUT /hooks/incoming/{hook_id}": "as POST /hooks/incoming, and only a team admin of the hook's team",
    "DELETE /hooks/incoming/{hook_id}": "only a team admin of the hook's team; no channel content",
    "POST /hooks/outgoing": "outgoing hooks fire for public channels only; a private channel in the body is "
    "refused (tests/api/test_webhooks.py: test_outgoing_hooks_refuse_private_addresses_and_bad_fields)",
    "PUT /hooks/outgoing/{hook_id}": "as POST /hooks/outgoing, and only a team admin of the hook's team",
    "DELETE /hooks/outgoing/{hook_id}": "only a team admin of the hook's team; no channel content",
    "POST /hooks/outgoing/{hook_id}/regen_token": "only a team admin of the hook's team; no channel content",
    # moderation (decision 0031)
    "POST /terms_of_service": "admins publish the terms; tests/api/test_terms_of_service.py, no channel content",
    "POST /users/{user_id}/terms_of_service": "your own answer to the terms; tests/api/test_terms_of_service.py",
    # Custom slash commands and interactive dialogs (tests/api/test_slash_commands_custom.py,
    # tests/api/test_interactive.py, both with private-channel tests).
    "POST /commands": "team admins manage a team's commands; no channel content",
    "PUT /commands/{command_id}": "team admins manage a team's commands; no channel content",
    "DELETE /commands/{command_id}": "team admins manage a team's commands; no channel content",
    "PUT /commands/{command_id}/regen_token": "team admins manage a team's commands; no channel content",
    "PUT /commands/{command_id}/move": "team admins manage a team's commands; no channel content",
    "POST /actions/dialogs/open": "reaches only the user a trigger id was issued to "
    "(test_interactive.py::test_dialogs_need_a_fresh_genuine_trigger)",
    "POST /actions/dialogs/submit": "the channel in the body must be readable by the caller "
    "(test_interactive.py::test_a_dialog_opens_for_the_clicker_and_its_answers_reach_the_integration)",
    # -- data retention: system admins only (tests/api/test_data_retention.py), no channel content
    **{
        route: "retention policies, system admins only (test_only_system_admins_manage_custom_policies)"
        for route in (
            "POST /data_retention/policies",
            "PATCH /data_retention/policies/{policy_id}",
            "DELETE /data_retention/policies/{policy_id}",
            "POST /data_retention/policies/{policy_id}/teams",
            "DELETE /data_retention/policies/{policy_id}/teams",
            "POST /data_retention/policies/{policy_id}/channels",
            "DELETE /data_retention/policies/{policy_id}/channels",
            "POST /data_retention/policies/{policy_id}/teams/search",
            "POST /data_retention/policies/{policy_id}/channels/search",
        )
    },
    # Moderators' tools act on users, not on channels' content (tests/api/test_moderation_tools.py).
    **{
        route: "moderators and system admins only, never on admins; answers hold no content "
        "(test_who_may_use_the_moderation_tools)"
        for route in (
            "POST /villagepump/moderation/users/{user_id}/warn",
            "PUT /villagepump/moderation/users/{user_id}/mute",
            "DELETE /villagepump/moderation/users/{user_id}/mute",
        )
    },
    # The built-in IRC bridge (tests/bridges/test_irc_bridge.py).
    "POST /villagepump/bridges/irc/networks": "IRC networks, system admins only; no channel content",
    "PATCH /villagepump/bridges/irc/networks/{network_id}": "IRC networks, system admins only; no channel content",
    "DELETE /villagepump/bridges/irc/networks/{network_id}": "IRC networks, system admins only",
    "POST /villagepump/bridges/irc/mappings": "test_outsiders_cannot_write_with_hidden_ids_in_the_body",
    "DELETE /villagepump/bridges/irc/mappings/{mapping_id}": "system admins and the channel's admins only "
    "(test_who_may_bridge_and_bad_input, test_unmapped_and_private_channels_never_reach_irc)",
    # Reports (tests/api/test_reports.py). Reading them is swept (moderators read snapshots of
    # what was reported to them, by design: decision 0036).
    "POST /villagepump/reports": "test_outsiders_cannot_write_with_hidden_ids_in_the_body",
    "POST /villagepump/reports/{report_id}/resolve": "moderators only, on a report's own copy "
    "(test_members_and_team_admins_cannot_read_or_handle_the_queue)",
    "POST /villagepump/reports/{report_id}/dismiss": "moderators only, on a report's own copy "
    "(test_members_and_team_admins_cannot_read_or_handle_the_queue)",
    # Personal data exports (tests/api/test_personal_data.py): a zip of the user's own posts.
    "POST /villagepump/users/{user_id}/data_export": "the user's own data, or any user's for an admin; only "
    "the one who asked downloads it (test_only_the_one_who_asked_reads_or_downloads_an_export), and it "
    "holds none of the other side's direct messages (test_hamlet_downloads_everything_he_posted_...)",
    # Security keys: the caller's own keys and logins (tests/api/test_webauthn.py).
    "POST /villagepump/webauthn/keys": "account management: the caller's own security key, no channel content",
    "POST /villagepump/webauthn/keys/options": "account management: the caller's own key, no channel content",
    "DELETE /villagepump/webauthn/keys/{key_id}": "account management: only the caller's own key "
    "(test_removing_a_key_takes_the_password_or_a_code)",
    "POST /villagepump/webauthn/login/options": "account management, no channel content",
    "POST /villagepump/webauthn/login": "account management, no channel content",
}


def is_read(route: ImplementedRoute) -> bool:
    return route.method == "GET" or route.key in READ_POSTS


def writes_through_hidden_path(route: ImplementedRoute) -> bool:
    return (
        not is_read(route)
        and route.method != "WEBSOCKET"
        and bool(PATH_PARAMETERS_THAT_HIDE & set(route.param_names))
    )


READS = [route for route in ROUTES.values() if is_read(route)]
HIDDEN_PATH_WRITES = [route for route in ROUTES.values() if writes_through_hidden_path(route)]


def test_every_route_is_swept_or_exempted() -> None:
    swept = {r.key for r in READS} | {r.key for r in HIDDEN_PATH_WRITES}
    assert not set(EXEMPT) & swept, f"exempted but swept: {sorted(set(EXEMPT) & swept)}"
    assert not set(EXEMPT) - set(ROUTES), f"stale exemptions: {sorted(set(EXEMPT) - set(ROUTES))}"
    unchecked = sorted(set(ROUTES) - swept - set(EXEMPT))
    assert not unchecked, f"sweep these routes or exempt them with a reason: {unchecked}"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: str | None

    def describe(self) -> str:
        return f"{self.method} {self.path} {dict(self.query)} {self.body or ''}"


@dataclass
class Caller:
    name: str
    api: API
    user_id: str  # "" when anonymous
    forbidden: list[str]  # strings no body may hold
    forbidden_ids: list[str]  # ids no 2xx body may hold


def _path_values(
    route: ImplementedRoute, world: Secrets, hidden: Hidden, caller: Caller
) -> dict[str, list[str]]:
    hamlet = world.hamlet
    own = [caller.user_id] if caller.user_id else ["me"]
    team = world.team
    values = {
        "user_id": [*own, hamlet.id, world.othello.id],
        "team_id": [team["id"]],
        "team_name": [team["name"]],
        "name": hidden.post_ids[:1] if "preferences" in route.path else [team["name"]],
        "channel_id": [hidden.channel["id"]],
        "channel_name": [hidden.channel["name"]],
        "post_id": hidden.post_ids,
        "thread_id": hidden.post_ids[:1],
        "file_id": hidden.file_ids,
        "root_id": hidden.post_ids[:1],
        "emoji_name": [EMOJI],
        "emoji_id": ["e" * 26],
        "category_id": world.hamlet_category_ids,
        "category": ["flagged_post"],
        "username": [hamlet.username],
        "email": [hamlet.user["email"]],
        "invite_id": [team["invite_id"]],
        "token_id": ["t" * 26],
        "role_name": ["channel_user"],
        "role_id": ["r" * 26],
        "timestamp": ["0"],
        "job_id": ["j" * 26],
        "policy_id": ["p" * 26],
        "type": ["expire_sessions"],
        "bot_user_id": ["b" * 26],
        "hook_id": ["h" * 26],
        "command_id": ["c" * 26],
        "action_id": ["a" * 26],
        "report_id": ["q" * 26],
        "export_id": ["x" * 26],
    }
    unknown = [p for p in route.param_names if p not in values]
    assert not unknown, f"{route.key}: give the sweep values for {unknown}"
    return {p: values[p] for p in route.param_names}


def _queries(route: ImplementedRoute, world: Secrets, hidden: Hidden) -> list[dict[str, str]]:
    if route.method != "GET":
        return [{}]
    channel_id, team_id, root_id = hidden.channel["id"], world.team["id"], hidden.post_ids[0]
    # format=old: the only client config and licence format served (others answer 501).
    queries: list[dict[str, str]] = [
        {},
        {
            "in_channel": channel_id,
            "channel_id": channel_id,
            "team_id": team_id,
            "in_team": team_id,
            "include_deleted": "true",
            "deleted": "true",
            "extended": "true",
            "collapsedThreads": "true",
            "collapsedThreadsExtended": "true",
            "since": "1",
            "include_total_count": "true",
            "per_page": "200",
        },
        {
            "not_in_channel": channel_id,
            "name": hidden.search_term,
            "term": hidden.search_term,
            "fromPost": root_id,
        },
        {"in_channel": channel_id, "name": world.hamlet.username[:5], "term": world.hamlet.username},
    ]
    return [{"format": "old", **query} for query in queries]


def _read_body(route: ImplementedRoute, world: Secrets, hidden: Hidden) -> Any:
    users = [world.hamlet.id, world.othello.id]
    # Any of the conversation's words, archived channels included, in:/from: its channel and poster.
    everything_said = {
        "terms": " ".join(hidden.post_words),
        "is_or_search": True,
        "include_deleted_channels": True,
    }
    bodies: dict[str, Any] = {
        "POST /posts/ids": hidden.post_ids,
        "POST /posts/ids/reactions": hidden.post_ids,
        "POST /users/ids": users,
        "POST /users/usernames": [world.hamlet.username, world.othello.username],
        "POST /users/group_channels": [hidden.channel["id"]],
        "POST /users/status/ids": users,
        "POST /channels/{channel_id}/members/ids": users,
        "POST /teams/{team_id}/channels/search": {"term": hidden.search_term},
        "POST /teams/{team_id}/channels/ids": [hidden.channel["id"]],
        "POST /teams/{team_id}/members/ids": users,
        "POST /teams/search": {"term": world.team["name"]},
        "POST /roles/names": ["channel_user", "channel_admin"],
        "POST /users/search": {
            "term": world.hamlet.username,
            "team_id": world.team["id"],
            "in_channel_id": hidden.channel["id"],
        },
        "POST /channels/group/search": {"term": world.hamlet.username},
        "POST /emoji/names": [EMOJI, hidden.search_term],
        "POST /emoji/search": {"term": hidden.search_term},
        "POST /teams/{team_id}/posts/search": everything_said,
        "POST /posts/search": everything_said,
        "POST /teams/{team_id}/files/search": everything_said,
        "POST /files/search": everything_said,
    }
    return bodies.get(route.key)


def _fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def read_calls(route: ImplementedRoute, world: Secrets, caller: Caller) -> Iterator[Call]:
    seen: set[Call] = set()
    for hidden in world.hidden_from(caller.user_id or "anonymous"):
        params = _path_values(route, world, hidden, caller)
        body = _read_body(route, world, hidden)
        encoded = json.dumps(body) if body is not None else None
        for combination in itertools.product(*params.values()):
            path = _fill(route.path, dict(zip(params, combination, strict=True)))
            for query in _queries(route, world, hidden):
                call = Call(route.method, path, tuple(sorted(query.items())), encoded)
                if call not in seen:
                    seen.add(call)
                    yield call


def send(http: httpx.Client, caller: Caller, call: Call) -> httpx.Response:
    headers = {"Authorization": f"Bearer {caller.api.token}"} if caller.api.token else {}
    if call.body is not None:
        headers["Content-Type"] = "application/json"
    return http.request(
        call.method, "/api/v4" + call.path, params=dict(call.query), content=call.body, headers=headers
    )


def leaks(response: httpx.Response, caller: Caller, call: Call) -> list[str]:
    """What is wrong with this answer, as readable lines."""
    where = f"{caller.name}: {call.describe()} -> {response.status_code}"
    text = response.text
    found = [f"{where} shows {word!r}" for word in caller.forbidden if word in text]
    if response.is_success:
        found += [f"{where} shows id {i}" for i in caller.forbidden_ids if i in text]
        return found
    # A 400 (a required parameter missing) refuses as well; its body is checked like any other.
    if response.status_code not in REFUSALS | {400}:
        return [*found, f"{where} is neither a success nor a refusal: {text[:160]}"]
    body = response.json() if response.headers.get("content-type") == "application/json" else None
    if not isinstance(body, dict) or any(not isinstance(body.get(k), t) for k, t in ENVELOPE.items()):
        found.append(f"{where} has no error envelope: {text[:160]}")
    return found


def callers(world: Secrets, anonymous: API) -> list[Caller]:
    def outsider(name: str, api: API) -> Caller:
        hidden = world.hidden_from(api.id)
        words = [w for h in hidden for w in (*h.post_words, *h.channel_words)]
        return Caller(name, api, api.id, words, [i for h in hidden for i in h.ids])

    every_post_word = [w for h in world.hidden for w in h.post_words]
    channel_words = [w for h in world.hidden for w in h.channel_words]
    every_id = [i for h in world.hidden for i in h.ids]
    return [
        outsider("cordelia", world.cordelia),
        outsider("iago", world.iago),
        Caller("anonymous", anonymous, "", every_post_word + channel_words, every_id),
        Caller("admin", world.admin, world.admin.id, every_post_word, []),
    ]


@pytest.mark.parametrize("area", sorted({r.area for r in READS}))
def test_reads_show_nothing_hidden(
    area: str, server: ServerProcess, shared_secrets: Secrets, anonymous: API
) -> None:
    problems: list[str] = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for caller in callers(shared_secrets, anonymous):
            for route in (r for r in READS if r.area == area):
                for call in read_calls(route, shared_secrets, caller):
                    problems += leaks(send(http, caller, call), caller, call)
    assert not problems, "\n".join(problems[:15])


def test_the_sweep_would_notice_a_member_reading(server: ServerProcess, shared_secrets: Secrets) -> None:
    """Guards the sweep itself: hamlet, a member, reads what outsiders must not."""
    world = shared_secrets
    words = [w for h in world.hidden for w in (*h.post_words, *h.channel_words)]
    member = Caller("hamlet", world.hamlet, world.hamlet.id, words, [i for h in world.hidden for i in h.ids])
    outsider_view = Caller("hamlet", world.hamlet, "", words, member.forbidden_ids)
    leaked: set[str] = set()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for route in READS:
            for call in read_calls(route, world, outsider_view):
                if leaks(send(http, member, call), member, call):
                    leaked.add(route.key)
    for key in (
        "GET /posts/{post_id}",
        "GET /channels/{channel_id}",
        "GET /users/{user_id}/posts/flagged",
        "POST /teams/{team_id}/posts/search",
        "POST /posts/search",
        "POST /teams/{team_id}/files/search",
        "POST /files/search",
    ):
        assert key in leaked, key


def _write_body(route: ImplementedRoute, path: dict[str, str], caller: Caller) -> Any:
    """A body that would succeed for a member, so a refusal is the permission check's."""
    if route.method == "DELETE" or "/pin" in route.path or "/following" in route.path:
        return None
    if route.path.endswith("/notify_props"):
        return {"desktop": "all", "mark_unread": "all", "push": "all"}
    body: dict[str, Any] = {
        "user_id": caller.user_id,
        "message": "overwritten by an outsider",
        "header": "header by an outsider",
        "purpose": "purpose by an outsider",
        "display_name": "Outsider",
        "privacy": "O",
        "roles": "channel_user channel_admin",
        "scheme_admin": True,
        "scheme_user": True,
    }
    for name in ("channel_id", "post_id", "category_id"):
        if name in path:
            body["id"] = body[name] = path[name]
    return body


def write_calls(route: ImplementedRoute, world: Secrets, caller: Caller) -> Iterator[Call]:
    for hidden in world.hidden_from(caller.user_id):
        params = _path_values(route, world, hidden, caller)
        params["user_id"] = [caller.user_id, world.hamlet.id]
        params["timestamp"] = [str(2**41)]
        params = {p: params[p] for p in route.param_names}
        for combination in itertools.product(*params.values()):
            values = dict(zip(params, combination, strict=True))
            body = _write_body(route, values, caller)
            yield Call(route.method, _fill(route.path, values), (), json.dumps(body) if body else None)


def hamlets_view(world: Secrets) -> list[Any]:
    """Everything about the hidden conversations that an outsider's write could change."""
    team_id = world.team["id"]
    view: list[Any] = []
    for hidden in world.hidden:
        cid = hidden.channel["id"]
        view += [
            world.hamlet.ok("GET", f"/channels/{cid}"),
            world.hamlet.ok("GET", f"/channels/{cid}/members"),
            world.hamlet.ok("GET", f"/channels/{cid}/posts"),
            world.hamlet.ok("GET", f"/channels/{cid}/pinned"),
            world.hamlet.ok("GET", f"/posts/{hidden.post_ids[0]}/reactions"),
        ]
    for member in (world.hamlet, world.othello):
        view += [
            member.ok("GET", f"/users/{member.id}/posts/flagged"),
            member.ok("GET", f"/users/{member.id}/teams/{team_id}/threads"),
            member.ok("GET", f"/users/{member.id}/teams/{team_id}/channels/categories"),
            member.ok("GET", f"/users/{member.id}/teams/{team_id}/drafts"),
        ]
    return view


def test_outsiders_cannot_write_through_hidden_ids(server: ServerProcess, fresh_secrets: Secrets) -> None:
    world = fresh_secrets
    before = hamlets_view(world)
    problems: list[str] = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for caller in callers(world, API(server.url))[:2]:
            for route in HIDDEN_PATH_WRITES:
                for call in write_calls(route, world, caller):
                    response = send(http, caller, call)
                    if response.is_success:
                        problems.append(f"{caller.name}: {call.describe()} -> {response.status_code}")
                    problems += leaks(response, caller, call)
    assert not problems, "\n".join(problems[:15])
    assert hamlets_view(world) == before


def _refused(response: httpx.Response, what: str, allowed: set[int] = REFUSALS) -> str | None:
    if response.status_code in allowed:
        return None
    return f"{what} -> {response.status_code} {response.text[:200]}"


def _body_writes(world: Secrets, outsider: API, hidden: Hidden) -> list[str | None]:
    cid, root_id = hidden.channel["id"], hidden.post_ids[0]
    town_square = outsider.ok("GET", f"/teams/{world.team['id']}/channels/name/town-square")
    team_path = f"/users/{outsider.id}/teams/{world.team['id']}/channels/categories"
    mine = outsider.ok("GET", team_path)["categories"]
    view = outsider.post(f"/channels/members/{outsider.id}/view", {"channel_id": cid})
    return [
        _refused(outsider.post("/posts", {"channel_id": cid, "message": "outsider post"}), "post"),
        # A reply from a channel the outsider is in, to a root in one they are not.
        _refused(
            outsider.post(
                "/posts", {"channel_id": town_square["id"], "root_id": root_id, "message": "outsider"}
            ),
            "cross-channel reply",
            REFUSALS | {400},
        ),
        _refused(
            outsider.post("/reactions", {"user_id": outsider.id, "post_id": root_id, "emoji_name": "smile"}),
            "reaction",
        ),
        # Viewing a channel one is not in is a no-op that reports no read time, as in Mattermost.
        _refused(view, "view", REFUSALS) if cid in view.text else None,
        _refused(
            outsider.post(team_path, {"display_name": "Stolen", "type": "custom", "channel_ids": [cid]}),
            "new category",
            REFUSALS | {400, 200, 201},
        ),
        _refused(
            outsider.put(team_path, [{**mine[0], "channel_ids": [*mine[0]["channel_ids"], cid]}]),
            "categories",
            REFUSALS | {400, 200},
        ),
        _refused(
            outsider.put(f"{team_path}/order", [*world.hamlet_category_ids, *(c["id"] for c in mine)]),
            "category order",
            REFUSALS | {400, 200},
        ),
        _refused(
            outsider.post("/commands/execute", {"command": "/echo outsider", "channel_id": cid}),
            "slash command in the hidden channel",
        ),
        _joined_by_command(world, outsider, hidden, town_square),
        _refused(
            outsider.post(
                "/villagepump/bridges/irc/mappings",
                {"network_id": new_id(), "channel_id": cid, "irc_channel": "#stolen"},
            ),
            "IRC bridge mapping of the hidden channel",
        ),
        # A report would copy the post and its neighbours into a moderator's view.
        _refused(
            outsider.post("/villagepump/reports", {"post_id": root_id, "reason": "spam"}),
            "report of a hidden post",
        ),
    ]


def _joined_by_command(
    world: Secrets, outsider: API, hidden: Hidden, town_square: dict[str, Any]
) -> str | None:
    """/join ~name of a private channel one is not in answers as if it did not exist."""
    command = {"command": f"/join ~{hidden.channel['name']}", "channel_id": town_square["id"],
               "team_id": world.team["id"]}  # fmt: skip
    response = outsider.post("/commands/execute", command)
    if response.status_code in REFUSALS | {400}:
        return None
    if (
        response.status_code != 200
        or response.json().get("goto_location")
        or hidden.channel["id"] in response.text
    ):
        return f"/join of a hidden channel -> {response.status_code} {response.text[:200]}"
    return None


def test_outsiders_cannot_write_with_hidden_ids_in_the_body(
    server: ServerProcess, fresh_secrets: Secrets
) -> None:
    world = fresh_secrets
    before = hamlets_view(world)
    problems: list[str | None] = []
    for outsider in (world.cordelia, world.iago):
        for hidden in world.hidden_from(outsider.id):
            problems += _body_writes(world, outsider, hidden)
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)
    assert hamlets_view(world) == before
    # Whatever the writes were answered, the outsiders' own reads show nothing more.
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for caller in callers(world, API(server.url))[:2]:
            for route in (r for r in READS if r.area in ("categories", "channels", "posts", "threads")):
                for call in read_calls(route, world, caller):
                    problems += leaks(send(http, caller, call), caller, call)
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def _stir_hidden_conversations(
    world: Secrets, horatio: API, hamlet_socket: EventStream, tag: str
) -> list[str]:
    """hamlet and othello do everything a conversation does; returns the new words used."""
    hamlet, othello = world.hamlet, world.othello
    words: list[str] = []
    for hidden in world.hidden:
        if hidden.label == "archived":
            continue
        cid, root_id = hidden.channel["id"], hidden.post_ids[0]
        word = f"{hidden.label}live{tag}"
        words += [word, f"{word}edited"]
        post = hamlet.ok("POST", "/posts", {"channel_id": cid, "message": word})
        hidden.post_ids.append(post["id"])
        othello.ok("POST", "/posts", {"channel_id": cid, "root_id": post["id"], "message": f"{word} reply"})
        hamlet.ok("PUT", f"/posts/{post['id']}/patch", {"message": f"{word}edited"})
        othello.ok(
            "POST", "/reactions", {"user_id": othello.id, "post_id": post["id"], "emoji_name": "skull"}
        )
        othello.ok("DELETE", f"/users/{othello.id}/posts/{post['id']}/reactions/skull")
        hamlet.ok("POST", f"/posts/{root_id}/unpin")
        hamlet.ok("POST", f"/posts/{root_id}/pin")
        hamlet_socket.send("user_typing", {"channel_id": cid, "parent_id": ""})
        othello.ok("POST", f"/channels/members/{othello.id}/view", {"channel_id": cid})
        othello.ok("POST", f"/users/{othello.id}/posts/{post['id']}/set_unread")
        if hidden.label == "private":
            header = f"privatenewheader{tag}"
            words.append(header)
            hamlet.ok("PUT", f"/channels/{cid}/patch", {"header": header})
            hamlet.ok("POST", f"/channels/{cid}/members", {"user_id": horatio.id})
            hamlet.ok("DELETE", f"/channels/{cid}/members/{horatio.id}")
        hamlet.ok("DELETE", f"/posts/{post['id']}")
    return words


def test_sockets_hear_nothing_of_hidden_conversations(server: ServerProcess, fresh_secrets: Secrets) -> None:
    world = fresh_secrets
    horatio = create_user(world.admin, "horatio")
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": horatio.id}
    )
    listeners = {"cordelia": world.cordelia, "iago": world.iago}
    sockets = {name: api.websocket() for name, api in listeners.items()}
    hamlet_socket = world.hamlet.websocket()
    try:
        tag = secrets.token_hex(4)
        words = _stir_hidden_conversations(world, horatio, hamlet_socket, tag)
        sentinel = f"publicsentinel{tag}"
        town_square = world.hamlet.ok("GET", f"/teams/{world.team['id']}/channels/name/town-square")
        world.hamlet.ok("POST", "/posts", {"channel_id": town_square["id"], "message": sentinel})
        _wait_for(hamlet_socket, words[0])  # the events were sent, to members
        problems: list[str] = []
        for name, socket in sockets.items():
            _wait_for(socket, sentinel)
            hidden = world.hidden_from(listeners[name].id)
            forbidden = [*words, *(w for h in hidden for w in (*h.post_words, *h.channel_words))]
            if name == "iago":
                forbidden = [w for w in forbidden if not w.startswith("group")]
            ids = [i for h in hidden for i in h.ids]
            for event in socket.seen:
                text = json.dumps(event)
                problems += [f"{name} heard {w!r}: {text[:300]}" for w in (*forbidden, *ids) if w in text]
        assert not problems, "\n".join(problems[:15])
    finally:
        for socket in (*sockets.values(), hamlet_socket):
            socket.close()


def _wait_for(socket: EventStream, word: str, timeout: float = 10) -> None:
    """Reads events until one mentions `word`: the socket is alive and has heard all before it."""
    deadline = time.monotonic() + timeout
    while not any(word in json.dumps(event) for event in socket.seen):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no event with {word!r}; saw {[e.get('event') for e in socket.seen]}"
        try:
            socket.next(remaining)
        except TimeoutError:
            continue


def test_membership_filters_are_refused_to_outsiders(shared_secrets: Secrets) -> None:
    """Who is in a hidden conversation is hidden too; user lists hold no words to search for,
    so these filters are checked by their answer."""
    world = shared_secrets
    team_id = world.team["id"]
    for outsider in (world.cordelia, world.iago):
        for hidden in world.hidden_from(outsider.id):
            cid = hidden.channel["id"]
            for path in (
                f"/users?in_channel={cid}",
                f"/users?in_team={team_id}&not_in_channel={cid}",
                f"/users/autocomplete?in_team={team_id}&in_channel={cid}&name=",
            ):
                response = outsider.get(path)
                assert response.status_code in REFUSALS, (
                    f"{path}: {response.status_code} {response.text[:200]}"
                )
            assert outsider.ok("POST", "/users/group_channels", [cid]) == {}
