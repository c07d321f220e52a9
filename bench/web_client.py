"""The web client in headless Chromium (/usr/bin/chromium) against a local server: cold load to
the first channel's messages, channel switch with cached data, the DOM while scrolling back
through 10,000 messages, and the JS heap after activity in 50 channels.

    make web && .venv/bin/python bench/web_client.py [--minutes 3] [--sample-minutes 2]

Times come from the page's own clock (performance.now, polled every animation frame); bytes,
DOM counts and heap sizes are what the machine's load does not distort. Each measure reports the
machine's one-minute load average before and after it, since on a shared machine that sets the
times. During the activity a memory reading (heap, DOM nodes, listeners, the renderer's RSS) is
printed to stderr every few minutes; a step that gets no answer ends the run with its name.

The renderer's RSS here is not the page's alone: Playwright enables DevTools' Network domain,
whose agent keeps every response body in the renderer (up to 200 MB per page or worker), and
that is what grows during the activity. bench/renderer_memory.py measures the page without it.
"""

import argparse
import functools
import json
import os
import random
import signal
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import bench_server  # noqa: E402
from tests.support.client import API, PASSWORD, create_user, login, unique  # noqa: E402
from tests.support.server import ADMIN_PASSWORD, ServerProcess  # noqa: E402
from tests.web.bulk import insert_posts  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ROW = ".post-list article.post"
# For Playwright's own waits (navigation, selectors); evaluate and CDP calls go by the watchdog.
STEP_TIMEOUT_MS = 60_000

# ms from the start of navigation until a message row is in the DOM, polled every frame.
FIRST_MESSAGE_MS = """async (selector) => {
    while (!document.querySelector(selector)) {
        await new Promise(requestAnimationFrame);
    }
    return performance.now();
}"""

# Clicks a sidebar link and waits until the channel's title and its newest message show. Gives
# up after `limit` ms with what the page showed instead, so a switch that never completes is a
# reported error, not a hang. A channel with more unread messages than a screen holds opens at
# its "New messages" line, as Mattermost's does, with the newest out of the list's window (the
# hour's run stopped there twice, at the same switch: 44 messages had come to Room 48 since it
# was last open); the reader then presses "Jump to latest", and so does this.
SWITCH_MS = """async ([name, text, limit]) => {
    const link = [...document.querySelectorAll('.sidebar .channel-link')].find((a) => a.textContent.includes(name));
    if (!link) {
        throw new Error(`no sidebar link for ${name}`);
    }
    const start = performance.now();
    link.click();
    for (;;) {
        const title = document.querySelector('#channel-title');
        const rows = [...document.querySelectorAll('.post-list article.post .post-text')];
        if (title && title.textContent === name && rows.some((row) => row.textContent.includes(text))) {
            return performance.now() - start;
        }
        const jump = document.querySelector('.jump-to-latest');
        if (title && title.textContent === name && jump && document.querySelector('.post-list .new-messages')) {
            jump.click();
        }
        if (performance.now() - start > (limit ?? 30000)) {
            const last = rows.slice(-3).map((row) => row.textContent).join(' | ');
            throw new Error(`switch to ${name}: "${text}" not shown after ${limit} ms; title "${title?.textContent}", last rows: ${last}`);
        }
        await new Promise(requestAnimationFrame);
    }
}"""

# Installed before the app's scripts: counts every WebSocket the page opens and what each one
# hears, so a switch that times out can say whether the socket was open, when it last heard an
# event (and its seq) or a reply to its pings, and how often it had reconnected. The server ends
# each event frame with its `seq` (events/hub.py), and a reply carries `seq_reply`: reading
# those with a regular expression costs far less than parsing every frame a second time.
SOCKET_TRACKER = """(() => {
    const Native = window.WebSocket;
    const track = {created: 0, opened: 0, closed: 0, errors: 0, closeCodes: [], frames: 0,
        lastSeq: null, lastEvent: '', lastEventAt: 0, lastReplyAt: 0, lastSentAt: 0, openedAt: 0, current: null};
    window.__socketTrack = track;
    class TrackedWebSocket extends Native {
        constructor(url, protocols) {
            super(url, protocols);
            track.created++;
            track.current = this;
            this.addEventListener('open', () => { track.opened++; track.openedAt = performance.now(); });
            this.addEventListener('close', (event) => {
                track.closed++;
                track.closeCodes = [...track.closeCodes.slice(-9), event.code];
            });
            this.addEventListener('error', () => { track.errors++; });
            this.addEventListener('message', (event) => {
                track.frames++;
                const text = typeof event.data === 'string' ? event.data : '';
                if (text.includes('"seq_reply"')) {
                    track.lastReplyAt = performance.now();
                    return;
                }
                const seq = /"seq":(\\d+)\\}$/.exec(text);
                const name = /"event":"([^"]+)"/.exec(text);
                track.lastSeq = seq ? Number(seq[1]) : track.lastSeq;
                track.lastEvent = name ? name[1] : track.lastEvent;
                track.lastEventAt = performance.now();
            });
        }
        send(data) {
            track.lastSentAt = performance.now();
            return super.send(data);
        }
    }
    window.WebSocket = TrackedWebSocket;
    // The page's requests too (Client4 uses fetch): a switch also loads the channel's newest
    // page over HTTP, so a stalled socket alone would not keep its message from showing.
    const nativeFetch = window.fetch.bind(window);
    const requests = {started: 0, finished: 0, failed: 0, pending: new Map(), lastFinishedAt: 0};
    window.__fetchTrack = requests;
    window.fetch = (input, init) => {
        const id = ++requests.started;
        requests.pending.set(id, {at: performance.now(), url: String(input instanceof Request ? input.url : input).replace(location.origin, '')});
        return nativeFetch(input, init).then((response) => {
            requests.finished++;
            return response;
        }, (error) => {
            requests.failed++;
            throw error;
        }).finally(() => {
            requests.pending.delete(id);
            requests.lastFinishedAt = performance.now();
        });
    };
})();"""

# What the tracker knows, with ages in seconds, and whether the sidebar says "Reconnecting…".
SOCKET_STATE = """() => {
    const track = window.__socketTrack;
    if (!track) {
        return {tracked: false};
    }
    const now = performance.now();
    const age = (at) => (at ? Math.round((now - at) / 100) / 10 : null);
    return {
        ready_state: track.current ? ['connecting', 'open', 'closing', 'closed'][track.current.readyState] : 'none',
        sockets_opened: track.created,
        reconnects: Math.max(0, track.opened - 1),
        closes: track.closed,
        close_codes: track.closeCodes,
        errors: track.errors,
        frames: track.frames,
        last_event_seq: track.lastSeq,
        last_event: track.lastEvent,
        seconds_since_event: age(track.lastEventAt),
        seconds_since_reply: age(track.lastReplyAt),
        seconds_since_sent: age(track.lastSentAt),
        seconds_since_open: age(track.openedAt),
        reconnecting_shown: Boolean(document.querySelector('.sidebar .offline')),
        requests_started: window.__fetchTrack.started,
        requests_failed: window.__fetchTrack.failed,
        requests_pending: [...window.__fetchTrack.pending.values()].slice(0, 8)
            .map((request) => `${request.url} (${age(request.at)} s)`),
        seconds_since_response: age(window.__fetchTrack.lastFinishedAt),
        service_worker: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller),
    };
}"""

TRANSFERRED = """() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    const bytes = (filter) => entries.filter(filter).reduce((sum, e) => sum + (e.transferSize || 0), 0);
    return {
        total: bytes(() => true),
        scripts: bytes((e) => e.name.endsWith('.js')),
        api: bytes((e) => e.name.includes('/api/v4/')),
    };
}"""


def prepare(server: ServerProcess, channels: int) -> dict[str, Any]:
    admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
    team = admin.ok("POST", "/teams", {"name": unique("bench-"), "display_name": "Bench", "type": "O"})
    reader, poster = create_user(admin, "reader"), create_user(admin, "poster")
    for user in (reader, poster):
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user.id})
    made = []
    for n in range(channels):
        channel = admin.ok(
            "POST",
            "/channels",
            {"team_id": team["id"], "name": f"room-{n:02d}", "display_name": f"Room {n:02d}", "type": "O"},
        )
        for user in (reader, poster):
            admin.ok("POST", f"/channels/{channel['id']}/members", {"user_id": user.id})
        made.append(channel)
    return {"team": team, "reader": reader, "poster": poster, "channels": made}


def signed_in_state(browser: Browser, server: ServerProcess, username: str) -> Any:
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/login")
    page.fill("#login-id", username)
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".composer textarea, #team-display-name")
    state = context.storage_state()
    context.close()
    return state


def cold_load(browser: Browser, server: ServerProcess, state: Any, path: str, runs: int) -> dict[str, Any]:
    times, transfers = [], []
    for _ in range(runs):
        # A new context: no HTTP cache, no service worker; only the session cookie.
        context = browser.new_context(
            base_url=server.url, storage_state=state, viewport={"width": 1200, "height": 800}
        )
        page = context.new_page()
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page.goto(path, wait_until="commit")
        with watchdog.step("cold load", 60):
            times.append(page.evaluate(FIRST_MESSAGE_MS, ROW))
        page.wait_for_load_state("networkidle")
        with watchdog.step("transfer sizes", 60):
            transfers.append(page.evaluate(TRANSFERRED))
        context.close()
    return {
        "median_ms": round(statistics.median(times)),
        "runs_ms": [round(t) for t in times],
        "bytes": transfers[-1],
    }


def channel_switch(page: Page, world: dict[str, Any], switches: int) -> dict[str, Any]:
    rooms = world["channels"][:2]
    for room in rooms:
        for n in range(30):
            world["poster"].ok(
                "POST", "/posts", {"channel_id": room["id"], "message": f"{room['name']} line {n}"}
            )
    names = [room["display_name"] for room in rooms]
    # First visits load from the server; after that both channels are in the store.
    for room in rooms:
        switch(page, room["display_name"], f"{room['name']} line 29")
    times = []
    for n in range(switches):
        room = rooms[n % 2]
        times.append(switch(page, names[n % 2], f"{room['name']} line 29"))
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "switches": switches,
    }


def scroll_10k(page: Page, server: ServerProcess, world: dict[str, Any], seconds: float) -> dict[str, Any]:
    room = world["channels"][2]
    insert_posts(server.data_dir, room["id"], world["poster"].id, 10_000, "scroll {n:05d}")
    world["reader"].ok("POST", "/channels/members/me/view", {"channel_id": room["id"]})
    switch(page, room["display_name"], "scroll 09999")
    listing = page.locator(".post-list")
    most_rows, most_elements = 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not page.locator(".channel-start").count():
        listing.evaluate("list => { list.scrollTop = 0; }")
        page.wait_for_timeout(250)
        most_rows = max(most_rows, page.locator(ROW).count())
        most_elements = max(most_elements, page.evaluate("document.getElementsByTagName('*').length"))
    oldest = page.locator(ROW).first.locator(".post-text").inner_text()
    loaded = 10_000 - int(oldest.split()[-1])
    # Then through the middle, a screen at a time.
    for _ in range(40):
        listing.evaluate("list => { list.scrollTop += list.clientHeight; }")
        page.wait_for_timeout(30)
        most_rows = max(most_rows, page.locator(ROW).count())
        most_elements = max(most_elements, page.evaluate("document.getElementsByTagName('*').length"))
    return {
        "messages_loaded": loaded,
        "max_post_rows_in_dom": most_rows,
        "max_elements_in_dom": most_elements,
    }


def descendants() -> dict[int, str]:
    """This process's descendants (the Playwright driver, Chromium and its helpers) by pid, with
    their command lines: the Chromium of a bench, told apart from other helpers' on the machine."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    ours = {os.getpid()}
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in ours} - ours
        grew = bool(found)
        ours |= found
    ours.discard(os.getpid())
    lines = {}
    for pid in ours:
        try:
            lines[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return lines


def renderer_rss_mb() -> float:
    """Resident memory of the bench's Chromium renderers (one page is open while it is read)."""
    total = 0
    for pid, line in descendants().items():
        if "--type=renderer" in line:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += next((int(row.split()[1]) for row in status.splitlines() if row.startswith("VmRSS:")), 0)
    return round(total / 1024, 1)


class StepTimeout(Exception):
    pass


class Watchdog:
    """Ends the browser when a step takes longer than its limit. Playwright's evaluate and CDP
    calls have no timeout of their own, so a renderer that stops answering hung the bench (75
    minutes into an hour's run); now the step fails with its name and the bench reports it."""

    def __init__(self) -> None:
        self.expired = ""

    @contextmanager
    def step(self, name: str, seconds: float) -> Iterator[None]:
        timer = threading.Timer(seconds, self._expire, [name, seconds])
        timer.daemon = True
        timer.start()
        try:
            yield
        except PlaywrightError as error:
            if self.expired:
                raise StepTimeout(f"{name}: no answer in {seconds:.0f} s; the browser was ended") from error
            raise
        finally:
            timer.cancel()

    def _expire(self, name: str, seconds: float) -> None:
        self.expired = name
        print(f"{name}: no answer in {seconds:.0f} s, ending the browser", file=sys.stderr, flush=True)
        for pid, line in descendants().items():
            if "chromium" in line and "--type=" not in line:
                with suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


watchdog = Watchdog()


class SwitchTimeout(Exception):
    """A switch whose message did not show, with what the page's socket and the server's log
    said then, and whether the message showed later (the client notices a silent socket only
    by its unanswered pings: within 30 to 60 s, then reconnects 3 to 5 s later)."""

    def __init__(self, message: str, diagnosis: dict[str, Any]) -> None:
        super().__init__(message)
        self.diagnosis = diagnosis


def switch(page: Page, name: str, text: str) -> float:
    """ms from clicking channel `name` in the sidebar until `text` shows in it."""
    try:
        with watchdog.step(f"switch to {name}", 60):
            return float(page.evaluate(SWITCH_MS, [name, text, 30_000]))
    except PlaywrightError as error:
        if watchdog.expired:
            raise
        raise SwitchTimeout(str(error).splitlines()[0], diagnose(page, text)) from error


def diagnose(page: Page, text: str) -> dict[str, Any]:
    """The socket's state at the timeout, then again once `text` shows or 90 s more pass."""
    with watchdog.step("socket state", 30):
        at_timeout = page.evaluate(SOCKET_STATE)
    print(f"socket at the timeout: {json.dumps(at_timeout)}", file=sys.stderr, flush=True)
    waited = time.monotonic()
    shown = False
    with watchdog.step("waiting for the message after the timeout", 120):
        with suppress(PlaywrightError):
            page.locator(ROW, has_text=text).first.wait_for(timeout=90_000)
            shown = True
        later = page.evaluate(SOCKET_STATE)
    return {
        "socket_at_timeout": at_timeout,
        "shown_later": shown,
        "seconds_waited_after": round(time.monotonic() - waited, 1),
        "socket_after": later,
        "server_log": SERVER_LOG_TAIL(),
    }


def _no_server_log() -> list[str]:
    return []


# The server's log lines about sockets (closed as too slow, silent, errors), set by measure().
SERVER_LOG_TAIL: Callable[[], list[str]] = _no_server_log


def socket_log_lines(server: ServerProcess, most: int = 20) -> list[str]:
    words = ("websocket", "socket", "Traceback", "error", "Error")
    return [line for line in server.log().splitlines() if any(word in line for word in words)][-most:]


def memory(page: Page) -> dict[str, float]:
    """The JS heap after a full garbage collection, the DOM's counters and the renderer's RSS."""
    with watchdog.step("memory reading", 120):
        session = page.context.new_cdp_session(page)
        session.send("HeapProfiler.collectGarbage")
        used = session.send("Runtime.getHeapUsage")["usedSize"]
        counters = session.send("Memory.getDOMCounters")
        session.detach()
        elements = page.evaluate("document.getElementsByTagName('*').length")
    return {
        "heap_mb": round(used / 1e6, 1),
        "dom_nodes": counters["nodes"],
        "elements": elements,
        "listeners": counters["jsEventListeners"],
        "renderer_rss_mb": renderer_rss_mb(),
    }


def socket_summary(page: Page) -> dict[str, Any]:
    """The few socket figures each memory reading carries: a stall shows between two of them."""
    with watchdog.step("socket state", 30):
        state = page.evaluate(SOCKET_STATE)
    keys: tuple[str, ...] = (
        "ready_state",
        "reconnects",
        "last_event_seq",
        "seconds_since_event",
        "seconds_since_reply",
    )
    keys += ("requests_started", "requests_failed")
    return {key: state.get(key) for key in keys}


def activity(page: Page, world: dict[str, Any], minutes: float, every_minutes: float) -> dict[str, Any]:
    """Five posts to random channels, then a switch to another, looped; a memory reading every
    `every_minutes`, printed as it is taken so a long run's growth shows while it runs."""
    rooms = world["channels"]
    poster: API = world["poster"]
    started = time.monotonic()
    posts = switches = 0
    samples = []

    def sample() -> None:
        reading = {
            "minute": round((time.monotonic() - started) / 60, 1),
            "posts": posts,
            "switches": switches,
            **memory(page),
            "socket": socket_summary(page),
            "load_average": round(os.getloadavg()[0], 2),
        }
        samples.append(reading)
        print(json.dumps(reading), file=sys.stderr, flush=True)

    sample()
    next_sample = started + every_minutes * 60
    deadline = started + minutes * 60
    rng = random.Random(7)
    while time.monotonic() < deadline:
        for _ in range(5):
            room = rng.choice(rooms)
            poster.ok(
                "POST", "/posts", {"channel_id": room["id"], "message": f"activity {posts} in {room['name']}"}
            )
            posts += 1
        room = rng.choice(rooms[3:])
        marker = f"activity mark {switches}"
        poster.ok("POST", "/posts", {"channel_id": room["id"], "message": marker})
        posts += 1
        switch(page, room["display_name"], marker)
        switches += 1
        if time.monotonic() >= next_sample:
            sample()
            next_sample += every_minutes * 60
    sample()
    return {
        "minutes": minutes,
        "posts": posts,
        "switches": switches,
        "heap_start_mb": samples[0]["heap_mb"],
        "heap_end_mb": samples[-1]["heap_mb"],
        "samples": samples,
    }


def under_load(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The measure's figures with the one-minute load average before and after it."""
    before = os.getloadavg()[0]
    figures = measure()
    return {**figures, "load_average": [round(before, 2), round(os.getloadavg()[0], 2)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="simulated activity in 50 channels")
    parser.add_argument("--sample-minutes", type=float, default=2.0, help="a memory reading every so often")
    parser.add_argument("--runs", type=int, default=5, help="cold loads")
    parser.add_argument(
        "--heap-only", action="store_true", help="skip the cold loads and switch times (the scroll stays)"
    )
    args = parser.parse_args()
    results: dict[str, Any] = {}
    try:
        with bench_server("sqlite") as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            measure(browser, server, args, results)
            browser.close()
    except (StepTimeout, SwitchTimeout, PlaywrightError) as error:
        # What was measured before the failure is still worth reading.
        results["error"] = str(error).splitlines()[0]
        if isinstance(error, SwitchTimeout):
            results["diagnosis"] = error.diagnosis
        print(json.dumps(results, indent=2))
        sys.exit(1)
    print(json.dumps(results, indent=2))


def measure(
    browser: Browser, server: ServerProcess, args: argparse.Namespace, results: dict[str, Any]
) -> None:
    global SERVER_LOG_TAIL
    SERVER_LOG_TAIL = functools.partial(socket_log_lines, server)
    world = prepare(server, 50)
    first = world["channels"][0]
    for n in range(50):
        world["poster"].ok("POST", "/posts", {"channel_id": first["id"], "message": f"warm-up {n}"})
    state = signed_in_state(browser, server, world["reader"].username)
    path = f"/{world['team']['name']}/channels/{first['name']}"
    if not args.heap_only:
        results["cold_load"] = under_load(lambda: cold_load(browser, server, state, path, args.runs))

    context = browser.new_context(
        base_url=server.url, storage_state=state, viewport={"width": 1200, "height": 800}
    )
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.add_init_script(SOCKET_TRACKER)
    page = context.new_page()
    page.goto(path)
    page.wait_for_selector(ROW)
    if not args.heap_only:
        results["channel_switch"] = under_load(lambda: channel_switch(page, world, 20))
    with watchdog.step("scrolling 10,000 messages", 90 + 300):
        results["scroll_10k"] = under_load(lambda: scroll_10k(page, server, world, 90))
    results["heap_50_channels"] = under_load(lambda: activity(page, world, args.minutes, args.sample_minutes))
    context.close()


if __name__ == "__main__":
    main()
