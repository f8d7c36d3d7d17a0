"""The claims of a report built from a roll-up (dvcq.documents.claims): each figure with its basis and sources.

``Figures`` holds a ``Rollup`` with what a claim needs beside it: the bases (who each form's figures cover,
group by group, the window, the days they run to), each unit's files (its sources), the roll-up's own cells,
and last year's totals with the set of units they came from. Its methods give the claims the narrative prints:
an indicator, a log or plan measure, counts of units, overdue cases by part, the best and worst units by group.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from dvcq import fmt
from dvcq.forms.labels import UNITS_OF_UNITS
from dvcq.forms.spec import LOG, PLAN, REPORT, ROLLUP_FORM_ID, col_letter, load_form, row_key
from dvcq.model import LedgerEntry, Rollup, UnitGroup, UnitName, Values
from dvcq.rollup.aggregate import add_into, derive
from dvcq.rollup.compare import Sets, check
from dvcq.rollup.coverage import by_group, required, runs_to
from dvcq.rollup.layout import load_layout
from dvcq.text import unit_running as running_name
from dvcq.units.groups import group_noun
from dvcq.units.registry import BODIES_LABEL, LEVEL_LABEL

from .claims import Basis, Claim, GroupCover, Range, Source, derived

TOTAL_LABEL = "Tổng cộng"  # the label of a unit table's total row in the roll-up (dvcq.rollup.writer)
RULE = {"count": "tổng số liệu của các đơn vị", "score": "bình quân của các đơn vị có số liệu (chỉ số điểm, không cộng)"}


@dataclass(frozen=True)
class Words:
    """The words for the groups of a roll-up: the issuer's level, the territorial units' kinds, the
    abolished districts' kinds (a province's part before 1/7/2025 of a straddling period)."""
    level: str
    kinds: str
    old_kinds: str = ""
    children_level: str = ""  # the territorial units' level ('commune', 'district')
    middle: str = ""  # the levels between the parent and its communes consolidated directly ('cấp huyện')

    def noun(self, group: UnitGroup) -> str:
        return group_noun(group, self.level, self.kinds, self.old_kinds, self.middle)

    def level_of(self, group: UnitGroup) -> str:
        """The level of a group's units in words: 'cấp xã', 'sở, ban, ngành', 'cấp huyện (trước sắp xếp)'."""
        if group == UnitGroup.DEPARTMENT:
            return BODIES_LABEL.get(self.level, "cơ quan")
        if group == UnitGroup.OWN:
            return f"cấp {LEVEL_LABEL.get(self.level, self.level)}"
        if group == UnitGroup.ABOLISHED:
            return "cấp huyện (trước sắp xếp)"
        if group == UnitGroup.MIDDLE:
            return self.middle or "cấp huyện"
        return f"cấp {LEVEL_LABEL.get(self.children_level, self.children_level)}" if self.children_level else ""


def rollup_cells(path: Path | None) -> dict[str, str]:
    """Where the roll-up workbook writes each total: code -> "'Tổng hợp chỉ tiêu'!D20" (the unit tables of the
    layout, their row "Tổng cộng"); {} without a roll-up file."""
    if path is None:
        return {}
    out: dict[str, str] = {}
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # a roll-up that cannot be reopened: its cells are not named, the figures still are
        return out
    for sheet in load_layout().sheets:
        if sheet.kind != "units" or sheet.name not in book.sheet_names:
            continue
        rows = book.get_sheet_by_name(sheet.name).to_python()
        total = next((i for i, r in enumerate(rows) if len(r) > 2 and r[2] == TOTAL_LABEL), None)
        if total is None:
            continue
        for k, col in enumerate(sheet.columns):
            out.setdefault(col.code, f"'{sheet.name}'!{col_letter(4 + k)}{total + 1}")
    return out


def where_in_file(form_id: str, code: str) -> tuple[str, str]:
    """The sheet and cell (or column with what is counted) of a figure in a unit's own file."""
    form = load_form(form_id)
    if form_id == REPORT:
        ind = next(i for i in form.indicators if i.code == code)
        if ind.kind == "ratio":  # its cell is a formula a reader may see empty: the cells it is computed from
            cells = lambda codes: "+".join(form.main.indicator_cell(c) for c in codes)  # noqa: E731
            return form.main.name, f"{cells(ind.numerator)}/{cells(ind.denominator)}"
        return form.main.name, form.main.indicator_cell(code)
    m = form.measure(code)
    sheet = form.measure_sheet(m)
    first, last = sheet.first_row, sheet.first_row + sheet.max_rows - 1
    column = m.distinct or m.sum or row_key(sheet)
    letter = col_letter(sheet.col(column)) if column in {f.name for f in sheet.fields} else "A"
    what = ("đếm mã khác nhau" if m.distinct else "cộng" if m.sum else "đếm dòng")
    cond = "; ".join(f"{sheet.field(k).title if k in {f.name for f in sheet.fields} else k} = "
                     f"{', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in m.where.items())
    return sheet.name, f"{letter}{first}:{letter}{last} ({what}{', ' + cond if cond else ''})"


INSIDE = "trong báo cáo tổng hợp của các"  # the units a count of units counts in a group of roll-ups


def _inside(e: LedgerEntry, form_id: str) -> int:
    """The units whose ``form_id`` figures a roll-up below holds (its own ledger's coverage, kept in the row)."""
    inner = e.covers.get(form_id)
    return inner[0] if inner else 0


class Figures:
    """Claims over one roll-up (or one unit's own files made into a one-unit roll-up)."""

    def __init__(self, roll: Rollup, words: Words, window: tuple[date, date], own: bool, own_name: str = "",
                 previous: Values | None = None, sets: Sets | None = None, year: int = 0,
                 cells: dict[str, str] | None = None, previous_basis: Basis | None = None):
        self.roll, self.words, self.window, self.own, self.own_name = roll, words, window, own, own_name
        self.entries = {e.unit_code: e for e in roll.ledger}
        self.totals = derive(roll.totals)
        self.previous = derive(previous) if previous else None
        self.sets = sets or Sets(None, None)
        self.year = year  # last year, for the comparisons
        self.cells = cells or {}
        self.previous_basis = previous_basis  # who last year's figures cover, over last year's window
        self._bases: dict[tuple[str, tuple[UnitGroup, ...] | None], Basis] = {}
        self.report_form, self.log_form, self.plan_form = load_form(REPORT), load_form(LOG), load_form(PLAN)
        self.indicators = {i.code: i for i in self.report_form.indicators}

    # --- bases -----------------------------------------------------------------------------------------

    def basis(self, form_id: str, groups: tuple[UnitGroup, ...] | None = None) -> Basis:
        """Who ``form_id``'s figures cover, group by group (of ``groups`` only when given), over which days."""
        key = (form_id, groups)
        if key not in self._bases:
            self._bases[key] = self._basis(form_id, groups)
        return self._bases[key]

    def _basis(self, form_id: str, groups: tuple[UnitGroup, ...] | None) -> Basis:
        ledger = [e for e in self.roll.ledger if groups is None or e.group in groups]
        first, last = self.window
        if self.own:
            e = ledger[0] if ledger else None
            has = e is not None and form_id in e.forms
            cover = GroupCover(UnitGroup.OWN, self.own_name, int(has), 1, () if has else (self.own_name,))
            return Basis(form_id, (cover,), first, last, e.runs_to if e is not None and has else None, own=True)
        covers = []
        for group, cov in by_group(ledger, form_id):
            missing = tuple(UnitName(running_name(n), getattr(n, "code", "")) for n in cov.missing)
            partial = tuple(f"{running_name(n)} ({c}/{e})" if e else running_name(n)
                            for n, (c, e) in cov.partial_counts.items())
            covers.append(GroupCover(group, self.words.noun(group), cov.covered, cov.expected, missing, partial,
                                     self.words.level_of(group), required(group, form_id)))
        return Basis(form_id, tuple(covers), first, last, runs_to(ledger, form_id))

    # --- sources ---------------------------------------------------------------------------------------

    def _units(self, form_id: str, groups: tuple[UnitGroup, ...] | None = None):
        """The included units whose ``form_id`` figures are in (a unit's own file of it, or its roll-up)."""
        for uv in self.roll.units:
            e = self.entries.get(uv.code)
            if groups is not None and uv.group not in groups:
                continue
            if e is None or form_id in e.forms or ROLLUP_FORM_ID in e.forms:
                yield uv, e

    def sources(self, code: str, form_id: str, groups: tuple[UnitGroup, ...] | None = None,
                value=None, where: tuple[str, str] | None = None) -> tuple[Source, ...]:
        """Each unit's part of a figure: its file, sheet and cell (``where`` for a count no form defines), and
        its value (``value(unit values)``, default the code's count)."""
        sheet, cell = where or where_in_file(form_id, code)
        out = []
        for uv, e in self._units(form_id, groups):
            v = value(uv.values) if value else uv.values.counts.get(code)
            if e is not None and form_id not in e.forms and ROLLUP_FORM_ID in e.forms:  # a roll-up below
                file = e.files.get(ROLLUP_FORM_ID, "")
                s, c = _rollup_sheet(form_id), f"dòng {TOTAL_LABEL}, cột {code}"
            else:
                file, s, c = (e.files.get(form_id, "") if e else ""), sheet, cell
            out.append(Source(uv.code, uv.name, file, s, c, v))
        return tuple(out)

    # --- indicators and measures -------------------------------------------------------------------------

    def indicator(self, code: str) -> Claim:
        """An indicator of the periodic report over the roll-up: its total, a rate's summed terms, last
        year's figure, the figure group by group."""
        ind = self.indicators[code]
        basis = self.basis(REPORT)
        kind = ind.kind or "count"
        spread = self.roll.totals.spreads.get(code) if not ind.additive else None
        if spread is not None and self.totals.get(code) is None:
            return self._spread(ind, basis, spread)
        if kind == "ratio":
            num = self._sum(f"i.{code}.num", f"{ind.title}: tử số", ind.numerator, basis)
            den = self._sum(f"i.{code}.den", f"{ind.title}: mẫu số", ind.denominator, basis)
            rule = (f"tỷ lệ tính từ tổng tử số ({' + '.join(ind.numerator)}) và tổng mẫu số "
                    f"({' + '.join(ind.denominator)}) của các đơn vị, không lấy bình quân các tỷ lệ")
            claim = Claim(f"i.{code}", ind.title, ind.unit, kind, self.totals.get(code), basis, rule,
                          rollup_cell=self.cells.get(code, ""), num=num, den=den)
        elif kind == "score":
            score = self.roll.totals.scores.get(code)
            averaged = derived(f"i.{code}.n", f"{ind.title}: số đơn vị có số liệu", "đơn vị",
                               score.n if score else None, basis, "đơn vị có số liệu của chỉ tiêu")
            claim = Claim(f"i.{code}", ind.title, ind.unit, kind, self.totals.get(code), basis, RULE["score"],
                          self.sources(code, REPORT, value=lambda v: v.scores[code].total if code in v.scores else None),
                          rollup_cell=self.cells.get(code, ""), averaged=averaged)
        else:
            claim = Claim(f"i.{code}", ind.title, ind.unit, kind, self.totals.get(code), basis, RULE["count"],
                          self.sources(code, REPORT), rollup_cell=self.cells.get(code, ""))
        return self._with_previous(self._with_parts(claim, REPORT))

    def _spread(self, ind, basis: Basis, spread) -> Claim:
        """A figure that does not add up across units (``additive: false``): no total, its smallest and largest
        unit's over the units that gave it."""
        code, kind = ind.code, ind.kind or "count"
        per_unit = (lambda v: derive(v).get(code)) if kind == "ratio" else None
        src = self.sources(code, REPORT, value=per_unit)
        rule = "không cộng giữa các đơn vị (danh mục, số liệu riêng của từng đơn vị): nhỏ nhất và lớn nhất của các đơn vị"
        lo = derived(f"i.{code}.lo", f"{ind.title}: nhỏ nhất", ind.unit, spread.lo, basis, rule, src, kind=kind)
        hi = derived(f"i.{code}.hi", f"{ind.title}: lớn nhất", ind.unit, spread.hi, basis, rule, src, kind=kind)
        n = derived(f"i.{code}.n", f"{ind.title}: số đơn vị có số liệu", "đơn vị", spread.n, basis,
                    "đơn vị có số liệu của chỉ tiêu")
        return Claim(f"i.{code}", ind.title, ind.unit, kind, None, basis, rule, src, spread=Range(lo, hi, n))

    def _sum(self, key: str, title: str, codes, basis: Basis) -> Claim:
        value = sum(self.roll.totals.counts.get(c) or 0 for c in codes) if any(
            c in self.roll.totals.counts for c in codes) else None
        src = self.sources(codes[0], REPORT, value=lambda v: sum(v.counts.get(c) or 0 for c in codes)) \
            if len(codes) == 1 else tuple(s for c in codes for s in self.sources(c, REPORT))
        return derived(key, title, "", value, basis, f"tổng {' + '.join(codes)} của các đơn vị", src)

    def measure(self, code: str, form_id: str) -> Claim:
        """A measure of the reception log or the plan (a count of rows or cases, summed over units)."""
        form = self.log_form if form_id == LOG else self.plan_form
        m = form.measure(code)
        basis = self.basis(form_id)
        what = "số mã vụ việc khác nhau" if m.distinct else ("tổng cột" if m.sum else "số dòng")
        rule = f"{what} trong {form.short_title.lower()} của các đơn vị" + (
            f", có {', '.join(f'{k} = {v}' for k, v in m.where.items())}" if m.where else "")
        if m.kind == "ratio":
            claim = Claim(f"m.{code}", m.title, m.unit, "ratio", self.totals.get(code), basis,
                          f"tỷ lệ {' + '.join(m.numerator)} / {' + '.join(m.denominator)}")
        else:
            claim = Claim(f"m.{code}", m.title, m.unit, "count", self.totals.get(code), basis, rule,
                          self.sources(code, form_id), rollup_cell=self.cells.get(code, ""))
        return self._with_previous(claim)

    def count(self, key: str, title: str, unit: str, value, basis: Basis, rule: str, sources=()) -> Claim:
        return derived(key, title, unit, value, basis, rule, sources)

    # --- group by group --------------------------------------------------------------------------------------

    def _with_parts(self, claim: Claim, form_id: str) -> Claim:
        """The figure group by group (each group's units summed; a rate from the group's terms); a count of
        units over the group's units that reported (its ``den``)."""
        code = claim.key.split(".", 1)[1]
        parts = []
        for group in self.roll.groups():
            pairs = list(self._units(form_id, (group,)))
            units = [uv for uv, _ in pairs]
            if not units or self.own:
                continue
            values = Values()
            for uv in units:
                add_into(values, uv.values)
            basis = self.basis(form_id, (group,))
            value = derive(values).get(code)
            noun = self.words.noun(group)
            below = [e for _, e in pairs if e is not None and form_id not in e.forms and ROLLUP_FORM_ID in e.forms]
            if claim.unit == UNITS_OF_UNITS and below:
                # a count of units from roll-ups counts the units in them, never the roll-ups: over those units
                inner = sum(_inside(e, form_id) if e in below else 1 for _, e in pairs)
                den = derived(f"cover.{form_id}.{group.value}.inner", f"Số đơn vị {INSIDE} {noun} có số liệu",
                              f"đơn vị {INSIDE} {noun}", inner, basis,
                              "số đơn vị có báo cáo hợp lệ trong báo cáo tổng hợp của các đơn vị của nhóm")
            else:
                den = derived(f"cover.{form_id}.{group.value}", f"Số {noun} có số liệu", "đơn vị", len(units), basis,
                              "số đơn vị của nhóm có báo cáo hợp lệ")
            parts.append(replace(claim, key=f"{claim.key}.{group.value}", value=value, basis=basis,
                                 sources=self.sources(code, form_id, (group,)) if claim.kind == "count" else (),
                                 rollup_cell="", num=None, den=den, parts=(), group=group, previous=None))
        return replace(claim, parts=tuple(parts))

    # --- last year -------------------------------------------------------------------------------------------

    def _with_previous(self, claim: Claim) -> Claim:
        if self.previous is None:
            return claim
        code = claim.key.split(".", 1)[1]
        prev = self.previous.get(code)
        if prev is None:
            return claim
        last, was = self.sets.before, self.previous_basis
        # over the units last year's figure counts (its basis, as the row's units say), not every unit that sent a
        # form last year (a district's own plan is no figure of the communes' reports)
        who = ("số liệu tổng hợp cùng kỳ năm trước" if last is None else
               f"tổng hợp cùng kỳ năm trước từ {was.phrase}" if was is not None and was.groups else
               f"tổng hợp cùng kỳ năm trước từ {fmt.number(last.submitted)}/{fmt.number(last.expected)} đơn vị")
        before = replace(claim, key=f"prev.{code}", value=prev, rule=f"{who} (cơ sở dữ liệu lịch sử)", sources=(),
                         rollup_cell="", num=None, den=None, parts=(), basis=self.previous_basis or claim.basis)
        comparable = self.sets.same or (self.sets.before is None and not self.sets.across_reform)
        # another basis is said once for all figures (context.comparison); a change too large to be a finding on the
        # same basis is "cần kiểm tra" beside the figure, in place of the percentage
        why = check(claim.value, prev, claim.kind, self.sets, self.year) if comparable else ""
        return replace(claim, previous=before, comparable=comparable, check=why)


def _rollup_sheet(form_id: str) -> str:
    sheet = load_layout().units_sheet(form_id)
    return sheet.name if sheet else ""


def ledger_entry(rows: list[LedgerEntry], code: str) -> LedgerEntry | None:
    return next((e for e in rows if e.unit_code == code), None)
