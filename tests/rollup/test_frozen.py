"""The roll-up runs without full garbage collections, and gives the collector back its state afterwards."""
import gc

import pytest

from dvcq.rollup.consolidate import frozen


def _full_collections(work) -> int:
    seen = []

    def watch(phase, info):
        if phase == "stop" and info["generation"] == 2:
            seen.append(info)

    gc.callbacks.append(watch)
    try:
        work()
    finally:
        gc.callbacks.remove(watch)
    return len(seen)


def _allocate_long_lived() -> list:
    return [[i] for i in range(300_000)]  # containers that survive the young collections, as a roll-up's cells do


def test_no_full_collection_inside():
    kept = []
    assert _full_collections(lambda: kept.append(_allocate_long_lived())) > 0  # it would start some
    kept.clear()
    with frozen():
        assert _full_collections(lambda: kept.append(_allocate_long_lived())) == 0
        assert gc.get_freeze_count() > 0  # what was alive at the start is out of the collector's way


def test_collector_given_back():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with frozen():
            raise RuntimeError("a failed write")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    cycle = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1  # the collector works again
