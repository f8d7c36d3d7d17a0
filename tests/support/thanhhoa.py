"""Thanh Hóa's 2024-Y samples from its two smallest districts, as `dvcq sample --parent 38` writes them: the two
districts' roll-ups (each consolidated from its communes' and its own raw files, kept in ``raw-2024/``, a folder per
district), two bodies and the province's own plan, in ``2024/``. Built once a run (tests/conftest.py,
``thanh_hoa_2024_samples``) for tests/documents/test_checksheet.py (the province's report from the roll-ups) and
tests/documents/test_sections.py (the province consolidating the communes' raw files directly)."""
from __future__ import annotations

from pathlib import Path

from dvcq.samples.sample import write_samples
from dvcq.units.registry import load

DISTRICTS = 2  # the province's smallest (Bỉm Sơn 381 and Mường Lát 384: a thị xã and a huyện, 15 communes)
BODIES = ("38-SNV", "38-STC")


def districts() -> list[str]:
    """The codes of Thanh Hóa's DISTRICTS smallest districts of the three-tier registry."""
    legacy = load("legacy")
    return [u.code for u in sorted(legacy.children("38"), key=lambda u: (len(legacy.children(u.code)), u.code))
            [:DISTRICTS]]


KEY = ("2024-Y", 1, tuple(districts()), BODIES)  # what write_2024 writes (period, seed, units)


def write_2024(folder: Path) -> None:
    write_samples("38", "2024-Y", folder / "2024", children=districts() + list(BODIES) + ["38"],
                  raw_dir=folder / "raw-2024")
