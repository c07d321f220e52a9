"""Moving in from Mattermost: `villagepump import mattermost` and `export mattermost` run against
a real server's database, and what they wrote is read back through the API, on SQLite and
PostgreSQL. The fixture is written by hand in the shape `mmctl export create` writes
(fixtures/mmctl_export.jsonl: the version line's `info`, null fields, emoji after the posts that
react with them, a post by a user who has since been deactivated)."""

import secrets
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.support.client import API, login
from tests.support.mail import Mailbox, link_in, mailing_server, query_of, running_mailbox
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers

FIXTURES = Path(__file__).parent / "fixtures"


def emoji_png() -> bytes:
    return (FIXTURES / "data" / "emoji" / "pp" / "image").read_bytes()


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as box:
        yield box


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, mailbox: Mailbox) -> Iterator[ServerProcess]:
    with mailing_server(request.param, mailbox) as started:
        yield started


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


def export_text(tag: str) -> str:
    """The fixture with its names made unique to one test."""
    text = (FIXTURES / "mmctl_export.jsonl").read_text()
    for name in ("wikimedia", "alice", "bob", "carol", "partyparrot", "wikibot"):
        text = text.replace(name, f"{name}{tag}")
    return text


def write_zip(path: Path, text: str, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mattermost_import.jsonl", text)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def importing(server: ServerProcess, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return server.cli("import", "mattermost", str(path), *extra)


def channel(admin: API, team: str, name: str) -> Any:
    team_id = admin.ok("GET", f"/teams/name/{team}")["id"]
    return admin.ok("GET", f"/teams/{team_id}/channels/name/{name}?include_deleted=true")


def posts_of(admin: API, channel_id: str) -> list[Any]:
    listing = admin.ok("GET", f"/channels/{channel_id}/posts?per_page=200")
    return [listing["posts"][i] for i in listing["order"]]


def with_attachment(text: str) -> str:
    """The fixture with a file on the deactivated user's post."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "left the channel" in line)
    post = orjson.loads(lines[at])
    post["post"]["attachments"] = [{"path": "bulk-export-attachments/notes.txt"}]
    lines[at] = orjson.dumps(post).decode()
    return "\n".join(lines) + "\n"


FILES = {
    "data/emoji/pp/image": emoji_png(),
    "data/bulk-export-attachments/notes.txt": b"meeting notes\n",
}


def imported(server: ServerProcess, admin: API, tmp_path: Path) -> str:
    tag = secrets.token_hex(3)
    path = write_zip(tmp_path / "export.zip", with_attachment(export_text(tag)), FILES)
    done = importing(server, path)
    assert done.returncode == 0, done.stderr
    return tag


def test_an_mmctl_export_imports_without_edits(server: ServerProcess, admin: API, tmp_path: Path) -> None:
    tag = imported(server, admin, tmp_path)
    tech = channel(admin, f"wikimedia{tag}", "tech")
    assert (tech["header"], tech["purpose"]) == ("Servers and code", "Technical talk")
    roots = [p for p in posts_of(admin, tech["id"]) if not p["root_id"]]
    assert [p["message"] for p in roots] == [
        "A message from someone who left the channel since",
        f"The servers move on Friday :partyparrot{tag}:",
    ]
    first = roots[1]
    assert first["create_at"] == 1754000000000 and first["is_pinned"]
    assert sorted(r["emoji_name"] for r in first["metadata"]["reactions"]) == ["+1", f"partyparrot{tag}"]
    thread = admin.ok("GET", f"/posts/{first['id']}/thread")
    assert [thread["posts"][i]["message"] for i in thread["order"] if i != first["id"]] == [
        "The database ones, I think",
        "Which servers?",
    ] or sorted(p["message"] for p in thread["posts"].values()) == sorted(
        [first["message"], "Which servers?", "The database ones, I think"]
    )
    assert tech["total_msg_count"] == 4
    # The deactivated author's account came with them, and the thread counts both replies.
    carol = admin.ok("GET", f"/users/username/carol{tag}")
    assert carol["delete_at"] == 1750000000000
    bob = login_as_imported(server, f"bob{tag}")
    flagged = bob.ok("GET", f"/users/{bob.id}/posts/flagged")
    assert list(flagged["order"]) == [first["id"]]
    team_id = admin.ok("GET", f"/teams/name/wikimedia{tag}")["id"]
    threads = bob.ok("GET", f"/users/{bob.id}/teams/{team_id}/threads")
    assert [t["id"] for t in threads["threads"]] == [first["id"]]
    assert threads["threads"][0]["reply_count"] == 2
    found = bob.ok("POST", f"/teams/{team_id}/posts/search", {"terms": "servers", "is_or_search": False})
    assert first["id"] in found["order"]
    direct = bob.ok("GET", f"/users/{bob.id}/channels?include_deleted=false")
    dm = next(c for c in direct if c["type"] == "D")
    assert [p["message"] for p in posts_of(bob, dm["id"])] == ["Hello Alice"]
    emoji = admin.ok("GET", f"/emoji/name/partyparrot{tag}")
    assert admin.get(f"/emoji/{emoji['id']}/image").content == emoji_png()
    assert admin.ok("GET", f"/users/username/wikibot{tag}")["is_bot"] is True


def login_as_imported(server: ServerProcess, username: str) -> API:
    """An imported user has no password: an admin sets one here, as a reset would."""
    admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
    user = admin.ok("GET", f"/users/username/{username}")
    admin.ok("PUT", f"/users/{user['id']}/password", {"new_password": "imported-password-1"})
    return login(server.url, username, "imported-password-1")


def test_a_rerun_adds_nothing_and_leaves_passwords_alone(
    server: ServerProcess, admin: API, tmp_path: Path
) -> None:
    tag = imported(server, admin, tmp_path)
    bob = login_as_imported(server, f"bob{tag}")
    again = importing(server, tmp_path / "export.zip")
    assert again.returncode == 0, again.stderr
    assert "Imported 0 post" in again.stdout
    tech = channel(admin, f"wikimedia{tag}", "tech")
    assert tech["total_msg_count"] == 4 and len(posts_of(admin, tech["id"])) == 4
    assert login(server.url, f"bob{tag}", "imported-password-1").id == bob.id


def test_imported_users_reset_their_password_and_log_in(
    server: ServerProcess, admin: API, mailbox: Mailbox, tmp_path: Path
) -> None:
    tag = imported(server, admin, tmp_path)
    anonymous = API(server.url)
    refused = anonymous.post("/users/login", {"login_id": f"alice{tag}", "password": ""})
    assert refused.status_code in (400, 401)
    email = f"alice{tag}@example.org"
    anonymous.ok("POST", "/users/password/reset/send", {"email": email})
    token = query_of(link_in(mailbox.wait_for(email)))["token"]
    anonymous.ok("POST", "/users/password/reset", {"token": token, "new_password": "a-new-password"})
    assert (
        login(server.url, f"alice{tag}", "a-new-password").ok("GET", "/users/me")["username"] == f"alice{tag}"
    )


def test_validate_only_and_an_error_on_the_last_line_write_nothing(
    server: ServerProcess, admin: API, tmp_path: Path
) -> None:
    tag = secrets.token_hex(3)
    good = tmp_path / "good.zip"
    write_zip(good, export_text(tag), {"data/emoji/pp/image": emoji_png()})
    checked = importing(server, good, "--validate")
    assert checked.returncode == 0, checked.stderr
    assert "valid" in checked.stdout
    assert admin.get(f"/teams/name/wikimedia{tag}").status_code == 404
    lines = export_text(tag).splitlines()
    bad_line = orjson.loads(lines[-1])
    bad_line["direct_post"]["create_at"] = 0
    broken = tmp_path / "broken.zip"
    text = "\n".join([*lines[:-1], orjson.dumps(bad_line).decode()]) + "\n"
    write_zip(broken, text, {"data/emoji/pp/image": emoji_png()})
    failed = importing(server, broken)
    assert failed.returncode == 1
    assert f"line {len(lines)}, direct_post.create_at" in failed.stderr
    assert admin.get(f"/teams/name/wikimedia{tag}").status_code == 404
    assert admin.get(f"/users/username/alice{tag}").status_code == 404


def test_a_post_by_an_unknown_user_is_named_by_line_and_field(server: ServerProcess, tmp_path: Path) -> None:
    text = export_text(secrets.token_hex(3)).replace('"user":"carol', '"user":"nobody')
    path = write_zip(tmp_path / "unknown.zip", text, FILES)
    failed = importing(server, path)
    assert failed.returncode == 1 and "post.replies.user" in failed.stderr and "nobody" in failed.stderr


def test_paths_outside_data_and_zip_bombs_are_refused(
    server: ServerProcess, admin: API, tmp_path: Path
) -> None:
    tag = secrets.token_hex(3)
    escaping = export_text(tag).replace('"image":"emoji/pp', '"image":"../../etc/passwd')
    slip = importing(server, write_zip(tmp_path / "slip.zip", escaping, {}))
    assert slip.returncode == 1 and "emoji.image" in slip.stderr and "inside data/" in slip.stderr
    entry = importing(server, write_zip(tmp_path / "entry.zip", export_text(tag), {"../outside": b"x"}))
    assert entry.returncode == 1 and "outside the archive" in entry.stderr
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("import.jsonl", export_text(tag))
        with archive.open("data/emoji/pp/image", "w") as target:
            for _ in range(64):
                target.write(bytes(1024 * 1024))
    refused = importing(server, bomb)
    assert refused.returncode == 1 and "zip bomb" in refused.stderr
    assert admin.get(f"/teams/name/wikimedia{tag}").status_code == 404


def test_attachments_in_a_zip_are_served_after_the_import(
    server: ServerProcess, admin: API, tmp_path: Path
) -> None:
    tag = imported(server, admin, tmp_path)
    tech = channel(admin, f"wikimedia{tag}", "tech")
    with_file = next(p for p in posts_of(admin, tech["id"]) if p.get("file_ids"))
    info = with_file["metadata"]["files"][0]
    assert (info["name"], info["size"]) == ("notes.txt", 14)
    assert admin.get(f"/files/{info['id']}").content == b"meeting notes\n"


def test_an_export_imported_into_an_empty_server_gives_everything_back(
    server: ServerProcess, admin: API, tmp_path: Path
) -> None:
    tag = imported(server, admin, tmp_path)
    before = channel(admin, f"wikimedia{tag}", "tech")
    output = tmp_path / "out.zip"
    exported = server.cli("export", "mattermost", "--attachments", str(output))
    assert exported.returncode == 0, exported.stderr
    with running_servers(server.kind) as (empty,):
        done = importing(empty, output)
        assert done.returncode == 0, done.stderr
        other = login(empty.url, "sysadmin", ADMIN_PASSWORD)
        after = channel(other, f"wikimedia{tag}", "tech")
        assert _shape(posts_of(other, after["id"])) == _shape(posts_of(admin, before["id"]))
        assert after["total_msg_count"] == before["total_msg_count"]
        alice = login_as_imported(empty, f"alice{tag}")
        stewards = channel(alice, f"wikimedia{tag}", "stewards")
        members = alice.ok("GET", f"/channels/{stewards['id']}/members")
        assert [m["user_id"] for m in members] == [alice.id]
        assert [p["message"] for p in posts_of(alice, stewards["id"])] == ["Private matters #stewards"]
        town_square = channel(other, f"wikimedia{tag}", "town-square")
        assert [p["message"] for p in posts_of(other, town_square["id"])] == ["Daily report: all green"]
        assert other.ok("GET", f"/users/username/wikibot{tag}")["is_bot"] is True
        emoji = other.ok("GET", f"/emoji/name/partyparrot{tag}")
        assert other.get(f"/emoji/{emoji['id']}/image").content == emoji_png()


def _shape(posts: list[Any]) -> list[Any]:
    """What a post is, without its ids."""
    by_id = {p["id"]: p for p in posts}
    return sorted(
        (
            p["create_at"],
            p["message"],
            p["is_pinned"],
            by_id[p["root_id"]]["message"] if p["root_id"] else "",
            sorted(r["emoji_name"] for r in p.get("metadata", {}).get("reactions", [])),
            [(f["name"], f["size"]) for f in p.get("metadata", {}).get("files", [])],
        )
        for p in posts
    )


def test_mmetl_output_from_a_slack_export_imports_into_an_existing_team(
    server: ServerProcess, admin: API, tmp_path: Path
) -> None:
    """mmetl writes no team line: the team is made first, as Mattermost's docs say."""
    tag = secrets.token_hex(3)
    text = (FIXTURES / "mmetl_slack.jsonl").read_text()
    for name in ("slackers", "dora", "eddie", "U0123ABCD"):
        text = text.replace(name, f"{name}{tag}")
    admin.ok("POST", "/teams", {"name": f"slackers{tag}", "display_name": "Slackers", "type": "O"})
    files = {"data/bulk-export-attachments/F0123_mockup.txt": b"a mock-up\n"}
    done = importing(server, write_zip(tmp_path / "slack.zip", text, files))
    assert done.returncode == 0, done.stderr
    general = channel(admin, f"slackers{tag}", "general")
    assert general["header"] == "Company-wide announcements"
    root, reply = sorted(posts_of(admin, general["id"]), key=lambda p: p["create_at"])
    assert reply["root_id"] == root["id"]
    assert [f["name"] for f in root["metadata"]["files"]] == ["F0123_mockup.txt"]
    eddie = admin.ok("GET", f"/users/username/eddie{tag}")
    assert eddie["roles"] == "system_guest"
