"""The IRC bridge's text handling, without a network: lines in (bad input included), formatting
both ways, and posts cut into lines that fit."""

import asyncio

from villagepump.bridges.irc import protocol
from villagepump.bridges.irc.flood import SendQueue
from villagepump.bridges.irc.formatting import irc_to_markdown, markdown_to_plain
from villagepump.bridges.irc.outgoing import ZERO_WIDTH_SPACE, budget, split_lines, text_lines, unpinged
from villagepump.bridges.irc.relay import read_line
from villagepump.clock import ManualClock


def test_a_privmsg_with_tags_prefix_and_trailing_text_parses() -> None:
    message = protocol.parse(
        b"@time=2026-01-01T00:00:00Z;draft/x=a\\sb :nick!u@h PRIVMSG #chan :hello there\r\n"
    )
    assert message is not None
    assert (message.command, message.nick, message.params) == ("PRIVMSG", "nick", ["#chan", "hello there"])
    assert message.tags == {"time": "2026-01-01T00:00:00Z", "draft/x": "a b"}


def test_bad_lines_never_raise_and_lose_their_control_characters() -> None:
    assert protocol.parse(b"") is None and protocol.parse(b"   \r\n") is None
    nul = protocol.parse(b":a!b@c PRIVMSG #x :before\0after")
    assert nul is not None and nul.param(1) == "before"
    controls = protocol.parse(b":a!b@c PRIVMSG #x :ring\x07 the\x1b[31m bell\x02bold\x02")
    assert controls is not None and controls.param(1) == "ring the[31m bell\x02bold\x02"
    latin1 = protocol.parse(b":a!b@c PRIVMSG #x :caf\xe9")
    assert latin1 is not None and latin1.param(1) == "café"
    long = protocol.parse(b":a!b@c PRIVMSG #x :" + "é".encode() * 2000)
    assert long is not None and len(long.param(1).encode()) < protocol.MAX_LINE_BYTES


def test_a_line_we_send_cannot_carry_a_second_command() -> None:
    sent = protocol.line("PRIVMSG", "#x", "hi\r\nQUIT :gone\0")
    assert sent == b"PRIVMSG #x :hi QUIT :gone\r\n"


def test_irc_formatting_becomes_markdown_and_markdown_characters_stay_literal() -> None:
    assert irc_to_markdown("\x02bold\x02 and \x1ditalic\x1d") == "**bold** and _italic_"
    assert irc_to_markdown("\x02bold \x0fplain") == "**bold** plain"
    assert irc_to_markdown("\x0304,12red\x03 \x1funder\x1f \x1estrike\x1e") == "red under ~~strike~~"
    assert irc_to_markdown("\x11x = `y`\x11") == "`x = 'y'`"
    assert irc_to_markdown("*not bold* [link](x)") == "\\*not bold\\* \\[link\\](x)"


def test_markdown_is_stripped_for_irc() -> None:
    text = "**bold** _it_ `code` ~~gone~~ [site](https://example.org) <https://a.example>\n## Title"
    assert markdown_to_plain(text) == "bold it code gone site <https://example.org> https://a.example\nTitle"


def test_a_reply_an_edit_and_files_read_naturally() -> None:
    lines = text_lines(
        "sure **thing**", reply_to=("othello", "Shall we meet at the castle at noon tomorrow?")
    )
    assert lines == [f'o{ZERO_WIDTH_SPACE}thello: "Shall we meet at the castle at noon…" ← sure thing']
    assert text_lines("fixed\n\nnow", edited=True, files=["[file] a.png"]) == [
        "fixed",
        "now (edited)",
        "[file] a.png",
    ]


def test_long_posts_are_cut_to_fit_512_bytes_and_end_with_a_link() -> None:
    prefix = f"<{unpinged('hamlet')}> "
    limit = budget("vpbridge", "#denmark", prefix)
    words = " ".join(["ÆØÅ-word"] * 400)
    pieces = split_lines([words], limit, 4, "https://chat.example/team/pl/abc")
    assert len(pieces) == 4 and pieces[-1].endswith("https://chat.example/team/pl/abc")
    for piece in pieces:
        sent = (
            b":vpbridge!"
            + b"u" * 10
            + b"@"
            + b"h" * 63
            + b" "
            + protocol.line("PRIVMSG", "#denmark", prefix + piece)
        )
        assert len(sent) <= protocol.MAX_LINE_BYTES
    assert split_lines(["one", "two"], limit, 4, "") == ["one", "two"]


def test_flood_control_queues_lines_and_lets_them_out_at_its_rate() -> None:
    async def scenario() -> None:
        clock = ManualClock()
        queue = SendQueue(clock, burst=2, per_second=1.0)
        for n in range(5):
            queue.put(f"line {n}".encode())
        sent: list[bytes] = []

        async def drain() -> None:
            while True:
                sent.append(await queue.next_line())

        task = asyncio.create_task(drain())
        await asyncio.sleep(0.01)
        assert sent == [b"line 0", b"line 1"]  # the burst
        await clock.advance(1.0)
        await asyncio.sleep(0.01)
        assert len(sent) == 3
        await clock.advance(2.0)
        await asyncio.sleep(0.01)
        assert sent == [f"line {n}".encode() for n in range(5)]  # nothing dropped
        task.cancel()

    asyncio.run(scenario())


def test_a_line_longer_than_the_read_buffer_is_cut_and_the_next_line_still_read() -> None:
    async def scenario() -> None:
        reader = asyncio.StreamReader(limit=2**16)
        reader.feed_data(b":a!b@c PRIVMSG #x :" + b"y" * 200_000 + b"\r\nPING :still-here\r\n")
        reader.feed_eof()
        long = protocol.parse(await read_line(reader))
        assert long is not None and long.command == "PRIVMSG"
        assert len(long.param(1)) < protocol.MAX_LINE_BYTES
        ping = protocol.parse(await read_line(reader))
        assert ping is not None and (ping.command, ping.params) == ("PING", ["still-here"])

    asyncio.run(scenario())
