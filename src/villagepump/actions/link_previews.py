"""Link previews: queued with the post that needs them, fetched by a jobs worker, stored in the
cache, then announced to the post's channel with post_edited, the event Mattermost's clients
replace a post on; and the OpenGraph data of one URL on request (POST /opengraph).

A post never waits for a remote site: the posting transaction only looks in the cache (a fresh
result shows in the `posted` event at once) and queues a `link_preview` outbox item for what is
missing or stale. A failure is a result too, cached for less time, and is not retried by the
outbox: a site that is down would otherwise be asked again and again.
"""

import asyncio
from collections.abc import Mapping
from typing import Any

from villagepump import errors
from villagepump.actions.transaction import Transaction, transaction
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.jobs.types import LINK_PREVIEW
from villagepump.previews.links import cache_key, find_links, keys_of
from villagepump.previews.lookup import Preview, look_up, policy_for
from villagepump.previews.urls import FetchFailed
from villagepump.render.posts import render_post
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import link_previews as preview_store
from villagepump.store import posts as post_store

# What POST /opengraph answers for a link with no OpenGraph data, as Mattermost does.
NO_OPENGRAPH = {"url": ""}


async def queue_previews_in(tx: Transaction, settings: Settings, post: Mapping[Any, Any]) -> dict[str, Row]:
    """Within the write that creates or edits `post`: the cached previews of its links (for the
    post as it is sent now), and an outbox item for the links whose preview is missing or stale."""
    if not settings.enable_link_previews:
        return {}
    links = find_links(post["message"], settings.restrict_link_previews)
    keys = keys_of(links)
    if not keys:
        return {}
    cached = await preview_store.get_previews(tx.conn, keys)
    now = now_ms_of(tx.clock)
    stale = [link for link in (links.first_link, *links.images) if link and _stale(cached, link, now)]
    if stale:
        await tx.enqueue(LINK_PREVIEW, {"post_id": post["id"], "links": stale})
    return cached


def _stale(cached: Mapping[str, Row], link: str, now: int) -> bool:
    row = cached.get(cache_key(link))
    return row is None or row["expires_at"] <= now


async def preview_post_links(rt: Runtime, post_id: str, links: list[str]) -> None:
    """The outbox item's work: fetch what is still stale, store it, and tell the post's channel."""
    if not rt.settings.enable_link_previews:
        return  # turned off after the post queued it: an admin who stops previews stops fetches
    async with rt.db.read() as conn:
        post = await post_store.get_post(conn, post_id)
    if post is None or post["delete_at"]:
        return  # deleted before its turn came: nobody will see a preview
    stored = await _fetch_and_store(rt, links)
    if not any(preview.kind != "failed" for preview in stored.values()):
        return  # nothing new to show: the post as clients have it stays right
    async with transaction(rt) as tx:
        post = await post_store.get_post(tx.conn, post_id)
        if post is None or post["delete_at"]:
            return
        # Clients and `GET .../posts?since=` go by update_at: the post changed for them.
        await post_store.touch_post(tx.conn, post_id, max(now_ms_of(rt.clock), post["update_at"] + 1))
        updated = await post_store.get_post(tx.conn, post_id)
        assert updated is not None
        context = await post_store.load_context(
            tx.conn, [updated], "", previews=rt.settings.enable_link_previews
        )
        # Mattermost fills embeds before the post is sent; a client learns of a preview that
        # comes later the way it learns of any change to a post.
        data = {"post": json_field(render_post(updated, context))}
        tx.publish(Event("post_edited", data, Broadcast(channel_id=updated["channel_id"])))


async def _fetch_and_store(rt: Runtime, links: list[str]) -> dict[str, Preview]:
    """Fetches the links whose cached result is missing or stale (another job may have fetched
    one meanwhile), at the same time, and stores each outcome."""
    keys = {}
    for link in dict.fromkeys(links):
        try:
            keys[cache_key(link)] = link
        except FetchFailed:
            continue
    async with rt.db.read() as conn:
        cached = await preview_store.get_previews(conn, keys)
    now = now_ms_of(rt.clock)
    wanted = {
        key: link for key, link in keys.items() if key not in cached or cached[key]["expires_at"] <= now
    }
    if not wanted:
        return {}
    policy = policy_for(rt.settings)
    found = await asyncio.gather(*(look_up(link, policy) for link in wanted.values()))
    outcomes = dict(zip(wanted, found, strict=True))
    await _store(rt, outcomes)
    return outcomes


async def _store(rt: Runtime, outcomes: Mapping[str, Preview]) -> None:
    now = now_ms_of(rt.clock)
    settings = rt.settings
    async with transaction(rt) as tx:
        for key, preview in outcomes.items():
            keep = (
                settings.link_preview_failure_cache_seconds
                if preview.kind == "failed"
                else settings.link_preview_cache_seconds
            )
            values = {
                "url": key,
                "kind": preview.kind,
                "data": preview.data,
                "error": preview.error,
                "fetched_at": now,
                "expires_at": now + keep * 1000,
            }
            await preview_store.save_preview(tx.conn, values)


def require_enabled(settings: Settings) -> None:
    if not settings.enable_link_previews:
        raise errors.APIError(
            501,
            "api.post.link_preview_disabled.app_error",
            "Link previews have been disabled by the system admin.",
        )


async def opengraph_for(rt: Runtime, url: str) -> dict[str, Any]:
    """POST /opengraph: the URL's OpenGraph data from the cache, or fetched now (with the same
    safety and limits) and cached."""
    require_enabled(rt.settings)
    try:
        key = cache_key(url)
    except FetchFailed:
        return NO_OPENGRAPH
    outcome = (await _fetch_and_store(rt, [url])).get(key)
    if outcome is None:
        async with rt.db.read() as conn:
            row = (await preview_store.get_previews(conn, [key])).get(key)
        outcome = Preview(row["kind"], row["data"]) if row is not None else Preview("failed")
    if outcome.kind == "opengraph":
        return dict(outcome.data["opengraph"])
    return NO_OPENGRAPH
