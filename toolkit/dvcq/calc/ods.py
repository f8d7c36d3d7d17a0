"""Build the LibreOffice control workbook `dvcq-dieu-khien.ods` from files, without LibreOffice.

An OpenDocument spreadsheet is a zip: ``mimetype`` first and stored, then content.xml (the sheets, the
named cells, the buttons as form controls bound to the embedded script), styles.xml, meta.xml,
settings.xml, the macro ``Scripts/python/dieukhien.py`` (macros/dieukhien.py with `macro_settings`
written in) and META-INF/manifest.xml, which must list every entry: without the Scripts lines LibreOffice
loads nothing. The control sheet is dvcq.forms.control's, as in the Excel workbook, with two rows of its
own (the dvcq program the buttons run, the last click) and a red line saying what to do when LibreOffice
blocks the macros. The results table has a sheet of its own, «Kết quả», whose columns the macro fits to
what it writes (under the control sheet's narrow margin columns a file name or a unit code would be cut
off); the sheet «Hướng dẫn» says how to allow the macros (docs/libreoffice.md).
"""
from __future__ import annotations

import os
import re
import sys
import sysconfig
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from dvcq import __version__, outputs, paths
from dvcq.forms.control import (BUTTONS, CONTROL, ERROR, FIRST_INPUT_ROW, INPUTS, INTRO, NO_FOLDER, NO_PLAN,
                                NO_ROLLUP, OUTPUTS, RESULT_COLUMNS, RESULT_ROWS, RESULTS_ROW, RESULTS_TITLE, TITLE,
                                output_cells)
from dvcq.outputs import write_atomic
from dvcq.resources import macros_dir

MACRO = "dieukhien.py"  # its name inside the document is part of every button's script URL
SETTINGS = re.compile(r"^DVCQ = \{\}", re.M)  # what the build fills in, on one line of the macro
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
HELP = "Hướng dẫn"
RESULTS_SHEET = "Kết quả"
RESULTS_STATUS = "KetQuaTrangThai"  # on the results sheet: the status line of the run its table shows
RESULTS_AT = "A4"  # the named cell KetQua, on the results sheet
INTRO_CALC = [INTRO[0], f"Điền các ô màu vàng rồi bấm nút. Kết quả ghi vào các ô màu xanh và trang «{RESULTS_SHEET}»."]
PROGRAM = ("ChuongTrinh", "Chương trình dvcq (các nút chạy)")
LAST_RUN = ("LanBamCuoi", "Lần bấm gần nhất")
PROGRAM_ROW = FIRST_INPUT_ROW + len(INPUTS) + 1 + len(OUTPUTS) + 1  # 1-based; LAST_RUN the row above it
BLOCKED_ROW = FIRST_INPUT_ROW - 1
BLOCKED = (f"Bấm nút mà ô «{LAST_RUN[1]}» không đổi: LibreOffice đang chặn macro của tệp này; xem trang "
           f"«{HELP}» để cho phép.")
# what only the LibreOffice buttons can say: dvcq itself could not be run or said nothing readable
MESSAGES = {
    "no_program": ("Không tìm thấy chương trình dvcq «{path}»: hãy cài lại dvcq (cai-dat.bat) rồi mở bảng điều "
                   f"khiển mới, hoặc ghi đúng đường dẫn vào ô «{PROGRAM[1]}»."),
    "cannot_start": "Không chạy được chương trình dvcq «{path}»: {error}.",
    "timeout": "dvcq chạy quá {minutes} phút nên đã bị dừng.",
    "no_output": "dvcq chạy xong nhưng không cho kết quả đọc được (mã {code}); hãy báo cho người quản trị.",
    "internal": "Lỗi trong nút bấm của LibreOffice ({kind}: {error}); hãy báo cho người quản trị.",
    "running": "Đang chạy «{button}»…",
    "last_run": "«{button}», xong lúc {time}",
}
HELP_LINES = [
    "Cách cho phép các nút của bảng điều khiển dvcq chạy trong LibreOffice Calc",
    "",
    "Các nút bấm là macro (vĩ lệnh) Python lưu trong tệp này. Chúng chỉ gọi chương trình dvcq đã cài trên máy "
    f"(ô «{PROGRAM[1]}» ở trang «{CONTROL}») và ghi kết quả vào trang đó.",
    "Mặc định LibreOffice chặn macro của mọi tệp: khi mở tệp, hộp thoại «Tài liệu này chứa vĩ lệnh… Thiết lập "
    "chạy vĩ lệnh đã bị tắt…» hiện ra (bấm OK), và bấm nút không có tác dụng.",
    "",
    "Cách khuyên dùng (làm một lần): tin cậy thư mục chứa bảng điều khiển.",
    "1. Đóng tệp này. Vào Công cụ > Tùy chọn (Tools > Options) > LibreOffice > Bảo mật (Security), bấm nút "
    "«Macro Security…» (Bảo mật vĩ lệnh).",
    "2. Chọn thẻ «Trusted Sources» (Nguồn tin cậy). Ở phần «Trusted File Locations» bấm «Add…», chọn thư mục "
    "chứa tệp này (cài bằng cai-dat.bat: Documents\\dvcq), bấm OK.",
    "3. Bấm OK hai lần rồi mở lại tệp: các nút chạy mà không hỏi gì thêm.",
    "",
    "Cách khác: thẻ «Security Level» chọn «Medium»; từ đó mỗi lần mở tệp có macro LibreOffice hỏi, bấm "
    "«Enable Macros» cho tệp này. Không chọn «Low»: mọi tệp có macro, kể cả tệp nhận qua thư điện tử, sẽ chạy "
    "mà không hỏi.",
    "Máy Linux (Debian, Ubuntu): cài thêm gói libreoffice-script-provider-python. Máy Windows: LibreOffice cài "
    "đủ thành phần đã có Python; nếu bấm nút mà LibreOffice báo lỗi về Python, cài lại LibreOffice và chọn cả "
    "thành phần Python (Python-UNO).",
    f"Ô «Trạng thái» báo không tìm thấy chương trình dvcq: cài lại dvcq (cai-dat.bat), hoặc ghi đúng đường dẫn "
    f"dvcq.exe vào ô «{PROGRAM[1]}».",
    "Trong khi dvcq chạy (tổng hợp nhiều tệp có thể mất một phút), LibreOffice không nhận thao tác: chờ đến khi "
    "ô «Trạng thái» báo kết quả.",
]

# geometry (cm): the Excel workbook's columns (A 4, B 40, C 52, D 4, E 30, F:J 16 characters) and rows
COLUMNS = [0.85, 7.6, 9.9, 0.85, 5.7] + [3.1] * (RESULT_COLUMNS - 5)
TITLE_HEIGHT, LINE_HEIGHT, FIELD_HEIGHT = 0.9, 0.6, 0.74
BUTTON_WIDTH, BUTTON_HEIGHT = 5.56, 1.06  # the Excel buttons' 210 × 40 pixels

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "form": "urn:oasis:names:tc:opendocument:xmlns:form:1.0",
    "script": "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "ooo": "http://openoffice.org/2004/office",
}


def program_beside(python: str) -> str:
    """The dvcq program beside a Python: ``dvcq.exe`` in a Windows environment's Scripts folder (beside
    python.exe or pythonw.exe), ``dvcq`` in the bin folder elsewhere. Environment variables are kept as
    written (``%LOCALAPPDATA%\\dvcq\\.venv\\Scripts\\dvcq.exe``): the macro expands them at each click."""
    windows = python.lower().endswith(".exe") or "\\" in python
    pure = PureWindowsPath if windows else PurePosixPath
    return str(pure(python).with_name("dvcq.exe" if windows else "dvcq"))


def for_any_account(program: str, environ) -> str:
    """A Windows program under the user's %LOCALAPPDATA% written with the variable
    (``%LOCALAPPDATA%\\dvcq\\.venv\\Scripts\\dvcq.exe``, where cai-dat.bat installs): the macro expands it at
    each click, so a colleague's copy of the workbook runs the colleague's own dvcq; else as it is."""
    base = environ.get("LOCALAPPDATA")
    if not base:
        return program
    try:
        rest = PureWindowsPath(program).relative_to(PureWindowsPath(base))  # Windows rules: any letter case
    except ValueError:
        return program
    return str(PureWindowsPath("%LOCALAPPDATA%") / rest)


def default_program() -> str:
    """The dvcq program of the running environment: beside the running Python, else in its scripts folder
    (a Python installed for all users keeps dvcq.exe in Scripts, beside the folder of python.exe)."""
    name = "dvcq.exe" if os.name == "nt" else "dvcq"
    for candidate in (Path(sys.executable).with_name(name), Path(sysconfig.get_path("scripts")) / name):
        if candidate.is_file():
            return str(candidate)
    return program_beside(sys.executable)


def macro_settings() -> dict:
    """What the build writes into the macro: the words of its messages, the buttons' captions, the cells'
    labels, where annotated copies go in a results folder, the size of the results area."""
    return {"texts": {"error": ERROR, "no_folder": NO_FOLDER, "no_rollup": NO_ROLLUP, "no_plan": NO_PLAN,
                      "not_full": paths.NOT_FULL, **MESSAGES},
            "buttons": {b.macro: b.caption for b in BUTTONS},
            "labels": {name: label for name, label, *_ in INPUTS + OUTPUTS},
            "annotated": outputs.ANNOTATED,
            "table": {"columns": RESULT_COLUMNS, "rows": RESULT_ROWS}}


def macro_source() -> str:
    """The macro as stored in the document: macros/dieukhien.py with `macro_settings` written in."""
    source = (macros_dir() / MACRO).read_text(encoding="utf-8")
    filled, n = SETTINGS.subn(lambda _: f"DVCQ = {macro_settings()!r}", source, count=1)
    if n != 1:
        raise RuntimeError(f"macros/{MACRO} has no line 'DVCQ = {{}}' to fill in")
    return filled


def script_url(function: str) -> str:
    """The URL binding a button to a function of the embedded macro."""
    return f"vnd.sun.star.script:{MACRO}${function}?language=Python&location=document"


def build_calc_workbook(out: Path, program: str | None = None, inputs: Mapping[str, str] | None = None) -> Path:
    """Write the LibreOffice control workbook atomically; its buttons run ``program`` (default:
    `default_program`), written for any account (`for_any_account`); ``inputs``: values of input cells by
    defined name (an earlier workbook's, carried over by `dvcq build`, dvcq.kit)."""
    program = for_any_account(program or default_program(), os.environ)
    return write_atomic(Path(out), lambda tmp: _write(tmp, program, inputs or {}))


def _write(path: Path, program: str, inputs: Mapping[str, str]) -> None:
    entries = [("content.xml", content_xml(program, inputs)), ("styles.xml", styles_xml()), ("meta.xml", meta_xml()),
               ("settings.xml", settings_xml()), (f"Scripts/python/{MACRO}", macro_source()),
               ("META-INF/manifest.xml", manifest_xml())]
    with zipfile.ZipFile(path, "w") as z:
        # mimetype first and stored: how a reader recognises an OpenDocument package
        z.writestr(zipfile.ZipInfo("mimetype", (2024, 1, 1, 0, 0, 0)), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED)


def _xmlns(*prefixes: str) -> str:
    return " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)


def _para(text: str) -> str:
    """One text:p, runs of spaces kept (ODF collapses them otherwise)."""
    body = re.sub(r"  +", lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', escape(text))
    return f"<text:p>{body}</text:p>"


def _cell(text: str = "", style: str | None = None, note: str = "") -> str:
    st = f" table:style-name={quoteattr(style)}" if style else ""
    annotation = (f'<office:annotation office:display="false">{_para(note)}</office:annotation>' if note else "")
    if text == "" and not annotation:
        return f"<table:table-cell{st}/>"
    kind = ' office:value-type="string"' if text else ""
    return f"<table:table-cell{st}{kind}>{annotation}{_para(text) if text else ''}</table:table-cell>"


def _row(cells: list[str], style: str = "roLine") -> str:
    return f'<table:table-row table:style-name="{style}">' + "".join(cells) + "</table:table-row>"


def row_heights() -> dict[int, float]:
    """The fixed heights (cm) of the control sheet's rows above the results, by 1-based row."""
    heights = {1: TITLE_HEIGHT}
    for r in range(2, RESULTS_ROW):
        heights[r] = FIELD_HEIGHT if FIRST_INPUT_ROW <= r <= PROGRAM_ROW else LINE_HEIGHT
    return heights


def _row_style(r: int) -> str:
    return {TITLE_HEIGHT: "roTitle", FIELD_HEIGHT: "roField", LINE_HEIGHT: "roLine"}[row_heights()[r]]


def cells_of_control() -> dict[str, str]:
    """Every named cell of the control sheet: dvcq.forms.control's and the two of LibreOffice's own."""
    cells = output_cells()
    del cells["KetQua"]  # on the results sheet (`named_cells`)
    cells[LAST_RUN[0]] = f"C{PROGRAM_ROW - 1}"
    cells[PROGRAM[0]] = f"C{PROGRAM_ROW}"
    return cells


def named_cells() -> dict[str, tuple[str, str]]:
    """Every named cell: name -> (sheet, 1-based address)."""
    cells = {name: (CONTROL, cell) for name, cell in cells_of_control().items()}
    cells["KetQua"] = (RESULTS_SHEET, RESULTS_AT)
    cells[RESULTS_STATUS] = (RESULTS_SHEET, "A2")
    return cells


def _control_sheet(program: str, inputs: Mapping[str, str]) -> str:
    rows: dict[int, list[str]] = {1: [_cell(), _cell(TITLE, "title")]}
    for r, line in enumerate(INTRO_CALC, start=2):
        rows[r] = [_cell(), _cell(line, "hint")]
    rows[BLOCKED_ROW] = [_cell(), _cell(BLOCKED, "blocked")]
    cells = cells_of_control()
    for name, label, example in INPUTS:
        rows[int(cells[name][1:])] = [_cell(), _cell(label, "label"),
                                      _cell(inputs.get(name, ""), "input", f"Ví dụ: {example}" if example else "")]
    for name, label in OUTPUTS + [LAST_RUN]:
        rows[int(cells[name][1:])] = [_cell(), _cell(label, "label"), _cell("", "result")]
    rows[PROGRAM_ROW] = [_cell(), _cell(PROGRAM[1], "label"), _cell(program, "input")]
    rows[RESULTS_ROW - 1] = [_cell(), _cell(f"{RESULTS_TITLE}: xem trang «{RESULTS_SHEET}»", "label")]
    body = "".join(_row(rows.get(r, [_cell()]), _row_style(r)) for r in range(1, RESULTS_ROW))
    body += '<table:table-row table:style-name="roTable" table:number-rows-repeated="2"><table:table-cell/></table:table-row>'

    heights = row_heights()
    x = sum(COLUMNS[:4]) + 0.1
    forms, shapes = [], []
    for i, button in enumerate(BUTTONS):
        cid = f"control{i + 1}"
        forms.append(
            f'<form:button form:name="{button.macro}" xml:id="{cid}" form:id="{cid}"'
            ' form:control-implementation="ooo:com.sun.star.form.component.CommandButton"'
            f' form:label={quoteattr(button.caption)} office:target-frame="" form:button-type="push">'
            '<form:properties><form:property form:property-name="DefaultControl" office:value-type="string"'
            ' office:string-value="com.sun.star.form.control.CommandButton"/></form:properties>'
            '<office:event-listeners><script:event-listener script:language="ooo:script"'
            f' script:event-name="form:performaction" xlink:href={quoteattr(script_url(button.function))}'
            ' xlink:type="simple"/></office:event-listeners></form:button>')
        row = FIRST_INPUT_ROW + 2 * i  # as the Excel buttons: beside every other input row
        y = sum(heights[r] for r in range(1, row)) + 0.05
        shapes.append(f'<draw:control draw:z-index="{i}" draw:name="{button.macro}" draw:text-style-name="buttonText"'
                      f' svg:width="{BUTTON_WIDTH}cm"'
                      f' svg:height="{BUTTON_HEIGHT}cm" svg:x="{x:.2f}cm" svg:y="{y:.2f}cm" draw:control="{cid}"/>')
    form = ('<office:forms form:automatic-focus="false" form:apply-design-mode="false">'
            '<form:form form:name="DieuKhien" form:apply-filter="true" form:command-type="table"'
            ' form:control-implementation="ooo:com.sun.star.form.component.Form" office:target-frame="">'
            + "".join(forms) + "</form:form></office:forms>")
    columns = "".join(f'<table:table-column table:style-name="co{i}" table:default-cell-style-name="Default"/>'
                      for i in range(len(COLUMNS)))
    return (f'<table:table table:name={quoteattr(CONTROL)} table:style-name="ta1">{form}'
            f'<table:shapes>{"".join(shapes)}</table:shapes>{columns}{body}</table:table>')


def _results_sheet() -> str:
    return (f'<table:table table:name={quoteattr(RESULTS_SHEET)} table:style-name="ta1">'
            f'<table:table-column table:style-name="coResult" table:number-columns-repeated="{RESULT_COLUMNS}"'
            ' table:default-cell-style-name="Default"/>'
            + _row([_cell(RESULTS_TITLE, "title")], "roTitle")
            + _row([_cell("Chưa có kết quả: bấm một nút ở trang «Điều khiển».", "hint")]) + _row([_cell()])
            + _row([f'<table:table-cell table:style-name="label" table:number-columns-repeated="{RESULT_COLUMNS}"/>'])
            + "</table:table>")  # row 4, the table's header, in bold


def _help_sheet() -> str:
    rows = "".join(_row([_cell(line, "title" if i == 0 else "wrap")], "roTitle" if i == 0 else "roHelp")
                   for i, line in enumerate(HELP_LINES))
    return (f'<table:table table:name={quoteattr(HELP)} table:style-name="ta1">'
            '<table:table-column table:style-name="coHelp" table:default-cell-style-name="Default"/>'
            f"{rows}</table:table>")


def _named_ranges() -> str:
    items = []
    for name, (sheet, cell) in named_cells().items():
        addr = f"$'{sheet}'.${cell[0]}${cell[1:]}"
        items.append(f'<table:named-range table:name="{name}" table:base-cell-address={quoteattr(addr)}'
                     f' table:cell-range-address={quoteattr(addr)}/>')
    return "<table:named-expressions>" + "".join(items) + "</table:named-expressions>"


def _styles() -> str:
    def cell(name: str, cell_props: str = "", text_props: str = "", data: str = "") -> str:
        ds = f' style:data-style-name="{data}"' if data else ""
        return (f'<style:style style:name="{name}" style:family="table-cell" style:parent-style-name="Default"{ds}>'
                f"<style:table-cell-properties {cell_props} style:vertical-align=\"middle\"/>"
                f"<style:text-properties {text_props}/></style:style>")

    columns = "".join(f'<style:style style:name="co{i}" style:family="table-column">'
                      f'<style:table-column-properties style:column-width="{w}cm"/></style:style>'
                      for i, w in enumerate(COLUMNS))
    rows = "".join(f'<style:style style:name="{n}" style:family="table-row"><style:table-row-properties'
                   f' style:row-height="{h}cm" style:use-optimal-row-height="false"/></style:style>'
                   for n, h in (("roTitle", TITLE_HEIGHT), ("roField", FIELD_HEIGHT), ("roLine", LINE_HEIGHT)))
    return ('<number:text-style style:name="Text"><number:text-content/></number:text-style>'
            '<style:style style:name="buttonText" style:family="paragraph"><style:paragraph-properties'
            ' fo:text-align="center"/><style:text-properties style:font-name="Times New Roman" fo:font-size="14pt"/>'
            '</style:style>'
            '<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
            '<style:table-properties table:display="true"/></style:style>'
            + columns + rows
            + '<style:style style:name="roTable" style:family="table-row"><style:table-row-properties'
              ' style:use-optimal-row-height="true"/></style:style>'
            '<style:style style:name="roHelp" style:family="table-row"><style:table-row-properties'
            ' style:use-optimal-row-height="true"/></style:style>'
            '<style:style style:name="coResult" style:family="table-column">'
            '<style:table-column-properties style:column-width="3cm"/></style:style>'
            '<style:style style:name="coHelp" style:family="table-column">'
            '<style:table-column-properties style:column-width="25cm"/></style:style>'
            + cell("title", text_props='fo:font-size="16pt" fo:font-weight="bold" fo:color="#1f4e79"')
            + cell("hint", text_props='fo:font-style="italic" fo:color="#7f7f7f"')
            + cell("blocked", text_props='fo:font-weight="bold" fo:color="#c00000"')
            + cell("label", text_props='fo:font-weight="bold"')
            + cell("input", 'fo:background-color="#fff2cc" fo:border="0.5pt solid #000000" fo:wrap-option="no-wrap"',
                   data="Text")
            + cell("result", 'fo:background-color="#e2efda" fo:border="0.5pt solid #000000"', data="Text")
            + cell("wrap", 'fo:wrap-option="wrap"'))


def content_xml(program: str, inputs: Mapping[str, str] | None = None) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document-content {_xmlns(*NS)} office:version="1.3">'
            f"<office:automatic-styles>{_styles()}</office:automatic-styles>"
            "<office:body><office:spreadsheet>"
            + _control_sheet(program, inputs or {}) + _results_sheet() + _help_sheet() + _named_ranges()
            + "</office:spreadsheet></office:body></office:document-content>")


def styles_xml() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document-styles {_xmlns("office", "style", "text", "table", "fo", "svg")} office:version="1.3">'
            '<office:font-face-decls><style:font-face style:name="Times New Roman"'
            ' svg:font-family="&apos;Times New Roman&apos;" style:font-family-generic="roman"'
            ' style:font-pitch="variable"/></office:font-face-decls>'
            '<office:styles><style:default-style style:family="table-cell"><style:text-properties'
            ' style:font-name="Times New Roman" fo:font-size="12pt" fo:language="vi" fo:country="VN"/>'
            '</style:default-style><style:style style:name="Default" style:family="table-cell"/></office:styles>'
            '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties'
            ' fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.5cm"'
            ' fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"'
            '/></style:page-layout></office:automatic-styles>'
            '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1">'
            '<style:header style:display="false"/><style:footer style:display="false"/></style:master-page>'
            "</office:master-styles></office:document-styles>")


def meta_xml() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document-meta {_xmlns("office", "meta", "dc")} office:version="1.3"><office:meta>'
            f"<meta:generator>dvcq {escape(__version__)}</meta:generator><dc:title>Bảng điều khiển dvcq</dc:title>"
            "</office:meta></office:document-meta>")


def settings_xml() -> str:
    def item(name: str, kind: str, value: str) -> str:
        return f'<config:config-item config:name="{name}" config:type="{kind}">{value}</config:config-item>'

    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document-settings {_xmlns("office", "config", "ooo")} office:version="1.3"><office:settings>'
            '<config:config-item-set config:name="ooo:view-settings">'
            '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
            + item("ViewId", "string", "view1") + item("ActiveTable", "string", escape(CONTROL))
            + item("ShowGrid", "boolean", "false")
            + "</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set>"
            "</office:settings></office:document-settings>")


def manifest_xml() -> str:
    entries = [("/", MIMETYPE), ("content.xml", "text/xml"), ("styles.xml", "text/xml"), ("meta.xml", "text/xml"),
               ("settings.xml", "text/xml"), ("Scripts/", "application/binary"),
               ("Scripts/python/", "application/binary"), (f"Scripts/python/{MACRO}", "")]
    body = "".join(f' <manifest:file-entry manifest:full-path="{p}"'
                   f'{" manifest:version=" + chr(34) + "1.3" + chr(34) if p == "/" else ""}'
                   f' manifest:media-type="{m}"/>\n' for p, m in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            f' manifest:version="1.3">\n{body}</manifest:manifest>\n')


# --- reading back an officer's copy (dvcq.kit carries its input cells into the new workbook) ---------------

_ADDRESS = re.compile(r"^\$?(?:'(?P<quoted>(?:[^']|'')*)'|(?P<plain>[^.']+))\.\$?(?P<col>[A-Z]+)\$?(?P<row>[0-9]+)")


def _tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _inline(element) -> str:
    """The text of a paragraph or span as LibreOffice shows it (runs of spaces, tabs and line breaks)."""
    out = [element.text or ""]
    for child in element:
        if child.tag == _tag("text", "s"):
            out.append(" " * int(child.get(_tag("text", "c"), "1")))
        elif child.tag == _tag("text", "tab"):
            out.append("\t")
        elif child.tag == _tag("text", "line-break"):
            out.append("\n")
        elif child.tag != _tag("office", "annotation"):
            out.append(_inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _column(letters: str) -> int:
    n = 0
    for c in letters:
        n = n * 26 + ord(c) - ord("A") + 1
    return n - 1


def _texts(table, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The text of the cells ``wanted`` (0-based row, column) of a sheet, its rows and cells repeated as
    written (``number-rows-repeated``, ``number-columns-repeated``); a cell's comment is not its text."""
    found: dict[tuple[int, int], str] = {}
    last = max(r for r, _ in wanted)
    row = 0
    for tr in table.iter(_tag("table", "table-row")):
        rows = range(row, row + int(tr.get(_tag("table", "number-rows-repeated"), "1")))
        col = 0
        for cell in tr:
            if cell.tag not in (_tag("table", "table-cell"), _tag("table", "covered-table-cell")):
                continue
            cols = range(col, col + int(cell.get(_tag("table", "number-columns-repeated"), "1")))
            for r, c in wanted:
                if r in rows and c in cols:
                    found[(r, c)] = "\n".join(_inline(p) for p in cell.findall(_tag("text", "p")))
            col = cols.stop
        row = rows.stop
        if row > last:
            break
    return found


def control_inputs(path: Path) -> dict[str, str]:
    """The input cells of a LibreOffice control workbook as an officer saved it, by defined name, found
    through its named ranges ({} when it cannot be read)."""
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("content.xml"))
    except Exception:  # not an OpenDocument file, or a damaged one: it is kept as it is, the new one starts empty
        return {}
    names = {name for name, _, _ in INPUTS}
    where: dict[str, tuple[str, tuple[int, int]]] = {}
    for named in root.iter(_tag("table", "named-range")):
        m = _ADDRESS.match(named.get(_tag("table", "cell-range-address"), ""))
        if named.get(_tag("table", "name")) in names and m:
            sheet = m["plain"] if m["plain"] is not None else m["quoted"].replace("''", "'")
            where[named.get(_tag("table", "name"))] = (sheet, (int(m["row"]) - 1, _column(m["col"])))
    values = {}
    for table in root.iter(_tag("table", "table")):
        cells = {name: cell for name, (sheet, cell) in where.items() if sheet == table.get(_tag("table", "name"))}
        if not cells:
            continue
        texts = _texts(table, set(cells.values()))
        values.update({name: texts[cell] for name, cell in cells.items() if texts.get(cell, "").strip()})
    return values
