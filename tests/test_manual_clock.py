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


def test_a_pollers_pause_wakes_once_per_advance_however_many_periods_it_spans() -> None:
    async def scenario() -> tuple[list[float], list[float]]:
        clock = ManualClock()
        polls: list[float] = []
        ticks: list[float] = []

        async def poller() -> None:
            while True:
                polls.append(clock.monotonic())
                await clock.pause(1)

        async def sleeper() -> None:
            while True:
                await clock.sleep(1)
                ticks.append(clock.monotonic())

        tasks = [
            asyncio.get_running_loop().create_task(poller()),
            asyncio.get_running_loop().create_task(sleeper()),
        ]
        await asyncio.sleep(0)
        await clock.advance(3600)
        await clock.advance(1)
        for task in tasks:
            task.cancel()
        return polls, ticks

    polls, ticks = asyncio.run(scenario())
    # Looked at the start, once in the long advance (at its first period), and at once when the
    # next advance begins (its pause was overdue): not 3,601 times.
    assert polls == [0, 1, 3600]
    # A plain sleep is not a pause: a task that sleeps again at once sees every period.
    assert ticks == [float(n) for n in range(1, 3602)]
