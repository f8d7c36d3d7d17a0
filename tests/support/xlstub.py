"""The one stand-in allowed: an xlwings Book over a real workbook file (openpyxl, keep_vba).

It implements only what dvcq.excel.xl uses: ``fullname`` (the workbook's path, as xlwings gives it),
``names[name].refers_to_range.value`` (get/set) and ``sheets[name].range(address)`` with ``.value`` (a value or a 2-D list), ``.number_format`` (set)
and ``.clear_contents()``. Like Excel, text that looks like a number written into a General cell
becomes a number ("00001" -> 1.0, as a user typing it would get); a Text ("@") cell keeps it.
"""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _as_excel_stores(text: str, number_format: str):
    """What Excel keeps of a text entered into a cell of this number format."""
    return float(text) if number_format != "@" and _NUMBER.fullmatch(text) else text


class _Range:
    def __init__(self, ws, address: str):
        self.ws, self.address = ws, address.replace("$", "")

    @property
    def value(self):
        return self.ws[self.address.split(":")[0]].value

    @value.setter
    def value(self, v):
        c1, r1, _, _ = range_boundaries(self.address.split(":")[0] + ":" + self.address.split(":")[0])
        rows = v if isinstance(v, list) and v and isinstance(v[0], list) else [[v]]
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                cell = self.ws.cell(row=r1 + i, column=c1 + j)
                cell.value = _as_excel_stores(x, cell.number_format) if isinstance(x, str) else x
                if isinstance(cell.value, str):
                    cell.data_type = "s"

    @property
    def number_format(self):
        return self.ws[self.address.split(":")[0]].number_format

    @number_format.setter
    def number_format(self, fmt: str):
        c1, r1, c2, r2 = range_boundaries(self.address)
        for row in self.ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
            for c in row:
                c.number_format = fmt

    def clear_contents(self):
        c1, r1, c2, r2 = range_boundaries(self.address)
        for row in self.ws.iter_rows(min_row=r1, max_row=min(r2, self.ws.max_row), min_col=c1, max_col=c2):
            for c in row:
                c.value = None


class _Sheet:
    def __init__(self, ws):
        self.ws = ws

    def range(self, address: str) -> _Range:
        return _Range(self.ws, address)


class _Name:
    def __init__(self, wb, defined):
        sheet, ref = list(defined.destinations)[0]
        self.refers_to_range = _Range(wb[sheet], ref)


class Book:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.fullname = str(self.path)  # a web address when Excel opened the workbook from OneDrive or SharePoint
        self.wb = load_workbook(self.path, keep_vba=True)
        self.names = {n: _Name(self.wb, d) for n, d in self.wb.defined_names.items()}
        self.sheets = {ws.title: _Sheet(ws) for ws in self.wb.worksheets}

    def save(self):
        self.wb.save(self.path)
