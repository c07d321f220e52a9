"""The standard emoji set by Mattermost's names (`+1`, `thumbsup`, `+1_light_skin_tone`, ...), so a
reaction made here shows in the official apps and the other way round.

The names live in emoji_names.tsv, generated from the npm package `emoji-datasource` by
scripts/emoji_names.py (which says how to regenerate it).
"""

from functools import cache
from importlib import resources


@cache
def standard_emoji() -> dict[str, str]:
    """Every standard name and its code points ("1f44d", "1f44d-1f3ff", ...)."""
    text = resources.files("villagepump").joinpath("emoji_names.tsv").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, code = line.partition("\t")
            found[name] = code
    return found


def is_standard_emoji(name: str) -> bool:
    return name in standard_emoji()
