"""The words for the groups of a consolidation's expected units (dvcq.model.UnitGroup) and for what a
total covers group by group: "24/26 huyện, thị xã, thành phố; 10/11 sở, ban, ngành và cấp tỉnh".

The roll-up's tables (dvcq.rollup.writer) and the narrative (dvcq.documents.context) say coverage with these, so both
speak of the same groups in the same words.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dvcq.fmt import number
from dvcq.model import Coverage, LedgerEntry, UnitGroup

from .registry import BODIES_LABEL, BODY_LEVEL, LEVEL_LABEL, LEVELS

# kinds as many as each other go in the usual order: "huyện, thị xã, thành phố", "xã, phường, thị trấn"
KIND_ORDER = {k: i for i, k in enumerate(("xã", "phường", "thị trấn", "đặc khu", "quận", "huyện", "thị xã",
                                          "thành phố"))}
ABOLISHED_NOTE = "(trước sắp xếp)"  # after the abolished districts' kinds: they reported before 1/7/2025
OWN_LABEL = {"country": "cả nước", "province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
# the units between a parent and its communes consolidated directly, each its own row (dvcq.model.UnitGroup.MIDDLE),
# when their levels are not given (``middle_noun``)
MIDDLE_LABEL = {"province": "cấp huyện", "country": "cấp tỉnh"}


def territorial_kinds(ledger: list[LedgerEntry], reg, group: UnitGroup = UnitGroup.TERRITORIAL) -> str:
    """The kinds of the territorial units of a ledger (of ``group``: the abolished districts, with the
    three-tier registry), most frequent first: 'xã, thị trấn', 'huyện, thị xã, thành phố' ('đơn vị' when
    none is known)."""
    return kinds_of([row.unit_code for row in ledger if row.group == group], reg)


def kinds_of(codes, reg) -> str:
    """The kinds of the units of ``codes`` in a registry, most frequent first ('đơn vị' when none is known)."""
    kinds: Counter = Counter(u.kind.lower() for u in (reg.get(c) for c in codes) if u is not None)
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], KIND_ORDER.get(kv[0], len(KIND_ORDER))))
    return ", ".join(k for k, _ in ranked) or "đơn vị"


def group_noun(group: UnitGroup, parent_level: str, kinds: str, old_kinds: str = "", middle: str = "") -> str:
    """A group's units in running text: 'xã, thị trấn', 'sở, ban, ngành', 'cấp tỉnh', 'huyện, thị xã,
    thành phố (trước sắp xếp)' (the abolished districts, whose kinds are ``old_kinds``)."""
    if group == UnitGroup.ABOLISHED:
        return f"{old_kinds or 'huyện'} {ABOLISHED_NOTE}"
    if group == UnitGroup.DEPARTMENT:
        return BODIES_LABEL.get(parent_level, "cơ quan")
    if group == UnitGroup.OWN:
        return OWN_LABEL.get(parent_level, "cấp " + parent_level)
    if group == UnitGroup.MIDDLE:
        return middle or MIDDLE_LABEL.get(parent_level, "cấp trung gian")
    return kinds


def group_title(group: UnitGroup, parent_level: str, kinds: str, old_kinds: str = "", middle: str = "") -> str:
    """A group's heading in the roll-up's tables: 'Xã, thị trấn', 'Sở, ban, ngành', 'Cấp tỉnh'."""
    noun = group_noun(group, parent_level, kinds, old_kinds, middle)
    return noun[:1].upper() + noun[1:]


def covers_phrase(covs: list[tuple[UnitGroup, Coverage]], parent_level: str, kinds: str, sep: str = "; ",
                  old_kinds: str = "", middle: str = "") -> str:
    """What the figures cover, group by group: '24/26 huyện, thị xã, thành phố; 10/11 sở, ban, ngành và
    cấp tỉnh' (``sep`` between the groups; the narrative writes ' và '). The issuer's own row is named
    when its figures are in, never as a fraction."""
    parts, own = [], ""
    for group, cov in covs:
        noun = group_noun(group, parent_level, kinds, old_kinds, middle)
        if group == UnitGroup.OWN:
            own = noun if cov.covered else ""
        else:
            parts.append(f"{number(cov.covered)}/{number(cov.expected)} {noun}")
    text = sep.join(parts)
    if own:
        text = (f"{text} và {own}" if sep != " và " else f"{text}, cùng số liệu của {own}") if text else own
    return text


def optional_phrase(count: str, noun: str, form: str) -> str:
    """A group's units that sent a form they need not send, as a count of them and what they sent, never as a fraction
    of themselves: '2 cấp huyện có gửi báo cáo định kỳ (không bắt buộc)' (``form`` in running case, or 'biểu')."""
    return f"{count} {noun} có gửi {form or 'biểu'} (không bắt buộc)"


def counted_phrase(counts: list[tuple[UnitGroup, int, int]], parent_level: str, kinds: str,
                   old_kinds: str = "") -> str:
    """(group, n, of) as '20/26 huyện, thị xã, thành phố và 9/10 sở, ban, ngành' (the issuer's own row left
    out: it sends nothing up to itself)."""
    return " và ".join(f"{number(n)}/{number(of)} {group_noun(g, parent_level, kinds, old_kinds)}"
                       for g, n, of in counts if g != UnitGroup.OWN and of)


def heads(level: str, parent, kinds: str = "") -> str:
    """Who holds a level's periodic receptions, as the subject of a sentence, in a roll-up of ``parent``: its own
    chairman ('Chủ tịch UBND huyện Như Thanh'), the heads of its bodies ('Thủ trưởng các sở, ban, ngành'), the
    chairmen of its children ('Chủ tịch UBND các xã, thị trấn', given their ``kinds``), or of a level further
    below ('Chủ tịch UBND cấp xã')."""
    if level == parent.level:
        return f"{'Thủ trưởng' if level == BODY_LEVEL else 'Chủ tịch UBND'} {parent.running_name}"
    if level == BODY_LEVEL:
        return f"Thủ trưởng các {BODIES_LABEL.get(parent.level, 'cơ quan')}"
    levels = LEVELS.get(parent.era, [])
    child = levels[levels.index(parent.level) + 1] if parent.level in levels[:-1] else None
    if kinds and level == child:
        return f"Chủ tịch UBND các {kinds}"
    return f"Chủ tịch UBND cấp {LEVEL_LABEL.get(level, level)}"


def middle_noun(ledger: list[LedgerEntry], reg) -> str:
    """The levels of the units between a parent and its communes ('cấp huyện'; 'cấp tỉnh, cấp huyện' for the
    country of the three-tier era), '' without that group."""
    levels = {reg.get(r.unit_code).level for r in ledger if r.group == UnitGroup.MIDDLE and reg.get(r.unit_code)}
    return ", ".join(f"cấp {LEVEL_LABEL[lv]}" for lv in ("province", "district") if lv in levels)


LIST_LIMIT = 8  # names a list prints before "và N đơn vị khác"


@dataclass(frozen=True)
class NameList:
    """Units named in one line: a group's (and, for communes a province consolidates directly, a district's)
    units, the first ``limit`` by name and how many more."""
    title: str
    names: tuple[str, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.names)

    def text(self) -> str:
        """'Xã A, Xã B và 12 đơn vị khác'."""
        if not self.more:
            return ", ".join(self.names)
        return f"{', '.join(self.names)} và {number(self.more)} đơn vị khác"


def name_lists(entries: list[LedgerEntry], title_of, reg, parent_code: str, limit: int = LIST_LIMIT) -> list[NameList]:
    """Ledger entries as lines by group in ledger order (``title_of(group)`` its heading); a group whose units
    are under another unit than the consolidating one (the communes of a province of the three-tier era,
    consolidated directly) by that unit, named once as its units' kinds and that district: 'Xã, thị trấn của huyện
    Như Thanh'."""
    out = []
    for group in dict.fromkeys(e.group for e in entries):
        rows = [e for e in entries if e.group == group]
        by_parent: dict[str, list[LedgerEntry]] = {}
        for e in rows:
            unit = reg.get(e.unit_code) if group == UnitGroup.TERRITORIAL else None
            above = unit.parent_code if unit is not None and unit.parent_code != parent_code else ""
            by_parent.setdefault(above or "", []).append(e)
        for above, part in by_parent.items():
            if above:
                district = reg.get(above)
                kinds = territorial_kinds(part, reg)
                head = f"{kinds[:1].upper()}{kinds[1:]} của {district.running_name if district else above}"
            else:
                head = title_of(group)
            out.append(NameList(head, tuple(e.unit_name for e in part[:limit]), len(part)))
    return out
