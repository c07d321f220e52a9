"""Reading what a link shows: the links of a message, a page's OpenGraph data, an image's size."""

import pytest

from tests.previews.recorder import PAGE, gif, png, rotated_jpeg
from villagepump.previews.images import image_info
from villagepump.previews.links import cache_key, find_links
from villagepump.previews.opengraph import decode_html, parse_opengraph


@pytest.mark.parametrize(
    ("message", "first"),
    [
        ("see https://example.org/a?b=c.", "https://example.org/a?b=c"),
        ("(see https://en.wikipedia.org/wiki/Hamlet_(play))", "https://en.wikipedia.org/wiki/Hamlet_(play)"),
        ("first http://one.example then https://two.example", "http://one.example"),
        ("www.example.org/path!", "http://www.example.org/path"),
        ("`https://code.example` and https://real.example", "https://real.example"),
        ("```\nhttps://fenced.example\n```\nhttps://after.example", "https://after.example"),
        ("[named](https://named.example) https://bare.example", "https://bare.example"),
        ("![pic](https://img.example/a.png)", ""),
        ("no links, just http talk", ""),
        ("mailto:someone@example.org ftp://files.example", ""),
    ],
)
def test_the_first_plain_link_is_the_one_previewed(message: str, first: str) -> None:
    assert find_links(message).first_link == first


def test_markdown_images_are_measured_and_restricted_domains_skipped() -> None:
    links = find_links(
        "![a](https://img.example/a.png) ![b](https://cdn.tracker.example/b.png) https://tracker.example/x https://ok.example"
    )
    assert links.images == ("https://img.example/a.png", "https://cdn.tracker.example/b.png")
    restricted = find_links(
        "![a](https://img.example/a.png) ![b](https://cdn.tracker.example/b.png) https://tracker.example/x https://ok.example",
        "@tracker.example, other.example",
    )
    assert restricted.images == ("https://img.example/a.png",)
    assert restricted.first_link == "https://ok.example"


def test_cache_keys_are_normalised() -> None:
    assert cache_key("HTTPS://Example.ORG:443/a#frag") == "https://example.org/a"
    assert cache_key("http://example.org") == "http://example.org/"
    assert cache_key("http://0x7f000001:8080/x?y") == "http://127.0.0.1:8080/x?y"


def test_opengraph_tags_win_and_entities_are_decoded() -> None:
    og = parse_opengraph(PAGE, "http://127.0.0.1:1/page", "http://posted.example/page")
    assert og is not None
    assert og["title"] == "Elsinore & its ramparts"
    assert og["description"] == "Something is rotten \u2014 in the state of Denmark"
    assert og["type"] == "website" and og["site_name"] == "Elsinore"
    assert og["url"] == "http://posted.example/page"  # the link as posted, as in Mattermost
    assert og["images"] == [
        {"url": "http://127.0.0.1:1/image.png", "secure_url": "", "type": "", "width": 40, "height": 0}
    ]
    assert set(og) >= {"determiner", "locale", "locales_alternate", "audios", "videos"}


def test_twitter_cards_title_and_description_are_fallbacks() -> None:
    html = """<head><title>Page title</title><meta name="description" content="Plain">
    <meta name="twitter:image" content="https://img.example/t.png"></head>"""
    og = parse_opengraph(html, "https://page.example/", "https://page.example/")
    assert og is not None and og["title"] == "Page title" and og["description"] == "Plain"
    assert og["images"][0]["url"] == "https://img.example/t.png" and og["url"] == ""
    twitter = '<meta name="twitter:title" content="Tweet"><meta name="twitter:description" content="D">'
    found = parse_opengraph(twitter, "https://page.example/", "https://page.example/")
    assert found is not None and (found["title"], found["description"]) == ("Tweet", "D")


def test_pages_without_anything_to_show_give_none_and_texts_are_capped() -> None:
    assert parse_opengraph("<p>hello</p>", "https://p.example/", "https://p.example/") is None
    long = parse_opengraph(f"<title>{'a' * 5000}</title>", "https://p.example/", "https://p.example/")
    assert long is not None and len(long["title"]) == 300


def test_unsafe_image_urls_are_dropped() -> None:
    html = """<meta property="og:title" content="t"><meta property="og:image" content="javascript:alert(1)">
    <meta property="og:image" content="data:image/png;base64,AAAA"><meta property="og:image" content="//cdn.example/i.png">"""
    og = parse_opengraph(html, "https://p.example/x", "https://p.example/x")
    assert og is not None and [i["url"] for i in og["images"]] == ["https://cdn.example/i.png"]


def test_charsets_are_honoured() -> None:
    body = '<meta charset="iso-8859-1"><title>Sk\xe5l</title>'.encode("latin-1")
    assert "Sk\u00e5l" in decode_html(body, "")
    assert "Sk\u00e5l" in decode_html("<title>Sk\u00e5l</title>".encode("utf-16"), "utf-16")
    assert "\ufffd" in decode_html(b"<title>\xff</title>", "utf-8")


def test_image_sizes_as_mattermost_reports_them() -> None:
    assert image_info(png(40, 30)) == {"width": 40, "height": 30, "format": "png", "frame_count": 0}
    assert image_info(gif(3)) == {"width": 16, "height": 8, "format": "gif", "frame_count": 3}
    assert image_info(rotated_jpeg()) == {"width": 20, "height": 60, "format": "jpeg", "frame_count": 0}
    assert image_info(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert image_info(png()[:20]) is None  # cut off before the size
    assert image_info(b"") is None


def test_international_names_go_on_the_wire_as_idna() -> None:
    assert cache_key("https://Bücher.example/ä?q=ü") == "https://xn--bcher-kva.example/%C3%A4?q=%C3%BC"
