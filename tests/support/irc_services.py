"""A real IRC network with services for the SASL tests: Debian's InspIRCd with m_sasl, linked on
loopback to Debian's Atheme (NickServ, SaslServ), both on configuration files written into a
temporary directory. `running_services_network` starts both and waits until the services have
linked; `register_account` registers a NickServ account as a user would, and can add a client
certificate's fingerprint to it for SASL EXTERNAL (the TLS port's certificates are made here).

InspIRCd's m_sasl only forwards AUTHENTICATE to the server named in <sasl target>, and offers the
`sasl` capability only while that server is linked: the services daemon is what says yes or no.
Installed by .ci/run; the tests skip when either is missing, unless VILLAGEPUMP_TEST_REQUIRE_SERVICES
is set.
"""

import datetime
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import NameOID

from tests.support.irc import IrcClient
from tests.support.server import REQUIRE_SERVICES, free_port

SERVER_NAME = "irc.test"
SERVICES_NAME = "services.test"

# InspIRCd 3 (Debian bookworm). Atheme refuses to link unless m_services_account is loaded (and,
# on older link protocols, m_globops); m_sasl needs m_cap for the capability.
INSPIRCD_CONFIG = """\
<server name="{server}" description="Villagepump SASL test" network="Testnet" id="001">
<admin name="test" nick="test" email="test@example.org">
<bind address="127.0.0.1" port="{port}" type="clients">
<bind address="127.0.0.1" port="{tls_port}" type="clients" sslprofile="tls">
<bind address="127.0.0.1" port="{link_port}" type="servers">
<connect name="main" allow="*" timeout="20" pingfreq="120" hardsendq="1048576" softsendq="65536"
         recvq="65536" localmax="100" globalmax="100" resolvehostnames="no">
<files motd="{directory}/motd.txt">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="{directory}/inspircd.log">
<module name="cap">
<module name="spanningtree">
<module name="services_account">
<module name="globops">
<module name="svshold">
<module name="sasl">
<module name="ssl_gnutls">
<module name="sslinfo">
<sslprofile name="tls" provider="gnutls" certfile="{directory}/server.pem" keyfile="{directory}/server.key"
            hash="sha256" requestclientcert="yes">
<sasl target="{services}" requiressl="no">
<link name="{services}" ipaddr="127.0.0.1" port="{link_port}" allowmask="127.0.0.0/8"
      timeout="30" sendpass="{password}" recvpass="{password}">
<uline server="{services}" silent="yes">
"""

# Atheme 7.2: just the services the tests talk to. Every path is absolute: Atheme works from its
# install prefix.
ATHEME_CONFIG = """\
loadmodule "modules/protocol/inspircd";
loadmodule "modules/backend/opensex";
loadmodule "modules/crypto/pbkdf2v2";
loadmodule "modules/nickserv/main";
loadmodule "modules/nickserv/register";
loadmodule "modules/nickserv/identify";
loadmodule "modules/saslserv/main";
loadmodule "modules/saslserv/plain";
loadmodule "modules/saslserv/external";
loadmodule "modules/nickserv/cert";

serverinfo {{
    name = "{services}";
    desc = "Villagepump SASL test services";
    numeric = "00A";
    recontime = 1;
    netname = "Testnet";
    hidehostsuffix = "users.test";
    adminname = "test";
    adminemail = "test@example.org";
    mta = "/bin/true";
    auth = none;
    casemapping = rfc1459;
}};

general {{
    commit_interval = 5;
}};

uplink "{server}" {{
    host = "127.0.0.1";
    port = {link_port};
    send_password = "{password}";
    receive_password = "{password}";
}};

nickserv {{
    nick = "NickServ";
    user = "NickServ";
    host = "{services}";
    real = "Nickname Services";
}};

saslserv {{
    nick = "SaslServ";
    user = "SaslServ";
    host = "{services}";
    real = "SASL Authentication Agent";
}};
"""


@dataclass
class ServicesNetwork:
    """InspIRCd on `port` (clients) with Atheme linked to it."""

    directory: Path
    port: int = 0
    tls_port: int = 0
    link_port: int = 0
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    # A client certificate for SASL EXTERNAL, and its SHA-256 fingerprint as InspIRCd reports it.
    client_cert: Path = Path()
    client_key: Path = Path()
    client_fingerprint: str = ""

    def start(self) -> None:
        password = secrets.token_hex(12)
        values = {
            "server": SERVER_NAME, "services": SERVICES_NAME, "port": self.port, "tls_port": self.tls_port,
            "link_port": self.link_port, "password": password, "directory": self.directory,
        }  # fmt: skip
        self._write_certificates()
        (self.directory / "motd.txt").write_text("Villagepump SASL test network\n")
        (self.directory / "inspircd.conf").write_text(INSPIRCD_CONFIG.format(**values))
        atheme = self.directory / "atheme"
        atheme.mkdir()
        (atheme / "atheme.conf").write_text(ATHEME_CONFIG.format(**{**values, "directory": atheme}))
        root = os.geteuid() == 0
        self._spawn(
            [
                str(binary("inspircd")),
                "--nofork",
                "--nopid",
                "--config",
                str(self.directory / "inspircd.conf"),
            ]
            + (["--runasroot"] if root else []),
            "inspircd.out",
        )
        self._wait_for_port()
        # Atheme will not run as root: under root (CI's containers) it runs as nobody.
        user = pwd.getpwnam("nobody") if root else None
        if user is not None:
            os.chown(atheme, user.pw_uid, user.pw_gid)
        self._spawn(
            [
                str(binary("atheme-services")), "-n", "-c", str(atheme / "atheme.conf"), "-D", str(atheme),
                "-l", str(atheme / "atheme.log"), "-p", str(atheme / "atheme.pid"),
            ],
            "atheme.out",
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
        )  # fmt: skip
        self._wait_for_services()

    def _write_certificates(self) -> None:
        fingerprints = {}
        for name, common_name in (("server", SERVER_NAME), ("client", "villagepump-bridge")):
            certificate, key, fingerprints[name] = self_signed(common_name)
            (self.directory / f"{name}.pem").write_bytes(certificate)
            (self.directory / f"{name}.key").write_bytes(key)
        self.client_cert, self.client_key = self.directory / "client.pem", self.directory / "client.key"
        self.client_fingerprint = fingerprints["client"]

    def _spawn(
        self, command: list[str], output: str, user: int | None = None, group: int | None = None
    ) -> None:
        with open(self.directory / output, "ab") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.directory, user=user, group=group
            )
        self.processes.append(process)

    def _wait_for_port(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.processes[0].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"inspircd did not start:\n{self.log()}") from None
                time.sleep(0.1)

    def _wait_for_services(self) -> None:
        """Until NickServ answers WHOIS: the services have linked and sent their burst."""
        watcher = IrcClient(self.port, "linkwatch")
        try:
            deadline = time.monotonic() + 30
            while True:
                start = len(watcher.lines)
                watcher.send("WHOIS NickServ")
                end = watcher.wait_for(lambda line: " 318 " in line, start=start)
                if any(" 311 linkwatch NickServ " in line for line in watcher.lines[start:]):
                    return
                if any(p.poll() is not None for p in self.processes) or time.monotonic() > deadline:
                    raise RuntimeError(f"the services did not link ({end}):\n{self.log()}")
                time.sleep(0.3)
        finally:
            watcher.close()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.kill()
                process.wait()
        self.processes = []

    def log(self) -> str:
        logs = ["inspircd.out", "inspircd.log", "atheme.out", "atheme/atheme.log"]
        return "\n".join(
            f"--- {name}\n" + (self.directory / name).read_text(errors="replace")[-4000:]
            for name in logs
            if (self.directory / name).exists()
        )


def self_signed(common_name: str) -> tuple[bytes, bytes, str]:
    """A certificate and its key (PEM), and the certificate's SHA-256 fingerprint in hex."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    return certificate.public_bytes(Encoding.PEM), key_pem, certificate.fingerprint(hashes.SHA256()).hex()


def binary(name: str) -> str | None:
    return shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)


def missing_binaries() -> list[str]:
    return [name for name in ("inspircd", "atheme-services") if binary(name) is None]


@contextmanager
def running_services_network() -> Iterator[ServicesNetwork]:
    missing = missing_binaries()
    if missing:
        import pytest

        missing_text = " and ".join(missing)
        message = f"{missing_text} not installed (apt-get install inspircd atheme-services; .ci/run does it)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix="villagepump-inspircd-"))
    # Readable by Atheme's user when it runs as nobody.
    directory.chmod(0o755)
    network = ServicesNetwork(directory, port=free_port(), tls_port=free_port(), link_port=free_port())
    try:
        network.start()
        yield network
    finally:
        network.stop()
        shutil.rmtree(directory, ignore_errors=True)


def register_account(port: int, account: str, password: str, fingerprint: str = "") -> None:
    """Registers `account` with NickServ, connected under that nick as Atheme wants, and adds
    `fingerprint` to its certificates (NickServ CERT ADD) for SASL EXTERNAL."""
    client = IrcClient(port, account)
    try:
        client.send(f"PRIVMSG NickServ :REGISTER {password} {account}@example.org")
        client.wait_for(lambda line: line.startswith(":NickServ!") and "is now registered" in line)
        if fingerprint:
            client.send(f"PRIVMSG NickServ :CERT ADD {fingerprint}")
            client.wait_for(
                lambda line: line.startswith(":NickServ!") and fingerprint in line and "Added" in line
            )
    finally:
        client.close()
