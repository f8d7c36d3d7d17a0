"""The plan document (kế hoạch) written from a plan workbook, in the layout of Nghị định 30/2020/NĐ-CP.

``write_plan`` reads the workbook into a ``PlanDocument`` (dvcq.documents.planbook), makes the ``PlanContext``
the text template sees (templates/plan/ke-hoach.md.j2: the opening citing the legal bases, I. Mục đích,
yêu cầu, II. the tasks numbered under their groups and the rollout, III. Kinh phí, IV. Tổ chức thực hiện
per body, the closing "./."), renders it and puts it into the Word template templates/plan/ke-hoach.docx
(the report's layout: header block, KẾ HOẠCH and the subject line, Nơi nhận, signature; page numbers from
page 2) with the report's own functions (dvcq.documents.narrative, dvcq.documents.decree).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path

from dvcq import fmt
from dvcq.forms.plandoc import LegalBasis, PlanDocument, PlanTarget
from dvcq.forms.spec import REPORT, load_form
from dvcq.forms.targets import from_plan
from dvcq.resources import templates_dir
from dvcq.text import fold
from dvcq.units.registry import BODY_LEVEL, for_period

from . import decree
from .narrative import paragraphs, render_text, to_markdown, write_docx, write_markdown, written_notes
from .planbook import PlanBook, read_workbook

TEXT = "ke-hoach.md.j2"
DOCX = "ke-hoach.docx"
SYMBOL = "KH-UBND"  # the plan's symbol after its number (Nghị định 30/2020, Phụ lục III: KH = kế hoạch)
NUMBER_BLANK = " " * 7  # room for the number written at signing


@dataclass(frozen=True)
class PlanIssuer:
    body: str  # "ỦY BAN NHÂN DÂN", upper case, first line of the header block
    unit_name: str  # "HUYỆN NHƯ THANH", its second line
    name: str  # "Ủy ban nhân dân huyện Như Thanh" as a sentence writes it
    short: str  # "UBND huyện Như Thanh"
    place: str
    level: str | None
    code: str  # the unit's code ("" when not in the registry)
    era: str


@dataclass(frozen=True)
class BasisView:
    kind: str
    number: str
    date: date | None
    issuer: str
    title: str
    citation: str  # "Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về ..."


@dataclass(frozen=True)
class TaskView:
    number: str  # "1.2": the group's number and the task's
    lines: tuple[str, ...]  # the content, a paragraph per line
    lead: str
    coordinating: str
    deadline: str
    output: str
    detail: str  # "Chủ trì: ...; phối hợp: ...; thời gian: ...; sản phẩm: ..."


@dataclass(frozen=True)
class GroupView:
    number: int
    title: str
    tasks: tuple[TaskView, ...]


@dataclass(frozen=True)
class RolloutView:
    year: int
    units: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class TargetView:
    year: int
    percent: float | None
    text: str


@dataclass(frozen=True)
class BodyView:
    name: str
    verb: str  # "giao" | "đề nghị"
    heading: str  # "Văn phòng - Thống kê", "Đề nghị Ban Dân vận Huyện ủy"
    items: tuple[str, ...]
    leads: tuple[str, ...]  # the numbers of the tasks it leads ("1.1", "2.3")


@dataclass(frozen=True)
class PlanContext:
    """Everything the text template templates/plan/ke-hoach.md.j2 sees (docs/narrative.md, "The plan document")."""
    issuer: PlanIssuer
    number: str  # "25/KH-UBND", or the number left blank: "       /KH-UBND"
    place_date: str
    subject: str  # the plan's title, the subject line under KẾ HOẠCH
    subject_running: str  # the title inside a sentence ("Kế hoạch thực hiện ...")
    year: int
    bases: list[BasisView]
    opening: list[str]
    introduced: bool  # the last opening paragraph introduces the plan (ends with ":")
    purposes: list[str]
    requirements: list[str]
    groups: list[GroupView]
    rollout: list[RolloutView]
    target: TargetView | None
    targets: list[str]  # the sheet "Chỉ tiêu", a line per target ("Tỷ lệ ... năm 2025: 100%.")
    funding: list[str]
    bodies: list[BodyView]
    closing: list[str]
    recipients: list[str]
    signer: decree.Signature
    notes: list[str] = field(default_factory=list)

    def variables(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class WrittenPlan:
    """What `dvcq plan` wrote, and notes for the user (Vietnamese): the plan's own, then one for each file
    written beside its namesake open in Word. The CLI, the Excel button «Xuất kế hoạch» (dvcq.excel.xl) and
    `dvcq plan --json` (the LibreOffice button) all show it."""
    docx: Path | None
    md: Path | None
    tasks: int
    bodies: int
    notes: list[str]

    def status_line(self) -> str:
        """The line the control workbook's button «Xuất kế hoạch» shows, with the notes."""
        notes = "".join(f" {n}" for n in self.notes)
        return (f"Đã ghi kế hoạch {(self.docx or self.md).name} ({self.tasks} nhiệm vụ, {self.bodies} cơ quan, "
                f"đơn vị được giao).{notes}")

    def to_dict(self) -> dict:
        """`dvcq plan --json` (docs/json.md)."""
        return {"out_path": str(self.docx) if self.docx else None, "md_path": str(self.md) if self.md else None,
                "tasks": self.tasks, "bodies": self.bodies, "notes": list(self.notes),
                "status_line": self.status_line()}


_BODY = re.compile(r"^(Ủy ban nhân dân|UBND)\s+(.+)$", re.IGNORECASE)


def plan_issuer(doc: PlanDocument, book: PlanBook) -> PlanIssuer:
    """The header block's two lines and the running names of the issuer: from the workbook's "Cơ quan ban
    hành" ("Ủy ban nhân dân huyện Như Thanh"), else from the unit of the registry."""
    unit = book.unit
    era = unit.era if unit else for_period(book.period).era
    if unit is not None and unit.level == BODY_LEVEL:  # a sở's plan, headed "UBND TỈNH THANH HÓA / SỞ NỘI VỤ"
        parent = for_period(book.period, unit.era).parent(unit)
        return PlanIssuer(f"UBND {parent.name.upper()}", unit.name.upper(), unit.name, unit.name,
                          doc.header.place or parent.place, unit.level, unit.code, era)
    name = doc.header.issuer or (f"Ủy ban nhân dân {unit.running_name}" if unit else "Ủy ban nhân dân")
    m = _BODY.match(name)
    if m:
        body, rest = "ỦY BAN NHÂN DÂN", m.group(2).strip()
        name, short = f"Ủy ban nhân dân {rest}", f"UBND {rest}"
    elif unit is not None and fold(name).endswith(" " + fold(unit.running_name)):
        # a body of the unit ("Ban Chỉ đạo ... xã Tân Phong"): its People's Committee above it, its own name below
        body, rest, short = f"UBND {unit.name.upper()}", name[:-len(unit.running_name)].strip(), name
    else:
        body, rest, short = name.upper(), "", name
    return PlanIssuer(body, rest.upper(), name, short, doc.header.place or (unit.place if unit else ""),
                      doc.header.level or (unit.level if unit else None), unit.code if unit else "", era)


def era_of_unit(book: PlanBook) -> str | None:
    """The registry era of the plan's unit (None: the period's)."""
    return book.unit.era if book.unit is not None else None


def short_date(d: date) -> str:
    """A date cited in the text as the seeds and Nghị định 30/2020 write it: day below 10 and months 1-2
    zero-padded ('26/11/2021', '01/8/2022', '05/02/2025')."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d.month <= 2 else f"{d.day:02d}/{d.month}/{d.year}"


def citation(b: LegalBasis) -> str:
    """'Kế hoạch số 19/BDVHU-UBND ngày 05/3/2024 của Ban Dân vận Huyện ủy về ...'; a law cited by its name."""
    if b.number:
        out = f"{b.kind} số {b.number}"
    else:
        out = f"{b.kind} {b.title}".strip()
    if b.date:
        out += f" ngày {short_date(b.date)}"
    if b.issuer:
        out += f" của {b.issuer}"
    if b.number and b.title:
        about = b.title
        out += " " + (about if fold(about).startswith(("ve ", "v v ")) else f"về {about}")
    return out.rstrip(" .;")


def _running(title: str) -> str:
    """A title inside a sentence: its first word in lower case unless it is a name or an abbreviation."""
    words = title.split(" ", 1)
    first = words[0]
    if first[1:2].islower():
        first = first[:1].lower() + first[1:]
    return " ".join([first] + words[1:])


def number_line(doc: PlanDocument, number: str | None, default: str = SYMBOL) -> str:
    """The value after "Số:": the workbook's "Số, ký hiệu" ("25/KH-UBND"), or ``number`` given at writing
    ("25" takes the workbook's symbol, "25/KH-BCĐ" is whole); a blank number leaves room to write it.
    ``default``: the issuer's symbol when the workbook gives none ("KH-SNV" for a declared body)."""
    written = doc.header.number.strip()
    symbol = written.split("/", 1)[1].strip() if "/" in written else default
    given = (number or "").strip()
    if "/" in given:
        return given
    if given:
        return f"{given}/{symbol}"
    if written and not written.startswith("/"):
        return written if "/" in written else f"{written}/{symbol}"
    return f"{NUMBER_BLANK}/{symbol}"


def _detail(task) -> str:
    parts = []
    if task.lead:
        parts.append(f"Chủ trì: {task.lead}")
    if task.coordinating:
        parts.append(f"phối hợp: {', '.join(task.coordinating)}")
    if task.deadline is not None:
        d = task.deadline
        if d.dated and len(re.findall(r"\d{1,2}/\d{1,2}/\d{4}", d.text)) <= 1:
            parts.append(f"thời hạn: trước ngày {short_date(d.due)}")
        else:  # a term ("Quý I/2025") or the plan's own words ("Từ 01/4/2024 đến 30/9/2024")
            said = d.text or d.label
            parts.append(f"thời gian: {said[:1].lower() + said[1:]}")
    if task.output:
        parts.append(f"sản phẩm: {task.output}")
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def target_line(t: PlanTarget, year: int) -> str:
    """One target as the plan document lists it: the plan's own words, with the value when they do not say
    it ("Tăng ... trực tuyến toàn trình đạt tỉ lệ 100%."), else the indicator, its year and value ("Tỷ lệ hồ
    sơ giải quyết trước hạn và đúng hạn năm 2025: 95%."); the year when it is not the plan's."""
    ind = next((i for i in load_form(REPORT).targetable if i.title == t.title), None)
    value = ""
    if t.value is not None:
        value = fmt.amount(from_plan(ind, t.value), ind.kind, ind.unit) if ind else fmt.number(t.value)
    when = f" năm {t.year}" if t.year and t.year != year else ""
    if t.text:
        text = t.text.rstrip(" .;")
        digits = re.sub(r"\D", "", value)
        if value and digits not in re.sub(r"\D", "", text):
            text += f" (chỉ tiêu{when}: {value})"
        elif when:
            text += f" ({when.strip()})"
        return _full_stop(text[:1].upper() + text[1:])
    return _full_stop(f"{t.title}{when or (f' năm {t.year}' if t.year else '')}: {value}" if value else t.title)


def _full_stop(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


# the signature of a body that is no People's Committee, by the words its name begins with (Nghị định 30/2020,
# Phụ lục I: "TM." the collective, then its head; "KT." when a deputy signs)
_COLLECTIVES = {"ban chi dao": ("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")}


def _signature(issuer: PlanIssuer, sig: decree.Signature) -> decree.Signature:
    """A steering committee signs as itself ("TM. BAN CHỈ ĐẠO" / "TRƯỞNG BAN"), not as the People's Committee."""
    lines = next((v for k, v in _COLLECTIVES.items() if fold(issuer.name).startswith(k)), None)
    if lines is None:
        return sig
    collective, head, deputy = lines
    signed = (collective, f"KT. {head}", deputy) if sig.mode.upper().startswith("KT") else (collective, head)
    return replace(sig, lines=signed, title=signed[-1])


def _closing(paragraphs: tuple[str, ...]) -> list[str]:
    """The workbook's closing paragraphs, the last ending with "./." as the decree's end of a text."""
    out = [p for p in paragraphs if p]
    if out and not out[-1].endswith("./."):
        out[-1] = out[-1].rstrip(" .;") + "./."
    return out


def _item(text: str) -> str:
    """A paragraph inside the document: without a list marker, and without the "./." that ends a whole
    text (a plan read from a document may carry it on its last body's paragraph)."""
    text = re.sub(r"^[-–+•]\s*", "", text.strip())
    return text[:-3].rstrip() + "." if text.endswith("./.") else text


def _sentence(text: str) -> str:
    """A task's line as a sentence: a final full stop when it ends with none (a workbook cell rarely has one)."""
    return text if not text or text[-1] in ".;:!?…)”\"" else text + "."


def _paragraphs(texts) -> list[str]:
    return [_item(p) for p in texts if _item(p)]


def build_context(book: PlanBook, signer: str | None = None, number: str | None = None,
                  signed: date | None = None, today: date | None = None) -> PlanContext:
    doc = book.document
    issuer = plan_issuer(doc, book)
    notes: list[str] = []
    groups = []
    leads: dict[str, list[str]] = {}
    for g in doc.groups:
        tasks = []
        for t in g.tasks:
            num = f"{g.number}.{t.number}"
            lines = tuple(_sentence(_item(x)) for x in t.content.splitlines() if _item(x)) or ("",)
            tasks.append(TaskView(num, lines, t.lead, ", ".join(t.coordinating),
                                  t.deadline.label if t.deadline else "", t.output, _detail(t)))
            if t.lead:
                leads.setdefault(fold(t.lead), []).append(num)
        groups.append(GroupView(int(g.number), g.title, tuple(tasks)))
    bodies = []
    for r in doc.responsibilities:
        heading = r.body if r.verb == "giao" or fold(r.body).startswith("de nghi") else f"Đề nghị {r.body}"
        bodies.append(BodyView(r.body, r.verb, heading, tuple(_item(p) for p in r.paragraphs if _item(p)),
                               tuple(leads.pop(fold(r.body), ()))))
    for key, nums in leads.items():  # a lead the Tổ chức thực hiện part does not name still gets its tasks there
        name = next(t.lead for g in doc.groups for t in g.tasks if fold(t.lead) == key)
        bodies.append(BodyView(name, "giao", name, (), tuple(nums)))
    rollout = [RolloutView(e.year, e.units, e.count or len(e.units)) for e in doc.rollout if e.units]
    target = next((TargetView(e.year, e.target_percent, e.target_text) for e in doc.rollout
                   if e.target_percent is not None or e.target_text), None)
    if book.legacy:
        notes.append("Biểu theo mẫu cũ (phiên bản 1): văn bản chỉ có nhiệm vụ và lộ trình; hãy chuyển sang mẫu mới "
                     "để ghi căn cứ, mục đích, yêu cầu, kinh phí và tổ chức thực hiện.")
    if doc.unplaced:
        notes.append(f"Biểu còn {len(doc.unplaced)} đoạn ở trang «Chưa xếp được»: văn bản chưa có các đoạn này.")
    if not groups:
        notes.append("Biểu chưa có nhiệm vụ nào: văn bản không có phần nội dung, nhiệm vụ.")
    opening = _paragraphs(doc.opening)
    when = signed or doc.header.date
    recipients = (decree.recipients(book.unit, for_period(book.period, book.unit.era), kind="plan_recipients")
                  if book.unit is not None else ["Lưu: VT"])
    return PlanContext(
        issuer=issuer,
        number=number_line(doc, number, decree.symbol("KH", book.unit, for_period(book.period, era_of_unit(book)))),
        place_date=decree.place_date(issuer.place, None, when, today),
        subject=doc.header.title, subject_running=_running(doc.header.title), year=doc.header.year or book.period.year,
        bases=[BasisView(b.kind, b.number, b.date, b.issuer, b.title, citation(b)) for b in doc.bases],
        opening=opening, introduced=bool(opening) and opening[-1].rstrip().endswith(":"),
        purposes=_paragraphs(doc.purposes), requirements=_paragraphs(doc.requirements), groups=groups,
        rollout=rollout, target=target,
        targets=[target_line(t, doc.header.year or book.period.year) for t in doc.targets],
        funding=_paragraphs(doc.funding.paragraphs if doc.funding else ()),
        bodies=bodies,
        closing=_closing(doc.closing), recipients=recipients,
        signer=_signature(issuer, decree.signature(signer or doc.signer or None, unit=book.unit)),
        notes=notes)


def template_dir() -> Path:
    return templates_dir() / "plan"


def render(context: PlanContext, out_docx: Path | None, out_md: Path | None = None) -> WrittenPlan:
    """Write the plan as Word and/or Markdown, atomically (beside the usual names when those are open, which
    the notes say after the context's own)."""
    folder = template_dir()
    paras = paragraphs(render_text(context, folder, TEXT))
    docx = md = None
    if out_docx is not None:
        docx = write_docx(folder / DOCX, {**context.variables(), "paragraphs": paras}, Path(out_docx))
    if out_md is not None:
        md = write_markdown(to_markdown(context, paras, "KẾ HOẠCH", context.subject, context.number), Path(out_md))
    return WrittenPlan(docx, md, sum(len(g.tasks) for g in context.groups), len(context.bodies),
                       [*context.notes, *written_notes(docx, md)])


def plan_path(workbook: Path) -> Path:
    """Where the document of a plan workbook goes by default: beside it, with its name."""
    return Path(workbook).with_suffix(".docx")


def write_plan(path: Path, out: Path | None = None, md: Path | None = None, signer: str | None = None,
               number: str | None = None, date: str | None = None, today=None) -> WrittenPlan:
    """`dvcq plan PLAN.xlsx`: the kế hoạch a plan workbook holds, as Word (``out``, default beside the
    workbook) and optionally Markdown (``md``). ``signer`` ("KT. Lê Văn B" when a deputy signs), ``number``
    and ``date`` (DD/MM/YYYY) override the workbook's; without a date the day and month are left blank."""
    signed = decree.signing_date(date)  # a malformed date is told before the workbook is read
    book = read_workbook(Path(path))
    context = build_context(book, signer=signer, number=number, signed=signed, today=today)
    out = Path(out) if out else plan_path(path)
    return render(context, out, Path(md) if md else None)
