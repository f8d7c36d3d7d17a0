"""One sheet's cells read once with openpyxl: a read-only worksheet parses the whole sheet again for each
``ws["E12"]`` (a report's sixty indicator cells cost sixty parses), so a test reading many cells of a file reads
its rows once here and looks the cells up."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple


class SheetCells:
    """The values of one sheet (``cells["E12"]``: None when empty or outside the used range)."""

    def __init__(self, path: Path, sheet: str):
        wb = load_workbook(path, read_only=True)
        try:
            self.rows = [tuple(r) for r in wb[sheet].iter_rows(min_row=1, min_col=1, values_only=True)]
        finally:
            wb.close()

    def __getitem__(self, ref: str):
        row, col = coordinate_to_tuple(ref)
        if row > len(self.rows) or col > len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][col - 1]
