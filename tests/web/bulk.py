"""Thousands of posts in a channel in a second: written straight into the server's SQLite
database, as the server's own post action would leave them (the channel's counters and
last-post times included). Posting 10,000 messages through the API would take minutes on a
busy machine, and the browser stories that need them test the client, not posting."""

import sqlite3
import time
from pathlib import Path

from villagepump.ids import new_id


def database_path(data_dir: Path) -> Path:
    return data_dir / "villagepump.db"


def insert_posts(
    data_dir: Path, channel_id: str, user_id: str, count: int, text: str = "message {n}"
) -> list[str]:
    """`count` root posts by `user_id`, one a second up to now, oldest first; returns their ids."""
    now = int(time.time() * 1000)
    first = now - count * 1000
    rows = []
    for n in range(count):
        at = first + n * 1000
        rows.append((new_id(), at, at, user_id, channel_id, text.format(n=n)))
    connection = sqlite3.connect(database_path(data_dir), timeout=30)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO posts (id, create_at, update_at, edit_at, delete_at, is_pinned, user_id,"
                " channel_id, root_id, original_id, message, type, props, hashtags, file_ids,"
                " pending_post_id) VALUES (?, ?, ?, 0, 0, 0, ?, ?, '', '', ?, '', '{}', '', '[]', '')",
                rows,
            )
            last = rows[-1][1]
            connection.execute(
                "UPDATE channels SET total_msg_count = total_msg_count + ?,"
                " total_msg_count_root = total_msg_count_root + ?, last_post_at = MAX(last_post_at, ?),"
                " last_root_post_at = MAX(last_root_post_at, ?) WHERE id = ?",
                (count, count, last, last, channel_id),
            )
    finally:
        connection.close()
    return [row[0] for row in rows]
