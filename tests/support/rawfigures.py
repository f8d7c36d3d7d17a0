"""Every figure a report's check sheet lists, recomputed from the submissions' raw cells (python-calamine), not
through dvcq: the forms read as their specifications lay them out (cells, columns, measure definitions) and the
law's table of time limits (templates/thoi-han.yaml) and the reporting calendar (templates/deadlines.yaml), both
read raw with PyYAML; the sums, counts, rates, overdue cases and tasks, targets, ranks, data windows, deadlines and
the next period computed here (``RawCalendar``), never by dvcq.calendar.

``Folder`` reads a folder of unit files (periodic reports, reception logs, plans) and answers ``expected(key)``
for a claim's key ('i.TT01', 'm.luot_tiep', 'qh.open.16231', 'rank.TD13.territorial.best', ...), or raises
KeyError for a key it does not know (a test then fails: every figure must be recomputed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import re
import unicodedata

import yaml
from dvcq.calendar.periods import parse
from dvcq.forms import spec
from dvcq.forms.plandoc import RECURRING_TERMS
from dvcq.resources import templates_dir
from dvcq.text import fold
from dvcq.units.registry import load
from python_calamine import CalamineWorkbook

REPORT = spec.load_form("bao-cao-dinh-ky")
LOG = spec.load_form("so-tiep-cong-dan")
PLAN = spec.load_form("ke-hoach")
FORMS = {f.id: f for f in (REPORT, LOG, PLAN)}
DONE = ("Đã hoàn thành", "Tạm dừng")

# Nghị định 09/2019/NĐ-CP, Điều 12: a period's data run from the 15th of the month before its first month to the
# 14th of its last month; (month of the first day, of the year before when 12; month of the last day)
LAW_MONTHS = {"Q1": (12, 3), "Q2": (3, 6), "Q3": (6, 9), "Q4": (9, 12), "H1": (12, 6), "H2": (6, 12), "9M": (12, 9),
              "Y": (12, 12)}
REFORM = date(2025, 7, 1)  # the districts ended on 30/6/2025
# what each group must send (docs/rollup.md, "Unit groups"): the territorial units every form; the bodies the periodic
# report and the log; the issuer's own row and the districts' own rows of a province receiving communes directly the
# plan only. A form a group need not send counts only the units that sent it (written here, not taken from dvcq).
MUST_SEND = {"department": {REPORT.id, LOG.id}, "own": {PLAN.id}, "middle": {PLAN.id}}


class RawCalendar:
    """A province's reporting calendar read from templates/deadlines.yaml as written (its own block over the
    default, route by route and period by period), with the law's windows: the days a check recomputes against."""

    def __init__(self, province: str):
        with open(templates_dir() / "deadlines.yaml", encoding="utf-8") as f:
            raw = yaml.safe_load(f)
        self.default, self.own = raw["default"], (raw.get("provinces") or {}).get(province) or {}

    @staticmethod
    def day(text: str, year: int) -> date:
        """'15/06' of ``year``, '15/12-1' the year before, '14/11+1' the year after, '25/06/2025' as written."""
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?([+-]1)?", str(text).strip())
        d, mo, y, shift = m.groups()
        return date(int(y) if y else year + int(shift or 0), int(mo), int(d))

    def window(self, kind: str, year: int) -> tuple[date, date]:
        own = (self.own.get("windows") or {}).get(kind)
        if own:
            return self.day(own["from"], year), self.day(own["to"], year)
        first, last = LAW_MONTHS[kind]
        return date(year - 1 if first == 12 else year, first, 15), date(year, last, 14)

    def straddles(self, kind: str, year: int) -> bool:
        start, end = self.window(kind, year)
        return start < REFORM <= end

    def deadline(self, kind: str, year: int, route: str) -> date | None:
        """A route's due day; a legacy route of a period straddling the reform: the ``abolished`` part's date."""
        if self.straddles(kind, year):
            gone = self.own.get("abolished") or self.default["abolished"]
            if route in gone["deadlines"]:
                return self.day(gone["deadlines"][route], year)
        for block in (self.own, self.default):
            text = ((block.get("deadlines") or {}).get(route) or {}).get(kind)
            if text:
                return self.day(text, year)
        return None

    @staticmethod
    def following(kind: str, year: int) -> tuple[str, int]:
        """The period "kỳ tới" names: the next quarter or half of the year, Q4 after 9 months, next year's Y."""
        return {"Q1": ("Q2", year), "Q2": ("Q3", year), "Q3": ("Q4", year), "Q4": ("Q1", year + 1),
                "H1": ("H2", year), "H2": ("H1", year + 1), "9M": ("Q4", year), "Y": ("Y", year + 1)}[kind]

    def names_next(self, kind: str) -> bool:
        """Whether the report's title names the next period (``next_focus``)."""
        focus = self.own.get("next_focus") or self.default.get("next_focus") or {}
        return kind in (focus.get("periods") or [])


def grid(path: Path, sheet: str) -> list[list]:
    """A sheet's cells as python-calamine reads them ([] for a sheet the file lacks). Read once per version of the
    file (its path, size and modification time): the check sheet's verification asks for the same unit's sheet for
    every figure it sources (about 3,800 reads of a few hundred sheets in test_checksheet). Read only."""
    st = Path(path).stat()
    return _grid(str(path), sheet, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=1024)
def _grid(path: str, sheet: str, mtime_ns: int, size: int) -> list[list]:
    book = CalamineWorkbook.from_path(path)
    if sheet not in book.sheet_names:
        return []
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def cell(g: list[list], ref: str):
    row, col = spec.split_cell(ref)
    return g[row - 1][col - 1] if row <= len(g) and col <= len(g[row - 1]) else ""


MAIN, SOURCES = "Đối chiếu số liệu", "Nguồn theo đơn vị"  # the check sheet's sheets


def read_check(path: Path) -> tuple[list[dict], list[dict], list[str]]:
    """The check sheet's rows (by header), its sources' rows and its warnings, read with python-calamine."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(MAIN).to_python()
    head = next(i for i, r in enumerate(rows) if "Mã số liệu" in r)
    names = rows[head]
    main = [dict(zip(names, r)) for r in rows[head + 1:] if any(v not in ("", None) for v in r)]
    warnings = [r[0] for r in rows[:head] if str(r[0]).startswith("Cảnh báo")]
    src = book.get_sheet_by_name(SOURCES).to_python()
    sources = [dict(zip(src[0], r)) for r in src[1:]]
    return main, sources, warnings


def table(path: Path, sheet: spec.Sheet) -> list[dict]:
    """The filled rows of a table sheet as {field: raw value}."""
    g = grid(path, sheet.name)
    key = spec.row_key(sheet)
    out = []
    cols = [(f.name, sheet.col(f.name) - 1) for f in sheet.fields]  # each field's column, found once
    for r in g[sheet.first_row - 1:]:
        row = {name: (r[c] if c < len(r) else "") for name, c in cols}
        if row.get(key) not in ("", None):
            out.append(row)
    return out


def _same(sentence: str) -> str:
    """Two units' sentences are one when equal after NFC, case folding, single spaces and without trailing
    punctuation; diacritics kept (the rule the report states)."""
    return " ".join(unicodedata.normalize("NFC", sentence).casefold().split()).rstrip(".!?…;:,\"”»’ ")


def pct(x: float) -> str:
    """A rate as the report prints it: one decimal, half up, without a trailing ',0'; a value that is not 0 or 100%
    but rounds to it with the places that tell it apart (up to 4)."""
    p = Decimal(repr(x * 100))
    if abs(p - p.to_integral_value()) < Decimal("1e-9"):
        return f"{int(p.to_integral_value())}%"
    for places in range(1, 5):
        shown = p.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown not in (0, 100) or places == 4:
            break
    if shown in (0, 100):
        shown = p.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{shown}".replace(".", ",") + "%"
    text = f"{shown.normalize():f}" if shown != shown.to_integral_value() else f"{int(shown)}"
    return text.replace(".", ",") + "%"


@dataclass
class UnitFiles:
    """One unit's own files (a commune's, a district's own plan, a body's) and what they hold."""
    code: str
    name: str
    level: str
    reporter: str = ""  # the unit that sends its figures to the parent: itself, or the district whose roll-up holds it
    files: dict[str, Path] = field(default_factory=dict)
    indicators: dict[str, float] = field(default_factory=dict)
    report_targets: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # a report's text cells by section code (non-empty)
    plan_targets: dict[str, float] = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    rollout: list[dict] = field(default_factory=list)
    rollout_target: tuple = (None, None)
    prepared: dict[str, date] = field(default_factory=dict)
    saved: dict[str, datetime] = field(default_factory=dict)


@dataclass
class Reporter:
    """A unit expected by the parent: its own files, or a roll-up of its units' (read from their raw files)."""
    code: str
    group: str
    parts: list[UnitFiles] = field(default_factory=list)
    rollup_saved: datetime | None = None  # the roll-up it sent, when it sent one

    @property
    def forms(self) -> set[str]:
        return {f for p in self.parts for f in p.files} if self.rollup_saved is None else {REPORT.id, LOG.id, PLAN.id}

    @property
    def received(self) -> datetime:
        return self.rollup_saved or max(s for p in self.parts for s in p.saved.values())


class Folder:
    """The raw figures of a folder of unit files of one period, consolidated for ``parent``; a district that sent a
    roll-up is read from its own units' raw files (``raw``: a folder per district, as `dvcq sample` keeps them)."""

    def __init__(self, folder: Path, period: str, parent: str, groups: dict[str, str], expected: dict[str, int],
                 routes: dict[str, str], previous: "Folder | None" = None, raw: Path | None = None):
        """``groups``: unit code -> group ('territorial', 'department', 'own', 'abolished'); ``expected``: group ->
        expected units; ``routes``: group -> the route whose deadline its units keep; ``previous``: last year's
        folder, for the figures the report sets beside this year's."""
        self.period, self.parent, self.previous = parse(period), parent, previous
        self.calendar = RawCalendar(parent[:2])
        self.kind, self.year = period.split("-")[1], int(period.split("-")[0])
        self.registry = load(self.period.era)  # who is under whom (a commune's district)
        self.groups, self.expected_n, self.routes = groups, expected, routes
        self.units: dict[tuple[str, str], UnitFiles] = {}  # (reporter, unit code) -> its files
        self.reporters: dict[str, Reporter] = {}
        for path in sorted(Path(folder).glob("*.xlsx")):
            meta = dict((r[0], r[1]) for r in grid(path, "_dvcq") if len(r) > 1)
            code = str(meta.get("unit_code", ""))
            if code not in groups:
                continue
            rep = self.reporters.setdefault(code, Reporter(code, groups[code]))
            if meta.get("form_id") == "tong-hop":
                rep.rollup_saved = datetime.fromisoformat(meta["saved_at"])
                [sub_folder] = Path(raw).glob(f"{code}-*")
                for p in sorted(sub_folder.glob("*.xlsx")):
                    self._read(p, code)
            else:
                self._read(path, code)
        for u in self.units.values():
            rep = self.reporters[u.reporter]
            if u not in rep.parts:
                rep.parts.append(u)
        with open(templates_dir() / "thoi-han.yaml", encoding="utf-8") as f:
            rules = yaml.safe_load(f)
        self.limits, self.reception = rules["limits"], rules["reception_minimum"]
        self.window = self.calendar.window(self.kind, self.year)

    def _read(self, path: Path, reporter: str) -> None:
        meta = dict((r[0], r[1]) for r in grid(path, "_dvcq") if len(r) > 1)
        form = FORMS.get(meta.get("form_id"))
        if form is None:
            return
        main = grid(path, form.main.name)
        code = str(cell(main, form.header_cell("unit_code")))
        u = self.units.setdefault((reporter, code), UnitFiles(code, str(cell(main, form.header_cell("unit_name"))),
                                                              meta.get("unit_level", ""), reporter))
        u.files[form.id] = path
        prepared = cell(main, form.header_cell("prepared_on"))
        if isinstance(prepared, datetime):
            prepared = prepared.date()
        if isinstance(prepared, date):
            u.prepared[form.id] = prepared
        u.saved[form.id] = datetime.fromisoformat(meta["saved_at"])
        if form is REPORT:
            rating = REPORT.sheet("Đánh giá")
            g = grid(path, rating.name)
            for t in rating.texts:
                v = cell(g, rating.text_cell(t.name))
                if v not in (None, "") and str(v).strip():
                    u.texts[t.name] = str(v).strip()
            for ind in REPORT.indicators:
                v = cell(main, REPORT.main.indicator_cell(ind.code))
                if isinstance(v, (int, float)) and ind.kind != "ratio":
                    u.indicators[ind.code] = float(v)
                if ind.target:
                    t = cell(main, REPORT.main.target_cell(ind.code))
                    if isinstance(t, (int, float)):
                        u.report_targets[ind.code] = float(t)
        elif form is LOG:
            u.log = table(path, LOG.main)
        else:
            u.tasks = table(path, PLAN.sheet("Nhiệm vụ"))
            lt = PLAN.sheet("Lộ trình")
            u.rollout = table(path, lt)
            g = grid(path, lt.name)
            year = cell(g, lt.extra_cell("muc_tieu_nam", PLAN.header_first_row, len(PLAN.header)))
            share = cell(g, lt.extra_cell("muc_tieu_ty_le", PLAN.header_first_row, len(PLAN.header)))
            u.rollout_target = (int(year) if isinstance(year, (int, float)) else None,
                                float(share) if isinstance(share, (int, float)) else None)
            titles = {i.title: i for i in REPORT.targetable}
            for row in table(path, PLAN.sheet("Chỉ tiêu")):
                ind = titles.get(row["chi_tieu"])
                if ind and isinstance(row["gia_tri"], (int, float)) and row["nam"] == self.period.year:
                    u.plan_targets.setdefault(ind.code, row["gia_tri"] / (100 if ind.kind == "ratio" else 1))

    # --- the units of a figure -----------------------------------------------------------------------------

    def group_of(self, u: UnitFiles) -> str:
        return self.groups[u.reporter]

    def with_form(self, form_id: str, group: str | None = None) -> list[UnitFiles]:
        """Every unit's own files of a form (the parts of the roll-ups too), of one group's reporters when given."""
        return [u for u in self.units.values() if form_id in u.files and (group is None or self.group_of(u) == group)]

    def reporting(self, form_id: str, group: str | None = None) -> list[Reporter]:
        """The reporters whose figures of a form are in (a roll-up brings every form)."""
        return [r for r in self.reporters.values() if form_id in r.forms and (group is None or r.group == group)]

    def window_of(self, u: UnitFiles) -> tuple[date, date]:
        """The unit's part of a straddling period (a district or a commune), else the whole window."""
        start, end = self.window
        if self.calendar.straddles(self.kind, self.year) and u.level in ("district", "commune"):
            return (start, REFORM - timedelta(days=1)) if self.group_of(u) == "abolished" else (REFORM, end)
        return start, end

    def route_of(self, u: UnitFiles) -> str | None:
        """The route a unit's own files travel up (its deadline is the calendar's day of its figures)."""
        legacy = self.period.era == "legacy" or self.group_of(u) == "abolished"
        return {"commune": "commune->district" if legacy else "commune->province", "district": "district->province",
                "department": "department->province"}.get(u.level)

    def as_of(self, u: UnitFiles, form_id: str) -> date:
        """The day a file's figures run to: its route's deadline inside its window, else the window's end; its
        Ngày lập when earlier; its last dated row when later."""
        start, end = self.window_of(u)
        route = self.route_of(u)
        due = self.calendar.deadline(self.kind, self.year, route) if route else None
        day = due if due is not None and start <= due < end else end
        prepared = u.prepared.get(form_id)
        if prepared is not None and start <= prepared < day:
            day = prepared
        if form_id == LOG.id:
            rows = [r["ngay_tiep"] for r in u.log if isinstance(r["ngay_tiep"], date) and r["ngay_tiep"] <= end]
            if rows and day < max(rows):
                day = max(rows)
        return day

    # --- the measures -----------------------------------------------------------------------------------------

    def measure(self, u: UnitFiles, code: str) -> float:
        form = LOG if code in {m.code for m in LOG.measures} else PLAN
        m = form.measure(code)
        sheet = form.measure_sheet(m)
        rows = u.log if form is LOG else (u.tasks if sheet.name == "Nhiệm vụ" else u.rollout)
        if form is LOG:
            visits: dict = {}
            for r in rows:
                visits[r["ma_vu_viec"]] = visits.get(r["ma_vu_viec"], 0) + 1
            rows = [{**r, "lan_tiep": "Nhiều lần" if visits[r["ma_vu_viec"]] > 1 else "Lần đầu"} for r in rows]

        def meets(r: dict) -> bool:
            for k, v in m.where.items():
                allowed = v if isinstance(v, list) else [v]
                if r.get(k) not in allowed:
                    return False
            return True

        kept = [r for r in rows if meets(r)]
        if m.distinct:
            return float(len({r[m.distinct] for r in kept if r[m.distinct] not in ("", None)}))
        if m.sum:
            return float(sum(r[m.sum] for r in kept if isinstance(r[m.sum], (int, float))))
        return float(len(kept))

    def overdue_cases(self, u: UnitFiles) -> list[tuple[str, str]]:
        """(case reference, 'open' | 'late') of a log's accepted cases past their limit at its day."""
        day = self.as_of(u, LOG.id)
        cases: dict[str, dict] = {}
        for i, r in enumerate(u.log):
            ref = r["ma_vu_viec"] or str(i)
            if r["thu_ly"] == "x" and isinstance(r["ngay_thu_ly"], date):
                c = cases.setdefault(ref, {"start": r["ngay_thu_ly"], "row": r})
                if r["ngay_thu_ly"] < c["start"]:
                    c.update(start=r["ngay_thu_ly"], row=r)
        done: dict[str, date] = {}
        for i, r in enumerate(u.log):
            if isinstance(r["ngay_giai_quyet"], date):
                ref = r["ma_vu_viec"] or str(i)
                done[ref] = max(done.get(ref, r["ngay_giai_quyet"]), r["ngay_giai_quyet"])
        out = []
        for ref, c in cases.items():
            rule = self.limits.get(c["row"]["phan_loai"])
            if rule is None:
                continue
            # a second complaint (column (21) «Lần hai»): its round's own days and levels (Luật Khiếu nại Điều 37)
            rule = (rule.get("rounds") or {}).get(c["row"].get("lan_giai_quyet") or "", rule)
            limit = (rule.get("levels") or {}).get(c["row"]["phuc_tap"] or "", rule["days"])
            end = done.get(ref)
            status = "open" if end is None or end > day else "late"
            if ((day if status == "open" else end) - c["start"]).days > limit:
                out.append((ref, status))
        return out

    def overdue_tasks(self, u: UnitFiles) -> list[dict]:
        day = self.as_of(u, PLAN.id)
        return [t for t in u.tasks if isinstance(t["thoi_han"], date) and t["thoi_han"] < day
                and t["trang_thai"] not in DONE]

    # --- a figure by its key ------------------------------------------------------------------------------------

    def expected(self, key: str):
        head, _, rest = key.partition(".")
        return getattr(self, f"_{head}")(rest)

    def _writer_key(self, u: UnitFiles) -> str:
        """The group a unit's texts are counted in: its group when it reports itself, else its district's code; a
        commune a province of the three-tier era consolidates directly counts in its district's (the registry's)."""
        if u.reporter != u.code:
            return u.reporter
        unit = self.registry.get(u.code) if self.group_of(u) == "territorial" else None
        if unit is not None and unit.parent_code and unit.parent_code != self.parent:
            return unit.parent_code
        return self.group_of(u)

    def _writers(self) -> list[UnitFiles]:
        return [u for u in self.with_form(REPORT.id) if u.code != self.parent]

    def _text(self, rest: str) -> float:
        """'LD.territorial.wrote': units of the group (or district, or 'districts': all districts' units together)
        with a text in the section; '.reported': those
        whose periodic report is in; 'of': every unit whose periodic report is in (as for the requests)."""
        if rest == "of":  # every unit whose report is in: those reporting to the issuer and the districts' communes
            return self._request("of") + self._request("below.of")
        code, key, what = rest.split(".")
        units = [u for u in self._writers() if self._writer_key(u) == key or  # 'districts': every district's units
                 key == "districts" and self._writer_key(u) not in self.expected_n]
        if what == "wrote":
            return float(len([u for u in units if code in u.texts]))
        if key in self.expected_n:
            return float(self._reporting_own(key))
        return float(len(units))

    def _shared(self, rest: str) -> float:
        """'LD.<sentence>': the units with that sentence in the section, two sentences the same under _same."""
        code, sentence = rest.split(".", 1)
        return float(len([u for u in self._writers()
                          if sentence in {_same(s) for s in re.split(r"(?<=[.!?])\s+", u.texts.get(code, ""))}]))

    def _reporting_own(self, group: str) -> int:
        """The group's units whose own periodic report is in (a district's roll-up: when it holds its own)."""
        return len([r for r in self.reporting(REPORT.id, group)
                    if r.rollup_saved is None or any(p.code == r.code and REPORT.id in p.files for p in r.parts)])

    def _request(self, rest: str) -> float:
        """'of': units whose report is in; 'any': units with a request; else the units asking that request; of the
        units reporting to the issuer itself, or ('below.of', 'below.any', 'below.<request>') of the districts'
        communes."""
        def asks(u: UnitFiles) -> list[str]:  # a request's key: its sentence under _same, words joined by -
            return [_same(s).replace(" ", "-") for s in re.split(r"(?<=[.!?])\s+", u.texts.get("KN", "")) if s.strip()
                    and not re.fullmatch(r"khong co( kien nghi| de xuat)*( khac)?", fold(s))]
        # a commune of a district (in its roll-up, or received directly in the three-tier era) asked its district:
        # 'below.*' counts those, the rest the units reporting to the issuer itself
        below, _, tail = rest.partition(".")
        below = below == "below"
        rest = tail if below else rest
        units = self._writers()
        keys = {self._writer_key(u) for u in units} - set(self.expected_n)
        if rest == "of":
            direct = len([u for u in units if u.reporter == u.code and self._writer_key(u) in keys])
            if below:
                return float(sum(len([u for u in units if self._writer_key(u) == k]) for k in keys))
            return float(sum(self._reporting_own(g) for g in self.expected_n if g != "own") - direct)
        units = [u for u in units if (self._writer_key(u) in keys) == below]
        if rest == "any":
            return float(len([u for u in units if asks(u)]))
        return float(len([u for u in units if rest in asks(u)]))

    def _sum(self, code: str, units) -> float | None:
        vals = [u.indicators[code] for u in units if code in u.indicators]
        return float(sum(vals)) if vals else None

    def _indicator(self, code: str, units) -> float | None:
        ind = next(i for i in REPORT.indicators if i.code == code)
        if ind.kind == "ratio":
            num = sum(u.indicators.get(c, 0) for u in units for c in ind.numerator)
            den = sum(u.indicators.get(c, 0) for u in units for c in ind.denominator)
            return num / den if den else None
        if ind.kind == "score":
            vals = [u.indicators[code] for u in units if code in u.indicators]
            return sum(vals) / len(vals) if vals else None
        return self._sum(code, units)

    def _i(self, rest: str):
        code, _, part = rest.partition(".")
        ind = next(i for i in REPORT.indicators if i.code == code)
        if part in ("lo", "hi", "n"):  # a figure that does not add up across units: its range
            vals = [v for u in self.with_form(REPORT.id) if (v := self._indicator(code, [u])) is not None]
            return {"lo": min(vals), "hi": max(vals), "n": float(len(vals))}[part]
        if not ind.additive and part in ("",):  # a catalogue over units: never a total (its range instead)
            return None
        if part in ("num", "den"):
            codes = ind.numerator if part == "num" else ind.denominator
            return float(sum(u.indicators.get(c, 0) for u in self.with_form(REPORT.id) for c in codes))
        return self._indicator(code, self.with_form(REPORT.id, part or None))

    def minimum(self, u: UnitFiles) -> int:
        """The law's least reception days of a unit's head over its own days (templates/thoi-han.yaml: per week or
        month, whole ones only), a declared body's days cut to the days it exists."""
        start, end = self.window_of(u)
        body = load(self.period.era).body(u.code) or load("legacy").body(u.code)
        if body is not None:
            start = max(start, body.start) if body.start else start
            end = min(end, body.end) if body.end else end
        rule = self.reception["levels"][u.level]
        assert self.reception["counting"] == "whole"
        if rule["per"] == "week":
            return rule["days"] * (((end - start).days + 1) // 7)
        months, d = 0, start
        while True:
            y, m = divmod(d.month - 1 + months + 1, 12)
            year, month = d.year + y, m + 1
            last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
            if date(year, month, min(d.day, last)) - timedelta(days=1) > end:
                break
            months += 1
        return rule["days"] * months

    def _rec(self, rest: str):
        level, _, what = rest.partition(".")
        units = [u for u in self.with_form(REPORT.id) if u.level == level and "TD01" in u.indicators]
        mins = [self.minimum(u) for u in units]  # a code may be two units: a legacy commune and a commune of 2025
        return float({"units": len(units), "held": sum(u.indicators["TD01"] for u in units),
                      "required": sum(mins),
                      "reached": sum(1 for u, m in zip(units, mins) if u.indicators["TD01"] >= m),
                      "stated": sum(1 for u, m in zip(units, mins) if u.indicators.get("TD02") != m)}[what])

    def _m(self, rest: str):
        if rest == "nv_qua_han":
            return float(sum(len(self.overdue_tasks(u)) for u in self.with_form(PLAN.id)))
        form = LOG.id if rest in {m.code for m in LOG.measures} else PLAN.id
        return float(sum(self.measure(u, rest) for u in self.with_form(form)))

    def _own(self, rest: str):
        [u] = [x for x in self.with_form(PLAN.id, "own") if x.code == self.parent]
        return float(len(self.overdue_tasks(u))) if rest == "nv_qua_han" else self.measure(u, rest)

    def _kh(self, rest: str):
        """The issuer's own plan's tasks (dvcq.documents.ownplan): 'due' dated in the window, 'due_done' of them
        done, 'done' done in the window, 'next' not done and dated in the next period's window, 'overdue' dated
        before the plan's day and neither done nor paused ('next_more', 'overdue_more': beyond the five named)."""
        [u] = [x for x in self.with_form(PLAN.id, "own") if x.code == self.parent]
        start, end = self.window
        day = self.as_of(u, PLAN.id)
        first, last = self.calendar.window(*self.calendar.following(self.kind, self.year))
        dated = [t for t in u.tasks if isinstance(t["thoi_han"], date)]
        done_day = lambda t: t["ngay_hoan_thanh"] if isinstance(t["ngay_hoan_thanh"], date) else None  # noqa: E731
        sets = {
            "due": [t for t in dated if start <= t["thoi_han"] <= end],
            "due_done": [t for t in dated if start <= t["thoi_han"] <= end and t["trang_thai"] == "Đã hoàn thành"],
            "done": [t for t in u.tasks if t["trang_thai"] == "Đã hoàn thành" and done_day(t)
                     and start <= done_day(t) <= end],
            "next": [t for t in dated if first <= t["thoi_han"] <= last and t["trang_thai"] not in DONE],
            "overdue": [t for t in dated if t["thoi_han"] < day and t["trang_thai"] not in DONE],
        }
        if rest.endswith("_more"):
            return float(max(0, len(sets[rest[:-len("_more")]]) - 5))
        return float(len(sets[rest]))

    def _total(self, code: str):
        """An indicator or a measure over every unit."""
        return self._i(code) if any(i.code == code for i in REPORT.indicators) else self._m(code)

    def _prev(self, rest: str):
        if self.previous is None:
            raise KeyError(f"prev.{rest}: no folder of last year given")
        return self.previous._total(rest)

    def _prevtarget(self, rest: str):
        if self.previous is None:
            raise KeyError(f"prevtarget.{rest}: no folder of last year given")
        return self.previous._target(rest)

    def _change(self, rest: str):
        return self._total(rest) - self._prev(rest)

    def _cover(self, rest: str):
        """'bao-cao-dinh-ky.territorial': the group's reporters whose figures of the form are in; '.inner': the units
        behind them, each unit's own file of the form in a roll-up counted (a count of units is over those)."""
        form, _, group = rest.partition(".")
        group, _, inner = group.partition(".")
        if inner:
            return float(sum(len([p for p in r.parts if form in p.files]) if r.rollup_saved else 1
                             for r in self.reporting(form, group)))
        return float(len(self.reporting(form, group)))

    def _expected(self, rest: str):
        """'ke-hoach.territorial': the group's units that must send the form; of a form the group need not send
        (MUST_SEND), only those that sent it."""
        form, _, group = rest.partition(".")
        if group in MUST_SEND and form not in MUST_SEND[group]:
            return float(len(self.reporting(form, group)))
        return float(self.expected_n[group])

    def _ledger(self, rest: str):
        what, _, group = rest.partition(".")
        units = [r for r in self.reporters.values() if r.group != "own"]
        if what == "expected":
            return float(self.expected_n[group] if group else sum(n for g, n in self.expected_n.items() if g != "own"))
        if what == "submitted":
            return float(len([r for r in units if not group or r.group == group]))
        late = [r for r in units if self._late(r)]
        return float(len(late) if what == "late" else len(units) - len(late))

    def _late(self, r: Reporter) -> bool:
        due = self.calendar.deadline(self.kind, self.year, self.routes[r.group])
        return r.received.date() > due

    def _parts(self, rest: str):
        era, _, what = rest.partition(".")
        group = "abolished" if era == "legacy" else "territorial"
        return float(self.expected_n[group] if what == "expected" else
                     len([r for r in self.reporters.values() if r.group == group]))

    def _open(self, r: Reporter) -> int:
        return sum(1 for u in r.parts if LOG.id in u.files for _, s in self.overdue_cases(u) if s == "open")

    def _qh(self, rest: str):
        what, _, tail = rest.partition(".")
        part = "abolished" if tail == "abolished" else None
        logs = [u for u in self.with_form(LOG.id) if (self.group_of(u) == "abolished") == (part == "abolished")]
        if what in ("open", "late") and tail and tail != "abolished":  # one reporter's open cases
            return float(self._open(self.reporters[tail]))
        reps = [r for r in self.reporting(LOG.id) if (r.group == "abolished") == (part == "abolished")]
        counts = sorted((self._open(r) for r in reps), reverse=True)
        counts = [n for n in counts if n]
        if what == "open":
            return float(sum(counts))
        if what == "late":
            return float(sum(1 for u in logs for _, s in self.overdue_cases(u) if s == "late"))
        rest_ = counts[10:]  # the report names ten units
        return float(len(rest_) if what == "others" else sum(rest_))

    def _rank(self, rest: str):
        code, group, which, *tied = rest.split(".")
        rated = [v for r in self.reporting(REPORT.id, group)
                 if (v := self._indicator(code, [u for u in r.parts if REPORT.id in u.files])) is not None]
        if which == "rated":
            return float(len(rated))
        at = max(rated) if which == "best" else min(rated)
        if tied:
            return float(sum(1 for v in rated if pct(v) == pct(at)))
        return at

    def _bodies(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for u in self.with_form(PLAN.id):
            short = u.name.split(" ", 1)[1] if " " in u.name else u.name
            for kind in ("Thị trấn", "Thành phố", "Thị xã"):
                if u.name.startswith(kind + " "):
                    short = u.name[len(kind) + 1:]
            late = {id(t) for t in self.overdue_tasks(u)}
            seen = set()
            for t in u.tasks:
                name = str(t["chu_tri"] or "")
                words, tail = name.split(), fold(short).split()
                if tail and len(words) > len(tail) and [fold(w) for w in words[-len(tail):]] == tail:
                    name = " ".join(words[:-len(tail)]).rstrip(" -–,")
                key = fold(name)
                b = out.setdefault(key, {"name": name, "units": 0, "tasks": 0, "overdue": 0, "recurring": 0,
                                         "active": 0})
                if key not in seen:
                    b["units"] += 1
                    seen.add(key)
                b["tasks"] += 1
                b["overdue"] += id(t) in late
        return out

    def _pg(self, rest: str):
        if rest in ("recurring", "recurring_active"):
            terms = {fold(t) for t in RECURRING_TERMS}
            tasks = [t for u in self.with_form(PLAN.id) for t in u.tasks
                     if isinstance(t["thoi_han"], str) and fold(t["thoi_han"]) in terms]
            return float(len(tasks) if rest == "recurring" else
                         sum(1 for t in tasks if t["trang_thai"] == "Đang triển khai"))
        if rest == "more":
            return float(max(0, sum(1 for b in self._bodies().values() if b["overdue"]) - 5))
        name, _, what = rest.rpartition(".")
        b = self._bodies()[fold("" if name == "-" else name)]
        return float(b[what])

    def _rollout(self, rest: str):
        plans = self.with_form(PLAN.id)
        # each listed unit once (its code, else its name), whichever plans list it: its own plan's rows when it
        # has some, else the first plan's; launched when one of those rows says "Đã ra mắt"
        # a code of the three-tier registry (a plan of the abolished districts' part) and the same code of 2025 are
        # two units (16228: Thị trấn Bến Sung, then Xã Như Thanh)
        rows: dict[tuple[str, str], dict[str, list[dict]]] = {}
        for u in plans:
            era = "legacy" if self.period.era == "legacy" or self.group_of(u) == "abolished" else "2025"
            for r in u.rollout:
                key = str(r["ma_don_vi"] or "").strip() or "~" + fold(str(r["don_vi"]))
                rows.setdefault((era, key), {}).setdefault(u.code, []).append(r)
        launched = sum(1 for (_, key), by_plan in rows.items()
                       if any(r["trang_thai"] == "Đã ra mắt" for r in by_plan.get(key, next(iter(by_plan.values())))))
        planned = len(rows)
        targets = {u.rollout_target for u in plans}  # every plan counts, one without a target under (None, None)
        target = next(iter(targets))[1] if len(targets) == 1 and (None, None) not in targets else None
        return {"launched": float(launched), "planned": float(planned), "share": launched / planned,
                "target": target / 100 if target is not None else None,
                "attainment": launched / planned / (target / 100) if target else None}[rest]

    def _target(self, rest: str):
        """'TD01.value'; a figure bound to a level by law, group by group: 'TD01.department.value'."""
        code, _, what = rest.partition(".")
        group, _, what = what.rpartition(".")
        ind = next(i for i in REPORT.indicators if i.code == code)
        rows = []
        for u in (u for u in self.units.values() if not group or self.group_of(u) == group):
            t = u.plan_targets.get(code, u.report_targets.get(code))
            has = REPORT.id in u.files and self._indicator(code, [u]) is not None
            rows.append((self._indicator(code, [u]) if has else None, t))
        figures = [v for v, _ in rows if v is not None]
        reported = [(v, t) for v, t in rows if v is not None and t is not None]
        reached = sum(1 for v, t in reported if v >= t - 1e-9)
        value = self._indicator(code, self.with_form(REPORT.id, group or None)) if ind.additive else None
        part_v, part_t = sum(v for v, _ in reported), sum(t for _, t in reported)
        out = {"value": value, "figures": float(len(figures)), "units": float(sum(1 for _, t in rows if t is not None)),
               "reported": float(len(reported)), "reached": float(reached),
               "unreported": float(sum(1 for v, t in rows if t is not None and v is None))}
        if ind.kind == "count" and len(reported) == len(figures) and reported:
            out.update(target=part_t, percent=value / part_t if part_t else None)
        elif ind.kind == "count" and reported:
            out.update(part_value=part_v, part_target=part_t, part_percent=part_v / part_t if part_t else None)
        elif {t for _, t in reported} and len({t for _, t in reported}) == 1 and len(reported) == len(figures):
            t = reported[0][1]
            out.update(target=t, percent=value / t if t and value is not None else None)
        return out[what]
