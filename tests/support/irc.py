"""Real IRC servers for the bridge's tests, and a small IRC client to stand on the IRC side.

`running_ngircd` starts Debian's ngircd on a free loopback port with a configuration of its own
(installed by .ci/run; the tests skip when it is missing, unless VILLAGEPUMP_TEST_REQUIRE_SERVICES
is set). `SaslServer` is a minimal IRC server of our own that offers IRCv3 CAP and SASL PLAIN
and EXTERNAL: SASL on a real IRCd needs a services daemon linked to it (see docs/bridges.md).
"""

import asyncio
import base64
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.server import REQUIRE_SERVICES, free_port

NGIRCD_CONFIG = """\
[Global]
Name = irc.test
Info = Villagepump test network
AdminInfo1 = test
AdminInfo2 = test
AdminEMail = test@example.org
Listen = 127.0.0.1
Ports = {port}
MotdPhrase = Test network
[Limits]
MaxNickLength = 30
MaxJoins = 0
PingTimeout = 120
PongTimeout = 20
ConnectRetry = 5
[Options]
DNS = no
Ident = no
PAM = no
"""


@dataclass
class Ngircd:
    port: int
    config_path: Path
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def start(self) -> None:
        binary = shutil.which("ngircd") or "/usr/sbin/ngircd"
        assert self.log_path is not None
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "--nodaemon", "--config", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"ngircd did not start:\n{self.log()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""


def ngircd_binary() -> str | None:
    return shutil.which("ngircd") or ("/usr/sbin/ngircd" if Path("/usr/sbin/ngircd").exists() else None)


@contextmanager
def running_ngircd() -> Iterator[Ngircd]:
    if ngircd_binary() is None:
        import pytest

        message = "ngircd is not installed (apt-get install ngircd; .ci/run does it)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix="villagepump-ngircd-"))
    port = free_port()
    config = directory / "ngircd.conf"
    config.write_text(NGIRCD_CONFIG.format(port=port))
    server = Ngircd(port, config, log_path=directory / "ngircd.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


class IrcClient:
    """A plain IRC client on a socket, its lines read by a thread into a list to search."""

    def __init__(self, port: int, nick: str, host: str = "127.0.0.1") -> None:
        self.nick = nick
        self.sock = socket.create_connection((host, port), timeout=10)
        self.lines: list[str] = []
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.send(f"NICK {nick}")
        self.send(f"USER {nick} 0 * :test client")
        self.wait_for(lambda line: f" 001 {nick} " in line)

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = self.sock.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\r\n" in buffer:
                raw, buffer = buffer.split(b"\r\n", 1)
                text = raw.decode("utf-8", "replace")
                if text.startswith("PING"):
                    self.send("PONG" + text[4:])
                with self._lock:
                    self.lines.append(text)
                    self._lock.notify_all()

    def send(self, line: str) -> None:
        self.send_raw(line.encode() + b"\r\n")

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def join(self, channel: str) -> None:
        self.send(f"JOIN {channel}")
        self.wait_for(
            lambda line: f"JOIN {channel}" in line.replace(":#", "#") and line.startswith(f":{self.nick}!")
        )

    def say(self, channel: str, text: str) -> None:
        self.send(f"PRIVMSG {channel} :{text}")

    def wait_for(self, matches: Callable[[str], bool], timeout: float = 20, start: int = 0) -> str:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for line in self.lines[start:]:
                    if matches(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no such IRC line; got:\n" + "\n".join(self.lines[-30:]))
                self._lock.wait(left)

    def privmsgs(self, channel: str) -> list[str]:
        """The texts said in `channel`, in order."""
        marker = f" PRIVMSG {channel} :"
        with self._lock:
            return [line.split(marker, 1)[1] for line in self.lines if marker in line]

    def close(self) -> None:
        with suppress(OSError):
            self.send("QUIT :bye")
        self.sock.close()


@dataclass
class SaslServer:
    """Just enough of an IRCv3 server to check a client's registration: CAP LS/REQ/END, SASL
    PLAIN (against `accounts`) and EXTERNAL (accepted when the client offers it), then 001 and
    JOIN. It records every line it received, and can offer draft/relaymsg."""

    accounts: dict[str, str]
    relaymsg: bool = False
    received: list[str] = field(default_factory=list)
    authenticated: list[str] = field(default_factory=list)
    port: int = 0
    _server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nick, mechanism = "*", ""
        caps = "sasl=PLAIN,EXTERNAL" + (" draft/relaymsg=/" if self.relaymsg else "")

        def send(line: str) -> None:
            writer.write(f":sasl.test {line}\r\n".encode())

        while raw := await reader.readline():
            line = raw.decode().rstrip("\r\n")
            self.received.append(line)
            command, _, rest = line.partition(" ")
            if command == "NICK":
                nick = rest
            elif line.startswith("CAP LS"):
                send(f"CAP * LS :{caps}")
            elif command == "CAP" and rest.startswith("REQ"):
                send(f"CAP {nick} ACK :{rest[4:].lstrip(':')}")
            elif command == "AUTHENTICATE" and rest in ("PLAIN", "EXTERNAL"):
                mechanism = rest
                writer.write(b"AUTHENTICATE +\r\n")
            elif command == "AUTHENTICATE":
                if mechanism == "EXTERNAL" or self._plain_ok(rest):
                    self.authenticated.append(mechanism)
                    send(f"900 {nick} {nick}!u@h account :You are now logged in")
                    send(f"903 {nick} :SASL authentication successful")
                else:
                    send(f"904 {nick} :SASL authentication failed")
            elif line == "CAP END":
                send(f"001 {nick} :Welcome")
            elif command == "JOIN":
                writer.write(f":{nick}!u@h JOIN {rest}\r\n".encode())
            await writer.drain()
        writer.close()

    def _plain_ok(self, payload: str) -> bool:
        try:
            _, user, password = base64.b64decode(payload).decode().split("\0")
        except ValueError:
            return False
        return self.accounts.get(user) == password
