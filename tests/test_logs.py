"""The server's log: one structured line per record, with its request id; the access log is a
setting, off unless turned on, and the only place a client's address is written."""

import logging
import sys
import time

import httpx

from tests.support.server import running_servers
from villagepump.logs import REQUEST_ID, AccessLog, LineFormatter, _Context


def _record(name: str, msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("boom\nsecond line")
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)


def test_an_error_with_its_traceback_is_one_line_carrying_the_request_id() -> None:
    record = _record("villagepump.app", "unexpected error on %s %s", "GET", "/api/v4/x", exc=True)
    token = REQUEST_ID.set("abcdefghijklmnopqrstuvwxyz")
    try:
        assert _Context(AccessLog("off")).filter(record)
    finally:
        REQUEST_ID.reset(token)
    line = LineFormatter().format(record)
    assert "\n" not in line
    assert "level=ERROR" in line and "request_id=abcdefghijklmnopqrstuvwxyz" in line
    assert 'msg="unexpected error on GET /api/v4/x"' in line
    assert "ValueError: boom\\nsecond line" in line


def test_uvicorns_websocket_lines_with_addresses_only_reach_an_access_log_that_is_on() -> None:
    def websocket_line() -> logging.LogRecord:
        return _record(
            "uvicorn.error", '%s - "WebSocket %s" [accepted]', "203.0.113.9:5555", "/api/v4/websocket"
        )

    assert not _Context(AccessLog("off")).filter(websocket_line())
    assert _Context(AccessLog("on")).filter(websocket_line())
    assert not _Context(AccessLog("sampled", sample_rate=0.0)).filter(websocket_line())
    assert _Context(AccessLog("off")).filter(_record("uvicorn.error", "something else"))


def test_sampling_keeps_every_server_error() -> None:
    never = AccessLog("sampled", sample_rate=0.0)
    assert not never.wanted(200) and never.wanted(500)
    assert AccessLog("sampled", sample_rate=1.0).wanted(200)
    assert not AccessLog("off").wanted(500) and AccessLog("on").wanted(404)


def test_the_access_log_setting_writes_a_line_per_request_with_its_id() -> None:
    with running_servers("sqlite", with_admin=False, env={"VILLAGEPUMP_ACCESS_LOG": "on"}) as (server,):
        response = httpx.get(server.url + "/api/v4/system/ping")
        request_id = response.headers["x-request-id"]
        deadline = time.monotonic() + 10
        while request_id not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        [line] = [line for line in server.log().splitlines() if request_id in line]
        assert "logger=villagepump.access" in line and "path=/api/v4/system/ping" in line
        assert "status=200" in line and "client=127.0.0.1" in line and "method=GET" in line
