"""Sidebar categories as Mattermost sends them."""

from typing import Any

from villagepump.store import Row


def render_category(category: Row, channel_ids: list[str]) -> dict[str, Any]:
    return {
        "id": category["id"],
        "user_id": category["user_id"],
        "team_id": category["team_id"],
        "type": category["type"],
        "display_name": category["display_name"],
        "sort_order": category["sort_order"],
        "sorting": category["sorting"],
        "muted": category["muted"],
        "collapsed": category["collapsed"],
        "channel_ids": channel_ids,
    }
