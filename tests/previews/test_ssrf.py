"""The link preview fetcher reaches only public addresses (docs/decisions/0019).

Every request these tests let out goes to a recorder on a loopback address; the refusal of
the other private ranges is shown on the address check itself, which never connects.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Iterator, Sequence

import pytest

from tests.previews.recorder import Recorder
from villagepump.previews.addresses import AllowList, IPAddress, forbidden_address, literal_address
from villagepump.previews.fetch import Policy, fetch
from villagepump.previews.urls import FetchFailed

NOBODY = AllowList.parse("")
LOOPBACK_ONLY = AllowList.parse("127.0.0.1")


def policy(allowed: AllowList = NOBODY, timeout: float = 5, **limits: int) -> Policy:
    return Policy(
        allowed=allowed, user_agent="Villagepump/test (link preview)", timeout_seconds=timeout, **limits
    )


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder("127.0.0.1")
    yield server
    server.close()


def ipv6_loopback_works() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def refused(url: str, allowed: AllowList = NOBODY) -> str:
    with pytest.raises(FetchFailed) as failure:
        asyncio.run(fetch(url, policy(allowed)))
    return str(failure.value)


# -- the address check, on its own: nothing connects ---------------------------------------------

PRIVATE = [
    "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.5.6.7", "0.0.0.0", "0.1.2.3", "224.0.0.1",
    "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.0.8", "192.0.2.1", "198.18.0.1",
    "198.51.100.7", "203.0.113.9",
    "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff05::2",
    "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::127.0.0.1", "::a00:1",
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::1", "2002:a00:1::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "100::1",
]  # fmt: skip
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", PRIVATE)
def test_private_loopback_link_local_multicast_and_reserved_addresses_are_forbidden(address: str) -> None:
    assert forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_not(address: str) -> None:
    assert not forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("3232235777", "192.168.1.1"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
        ("0", "0.0.0.0"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("[::ffff:7f00:1]", "::ffff:127.0.0.1"),
        ("[0:0:0:0:0:0:0:1]", "::1"),
    ],
)
def test_numeric_spellings_are_read_as_the_address_they_mean(host: str, address: str) -> None:
    found = literal_address(host)
    assert found == ipaddress.ip_address(address)
    assert forbidden_address(found)


@pytest.mark.parametrize("host", ["1.2.3.4.5", "256.0.0.1", "0x100.0.0.1", "4294967296", "09.1.1.1", "a.b.7"])
def test_malformed_numbers_are_not_names(host: str) -> None:
    with pytest.raises(ValueError):
        literal_address(host)


@pytest.mark.parametrize("host", ["example.org", "a1.example", "0x.example", "127.0.0.1.nip.io"])
def test_names_stay_names(host: str) -> None:
    assert literal_address(host) is None


def test_the_allow_list_takes_hosts_addresses_and_ranges() -> None:
    allowed = AllowList.parse("intranet.example  10.0.0.0/8, 127.0.0.1 fd00::/8")
    assert allowed.allows("Intranet.Example.", ipaddress.ip_address("192.168.1.1"))
    assert allowed.allows("x", ipaddress.ip_address("10.9.8.7"))
    assert allowed.allows("x", ipaddress.ip_address("127.0.0.1"))
    assert allowed.allows("x", ipaddress.ip_address("fd00::5"))
    assert not allowed.allows("x", ipaddress.ip_address("127.0.0.2"))
    assert not allowed.allows("x", ipaddress.ip_address("192.168.1.1"))
    assert not allowed.allows("other.intranet.example", ipaddress.ip_address("192.168.1.1"))


# -- nothing reaches a loopback server, whatever the spelling ------------------------------------

LOOPBACK_SPELLINGS = [
    "127.0.0.1", "127.5.6.7", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "LOCALHOST", "localhost.", "a.b.localhost", "0.0.0.0", "0",
]  # fmt: skip


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_loopback_urls_are_never_fetched_in_any_spelling(recorder: Recorder, host: str) -> None:
    reason = refused(recorder.url("/page", host=host))
    assert "not a public address" in reason
    assert recorder.paths == []


def test_ipv6_loopback_is_never_fetched() -> None:
    if not ipv6_loopback_works():
        pytest.skip("this machine has no IPv6 loopback")
    server = Recorder("::1")
    try:
        for host in ("[::1]", "[0:0:0:0:0:0:0:1]", "[::0001]"):
            assert "not a public address" in refused(server.url("/page", host=host))
        assert server.paths == []
    finally:
        server.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/",
        "gopher://127.0.0.1:6379/_INFO",
        "javascript:alert(1)",
        "http://user:pass@example.org/",
        "http:///nohost",
        "http://exa mple.org/",
        "http://[::1/",
    ],
)
def test_only_http_and_https_urls_with_a_plain_host_are_fetched(url: str) -> None:
    refused(url)


def test_redirects_to_loopback_are_re_checked_and_never_followed(recorder: Recorder) -> None:
    other = Recorder("127.0.0.2")
    try:
        targets = [other.url("/page"), other.url("/page", host="0x7f000002"), "http://10.0.0.1/",
                   "http://169.254.169.254/latest/meta-data/", other.url("/page", host="localhost"),
                   "http://[::1]/", "file:///etc/passwd"]  # fmt: skip
        for target in targets:
            url = recorder.url("/to?u=" + target)
            with pytest.raises(FetchFailed):
                asyncio.run(fetch(url, policy(LOOPBACK_ONLY)))
        assert other.paths == []
        assert recorder.paths == ["/to?u=" + t for t in targets]
    finally:
        other.close()


def test_an_allow_listed_address_is_fetched_honestly_and_without_cookies(recorder: Recorder) -> None:
    fetched = asyncio.run(fetch(recorder.url("/redirect/3"), policy(LOOPBACK_ONLY)))
    assert fetched.content_type == "text/html" and b"og:title" in fetched.body
    assert fetched.url == recorder.url("/page")
    assert recorder.paths == ["/redirect/3", "/redirect/2", "/redirect/1", "/page"]
    for seen in recorder.requests:
        assert seen.headers["user-agent"] == "Villagepump/test (link preview)"
        assert "cookie" not in seen.headers  # every hop answered Set-Cookie; none is sent back
        assert seen.headers["host"] == f"127.0.0.1:{recorder.port}"


def test_at_most_five_redirects(recorder: Recorder) -> None:
    asyncio.run(fetch(recorder.url("/redirect/5"), policy(LOOPBACK_ONLY)))
    assert "more than 5 redirects" in refused(recorder.url("/redirect/6"), LOOPBACK_ONLY)


def test_a_name_is_resolved_once_and_the_connection_pinned_to_the_checked_address(recorder: Recorder) -> None:
    lookups: list[str] = []

    async def rebinding(host: str, port: int) -> Sequence[IPAddress]:
        # A hostile name server: the first answer passes the check, any later one would not.
        lookups.append(host)
        first = len(lookups) == 1
        return [ipaddress.ip_address("127.0.0.1" if first else "169.254.169.254")]

    url = f"http://rebind.example:{recorder.port}/page"
    fetched = asyncio.run(fetch(url, policy(LOOPBACK_ONLY), rebinding))
    assert b"og:title" in fetched.body
    assert lookups == ["rebind.example"]
    assert recorder.requests[0].headers["host"] == f"rebind.example:{recorder.port}"


def test_a_name_with_any_private_address_is_refused(recorder: Recorder) -> None:
    async def mixed(host: str, port: int) -> Sequence[IPAddress]:
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("127.0.0.1")]

    with pytest.raises(FetchFailed, match="not a public address"):
        asyncio.run(fetch(f"http://mixed.example:{recorder.port}/page", policy(), mixed))
    assert recorder.paths == []


def test_allow_listing_a_host_name_opens_only_that_name(recorder: Recorder) -> None:
    async def intranet(host: str, port: int) -> Sequence[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1")]

    allowed = AllowList.parse("wiki.intranet")
    asyncio.run(fetch(f"http://wiki.intranet:{recorder.port}/page", policy(allowed), intranet))
    with pytest.raises(FetchFailed):
        asyncio.run(fetch(f"http://other.intranet:{recorder.port}/page", policy(allowed), intranet))
    assert recorder.paths == ["/page"]


def test_a_huge_page_is_read_only_up_to_the_limit(recorder: Recorder) -> None:
    fetched = asyncio.run(fetch(recorder.url("/huge"), policy(LOOPBACK_ONLY, max_html_bytes=64 * 1024)))
    assert fetched.truncated and len(fetched.body) == 64 * 1024


def test_a_slow_page_times_out(recorder: Recorder) -> None:
    with pytest.raises(FetchFailed, match="within 1 s"):
        asyncio.run(fetch(recorder.url("/slow"), policy(LOOPBACK_ONLY, timeout=1)))


def test_error_answers_are_failures(recorder: Recorder) -> None:
    assert "HTTP 500" in refused(recorder.url("/status/500"), LOOPBACK_ONLY)
    assert "HTTP 404" in refused(recorder.url("/missing"), LOOPBACK_ONLY)
