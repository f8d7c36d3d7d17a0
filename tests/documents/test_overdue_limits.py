"""The report's sentences on overdue cases, and their rules in the check sheet, cite the limits those cases were
held to: a second complaint still open past Luật Khiếu nại 2011 Điều 37's 45 days under Điều 37 only, a first
complaint resolved after Điều 28's 30 days under Điều 28 only (before, the sentences cited no article and both
rules cited every article of the period's cases). The expected articles come from the log's raw cells (read with
python-calamine) and the law's numbers written here; Biểu 01/KQGQ's column 26 counts only the complaint resolved
past its own limit, not the second complaint resolved within 45 days."""
from __future__ import annotations

import re
from datetime import date, timedelta

from dvcq.documents.context import limits_cited
from dvcq.documents.narrative import write_report
from dvcq.model import OverdueCase
from dvcq.rollup.consolidate import consolidate_folder
from python_calamine import CalamineWorkbook

from tests.support import corpus

AS_OF = date(2024, 6, 10)  # the logs' Ngày lập (tests.support.corpus.header): the day their figures run to
LIMITS = {"": (30, "Điều 28"), "Lần đầu": (30, "Điều 28"), "Lần hai": (45, "Điều 37")}  # Luật Khiếu nại 2011


def _day(n: int) -> date:
    return AS_OF - timedelta(days=n)


def _expected(log) -> dict[str, list[str]]:
    """The article each of the log's overdue complaints was held to, open and late, from its raw cells."""
    rows = CalamineWorkbook.from_path(log).get_sheet_by_name("Sổ tiếp công dân").to_python()
    head = next(i for i, r in enumerate(rows) if "Mã vụ việc" in r)
    col = {t: rows[head].index(t) for t in ("Phân loại đơn", "Ngày thụ lý", "Ngày giải quyết", "Lần giải quyết")}
    out: dict[str, list[str]] = {"open": [], "late": []}
    for r in rows[head + 1:]:
        start = r[col["Ngày thụ lý"]]
        if r[col["Phân loại đơn"]] != "Khiếu nại" or not isinstance(start, date):
            continue
        days, article = LIMITS[r[col["Lần giải quyết"]]]
        end = r[col["Ngày giải quyết"]]
        status = "late" if isinstance(end, date) else "open"
        if ((end if status == "late" else AS_OF) - start).days > days:
            out[status].append(article)
    return out


def test_overdue_sentences_and_rules_cite_the_limits_their_cases_were_held_to(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    rows = [corpus.complaint(1, "HAI-50", _day(50), lan_giai_quyet="Lần hai"),  # open past 45: Điều 37
            corpus.complaint(2, "DAU-LATE", _day(60), ket_qua="Đã giải quyết", ngay_giai_quyet=_day(20)),  # 40 > 30
            corpus.complaint(3, "HAI-OK", _day(80), lan_giai_quyet="Lần hai", ket_qua="Đã giải quyết",
                             ngay_giai_quyet=_day(40))]  # 40 days, within 45: not late
    log = corpus.write_log(folder, rows)
    corpus.write_report(folder)
    cases = _expected(log)
    expected = {k: set(v) for k, v in cases.items()}
    assert expected == {"open": {"Điều 37"}, "late": {"Điều 28"}}  # the raw cells say what the rows meant
    result = consolidate_folder(folder, out=tmp_path / "tong-hop.xlsx", db=tmp_path / "h.sqlite", workers=1)
    done = write_report(result.out_path, out=tmp_path / "bao-cao.docx", md=tmp_path / "bao-cao.md",
                        db=tmp_path / "h.sqlite")
    text = done.md.read_text(encoding="utf-8")
    open_ = next(s for s in re.split(r"(?<=\.)\s+", text) if "quá thời hạn giải quyết chưa" in s)
    late = next(s for s in re.split(r"(?<=\.)\s+", text) if "giải quyết xong nhưng quá thời hạn" in s)
    articles = lambda s: set(re.findall(r"Điều \d+", s))  # noqa: E731
    assert "Luật Khiếu nại 2011" in open_ and articles(open_) == expected["open"], open_
    assert "Luật Khiếu nại 2011" in late and articles(late) == expected["late"], late
    # the check sheet: each figure's rule names the articles of its own cases
    sheet = CalamineWorkbook.from_path(done.check).get_sheet_by_name("Đối chiếu số liệu").to_python()
    head = next(i for i, r in enumerate(sheet) if r and r[0] == "STT")
    rule, key = sheet[head].index("Cách tính"), sheet[head].index("Mã số liệu")
    rules = {r[key]: r[rule] for r in sheet[head + 1:] if r and r[key]}
    assert articles(rules["qh.open"]) == expected["open"], rules["qh.open"]
    assert articles(rules["qh.late"]) == expected["late"], rules["qh.late"]
    # Biểu 01/KQGQ: column 26 counts the complaints resolved past their own limit (here the first one only)
    kq = CalamineWorkbook.from_path(result.out_path).get_sheet_by_name("Biểu 01-KQGQ").to_python()
    ms = next(r for r in kq if r and r[0] == "MS")
    unit = next(r for r in kq if r and r[0] and corpus.UNIT[1] in str(r[0]))
    assert unit[ms.index("26")] == len(cases["late"])


def test_a_provinces_own_limit_is_cited_by_its_decision_beside_the_laws():
    """A province's own limit for petitions (templates/thoi-han.yaml, provinces:) has a decision for its source, not
    an article: the overdue list and the sentence cite the decision whole, the laws by their articles."""
    decision = "Quyết định số 12/2025/QĐ-UBND của UBND tỉnh Thanh Hóa"

    def case(ref, kind, rule, source):
        return OverdueCase(ref, "16240", None, kind, None, 40, 30, rule=rule, source=source)
    own = case("A", "Kiến nghị, phản ánh", "thời hạn theo quy định của tỉnh", decision)
    first = case("B", "Khiếu nại", "thời hạn luật định", "Luật Khiếu nại 2011, Điều 28 (giải quyết khiếu nại lần đầu)")
    second = case("C", "Khiếu nại", "thời hạn luật định", "Luật Khiếu nại 2011, Điều 37 (giải quyết khiếu nại lần hai)")
    assert own.basis == f"thời hạn theo quy định của tỉnh, {decision}"
    assert second.basis == "thời hạn luật định, Luật Khiếu nại 2011, Điều 37"
    assert limits_cited([second, own, first]) == ("thời hạn luật định: Luật Khiếu nại 2011, Điều 28 và Điều 37; "
                                                  f"thời hạn theo quy định của tỉnh: {decision}")
