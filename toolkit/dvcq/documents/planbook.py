"""The plan workbook (templates/forms/ke-hoach.yaml) and the plan document (dvcq.forms.plandoc), both ways.

``import_plan`` writes an existing kế hoạch (read by dvcq.documents.planimport) into a prefilled plan workbook
(`dvcq plan --import`): each part of the document into its sheet, each task into the content area of
the seeds it belongs to (``classify``), and whatever the workbook has no place for onto the sheet
"Chưa xếp được", with its line, so nothing is lost. ``read_workbook`` reads a plan workbook (validated
first; an old layout through dvcq.forms.legacy) back into a ``PlanDocument`` for dvcq.documents.planwriter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from dvcq import fmt
from dvcq.calendar.periods import ERAS, REFORM_DATE, Period, parse
from dvcq.errors import UserError
from dvcq.forms.build import Content, build_form
from dvcq.forms.plandoc import (
    Deadline,
    Funding,
    Header,
    LegalBasis,
    PlanDocument,
    PlanTarget,
    Responsibility,
    RolloutEntry,
    Task,
    TaskGroup,
    Unplaced,
    parse_deadline,
)
from dvcq.forms.spec import PLAN, REPORT, load_form
from dvcq.intake.validate import validate_file
from dvcq.text import fold, nfc
from dvcq.units.registry import Registry, Unit, era_of, for_period, load

from .planimport import read_plan
from .planimport.header import running_issuer
from .planimport.targets import find_targets

HEAD, TEXTS, TASKS, ROLLOUT, FUNDING, BODIES, TARGETS, UNPLACED = (
    "Kế hoạch", "Mục đích, yêu cầu", "Nhiệm vụ", "Lộ trình", "Kinh phí", "Tổ chức thực hiện", "Chỉ tiêu",
    "Chưa xếp được")
LEVEL_CHOICE = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
VERB_CHOICE = {"giao": "Giao", "đề nghị": "Đề nghị"}
OPENING, PURPOSE, REQUIREMENT, CLOSING = "Mở đầu", "Mục đích", "Yêu cầu", "Đoạn kết"
NOT_STARTED, PLANNED = "Chưa triển khai", "Kế hoạch"
OTHER = "Khác"
# a task's deadline as the plan wrote it, when it says more than the cell "Thời hạn" holds ("Tháng 6/2025 và tháng
# 12/2025"): kept in the task's note, and read back as the deadline's words while it means what the cell says
DEADLINE_WORDS = "Thời hạn theo văn bản: "

# What each task group of the workbook is about, by the words a plan writes (compared folded). A task
# goes to the group whose words come first in it; a group title that names one decides for its tasks.
_GROUP_WORDS = {
    "Lãnh đạo, chỉ đạo": ("lãnh đạo, chỉ đạo", "lãnh đạo chỉ đạo", "sự lãnh đạo", "công tác lãnh đạo",
                          "ban hành kế hoạch", "xây dựng kế hoạch", "cụ thể hóa"),
    "Tuyên truyền, quán triệt": ("tuyên truyền", "quán triệt", "phổ biến", "học tập các chỉ thị", "truyền thông"),
    "Cải cách hành chính": ("cải cách hành chính", "cchc", "thủ tục hành chính", "tthc", "một cửa", "dịch vụ công",
                            "chuyển đổi số", "quản lý nhà nước"),
    "Đạo đức công vụ, văn hóa công sở": ("đạo đức công vụ", "văn hóa công sở", "văn hóa công vụ", "kỷ luật, kỷ cương",
                                         "kỷ luật kỷ cương", "thái độ phục vụ", "lề lối làm việc", "tác phong"),
    "Tiếp công dân, giải quyết khiếu nại, tố cáo": ("tiếp công dân", "tiếp dân", "khiếu nại", "tố cáo", "đơn thư",
                                                    "đối thoại"),
    "Hòa giải ở cơ sở": ("hòa giải",),
    "Thực hiện dân chủ ở cơ sở": ("dân chủ ở cơ sở", "dân chủ cơ sở", "quy chế dân chủ", "hương ước", "quy ước",
                                  "thanh tra nhân dân", "giám sát đầu tư của cộng đồng", "dân biết"),
    "Phối hợp với Mặt trận Tổ quốc, các đoàn thể": ("mặt trận", "mttq", "đoàn thể", "chính trị - xã hội",
                                                    "khối dân vận", "ban dân vận", "phản biện xã hội"),
    "Đào tạo, bồi dưỡng, tập huấn": ("đào tạo", "bồi dưỡng", "tập huấn"),
    "Dân vận khéo": ("dân vận khéo",),
    "Chính quyền thân thiện, vì Nhân dân phục vụ": ("chính quyền thân thiện",),
    "Kiểm tra, sơ kết, tổng kết": ("kiểm tra", "sơ kết", "tổng kết", "thi đua", "khen thưởng", "đôn đốc"),
}
_FOLDED = {group: tuple(re.compile(rf"\b{re.escape(fold(w))}\b") for w in words)
           for group, words in _GROUP_WORDS.items()}


def groups() -> list[str]:
    """The task groups of the plan workbook, in their order (the dropdown of "Nhóm nhiệm vụ")."""
    return list(load_form(PLAN).sheet(TASKS).field("nhom").enum)


def _first_group(text: str) -> tuple[int, str] | None:
    f = fold(text)
    hits = [(m.start(), i, g) for i, (g, patterns) in enumerate(_FOLDED.items()) for p in patterns
            for m in [p.search(f)] if m]
    if not hits:
        return None
    start, _, group = min(hits)
    return start, group


def classify(content: str, title: str = "") -> str:
    """The workbook group of a task: the one its group title names, else the one its content names
    first ("Phối hợp với Ban Dân vận, Mặt trận ..." is Front coordination), else "Khác"."""
    for text in (title, content):
        found = _first_group(text) if text else None
        if found:
            return found[1]
    return OTHER


# --- a plan document into a workbook ------------------------------------------------------------

@dataclass
class Imported:
    """What `dvcq plan --import` wrote: the workbook, the plan as read, its unit and period, and notes
    for the user (Vietnamese)."""
    path: Path
    document: PlanDocument
    unit: Unit | None
    period: Period
    tasks: int
    bodies: int
    unplaced: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """`dvcq plan --import --json` (docs/json.md)."""
        return {"out_path": str(self.path), "unit": {"code": self.unit.code, "name": self.unit.name} if self.unit
                else None, "period": self.period.code, "tasks": self.tasks, "bodies": self.bodies,
                "unplaced": self.unplaced, "notes": list(self.notes)}


# a period named in a plan's title, most specific first (compared folded); a plan for several years is
# kept in its first year's workbook
_TITLE_PERIODS = (
    (re.compile(r"\b(?:6|sau) thang dau nam (\d{4})\b"), "H1"),
    (re.compile(r"\b(?:6|sau) thang cuoi nam (\d{4})\b"), "H2"),
    (re.compile(r"\b9 thang (?:dau )?nam (\d{4})\b"), "9M"),
    (re.compile(r"\bquy (iv|iii|ii|i|[1-4]) (?:nam )?(\d{4})\b"), "Q"),
    (re.compile(r"\b(?:giai doan|tu nam) (\d{4})\b"), "Y"),
)
_TITLE_YEAR = re.compile(r"\bnam (\d{4})\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTH = re.compile(r"tháng\s*(\d{1,2})\s*năm\s*(\d{4})")


def plan_period(doc: PlanDocument) -> Period | None:
    """The period a plan is for: the one its title names ("6 tháng cuối năm 2024" is 2024-H2, "năm 2025"
    2025-Y, "giai đoạn 2026 - 2027" 2026-Y), else the year of its date (or of its date line when the day is
    left blank); None when the plan says neither (never the computer's clock)."""
    f = fold(doc.header.title)
    for pattern, kind in _TITLE_PERIODS:
        m = pattern.search(f)
        if m and kind == "Q":
            q = m.group(1)
            return Period(int(m.group(2)), f"Q{_QUARTERS.get(q) or int(q)}")
        if m:
            return Period(int(m.group(1)), kind)
    years = _TITLE_YEAR.findall(f)
    if years:
        return Period(int(years[-1]), "Y")
    if doc.header.date:
        return Period(doc.header.date.year, "Y")
    if doc.header.year:
        return Period(doc.header.year, "Y")
    return None


def plan_era(doc: PlanDocument) -> str | None:
    """The registry era a plan was written in, by its date (a plan of 16/01/2025 was issued in the three-tier
    structure, whatever year it plans for); by the month and year of a date line whose day is blank; by a
    year other than 2025; None when the plan does not tell."""
    h = doc.header
    if h.date:
        return "legacy" if h.date < REFORM_DATE else "2025"
    m = _MONTH.search(h.date_text or "")
    if m:
        return "legacy" if (int(m.group(2)), int(m.group(1))) < (REFORM_DATE.year, REFORM_DATE.month) else "2025"
    if h.year and h.year != REFORM_DATE.year:
        return "legacy" if h.year < REFORM_DATE.year else "2025"
    return None


_UBND = re.compile(r"^(?:Ủy ban nhân dân|UBND)\s+", re.IGNORECASE)


def _context(doc: PlanDocument) -> str:
    """The plan's words that may name the units above its issuer (folded): header, bases, opening, closing,
    recipients."""
    texts = [doc.header.issuer, *doc.header.governing, *(b.issuer for b in doc.bases), *doc.opening, *doc.closing,
             *doc.recipients]
    return " " + " ".join(fold(t) for t in texts if t) + " "


def issuer_unit(doc: PlanDocument, reg: Registry) -> Unit | None:
    """The unit whose People's Committee issued the plan (or whose body did: "Ban Chỉ đạo ... xã Tân Phong" under
    "UBND XÃ TÂN PHONG"): by the issuer's name, else the nearest governing People's Committee of the header; a
    name several units bear is told apart by the units above it that the plan names ("UBND HUYỆN VŨ THƯ",
    "... của UBND huyện Ngọc Lặc")."""
    names = [doc.header.issuer] + [running_issuer(g) for g in reversed(doc.header.governing)]
    context = _context(doc)
    for name in names:
        if not _UBND.match(nfc(name)):
            continue
        place = _UBND.sub("", nfc(name)).strip()
        level = None if name != doc.header.issuer else doc.header.level
        found = reg.matches(place, level=level) if level else reg.matches(place)
        if len(found) > 1:
            named = [u for u in found if _above_named(u, reg, context)]
            found = named if named else found
        if len(found) == 1:
            return found[0]
    return None


def _above_named(unit: Unit, reg: Registry, context: str) -> bool:
    parent = reg.parent(unit)
    while parent is not None and parent.level != "country":
        if f" {fold(parent.name)} " in context:
            return True
        parent = reg.parent(parent)
    return False


def _signer(doc: PlanDocument) -> str:
    """The signer with the signature mode decree.signature reads ("KT. Lâm Hải Giang")."""
    if not doc.signer:
        return ""
    deputy = any(line.upper().startswith("KT.") for line in doc.signature)
    return f"KT. {doc.signer}" if deputy else doc.signer


def _rollout_unit(name: str, reg: Registry, parent: Unit | None) -> Unit | None:
    within = parent.code if parent is not None else None
    found = reg.find(name, parent=within) if within else reg.find(name)
    return found.unit if found else None


def plan_content(doc: PlanDocument, unit: Unit | None, period: Period, reg: Registry) -> tuple[Content, list[str]]:
    """The rows of a plan workbook holding ``doc``, and notes on what needs the user's eye."""
    notes: list[str] = []
    h = doc.header
    head = {"co_quan_ban_hanh": h.issuer, "cap_ban_hanh": LEVEL_CHOICE.get(h.level or (unit.level if unit else "")),
            "so_ky_hieu": h.number, "ngay_ban_hanh": h.date, "dia_danh": h.place, "ten_ke_hoach": h.title,
            "nguoi_ky": _signer(doc)}
    bases = [{"stt": i, "loai": b.kind, "so_hieu": b.number, "ngay": b.date, "co_quan": b.issuer, "trich_yeu": b.title}
             for i, b in enumerate(doc.bases, 1)]
    texts = [{"phan": OPENING, "noi_dung": p} for p in doc.opening if not _cites(p, doc.bases)]
    texts += [{"phan": PURPOSE, "noi_dung": p} for p in doc.purposes]
    texts += [{"phan": REQUIREMENT, "noi_dung": p} for p in doc.requirements]
    texts += [{"phan": CLOSING, "noi_dung": p} for p in doc.closing]
    unplaced = [{"dong": u.line, "noi_dung": u.text, "ly_do": u.reason} for u in doc.unplaced]
    tasks, counters = [], {}
    for g in doc.groups:
        for p in g.intro:
            unplaced.append({"dong": g.line, "noi_dung": p, "ly_do": f"lời dẫn của nhóm nhiệm vụ «{g.title}»"})
        for t in g.tasks:
            group = classify(t.content, g.title)
            counters[group] = counters.get(group, 0) + 1
            row = {"nhom": group, "stt": counters[group], "noi_dung": t.content, "chu_tri": t.lead,
                   "phoi_hop": "; ".join(t.coordinating), "san_pham": t.output, "trang_thai": NOT_STARTED}
            d = t.deadline
            if d is not None and d.dated:
                row["thoi_han"] = d.due
            elif d is not None and d.term:
                row["thoi_han"] = d.label
            if d is not None and d.text and (not (d.dated or d.term) or _says_more(d)):
                row["ghi_chu"] = f"{DEADLINE_WORDS}{d.text}"
            tasks.append(row)
    order = groups()
    tasks.sort(key=lambda r: order.index(r["nhom"]))  # stable: the document's order within a group
    road, extra = [], {}
    for e in doc.rollout:
        for k, name in enumerate(e.units):
            u = _rollout_unit(name, reg, unit)
            if u is None:
                notes.append(f"Lộ trình năm {e.year}: chưa tìm thấy «{name}» trong danh mục đơn vị hành chính; "
                             "hãy ghi mã đơn vị.")
            row = {"nam": e.year, "don_vi": u.name if u else name, "trang_thai": PLANNED,
                   "ma_don_vi": u.code if u is not None and re.fullmatch(r"\d{5}", u.code) else None}
            if k == 0 and e.text:
                row["ghi_chu"] = e.text[:500]
            road.append(row)
        if not e.units and e.text:
            unplaced.append({"dong": e.line, "noi_dung": e.text, "ly_do": "lộ trình không nêu tên đơn vị"})
        if e.target_percent is not None and "muc_tieu_nam" not in extra:
            extra = {"muc_tieu_nam": e.year, "muc_tieu_ty_le": e.target_percent, "muc_tieu": e.target_text[:1000]}
    funding = []
    if doc.funding is not None:
        amount = _amount(doc.funding.amount)
        for i, p in enumerate(doc.funding.paragraphs):
            funding.append({"nguon": _cap("; ".join(doc.funding.sources)) if i == 0 else None,
                            "so_tien": amount if i == 0 else None, "noi_dung": p})
    bodies = []
    for r in doc.responsibilities:
        verb = VERB_CHOICE[r.verb]
        for p in r.paragraphs or ("",):
            bodies.append({"co_quan": r.body, "hinh_thuc": verb, "noi_dung": p or None})
    targets, target_notes = target_rows(doc, period)
    notes += target_notes
    header = {"period": period}
    if unit is not None:
        header.update(unit_code=unit.code, unit_name=unit.name)
    else:
        form = load_form(PLAN)
        why = (f"«{doc.header.issuer}» không chỉ đúng một đơn vị của danh mục" if doc.header.issuer else
               "văn bản không nêu cơ quan ban hành")
        notes.append(f"Chưa xác định được đơn vị ban hành trong danh mục đơn vị hành chính ({why}): hãy ghi mã đơn vị "
                     "ở ô "
                     f"{HEAD}!{form.header_cell('unit_code')} và tên ở ô {HEAD}!{form.header_cell('unit_name')} "
                     "(hoặc chạy lại với --unit MÃ); «dvcq plan» chưa viết được văn bản khi chưa có mã đơn vị.")
    if not tasks:
        notes.append("Không tìm thấy nhiệm vụ nào trong văn bản: hãy ghi các nhiệm vụ ở trang «Nhiệm vụ».")
    rows = {HEAD: bases, TEXTS: texts, TASKS: tasks, ROLLOUT: road, FUNDING: funding, BODIES: bodies, TARGETS: targets}
    if unplaced:
        rows[UNPLACED] = unplaced
        notes.append(f"Có {len(unplaced)} đoạn chưa xếp được vào biểu: xem trang «{UNPLACED}».")
    extra_rows = {HEAD: {k: v for k, v in head.items() if v not in (None, "")}}
    if extra:
        extra_rows[ROLLOUT] = {k: v for k, v in extra.items() if v not in (None, "")}
    era = unit.era if unit is not None and period.straddles else ""
    return Content(header=header, unit_level=unit.level if unit else "", era=era, rows=rows, extra=extra_rows), notes


def target_rows(doc: PlanDocument, period: Period) -> tuple[list[dict], list[str]]:
    """The rows of the sheet "Chỉ tiêu" for the targets the plan's text sets (dvcq.documents.planimport.targets):
    the indicator's title (the dropdown's value), the value as written (a rate in percent), the year it names or
    the plan's, the plan's words; and a note saying how many were found."""
    by_code = {i.code: i for i in load_form(REPORT).targetable}
    rows, seen = [], set()
    for t in find_targets(doc):
        ind = by_code.get(t.code)
        if ind is None or (t.code, t.year or period.year) in seen:
            continue
        seen.add((t.code, t.year or period.year))
        rows.append({"chi_tieu": ind.title, "gia_tri": t.value, "nam": t.year or period.year,
                     "noi_dung": t.text[:1000]})
    notes = [f"Đã ghi {len(rows)} chỉ tiêu tìm thấy trong văn bản vào trang «{TARGETS}»: hãy đối chiếu với văn bản."] \
        if rows else []
    return rows, notes


_DUE_WORDS = re.compile(r"^(?:hoàn thành\s+)?(?:trước|trong|chậm nhất|đến)?\s*(?:ngày\s+)?", re.IGNORECASE)


def _says_more(d: Deadline) -> bool:
    """Whether a deadline as written says more than its cell will ("Từ 01/4/2024 đến 30/9/2024", "Tháng 6/2025 và
    tháng 12/2025"): then the words are kept beside it, in the task's note."""
    def key(s: str) -> str:
        return re.sub(r"\b0(\d)\b", r"\1", fold(s))

    said = key(_DUE_WORDS.sub("", d.text.strip().rstrip(".")))
    if d.dated:
        return said not in {key(f"{d.due.day}/{d.due.month}/{d.due.year}"),
                            key(f"{d.due.day} tháng {d.due.month} năm {d.due.year}")}
    return said not in key(d.label)


def _cites(paragraph: str, bases: tuple[LegalBasis, ...]) -> bool:
    """Whether an opening paragraph is the citation of the legal bases (the document writes it again)."""
    return bool(bases) and any(b.text and b.text in paragraph for b in bases)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _amount(text: str) -> float | None:
    """50.000.000 đồng -> 50000000; '1,5 tỷ đồng' -> 1500000000; None when not a number of đồng."""
    m = re.match(r"(\d[\d.,]*)\s*(triệu|tỷ|nghìn|ngàn)?\s*đồng", text or "")
    if not m:
        return None
    digits, scale = m.group(1), {"triệu": 1e6, "tỷ": 1e9, "nghìn": 1e3, "ngàn": 1e3}.get(m.group(2), 1)
    if scale == 1:
        return float(digits.replace(".", "").replace(",", "")) or None
    return float(digits.replace(".", "").replace(",", ".")) * scale


def import_plan(source: Path, out: Path | None = None, unit: str | None = None,
                period: str | None = None) -> Imported:
    """`dvcq plan --import`: an existing kế hoạch (.docx, .pdf with a text layer, or .txt) as a prefilled plan
    workbook.

    The period is the one the plan's title names, else its year (``plan_period``), unless ``period`` is given;
    a plan that tells neither is a UserError asking for it. The issuer's unit is looked up in the registry of
    the era the plan was written in (``plan_era``: a plan of January 2025 in the three-tier one, even for the
    year 2025), or given as ``unit`` (a code). ``out`` defaults to the source's name in .xlsx.
    """
    source = Path(source)
    doc = read_plan(source)
    p = parse(period) if period else plan_period(doc)
    if p is None:
        raise UserError(f"Không xác định được kỳ của kế hoạch «{source.name}»: tên kế hoạch không nêu năm và văn bản "
                        "không ghi ngày ban hành; hãy chạy lại với --period, ví dụ --period 2025-Y.")
    written = plan_era(doc)
    eras = [written] if written else [p.era] + [e for e in ERAS if e != p.era]
    issuer = None
    if unit:
        reg = for_period(p, era_of(p, unit, hint=written) if p.straddles else None)
        issuer = reg.require(unit)
    else:
        for era in eras:
            issuer = issuer_unit(doc, load(era))
            if issuer is not None:
                break
        reg = load(issuer.era) if issuer is not None else for_period(p)
    content, notes = plan_content(doc, issuer, p, reg)
    if issuer is not None and issuer.era != p.era and not p.straddles:
        notes.append(f"Đơn vị ban hành {issuer.code} {issuer.name} thuộc danh mục đơn vị hành chính "
                     f"{'trước' if issuer.era == 'legacy' else 'từ'} 01/7/2025, khác danh mục của kỳ {p.label}; "
                     "hãy kiểm tra kỳ và mã đơn vị ở trang «Kế hoạch».")
    out = Path(out) if out else source.with_suffix(".xlsx")
    if out.resolve() == source.resolve():
        raise UserError(f"Tệp ghi ra «{out}» trùng tệp văn bản; hãy chọn tên khác (--out).")
    build_form(load_form(PLAN), out, content)
    return Imported(out, doc, issuer, p, len(content.rows[TASKS]), len({r["co_quan"] for r in content.rows[BODIES]}),
                    len(content.rows.get(UNPLACED, [])), notes)


# --- a workbook into a plan document ------------------------------------------------------------

@dataclass
class PlanBook:
    """A plan workbook read back: the plan it holds, its unit (None when not in the registry) and period,
    and the validation result (warnings included)."""
    document: PlanDocument
    unit: Unit | None
    period: Period
    result: object
    legacy: bool = False


def read_workbook(path: Path) -> PlanBook:
    """The plan a workbook holds, after validating it: a file that is not a readable plan workbook, or
    one with errors, is a UserError naming the first problem (exit status 2)."""
    path = Path(path)
    r = validate_file(path, keep=True)
    if r.status == "unreadable":
        first = r.issues[0] if r.issues else None
        raise UserError(first.message if first else f"Không đọc được tệp «{path.name}».")
    if r.form_id != PLAN:
        raise UserError(f"«{path.name}» không phải biểu kế hoạch của dvcq (ke-hoach.xlsx); hãy đưa biểu kế hoạch, "
                        "hoặc dùng --import để lập biểu từ một văn bản kế hoạch.")
    if r.errors or r.summary is None:
        first = r.errors[0] if r.errors else None
        where = f" ({first.location}: {first.message})" if first else ""
        raise UserError(f"Biểu kế hoạch «{path.name}» còn lỗi, hãy sửa trước khi xuất văn bản{where}.")
    ctx = r._ctx
    period = parse(r.period)
    unit = for_period(period, r.era or None).get(r.unit_code) if r.unit_code else None
    rows = {name: t.rows for name, t in ctx.sub.tables.items()}
    doc = document(ctx.clean, ctx.extra, rows, unit, period)
    return PlanBook(doc, unit, period, r, legacy=r.spec_version != load_form(PLAN).version)


def _col(cols: dict, name: str, n: int) -> list:
    return cols.get(name) or [None] * n


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def default_title(period: Period) -> str:
    return f"Thực hiện công tác dân vận chính quyền năm {period.year}"


def document(clean: dict, extra: dict, rows: dict, unit: Unit | None, period: Period) -> PlanDocument:
    """A PlanDocument from the cleaned columns of a plan workbook ({sheet: {field: values}}), the cleaned
    cells above its tables ({sheet: {field: value}}) and each table's sheet rows."""
    def table(name):
        cols = clean.get(name) or {}
        n = len(rows.get(name, []))
        return cols, n, rows.get(name, [])

    head = extra.get(HEAD, {})
    issuer = _text(head.get("co_quan_ban_hanh")) or (f"Ủy ban nhân dân {unit.running_name}" if unit else "")
    level = {v: k for k, v in LEVEL_CHOICE.items()}.get(head.get("cap_ban_hanh")) or (unit.level if unit else None)
    signed = head.get("ngay_ban_hanh")
    header = Header(issuer=issuer, level=level, number=_text(head.get("so_ky_hieu")), date=signed,
                    place=_text(head.get("dia_danh")) or (unit.place if unit else ""),
                    year=signed.year if signed else period.year,
                    title=_text(head.get("ten_ke_hoach")) or default_title(period))

    cols, n, lines = table(HEAD)
    bases = tuple(LegalBasis(kind=k, number=_text(no), date=d, issuer=_text(who), title=_text(about), line=ln)
                  for k, no, d, who, about, ln in zip(_col(cols, "loai", n), _col(cols, "so_hieu", n),
                                                       _col(cols, "ngay", n), _col(cols, "co_quan", n),
                                                       _col(cols, "trich_yeu", n), lines) if k)

    cols, n, _ = table(TEXTS)
    parts: dict[str, list[str]] = {}
    for part, text in zip(_col(cols, "phan", n), _col(cols, "noi_dung", n)):
        if part and _text(text):
            parts.setdefault(part, []).append(_text(text))

    cols, n, lines = table(TASKS)
    by_group: dict[str, list] = {}
    for i in range(n):
        group, content = _col(cols, "nhom", n)[i], _text(_col(cols, "noi_dung", n)[i])
        if group and content:
            by_group.setdefault(group, []).append(i)
    task_groups = []
    for number, group in enumerate([g for g in groups() if g in by_group], 1):
        tasks = []
        for k, i in enumerate(by_group[group], 1):
            stt = _col(cols, "stt", n)[i]
            due = _col(cols, "thoi_han", n)[i]
            deadline = (Deadline(due.strftime("%d/%m/%Y"), due=due) if isinstance(due, date) else
                        parse_deadline(due) if due else None)
            deadline = _as_written(deadline, _text(_col(cols, "ghi_chu", n)[i]))
            coordinating = tuple(p.strip() for p in re.split(r";", _text(_col(cols, "phoi_hop", n)[i])) if p.strip())
            tasks.append(Task(str(number), group, str(stt or k), _text(_col(cols, "noi_dung", n)[i]),
                              _text(_col(cols, "chu_tri", n)[i]), coordinating, deadline,
                              _text(_col(cols, "san_pham", n)[i]), lines[i]))
        task_groups.append(TaskGroup(str(number), group, tuple(tasks)))

    cols, n, lines = table(ROLLOUT)
    target = extra.get(ROLLOUT, {})
    target_year, target_pct = target.get("muc_tieu_nam"), target.get("muc_tieu_ty_le")
    years: dict[int, list[tuple[str, int]]] = {}
    for year, name, ln in zip(_col(cols, "nam", n), _col(cols, "don_vi", n), lines):
        if year and _text(name):
            years.setdefault(int(year), []).append((_text(name), ln))
    if target_year and int(target_year) not in years:
        years[int(target_year)] = []
    aim = int(target_year) if target_year else None
    rollout = tuple(RolloutEntry(
        year, tuple(name for name, _ in entries), len(entries),
        target_text=_text(target.get("muc_tieu")) if year == aim else "",
        target_percent=float(target_pct) if target_pct is not None and year == aim else None,
        line=entries[0][1] if entries else 0) for year, entries in sorted(years.items()))

    cols, n, lines = table(TARGETS)  # values as the cells show them (a rate typed "100%" is 100)
    targets = tuple(PlanTarget(_text(title), float(v) if isinstance(v, (int, float)) else None,
                               int(year) if isinstance(year, (int, float)) else None, _text(words), ln)
                    for title, v, year, words, ln in zip(_col(cols, "chi_tieu", n), _col(cols, "gia_tri", n),
                                                         _col(cols, "nam", n), _col(cols, "noi_dung", n), lines)
                    if _text(title))

    cols, n, lines = table(FUNDING)
    paragraphs, sources, total = [], [], 0.0
    for source, amount, text in zip(_col(cols, "nguon", n), _col(cols, "so_tien", n), _col(cols, "noi_dung", n)):
        source, text = _text(source), _text(text)
        if source:
            sources.append(source)
        if isinstance(amount, (int, float)):
            total += amount
        paragraphs.append(_funding_paragraph(source, amount, text))
    funding = Funding(tuple(p for p in paragraphs if p), tuple(sources), _dong(total) if total else "",
                      lines[0] if lines else 0) if any(paragraphs) else None

    cols, n, lines = table(BODIES)
    bodies: dict[str, Responsibility] = {}
    for body, verb, text, ln in zip(_col(cols, "co_quan", n), _col(cols, "hinh_thuc", n), _col(cols, "noi_dung", n),
                                    lines):
        body = _text(body)
        if not body:
            continue
        key = fold(body)
        r = bodies.get(key) or Responsibility(body, "đề nghị" if verb == "Đề nghị" else "giao", (),
                                              str(len(bodies) + 1), ln)
        more = (_text(text),) if _text(text) else ()
        bodies[key] = Responsibility(r.body, r.verb, r.paragraphs + more, r.number, r.line)

    cols, n, lines = table(UNPLACED)
    unplaced = tuple(Unplaced(int(d or 0), _text(t), _text(why)) for d, t, why in
                     zip(_col(cols, "dong", n), _col(cols, "noi_dung", n), _col(cols, "ly_do", n)) if _text(t))
    return PlanDocument(header=header, bases=bases, opening=tuple(parts.get(OPENING, ())),
                        purposes=tuple(parts.get(PURPOSE, ())), requirements=tuple(parts.get(REQUIREMENT, ())),
                        groups=tuple(task_groups), rollout=rollout, targets=targets, funding=funding,
                        responsibilities=tuple(bodies.values()), closing=tuple(parts.get(CLOSING, ())),
                        signer=_text(head.get("nguoi_ky")), unplaced=unplaced)


def _as_written(deadline: Deadline | None, note: str) -> Deadline | None:
    """The deadline with the plan's own words kept in the task's note (DEADLINE_WORDS), if they still mean what
    the cell says (a cell changed since the import keeps its own wording)."""
    if deadline is None or not note.startswith(DEADLINE_WORDS):
        return deadline
    words = note[len(DEADLINE_WORDS):].strip()
    meant = parse_deadline(words)
    same = (meant.due, meant.term, meant.year, meant.part) == \
        (deadline.due, deadline.term, deadline.year, deadline.part)
    return replace(deadline, text=words) if same else deadline


def _dong(x: float) -> str:
    return f"{fmt.number(x)} đồng"


def _funding_paragraph(source: str, amount, text: str) -> str:
    """A Kinh phí paragraph: the text as written (with the amount when it does not say it), or the
    source and amount."""
    money = _dong(amount) if isinstance(amount, (int, float)) and amount else ""
    if text:
        digits = re.sub(r"\D", "", money)
        if money and digits not in re.sub(r"\D", "", text):
            return f"{text.rstrip()} Kinh phí dự kiến: {money}." if text.rstrip()[-1:] in ".;:" else \
                f"{text.rstrip()}. Kinh phí dự kiến: {money}."
        return text
    if source and money:
        return f"{_cap(source)}: {money}."
    if source:
        return f"Từ nguồn {source[:1].lower() + source[1:]}."
    return f"Kinh phí: {money}." if money else ""


__all__ = ["classify", "groups", "import_plan", "plan_content", "read_workbook", "document", "Imported", "PlanBook"]
