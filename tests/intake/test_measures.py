"""The log's and the plan's measures computed a column at a time (dvcq.intake.measures.compute) give exactly what
the row-by-row reference gives (compute_by_rows): on random columns (hypothesis), on the committed samples, and
against counts taken from the raw cells of a sample log with python-calamine."""
from __future__ import annotations

from pathlib import Path

import pytest
from dvcq.forms.spec import LOG, PLAN, load_form
from dvcq.intake import measures
from dvcq.intake.validate import validate_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tests.support.budget import examples
from tests.support.paths import SAMPLE


def _same(a: dict, b: dict) -> bool:
    """The same figures, of the same types, in the same order."""
    return list(a) == list(b) and all(repr(a[k]) == repr(b[k]) for k in a)


def _choices(field) -> list:
    enum = field.enum or []
    return list(enum) + [None, "", "khác"]


ODD = st.one_of(st.none(), st.just(""), st.integers(-3, 40), st.sampled_from(["x", "Có", "1"]),
                st.floats(allow_nan=False, allow_infinity=False, min_value=-5, max_value=50))


@st.composite
def log_columns(draw, form_id: str):
    """Cleaned columns of a form's first table as the checks could leave them: each field's allowed values mixed
    with empty cells and odd ones, case references repeated, numbers as ints, whole floats or fractions; a
    column only filtered on sometimes missing or shorter than the others (a counted or summed one never is: the
    reference indexes it by row)."""
    form = load_form(form_id)
    sheet = form.table_sheets()[0]
    indexed = {m.sum for m in form.measures} | {m.distinct for m in form.measures}
    n = draw(st.integers(0, 40))
    cols: dict[str, list] = {}
    for f in sheet.fields:
        if f.name not in indexed and draw(st.integers(0, 30)) == 0:
            continue  # a column the file does not have
        if f.enum:
            item = st.one_of(st.sampled_from(_choices(f)), ODD) if draw(st.booleans()) else st.sampled_from(_choices(f))
        elif f.name == sheet.case_field:
            item = st.one_of(st.none(), st.just(""), st.sampled_from([f"VV{i}" for i in range(6)]))
        elif f.whole:
            item = st.one_of(st.none(), st.integers(0, 20), st.integers(0, 20).map(float))
            if draw(st.integers(0, 4)) == 0:
                item = st.one_of(item, st.floats(0, 20, allow_nan=False))
        else:
            item = ODD
        length = n if f.name in indexed or draw(st.integers(0, 8)) else draw(st.integers(0, n))
        cols[f.name] = draw(st.lists(item, min_size=length, max_size=length))
    return form, {sheet.name: cols}


# random columns per run: 20 in `make test` (about 0.8 s of CPU), DVCQ_PROPERTY_EXAMPLES (1000) in `make fuzz`
LOG_EXAMPLES = examples(20)


@settings(max_examples=LOG_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_columns(LOG))
def test_the_logs_measures_column_wise_are_the_row_by_row_ones(drawn):
    form, columns = drawn
    assert _same(measures.compute(form, columns), measures.compute_by_rows(form, columns))


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_columns(PLAN))
def test_the_plans_measures_column_wise_are_the_row_by_row_ones(drawn):
    form, columns = drawn
    assert _same(measures.compute(form, columns), measures.compute_by_rows(form, columns))


def test_a_fractional_sum_goes_row_by_row():
    """A summed column of fractions adds up in the reference's order (compute falls back to it)."""
    form = load_form(LOG)
    sheet = form.table_sheets()[0]
    key = next(f.name for f in sheet.fields if f.required)
    n = 30
    cols = {f.name: [None] * n for f in sheet.fields}
    cols.update({key: ["x"] * n, "so_nguoi": [0.1 * (i % 7) for i in range(n)]})
    got, ref = measures.compute(form, {sheet.name: cols}), measures.compute_by_rows(form, {sheet.name: cols})
    assert _same(got, ref) and isinstance(got["so_nguoi"], float)


def _kept(paths: list[Path]):
    for p in paths:
        r = validate_file(p, keep=True)
        ctx = getattr(r, "_ctx", None)
        if ctx is not None and ctx.form.measures:
            yield p, ctx


@pytest.mark.parametrize("kind", ["so-tiep-cong-dan", "ke-hoach"])
def test_the_samples_measures_are_the_same_both_ways(kind):
    paths = sorted(SAMPLE.glob(f"*-{kind}-*.xlsx"))
    assert paths
    for p, ctx in _kept(paths):
        assert _same(measures.compute(ctx.form, ctx.clean), measures.compute_by_rows(ctx.form, ctx.clean)), p.name


def test_a_sample_logs_counts_from_its_raw_cells():
    """Visits, people and cases of a sample log counted from its cells with python-calamine, not through dvcq."""
    path = sorted(SAMPLE.glob("*-so-tiep-cong-dan-*.xlsx"))[0]
    (_, ctx), = list(_kept([path]))
    form = ctx.form
    sheet = form.table_sheets()[0]
    titles = {f.title: f.name for f in sheet.fields}
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    head = rows[sheet.header_row - 1]
    at = {titles[str(t).strip()]: i for i, t in enumerate(head) if str(t).strip() in titles}
    key = next(f.name for f in sheet.fields if f.required)
    body = [r for r in rows[sheet.first_row - 1:] if len(r) > at[key] and r[at[key]] not in ("", None)]
    got = measures.compute(form, ctx.clean)
    assert got["luot_tiep"] == len(body) > 0
    assert got["so_nguoi"] == sum(int(r[at["so_nguoi"]]) for r in body if r[at["so_nguoi"]] not in ("", None))
    assert got["vu_viec"] == len({str(r[at["ma_vu_viec"]]).strip() for r in body if r[at["ma_vu_viec"]] not in ("", None)})
