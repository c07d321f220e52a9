"""Password hashing runs beside the event loop, not on it."""

import asyncio

from villagepump.passwords import Passwords


def test_hashing_leaves_the_event_loop_free() -> None:
    async def story() -> None:
        passwords = Passwords(time_cost=2, memory_kib=8192, threads=1)
        turns = 0

        async def other_work() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        other = asyncio.create_task(other_work())
        await asyncio.sleep(0)
        before = turns
        password_hash = await passwords.hash("correct horse")
        # On the loop, the hash would have run start to finish without letting other_work in.
        assert turns > before
        assert await passwords.verify(password_hash, "correct horse")
        assert not await passwords.verify(password_hash, "wrong horse")
        other.cancel()
        passwords.close()

    asyncio.run(story())


def test_a_missing_hash_never_matches() -> None:
    async def story() -> None:
        passwords = Passwords(time_cost=1, memory_kib=1024, threads=1)
        results = await asyncio.gather(*(passwords.verify("", "anything at all") for _ in range(5)))
        assert results == [False] * 5
        assert not await passwords.verify("not-a-hash", "anything at all")
        passwords.close()

    asyncio.run(story())


def test_hashes_made_with_other_costs_are_marked_for_redoing() -> None:
    current, older = (
        Passwords(time_cost=1, memory_kib=1024, threads=1),
        Passwords(time_cost=2, memory_kib=2048, threads=1),
    )
    try:
        assert not current.needs_rehash(asyncio.run(current.hash("correct horse")))
        old_hash = asyncio.run(older.hash("correct horse"))
        assert current.needs_rehash(old_hash)
        # It still verifies at the costs it was made with, so the login that redoes it succeeds.
        assert asyncio.run(current.verify(old_hash, "correct horse"))
        assert not current.needs_rehash("not-a-hash")
    finally:
        current.close()
        older.close()
