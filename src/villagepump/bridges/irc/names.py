"""IRC nicks and channel names: what is valid, and how IRC compares them."""

import re

# RFC 2812 nick characters; servers allow 9 to 30 or more, we cap at 30.
_NICK = re.compile(r"^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]{0,29}$")
# RFC 2812: a channel is # or & then anything but space, comma, BEL, NUL, CR, LF and colon.
_CHANNEL = re.compile(r"^[#&][^\s,\x07\x00:]{1,199}$")


def irc_lower(name: str) -> str:
    """RFC 1459 case mapping, the default of most servers: []\\~ are the capitals of {}|^."""
    return name.lower().translate(str.maketrans("[]\\~", "{}|^"))


def check_nick(nick: str) -> str | None:
    return nick if _NICK.match(nick) else None


def check_irc_channel(name: str) -> str | None:
    name = name.strip()
    return irc_lower(name) if _CHANNEL.match(name) else None
