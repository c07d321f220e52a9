"""The server's garbage-collector settings (villagepump/heap.py)."""

import gc

from villagepump import heap


def test_settle_hides_what_lives_at_start_and_collects_young_objects_less_often() -> None:
    before = gc.get_threshold()
    try:
        survivor = [[]]  # a container alive when the server settles
        heap.settle()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (heap.YOUNG_THRESHOLD, before[1], before[2])
        # Frozen objects are out of every generation a collection walks.
        assert not any(obj is survivor for obj in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
