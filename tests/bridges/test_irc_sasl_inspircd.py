"""The relay's SASL login against a real network: Debian's InspIRCd with m_sasl and Atheme's
NickServ and SaslServ linked to it (tests/support/irc_services.py). The services daemon, not the
IRCd, checks the password or the client certificate; the account it logged in to is what WHOIS
shows everyone."""

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.bridges.test_irc_sasl import MAPPING, SETTINGS, network
from tests.support.irc import IrcClient
from tests.support.irc_services import ServicesNetwork, register_account, running_services_network
from villagepump.bridges.irc.relay import Incoming, Relay
from villagepump.clock import SystemClock

ACCOUNT, PASSWORD = "bridgeacct", "correct-horse-7"


@pytest.fixture(scope="module")
def services() -> Iterator[ServicesNetwork]:
    with running_services_network() as services:
        register_account(services.port, ACCOUNT, PASSWORD, services.client_fingerprint)
        yield services


async def _until(check: Callable[[], bool], seconds: float = 20) -> None:
    """Polls `check`: what it reads (the relay's state, log records) has no event to wait on."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def _ignore(_: Incoming) -> None:
    pass


@asynccontextmanager
async def relay_on(services: ServicesNetwork, **fields: Any) -> AsyncIterator[Relay]:
    port = fields.pop("port", services.port)
    relay = Relay(network(port, **fields), SETTINGS, SystemClock(), _ignore)
    relay.set_mappings([MAPPING])
    relay.start()
    try:
        yield relay
    finally:
        await relay.stop()


def whois(port: int, nick: str) -> list[str]:
    """What the network tells another user about `nick`: the WHOIS replies up to 318."""
    client = IrcClient(port, "watch" + secrets.token_hex(3))
    try:
        client.send(f"WHOIS {nick}")
        client.wait_for(lambda line: " 318 " in line)
        # Each reply as `<numeric> <nick> ...`, without the server's prefix and the asker's nick.
        return [
            " ".join(line.split(" ")[1:2] + line.split(" ")[3:])
            for line in client.lines
            if f" {nick} " in line
        ]
    finally:
        client.close()


def test_the_relay_logs_in_to_its_nickserv_account_with_sasl_plain(services: ServicesNetwork) -> None:
    async def scenario() -> None:
        plain = {
            "nick": "vpbridge",
            "sasl_mechanism": "PLAIN",
            "sasl_username": ACCOUNT,
            "sasl_password": PASSWORD,
        }
        async with relay_on(services, **plain) as relay:
            await _until(lambda: "#wiki" in relay.joined)
            replies = await asyncio.to_thread(whois, services.port, "vpbridge")
            # 330 RPL_WHOISACCOUNT: the services logged the connection in to the account.
            assert any(line.startswith(f"330 vpbridge {ACCOUNT} ") for line in replies), replies

    asyncio.run(scenario())


def test_a_wrong_password_is_refused_and_the_relay_never_goes_on_without_it(
    services: ServicesNetwork, caplog: pytest.LogCaptureFixture
) -> None:
    def refusals() -> int:
        return sum("SASL authentication failed (904)" in r.getMessage() for r in caplog.records)

    async def scenario() -> None:
        wrong = {
            "nick": "vpwrong",
            "sasl_mechanism": "PLAIN",
            "sasl_username": ACCOUNT,
            "sasl_password": "not-it",
        }
        async with relay_on(services, **wrong) as relay:
            # Atheme said no (904) twice: the relay tried again later, as it should.
            await _until(lambda: refusals() >= 2)
            assert not relay.registered.is_set() and not relay.joined
            replies = await asyncio.to_thread(whois, services.port, "vpwrong")
            # 401: no such nick. The connection never registered, with or without the account.
            assert any(line.startswith("401 vpwrong ") for line in replies), replies

    with caplog.at_level(logging.WARNING, logger="villagepump.bridges.irc"):
        asyncio.run(scenario())


def test_the_relay_logs_in_with_sasl_external_by_its_client_certificate(services: ServicesNetwork) -> None:
    async def scenario() -> None:
        external = {
            "nick": "vpcert", "port": services.tls_port, "tls": True, "tls_verify": False,
            "sasl_mechanism": "EXTERNAL", "client_cert_path": str(services.client_cert),
            "client_key_path": str(services.client_key),
        }  # fmt: skip
        async with relay_on(services, **external) as relay:
            await _until(lambda: "#wiki" in relay.joined)
            replies = await asyncio.to_thread(whois, services.port, "vpcert")
            assert any(line.startswith(f"330 vpcert {ACCOUNT} ") for line in replies), replies

    asyncio.run(scenario())
