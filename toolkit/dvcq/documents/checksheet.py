"""The check sheet beside a report ("Bảng đối chiếu số liệu"): for whoever signs, one row per figure the report
prints, with the section and the sentence it is in, its basis (the units it covers out of those expected,
group by group, their level, the window, the days the figures run to, the rule) and where it comes from: the
roll-up's cell, and on a second sheet each unit's file, sheet, cell and value, so every figure can be found
and added up again by hand. The warnings the signer must read come first.
"""
from __future__ import annotations

from pathlib import Path

import xlsxwriter
from dvcq import fmt
from dvcq.forms.build import row_height
from dvcq.outputs import write_atomic

from .claims import CheckRow, Claim, days_text

TITLE = "BẢNG ĐỐI CHIẾU SỐ LIỆU"
MAIN, SOURCES = "Đối chiếu số liệu", "Nguồn theo đơn vị"
MAIN_HEAD = (("STT", 5), ("Mục", 18), ("Câu trong báo cáo", 50), ("Số liệu in", 12), ("Giá trị", 10),
             ("Chỉ tiêu, số liệu", 28), ("Đơn vị có số liệu / phải có", 24), ("Đơn vị chưa có số liệu", 20),
             ("Cấp", 14), ("Khoảng số liệu", 12), ("Số liệu tính đến ngày", 14), ("Cách tính", 34),
             ("Ô trong biểu tổng hợp", 20), ("Số nguồn", 7), ("Mã số liệu", 16))
FONT = 10
SOURCE_HEAD = (("STT số liệu", 8), ("Mã số liệu", 18), ("Mã đơn vị", 10), ("Đơn vị", 26), ("Tệp", 46),
               ("Trang", 18), ("Ô", 40), ("Giá trị", 12))
FIRST_ROW = 6  # 0-based row of the main table's header (title, subtitle, source, window, a blank row above)
MAIN_COLUMN = {name: i for i, (name, _) in enumerate(MAIN_HEAD)}  # the columns by header (tests read them)
SOURCE_COLUMN = {name: i for i, (name, _) in enumerate(SOURCE_HEAD)}


def write_check_sheet(context, rows: list[CheckRow], out: Path, docx: Path) -> Path:
    """Write the check sheet of a rendered report (``rows``: its printed figures) to ``out``, atomically."""

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "in_memory": True})
        base = {"font_name": "Times New Roman", "font_size": FONT, "valign": "top"}
        fx = {"title": wb.add_format({**base, "bold": True, "font_size": 14}),
              "sub": wb.add_format({**base, "italic": True}),
              "warn": wb.add_format({**base, "bold": True, "font_color": "#C00000", "text_wrap": True}),
              "th": wb.add_format({**base, "bold": True, "border": 1, "text_wrap": True, "align": "center",
                                   "valign": "vcenter", "bg_color": "#DDEBF7"}),
              "text": wb.add_format({**base, "border": 1, "text_wrap": True}),
              "num": wb.add_format({**base, "border": 1, "num_format": "#,##0.##"}),
              "pct": wb.add_format({**base, "border": 1, "num_format": "0.0%"}),
              "int": wb.add_format({**base, "border": 1, "num_format": "0"})}
        _main(wb, fx, context, rows, docx)
        _sources(wb, fx, rows)
        wb.close()

    return write_atomic(out, write, beside=True)  # beside its open namesake, as the report


def _main(wb, fx, context, rows: list[CheckRow], docx: Path) -> None:
    ws = wb.add_worksheet(MAIN)
    ws.write_string(0, 0, TITLE, fx["title"])
    ws.write_string(1, 0, f"Báo cáo: {context.issuer.who} - {context.period.title} (tệp {docx.name})", fx["sub"])
    source = f"biểu tổng hợp «{context.source.name}»" if context.source else "các biểu của chính đơn vị"
    ws.write_string(2, 0, f"Số liệu lấy từ {source}; mỗi dòng là một số liệu in trong báo cáo. Trang «{SOURCES}» "
                          "ghi phần của từng đơn vị (tệp, trang, ô) để cộng lại.", fx["sub"])
    ws.write_string(3, 0, f"Khoảng số liệu: từ {fmt.date_short(context.period.start)} đến "
                          f"{fmt.date_short(context.period.end)}"
                    + (f"; số liệu của các đơn vị tính đến ngày {context.as_of.days}" if context.as_of.known else ""),
                    fx["sub"])
    r = 4
    for w in context.warnings:
        ws.merge_range(r, 0, r, 6, f"Cảnh báo: {w.message}", fx["warn"])
        ws.set_row(r, 30)
        r += 1
    head = max(FIRST_ROW, r + 1)
    for c, (name, width) in enumerate(MAIN_HEAD):
        ws.write_string(head, c, name, fx["th"])
        ws.set_column(c, c, width)
    for n, row in enumerate(rows, start=1):
        rr = head + n
        claim = row.claim
        b = claim.basis
        cells = [(n, "int"), (row.section, "text"), (row.sentence, "text"), (row.shown, "text"),
                 (claim.value, "pct" if claim.kind == "ratio" else "num"),
                 (f"{claim.title}" + (f" ({claim.unit})" if claim.unit and claim.unit != "%" else ""), "text"),
                 ("số liệu của chính đơn vị" if b.own else b.phrase, "text"),
                 (", ".join(b.missing + b.partial), "text"), (b.levels, "text"),
                 (f"{fmt.date_short(b.start)} - {fmt.date_short(b.end)}", "text"), (days_text(b.runs_to), "text"),
                 (claim.rule, "text"), (claim.rollup_cell, "text"), (len(sources_of(claim)), "int"),
                 (claim.key, "text")]
        for c, (v, f) in enumerate(cells):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(rr, c, v, fx[f])
            elif v is None:
                ws.write_blank(rr, c, None, fx["text"])
            else:
                ws.write_string(rr, c, str(v), fx["text"])
        # neither XlsxWriter nor LibreOffice fits a row to its wrapped texts: the height is set
        height = row_height([(v, w, FONT) for (v, _), (_, w) in zip(cells, MAIN_HEAD)])
        if height:
            ws.set_row(rr, height)
    ws.set_row(head, row_height([(name, w, FONT) for name, w in MAIN_HEAD]))
    ws.freeze_panes(head + 1, 3)
    ws.autofilter(head, 0, head + len(rows), len(MAIN_HEAD) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.repeat_rows(head)
    ws.repeat_columns(0, 2)  # the section and the sentence on every page
    ws.fit_to_pages(2, 0)


def sources_of(claim: Claim):
    """A claim's sources; a rate's are its terms' (listed under the rate)."""
    if claim.sources:
        return claim.sources
    return tuple(s for part in (claim.num, claim.den) if part is not None for s in part.sources)


def _sources(wb, fx, rows: list[CheckRow]) -> None:
    ws = wb.add_worksheet(SOURCES)
    for c, (name, width) in enumerate(SOURCE_HEAD):
        ws.write_string(0, c, name, fx["th"])
        ws.set_column(c, c, width)
    r = 1
    for n, row in enumerate(rows, start=1):
        for s in sources_of(row.claim):
            ws.write_number(r, 0, n, fx["int"])
            ws.write_string(r, 1, row.claim.key, fx["text"])
            for c, v in enumerate((s.unit_code, s.unit, s.file, s.sheet, s.cell), start=2):
                ws.write_string(r, c, v or "", fx["text"])
            height = row_height([(s.file, SOURCE_HEAD[4][1], FONT), (s.cell, SOURCE_HEAD[6][1], FONT),
                                 (s.unit, SOURCE_HEAD[3][1], FONT)])
            if height:
                ws.set_row(r, height)
            if isinstance(s.value, (int, float)):
                ws.write_number(r, 7, s.value, fx["num"])
            else:
                ws.write_blank(r, 7, None, fx["text"])
            r += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r - 1, 1), len(SOURCE_HEAD) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
