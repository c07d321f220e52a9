"""Logging that never makes the event loop wait: records are queued, and a thread of their own
writes them out (to a terminal, a pipe or a journal that may be slow to take them).

Each record is one line of key=value pairs (logfmt), a traceback included (its line breaks
escaped), with the id of the request it happened in: the X-Request-Id the client got back, so an
administrator can find the line a user's error report points at. Client addresses appear only in
the access log, which is off unless VILLAGEPUMP_ACCESS_LOG turns it on.
"""

import logging
import queue
import random
from contextvars import ContextVar
from logging.handlers import QueueHandler, QueueListener
from typing import Literal

# The request being handled by the current task (set by api/middleware.py), "" outside one.
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")
ACCESS_LOGGER = "villagepump.access"

AccessLogMode = Literal["off", "on", "sampled"]


def _quote(value: str) -> str:
    if value and not any(c in value for c in ' "=\\\n\r\t'):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + escaped.replace("\t", "\\t") + '"'


class LineFormatter(logging.Formatter):
    """time level logger request_id msg [exc], one line per record."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        pairs = [
            ("time", self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}"),
            ("level", record.levelname),
            ("logger", record.name),
        ]
        request_id = getattr(record, "request_id", "")
        if request_id:
            pairs.append(("request_id", request_id))
        pairs.append(("msg", message))
        pairs.extend((key, str(value)) for key, value in getattr(record, "fields", {}).items())
        if record.exc_text:
            pairs.append(("exc", record.exc_text))
        return " ".join(f"{key}={_quote(value)}" for key, value in pairs)


class _Context(logging.Filter):
    """Runs in the logging task, before the record is queued: notes its request id, and keeps
    uvicorn's per-WebSocket lines (which carry the client's address) to the access log."""

    def __init__(self, access: "AccessLog") -> None:
        super().__init__()
        self.access = access

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.error" and str(record.msg).startswith('%s - "WebSocket'):
            return self.access.wanted(200)
        record.request_id = REQUEST_ID.get()
        return True


class _OneLineQueueHandler(QueueHandler):
    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        # The traceback is formatted here, while exc_info still holds it, and kept in exc_text
        # for LineFormatter; QueueHandler's own prepare would fold it into the message.
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = record.getMessage()
        record.args = None
        record.exc_info = None
        return record


class AccessLog:
    """Whether a request gets an access log line: never, always, or a sampled fraction of them
    (every 5xx is logged in either of the last two)."""

    def __init__(self, mode: AccessLogMode = "off", sample_rate: float = 0.01) -> None:
        self.mode = mode
        self.sample_rate = sample_rate
        self.logger = logging.getLogger(ACCESS_LOGGER)

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def wanted(self, status: int) -> bool:
        if self.mode == "on":
            return True
        if self.mode == "sampled":
            return status >= 500 or random.random() < self.sample_rate
        return False

    def write(self, fields: dict[str, object]) -> None:
        self.logger.info("request", extra={"fields": fields})


# The one access log of the process, configured by start_logging.
access_log = AccessLog()


def start_logging(level: str, access: AccessLogMode = "off", sample_rate: float = 0.01) -> QueueListener:
    """Routes every logger (uvicorn's included) through the queue; stop the listener to flush."""
    access_log.mode, access_log.sample_rate = access, sample_rate
    output = logging.StreamHandler()
    output.setFormatter(LineFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handler = _OneLineQueueHandler(records)
    handler.addFilter(_Context(access_log))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The access log is written at INFO whatever the level, once it is turned on.
    logging.getLogger(ACCESS_LOGGER).setLevel(logging.INFO)
    listener = QueueListener(records, output)
    listener.start()
    return listener
