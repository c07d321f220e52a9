"""E-mail: address verification, e-mail change, password reset and e-mail invitations, against a
real SMTP server on loopback (tests/support/mail.py). The tests read the mails it received and
follow their links; the server runs on a manual clock so that links can be let expire."""

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.client import API, PASSWORD, World, create_user, expect_error, login, unique
from tests.support.mail import Mailbox, html_of, link_in, mailing_server, query_of, running_mailbox, text_of
from tests.support.server import ADMIN_PASSWORD, ServerProcess


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as box:
        yield box


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, mailbox: Mailbox) -> Iterator[ServerProcess]:
    """A server of this module's own, sending mail to `mailbox`, on a clock the tests move."""
    with mailing_server(request.param, mailbox, manual_clock=True) as started:
        yield started


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


@pytest.fixture
def settings(admin: API) -> Iterator[Any]:
    """Changes runtime settings for one test, and puts them back after it."""
    changed: list[dict[str, Any]] = []

    def change(section: str, **values: Any) -> None:
        before = admin.ok("GET", "/config")[section]
        changed.append({section: {key: before[key] for key in values}})
        admin.ok("PUT", "/config/patch", {section: values})

    yield change
    for patch in reversed(changed):
        admin.ok("PUT", "/config/patch", patch)


def address() -> str:
    return f"{unique('someone')}@example.org"


def signup_fields(email: str = "") -> dict[str, str]:
    name = unique("newcomer")
    return {"username": name, "email": email or f"{name}@example.org", "password": PASSWORD}


# -- address verification and e-mail change ------------------------------------------------------


def test_a_newcomer_verifies_the_address_before_signing_in_then_changes_it(
    world: World, anonymous: API, mailbox: Mailbox, settings: Any
) -> None:
    settings("EmailSettings", RequireEmailVerification=True)
    fields = signup_fields()
    anonymous.ok("POST", f"/users?iid={world.team['invite_id']}", fields)
    mail = mailbox.wait_for(fields["email"])
    assert (
        "Verify your e-mail address" in mail["Subject"] and mail["From"] == "Village chat <chat@example.org>"
    )
    refused = anonymous.post("/users/login", {"login_id": fields["username"], "password": PASSWORD})
    expect_error(refused, 401, "api.user.login.not_verified.app_error")

    url = link_in(mail)
    assert url.startswith(f"{anonymous.base_url}/do_verify_email?")
    assert query_of(url)["email"] == fields["email"]
    assert url in html_of(mail).replace("&amp;", "&")
    anonymous.ok("POST", "/users/email/verify", {"token": query_of(url)["token"]})
    again = anonymous.post("/users/email/verify", {"token": query_of(url)["token"]})
    expect_error(again, 400, "api.user.verify_email.bad_link.app_error")
    newcomer = login(anonymous.base_url, fields["username"])
    assert newcomer.user["email_verified"] is True

    # A new address takes effect only once the mail sent to it has been followed.
    new_address = address()
    patched = newcomer.ok("PUT", "/users/me/patch", {"email": new_address})
    assert patched["email"] == fields["email"]
    taken = newcomer.put(
        "/users/me/patch", {"email": world.admin.ok("GET", f"/users/{world.hamlet.id}")["email"]}
    )
    expect_error(taken, 400, "app.user.save.email_exists.app_error")
    change = mailbox.wait_for(new_address)
    assert "new e-mail address" in change["Subject"]
    anonymous.ok("POST", "/users/email/verify", {"token": query_of(link_in(change))["token"]})
    assert newcomer.ok("GET", "/users/me")["email"] == new_address
    notice = mailbox.wait_for(fields["email"], count=2)
    assert new_address in text_of(notice)


def test_asking_for_a_verification_mail_says_nothing_about_the_address(
    world: World, anonymous: API, mailbox: Mailbox
) -> None:
    unknown = anonymous.post("/users/email/verify/send", {"email": address()})
    known = anonymous.post("/users/email/verify/send", {"email": f"{world.hamlet.username}@example.org"})
    assert unknown.status_code == known.status_code == 200 and unknown.json() == known.json()
    # hamlet's address is not verified yet: he gets a link, and it works.
    mail = mailbox.wait_for(f"{world.hamlet.username}@example.org")
    anonymous.ok("POST", "/users/email/verify", {"token": query_of(link_in(mail))["token"]})
    assert world.hamlet.ok("GET", "/users/me")["email_verified"] is True
    expect_error(anonymous.post("/users/email/verify", {}), 400, "api.context.invalid_param.app_error")


# -- password reset ---------------------------------------------------------------------------


def reset_link(anonymous: API, mailbox: Mailbox, email: str, count: int = 1) -> str:
    anonymous.ok("POST", "/users/password/reset/send", {"email": email})
    url = link_in(mailbox.wait_for(email, count=count))
    assert url.startswith(f"{anonymous.base_url}/reset_password_complete?token=")
    return query_of(url)["token"]


def test_a_forgotten_password_is_reset_from_the_mailed_link_once(
    world: World, anonymous: API, mailbox: Mailbox
) -> None:
    email = f"{world.othello.username}@example.org"
    unknown = anonymous.post("/users/password/reset/send", {"email": address()})
    assert unknown.status_code == 200 and unknown.json() == {"status": "OK"}
    first = reset_link(anonymous, mailbox, email)
    newest = reset_link(anonymous, mailbox, email, count=2)
    # Only the newest link works.
    stale = anonymous.post("/users/password/reset", {"token": first, "new_password": "a-new-password"})
    expect_error(stale, 400, "api.user.reset_password.invalid_link.app_error")
    short = anonymous.post("/users/password/reset", {"token": newest, "new_password": "short"})
    expect_error(short, 400, "model.user.is_valid.pwd_length.app_error")

    anonymous.ok("POST", "/users/password/reset", {"token": newest, "new_password": "a-new-password"})
    # Every session of the account ends: whoever knew the old password is out.
    expect_error(world.othello.get("/users/me"), 401, "api.context.session_expired.app_error")
    assert login(anonymous.base_url, world.othello.username, "a-new-password").user["email_verified"] is True
    again = anonymous.post("/users/password/reset", {"token": newest, "new_password": "another-password"})
    expect_error(again, 400, "api.user.reset_password.invalid_link.app_error")
    assert "password has changed" in mailbox.wait_for(email, count=3)["Subject"]


def test_reset_links_that_must_not_work(
    world: World, anonymous: API, admin: API, server: ServerProcess, mailbox: Mailbox
) -> None:
    # A link of another kind (here an address verification) is not a reset link.
    anonymous.ok("POST", "/users/email/verify/send", {"email": f"{world.iago.username}@example.org"})
    verification = query_of(link_in(mailbox.wait_for(f"{world.iago.username}@example.org")))["token"]
    wrong_kind = anonymous.post(
        "/users/password/reset", {"token": verification, "new_password": "a-new-password"}
    )
    expect_error(wrong_kind, 400, "api.user.reset_password.broken_token.app_error")

    # A link sent to an address the account no longer has is void.
    email = f"{world.iago.username}@example.org"
    token = reset_link(anonymous, mailbox, email, count=2)
    admin.ok("PUT", f"/users/{world.iago.id}/patch", {"email": address()})
    moved = anonymous.post("/users/password/reset", {"token": token, "new_password": "a-new-password"})
    expect_error(moved, 400, "api.user.reset_password.link_expired.app_error")

    # An hour later a link has expired.
    email = f"{world.hamlet.username}@example.org"
    token = reset_link(anonymous, mailbox, email)
    server.advance(3601, step=3601)
    late = anonymous.post("/users/password/reset", {"token": token, "new_password": "a-new-password"})
    expect_error(late, 400, "api.user.reset_password.link_expired.app_error")
    made_up = anonymous.post(
        "/users/password/reset", {"token": secrets.token_urlsafe(32), "new_password": "x" * 10}
    )
    expect_error(made_up, 400, "api.user.reset_password.invalid_link.app_error")
    assert login(anonymous.base_url, world.hamlet.username).user["id"] == world.hamlet.id


def test_a_mail_the_smtp_server_refuses_is_sent_again_later(
    world: World, anonymous: API, server: ServerProcess, mailbox: Mailbox
) -> None:
    email = f"{world.cordelia.username}@example.org"
    mailbox.refusing = True
    try:
        refused_before = mailbox.refused
        anonymous.ok("POST", "/users/password/reset/send", {"email": email})
        mailbox.wait_until_refused(refused_before + 1)
    finally:
        mailbox.refusing = False
    assert mailbox.to(email) == []
    # The failed attempt is recorded a moment after the refusal, with its retry due 10 s on from
    # then: the clock moves on until the retry has gone out, a step at a time with a real wait
    # between steps, so no step jumps the lease of a send still under way (which would send
    # the mail twice, as a lapsed lease is meant to).
    for _ in range(6):
        server.advance(15)
        with contextlib.suppress(AssertionError):
            mailbox.wait_for(email, timeout=5)
            break
    mail = mailbox.wait_for(email)
    assert "Reset your password" in mail["Subject"]
    assert len(mailbox.to(email)) == 1


def test_mail_goes_through_starttls_with_a_login(world: World, anonymous: API, settings: Any) -> None:
    with running_mailbox(starttls=True) as secure:
        settings(
            "EmailSettings",
            **secure.settings(
                ConnectionSecurity="STARTTLS",
                EnableSMTPAuth=True,
                SMTPUsername=secure.username,
                SMTPPassword=secure.password,
                SkipServerCertificateVerification=True,
            ),
        )
        email = f"{world.othello.username}@example.org"
        anonymous.ok("POST", "/users/password/reset/send", {"email": email})
        assert "Reset your password" in secure.wait_for(email)["Subject"]


# -- invitations ----------------------------------------------------------------------------------


def invitation_token(mailbox: Mailbox, email: str) -> str:
    url = link_in(mailbox.wait_for(email))
    assert "/signup_user_complete/?" in url
    shown = query_of(url)["d"]
    assert email in shown
    return query_of(url)["t"]


def test_members_invite_by_email_and_each_link_makes_one_account(
    world: World, anonymous: API, server: ServerProcess, mailbox: Mailbox, settings: Any
) -> None:
    invited = [address(), address()]
    path = f"/teams/{world.team['id']}/invite/email"
    expect_error(world.hamlet.post(path, invited), 501, "api.team.invite_members.disabled.app_error")
    settings("ServiceSettings", EnableEmailInvitations=True)
    expect_error(world.cordelia.post(path, invited), 403, "api.context.permissions.app_error")
    expect_error(
        world.hamlet.post(path, ["not an address"]), 400, "api.team.invite_members.invalid_email.app_error"
    )
    expect_error(world.hamlet.post(path, []), 400, "api.context.invalid_param.app_error")
    world.hamlet.ok("POST", path, invited)

    mail = mailbox.wait_for(invited[0])
    assert world.hamlet.username in mail["Subject"] and "Denmark" in mail["Subject"]
    token = invitation_token(mailbox, invited[0])
    # The invited address is the account's, whatever the form says, and it counts as verified.
    made = anonymous.ok("POST", f"/users?t={token}", signup_fields(address()))
    assert made["email"] == invited[0] and made["email_verified"] is True and made["roles"] == "system_user"
    newcomer = login(anonymous.base_url, made["username"])
    assert [t["id"] for t in newcomer.ok("GET", "/users/me/teams")] == [world.team["id"]]
    reused = anonymous.post(f"/users?t={token}", signup_fields())
    expect_error(reused, 404, "api.user.create_user.signup_link_invalid.app_error")

    # After 48 hours an invitation has expired.
    late = invitation_token(mailbox, invited[1])
    server.advance(48 * 3600 + 1, step=48 * 3600 + 1)
    expect_error(
        anonymous.post(f"/users?t={late}", signup_fields()),
        400,
        "api.user.create_user.signup_link_expired.app_error",
    )


def test_a_guest_invitation_makes_a_guest_in_the_listed_channels_only(
    world: World, anonymous: API, mailbox: Mailbox, settings: Any
) -> None:
    settings("ServiceSettings", EnableEmailInvitations=True)
    path = f"/teams/{world.team['id']}/invite-guests/email"
    guest_email = address()
    body = {
        "emails": [guest_email],
        "channels": [world.off_topic["id"]],
        "message": "<b>Welcome</b> to the play",
    }
    expect_error(world.iago.post(path, body), 501, "api.team.invite_guests_to_channels.disabled.error")
    settings("GuestAccountsSettings", Enable=True)
    expect_error(world.hamlet.post(path, body), 403, "api.context.permissions.app_error")
    elsewhere = create_user(world.admin, "stranger")
    other_team = elsewhere.ok(
        "POST", "/teams", {"name": unique("norway-"), "display_name": "Norway", "type": "O"}
    )
    foreign = elsewhere.ok("GET", f"/teams/{other_team['id']}/channels/name/town-square")
    expect_error(
        world.admin.post(path, {**body, "channels": [foreign["id"]]}),
        400,
        "api.team.invite_guests.channel_in_invalid_team.app_error",
    )
    expect_error(
        world.iago.post(path, {**body, "channels": []}), 400, "model.guest.is_valid.channels.app_error"
    )
    # A private channel the inviter cannot read is not theirs to invite to.
    hidden = world.admin.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("hidden-"), "display_name": "Hidden", "type": "P"},
    )
    expect_error(
        world.iago.post(path, {**body, "channels": [hidden["id"]]}), 403, "api.context.permissions.app_error"
    )
    world.iago.ok("POST", path, body)

    mail = mailbox.wait_for(guest_email)
    assert "&lt;b&gt;Welcome&lt;/b&gt;" in html_of(mail) and "<b>Welcome" not in html_of(mail)
    made = anonymous.ok("POST", f"/users?t={invitation_token(mailbox, guest_email)}", signup_fields())
    assert made["roles"] == "system_guest" and made["email"] == guest_email
    guest = login(anonymous.base_url, made["username"])
    channels = guest.ok("GET", f"/users/me/teams/{world.team['id']}/channels")
    assert [c["id"] for c in channels] == [world.off_topic["id"]]
