"""What commands print: aligned columns for people, JSON for scripts (`--json`)."""

import argparse
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from villagepump.store import Row


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Columns two spaces apart, the last one unpadded, so `cut` and `awk` can read them too."""
    cells = [[str(c) for c in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        padded = [value.ljust(width) for value, width in zip(row[:-1], widths, strict=False)]
        print("  ".join([*padded, row[-1]]).rstrip())


def print_fields(fields: Sequence[tuple[str, object]]) -> None:
    """One `name: value` line each, the values lined up."""
    width = max(len(name) for name, _ in fields) + 1
    for name, value in fields:
        print(f"{name + ':':{width}} {_cell(value)}")


def print_outcome(args: argparse.Namespace, render: Callable[[Row], Any], changed: Row, done: str) -> None:
    """What a change prints: the changed object as the API renders it, or a sentence saying what
    was done."""
    if args.json:
        print_json(render(changed))
    else:
        print(done)


def archived_or_live(row: Row) -> str:
    return "archived" if row["delete_at"] else "live"


def when(ms: int) -> str:
    """A timestamp in UTC, or "-" for never."""
    if not ms:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
