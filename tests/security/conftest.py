"""A team where hamlet and othello keep secrets: a private channel (and an archived one), a direct
message and a group message with iago. cordelia is in the team but in none of them."""

import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.client import API, create_user, unique
from tests.support.server import ServerProcess

EMOJI = "ghost"


@dataclass
class Hidden:
    """One conversation and what must never show to a non-member: its channel's name and
    properties, its posts' words and the ids of the channel and its posts."""

    label: str
    channel: dict[str, Any]
    members: set[str]
    post_ids: list[str]
    post_words: list[str]
    channel_words: list[str]
    search_term: str
    file_ids: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [self.channel["id"], *self.post_ids, *self.file_ids]


@dataclass
class Secrets:
    admin: API
    team: dict[str, Any]
    hamlet: API
    othello: API
    iago: API
    cordelia: API
    hidden: list[Hidden] = field(default_factory=list)
    hamlet_category_ids: list[str] = field(default_factory=list)

    def by_label(self, label: str) -> Hidden:
        return next(h for h in self.hidden if h.label == label)

    @property
    def private(self) -> Hidden:
        return self.by_label("private")

    def hidden_from(self, user_id: str) -> list[Hidden]:
        return [h for h in self.hidden if user_id not in h.members]


def _team(admin: API, users: list[API]) -> dict[str, Any]:
    team: dict[str, Any] = admin.ok(
        "POST", "/teams", {"name": unique("denmark-"), "display_name": "Denmark", "type": "O"}
    )
    for user in users:
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user.id})
    return team


def _converse(
    world: Secrets, channel: dict[str, Any], label: str, tag: str, channel_words: list[str]
) -> Hidden:
    """hamlet posts, othello replies and reacts, hamlet pins, both save and follow; hamlet
    leaves a draft reply."""
    hamlet, othello = world.hamlet, world.othello
    root_word, reply_word = f"{label}root{tag}", f"{label}reply{tag}"
    file_name, file_word = f"{label}filename{tag}.txt", f"{label}filecontent{tag}"
    uploaded = hamlet.request(
        "POST",
        "/files",
        params={"channel_id": channel["id"]},
        files={"files": (file_name, f"{file_word} in the attachment".encode(), "text/plain")},
    )
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["file_infos"][0]["id"]
    root = hamlet.ok(
        "POST",
        "/posts",
        {"channel_id": channel["id"], "message": f"{root_word} the ghost walks", "file_ids": [file_id]},
    )
    reply = othello.ok(
        "POST",
        "/posts",
        {"channel_id": channel["id"], "root_id": root["id"], "message": f"{reply_word} indeed"},
    )
    othello.ok("POST", "/reactions", {"user_id": othello.id, "post_id": root["id"], "emoji_name": EMOJI})
    hamlet.ok("POST", f"/posts/{root['id']}/pin")
    for user, post in ((hamlet, root), (othello, reply)):
        flag = {"user_id": user.id, "category": "flagged_post", "name": post["id"], "value": "true"}
        user.ok("PUT", f"/users/{user.id}/preferences", [flag])
    team_id = world.team["id"]
    othello.ok("PUT", f"/users/{othello.id}/teams/{team_id}/threads/{root['id']}/following")
    # A message hamlet has not sent yet, synced to his other devices and to no one else's.
    draft_word = f"{label}draft{tag}"
    draft = {"channel_id": channel["id"], "root_id": root["id"], "message": f"{draft_word} unsent"}
    hamlet.ok("POST", "/drafts", draft)
    members = {m["user_id"] for m in hamlet.ok("GET", f"/channels/{channel['id']}/members")}
    return Hidden(
        label=label,
        channel=channel,
        members=members,
        post_ids=[root["id"], reply["id"]],
        post_words=[root_word, reply_word, file_name, file_word, draft_word],
        channel_words=channel_words,
        search_term=channel_words[1].split()[0] if channel_words else root_word,
        file_ids=[file_id],
    )


def _private_channel(world: Secrets, label: str, tag: str) -> Hidden:
    body = {
        "team_id": world.team["id"],
        "name": f"{label}-elsinore-{tag}",
        "display_name": f"{label}Ramparts{tag} Watch",
        "header": f"{label}header{tag} ghost sighted",
        "purpose": f"{label}purpose{tag} revenge",
        "type": "P",
    }
    channel = world.hamlet.ok("POST", "/channels", body)
    world.hamlet.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.othello.id})
    words = [body["name"], body["display_name"], body["header"], body["purpose"]]
    return _converse(world, channel, label, tag, words)


def build_secrets(admin: API) -> Secrets:
    hamlet, othello, iago, cordelia = (
        create_user(admin, n) for n in ("hamlet", "othello", "iago", "cordelia")
    )
    team = _team(admin, [hamlet, othello, iago, cordelia])
    admin.ok(
        "PUT",
        f"/teams/{team['id']}/members/{iago.id}/schemeRoles",
        {"scheme_admin": True, "scheme_user": True},
    )
    world = Secrets(admin=admin, team=team, hamlet=hamlet, othello=othello, iago=iago, cordelia=cordelia)
    tag = secrets.token_hex(4)
    world.hidden.append(_private_channel(world, "private", tag))
    archived = _private_channel(world, "archived", tag)
    hamlet.ok("DELETE", f"/channels/{archived.channel['id']}")
    world.hidden.append(archived)
    direct = hamlet.ok("POST", "/channels/direct", [hamlet.id, othello.id])
    world.hidden.append(_converse(world, direct, "direct", tag, []))
    group = hamlet.ok("POST", "/channels/group", [hamlet.id, othello.id, iago.id])
    world.hidden.append(_converse(world, group, "group", tag, []))
    category = {
        "user_id": hamlet.id,
        "team_id": team["id"],
        "display_name": f"Plots{tag}",
        "type": "custom",
        "channel_ids": [world.private.channel["id"]],
    }
    hamlet.ok("POST", f"/users/{hamlet.id}/teams/{team['id']}/channels/categories", category)
    world.private.channel_words.append(category["display_name"])
    sidebar = hamlet.ok("GET", f"/users/{hamlet.id}/teams/{team['id']}/channels/categories")
    world.hamlet_category_ids = [c["id"] for c in sidebar["categories"]]
    # Outsiders saving a post they cannot read must not make it readable to them.
    for outsider in (cordelia, iago):
        flags = [
            {"user_id": outsider.id, "category": "flagged_post", "name": post_id, "value": "true"}
            for hidden in world.hidden_from(outsider.id)
            for post_id in hidden.post_ids
        ]
        outsider.request("PUT", f"/users/{outsider.id}/preferences", json=flags)
    return world


@pytest.fixture(scope="module")
def shared_secrets(server: ServerProcess, admin: API) -> Secrets:
    """One world for the read-only sweeps of a module."""
    return build_secrets(admin)


@pytest.fixture
def fresh_secrets(server: ServerProcess, admin: API) -> Secrets:
    """A world of its own, for tests that write."""
    return build_secrets(admin)
