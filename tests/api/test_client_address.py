"""Which address a request comes from: proxy headers count only from trusted proxies."""

import pytest
from starlette.requests import HTTPConnection

from villagepump.api.client_address import client_address, parse_trusted_proxies

PROXIES = "10.0.0.1, 192.168.0.0/16, fd00::/8"


def _request(peer: str | None, **headers: str) -> HTTPConnection:
    scope = {
        "type": "http",
        "client": (peer, 50000) if peer is not None else None,
        "headers": [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()],
    }
    return HTTPConnection(scope)


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    request = _request("203.0.113.5", x_forwarded_for="198.51.100.1", x_real_ip="198.51.100.2")
    assert client_address(request, "") == "203.0.113.5"


def test_an_untrusted_peer_cannot_choose_its_address() -> None:
    request = _request("203.0.113.5", x_forwarded_for="10.0.0.1, 198.51.100.1", x_real_ip="198.51.100.2")
    assert client_address(request, PROXIES) == "203.0.113.5"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.1", "198.51.100.1"),
        # The client wrote the left part; the right-most address our proxies did not add is theirs.
        ("1.2.3.4, 198.51.100.1", "198.51.100.1"),
        ("1.2.3.4, 198.51.100.1, 192.168.3.3", "198.51.100.1"),
        ("not-an-address, 198.51.100.1", "198.51.100.1"),
        # Every hop one of ours: the left-most is as far as anyone vouches.
        ("192.168.1.1, 10.0.0.1", "192.168.1.1"),
        # Garbage after our own proxies: the last address a proxy of ours vouched for.
        ("garbage, 192.168.1.1", "192.168.1.1"),
        ("garbage", "10.0.0.1"),
        ("198.51.100.1:4711", "198.51.100.1"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:198.51.100.9", "198.51.100.9"),
    ],
)
def test_a_trusted_proxy_is_believed_up_to_the_first_address_not_its_own(forwarded: str, client: str) -> None:
    assert client_address(_request("10.0.0.1", x_forwarded_for=forwarded), PROXIES) == client


def test_several_forwarded_headers_read_as_one_list() -> None:
    scope = {
        "type": "http",
        "client": ("10.0.0.1", 1),
        "headers": [(b"x-forwarded-for", b"1.2.3.4"), (b"x-forwarded-for", b"198.51.100.1, 192.168.0.9")],
    }
    assert client_address(HTTPConnection(scope), PROXIES) == "198.51.100.1"


def test_x_real_ip_counts_from_a_trusted_proxy_when_there_is_no_forwarded_for() -> None:
    assert client_address(_request("fd00::1", x_real_ip="198.51.100.3"), PROXIES) == "198.51.100.3"
    assert client_address(_request("fd00::1", x_real_ip="junk"), PROXIES) == "fd00::1"
    assert client_address(_request("192.168.7.7"), PROXIES) == "192.168.7.7"


def test_no_peer_address_is_no_address() -> None:
    assert client_address(_request(None, x_forwarded_for="198.51.100.1"), PROXIES) == ""


def test_the_setting_names_a_bad_entry() -> None:
    assert parse_trusted_proxies(" 10.0.0.1 ,, 10.1.0.0/16 ") == parse_trusted_proxies("10.0.0.1,10.1.0.0/16")
    with pytest.raises(ValueError, match="10.0.0.300"):
        parse_trusted_proxies("10.0.0.1, 10.0.0.300")
