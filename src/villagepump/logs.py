"""Logging that never makes the event loop wait: records are queued, and a thread of their own
writes them out (to a terminal, a pipe or a journal that may be slow to take them)."""

import logging
import queue
from logging.handlers import QueueHandler, QueueListener

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def start_logging(level: str) -> QueueListener:
    """Routes every logger (uvicorn's included) through the queue; stop the listener to flush."""
    output = logging.StreamHandler()
    output.setFormatter(logging.Formatter(FORMAT))
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    root = logging.getLogger()
    root.handlers[:] = [QueueHandler(records)]
    root.setLevel(level.upper())
    listener = QueueListener(records, output)
    listener.start()
    return listener
