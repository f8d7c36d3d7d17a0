"""Type one value over one cell of an .xlsx by editing the sheet's XML in the zip, the way Excel writes what an
official types: a number as ``<v>``, a date as its serial number (the cell's own date style kept), text as a shared
string (``t="s"``, the string added to ``xl/sharedStrings.xml`` once; an inline string in a file that has no shared
strings, as openpyxl writes them), an emptied cell as the bare styled cell.
Every other part of the file keeps its bytes.

For the cases where what is read is the typed value, not the writer: ``corpus.put`` (openpyxl's load and save,
0.15-0.5 s a form) re-saves the whole workbook in openpyxl's layout, this costs a few milliseconds. Keep
``corpus.put`` where the openpyxl-saved file is part of what a test proves.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from dvcq.forms.spec import col_index, col_letter

_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 in the 1900 date system (from 1 March 1900 on)
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    wanted = escape(sheet, {'"': "&quot;"}).encode()
    rid = next((r for name, r in _SHEET.findall(parts["xl/workbook.xml"]) if name == wanted), None)
    if rid is None:
        raise KeyError(f"no sheet {sheet!r}")
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship\b[^>]*\bId="{rid.decode()}"[^>]*\bTarget="([^"]*)"', rels) or \
        re.search(rf'<Relationship\b[^>]*\bTarget="([^"]*)"[^>]*\bId="{rid.decode()}"', rels)
    path = target.group(1)
    return path.lstrip("/") if path.startswith("/") else f"xl/{path}"


def _shared_string(parts: dict[str, bytes], text: str) -> int:
    """The index of ``text`` in the shared strings, added at the end when absent (counts updated)."""
    sst = parts["xl/sharedStrings.xml"].decode("utf-8")
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    item = f"<si><t{space}>{escape(text)}</t></si>"
    items = re.findall(r"<si>.*?</si>|<si/>", sst, re.S)
    if item in items:
        index = items.index(item)
    else:
        index = len(items)
        sst = sst.replace("</sst>", item + "</sst>")
        sst = re.sub(r'\buniqueCount="\d+"', f'uniqueCount="{index + 1}"', sst, count=1)
    total = re.search(r'\bcount="(\d+)"', sst)  # optional (openpyxl writes none)
    if total:
        sst = sst[:total.start(1)] + str(int(total.group(1)) + 1) + sst[total.end(1):]
    parts["xl/sharedStrings.xml"] = sst.encode("utf-8")
    return index


def _value_xml(parts: dict[str, bytes], value, as_text: bool) -> tuple[str, str]:
    """(the cell's type attribute, its inner XML) for ``value``."""
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return ' t="b"', f"<v>{int(value)}</v>"
    if isinstance(value, (int, float, Decimal)) and not as_text:
        return "", f"<v>{value!r}</v>" if isinstance(value, float) else f"<v>{value}</v>"
    if isinstance(value, (date, datetime)) and not as_text:
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        days = (moment - _EPOCH).total_seconds() / 86400
        return "", f"<v>{int(days) if days == int(days) else repr(days)}</v>"
    text = str(value)
    if text.startswith("=") and not as_text:
        raise ValueError("a formula: use corpus.put (openpyxl) or type it as text")
    if "xl/sharedStrings.xml" not in parts:  # a file with inline strings only (openpyxl's): one more of them
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        return ' t="inlineStr"', f"<is><t{space}>{escape(text)}</t></is>"
    return ' t="s"', f"<v>{_shared_string(parts, text)}</v>"


def _column_style(xml: str, col: int) -> str:
    for m in re.finditer(r"<col\b([^>]*)/>", xml):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if int(attrs["min"]) <= col <= int(attrs["max"]) and "style" in attrs:
            return f' s="{attrs["style"]}"'
    return ""


def _widen_dimension(xml: str, col: int, row: int) -> str:
    m = re.search(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', xml)
    if not m:
        return xml
    c1, r1 = col_index(m.group(1)), int(m.group(2))
    c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    c1, r1, c2, r2 = min(c1, col), min(r1, row), max(c2, col), max(r2, row)
    return xml[:m.start()] + f'<dimension ref="{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"' + xml[m.end():]


def type_over(path: Path, sheet: str, ref: str, value, as_text: bool = False) -> Path:
    """Write ``value`` into ``sheet``!``ref`` of the workbook at ``path`` as Excel would when an official types it
    (``as_text``: a number or date typed as text, as after an apostrophe). Returns ``path``."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        parts = {i.filename: z.read(i.filename) for i in infos}
    part = _sheet_part(parts, sheet)
    xml = parts[part].decode("utf-8")
    letters, row_text = _CELL_REF.fullmatch(ref).groups()
    row, col = int(row_text), col_index(letters)
    kind, inner = _value_xml(parts, value, as_text)

    rows = list(re.finditer(r'<row\b[^>]*\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', xml, re.S))
    here = next((m for m in rows if int(m.group(1)) == row), None)
    if here is None:  # a row of its own, in order
        after = next((m for m in rows if int(m.group(1)) > row), None)
        at = after.start() if after else xml.index("</sheetData>") if "</sheetData>" in xml else None
        new_row = f'<row r="{row}"></row>'
        if at is None:
            xml = xml.replace("<sheetData/>", f"<sheetData>{new_row}</sheetData>")
        else:
            xml = xml[:at] + new_row + xml[at:]
        here = re.search(rf'<row r="{row}"></row>', xml)
    row_xml = here.group(0)
    if row_xml.endswith("/>"):
        row_xml = row_xml[:-2] + "></row>"
    cells = list(re.finditer(r'<c\b[^>]*\br="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', row_xml, re.S))
    old = next((m for m in cells if m.group(1) == letters), None)
    if old is not None:
        if 't="shared"' in old.group(0):
            raise ValueError(f"{ref} holds a shared formula: use corpus.put (openpyxl)")
        style = re.search(r'\bs="\d+"', old.group(0).split(">", 1)[0])
        style = f" {style.group(0)}" if style else ""
    else:
        style = _column_style(xml, col)
    if isinstance(value, (date, datetime)) and not as_text and not style:
        raise ValueError(f"{ref} has no style to show a date by: use corpus.put (openpyxl gives it one)")
    new_cell = f'<c r="{ref}"{style}{kind}>{inner}</c>' if inner else f'<c r="{ref}"{style}/>'
    if old is not None:
        row_xml = row_xml[:old.start()] + new_cell + row_xml[old.end():]
    else:
        later = next((m for m in cells if col_index(m.group(1)) > col), None)
        at = later.start() if later else row_xml.rindex("</row>")
        row_xml = row_xml[:at] + new_cell + row_xml[at:]
    row_xml = re.sub(r'\sspans="[^"]*"', "", row_xml, count=1)  # optional; the cells may now lie outside it
    xml = xml[:here.start()] + row_xml + xml[here.end():]
    parts[part] = _widen_dimension(xml, col, row).encode("utf-8")

    with zipfile.ZipFile(path, "w") as z:
        for info in infos:
            z.writestr(info, parts[info.filename])
    return path
