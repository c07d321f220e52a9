"""Progress on stderr: a bar with a rate on a terminal, a line every few seconds otherwise."""

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, what: str, total: int = 0, stream: TextIO = sys.stderr, every: float = 5.0) -> None:
        self.what, self.total, self.stream, self.every = what, total, stream, every
        self.started = self._printed = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        rate = done / max(now - self.started, 1e-6)
        if self.total:
            filled = 30 * min(done, self.total) // self.total
            line = f"{self.what} [{'#' * filled}{' ' * (30 - filled)}] {done:,}/{self.total:,}, {rate:,.0f}/s"
        else:
            line = f"{self.what}: {done:,}, {rate:,.0f}/s"
        if self.stream.isatty():
            self.stream.write("\r" + line)
        elif now - self._printed >= self.every:
            self._printed = now
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()
