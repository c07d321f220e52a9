"""Every implemented route survives malformed requests: never a 5xx, always Mattermost's error envelope.

Each route is fuzzed as a fresh normal user (a member of the fuzz team) and anonymously. The
examples are seeded from the route, so a failure reproduces; raise VILLAGEPUMP_FUZZ_EXAMPLES for a
longer run.
"""

import io
import json
import os
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from PIL import Image

from tests.fuzz.strategies import Context, FuzzRequest, requests_for, systematic_requests
from tests.spec.routes import ImplementedRoute, implemented_routes
from tests.support.client import API, PASSWORD, create_user, unique
from tests.support.server import ServerProcess

EXAMPLES = int(os.environ.get("VILLAGEPUMP_FUZZ_EXAMPLES", "25"))
ANONYMOUS_EXAMPLES = max(4, EXAMPLES // 3)
ENVELOPE = {"id": str, "message": str, "detailed_error": str, "request_id": str, "status_code": int}

ROUTES = implemented_routes()
# Routes left out of the fuzz, each with the reason. A route in neither list fails the suite.
EXCLUDED: dict[str, str] = {}
FUZZED = [route for route in ROUTES if route.key not in EXCLUDED]

# Where the fuzz gets good values for each path parameter name (see `fuzz_context`). A route with
# a parameter not listed here fails test_every_route_is_fuzzed_or_excluded until it is added.
KNOWN_PATH_PARAMETERS = {
    "user_id",
    "team_id",
    "channel_id",
    "post_id",
    "thread_id",
    "root_id",
    "token_id",
    "username",
    "email",
    "channel_name",
    "team_name",
    "emoji_name",
    "emoji_id",
    "category_id",
    "role_id",
    "role_name",
    "file_id",
    "session_id",
    "category",
    "preference_name",
    "name",
    "invite_id",
    "timestamp",
    "job_id",
    "type",
    "network_id",
    "mapping_id",
    "bot_user_id",
    "hook_id",
    "command_id",
    "action_id",
    "policy_id",
    "report_id",
    "export_id",
    "key_id",
}


def test_every_route_is_fuzzed_or_excluded() -> None:
    keys = {route.key for route in ROUTES}
    assert not set(EXCLUDED) - keys, f"stale exclusions: {sorted(set(EXCLUDED) - keys)}"
    assert {route.key for route in FUZZED} | set(EXCLUDED) == keys
    unknown = sorted({(r.key, p) for r in FUZZED for p in r.param_names if p not in KNOWN_PATH_PARAMETERS})
    assert not unknown, f"add these path parameters to KNOWN_PATH_PARAMETERS and fuzz_context: {unknown}"


class Caller:
    """The fuzzing user; comes back to life (re-login or a new account) when the fuzz ends its session."""

    def __init__(self, admin: API, team_id: str) -> None:
        self.admin = admin
        self.team_id = team_id
        self.api = self._new_member()

    def _new_member(self) -> API:
        api = create_user(self.admin, "fuzzer")
        self.admin.ok("POST", f"/teams/{self.team_id}/members", {"team_id": self.team_id, "user_id": api.id})
        return api

    def revive(self) -> None:
        if self.api.get("/users/me").status_code == 200:
            return
        response = self.api.post("/users/login", {"login_id": self.api.username, "password": PASSWORD})
        if response.status_code == 200:
            self.api.token = response.headers["Token"]
        else:
            self.api = self._new_member()


@pytest.fixture(scope="module")
def fuzz_context(server: ServerProcess, admin: API) -> dict[str, list[Any]]:
    """A team with a second member who owns posts, a reply, a reaction and a private channel,
    where the routes for them exist; good values for the fuzz come from here."""
    team = admin.ok("POST", "/teams", {"name": unique("fuzz-"), "display_name": "Fuzz", "type": "O"})
    owner = create_user(admin, "owner")
    admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": owner.id})
    channels = [
        admin.ok("GET", f"/teams/{team['id']}/channels/name/{name}") for name in ("town-square", "off-topic")
    ]
    values: dict[str, list[Any]] = {
        "team_id": [team["id"]],
        "team_name": [team["name"]],
        "channel_id": [c["id"] for c in channels],
        "channel_name": ["town-square", "off-topic"],
        "username": [owner.username, "sysadmin"],
        "email": [owner.user["email"]],
        "login_id": [owner.username],
        "user_id": [owner.id, "me"],
        "emoji_name": ["smile", "+1", "thumbsup"],
        "role_name": ["system_user", "team_user", "channel_user", "system_admin"],
        "category": ["display_settings", "favorite_channel", "flagged_post", "direct_channel_show"],
        "status": ["online", "away", "dnd", "offline"],
        "type": ["O", "P", "D", "G", ""],
        "message": ["hello", ""],
        "name": [team["name"], "display_settings", unique("n-")],
        "invite_id": [team["invite_id"]],
        "timestamp": ["0", str(2**40)],
        "display_name": ["Display"],
    }
    _add_optional_objects(owner, team["id"], channels[0]["id"], values)
    _add_custom_emoji(owner, values)
    _add_found_ids(owner, team["id"], values)
    _add_irc_bridge(admin, channels[1]["id"], values)
    _add_integrations(admin, team["id"], channels[0]["id"], values)
    _add_report(admin, values)
    # An admin's export of the owner's data: the fuzzing member may neither read nor download it.
    export = admin.ok("POST", f"/villagepump/users/{owner.id}/data_export", status=201)
    values["export_id"] = [export["id"]]
    # A security key needs the site URL this shared server lacks (its routes answer 501): an id
    # of no one's key still walks the removal's checks.
    values["key_id"] = ["k" * 26]
    values["any_id"] = sorted(
        {v for k, vs in values.items() if k.endswith("_id") for v in vs if len(v) == 26}
    )
    return values


def _add_irc_bridge(admin: API, channel_id: str, values: dict[str, list[Any]]) -> None:
    """An IRC network (at a name that never resolves: the relay only retries) and a mapping."""
    network = admin.ok(
        "POST",
        "/villagepump/bridges/irc/networks",
        {"name": unique("fuzz-"), "host": "irc.invalid", "port": 6667, "tls": False, "nick": "vpfuzz"},
    )
    body = {"network_id": network["id"], "channel_id": channel_id, "irc_channel": "#fuzz"}
    values["network_id"] = [network["id"]]
    values["mapping_id"] = [admin.ok("POST", "/villagepump/bridges/irc/mappings", body)["id"]]


def _add_integrations(admin: API, team_id: str, channel_id: str, values: dict[str, list[Any]]) -> None:
    """A bot, an incoming and an outgoing webhook, a custom command and a retention policy, all
    an admin's: the fuzzing member may reach none of them."""
    admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": True}})
    values["bot_user_id"] = [admin.ok("POST", "/bots", {"username": unique("fuzzbot-")})["user_id"]]
    incoming = admin.ok("POST", "/hooks/incoming", {"channel_id": channel_id}, status=201)
    outgoing = admin.ok(
        "POST",
        "/hooks/outgoing",
        {"team_id": team_id, "trigger_words": ["fuzz"], "callback_urls": ["https://example.org/hook"]},
        status=201,
    )
    values["hook_id"] = [incoming["id"], outgoing["id"]]
    command = {"team_id": team_id, "trigger": unique("fuzz"), "url": "https://example.org/c", "method": "P"}
    values["command_id"] = [admin.ok("POST", "/commands", command, status=201)["id"]]
    values["action_id"] = ["button", unique("a")]
    policy = {"display_name": "Fuzz", "post_duration": 30, "team_ids": [], "channel_ids": []}
    values["policy_id"] = [admin.ok("POST", "/data_retention/policies", policy, status=201)["id"]]


def _add_report(admin: API, values: dict[str, list[Any]]) -> None:
    """An open report by the admin on the owner's post: the fuzzing member may not read it."""
    values["reason"] = ["spam", "other"]
    values["report_id"] = []
    for post_id in values.get("post_id", [])[:1]:
        body = {"post_id": post_id, "reason": "spam", "comment": "fuzz"}
        values["report_id"].append(admin.ok("POST", "/villagepump/reports", body)["id"])


def _add_optional_objects(owner: API, team_id: str, channel_id: str, values: dict[str, list[Any]]) -> None:
    private = owner.post(
        "/channels", {"team_id": team_id, "name": unique("p-"), "display_name": "P", "type": "P"}
    )
    if private.status_code == 201:
        values["channel_id"].append(private.json()["id"])
    # A direct channel the fuzzing user is not in: its id must not open anything to them.
    direct = owner.post("/channels/direct", [owner.id, owner.id])
    if direct.status_code == 201:
        values["channel_id"].append(direct.json()["id"])
    file_ids = _upload_files(owner, channel_id)
    values["file_id"] = file_ids
    root = owner.post(
        "/posts", {"channel_id": channel_id, "message": "a root post for the fuzz", "file_ids": file_ids[:1]}
    )
    if root.status_code != 201:
        return
    root_id = root.json()["id"]
    reply = owner.post("/posts", {"channel_id": channel_id, "message": "a reply", "root_id": root_id})
    post_ids = [root_id] + ([reply.json()["id"]] if reply.status_code == 201 else [])
    values.update(post_id=post_ids, root_id=[root_id], thread_id=[root_id], parent_id=[root_id])
    owner.post("/reactions", {"user_id": owner.id, "post_id": root_id, "emoji_name": "smile"})


def _add_custom_emoji(owner: API, values: dict[str, list[Any]]) -> None:
    values["emoji_id"] = ["e" * 26]
    name = unique("fuzz-emoji-").lower()
    picture = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 60)).save(picture, "PNG")
    described = json.dumps({"name": name, "creator_id": owner.id})
    created = owner.request(
        "POST", "/emoji", files={"image": ("dot.png", picture.getvalue())}, data={"emoji": described}
    )
    if created.status_code == 201:
        values["emoji_id"] = [created.json()["id"]]
        values["emoji_name"].append(name)


def _upload_files(owner: API, channel_id: str) -> list[str]:
    """An image (attached to the root post) and a text file left unattached."""
    file_ids = []
    for name, content in (("dot.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ("note.txt", b"a note")):
        response = owner.request(
            "POST", "/files", params={"channel_id": channel_id}, files={"files": (name, content)}
        )
        if response.status_code == 201:
            file_ids.append(response.json()["file_infos"][0]["id"])
    return file_ids


def _add_found_ids(owner: API, team_id: str, values: dict[str, list[Any]]) -> None:
    categories = owner.get(f"/users/me/teams/{team_id}/channels/categories")
    if categories.status_code == 200:
        values["category_id"] = [c["id"] for c in categories.json()["categories"]][:2]
    role = owner.get("/roles/name/system_user")
    if role.status_code == 200:
        values["role_id"] = [role.json()["id"]]


@pytest.fixture
def caller(server: ServerProcess, admin: API, fuzz_context: dict[str, list[Any]]) -> Iterator[Caller]:
    fuzzer = Caller(admin, fuzz_context["team_id"][0])
    yield fuzzer
    assert server.process is not None and server.process.poll() is None, (
        f"server died:\n{server.log()[-3000:]}"
    )
    assert httpx.get(server.url + "/api/v4/system/ping", timeout=10).status_code == 200


def check_response(response: httpx.Response, request: FuzzRequest, who: str) -> None:
    where = f"{who}: {request.describe()} -> {response.status_code} {response.text[:400]!r}"
    # 501 is Mattermost's own answer for a format it does not serve (config/client without
    # format=old); any other 5xx is a server fault.
    assert response.status_code < 500 or response.status_code == 501, where
    if response.status_code < 400:
        return
    assert response.headers.get("content-type") == "application/json", where
    body = response.json()
    assert isinstance(body, dict), where
    for key, kind in ENVELOPE.items():
        assert isinstance(body.get(key), kind), f"{key} missing or not {kind.__name__}; {where}"
    assert body["status_code"] == response.status_code and body["id"], where


def send(http: httpx.Client, request: FuzzRequest, token: str) -> httpx.Response:
    headers = {"Content-Type": request.content_type} if request.content_type else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    for attempt in range(2):
        try:
            return http.request(
                request.method,
                "/api/v4" + request.path,
                params=request.query,
                content=request.content,
                headers=headers,
            )
        except httpx.TransportError as error:
            # A server closes a kept-alive connection after a 500 (reported on its own request),
            # so one retry on a fresh connection is fair; a second failure is the server's fault.
            if attempt:
                raise AssertionError(f"{request.describe()} -> connection failed: {error!r}") from error
    raise AssertionError("unreachable")


@pytest.mark.parametrize("route", FUZZED, ids=lambda route: route.key)
def test_route_survives_malformed_requests(
    route: ImplementedRoute, server: ServerProcess, caller: Caller, fuzz_context: dict[str, list[Any]]
) -> None:
    ctx = Context({**fuzz_context, "user_id": [caller.api.id, *fuzz_context["user_id"]]})
    strategy = requests_for(route, ctx)
    with httpx.Client(base_url=server.url, timeout=15) as http:

        def as_user(request: FuzzRequest) -> None:
            response = send(http, request, caller.api.token)
            if response.status_code == 401:
                caller.revive()
            check_response(response, request, "user")

        failures: list[str] = []
        for request in systematic_requests(route, ctx):
            try:
                as_user(request)
            except AssertionError as failure:
                failures.append(str(failure).splitlines()[0])
        assert not failures, "\n".join(failures)

        def anonymously(request: FuzzRequest) -> None:
            check_response(send(http, request, ""), request, "anonymous")

        for run, examples in ((as_user, EXAMPLES), (anonymously, ANONYMOUS_EXAMPLES)):
            fuzz = settings(
                max_examples=examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
            )(seed(zlib.crc32(route.key.encode()))(given(strategy)(run)))
            fuzz()
