"""The login attempt counter, in memory and in Redis, on a clock the test moves."""

import asyncio
import secrets
from collections.abc import Callable, Iterator

import pytest

from tests.support.server import REDIS_URL, REQUIRE_SERVICES, redis_available
from villagepump.clock import ManualClock
from villagepump.ratelimit import FailureCounter, MemoryStore, RedisStore, address_key

Counter = Callable[[int, float], FailureCounter]


@pytest.fixture(params=["memory", "redis"])
def counter(request: pytest.FixtureRequest) -> Iterator[tuple[Counter, ManualClock]]:
    clock = ManualClock()
    if request.param == "memory":
        yield (lambda limit, window: FailureCounter(limit, window, MemoryStore(), clock)), clock
        return
    if not redis_available():
        if REQUIRE_SERVICES:
            pytest.fail("Redis is required in CI but is not reachable")
        pytest.skip("Redis is not reachable")
    prefix = f"villagepump.test.{secrets.token_hex(6)}."
    yield (lambda limit, window: FailureCounter(limit, window, RedisStore(REDIS_URL, prefix), clock)), clock


def test_a_key_is_refused_at_its_limit_until_the_window_passes(counter: tuple[Counter, ManualClock]) -> None:
    make, clock = counter

    async def story() -> None:
        failures = make(3, 300)
        for n in range(3):
            window, _ = await failures.add("polonius")
            assert (window.used, window.exhausted) == (n + 1, n == 2)
            await clock.advance(10)
        window = await failures.peek("polonius")
        assert window.exhausted
        assert window.headers() == {
            "X-RateLimit-Limit": "3",
            "X-RateLimit-Remaining": "0",
            # The newest attempt leaves the window in 290 s, the oldest in 270 s.
            "X-RateLimit-Reset": "290",
            "Retry-After": "270",
        }
        assert not (await failures.peek("laertes")).exhausted
        await clock.advance(270)
        assert (await failures.peek("polonius")).used == 2
        await clock.advance(20)
        assert (await failures.peek("polonius")).used == 0
        await failures.close()

    asyncio.run(story())


def test_an_attempt_can_be_taken_back_or_all_forgotten(counter: tuple[Counter, ManualClock]) -> None:
    make, _ = counter

    async def story() -> None:
        failures = make(2, 300)
        _, first = await failures.add("ophelia")
        _, second = await failures.add("ophelia")
        await failures.remove("ophelia", second)
        assert (await failures.peek("ophelia")).used == 1
        await failures.clear("ophelia")
        assert (await failures.peek("ophelia")).used == 0
        await failures.remove("ophelia", first)  # already gone: nothing happens
        await failures.close()

    asyncio.run(story())


def test_simultaneous_attempts_each_see_their_own_count(counter: tuple[Counter, ManualClock]) -> None:
    make, _ = counter

    async def story() -> None:
        failures = make(5, 300)
        windows = await asyncio.gather(*(failures.add("yorick") for _ in range(20)))
        assert sorted(window.used for window, _ in windows) == list(range(1, 21))
        await failures.close()

    asyncio.run(story())


def test_an_ipv6_client_is_counted_by_its_64() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("198.51.100.7") == "198.51.100.7"
    assert address_key("") == ""
