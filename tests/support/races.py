"""Writers racing a change: the harness of the checked-write race tests."""

import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.client import API, expect_error

# Writers keep going until the change lands, however long that takes on a busy machine; this
# bounds a run in which the change never comes.
DEADLINE_SECONDS = 120


def writes_racing(
    writers: list[API],
    write: Callable[[API, int], httpx.Response],
    change: Callable[[], None],
    refusal: tuple[int, str],
) -> list[httpx.Response]:
    """Each writer, on its own connection, writes as fast as it can; once each has had a write
    accepted, `change` runs, and each goes on until it is refused with `refusal`. A write that
    starts after `change` has returned must be refused: the change has committed by then. Writer
    c's writes are numbered c, c + writers, ... Every response, in no particular order."""
    copies = len(writers)
    responses: list[httpx.Response] = []
    accepted = [threading.Event() for _ in range(copies)]
    changed = threading.Event()
    deadline = time.monotonic() + DEADLINE_SECONDS

    def keep_writing(copy: int) -> None:
        writer = writers[copy]
        api = API(writer.base_url, writer.token, writer.user)
        try:
            for n in itertools.count():
                after_change = changed.is_set()
                response = write(api, n * copies + copy)
                responses.append(response)
                if not response.is_success:
                    return
                assert not after_change, f"accepted after the change: {response.text}"
                assert time.monotonic() < deadline, "the change never came"
                accepted[copy].set()
        finally:
            api.close()

    with ThreadPoolExecutor(copies) as pool:
        running = [pool.submit(keep_writing, copy) for copy in range(copies)]
        for first in accepted:
            assert first.wait(timeout=60), [r.exception() for r in running if r.done()]
        change()
        changed.set()
        for each in running:
            each.result()
    refused = [r for r in responses if not r.is_success]
    assert len(refused) == copies, "every writer must end refused"
    for response in refused:
        expect_error(response, *refusal)
    return responses
