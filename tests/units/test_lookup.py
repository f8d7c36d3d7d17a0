"""Every look-up answers: `dvcq unit` with any name of the registry, in either era, alone or shared, ends in
a unit or a Vietnamese message, never in an internal error (issue 22, §8)."""
from __future__ import annotations

import pytest
from dvcq.calendar.periods import parse
from dvcq.errors import UserError
from dvcq.units import registry

from tests.support.cli import dvcq as run

# a period of each era, and one that straddles the 2025 reform (two-tier registry, a three-tier part)
PERIODS = ("2024-Y", "2025-Y", "2026-H1")


def _names(era: str) -> list[str]:
    """Every name a user may type for a unit of an era: full and short names of every unit and body."""
    out: set[str] = set()
    for u in registry.load(era).units.values():
        if u.code != registry.NATIONAL:
            out |= {u.name, u.short_name}
    return sorted(n for n in out if not n.isdigit())  # "Phường 1" is "1" for short: a code when typed alone


@pytest.mark.parametrize("period", PERIODS)
def test_every_name_of_either_registry_answers_with_a_unit_or_a_message(period):
    p = parse(period)
    answered, shared = 0, 0
    for era in ("legacy", "2025"):
        for name in _names(era):
            try:
                info = registry.unit_info(name, p)
            except UserError as e:
                assert e.message.endswith(".") and "đơn vị" in e.message, (name, e.message)
                shared += "Hãy tra bằng mã" in e.message
                continue
            assert info.unit.name and info.unit.code, name
            answered += 1
    assert answered > 3000 and shared > 100  # names of one unit, and names many units share


@pytest.mark.parametrize("name,period", [("Lào Cai", "2026-Y"), ("Tuyên Quang", "2026-Y"), ("Bắc Kạn", "2024-Y"),
                                         ("Hà Giang", "2024-Y"), ("Trà Vinh", "2024-Y")])
def test_a_province_name_shared_with_its_town_lists_both_with_their_level(name, period):
    """The province has no parent: the list names its level instead (today: AttributeError, exit 3)."""
    reg = registry.for_period(parse(period))
    same = reg.matches(name)
    assert any(u.level == "province" for u in same) and len(same) > 1
    r = run("unit", name, "--period", period)
    assert r.returncode == 2, r.stderr
    assert "Lỗi nội bộ" not in r.stderr and "Traceback" not in r.stderr
    assert all(u.code in r.stderr for u in same)
    province = next(u for u in same if u.level == "province")
    assert f"{province.code} {province.name} (cấp tỉnh)" in r.stderr


def test_a_unique_name_answers_through_the_cli_in_either_era():
    for name, period, code in (("Cán Khê", "2024-H1", "16231"), ("Như Thanh", "2024-H1", "403"),
                               ("Phượng Nghi", "2026-Y", "16240"), ("Sở Nội vụ", "2024-Y", "38-SNV")):
        r = run("unit", name, "--period", period)
        assert r.returncode == 0, (name, r.stderr)
        assert r.stdout.startswith(code + "\t"), (name, r.stdout)
