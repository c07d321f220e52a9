"""One network's relay connection: registration (CAP, SASL PLAIN or EXTERNAL, NICK, USER), joins,
PING answers, and reconnection with jittered backoff. What arrives in a mapped channel is handed
to `on_message`; what chat says is queued with `say` and let out by the flood control."""

import asyncio
import base64
import contextlib
import logging
import random
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from villagepump.bridges.irc import protocol
from villagepump.bridges.irc.flood import SendQueue
from villagepump.bridges.irc.names import irc_lower
from villagepump.bridges.irc.outgoing import Outgoing, budget, split_lines, unpinged
from villagepump.clock import Clock
from villagepump.config import Settings
from villagepump.store import Row

log = logging.getLogger("villagepump.bridges.irc")

# Silence from the server for this long: we PING it; as long again: the connection is dead.
_IDLE_SECONDS = 120.0
_REJOIN_SECONDS = 5.0
# After registering, queued lines wait this long at most for the mapped channels' JOINs: a line
# sent to a channel not joined yet is refused by most servers (+n, no external messages).
_JOIN_WAIT_SECONDS = 10.0
# Registered under another nick (the old connection of a process that died still holds ours
# until the server times it out): ask for ours back this often.
_REGAIN_NICK_SECONDS = 30.0
_SASL_FAILED = {"902", "904", "905", "906", "908"}


class ConnectionLost(Exception):
    pass


@dataclass(slots=True)
class Incoming:
    """Something said or done in a mapped IRC channel."""

    mapping: Row
    nick: str
    kind: str  # message, action, join, part, kick
    text: str = ""


OnMessage = Callable[[Incoming], Awaitable[None]]


class Relay:
    def __init__(self, network: Row, settings: Settings, clock: Clock, on_message: OnMessage) -> None:
        self.network = network
        self._settings = settings
        self._clock = clock
        self._on_message = on_message
        self._mappings: dict[str, Row] = {}
        self.queue = SendQueue(clock, settings.irc_flood_burst, settings.irc_flood_lines_per_second)
        self.nick = str(network["nick"])
        self.joined: set[str] = set()
        self.registered = asyncio.Event()
        self._joins_done = asyncio.Event()
        self.relaymsg_separator = ""
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self._regain: asyncio.Task[None] | None = None
        self._stopping = False
        self._caps: set[str] = set()
        self._cap_values: dict[str, str] = {}

    # -- what the service calls --------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._forever())

    async def stop(self) -> None:
        # Set first: the server closes the link after our QUIT, which must not start a reconnection.
        self._stopping = True
        if self._writer is not None and self.registered.is_set():
            try:
                self._writer.write(protocol.line("QUIT", "Bridge stopping"))
                await asyncio.wait_for(self._writer.drain(), 2)
            except (OSError, TimeoutError):
                pass
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def set_mappings(self, mappings: list[Row]) -> None:
        """The network's current mappings: joins the new channels, parts the ones unmapped."""
        new = {irc_lower(m["irc_channel"]): m for m in mappings}
        if self.registered.is_set():
            for name in new.keys() - self._mappings.keys():
                self._send_now(protocol.line("JOIN", name))
            for name in self._mappings.keys() - new.keys():
                self._send_now(protocol.line("PART", name, "No longer bridged"))
                self.joined.discard(name)
        self._mappings = new

    def maps(self, channel_id: str) -> list[Row]:
        return [m for m in self._mappings.values() if m["channel_id"] == channel_id]

    def say(self, irc_channel: str, outgoing: Outgoing, permalink: str) -> None:
        """Queues a chat post's lines: through RELAYMSG as `sender` where the server offers
        it, else as `<sender> text` with the sender's nick kept from pinging."""
        if self.relaymsg_separator:
            relayed = f"{outgoing.sender}{self.relaymsg_separator}vp"
            limit = budget(relayed, irc_channel, "")
            for text in split_lines(outgoing.lines, limit, self._settings.irc_max_lines, permalink):
                self.queue.put(protocol.line("RELAYMSG", irc_channel, relayed, text))
            return
        prefix = f"<{unpinged(outgoing.sender)}> "
        limit = budget(self.nick, irc_channel, prefix)
        for text in split_lines(outgoing.lines, limit, self._settings.irc_max_lines, permalink):
            self.queue.put(protocol.line("PRIVMSG", irc_channel, prefix + text))

    # -- the connection ----------------------------------------------------------------------

    async def _forever(self) -> None:
        delay = self._settings.irc_reconnect_min_seconds
        while not self._stopping:
            try:
                await self._connect_and_run()
                delay = self._settings.irc_reconnect_min_seconds
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any failure means: reconnect later
                log.warning("IRC network %s: %s", self.network["name"], error or type(error).__name__)
            finally:
                self._writer = None
                self.registered.clear()
                self._joins_done.clear()
                self.joined.clear()
            # Full jitter, so relays of several processes or networks do not come back in step.
            await self._clock.sleep(random.uniform(self._settings.irc_reconnect_min_seconds, delay))
            delay = min(delay * 2, self._settings.irc_reconnect_max_seconds)

    def _tls_context(self) -> ssl.SSLContext | None:
        if not self.network["tls"]:
            return None
        context = ssl.create_default_context()
        if not self.network["tls_verify"]:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.network["client_cert_path"]:
            context.load_cert_chain(self.network["client_cert_path"], self.network["client_key_path"] or None)
        return context

    async def _connect_and_run(self) -> None:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                self.network["host"], self.network["port"], ssl=self._tls_context(), limit=2**16
            ),
            30,
        )
        self._writer = writer
        self.nick = str(self.network["nick"])
        self._caps, self._cap_values, self.relaymsg_separator = set(), {}, ""
        sender = asyncio.create_task(self._send_queued(writer))
        try:
            self._send_now(protocol.line("CAP", "LS", "302"))
            self._send_now(protocol.line("NICK", self.nick))
            self._send_now(protocol.line("USER", self.nick, "0", "*", "Villagepump bridge"))
            await self._read_loop(reader)
        finally:
            helpers = [sender] + ([self._regain] if self._regain is not None else [])
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            self._regain = None
            writer.close()

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        pinged = False
        while True:
            try:
                raw = await asyncio.wait_for(read_line(reader), _IDLE_SECONDS)
            except TimeoutError:
                if pinged:
                    raise ConnectionLost("the server stopped answering") from None
                self._send_now(protocol.line("PING", "villagepump"))
                pinged = True
                continue
            pinged = False
            message = protocol.parse(raw)
            if message is not None:
                await self._handle(message)

    async def _send_queued(self, writer: asyncio.StreamWriter) -> None:
        await self.registered.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._joins_done.wait(), _JOIN_WAIT_SECONDS)
        while True:
            line = await self.queue.next_line()
            try:
                writer.write(line)
                await writer.drain()
            except (OSError, RuntimeError):
                self.queue.push_back(line)
                return

    def _send_now(self, line: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(line)

    # -- what the server says ----------------------------------------------------------------

    async def _handle(self, message: protocol.Message) -> None:
        command = message.command
        if command == "PING":
            self._send_now(protocol.line("PONG", *message.params))
        elif command == "ERROR":
            raise ConnectionLost(f"server closed the link: {message.param(0)}")
        elif command == "CAP":
            self._handle_cap(message)
        elif command == "AUTHENTICATE":
            self._authenticate(message.param(0))
        elif command == "903":
            self._send_now(protocol.line("CAP", "END"))
        elif command in _SASL_FAILED:
            # Never go on without the account the admin set: that nick may belong to someone.
            raise ConnectionLost(f"SASL authentication failed ({command})")
        elif command == "001":
            self.nick = message.param(0) or self.nick
            self.registered.set()
            for name in self._mappings:
                self._send_now(protocol.line("JOIN", name))
            if not self._mappings:
                self._joins_done.set()
            if irc_lower(self.nick) != irc_lower(self.network["nick"]) and self._regain is None:
                self._regain = asyncio.create_task(self._regain_nick())
        elif command in ("432", "433", "436") and not self.registered.is_set():
            self.nick = (self.nick + "_")[:30]
            self._send_now(protocol.line("NICK", self.nick))
        elif command == "NICK" and irc_lower(message.nick) == irc_lower(self.nick):
            self.nick = message.param(0)
        elif command in ("PRIVMSG", "JOIN", "PART", "KICK"):
            await self._channel_event(message)

    async def _regain_nick(self) -> None:
        wanted = str(self.network["nick"])
        while irc_lower(self.nick) != irc_lower(wanted):
            await self._clock.sleep(_REGAIN_NICK_SECONDS)
            self._send_now(protocol.line("NICK", wanted))

    def _handle_cap(self, message: protocol.Message) -> None:
        sub = message.param(1).upper()
        if sub in ("LS", "NEW"):
            more = message.param(2) == "*"
            for item in message.params[-1].split():
                name, _, value = item.partition("=")
                self._cap_values[name] = value
            if more or sub == "NEW":
                return
            wanted = []
            mechanism = self.network["sasl_mechanism"]
            if mechanism and "sasl" in self._cap_values:
                offered = self._cap_values["sasl"]
                if offered and mechanism not in offered.upper().split(","):
                    raise ConnectionLost(f"the server does not offer SASL {mechanism}")
                wanted.append("sasl")
            elif mechanism:
                raise ConnectionLost("the server does not offer SASL")
            if "draft/relaymsg" in self._cap_values:
                wanted.append("draft/relaymsg")
            if wanted:
                self._send_now(protocol.line("CAP", "REQ", " ".join(wanted)))
            else:
                self._send_now(protocol.line("CAP", "END"))
        elif sub == "ACK":
            acked = set(message.params[-1].split())
            self._caps |= acked
            if "draft/relaymsg" in acked:
                self.relaymsg_separator = (self._cap_values.get("draft/relaymsg") or "/")[:1]
            if "sasl" in acked:
                self._send_now(protocol.line("AUTHENTICATE", self.network["sasl_mechanism"]))
            else:
                self._send_now(protocol.line("CAP", "END"))
        elif sub == "NAK":
            if self.network["sasl_mechanism"]:
                raise ConnectionLost("the server refused SASL")
            self._send_now(protocol.line("CAP", "END"))

    def _authenticate(self, challenge: str) -> None:
        if challenge != "+":
            return
        if self.network["sasl_mechanism"] == "PLAIN":
            user, password = self.network["sasl_username"], self.network["sasl_password"]
            payload = base64.b64encode(f"{user}\0{user}\0{password}".encode()).decode()
            # RFC 4616 payloads over 400 bytes go in 400-byte pieces; ours are short.
            self._send_now(protocol.line("AUTHENTICATE", payload or "+"))
        else:  # EXTERNAL: the TLS client certificate is the credential
            self._send_now(protocol.line("AUTHENTICATE", "+"))

    async def _channel_event(self, message: protocol.Message) -> None:
        target = irc_lower(message.param(0))
        ours = irc_lower(message.nick) == irc_lower(self.nick)
        if message.command == "KICK" and irc_lower(message.param(1)) == irc_lower(self.nick):
            self.joined.discard(target)
            asyncio.get_running_loop().call_later(_REJOIN_SECONDS, self._rejoin, target)
            ours = False
        mapping = self._mappings.get(target)
        if mapping is None:
            return
        if ours:
            if message.command == "JOIN":
                self.joined.add(target)
                if self.joined >= self._mappings.keys():
                    self._joins_done.set()
            return
        if message.command == "PRIVMSG":
            text = message.param(1)
            if "draft/relaymsg" in message.tags:  # our own RELAYMSG, echoed back
                return
            if text.startswith("\x01"):
                body = text.strip("\x01")
                if not body.upper().startswith("ACTION "):
                    return  # other CTCP requests are for clients, not for a channel
                await self._on_message(Incoming(mapping, message.nick, "action", body[7:]))
                return
            await self._on_message(Incoming(mapping, message.nick, "message", text))
        elif mapping["relay_joins"]:
            kind = message.command.lower()
            who = message.param(1) if kind == "kick" else message.nick
            await self._on_message(Incoming(mapping, who, kind, message.param(2 if kind == "kick" else 1)))

    def _rejoin(self, name: str) -> None:
        if name in self._mappings and self.registered.is_set():
            self._send_now(protocol.line("JOIN", name))


async def read_line(reader: asyncio.StreamReader) -> bytes:
    """One line, CR LF or LF ended. A line longer than the buffer is not an error: its head is
    kept (protocol.parse cuts it to size) and the rest is read and dropped."""
    head = b""
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.LimitOverrunError as overrun:
            chunk = await reader.readexactly(overrun.consumed)
            head = head or chunk
            continue
        except asyncio.IncompleteReadError:
            raise ConnectionLost("the server closed the connection") from None
        return head or line
