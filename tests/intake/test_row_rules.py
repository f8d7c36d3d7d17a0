"""A table's row rules checked a column at a time (dvcq.intake.checks.check_row_rules: a one-of rule's counts as bit
masks, two date or number cells compared by one map over the columns) give the issues a row-by-row reading of the
specification gives: on random cleaned columns of the log's and the plan's tables (hypothesis)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from dvcq.forms.spec import LOG, PLAN, col_letter, load_form
from dvcq.intake.checks import Ctx, TableCtx, check_row_rules
from dvcq.intake.issues import FileResult
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.budget import examples

WINDOW = (date(2025, 1, 1), date(2025, 12, 31))
DAYS = st.dates(date(2024, 11, 1), date(2026, 2, 1))


def _cells(field):
    """A field's cleaned cells as clean_cells leaves them: a value of its type or None."""
    if field.type == "date":
        values = DAYS
    elif field.type in ("integer", "year"):
        values = st.integers(0, 40)
    elif field.type == "number":
        values = st.one_of(st.integers(0, 40), st.floats(0, 40, allow_nan=False))
    elif field.enum:
        values = st.sampled_from(list(field.enum))
    elif field.type == "deadline":
        values = st.one_of(DAYS, st.just("Hằng năm"))
    else:
        values = st.sampled_from(["a", "Nguyễn Văn A"])
    return st.one_of(st.none(), values)


@st.composite
def tables(draw):
    form = load_form(draw(st.sampled_from([LOG, PLAN])))
    sheet = draw(st.sampled_from([s for s in form.table_sheets() if s.rules]))
    n = draw(st.integers(0, 12))
    clean = {f.name: draw(st.lists(_cells(f), min_size=n, max_size=n)) for f in sheet.fields}
    return form, sheet, clean, list(range(sheet.first_row, sheet.first_row + n))


def _meets(form, want, v) -> bool:
    if isinstance(want, dict):
        return isinstance(v, (int, float)) and v >= form.setting(want["minimum"])
    return v in (want if isinstance(want, list) else [want])


def by_rows(form, sheet, clean, rows) -> list[tuple]:
    """(rule, cell) of each breach, rule by rule and row by row, read from the specification as it is written."""
    out = []
    for rule in sheet.rules:
        col = col_letter(sheet.col(rule.target))
        for i, r in enumerate(rows):
            if not all(_meets(form, want, clean[name][i]) for name, want in rule.when.items()):
                continue
            if rule.one_of:
                bad = sum(clean[k][i] not in (None, "") for k in rule.one_of) != 1
            elif rule.expr is not None:
                def get(name):
                    v = WINDOW[1] if name == "period_end" else clean[name][i]
                    return v.toordinal() if isinstance(v, date) else v
                bad = rule.expr.evaluate(get) is False
            elif rule.require:
                bad = any(clean[k][i] is None for k in rule.require)
            else:
                bad = any(clean[k][i] is not None and clean[k][i] != v for k, v in rule.expect.items())
            if bad:
                out.append((rule, f"{col}{r}"))
    return out


@settings(derandomize=True, max_examples=examples(100), deadline=None)  # `make fuzz`: 1,000
@given(tables())
def test_row_rules_over_columns_are_the_rules_row_by_row(table):
    form, sheet, clean, rows = table
    result = FileResult(path=Path("x.xlsx"))
    ctx = Ctx(result=result, book=None, form=form, sub=None, window=WINDOW)
    check_row_rules(TableCtx(ctx, sheet, clean, rows))
    want = by_rows(form, sheet, clean, rows)
    assert [(i.field, i.cell, i.severity) for i in result.issues] == [(r.target, c, r.severity) for r, c in want]
    assert all(r.message in i.message for i, (r, _) in zip(result.issues, want))
