"""A figure against last year's: whether the two stand on the same basis, and whether the change is
plausible (templates/rollup/tong-hop.yaml, ``plausible_change``). Used by the roll-up's sheet "So với cùng kỳ"
and by the report, so both say the same: a change beyond the plausible range is "cần kiểm tra", with the
reason that can be seen (another set of units, the 2025 reform), never a percentage printed as a finding.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dvcq import fmt
from dvcq.model import UnitGroup

from .coverage import UnitSet
from .layout import Plausible, load_layout

CHECK = "cần kiểm tra"


@dataclass(frozen=True)
class Sets:
    """Who this year's and last year's roll-ups counted (coverage.unit_set; last year's from the history,
    store.rollup_run); and whether last year's is the province before the 2025 reform."""
    now: UnitSet | None
    before: UnitSet | None
    across_reform: bool = False

    @property
    def same(self) -> bool:
        """Both years stand on the same units: not across the reform, the same units sent out of as many expected."""
        return not self.across_reform and self.now is not None and self.before is not None and \
            self.now.same_as(self.before)

    @property
    def unknown(self) -> bool:
        """Last year's run is in the history without which units it expected (recorded before they were kept), so
        whether both years stand on the same units is not known."""
        return not self.across_reform and self.now is not None and self.before is not None and \
            (self.before.expected_codes is None or self.now.expected_codes is None)

    @property
    def differ(self) -> bool:
        """Both years' sets are known and are not the same units."""
        return self.now is not None and self.before is not None and not self.unknown and \
            not self.now.same_as(self.before)


def phrase(units: UnitSet, noun: Callable[[UnitGroup], str]) -> str:
    """Who a set covers in the body's words, group by group, the issuer's own row named when its figures are in:
    '2/14 xã, thị trấn', '20/26 huyện, thị xã, thành phố và 9/10 sở, ban, ngành, cùng số liệu của cấp tỉnh'."""
    text = " và ".join(f"{fmt.number(n)}/{fmt.number(of)} {noun(g)}" for g, n, of in units.groups if of)
    return f"{text}, cùng số liệu của {noun(UnitGroup.OWN)}" if units.own_sent else text


def _before(before: UnitSet, now: UnitSet, noun: Callable[[UnitGroup], str]) -> str:
    """Last year's set in the same words as this year's where the history knows them: its units out of those
    expected, the issuer's own row left out (it is the same issuer's), with this year's group noun when the units are
    of one group; else the counts as the history recorded them, saying the issuer's own row is among them."""
    counts = before.units(now.own)
    if counts is None:
        own = f", kể cả {noun(UnitGroup.OWN)}" if now.own else ""
        return f"{fmt.number(before.submitted)}/{fmt.number(before.expected)} đơn vị{own}"
    a, b = (fmt.number(n) for n in counts)
    nouns = [noun(g) for g, _, of in now.groups if of]
    text = f"{a}/{b} {nouns[0]}" if len(nouns) == 1 else f"{a}/{b} đơn vị ({' và '.join(nouns)})"
    return f"{text}, cùng số liệu của {noun(UnitGroup.OWN)}" if now.own and now.own in before.sent else text


def reason(sets: Sets, year: int, annual: bool = False, noun: Callable[[UnitGroup], str] | None = None) -> str:
    """Why last year's figures do not stand on this year's basis, as one sentence ('' when they do): the report says
    it once, and gives last year's figures beside this year's without a change; ``annual``: 'năm 2023', not 'cùng kỳ'.
    The sets are named as the body names who its figures cover (``noun``: a group's units in words, as
    dvcq.units.groups.group_noun), the issuer's own row not counted as one of the units. When last year's expected
    units were taken from the unit registry (a run recorded before the history kept them), a sentence says so, the
    basis stated whether or not the figures compare."""
    why = _why(sets, year, annual, noun)
    listed = _listed(sets, fmt.against(year, annual))
    return f"{why} {listed}" if why and listed else why or listed


def _listed(sets: Sets, ref: str) -> str:
    """Where last year's list of expected units comes from when the history did not keep it ('' when it did)."""
    before = sets.before
    if sets.across_reform or before is None or not before.listed:
        return ""
    return (f"Lịch sử không lưu danh sách đơn vị phải báo cáo {ref} (số liệu tổng hợp bằng phiên bản trước của phần mềm); "
            f"danh sách này lấy theo danh mục đơn vị ({before.listed}), có cùng số đơn vị phải báo cáo với số lịch sử "
            "đã lưu.")


def _why(sets: Sets, year: int, annual: bool, noun: Callable[[UnitGroup], str] | None) -> str:
    ref = fmt.against(year, annual)
    if sets.across_reform:
        return (f"Số liệu {ref} là của toàn tỉnh trước khi sắp xếp đơn vị hành chính (còn cấp huyện), "
                "khác tập hợp đơn vị báo cáo, nên không tính tăng, giảm; số liệu năm trước ghi kèm để tham khảo.")
    if sets.unknown:
        return (f"Lịch sử không lưu số liệu {ref} được tổng hợp từ những đơn vị nào trong các đơn vị phải báo cáo "
                f"(tổng hợp bằng phiên bản trước), nên chưa rõ có cùng tập hợp đơn vị với kỳ này không; không tính "
                "tăng, giảm; số liệu năm trước ghi kèm để tham khảo.")
    if sets.differ:
        before, now = sets.before, sets.now
        noun = noun or (lambda g: "đơn vị")
        mine = phrase(now, noun)
        theirs = phrase(before, noun) if before.groups else _before(before, now, noun)
        if mine == theirs and now.sent == before.sent:  # the same units sent, out of other units expected
            new = len(now.expected_codes - before.expected_codes)
            return (f"Số liệu {ref} và kỳ này cùng tổng hợp từ {mine} nhưng danh sách đơn vị phải báo cáo khác nhau "
                    f"({fmt.number(new)} đơn vị phải báo cáo kỳ này không có trong danh sách {ref}), khác tập hợp đơn "
                    "vị báo cáo, nên không tính tăng, giảm; số liệu năm trước ghi kèm để tham khảo.")
        if mine == theirs:  # as many units, not the same ones
            new = len(now.sent - before.sent)
            return (f"Số liệu {ref} và kỳ này cùng tổng hợp từ {mine} nhưng không cùng các đơn vị "
                    f"({fmt.number(new)} đơn vị có số liệu kỳ này không có trong số liệu {ref}), khác tập hợp đơn vị "
                    "báo cáo, nên không tính tăng, giảm; số liệu năm trước ghi kèm để tham khảo.")
        return (f"Số liệu {ref} tổng hợp từ {theirs}, kỳ này từ {mine}, khác tập hợp đơn vị báo cáo, "
                "nên không tính tăng, giảm; số liệu năm trước ghi kèm để tham khảo.")
    return ""


def implausible(current: float | None, previous: float | None, kind: str, rule: Plausible | None = None) -> bool:
    """A count that moved beyond the plausible range (above factor times last year's or below 1/factor of it;
    from zero to something is not a ratio and is not judged)."""
    if kind != "count" or current is None or not previous:
        return False
    factor = (rule or load_layout().plausible).factor
    return current > previous * factor or current < previous / factor


def check(current: float | None, previous: float | None, kind: str, sets: Sets, year: int) -> str:
    """What stands in place of a change beyond the plausible range: "cần kiểm tra" with what can be seen (the two
    years' sets of units differ, the 2025 reform; else the size of the change); '' for a plausible change."""
    if not implausible(current, previous, kind):
        return ""
    if sets.across_reform:
        return f"{CHECK}: số liệu năm {year} là của toàn tỉnh trước khi sắp xếp đơn vị hành chính"
    if sets.unknown:
        return f"{CHECK}: chưa rõ năm {year} tổng hợp từ những đơn vị nào"
    if sets.differ:
        return f"{CHECK}: năm {year} và kỳ này tổng hợp từ tập hợp đơn vị khác nhau"
    return f"{CHECK}: thay đổi quá {fmt.number(load_layout().plausible.factor)} lần so với năm {year}"
