"""The relay's registration with SASL, against a minimal IRCv3 server of our own (tests/support/
irc.py): Debian's IRC servers do SASL only with a services daemon linked to them."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tests.support.irc import SaslServer
from villagepump.bridges.irc.outgoing import Outgoing
from villagepump.bridges.irc.relay import Incoming, Relay
from villagepump.clock import SystemClock
from villagepump.config import Settings

SETTINGS = Settings(irc_reconnect_min_seconds=0.05, irc_reconnect_max_seconds=0.2, irc_flood_burst=10)


def network(port: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": "n" * 26, "name": "test", "host": "127.0.0.1", "port": port, "tls": False,
        "tls_verify": True, "nick": "vpbridge", "sasl_mechanism": "", "sasl_username": "",
        "sasl_password": "", "client_cert_path": "", "client_key_path": "", **fields,
    }  # fmt: skip


async def _until(check: Any) -> None:
    """Polls `check` for up to 5 s: what it reads is the server's record, which has no event."""
    for _ in range(250):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def _noop(_: Incoming) -> None:
    pass


MAPPING = {"id": "m" * 26, "channel_id": "c" * 26, "irc_channel": "#wiki", "relay_joins": False}


@asynccontextmanager
async def relay_to(server: SaslServer, **fields: Any) -> AsyncIterator[Relay]:
    """A relay of #wiki, running against `server` until the block ends."""
    await server.start()
    relay = Relay(network(server.port, **fields), SETTINGS, SystemClock(), _noop)
    relay.set_mappings([MAPPING])
    relay.start()
    try:
        yield relay
    finally:
        await relay.stop()
        await server.close()


def test_sasl_plain_logs_in_before_registering_and_then_joins() -> None:
    async def scenario() -> None:
        server = SaslServer({"bridgeacct": "s3cret"})
        plain = {"sasl_mechanism": "PLAIN", "sasl_username": "bridgeacct", "sasl_password": "s3cret"}
        async with relay_to(server, **plain) as relay:
            await _until(lambda: "#wiki" in relay.joined)
            assert server.authenticated == ["PLAIN"]
            assert server.received.index("CAP END") > server.received.index("AUTHENTICATE PLAIN")

    asyncio.run(scenario())


def test_a_wrong_sasl_password_never_registers() -> None:
    async def scenario() -> None:
        server = SaslServer({"bridgeacct": "s3cret"})
        wrong = {"sasl_mechanism": "PLAIN", "sasl_username": "bridgeacct", "sasl_password": "wrong"}
        async with relay_to(server, **wrong) as relay:
            # It tries again and again (with backoff), but never goes on unauthenticated.
            await _until(lambda: server.received.count("AUTHENTICATE PLAIN") >= 2)
            assert "CAP END" not in server.received and not relay.registered.is_set()

    asyncio.run(scenario())


def test_sasl_external_and_relaymsg_where_the_server_offers_it() -> None:
    async def scenario() -> None:
        server = SaslServer({}, relaymsg=True)
        async with relay_to(server, sasl_mechanism="EXTERNAL") as relay:
            await _until(lambda: "#wiki" in relay.joined)
            assert server.authenticated == ["EXTERNAL"]
            relay.say("#wiki", Outgoing("hamlet", ["to be"]), "")
            await _until(lambda: any(line.startswith("RELAYMSG") for line in server.received))
            assert "RELAYMSG #wiki hamlet/vp :to be" in server.received

    asyncio.run(scenario())
