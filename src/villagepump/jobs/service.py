"""The jobs service: two loops per server process, one for jobs, one for the outbox.

Every process runs them; the database decides who does what. A claim is a row update with a
lease (and SKIP LOCKED on PostgreSQL), committed before the work starts; the work's outcome is
committed per item, only while the claim still holds. So each job runs and each side effect
leaves once however many processes there are, and a process killed mid-item leaves a claim
that lapses after jobs_lease_seconds and is taken over. See docs/architecture.md.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

import httpx

from villagepump import __version__
from villagepump.actions import jobs as job_actions
from villagepump.actions import outbox as outbox_actions
from villagepump.clock import now_ms_of
from villagepump.ids import new_id
from villagepump.jobs.registry import DAILY_AT, DELIVERERS, RECURRING, RUNNERS, STEPWISE_RUNNERS
from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import jobs as job_store
from villagepump.store import outbox as outbox_store

log = logging.getLogger("villagepump.jobs")
# httpx logs every request at INFO; a delivery's outcome is recorded on its outbox row instead.
logging.getLogger("httpx").setLevel(logging.WARNING)

# How long a stopping process waits for its deliveries under way: less than a process manager
# waits before it kills (systemd 90 s, Docker 10 s).
STOP_GRACE_SECONDS = 5.0


class JobService:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._wake_jobs = asyncio.Event()
        self._wake_outbox = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []
        # Outbox items being delivered by this process: item id -> (task, claim token).
        self._in_flight: dict[str, tuple[asyncio.Task[None], str]] = {}
        self._http: httpx.AsyncClient | None = None

    async def start(self) -> None:
        settings = self.rt.settings
        self._http = httpx.AsyncClient(
            timeout=settings.jobs_http_timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": f"Villagepump/{__version__}"},
        )
        self._loops = [
            asyncio.create_task(self._forever(self._run_jobs, self._wake_jobs)),
            asyncio.create_task(self._forever(self._deliver_outbox, self._wake_outbox)),
        ]

    def wake(self) -> None:
        """Something was queued or created: look for work now rather than at the next poll."""
        self._wake_jobs.set()
        self._wake_outbox.set()

    async def stop(self) -> None:
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        if self._in_flight:
            # Deliveries under way get a moment to finish; what does not is handed back, and goes
            # again, with the same delivery id, from another process or after the restart.
            tasks = [task for task, _ in self._in_flight.values()]
            grace = min(STOP_GRACE_SECONDS, self.rt.settings.jobs_http_timeout_seconds)
            _, unfinished = await asyncio.wait(tasks, timeout=grace)
            tokens = [token for task, token in self._in_flight.values() if task in unfinished]
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
            if tokens:
                await outbox_actions.release_claims(self.rt, tokens)
        if self._http is not None:
            await self._http.aclose()

    async def _forever(self, work: Callable[[], Awaitable[None]], wake: asyncio.Event) -> None:
        while True:
            try:
                await work()
            except Exception:
                log.exception("background work failed; trying again at the next poll")
            await self._pause(wake)

    async def _pause(self, wake: asyncio.Event) -> None:
        """Sleeps on the runtime's clock until the next poll, or until woken.

        The sleep runs in a helper task, so a manual clock (serve --manual-clock) that lets
        each woken sleeper finish its work before moving on does not wait for this loop: with
        a poll every second, that would cost queries for every simulated second. A test that
        advances such a clock polls for the jobs' results instead.
        """
        if not wake.is_set():
            sleeping = asyncio.ensure_future(self.rt.clock.pause(self.rt.settings.jobs_poll_seconds))
            woken = asyncio.ensure_future(wake.wait())
            try:
                await asyncio.wait({sleeping, woken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeping.cancel()
                woken.cancel()
        wake.clear()

    async def _run_jobs(self) -> None:
        await job_actions.schedule_recurring(self.rt, RECURRING, DAILY_AT)
        types = [*RUNNERS, *STEPWISE_RUNNERS]
        while await self._has(job_store.has_claimable_job, types):
            claim_token = new_id()
            job = await job_actions.claim_job(self.rt, types, claim_token)
            if job is None:
                return
            if job["type"] in STEPWISE_RUNNERS:
                stepwise = STEPWISE_RUNNERS[job["type"]]
                await job_actions.run_claimed_job_stepwise(self.rt, job, claim_token, stepwise)
            else:
                await job_actions.run_claimed_job(self.rt, job, claim_token, RUNNERS[job["type"]])

    async def _deliver_outbox(self) -> None:
        room = self.rt.settings.jobs_batch_size - len(self._in_flight)
        kinds = list(DELIVERERS)
        if room <= 0 or not await self._has(outbox_store.has_due_item, kinds):
            return
        claim_token = new_id()
        for item in await outbox_actions.claim_items(self.rt, kinds, room, claim_token):
            task = asyncio.create_task(self._deliver(item, claim_token))
            self._in_flight[item["id"]] = (task, claim_token)
            task.add_done_callback(self._forget(item["id"]))

    def _forget(self, item_id: str) -> Callable[[asyncio.Task[None]], None]:
        def forget(_: asyncio.Task[None]) -> None:
            self._in_flight.pop(item_id, None)

        return forget

    async def _has(self, query: Callable[..., Awaitable[bool]], names: list[str]) -> bool:
        """A read first, so an idle process polls without taking the write lock."""
        async with self.rt.db.read() as conn:
            return await query(conn, names, now_ms_of(self.rt.clock))

    async def _deliver(self, item: Row, claim_token: str) -> None:
        assert self._http is not None
        context = DeliveryContext(
            settings=self.rt.settings, http=self._http, clock=self.rt.clock, runtime=self.rt
        )
        try:
            try:
                await DELIVERERS[item["kind"]](context, item)
            except DeliveryError as failure:
                await outbox_actions.record_failed_attempt(self.rt, item, claim_token, failure)
            except Exception as error:
                log.exception("outbox item %s (%s) raised", item["id"], item["kind"])
                unexpected = DeliveryError(f"{type(error).__name__}: {error}")
                await outbox_actions.record_failed_attempt(self.rt, item, claim_token, unexpected)
            else:
                await outbox_actions.record_delivered(self.rt, item, claim_token)
        except Exception:
            # The outcome could not be written (the database is away): the claim lapses and the
            # item goes again after jobs_lease_seconds.
            log.exception("outbox item %s: could not record the attempt's outcome", item["id"])
        finally:
            # A slot is free: claim more without waiting for the next poll.
            self._wake_outbox.set()
