"""The cyclic garbage collector, set for a server that holds thousands of connections.

CPython's defaults (a young collection every 700 net allocations, a full one whenever a quarter
more objects have survived) suit short scripts. Here, in the load test's ramp to 2,000 users,
full collections came every ~10 s and stopped the event loop for 100-600 ms each (the p99 of
every request), re-examining the modules, routes, tables and compiled queries that live as long
as the process (bench/README.md, load test). So, once the application is built, everything alive
then is moved out of the collector's sight (`gc.freeze`), and young collections run less often:
by then most of a request's objects are gone and never reach an older generation.
"""

import gc

# Net allocations of container objects between young collections (CPython's default: 700).
YOUNG_THRESHOLD = 20_000


def settle() -> None:
    """Called by `villagepump serve` once the application is built, before it takes requests
    (not by tests, which build many applications in one process)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
