"""The bridge in a server process: which networks this process relays (by lease), and the two
directions: IRC lines into posts, and posts in mapped channels (heard on the event bus) to IRC.

Every process runs this; a network's connection is held by the one process whose lease on its
row is current (store/irc_bridge.take_lease), renewed every third of irc_lease_seconds. A process
that dies lets its lease lapse and another takes the network over. Every process hears every
event on the bus, so the owner of a network relays posts whichever process took them in.
"""

import asyncio
import logging
import re
from collections import OrderedDict
from typing import Any

import orjson

from villagepump.actions import files as file_actions
from villagepump.actions import irc_bridge as bridge_actions
from villagepump.bridges.irc.formatting import irc_to_markdown
from villagepump.bridges.irc.outgoing import ZERO_WIDTH_SPACE, Outgoing, text_lines
from villagepump.bridges.irc.relay import Incoming, Relay
from villagepump.events.types import Event
from villagepump.ids import new_id
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import irc_bridge as bridge_store
from villagepump.store import posts as post_store
from villagepump.store import teams as team_store
from villagepump.store import users as user_store

log = logging.getLogger("villagepump.bridges.irc")

_RELAYED_EVENTS = ("posted", "post_edited")
_STOP_GRACE_SECONDS = 3.0
# Someone on IRC may not notify a whole chat channel: @all, @channel and @here get a zero-width
# space that keeps the mention parser from reading them (mentions of one person still work).
_CHANNEL_WIDE_MENTION = re.compile(r"@(all|channel|here)\b", re.IGNORECASE)


class IrcBridge:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.owner = new_id()
        self.relays: dict[str, Relay] = {}
        self._network_versions: dict[str, int] = {}
        # When this process last renewed each network's lease (clock.monotonic()).
        self._claimed_at: dict[str, float] = {}
        self._bot_id = ""
        self._wake = asyncio.Event()
        self._posts: asyncio.Queue[Event | None] = asyncio.Queue()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        # What each recent post said when relayed, so a post_edited that only touched reactions,
        # pins or previews is not relayed as an edit.
        self._said: OrderedDict[str, str] = OrderedDict()

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._manage()), asyncio.create_task(self._relay_posts())]

    async def stop(self) -> None:
        # The loops finish what they are doing rather than being cancelled inside a database
        # call (a cancelled asyncpg query can hold up the process's shutdown).
        self._stopping = True
        self._wake.set()
        self._posts.put_nowait(None)
        _, unfinished = await asyncio.wait(self._tasks, timeout=_STOP_GRACE_SECONDS)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for network_id, relay in list(self.relays.items()):
            await relay.stop()
            try:
                await bridge_actions.release_network(self.rt, network_id, self.owner)
            except Exception:
                log.exception("could not release the lease of IRC network %s", network_id)
        self.relays.clear()

    def wake(self) -> None:
        self._wake.set()

    def deliver(self, event: Event) -> None:
        """Called for every event this process hears; keeps only posts in channels it relays."""
        if event.event not in _RELAYED_EVENTS or not self.relays:
            return
        channel_id = event.broadcast.channel_id
        if any(relay.maps(channel_id) for relay in self.relays.values()):
            self._posts.put_nowait(event)

    # -- networks and leases -----------------------------------------------------------------

    async def _manage(self) -> None:
        while not self._stopping:
            try:
                await self._refresh()
            except Exception:
                log.exception("IRC bridge: could not refresh its networks; trying again")
                await self._drop_lapsed()
            pause = asyncio.ensure_future(self.rt.clock.pause(self.rt.settings.irc_lease_seconds / 3))
            woken = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({pause, woken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                pause.cancel()
                woken.cancel()
            self._wake.clear()

    async def _refresh(self) -> None:
        async with self.rt.db.read() as conn:
            networks = await bridge_store.list_networks(conn)
            mappings = await bridge_store.list_mappings(conn)
        self._bot_id = self._bot_id or await bridge_actions.bridge_user_id(self.rt)
        current = {n["id"]: n for n in networks}
        for network_id in list(self.relays):
            if (
                network_id not in current
                or current[network_id]["update_at"] != self._network_versions[network_id]
            ):
                await self._drop(network_id)
        for network in networks:
            if self._stopping:
                return
            asked_at = self.rt.clock.monotonic()  # the lease runs from before the claim
            if not await bridge_actions.claim_network(self.rt, network["id"], self.owner):
                await self._drop(network["id"])
                continue
            self._claimed_at[network["id"]] = asked_at
            relay = self.relays.get(network["id"])
            if relay is None:
                relay = Relay(network, self.rt.settings, self.rt.clock, self._post_from_irc)
                self.relays[network["id"]] = relay
                self._network_versions[network["id"]] = network["update_at"]
                relay.start()
            live = [m for m in mappings if m["network_id"] == network["id"] and not m["channel_delete_at"]]
            relay.set_mappings(live)

    async def _drop_lapsed(self) -> None:
        """The database could not be reached to renew: a lease that may have lapsed may be
        another process's now, so its relay stops rather than risk two connections."""
        lapsed_before = self.rt.clock.monotonic() - self.rt.settings.irc_lease_seconds
        for network_id in list(self.relays):
            if self._claimed_at.get(network_id, 0.0) < lapsed_before:
                await self._drop(network_id)

    async def _drop(self, network_id: str) -> None:
        relay = self.relays.pop(network_id, None)
        if relay is not None:
            await relay.stop()

    # -- IRC to chat ---------------------------------------------------------------------------

    async def _post_from_irc(self, incoming: Incoming) -> None:
        mapping, nick = incoming.mapping, incoming.nick
        if incoming.kind == "message":
            message = irc_to_markdown(incoming.text)
        elif incoming.kind == "action":
            message = f"*{irc_to_markdown(nick)} {irc_to_markdown(incoming.text)}*"
        else:
            verb = {"join": "joined", "part": "left", "kick": "was kicked from"}[incoming.kind]
            message = f"_{irc_to_markdown(nick)} {verb} {mapping['irc_channel']} on IRC_"
        if not message.strip():
            return
        message = _CHANNEL_WIDE_MENTION.sub("@" + ZERO_WIDTH_SPACE + r"\1", message)
        network = self.relays[mapping["network_id"]].network if mapping["network_id"] in self.relays else None
        props: dict[str, Any] = {
            # Mattermost's marks of a post made for someone else: clients show the override name
            # with a BOT tag and the override icon, never as the local user of that name.
            "from_webhook": "true",
            "from_bot": "true",
            "override_username": nick,
            "override_icon_url": f"/api/v4/users/{self._bot_id}/image",
            "from_irc": "true",
            "irc_network": network["name"] if network is not None else "",
            "irc_channel": mapping["irc_channel"],
        }
        try:
            await bridge_actions.post_from_irc(self.rt, self._bot_id, mapping["id"], message, props)
        except Exception as error:
            log.warning("IRC bridge: could not post into channel %s: %s", mapping["channel_id"], error)

    # -- chat to IRC ---------------------------------------------------------------------------

    async def _relay_posts(self) -> None:
        while True:
            event = await self._posts.get()
            if event is None:  # stopping
                return
            try:
                await self._relay_post(event)
            except Exception:
                log.exception("IRC bridge: could not relay a post")

    async def _relay_post(self, event: Event) -> None:
        post = orjson.loads(event.data["post"])
        if post["user_id"] == self._bot_id or post.get("type") or (post.get("props") or {}).get("from_irc"):
            return  # ours (no echo), or a system message
        edited = event.event == "post_edited"
        if edited and not (post["edit_at"] and post["edit_at"] == post["update_at"]):
            return  # reactions, pins, previews: not a new text
        if edited and self._said.get(post["id"]) == post["message"]:
            return
        self._remember(post["id"], post["message"])
        outgoing, permalink = await self._compose(post, edited)
        if not outgoing.lines:
            return
        for relay in list(self.relays.values()):
            for mapping in relay.maps(post["channel_id"]):
                relay.say(mapping["irc_channel"], outgoing, permalink)

    def _remember(self, post_id: str, message: str) -> None:
        self._said[post_id] = message
        self._said.move_to_end(post_id)
        while len(self._said) > 1000:
            self._said.popitem(last=False)

    async def _compose(self, post: dict[str, Any], edited: bool) -> tuple[Outgoing, str]:
        async with self.rt.db.read() as conn:
            author = await user_store.get_user(conn, post["user_id"])
            reply_to = None
            if post.get("root_id"):
                root = await post_store.get_post(conn, post["root_id"])
                if root is not None and not root["delete_at"] and root["channel_id"] == post["channel_id"]:
                    root_author = await user_store.get_user(conn, root["user_id"])
                    reply_to = (root_author["username"] if root_author else "someone", root["message"])
            permalink = await self._permalink(conn, post)
        files = await self._file_lines(post)
        lines = text_lines(post["message"], reply_to=reply_to, edited=edited, files=files)
        return Outgoing(author["username"] if author else "someone", lines), permalink

    async def _permalink(self, conn: Any, post: dict[str, Any]) -> str:
        site = self.rt.settings.site_url.rstrip("/")
        if not site:
            return ""
        channel = await channel_store.get_channel(conn, post["channel_id"])
        team_id = channel["team_id"] if channel is not None else ""
        team: Row | None = await team_store.get_team(conn, team_id) if team_id else None
        return f"{site}/{team['name']}/pl/{post['id']}" if team is not None else ""

    async def _file_lines(self, post: dict[str, Any]) -> list[str]:
        """Each file as its public link when the admin allows public links, else its name."""
        infos = (post.get("metadata") or {}).get("files") or []
        site = self.rt.settings.site_url.rstrip("/")
        lines = []
        for info in infos:
            if self.rt.settings.enable_public_link and site:
                link_hash = await file_actions.public_link_hash(self.rt, info["id"])
                lines.append(f"{info['name']}: {site}/api/v4/files/{info['id']}/public?h={link_hash}")
            else:
                lines.append(f"[file] {info['name']}")
        return lines
