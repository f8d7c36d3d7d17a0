"""The words users see for the program's own states, in one place. The forms' names come from their
specifications (``short_title``); a roll-up is "Tổng hợp"."""
from __future__ import annotations

from dvcq import fmt

from .spec import FORM_IDS, LOG, PLAN, REPORT, ROLLUP_FORM_ID, load_form

# a file's validation status, and a ledger row's (a unit that sent nothing is "missing")
STATUS = {"ok": "Hợp lệ", "invalid": "Có lỗi", "unreadable": "Không đọc được", "skipped": "Bỏ qua",
          "missing": "Chưa nộp"}
ROLLUP = "Tổng hợp"
# said wherever figures of a province are compared across the 2025 reform (dvcq.units.registry.comparison)
REFORM_NOTE = ("Số liệu {ref} là của toàn tỉnh trước khi sắp xếp đơn vị hành chính (còn cấp huyện); "
               "so sánh chỉ để tham khảo, không so sánh số đơn vị.")


def reform_note(year: int, annual: bool = False) -> str:
    """The note beside last year's figures of the province before the 2025 reform: 'cùng kỳ năm 2024', or in an
    annual report 'năm 2024' (fmt.against)."""
    return REFORM_NOTE.format(ref=fmt.against(year, annual))


# the unit of measure of an indicator that counts units (DV03: communes that launched the model): such
# counts are never compared across the reform, whose mergers changed what a unit is
UNITS_OF_UNITS = "đơn vị"
# an overdue case (dvcq.model.OverdueCase.status)
CASE_STATUS = {"open": "Quá hạn, chưa giải quyết", "late": "Giải quyết quá hạn"}
# the row of a plan's tasks that name no lead body (dvcq.intake.progress)
NO_LEAD = "Chưa ghi đơn vị chủ trì"
# narrow table columns (the roll-up's ledger) use these shorter names
FORM_ABBREVIATION = {PLAN: "Kế hoạch", LOG: "Sổ TCD", REPORT: "Báo cáo", ROLLUP_FORM_ID: ROLLUP}


def form_label(form_id: str | None) -> str:
    """'Sổ tiếp công dân' for 'so-tiep-cong-dan'; '?' for a file that is no dvcq form."""
    if form_id == ROLLUP_FORM_ID:
        return ROLLUP
    return load_form(form_id).short_title if form_id in FORM_IDS else "?"
