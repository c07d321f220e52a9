"""What the web client's renderer holds during web_client.py's activity, by Chromium's own
accounting, with and without the DevTools instrumentation that Playwright adds.

    make web && .venv/bin/python bench/renderer_memory.py [--driver bare|playwright] [--network]

The same server, 50 channels and loop as web_client.py's heap measure (five posts to random
channels, then a switch to another channel, whose marker message must show). Every
--sample-minutes it reads the page's renderer process: its resident memory (/proc smaps_rollup)
and a "memory-infra" dump (Chromium's tracing category `disabled-by-default-memory-infra`, the
numbers chrome://tracing shows), which splits the process's memory by allocator: V8's heap,
Blink's garbage-collected heap (Oilpan, `blink_gc`), PartitionAlloc's partitions (its `buffer`
partition holds strings and byte buffers), malloc, the compositor (`cc`) and shared memory.

--driver playwright drives the page as web_client.py does. Playwright enables the DevTools
`Network` domain on every page and worker it attaches to, and Blink's network agent then keeps
every response body (fetch and XHR included) in the renderer for `Network.getResponseBody`, up to
200 MB per agent by default (`kDefaultTotalBufferSize`, inspector_network_agent.cc). --driver
bare starts the same Chromium with Playwright's flags itself and drives it over a plain CDP
connection that enables no domain: only Runtime.evaluate, the heap and DOM counters, and
browser-level Tracing. --network adds a `Network.enable` on the bare connection's page session,
the one domain told apart.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from websockets.sync.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import bench_server  # noqa: E402
from bench.web_client import FIRST_MESSAGE_MS, ROW, SWITCH_MS, descendants, prepare, signed_in_state  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# The flags Playwright 1.5x starts Chromium with (read from /proc of a running bench), less the
# pipe it talks through and those for Edge and macOS, so that the bare driver differs from web_client.py only in the
# instrumentation.
PLAYWRIGHT_FLAGS = [
    "--enable-gpu-rasterization",
    "--no-default-browser-check",
    "--disable-pings",
    "--media-router=0",
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying",
    "--enable-features=CDPScreenshotNewSurface",
    "--allow-pre-commit-input",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--disable-search-engine-choice-screen",
    "--enable-unsafe-swiftshader",
    "--disable-stack-profiler",
    "--disable-infobars",
    "--disable-updater-scheduler",
    "--headless",
    "--hide-scrollbars",
    "--mute-audio",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
]

MEMORY_INFRA = {
    "transferMode": "ReportEvents",
    "traceConfig": {
        "includedCategories": ["disabled-by-default-memory-infra"],
        "excludedCategories": ["*"],
        "memoryDumpConfig": {"triggers": []},
    },
}

# The allocators reported, as memory-infra names them (sizes are what each holds from the OS).
ALLOCATORS = {
    "v8": "v8_mb",
    "blink_gc": "blink_gc_mb",
    "blink_gc/main/allocated_objects": "blink_gc_live_mb",
    "partition_alloc/partitions/buffer": "partition_buffer_mb",
    "malloc": "malloc_mb",
    "cc": "cc_mb",
    "shared_memory": "shared_memory_mb",
}


class BareCDP:
    """A DevTools connection that sends only what it is asked to; events that arrive while it
    waits for an answer are kept for whoever asks for them."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> dict[str, Any]:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.connection.send(json.dumps(message))
        while True:
            reply = json.loads(self.connection.recv(timeout=180))
            if reply.get("id") != self.last_id:
                if "method" in reply:
                    self.events.append(reply)
                continue
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']['message']}")
            return dict(reply["result"])

    def wait_for(self, method: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not any(event["method"] == method for event in self.events):
            self.events.append(
                json.loads(self.connection.recv(timeout=max(0.1, deadline - time.monotonic())))
            )


def memory_infra(events: list[dict[str, Any]]) -> dict[int, dict[str, float]]:
    """Each process's private footprint and allocator sizes (MB) from a dump's trace events."""
    processes: dict[int, dict[str, float]] = {}
    for event in events:
        if event.get("ph") != "v":
            continue
        dumps = event["args"]["dumps"]
        figures = processes.setdefault(event["pid"], {})
        totals = dumps.get("process_totals", {})
        if "private_footprint_bytes" in totals:
            figures["private_footprint_mb"] = round(int(totals["private_footprint_bytes"], 16) / 2**20, 1)
        for name, key in ALLOCATORS.items():
            size = dumps.get("allocators", {}).get(name, {}).get("attrs", {}).get("size")
            if size:
                figures[key] = round(int(size["value"], 16) / 2**20, 1)
    return processes


def page_renderer(dump: dict[int, dict[str, float]]) -> dict[str, float]:
    """The page's renderer (the one holding the most; the service worker runs in it too), with
    its resident memory from /proc."""
    renderers = [pid for pid, line in descendants().items() if "--type=renderer" in line]
    resident = {pid: smaps_rollup(pid) for pid in renderers}
    pid = max(resident, key=lambda pid: resident[pid].get("rss_mb", 0))
    return {**resident[pid], **dump.get(pid, {})}


def smaps_rollup(pid: int) -> dict[str, float]:
    wanted = {"Rss": "rss_mb", "Anonymous": "anonymous_mb"}
    figures = {}
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    except OSError:
        return {}
    for line in lines:
        name, value = line.split(":", 1)
        if name in wanted:
            figures[wanted[name]] = round(int(value.split()[0]) / 1024, 1)
    return figures


class BareDriver:
    """Chromium started here with Playwright's flags, driven over a bare CDP connection."""

    def __init__(
        self,
        server: ServerProcess,
        cookies: list[dict[str, Any]],
        url: str,
        network: bool,
        buffer_mb: float = 0,
    ) -> None:
        self.profile = tempfile.mkdtemp(prefix="renderer-memory-")
        flags = [
            *PLAYWRIGHT_FLAGS,
            *CHROMIUM_ARGS,
            # web_client.py's viewport, without the Emulation domain that Playwright sets it with.
            "--window-size=1200,800",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
        ]
        self.process = subprocess.Popen(
            [str(CHROMIUM), *flags, "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while len(port_file.read_text().split() if port_file.exists() else []) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self.stack = ExitStack()
        self.cdp = BareCDP(self.stack.enter_context(connect(f"ws://127.0.0.1:{port}{path}", max_size=None)))
        self.cdp.send("Storage.setCookies", {"cookies": [cookie_param(cookie) for cookie in cookies]})
        target = self.cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        if network:
            limit = {"maxTotalBufferSize": int(buffer_mb * 1e6)} if buffer_mb else {}
            self.cdp.send("Network.enable", limit, self.session)
        self.cdp.send("Page.navigate", {"url": url}, self.session)
        self.evaluate(FIRST_MESSAGE_MS, ROW)

    def evaluate(self, function: str, argument: Any) -> Any:
        expression = f"({function})({json.dumps(argument)})"
        params = {"expression": expression, "awaitPromise": True, "returnByValue": True}
        result = self.cdp.send("Runtime.evaluate", params, self.session)
        if "exceptionDetails" in result:
            raise RuntimeError(
                result["exceptionDetails"].get("exception", {}).get("description", "evaluate failed")
            )
        return result["result"].get("value")

    def counters(self) -> dict[str, Any]:
        self.cdp.send("HeapProfiler.collectGarbage", {}, self.session)
        heap = self.cdp.send("Runtime.getHeapUsage", {}, self.session)
        dom = self.cdp.send("Memory.getDOMCounters", {}, self.session)
        return {"heap_mb": round(heap["usedSize"] / 1e6, 1), "dom_nodes": dom["nodes"]}

    def dump(self) -> dict[int, dict[str, float]]:
        self.cdp.events.clear()
        self.cdp.send("Tracing.start", MEMORY_INFRA)
        self.cdp.send("Tracing.requestMemoryDump", {"deterministic": True, "levelOfDetail": "detailed"})
        self.cdp.send("Tracing.end")
        self.cdp.wait_for("Tracing.tracingComplete", 60)
        events = [
            e
            for event in self.cdp.events
            if event["method"] == "Tracing.dataCollected"
            for e in event["params"]["value"]
        ]
        return memory_infra(events)

    def close(self) -> None:
        self.stack.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


class PlaywrightDriver:
    """The page as web_client.py drives it."""

    def __init__(self, server: ServerProcess, state: Any, url: str) -> None:
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = self.browser.new_context(
            base_url=server.url, storage_state=state, viewport={"width": 1200, "height": 800}
        )
        self.page = context.new_page()
        self.page.goto(url)
        self.page.wait_for_selector(ROW)

    def evaluate(self, function: str, argument: Any) -> Any:
        return self.page.evaluate(function, argument)

    def counters(self) -> dict[str, Any]:
        session = self.page.context.new_cdp_session(self.page)
        session.send("HeapProfiler.collectGarbage")
        heap = session.send("Runtime.getHeapUsage")
        dom = session.send("Memory.getDOMCounters")
        session.detach()
        return {"heap_mb": round(heap["usedSize"] / 1e6, 1), "dom_nodes": dom["nodes"]}

    def dump(self) -> dict[int, dict[str, float]]:
        session = self.browser.new_browser_cdp_session()
        events: list[dict[str, Any]] = []
        done: list[bool] = []
        session.on("Tracing.dataCollected", lambda event: events.extend(event["value"]))
        session.on("Tracing.tracingComplete", lambda event: done.append(True))
        session.send("Tracing.start", MEMORY_INFRA)
        session.send("Tracing.requestMemoryDump", {"deterministic": True, "levelOfDetail": "detailed"})
        session.send("Tracing.end")
        deadline = time.monotonic() + 60
        while not done and time.monotonic() < deadline:
            # Playwright's sync API delivers events only while it is called.
            session.send("Browser.getVersion")
            time.sleep(0.05)
        session.detach()
        return memory_infra(events)

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()


def cookie_param(cookie: dict[str, Any]) -> dict[str, Any]:
    """A Playwright storage-state cookie as CDP's Storage.setCookies takes it."""
    param = {
        key: cookie[key] for key in ("name", "value", "domain", "path", "httpOnly", "secure", "sameSite")
    }
    if cookie.get("expires", -1) > 0:
        param["expires"] = cookie["expires"]
    return param


def activity(
    driver: Any, world: dict[str, Any], minutes: float, every_minutes: float
) -> list[dict[str, Any]]:
    rooms = world["channels"]
    rng = random.Random(7)
    started = time.monotonic()
    posts = switches = 0
    samples = []

    def sample() -> None:
        reading = {
            "minute": round((time.monotonic() - started) / 60, 1),
            "posts": posts,
            "switches": switches,
            **driver.counters(),
            **page_renderer(driver.dump()),
            "load_average": round(os.getloadavg()[0], 2),
        }
        samples.append(reading)
        print(json.dumps(reading), file=sys.stderr, flush=True)

    sample()
    next_sample = started + every_minutes * 60
    while time.monotonic() < started + minutes * 60:
        for _ in range(5):
            room = rng.choice(rooms)
            message = f"activity {posts} in {room['name']}"
            world["poster"].ok("POST", "/posts", {"channel_id": room["id"], "message": message})
            posts += 1
        room = rng.choice(rooms[3:])
        marker = f"activity mark {switches}"
        world["poster"].ok("POST", "/posts", {"channel_id": room["id"], "message": marker})
        posts += 1
        driver.evaluate(SWITCH_MS, [room["display_name"], marker, 30_000])
        switches += 1
        if time.monotonic() >= next_sample:
            sample()
            next_sample += every_minutes * 60
    sample()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--driver", choices=["bare", "playwright"], default="bare")
    parser.add_argument("--network", action="store_true", help="bare driver: enable DevTools' Network domain")
    parser.add_argument(
        "--network-buffer-mb",
        type=float,
        default=0,
        help="with --network: its maxTotalBufferSize (default Chromium's)",
    )
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--sample-minutes", type=float, default=1.0)
    args = parser.parse_args()
    with bench_server("sqlite") as server:
        world = prepare(server, 50)
        first = world["channels"][0]
        for n in range(50):
            world["poster"].ok("POST", "/posts", {"channel_id": first["id"], "message": f"warm-up {n}"})
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            state = signed_in_state(browser, server, world["reader"].username)
            browser.close()
        path = f"/{world['team']['name']}/channels/{first['name']}"
        make: Callable[[], Any] = (
            (lambda: PlaywrightDriver(server, state, path))
            if args.driver == "playwright"
            else (
                lambda: BareDriver(
                    server, state["cookies"], server.url + path, args.network, args.network_buffer_mb
                )
            )
        )
        driver = make()
        try:
            samples = activity(driver, world, args.minutes, args.sample_minutes)
        finally:
            driver.close()
    print(json.dumps({"driver": args.driver, "network": args.network, "samples": samples}, indent=2))


if __name__ == "__main__":
    main()
