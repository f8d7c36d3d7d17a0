"""The narrative report: jinja2 text templates rendered into the Word template (docxtpl).

The wording lives in templates/report/<name>/noi-dung.md.j2 (or templates/report/ for the
default), the layout in bao-cao.docx next to it; this module only joins them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from dvcq import fmt, outputs
from dvcq.calendar.periods import parse as parse_period
from dvcq.errors import UserError
from dvcq.model import UnitGroup
from dvcq.outputs import write_atomic
from dvcq.resources import templates_dir
from dvcq.rollup.coverage import group_phrase, groups_phrase

from . import decree
from .checksheet import write_check_sheet
from .claims import Basis, CheckRow, Claim, Marks, Warning, check_rows, derived, strip
from .context import ReportContext, build_context
from .sections import in_sentence

TEXT = "noi-dung.md.j2"
ANNEX = "phu-luc.md.j2"  # a roll-up's annex: the units' own texts, by unit (issue 24)
ANNEX_TITLE = "KẾT QUẢ THỰC HIỆN CỦA CÁC ĐƠN VỊ"
DOCX = "bao-cao.docx"


def _value(x):
    return x.value if isinstance(x, Claim) else x


def filters(marks: Marks | None = None, annual: bool = False) -> dict:
    """The Vietnamese filters of the text templates (dvcq.fmt), by the names the templates use. A filter given
    a claim prints its value and, with ``marks``, marks where the claim is printed (the check sheet's rows).
    ``annual``: the report is of a year, so a comparison is with the previous year ('so với năm 2023'), not
    'cùng kỳ'."""
    mark = marks or (lambda claim, text: text)

    def figure(f):
        def out(x, *args, **kw):
            text = f(_value(x), *args, **kw)
            return mark(x, text) if isinstance(x, Claim) else text
        return out

    def listed(pairs) -> str:
        """fmt.counts_list of claims: the non-zero ones, each marked."""
        return fmt.and_list([f"{figure(fmt.number)(n)} {label}" for n, label in pairs if _value(n)])

    def change(x, unit: str = "", year: int | None = None, inner: bool = False, label: str = "") -> str:
        """A claim against last year's figure: the change when both stand on the same basis, else last year's
        figure with why it is not compared ('cần kiểm tra: ...'); '' without last year's. With ``label`` (last
        year's period in words), as such reports write it: the change, then last year's figure in brackets
        ('giảm 146 lượt so với cùng kỳ (6 tháng đầu năm 2023: 1.012 lượt)'); ``inner`` without a label (inside
        brackets already), last year's figure after it: 'tăng 685 lượt, tương ứng 51,2%, so với cùng kỳ năm 2023:
        1.338 lượt'."""
        if not isinstance(x, Claim):
            return fmt.change(x, None, unit, year, inner)
        prev = x.previous
        if prev is None or prev.value is None or x.value is None:
            return ""
        ref = fmt.against(year, annual) if annual else "cùng kỳ"  # the check sheet's title; the text's words below
        if x.comparable and not x.check and label:
            shown = fmt.percent(prev.value) if x.kind == "ratio" else fmt.amount(prev.value, x.kind, unit)
            text = fmt.change_then(x.value, prev.value, unit, x.kind == "ratio", ref)
            moved = mark(replace(x, key=f"change.{x.key.split('.', 1)[1]}", title=f"{x.title}: so với {ref}",
                                 value=x.value - prev.value, sources=(), parts=(), num=None, den=None,
                                 rule=f"{x.title}: {fmt.number(x.value)} so với {fmt.number(prev.value)} "
                                      f"({prev.rule})"), text)
            return f"{moved} ({label}: {mark(prev, shown)})"
        if x.comparable and not x.check:
            text = (fmt.change_points(x.value, prev.value, year, annual) if x.kind == "ratio"
                    else fmt.change(x.value, prev.value, unit, year, inner, annual))
            moved = mark(replace(x, key=f"change.{x.key.split('.', 1)[1]}", title=f"{x.title}: so với {ref}",
                                 value=x.value - prev.value, sources=(), parts=(), num=None, den=None,
                                 rule=f"{x.title}: {fmt.number(x.value)} so với {fmt.number(prev.value)} "
                                      f"({prev.rule})"), text)
            if inner:  # inside brackets: last year's figure follows what it is compared with, not in brackets
                shown = fmt.percent(prev.value) if x.kind == "ratio" else fmt.amount(prev.value, x.kind, unit)
                return f"{moved}: {mark(prev, shown)}"
            return moved
        shown = fmt.percent(prev.value) if x.kind == "ratio" else fmt.amount(prev.value, x.kind, unit)
        said = f"năm {year}: {mark(prev, shown)}" if year else mark(prev, shown)
        return f"{said}; {x.check}" if x.check else said

    def scope(b: Basis) -> str:
        """Who a basis covers, group by group, each count marked: '13/14 xã, thị trấn và 9/10 sở, ban, ngành'."""
        parts, own = [], ""
        for g in b.groups:
            if g.group == UnitGroup.OWN:
                own = g.noun if g.covered else ""
                continue
            if not g.expected:
                continue
            got = derived(f"cover.{b.source}.{g.group.value}", f"Số {g.noun} có số liệu", "đơn vị", g.covered, b,
                          "đơn vị có biểu hợp lệ được đưa vào tổng hợp")
            if not g.required:  # a form the group need not send: how many sent it, not a fraction of them
                parts.append(group_phrase(mark(got, fmt.number(g.covered)), "", g.noun, False, b.source))
                continue
            of = derived(f"expected.{b.source}.{g.group.value}", f"Số {g.noun} phải có số liệu", "đơn vị",
                         g.expected, b, "đơn vị phải gửi biểu này")
            parts.append(group_phrase(mark(got, fmt.number(g.covered)), mark(of, fmt.number(g.expected)), g.noun))
        return groups_phrase(parts, own)

    return {"phamvi": scope, "so": figure(fmt.number), "tyle": figure(fmt.percent), "ngay": fmt.date_long, "ngay_ngan": fmt.date_short,
            "sosanh": change, "sosanh_tyle": change, "ky": lambda code: parse_period(code).label,
            "liet_ke": listed, "luong": figure(fmt.amount), "giua_cau": in_sentence}


FILTERS = filters()  # without marks: for a template that only needs the words


def template_dir(template: str | None) -> Path:
    base = templates_dir() / "report"
    if not template:
        return base
    for cand in (Path(template), base / template):
        if cand.is_dir() and (cand / TEXT).exists():
            return cand
    raise UserError(f"Không tìm thấy bộ mẫu văn bản «{template}» (cần thư mục có tệp {TEXT}).")


_COMPILED: list = []  # the process's one cache, made at the first report (jinja2 is imported lazily: ``jinja2``)


def _compiled(jinja2):
    """The templates compiled by this process, by file and source: a jinja2 bytecode cache in memory (``jinja2``
    the module, imported by the caller). Each report's Environment is new (its filters mark its own claims), but its
    templates' code is the same: compiling them took about 0.35-0.45 s of CPU a report, more than rendering it; once
    per process now (a button that writes a report after a roll-up, a run writing several reports, the tests). The
    code reads each filter from the Environment it runs in (``environment.filters[...]`` at render), so a cached
    template renders with the new report's filters; a template file that changed is compiled again (the checksum
    of its source)."""
    if not _COMPILED:
        class Compiled(jinja2.BytecodeCache):
            def __init__(self):
                self.codes: dict[str, tuple[str, object]] = {}

            def load_bytecode(self, bucket) -> None:
                hit = self.codes.get(bucket.key)
                if hit is not None and hit[0] == bucket.checksum:
                    bucket.code = hit[1]

            def dump_bytecode(self, bucket) -> None:
                self.codes[bucket.key] = (bucket.checksum, bucket.code)

        _COMPILED.append(Compiled())
    return _COMPILED[0]


def render_text(context, folder: Path, name: str = TEXT, marks: Marks | None = None) -> str:
    """The text of a document (Markdown-like lines) from the jinja2 template ``name`` in ``folder`` and the
    ``context``'s variables (a ReportContext, or dvcq.documents.planwriter's PlanContext); template errors become
    Vietnamese messages with the line. With ``marks``, each printed claim is marked in the text (strip them with
    dvcq.documents.claims.strip; check_rows reads them)."""
    import jinja2  # lazy: 0.05 s, only when writing the report

    # a template folder's own files first, then the default report's (the macros they share: muc.md.j2)
    loader = jinja2.FileSystemLoader([str(folder), str(templates_dir() / "report")])
    env = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined, bytecode_cache=_compiled(jinja2),
                             autoescape=False, trim_blocks=False, lstrip_blocks=True, keep_trailing_newline=True)
    period = getattr(context, "period", None)  # a report's (a plan has none): a year compares with the year before
    env.filters.update(filters(marks, annual=getattr(period, "kind", "") == "Y"))
    decree.register(env)
    path = folder / name
    try:
        return env.get_template(name).render(**context.variables())
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(f"Mẫu văn bản {path}, dòng {exc.lineno}: lỗi cú pháp ({exc.message}).") from None
    except jinja2.TemplateNotFound as exc:  # a file it imports (muc.md.j2) is in neither folder
        raise UserError(f"Mẫu văn bản {path}: không tìm thấy tệp mẫu «{exc.name}» mà mẫu này dùng (trong "
                        f"{folder} hoặc {templates_dir() / 'report'}).") from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, path, name)
        name = str(exc.message).split("'")[-2] if "'" in str(exc.message) else str(exc.message)
        raise UserError(f"Mẫu văn bản {path}{line}: biến «{name}» không tồn tại.") from None


def _template_line(exc: Exception, path: Path, name: str = TEXT) -> str:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (str(path), "<template>") or tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", dòng {line}" if line else ""


def paragraphs(text: str) -> list[dict]:
    """Paragraphs with their style from the rendered text: "# " h1, "## " h2, "> " detail (a plan's
    task details, in italics), other lines body; the last body paragraph is the closing one."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("> "):
            out.append({"style": "detail", "text": line[2:]})
        elif line.startswith("## "):
            out.append({"style": "h2", "text": line[3:]})
        elif line.startswith("# "):
            out.append({"style": "h1", "text": line[2:]})
        else:
            out.append({"style": "body", "text": line})
    if out and out[-1]["style"] == "body":
        out[-1]["style"] = "closing"  # kept on the page of the signature block
    return out


def annex_text(context, folder: Path, marks: Marks | None = None) -> str:
    """A roll-up's annex (templates/report/phu-luc.md.j2, or the template folder's own) as rendered text, its
    figures marked with ``marks``; '' for a unit's own report."""
    if getattr(context, "sections", None) is None:
        return ""
    where = folder if (folder / ANNEX).exists() else templates_dir() / "report"
    return render_text(context, where, ANNEX, marks=marks)


def annex_paragraphs(context, folder: Path, text: str | None = None) -> list[dict]:
    """A roll-up's annex as paragraphs (``text``: as ``annex_text`` rendered it): each section's line over the units,
    then the units' texts by unit; [] for a unit's own report or when no unit wrote any."""
    text = annex_text(context, folder) if text is None else text
    if not text.strip():
        return []
    paras = paragraphs(strip(text))
    if paras and paras[-1]["style"] == "closing":
        paras[-1]["style"] = "body"
    return paras


def annex_note(context) -> str:
    """The line under the annex's title: which report it goes with."""
    number = f"{context.number or '   '}/BC-UBND"
    return f"(Kèm theo Báo cáo số {number} của {context.issuer.who})"


def to_markdown(context, paras: list[dict], title: str = "BÁO CÁO", subject: str | None = None,
                number: str | None = None, annex: list[dict] | None = None) -> str:
    """The document in Markdown: the header block, ``title`` and ``subject`` (a report's by default),
    the paragraphs, Nơi nhận and the signature, then the ``annex`` when given; ``number`` is the whole "Số:"
    value."""
    if subject is None:
        subject = context.period.title
    if number is None:
        number = f"{context.number or '   '}/{context.symbol}"
    head = [f"**{context.issuer.body}**  ", f"**{context.issuer.unit_name}**  ",
            f"Số: {number}", "",
            "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  ", "**Độc lập - Tự do - Hạnh phúc**", "",
            f"*{context.place_date}*", "", f"# {title}", f"**{subject}**", ""]
    body = []
    for p in paras:
        prefix = {"h1": "## ", "h2": "### "}.get(p["style"], "")
        text = f"*{p['text']}*" if p["style"] == "detail" else p["text"]
        body += [prefix + text, ""]
    signer = context.signer
    sign = [f"**{line}**  " for line in signer.lines]
    recipients = [f"- {r}{'.' if i == len(context.recipients) - 1 else ';'}" for i, r in enumerate(context.recipients)]
    tail = ["", "***Nơi nhận:***"] + recipients + [""] + sign + ["", f"**{signer.name}**", ""]
    if annex:
        tail += ["---", "", "# PHỤ LỤC", f"**{ANNEX_TITLE}**", "", f"*{annex_note(context)}*", ""]
        for p in annex:
            prefix = {"h1": "## ", "h2": "### "}.get(p["style"], "")
            text = f"*{p['text']}*" if p["style"] == "detail" else p["text"]
            tail += [prefix + text, ""]
    return "\n".join(head + body + tail)


@dataclass
class Rendered:
    """A report's text rendered: its paragraphs, the figures it prints (each with its claim), and where the
    documents went (their usual names, or beside them when last time's file is open in Word)."""
    paragraphs: list[dict]
    rows: list[CheckRow] = field(default_factory=list)
    docx: Path | None = None
    md: Path | None = None


def render(context: ReportContext, out_docx: Path | None, out_md: Path | None = None, template: str | None = None,
           ) -> Rendered:
    """Write the report as Word (layout from the template file) and/or Markdown, atomically; return what it
    printed (the rows of its check sheet) and where it went."""
    folder = template_dir(template)
    marks = Marks()
    text = render_text(context, folder, marks=marks)
    rows = check_rows(text, marks)
    paras = paragraphs(strip(text))
    extra = annex_text(context, folder, marks)  # its figures (the units' counts) are in the check sheet too
    rows += [replace(r, section=f"Phụ lục - {r.section}") for r in check_rows(extra, marks)]
    annex = annex_paragraphs(context, folder, extra)
    docx = md = None
    if out_docx is not None:
        layout = folder / DOCX if (folder / DOCX).exists() else templates_dir() / "report" / DOCX
        docx = write_docx(layout, {**context.variables(), "paragraphs": paras, "annex": annex,
                                   "annex_title": ANNEX_TITLE, "annex_note": annex_note(context)}, Path(out_docx))
    if out_md is not None:
        md = write_markdown(to_markdown(context, paras, annex=annex), Path(out_md))
    return Rendered(paras, rows, docx, md)


def write_docx(template: Path, variables: dict, out: Path) -> Path:
    """Render a docxtpl Word template (the paragraphs of ``paragraphs()`` in ``variables``) into ``out``
    atomically, the rules under the header lines sized to their text (dvcq.documents.decree); returns the
    path written (beside ``out`` when that one is open in Word)."""
    from docxtpl import DocxTemplate  # lazy: 0.09 s, only when writing the report

    def write(tmp: Path) -> None:
        doc = DocxTemplate(str(template))
        doc.render(variables, autoescape=True)
        decree.size_rules(doc.docx)
        doc.save(str(tmp))

    return write_atomic(out, write, beside=True)


def write_markdown(text: str, out: Path) -> Path:
    return write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"), beside=True)


@dataclass(frozen=True)
class WrittenReport:
    """What `dvcq report` wrote: the Word document, beside it the check sheet ("Bảng đối chiếu số liệu": every
    figure printed with its basis and sources), the Markdown text when asked for, at their usual names or beside
    them when last time's file is open (``notes`` says so), and the warnings the signer must read. The CLI, the
    Excel button «Xuất báo cáo» (dvcq.excel.xl) and `dvcq report --json` (the LibreOffice button) all show it."""
    docx: Path | None
    check: Path | None = None
    md: Path | None = None
    warnings: tuple[Warning, ...] = ()
    rows: int = 0  # figures listed in the check sheet

    @property
    def notes(self) -> list[str]:
        """Vietnamese sentences for each file written beside its open namesake."""
        return written_notes(self.docx, self.check, self.md)

    def status_line(self) -> str:
        """The line the control workbook's button «Xuất báo cáo» shows: the files, the notes, the warnings."""
        check = f" và bảng đối chiếu số liệu {self.check.name}" if self.check else ""
        return " ".join([f"Đã ghi báo cáo {(self.docx or self.md).name}{check}.", *self.notes,
                         *(f"Cảnh báo: {w.message}" for w in self.warnings)])

    def to_dict(self) -> dict:
        """`dvcq report --json` (docs/json.md)."""
        return {"out_path": str(self.docx) if self.docx else None, "md_path": str(self.md) if self.md else None,
                "check_path": str(self.check) if self.check else None, "figures": self.rows,
                "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
                "notes": self.notes, "status_line": self.status_line()}


def written_notes(*paths: Path | None) -> list[str]:
    """What to tell about documents written at ``paths``: one sentence for each that went beside its open
    namesake (dvcq.outputs.beside_note)."""
    return [n for n in (outputs.beside_note(p) for p in paths if p) if n]


def write_report(inputs, out: Path | None = None, md: Path | None = None, template: str | None = None,
                 signer: str | None = None, number: str | None = None, db: Path | None = None,
                 date: str | None = None) -> WrittenReport:
    """`dvcq report`: the báo cáo of a roll-up, or of a unit from its own files (``inputs``: a roll-up, a
    unit's periodic report, or its report with its reception log and plan as files or a folder), and beside it
    its check sheet. ``date``: the signing date, DD/MM/YYYY; without it the day and month are left blank for
    signing, with the year the report is due. Returns where the files went (`WrittenReport`)."""
    date = decree.signing_date(date)  # a malformed date is told before any file is read
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    context = build_context(paths, signer=signer, number=number, db=db, date=date)
    if out is None:
        out = (outputs.report_path(paths[0]) if paths[0].is_file() and context.own is False else
               outputs.unit_report_path(paths[0], context.unit_code, context.issuer.unit_name,
                                        context.period.slug))
    done = render(context, out, md, template)
    check = write_check_sheet(context, done.rows, check_path(Path(out)), done.docx or Path(out))
    return WrittenReport(done.docx, check, done.md, context.warnings, len(done.rows))


def check_path(docx: Path) -> Path:
    """The check sheet beside its report: bao-cao-x.docx -> bao-cao-x-doi-chieu.xlsx."""
    return docx.with_name(f"{docx.stem}-doi-chieu.xlsx")
