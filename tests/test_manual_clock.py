"""The manual clock: sleepers wake in order, and with `settle` each finishes its work first."""

import asyncio

from villagepump.clock import ManualClock


async def _ticker(clock: ManualClock, every: float, seen: list[float]) -> None:
    while True:
        await clock.sleep(every)
        await asyncio.sleep(0.01)  # real I/O, such as a database write, takes real time
        seen.append(clock.monotonic())


def test_settling_lets_each_woken_task_finish_its_work_at_its_moment() -> None:
    async def scenario() -> list[float]:
        clock, seen = ManualClock(), []
        task = asyncio.get_running_loop().create_task(_ticker(clock, 10, seen))
        await asyncio.sleep(0)
        await clock.advance(35, settle=5)
        task.cancel()
        return seen

    assert asyncio.run(scenario()) == [10, 20, 30]


def test_without_settling_a_woken_task_may_see_time_move_on() -> None:
    async def scenario() -> list[float]:
        clock, seen = ManualClock(), []
        task = asyncio.get_running_loop().create_task(_ticker(clock, 10, seen))
        await asyncio.sleep(0)
        await clock.advance(35)
        await asyncio.sleep(0.05)
        task.cancel()
        return seen

    assert asyncio.run(scenario()) == [35]


def test_settling_ends_when_the_woken_task_ends() -> None:
    async def scenario() -> tuple[float, float]:
        clock = ManualClock(start=1000.0)
        finished: list[float] = []

        async def once() -> None:
            await clock.sleep(5)
            await asyncio.sleep(0.01)
            finished.append(clock.time())

        asyncio.get_running_loop().create_task(once())
        await asyncio.sleep(0)
        await clock.advance(60, settle=5)
        return finished[0], clock.time()

    assert asyncio.run(scenario()) == (1005.0, 1060.0)
