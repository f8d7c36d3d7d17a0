"""A worksheet for the forms: XlsxWriter's, without the 28 no-op substitutions of each formula.

XlsxWriter prepares every formula (a cell's, a data validation's) by trying 28 regular expressions that give the
newest Excel functions their ``_xlfn.`` prefix (``FILTER(`` -> ``_xlfn._xlws.FILTER(``...). A form has no such
function, and its formulas are many (a built form about 50, a filled periodic report about 70, and each data
validation's limits): the substitutions were about an eighth of writing a form. ``FormSheet`` strips the formula
as XlsxWriter does and returns it when none of those names (nor ``_xlfn.``) is in it; any other formula, or a book
using future functions, goes through XlsxWriter's own code, so the bytes are XlsxWriter's
(tests/forms/test_formsheet.py, the golden forms)."""
from __future__ import annotations

import re

from xlsxwriter.worksheet import Worksheet

# the names XlsxWriter 3.3's _prepare_formula looks for when future functions are off (its "\SINGLE\(" matches any
# character then "INGLE("); a formula without any of them, followed by "(", is returned unchanged by it
DYNAMIC = ("ANCHORARRAY", "BYCOL", "BYROW", "CHOOSECOLS", "CHOOSEROWS", "DROP", "EXPAND", "FILTER", "HSTACK",
           "LAMBDA", "MAKEARRAY", "MAP", "RANDARRAY", "REDUCE", "SCAN", "INGLE", "SEQUENCE", "SORT", "SWITCH", "TAKE",
           "TEXTSPLIT", "TOCOL", "TOROW", "UNIQUE", "VSTACK", "WRAPCOLS", "WRAPROWS", "XLOOKUP")
_MAYBE = re.compile("|".join(re.escape(f"{name}(") for name in DYNAMIC) + "|_xlfn\\.")


class FormSheet(Worksheet):
    """XlsxWriter's worksheet, its formulas prepared without the substitutions none of them needs."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        if self.use_future_functions or expand_future_functions or _MAYBE.search(formula):
            return super()._prepare_formula(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula
