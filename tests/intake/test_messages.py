"""The error catalogue (dvcq.intake.messages): every template renders with exactly its declared parameters,
a wrong call fails loudly naming the code, and private variants never take a cell's value."""
from __future__ import annotations

import pytest
from dvcq.forms.spec import col_letter, load_form
from dvcq.intake.issues import CODES, FileResult
from dvcq.intake.messages import CATALOGUE, ERROR, LOCATION, PHRASES, WARNING, Message, entry, lookup, message, phrase
from dvcq.intake.validate import validate_file

from tests.support import corpus


def _all():
    return [m for e in CATALOGUE.values() for m in e.messages.values()]


@pytest.mark.parametrize("m", _all() + list(PHRASES.values()), ids=lambda m: f"{m.code}/{m.variant}")
def test_every_template_renders_with_its_declared_parameters(m):
    params = {p: f"<{p}>" for p in m.params}
    text = m.render(**params)
    for p in m.params:
        assert f"<{p}>" in text
    assert "{" not in text.replace("{" + "}", "") and "}" not in text  # no field left unfilled
    assert text.strip() == text and text


def test_a_missing_parameter_fails_naming_the_code_and_variant():
    with pytest.raises(KeyError, match=r"type/indicator-not-number.*missing.*'value'"):
        message("type", "indicator-not-number", code="TT01")
    r = FileResult(path="x.xlsx")
    with pytest.raises(KeyError, match=r"cross-form/log-differs.*missing"):
        r.issue("cross-form", "log-differs", code="TD04", title="t", got=1, want=2)
    assert not r.issues


def test_an_unexpected_parameter_fails():
    with pytest.raises(KeyError, match=r"required/cell-missing.*unexpected.*'value'"):
        message("required", "cell-missing", title="Họ tên", value="Lê Thị Hoa")


def test_an_unknown_code_or_variant_fails_naming_it():
    with pytest.raises(KeyError, match="no-such-code"):
        message("no-such-code")
    with pytest.raises(KeyError, match=r"type: no variant 'nope'"):
        lookup("type", "nope")
    with pytest.raises(ValueError, match="say which variant"):
        lookup("type")  # several variants: the caller must name one
    assert lookup("external-link") is entry("external-link").messages["linked"]  # one variant: may be left out
    with pytest.raises(KeyError, match="nope"):
        phrase("nope")


def test_templates_are_plain_named_fields():
    with pytest.raises(ValueError, match="plain name"):
        Message("x", "y", "Có {0} dòng")
    with pytest.raises(ValueError, match="plain name"):
        Message("x", "y", "Có {n:>3} dòng")
    with pytest.raises(ValueError, match="location"):
        Message("x", "y", "Trang {sheet}")  # sheet/cell/field/severity are FileResult.issue's own arguments
    assert not any(m.params & LOCATION for m in _all())


def test_entries_are_well_formed():
    assert list(CODES) == list(CATALOGUE)  # issues.CODES is the catalogue's titles
    for code, e in CATALOGUE.items():
        assert e.code == code and e.title and e.severity in (ERROR, WARNING) and e.messages
        for variant, m in e.messages.items():
            assert (m.code, m.variant) == (code, variant) and m.severity in (ERROR, WARNING)


def test_private_variants_take_everything_but_the_value():
    """On a sheet holding citizens' data the ``-private`` variant is used: same parameters, no cell value."""
    pairs = 0
    for e in CATALOGUE.values():
        for variant, m in e.messages.items():
            assert "value" not in m.params or not variant.endswith("-private")
            if variant.endswith("-private"):
                public = e.messages[variant.removesuffix("-private")]
                assert "value" in public.params and m.params == public.params - {"value"}, m
                assert m.severity == public.severity
                pairs += 1
    assert pairs >= 8


def test_issue_renders_with_the_variants_severity():
    r = FileResult(path="x.xlsx")
    r.issue("required", "cell-missing", title="Họ tên", sheet="Sổ", cell="C12", field="ho_ten")
    r.issue("required", "unit-code-by-name", code="16228", name="Thị trấn Bến Sung")
    r.issue("rule", "row", message="Ngày giải quyết phải sau ngày tiếp.", severity="warning")
    r.issue("external-link")
    got = [(i.code, i.severity, i.message, i.sheet, i.cell, i.field) for i in r.issues]
    assert got == [
        ("required", "error", "Chưa ghi «Họ tên».", "Sổ", "C12", "ho_ten"),
        ("required", "warning", "Chưa ghi mã đơn vị; theo tên là 16228 (Thị trấn Bến Sung).", None, None, None),
        ("rule", "warning", "Ngày giải quyết phải sau ngày tiếp.", None, None, None),
        ("external-link", "error", CATALOGUE["external-link"].messages["linked"].text, None, None, None)]


def test_a_sheet_with_personal_data_gets_the_private_variant(tmp_path):
    """A citizen's name typed into a number column of the log: the message names the column, not the name."""
    log = load_form("so-tiep-cong-dan").main
    cell = f"{col_letter(log.col('so_nguoi'))}{log.first_row}"
    path = corpus.type_over(corpus.write_log(tmp_path), log.name, cell, "Trần Văn Bình", as_text=True)
    issues = [i for i in validate_file(path).issues if i.cell == cell]
    title = next(f.title for f in log.fields if f.name == "so_nguoi")
    assert [(i.code, i.message) for i in issues] == [("type", message("type", "cell-not-number-private", title=title))]
