"""The units a consolidation expects, by group, as the unit registry lists them (dvcq.units.registry): the ledger's
rows of a roll-up (dvcq.rollup.consolidate) and, for a history run recorded before the history kept them (schema 3),
last year's expected units (``last_year_run``), so an upgrade does not leave every comparison without its basis.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from dvcq.calendar.periods import Period
from dvcq.model import UnitGroup
from dvcq.units.bodies import FILE as BODIES_FILE
from dvcq.units.registry import BODY_LEVEL, Unit, era_of, for_period, reporters

from . import store
from .coverage import UnitSet, from_roles


@dataclass(frozen=True)
class ExpectedGroup:
    """One group of the units expected to submit: its kind, its units in table order, and the route
    whose deadline applies to them (None: no deadline, e.g. the issuer's own files); ``era`` is the
    registry its units are of when not the consolidation's (the abolished districts' part before
    1/7/2025 of a period that straddles the reform)."""
    group: UnitGroup
    units: tuple[Unit, ...]
    route: str | None
    era: str | None = None


def _territorial(results, reg, parent, direct: bool | None = None) -> tuple[list[Unit], list[Unit]]:
    """(territorial units, units between): the parent's territorial children and nothing between; or, when the
    folder holds commune files for a province of the three-tier era (or the country), its communes, and the
    districts (and provinces) between them and the parent, whose own files are each one's own row. ``direct``
    says which instead of the files (True: the communes directly, when there are units between)."""
    children = reg.children(parent.code)
    if direct is not None:
        middle = _between(reg, parent.code) if direct else []
        return (reg.communes_under(parent.code), middle) if middle else (children, [])
    levels = Counter(reg.get(r.unit_code).level for r in results
                     if r.unit_code and r.unit_code != parent.code and reg.get(r.unit_code) and r.summary)
    levels.pop(BODY_LEVEL, None)  # a declared body's files say nothing about the territorial level
    if levels and children:
        level = levels.most_common(1)[0][0]
        if level != children[0].level and level == "commune":
            return reg.communes_under(parent.code), _between(reg, parent.code)
    return children, []


def _between(reg, code: str) -> list[Unit]:
    """The territorial units under ``code`` above the communes (a province's districts), top down."""
    out = []
    for child in reg.children(code):
        if child.level != "commune":
            out += [child] + _between(reg, child.code)
    return out


def expected_groups(results, reg, parent: Unit, period: Period, direct: bool | None = None) -> list[ExpectedGroup]:
    """The expected units by group, in GROUP_ORDER: for a province in a period that straddles the 2025
    reform its abolished districts (the part before 1/7/2025), the territorial children (or every commune,
    consolidated directly, and then the districts between, each its own row: the districts' own plan, log
    and report), the parent's declared bodies active at the end of the period's window (templates/co-quan.yaml;
    the districts' too when they are between), and the issuer's own row (a national roll-up has none). ``direct``:
    the communes directly or not, instead of as the files show (_territorial)."""
    children, middle = _territorial(results, reg, parent, direct)
    out = [ExpectedGroup(UnitGroup.TERRITORIAL, tuple(children),
                         f"{children[0].level}->{parent.level}" if children else None)]
    for old in (g for g in reporters(period, parent.code) if g.era != reg.era and g.units):
        # a province's districts of the three-tier registry, for the part before 1/7/2025 of a period
        # that straddles the reform (dvcq.units.registry.reporters)
        out.insert(0, ExpectedGroup(UnitGroup.ABOLISHED, tuple(old.units), f"{old.units[0].level}->{parent.level}",
                                    old.era))
    if middle:
        levels = {u.level for u in middle}
        out.append(ExpectedGroup(UnitGroup.MIDDLE, tuple(middle),
                                 f"{middle[0].level}->{parent.level}" if len(levels) == 1 else None))
    bodies = reg.bodies(parent.code, period) + [b for m in middle for b in reg.bodies(m.code, period)]
    if bodies:
        out.append(ExpectedGroup(UnitGroup.DEPARTMENT, tuple(bodies), f"{BODY_LEVEL}->{parent.level}"))
    if parent.level != "country":
        out.append(ExpectedGroup(UnitGroup.OWN, (parent,), None))
    return out


def registry_sets(reg, parent: Unit, period: Period) -> list[list[tuple[str, UnitGroup]]]:
    """Each set of (code, group) a consolidation of ``parent`` for ``period`` can expect, as the registry lists them
    (expected_groups): of its territorial children, and, where communes lie below districts, of every commune
    received directly with the districts' own rows."""
    out = []
    for direct in (False, True):
        roles = [(u.code, g.group) for g in expected_groups([], reg, parent, period, direct) for u in g.units]
        if roles not in out:
            out.append(roles)
    return out


def last_year_run(db: Path | None, period: Period, parent: Unit) -> UnitSet | None:
    """The units last year's roll-up of ``parent`` counted (store.rollup_run). A run recorded before the history kept
    which units it expected has its expected set taken from the unit registry for its period and parent
    (registry_sets), only when exactly one such set has as many units as the run recorded and holds every unit
    whose files it counted; the set then says so (``UnitSet.listed``: the registry's source). Else the run as
    recorded (its basis not known)."""
    before = period.previous_year()
    run = store.rollup_run(db, before.code, parent.code, store.unit_part_key(before, parent))
    if run is None or run.expected_codes is not None:
        return run
    reg = for_period(before, era_of(before, parent.code, parent.name))
    unit = reg.get(parent.code)
    if unit is None:
        return run
    fits = [roles for roles in registry_sets(reg, unit, before)
            if len({c for c, _ in roles}) == run.expected and (run.sent is None or run.sent <= {c for c, _ in roles})]
    if len(fits) != 1:
        return run
    roles = fits[0]
    listed = reg.source
    if any(g == UnitGroup.DEPARTMENT for _, g in roles):
        listed += f" và danh sách cơ quan báo cáo {BODIES_FILE}"
    if run.sent is None:
        return replace(run, expected_codes=frozenset(c for c, _ in roles), roles=tuple(roles), listed=listed)
    return replace(from_roles(run.sent, roles), listed=listed)
