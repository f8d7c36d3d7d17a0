"""Strict specifications: every YAML file under templates/ is checked against dvcq.schema at load."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dvcq.calendar import deadlines
from dvcq.calendar.timelimits import load_rules
from dvcq.errors import UserError
from dvcq.forms import spec
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.rollup.layout import load_layout
from openpyxl import load_workbook

from tests.support.paths import SAMPLE
from tests.support.templates import edited_copy

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"


@pytest.fixture(autouse=True)
def fresh_cache():
    """load_form and the YAML loads are cached per process: start and end each test without them."""
    spec.load_form.cache_clear()
    spec._load_yaml.cache_clear()
    yield
    spec.load_form.cache_clear()
    spec._load_yaml.cache_clear()


def mutated(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, Path, int]:
    """A copy of templates/ with ``old`` replaced by ``new`` once in ``rel``; (root, file, 1-based line)."""
    return edited_copy(tmp_path, rel, old, new)


def load_error(root: Path, form_id: str) -> str:
    with pytest.raises(UserError) as exc:
        spec.load_form(form_id, str(root))
    return exc.value.message


def test_committed_templates_load():
    forms = spec.load_forms()
    assert set(forms) == set(spec.FORM_IDS)
    assert set(deadlines.calendar().deadlines) == {"commune->district", "district->province",
                                                             "commune->province", "department->province"}


def test_titles_with_commas_are_whole():
    """The titles the flow-mapping commas once cut (issue 13), read in full."""
    forms = spec.load_forms()
    report, plan, log = forms["bao-cao-dinh-ky"], forms["ke-hoach"], forms["so-tiep-cong-dan"]
    main = report.main
    assert main.indicator("TT01").title == "Số hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền"
    assert main.indicator("DV03").title.endswith('"Chính quyền thân thiện, vì Nhân dân phục vụ"')
    assert plan.sheet("Nhiệm vụ").field("ghi_chu").title == "Tiến độ, ghi chú"
    assert log.measure("chuyen_huong_dan").title == "Chuyển đơn, trả lại và hướng dẫn"


def test_unknown_key_names_file_line_and_key(tmp_path):
    old = "{name: noi_dung, title: Nội dung nhiệm vụ,"
    root, path, line = mutated(tmp_path, "forms/ke-hoach.yaml", old, "{name: noi_dung, mau: đỏ, title: Nội dung nhiệm vụ,")
    message = load_error(root, "ke-hoach")
    assert message.startswith(f"Tệp {path}, dòng {line}, khóa «mau»: khóa không được biết đến trong một cột của bảng")


def test_unquoted_comma_in_title_is_caught(tmp_path):
    quoted = '"Số hội nghị, buổi tuyên truyền, quán triệt về công tác dân vận chính quyền"'
    root, path, line = mutated(tmp_path, "forms/bao-cao-dinh-ky.yaml", quoted, quoted.strip('"'))
    message = load_error(root, "bao-cao-dinh-ky")
    assert f"Tệp {path}, dòng {line}, khóa «buổi tuyên truyền»" in message
    assert "dấu nháy kép" in message


def test_missing_title(tmp_path):
    old = "{code: TD04, title: Số lượt tiếp công dân, unit: lượt"
    root, path, line = mutated(tmp_path, "forms/bao-cao-dinh-ky.yaml", old, "{code: TD04, unit: lượt")
    message = load_error(root, "bao-cao-dinh-ky")
    assert message == f"Tệp {path}, dòng {line}, khóa «title»: một chỉ tiêu thiếu khóa bắt buộc."


def test_wrong_type(tmp_path):
    old = "{name: nam, title: Năm, type: year, width: 8,"
    root, path, line = mutated(tmp_path, "forms/ke-hoach.yaml", old, '{name: nam, title: Năm, type: year, width: "rộng",')
    message = load_error(root, "ke-hoach")
    assert message == f"Tệp {path}, dòng {line}, khóa «width»: cần một số, không phải «rộng»."


def test_value_outside_choices(tmp_path):
    old = "kind: ratio, numerator: [CC08]"
    root, path, line = mutated(tmp_path, "forms/bao-cao-dinh-ky.yaml", old, "kind: tỷ lệ, numerator: [CC08]")
    message = load_error(root, "bao-cao-dinh-ky")
    assert message == f"Tệp {path}, dòng {line}, khóa «kind»: cần một trong count, ratio, score, không phải «tỷ lệ»."


def test_duplicate_key(tmp_path):
    old = "{name: stt, title: STT, type: integer, width: 5,"
    root, path, line = mutated(tmp_path, "forms/ke-hoach.yaml", old, "{name: stt, title: STT, title: Số TT, type: integer, width: 5,")
    assert f"Tệp {path}, dòng {line}, khóa «title»: khóa bị lặp lại" in load_error(root, "ke-hoach")


def test_unread_keys_of_the_shared_file_are_rejected(tmp_path):
    """chung.yaml's header once declared title_row, label_col and value_col that nothing read."""
    root, path, line = mutated(tmp_path, "forms/chung.yaml", "  first_row: 3\n", "  first_row: 3\n  value_col: C\n")
    message = load_error(root, "ke-hoach")
    assert message.startswith(f"Tệp {path}, dòng {line + 1}, khóa «value_col»: khóa không được biết đến")


def test_time_limit_file_is_strict(tmp_path):
    old = "    days: 30\n    levels: {Phức tạp: 60, Đặc biệt phức tạp: 90}"
    root, path, line = mutated(tmp_path, "thoi-han.yaml", old, old + "\n    gia_han: 2")
    load_rules.cache_clear()
    with pytest.raises(UserError) as exc:
        load_rules(str(root))
    load_rules.cache_clear()
    assert exc.value.message.startswith(f"Tệp {path}, dòng {line + 2}, khóa «gia_han»: khóa không được biết đến")


def test_deadlines_need_every_period_kind(tmp_path, monkeypatch):
    old = 'H1: "15/06", H2: "20/11", 9M: "15/09", Y: "20/11"}'  # the communes' line
    root, path, line = mutated(tmp_path, "deadlines.yaml", old, old.replace(', Y: "20/11"}', "}"))
    monkeypatch.setenv("DVCQ_TEMPLATES", str(root))
    with pytest.raises(UserError) as exc:
        deadlines.calendars()
    assert exc.value.message == f"Tệp {path}, dòng {line}, khóa «Y»: hạn nộp theo loại kỳ thiếu khóa bắt buộc."


def test_yaml_syntax_error_names_the_line(tmp_path):
    old = "{code: TD05, title: Số người được tiếp,"
    root, path, line = mutated(tmp_path, "forms/bao-cao-dinh-ky.yaml", old, "{code: TD05, title: [Số người được tiếp,")
    message = load_error(root, "bao-cao-dinh-ky")
    assert message.startswith(f"Tệp {path}, dòng ") and "không đúng cú pháp YAML" in message


def test_cli_exits_2_with_the_message(tmp_path):
    old = "{name: noi_dung, title: Nội dung nhiệm vụ,"
    root, path, line = mutated(tmp_path, "forms/ke-hoach.yaml", old, "{name: noi_dung, mau: đỏ, title: Nội dung nhiệm vụ,")
    env = {**os.environ, "DVCQ_TEMPLATES": str(root)}
    proc = subprocess.run([sys.executable, "-m", "dvcq", "validate", str(WORKBOOKS / "ke-hoach.xlsx")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"Tệp {path}, dòng {line}, khóa «mau»" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


# --- the roll-up's layout (templates/rollup/tong-hop.yaml) ---------------------------------------

def layout_error(root: Path) -> str:
    load_layout.cache_clear()
    try:
        with pytest.raises(UserError) as exc:
            load_layout(str(root))
        return exc.value.message
    finally:
        load_layout.cache_clear()


def test_rollup_layout_unknown_key_names_file_line_and_key(tmp_path):
    root, path, line = mutated(tmp_path, "rollup/tong-hop.yaml", "    kind: ledger\n", "    kind: ledger\n    mau: đỏ\n")
    assert layout_error(root).startswith(f"Tệp {path}, dòng {line + 1}, khóa «mau»: khóa không được biết đến")


def test_rollup_layout_checks_its_references(tmp_path):
    root, path, _ = mutated(tmp_path, "rollup/tong-hop.yaml", "    of: ke-hoach\n", "    of: ke-hoach-cu\n")
    assert layout_error(root) == (f"Tệp {path}, khóa «of»: «ke-hoach-cu» không phải biểu mẫu "
                                  f"(dùng được: {', '.join(spec.FORM_IDS)}).")
    root, path, _ = mutated(tmp_path / "b", "rollup/tong-hop.yaml", "key_rates: [TD13, CC06]", "key_rates: [TD13, TT01]")
    assert layout_error(root) == f"Tệp {path}, khóa «key_rates»: «TT01» không phải chỉ tiêu tỷ lệ của báo cáo định kỳ."
    root, path, _ = mutated(tmp_path / "c", "rollup/tong-hop.yaml", "    add: [qh_vu_viec, gq_qua_han]", "    add: [vu_viec_moi]")
    assert layout_error(root) == f"Tệp {path}, khóa «add»: «vu_viec_moi» không phải số liệu suy ra (derived) nào."
    root, path, _ = mutated(tmp_path / "d", "rollup/tong-hop.yaml", "phan_loai: Khiếu nại}", "phan_loai: Khiếu kiện}")
    assert layout_error(root) == (f"Tệp {path}, khóa «phan_loai»: «Khiếu kiện» không phải một phân loại của biểu "
                                  f"so-tiep-cong-dan (dùng được: Khiếu nại, Tố cáo, Kiến nghị, phản ánh).")


def test_the_rollup_is_laid_out_from_the_yaml(tmp_path, monkeypatch):
    """Renaming a sheet, retitling it and dropping the chart is an edit of the YAML file, nothing else."""
    root, path, _ = mutated(tmp_path, "rollup/tong-hop.yaml", "  - name: Tiếp công dân\n", "  - name: Tiếp dân\n")
    text = path.read_text(encoding="utf-8")
    chart = text[text.index("  - name: Biểu đồ"):]
    path.write_text(text.replace(chart, "").replace("TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN, PHÂN LOẠI ĐƠN",
                                                    "KẾT QUẢ TIẾP DÂN"), encoding="utf-8")
    monkeypatch.setenv("DVCQ_TEMPLATES", str(root))
    load_layout.cache_clear()
    try:
        result = consolidate_folder(SAMPLE, out=tmp_path / "th.xlsx", db=tmp_path / "h.sqlite", workers=1)
    finally:
        load_layout.cache_clear()
    wb = load_workbook(result.out_path)
    assert "Tiếp dân" in wb.sheetnames and "Tiếp công dân" not in wb.sheetnames and "Biểu đồ" not in wb.sheetnames
    assert wb["Tiếp dân"]["A1"].value == "KẾT QUẢ TIẾP DÂN"
