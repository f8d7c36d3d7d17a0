"""The registry of administrative units, per era, from the NSO catalogue in dvcq/data/units.

Codes are only meaningful with their era: 16228 is "Thị trấn Bến Sung" in the legacy registry
and "Xã Như Thanh" in the 2025 one. The reporting period chooses the era.

A province's declared reporting bodies (its sở, ban, ngành: templates/co-quan.yaml, dvcq.units.bodies) are
merged in at load as units of level "department" ("38-SNV Sở Nội vụ"): found by code and name like any
unit, under their province, but never among its territorial ``children``; ``bodies`` lists them.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from dvcq import cache
from dvcq.codes import padded
from dvcq.errors import UserError
from dvcq.resources import DATA as PACKAGE_DATA
from dvcq.resources import templates_dir
from dvcq.text import fold, nfc, unit_running

from .bodies import Body
from .bodies import bodies as declared_bodies

DATA = PACKAGE_DATA / "units"
FILES = {"legacy": "units_legacy_2025-01.csv", "2025": "units_2025.csv"}
ERA_LABEL = {"legacy": "trước 01/7/2025 (ba cấp)", "2025": "từ 01/7/2025 (hai cấp)"}
BODY_LEVEL = "department"  # a declared reporting body (sở, ban, ngành), dvcq.units.bodies
LEVEL_LABEL = {"country": "cả nước", "province": "tỉnh", "district": "huyện", "commune": "xã",
               BODY_LEVEL: "cơ quan"}
# the words for a parent's bodies as a group: a province's sở, ban, ngành; a district's phòng, ban
BODIES_LABEL = {"province": "sở, ban, ngành", "district": "cơ quan chuyên môn"}
# units named after a person, whose date line keeps the full name (Nghị định 30/2020, Phụ lục I, I.4): a seed list
# shipped with the registry (data/units/person_names.csv, how it was compiled in data/units/README.md) and a
# province's own additions (templates/dia-danh-ten-nguoi.csv, the same columns)
PERSON_NAMES = "person_names.csv"
LOCAL_PERSON_NAMES = "dia-danh-ten-nguoi.csv"
NATIONAL = "00"  # a virtual root above the provinces, for national roll-ups
TERRITORIAL = ("province", "district", "commune")  # levels of the registry (a body or the country is not)
LEVELS = {"legacy": ["province", "district", "commune"], "2025": ["province", "commune"]}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str  # province | district | commune | department (a declared body)
    division_type: str
    parent_code: str
    era: str

    @property
    def kind(self) -> str:
        """The type word that begins the name: 'xã', 'thị trấn', 'huyện', 'thành phố' (also for Hà Nội)."""
        return self.division_type.replace(" trung ương", "")

    @property
    def person_named(self) -> bool:
        """Named after a person (PERSON_NAMES and a province's additions): the date line keeps its full name.
        Asked when a date line is written, not for every unit when the registry loads (about 40% of a load)."""
        return self.level in TERRITORIAL and (self.code, self.short_name) in person_names(
            templates_dir() / LOCAL_PERSON_NAMES)

    @property
    def short_name(self) -> str:
        """The name without its type word: 'Xã Phượng Nghi' -> 'Phượng Nghi'."""
        if self.name.lower().startswith(self.kind + " "):
            return self.name[len(self.kind) + 1:]
        return self.name

    @property
    def place(self) -> str:
        """The place name of the date line (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục I.4): the name
        without its type word ('Như Thanh'), but the full name of a unit named with numerals or after a
        person ('Phường 2 Bảo Lộc', 'Thành phố Hồ Chí Minh', 'Phường Lê Lợi': ``person_named``)."""
        short = self.short_name
        return self.name if short[:1].isdigit() or self.person_named else short

    @property
    def running_name(self) -> str:
        """The name in running text: 'xã Cán Khê', 'huyện Như Thanh', 'thành phố Hà Nội'."""
        return unit_running(self.name)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Match:
    unit: Unit
    exact: bool
    query: str
    padded: bool = False  # a code whose leading zeros Excel dropped, put back

    @property
    def note(self) -> str:
        """What was matched, for telling the user: 'Phương Nghi' -> 16240 Xã Phượng Nghi."""
        why = " (đã thêm số 0 ở đầu mã mà Excel bỏ mất)" if self.padded else ""
        return f"«{self.query}» → {self.unit.code} {self.unit.name}{why}"


@dataclass(frozen=True)
class UnitTable:
    """A registry's units as columns, the form the CSV is read and cached in (dvcq.cache): a ``Unit`` is made
    only when asked for (a file's validation asks for a handful of the 10,810 three-tier units)."""
    codes: list[str]
    names: list[str]
    levels: list[str]
    kinds: list[str]  # division_type
    parents: list[str]  # parent_code, "" for a province

    @classmethod
    def of(cls, units) -> UnitTable:
        units = list(units)
        return cls([u.code for u in units], [u.name for u in units], [u.level for u in units],
                   [u.division_type for u in units], [u.parent_code for u in units])

    def fits(self) -> bool:
        """Whether the columns are lists of texts of one length (a cached table that is not is read again)."""
        cols = (self.codes, self.names, self.levels, self.kinds, self.parents)
        return all(type(c) is list for c in cols) and len({len(c) for c in cols}) == 1 and all(
            type(x) is str for x in self.codes[:1] + self.parents[:1])


class _Units(Mapping):
    """Code -> Unit of one era over a UnitTable, each Unit made on first use and kept (the same object after)."""

    def __init__(self, era: str, table: UnitTable):
        self._era, self._table = era, table
        self._at = {c: i for i, c in enumerate(table.codes)}
        self._made: dict[str, Unit] = {}

    def add(self, unit: Unit) -> None:
        self._made[unit.code] = unit
        self._at.setdefault(unit.code, -1)

    def __getitem__(self, code: str) -> Unit:
        unit = self._made.get(code)
        if unit is None:
            i, t = self._at[code], self._table
            unit = self._made[code] = Unit(code, t.names[i], t.levels[i], t.kinds[i], t.parents[i] or "", self._era)
        return unit

    def get(self, code, default=None):
        return self[code] if code in self._at else default

    def __contains__(self, code) -> bool:
        return code in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class Registry:
    def __init__(self, era: str, units: list[Unit] | UnitTable, bodies: tuple[Body, ...] = ()):
        self.era = era
        table = units if isinstance(units, UnitTable) else UnitTable.of(units)
        self.units = _Units(era, table)
        self._children: dict[str, list[str]] = {}  # parent code -> the codes of its territorial children
        for code, parent in zip(table.codes, table.parents):
            self._children.setdefault(parent or "", []).append(code)
        self.units.add(Unit(NATIONAL, "Cả nước", "country", "quốc gia", "", era))
        self._children[NATIONAL] = self._children.pop("", [])
        self._bodies: dict[str, list[tuple[Unit, Body]]] = {}
        for b in bodies:
            if era in b.eras and b.parent_code in self.units:
                unit = Unit(b.code, b.name, BODY_LEVEL, b.kind, b.parent_code, era)
                self.units.add(unit)
                self._bodies.setdefault(b.parent_code, []).append((unit, b))

    @property
    def source(self) -> str:
        """Where this registry's units come from, in an official's words: its catalogue, and the month of its
        snapshot where the file names one ('units_legacy_2025-01.csv': bản tháng 01/2025), not the file's name."""
        snapshot = re.search(r"_(\d{4})-(\d{2})\.csv$", FILES[self.era])
        month = f", bản tháng {snapshot.group(2)}/{snapshot.group(1)}" if snapshot else ""
        return f"danh mục đơn vị hành chính {ERA_LABEL[self.era]}{month}"

    def bodies(self, code: str, period=None) -> list[Unit]:
        """The declared bodies reporting to a unit, in the file's order; with a period, those that exist on
        the last day of its data window."""
        return [u for u, b in self._bodies.get(code, []) if period is None or b.active_on(period.end)]

    def body(self, code: str) -> Body | None:
        """The declaration of a body unit (its dates and source), None for a territorial unit."""
        unit = self.get(code)
        found = [b for u, b in self._bodies.get(unit.parent_code, []) if u.code == unit.code] if unit else []
        return found[0] if found else None

    @cached_property
    def _by_fold(self) -> dict[str, list[Unit]]:
        """Folded name -> units, built on the first lookup by name."""
        index: dict[str, list[Unit]] = {}
        for u in self.units.values():
            for key in {fold(u.name), fold(u.short_name)}:
                index.setdefault(key, []).append(u)
        return index

    def get(self, code: str) -> Unit | None:
        return self.units.get(str(code).strip())

    @cached_property
    def widths(self) -> tuple[int, ...]:
        """Lengths of the codes of this era: 2 (province), 3 (district, legacy only), 5 (commune)."""
        return tuple(sorted({len(c) for c in self.units if c != NATIONAL and c.isdigit()}))

    def padded(self, code: str) -> list[Unit]:
        """Units a code can be once the leading zeros Excel dropped are put back ('1' -> 01, 001, 00001)."""
        return [self.units[c] for c in padded(str(code).strip(), self.widths) if c in self.units]

    def by_code(self, code: str) -> Match | None:
        """The unit of a code, also when Excel dropped its leading zeros and one unit only fits.

        None when no unit fits; a Vietnamese UserError listing them when several do.
        """
        query = str(code).strip()
        unit = self.get(query)
        if unit is not None:
            return Match(unit, exact=True, query=query)
        fits = self.padded(query)
        if len(fits) == 1:
            return Match(fits[0], exact=False, query=query, padded=True)
        if fits:
            listed = "; ".join(f"{u.code} {u.name}" for u in fits)
            raise UserError(f"Mã «{query}» thiếu số 0 ở đầu (Excel đã bỏ) và có thể là: {listed}. "
                            f"Hãy ghi đủ mã, kể cả số 0 ở đầu.")
        return None

    def require(self, code: str, notes: list[str] | None = None) -> Unit:
        """The unit of a code (see ``by_code``); a padded code is told in ``notes`` when given."""
        found = self.by_code(code)
        if found is None:
            raise UserError(
                f"Không có đơn vị mã «{code}» trong danh mục đơn vị hành chính {ERA_LABEL[self.era]}."
            )
        if found.padded and notes is not None:
            notes.append(f"Đã hiểu mã đơn vị {found.note}.")
        return found.unit

    def children(self, code: str) -> list[Unit]:
        return [self.units[c] for c in self._children.get(code, ())]

    def parent(self, unit: Unit) -> Unit | None:
        return self.units.get(unit.parent_code) if unit.parent_code else None

    def province(self, unit: Unit) -> Unit:
        while unit.parent_code:
            unit = self.units[unit.parent_code]
        return unit

    def communes_under(self, code: str) -> list[Unit]:
        out = []
        for child in self.children(code):
            out.extend([child] if child.level == "commune" else self.communes_under(child.code))
        return out

    def matches(self, name: str, level: str | None = None, parent: str | None = None) -> list[Unit]:
        """Every unit a name can mean, compared tolerantly (NFC/NFD, tone placement, case, diacritics)."""
        candidates = self._by_fold.get(fold(name), [])
        if level:
            candidates = [u for u in candidates if u.level == level]
        if parent:
            candidates = [u for u in candidates if self._under(u, parent)]
        return list(candidates)

    def find(self, name: str, level: str | None = None, parent: str | None = None) -> Match | None:
        """The one unit a name means (tolerant, see ``matches``), or None when none or several."""
        query = nfc(name)
        candidates = self.matches(query, level, parent)
        if len(candidates) != 1:
            return None
        unit = candidates[0]
        return Match(unit, exact=query in (unit.name, unit.short_name), query=name)

    def lookup(self, query: str) -> Match:
        """A unit by code (leading zeros put back, see ``by_code``) or by name; a Vietnamese UserError
        says when none or several match."""
        found = self.by_code(query) or self.find(query)
        if found is not None:
            return found
        same = self.matches(query)
        if not same:
            raise UserError(f"Không tìm thấy đơn vị «{query}» trong danh mục đơn vị hành chính {ERA_LABEL[self.era]}.")
        listed = "; ".join(f"{u.code} {u.name} ({self.where(u)})" for u in same[:12])
        more = f" và {len(same) - 12} đơn vị khác" if len(same) > 12 else ""
        raise UserError(f"Có {len(same)} đơn vị tên «{query}»: {listed}{more}. Hãy tra bằng mã.")

    def where(self, unit: Unit) -> str:
        """Where a unit sits, to tell namesakes apart: its parent's name ('Huyện Như Thanh'), or for a
        province, which has none, its level ('cấp tỉnh')."""
        parent = self.parent(unit)
        return parent.name if parent is not None and parent.code != NATIONAL else f"cấp {LEVEL_LABEL[unit.level]}"

    def is_under(self, unit: Unit, code: str) -> bool:
        """Whether ``unit`` lies under the unit of ``code`` (its child, or further down)."""
        return self._under(unit, code)

    def _under(self, unit: Unit, code: str) -> bool:
        while unit.parent_code:
            if unit.parent_code == code:
                return True
            unit = self.units[unit.parent_code]
        return False

    def levels(self) -> list[str]:
        return list(LEVELS[self.era])


@dataclass(frozen=True)
class PersonNames:
    """The units named after a person: by their name without its type word (folded), or by code."""
    names: frozenset[str]
    codes: frozenset[str]

    def __contains__(self, unit_row: tuple[str, str]) -> bool:
        code, short = unit_row
        return code in self.codes or fold(short) in self.names


def _person_rows(path: Path) -> list[dict]:
    """The rows of a person-names file (columns name, code, who, source); a row naming neither a name nor a code,
    or a file without those columns, is a UserError naming the file and the line."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"name", "code", "who", "source"} - set(reader.fieldnames or ())
        if missing:
            raise UserError(f"Tệp {path}, dòng 1: thiếu cột {', '.join(sorted(missing))} "
                            "(cần: name, code, who, source).")
        rows = list(reader)
    for i, r in enumerate(rows, start=2):
        if not (r.get("name") or "").strip() and not (r.get("code") or "").strip():
            raise UserError(f"Tệp {path}, dòng {i}: cần tên đơn vị (name, không có chữ «Xã», «Phường») hoặc mã (code).")
        if not (r.get("source") or "").strip():
            raise UserError(f"Tệp {path}, dòng {i}: cần nguồn (source) cho biết vì sao tên này là tên người.")
    return rows


@lru_cache(maxsize=None)
def person_names(local: Path | None = None) -> PersonNames:
    """The seed list of the registry and a province's additions (``local``, when the file exists)."""
    rows = _person_rows(DATA / PERSON_NAMES)
    if local is not None and local.exists():
        rows += _person_rows(local)
    return PersonNames(frozenset(fold(r["name"]) for r in rows if (r.get("name") or "").strip()),
                       frozenset(r["code"].strip() for r in rows if (r.get("code") or "").strip()))


@lru_cache(maxsize=None)
def load(era: str) -> Registry:
    return Registry(era, unit_table(DATA / FILES[era]), declared_bodies())


TABLE_FORMAT = "units-columns-1"  # raised when UnitTable or the reading of the CSV changes


def unit_table(path: Path) -> UnitTable:
    """The units of a registry CSV as columns: from the user's cache (dvcq.cache) when the file's bytes are those
    it was read from, else read and cached."""
    raw = path.read_bytes()
    want = cache.key(TABLE_FORMAT, raw)
    found = cache.get("units", path, want)
    if isinstance(found, tuple) and len(found) == 5:
        table = UnitTable(*found)
        if table.fits():
            return table
    rows = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    head = next(rows)
    at = [head.index(c) for c in ("code", "name", "level", "division_type", "parent_code")]
    cols: tuple[list[str], ...] = ([], [], [], [], [])
    for r in rows:
        for col, i in zip(cols, at):
            col.append(r[i])
    cache.put("units", path, want, cols)
    return UnitTable(*cols)


def for_period(period, era: str | None = None) -> Registry:
    """The registry of a period's era, or of ``era`` (a part of a period that straddles the reform)."""
    return load(era or period.era)


def era_of(period, code: str | None, name: str = "", hint: str | None = None) -> str:
    """The registry era a unit's file of a period is read in. A period's own era, except for a period
    that straddles the 2025 reform: there a unit of the three-tier registry files the part before
    1/7/2025 (a district; a commune whose code only that registry has, or whose name is that
    registry's). A code that both registries hold under the same name is read in ``hint``'s era
    (the file's metadata, or the parent being consolidated) or else the period's."""
    if not period.straddles or not code:
        return period.era
    code = str(code).strip()
    old, new = load("legacy").get(code), load("2025").get(code)
    if old is None or new is None:
        return "legacy" if old is not None else period.era
    if name:
        key = fold(name)
        fits_old, fits_new = (key in (fold(u.name), fold(u.short_name)) for u in (old, new))
        if fits_old != fits_new:
            return "legacy" if fits_old else "2025"
    return hint if hint in FILES else period.era


@lru_cache(maxsize=None)
def crosswalk() -> dict[str, list[str]]:
    """Legacy commune code -> the 2025 commune code(s) it became part of."""
    out: dict[str, list[str]] = {}
    with open(DATA / "crosswalk_legacy_to_2025.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["legacy_commune_code"], []).append(r["commune_code_2025"])
    return out


def period_lookup(query: str, period) -> Match:
    """A unit of a period by code or name (``Registry.lookup``); in a period that straddles the 2025
    reform also a unit of the three-tier registry (for its part before 1/7/2025): by a code only that
    registry has, or a name the registry of 2025 does not know."""
    reg = load(era_of(period, query))
    try:
        return reg.lookup(query)
    except UserError:
        if not period.straddles or reg.era == "legacy":
            raise
        return load("legacy").lookup(query)


PART_LEVELS = ("district", "commune")  # the units whose files of a straddling period hold one part of it


def unit_part(period, unit: Unit | None):
    """The days a unit's files of a period hold (dvcq.calendar.periods.Part): for a district or a commune in a period
    that straddles the 2025 reform, its era's part; for a province, a body, or any other period, all."""
    return period.part(unit.era if unit is not None and unit.level in PART_LEVELS else None)


@dataclass(frozen=True)
class Reporters:
    """The units that report to a parent for one part of a period, in that part's registry era."""
    era: str
    parent: Unit  # the parent as that era's registry has it
    units: list[Unit]


def reporters(period, parent_code: str) -> list[Reporters]:
    """Who reports to a parent for a period: its children in the period's era; for a province in a period
    that straddles the 2025 reform, first its districts of the three-tier registry, for the part before
    1/7/2025, then its communes of 2025 for the rest. A district (three-tier only) in such a period has
    its communes for the part before 1/7/2025. A UserError when the parent is no unit of the period."""
    era = era_of(period, parent_code)
    parent = load(era).require(parent_code)
    out = [Reporters(era, parent, load(era).children(parent.code))]
    if period.straddles and era == "2025" and parent.level == "province":
        old = load("legacy").get(parent.code)
        if old is not None:
            out.insert(0, Reporters("legacy", old, load("legacy").children(old.code)))
    return out


@dataclass(frozen=True)
class UnitInfo:
    """A unit looked up for a period: its parent and children, how the query was read, and, for a
    commune of the three-tier era asked about a later period, the 2025 communes it became part of."""
    unit: Unit
    parent: Unit | None
    children: list[Unit]
    note: str  # how the query was understood ("" when exact)
    merged_into: list[Unit]  # 2025 units a legacy commune became part of (empty otherwise)
    bodies: list[Unit] = field(default_factory=list)  # its declared reporting bodies of the period

    @property
    def merger(self) -> str:
        """'Xã Phượng Nghi (16240) đã sáp nhập vào Xã Xuân Du (16234) từ 01/07/2025' or ''."""
        if not self.merged_into:
            return ""
        into = ", ".join(f"{u.name} ({u.code})" for u in self.merged_into)
        return f"{self.unit.name} ({self.unit.code}) đã sáp nhập vào {into} từ 01/07/2025."


def abolished(code: str | None, name: str = "") -> UnitInfo | None:
    """A unit of the three-tier registry that the 2025 reform abolished, as a file names it (its code,
    with a name that fits it or none; or a commune's name alone): a district, or a commune with the
    2025 communes it became part of. None when the code and name are a unit of 2025 or no legacy one."""
    old, new = load("legacy"), load("2025")
    key = fold(name) if name else ""
    fits = lambda u: not key or key in (fold(u.name), fold(u.short_name))  # noqa: E731
    unit = old.get(code) if code else None
    if unit is None and not code and name:
        found = old.find(name, level="commune")
        unit = found.unit if found and new.find(name) is None else None
    if unit is None or not fits(unit) or unit.level == "province":
        return None
    same = new.get(unit.code)
    if same is not None and fits(same):
        return None
    into = [new.get(c) for c in crosswalk().get(unit.code, []) if new.get(c)]
    if unit.level == "commune" and not into:
        return None
    return UnitInfo(unit, old.parent(unit), [], "", into)


def unit_info(query: str, period) -> UnitInfo:
    """`dvcq unit`: a unit of the period's registry; a commune abolished on 1 July 2025 is found in the
    three-tier registry and told with the communes it became part of (crosswalk)."""
    reg = for_period(period)
    unknown = reg.by_code(query) is None and reg.find(query) is None and not reg.matches(query)
    if reg.era == "2025" and unknown:
        old = load("legacy")
        found = old.by_code(query) or old.find(query, level="commune")
        into = [reg.get(c) for c in crosswalk().get(found.unit.code, []) if reg.get(c)] if found else []
        if into:
            return UnitInfo(found.unit, old.parent(found.unit), [], "" if found.exact else found.note, into)
    m = reg.lookup(query)
    return UnitInfo(m.unit, reg.parent(m.unit), reg.children(m.unit.code), "" if m.exact else m.note, [],
                    reg.bodies(m.unit.code, period))


# a comparison with the same period a year earlier, given the 2025 reform (districts abolished 1/7/2025)
SAME_UNITS, ACROSS_REFORM, NOT_COMPARABLE = "same", "across-reform", "none"


def comparison(period, previous, unit: Unit) -> str:
    """Whether ``unit``'s figures of ``period`` can be compared with those of ``previous``: the same
    registry era (SAME_UNITS); across the reform only for a province or the country, whose territory did
    not change though its districts and communes did (ACROSS_REFORM, to be labelled so); never for a
    commune, whose territory the reform merged (NOT_COMPARABLE)."""
    if period.era == previous.era:
        return SAME_UNITS
    return ACROSS_REFORM if unit.level in ("province", "country") else NOT_COMPARABLE
