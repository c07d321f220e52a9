"""The personal data export jobs: one builds a user's zip (long: it commits as it goes, so it is
stepwise and holds no transaction while it reads and writes), one deletes expired zips."""

from collections.abc import Awaitable, Callable

from villagepump.actions import data_exports
from villagepump.runtime import Runtime
from villagepump.store import Row


async def run_personal_data_export(
    rt: Runtime, job: Row, keep_going: Callable[[], Awaitable[bool]]
) -> dict[str, str]:
    return await data_exports.build_export(rt, job)
