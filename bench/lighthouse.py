"""Lighthouse's mobile profile against the web client's channel page, signed in: largest and first
contentful paint, total blocking time and bytes transferred, the median of --runs cold loads.

    make web && (cd bench/lighthouse && npm ci) && .venv/bin/python bench/lighthouse.py [--runs 3]

Lighthouse (npm `lighthouse`, pinned in bench/lighthouse/) runs with its defaults for a phone:
the mobile form factor and screen, and simulated slow 4G (150 ms round trips, 1.6 Mbps down,
750 kbps up, the CPU four times slower), performance category only. It drives Debian's Chromium
(/usr/bin/chromium), which this script starts for each run on a new profile, so every load is
cold (no HTTP cache, no service worker), with only the reader's session cookies set.

The cookies go into the browser's cookie jar, not into Lighthouse's --extra-headers: the client
reads MMCSRF from document.cookie for the CSRF header of its writes (marking the channel read),
and a header would send the cookies without the page seeing them, so the first write would be
refused and the client would show the login page.

Offline: Chromium's background services are off and every request not to loopback goes to a
proxy that does not exist, so nothing leaves the machine; each run's report is checked to hold
no request to anywhere but this server.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import bench_server  # noqa: E402
from bench.web_client import prepare  # noqa: E402
from tests.support.client import PASSWORD  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LIGHTHOUSE = Path(__file__).resolve().parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
# Loopback is never proxied (Chromium's implicit bypass); port 9 on loopback has no listener.
NO_NETWORK = ["--proxy-server=http://127.0.0.1:9", "--headless=new"]
METRICS = {
    "lcp_ms": "largest-contentful-paint",
    "fcp_ms": "first-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "speed_index_ms": "speed-index",
    "transfer_bytes": "total-byte-weight",
}


def session_cookies(server: ServerProcess, username: str) -> list[dict[str, Any]]:
    """The reader's session as the login page would leave it in the browser."""
    response = httpx.post(
        f"{server.url}/api/v4/users/login", json={"login_id": username, "password": PASSWORD}
    )
    response.raise_for_status()
    return [
        {
            "name": name,
            "value": value,
            "url": server.url,
            "path": "/",
            "httpOnly": name == "MMAUTHTOKEN",
            "sameSite": "Lax",
        }
        for name, value in response.cookies.items()
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def started_chromium(profile: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(CHROMIUM),
            *CHROMIUM_ARGS,
            *NO_NETWORK,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1):
                return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("Chromium did not open its debugging port") from None
            time.sleep(0.1)


def set_cookies(port: int, cookies: list[dict[str, Any]]) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=5) as answer:
        endpoint = json.load(answer)["webSocketDebuggerUrl"]
    with connect(endpoint, max_size=None) as browser:
        browser.send(json.dumps({"id": 1, "method": "Storage.setCookies", "params": {"cookies": cookies}}))
        reply = json.loads(browser.recv(timeout=10))
        if "error" in reply:
            raise RuntimeError(f"Storage.setCookies: {reply['error']}")


def lighthouse(url: str, port: int) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--port={port}",
        "--form-factor=mobile",
        "--throttling-method=simulate",
        "--only-categories=performance",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--no-enable-error-reporting",
    ]
    done = subprocess.run(command, capture_output=True, check=False, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def summary(report: dict[str, Any], origin: str) -> dict[str, Any]:
    audits = report["audits"]
    found: dict[str, Any] = {key: round(audits[audit]["numericValue"]) for key, audit in METRICS.items()}
    requests = audits["network-requests"]["details"]["items"]
    found["requests"] = len(requests)
    # Signed in, the page reads the channel's posts; signed out, it would show the login form.
    found["posts_loaded"] = any("/posts" in r["url"] and r.get("statusCode") == 200 for r in requests)
    found["outside_requests"] = [
        r["url"] for r in requests if not r["url"].startswith((origin, "data:", "blob:"))
    ]
    found["final_url"] = report.get("finalDisplayedUrl") or report.get("finalUrl")
    element = audits.get("largest-contentful-paint-element", {}).get("details", {})
    found["lcp_element"] = _lcp_element(element)
    found["benchmark_index"] = report["environment"].get("benchmarkIndex")
    found["opportunities_ms"] = {
        key: round(audit["details"]["overallSavingsMs"])
        for key, audit in audits.items()
        if audit.get("details", {}).get("type") == "opportunity"
        and audit["details"].get("overallSavingsMs", 0) >= 50
    }
    found["runtime_error"] = report.get("runtimeError", {}).get("code")
    return found


def _lcp_element(details: dict[str, Any]) -> str:
    for item in details.get("items", []):
        for row in item.get("items", [item]):
            node = row.get("node")
            if node:
                return str(node.get("snippet", ""))[:160]
    return ""


def median_of(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in METRICS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=50, help="messages in the channel loaded")
    parser.add_argument("--save", type=Path, help="a folder to keep each run's full Lighthouse report in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: cd bench/lighthouse && npm ci")
    runs: list[dict[str, Any]] = []
    with bench_server("sqlite") as server:
        world = prepare(server, 10)
        first = world["channels"][0]
        for n in range(args.messages):
            world["poster"].ok("POST", "/posts", {"channel_id": first["id"], "message": f"warm-up {n}"})
        cookies = session_cookies(server, world["reader"].username)
        url = f"{server.url}/{world['team']['name']}/channels/{first['name']}"
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
                chromium, port = started_chromium(profile)
                try:
                    set_cookies(port, cookies)
                    load_before = os.getloadavg()[0]
                    report = lighthouse(url, port)
                    if args.save:
                        args.save.mkdir(parents=True, exist_ok=True)
                        (args.save / f"run-{len(runs) + 1}.json").write_text(json.dumps(report))
                    run = summary(report, server.url)
                    run["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
                finally:
                    chromium.kill()
                    chromium.wait()
            print(json.dumps(run), file=sys.stderr)
            if run["outside_requests"]:
                sys.exit(f"the page asked for something outside this server: {run['outside_requests']}")
            if run["final_url"] != url or not run["posts_loaded"]:
                sys.exit(f"the page ended at {run['final_url']} without the channel's posts (signed out?)")
            runs.append(run)
    print(
        json.dumps(
            {"url_path": url.removeprefix(server.url), "median": median_of(runs), "runs": runs}, indent=2
        )
    )


if __name__ == "__main__":
    main()
