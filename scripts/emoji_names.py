"""Writes src/villagepump/emoji_names.tsv, the standard emoji names the server accepts.

The names are the short names of the npm package `emoji-datasource` (the data Mattermost's own
list is built from), aliases included (`+1` and `thumbsup`), the older names Mattermost adds to
them (`hugs`, `thinking`, `fist_oncoming`: web/scripts/mattermost-emoji-aliases.json), plus a
name for each single skin tone in Mattermost's form (`+1_light_skin_tone`,
`thumbsup_dark_skin_tone`, ...).

To regenerate (the file is committed; the server never needs npm):

    mkdir -p /tmp/emoji && cd /tmp/emoji
    npm pack emoji-datasource@16.0.0 && tar xzf emoji-datasource-16.0.0.tgz
    cd - && python scripts/emoji_names.py /tmp/emoji/package/emoji.json

Use the version of `emoji-datasource` the web client's picker uses, so both know the same names.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "villagepump" / "emoji_names.tsv"
ALIASES = ROOT / "web" / "scripts" / "mattermost-emoji-aliases.json"
# Mattermost names a skin-toned emoji "<name>_<tone>" with these tone names.
SKIN_TONES = {
    "1F3FB": "light_skin_tone",
    "1F3FC": "medium_light_skin_tone",
    "1F3FD": "medium_skin_tone",
    "1F3FE": "medium_dark_skin_tone",
    "1F3FF": "dark_skin_tone",
}


def names(emoji: list[dict], extra: dict) -> dict[str, str]:
    """`extra` is the aliases file: {"aliases": {datasource name: [names]}, "toned": [names]}."""
    found: dict[str, str] = {}
    for entry in sorted(emoji, key=lambda e: e["sort_order"]):
        # "thank you" is one of Mattermost's names too, but no reaction or message can name it.
        more = [
            alias
            for name in entry["short_names"]
            for alias in extra["aliases"].get(name, [])
            if re.fullmatch(r"[a-z0-9_+-]+", alias)
        ]
        for name in [*entry["short_names"], *more]:
            found.setdefault(name, entry["unified"].lower())
        toned = [*entry["short_names"], *(alias for alias in more if alias in extra["toned"])]
        for key, variation in (entry.get("skin_variations") or {}).items():
            tones = set(key.split("-"))
            if len(tones) != 1 or key.split("-")[0] not in SKIN_TONES:
                continue  # two different tones (people holding hands): no Mattermost name
            suffix = SKIN_TONES[key.split("-")[0]]
            for name in toned:
                found.setdefault(f"{name}_{suffix}", variation["unified"].lower())
    return found


def main(source: str) -> None:
    with open(source, encoding="utf-8") as handle:
        emoji = json.load(handle)
    found = names(emoji, json.loads(ALIASES.read_text(encoding="utf-8")))
    lines = [
        "# Standard emoji names and their code points, from emoji-datasource (scripts/emoji_names.py).",
        *(f"{name}\t{code}" for name, code in found.items()),
    ]
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(found)} names written to {TARGET}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
