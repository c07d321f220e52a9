"""Writers racing a change: the harness of the checked-write race tests."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.client import API, expect_error

# Each writer stops at its first refusal; this bounds a run in which no refusal ever comes.
MAX_WRITES_PER_WRITER = 150


def writes_racing(
    writers: list[API],
    write: Callable[[API, int], httpx.Response],
    change: Callable[[], None],
    refusal: tuple[int, str],
) -> list[httpx.Response]:
    """Each writer, on its own connection, writes as fast as it can; once each has had a write
    accepted, `change` runs, and each goes on until it is refused with `refusal`. Writer c's
    writes are numbered c, c + writers, ... Every response, in no particular order."""
    copies = len(writers)
    responses: list[httpx.Response] = []
    accepted = [threading.Event() for _ in range(copies)]

    def keep_writing(copy: int) -> None:
        writer = writers[copy]
        api = API(writer.base_url, writer.token, writer.user)
        try:
            for n in range(MAX_WRITES_PER_WRITER):
                response = write(api, n * copies + copy)
                responses.append(response)
                if not response.is_success:
                    return
                accepted[copy].set()
        finally:
            api.close()

    with ThreadPoolExecutor(copies) as pool:
        running = [pool.submit(keep_writing, copy) for copy in range(copies)]
        for first in accepted:
            assert first.wait(timeout=60), [r.exception() for r in running if r.done()]
        change()
        for each in running:
            each.result()
    refused = [r for r in responses if not r.is_success]
    assert len(refused) == copies, "every writer must end refused"
    for response in refused:
        expect_error(response, *refusal)
    return responses
