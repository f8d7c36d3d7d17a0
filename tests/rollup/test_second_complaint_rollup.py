"""A second complaint through the roll-up: its case is held to Luật Khiếu nại 2011 Điều 37's 45 days, not Điều
28's 30, on the roll-up's sheet «Vụ việc quá hạn» (read here with openpyxl), and the note of Biểu 01/KQGQ cites
Điều 37 beside Điều 28. The days are the law's numbers, written here."""
from __future__ import annotations

from datetime import date, timedelta

from dvcq.rollup.consolidate import consolidate_folder
from openpyxl import load_workbook

from tests.support import corpus

AS_OF = date(2024, 6, 10)  # the logs' Ngày lập (tests.support.corpus.header): the day their figures run to


def test_the_rollup_lists_a_second_complaint_by_its_own_limit(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    def day(n: int) -> date:
        return AS_OF - timedelta(days=n)
    rows = corpus.log_rows() + [corpus.complaint(4, "HAI-40", day(40), lan_giai_quyet="Lần hai"),   # within 45
                                corpus.complaint(5, "HAI-46", day(46), lan_giai_quyet="Lần hai"),   # past 45
                                corpus.complaint(6, "DAU-40", day(40), lan_giai_quyet="Lần đầu")]   # past 30
    corpus.write_log(folder, rows)
    corpus.write_report(folder)
    result = consolidate_folder(folder, out=tmp_path / "tong-hop.xlsx", db=tmp_path / "h.sqlite", workers=1)
    ws = load_workbook(result.out_path, read_only=True)["Vụ việc quá hạn"]
    table = [r for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(table) if r and r[0] == "STT")
    cols = table[head]
    listed = {r[cols.index("Mã vụ việc")]: (r[cols.index("Số ngày")], r[cols.index("Thời hạn (ngày)")])
              for r in table[head + 1:] if r and r[1]}
    unit = corpus.UNIT[0]
    assert f"{unit}-HAI-40" not in listed
    assert listed[f"{unit}-HAI-46"] == (46, 45)
    assert listed[f"{unit}-DAU-40"] == (40, 30)
    # each row names the article its limit comes from, not only "thời hạn luật định"
    basis = {r[cols.index("Mã vụ việc")]: r[cols.index("Căn cứ thời hạn")] for r in table[head + 1:] if r and r[1]}
    assert basis[f"{unit}-HAI-46"] == "thời hạn luật định, Luật Khiếu nại 2011, Điều 37"
    assert basis[f"{unit}-DAU-40"] == "thời hạn luật định, Luật Khiếu nại 2011, Điều 28"
    kqgq = [c for r in load_workbook(result.out_path, read_only=True)["Biểu 01-KQGQ"].iter_rows(values_only=True)
            for c in r if isinstance(c, str) and "Cột 25, 26" in c]
    assert kqgq and "Điều 28" in kqgq[0] and "lần hai: Điều 37" in kqgq[0]
