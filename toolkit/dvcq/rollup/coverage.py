"""How many of the expected units a set of figures covers, so no total passes for the whole area
when it is not: "Số liệu tổng hợp từ 10/14 xã, thị trấn; chưa có: ...".

A unit covers a source (the periodic report, the reception log, the plan) when a valid file of that
form, or a roll-up of its own units, went into the totals. A roll-up below that itself lacks some
of its units is counted as covered but partial, so the level above cannot say "toàn tỉnh" either.

Coverage is counted over the whole ledger or one group of it (dvcq.model.UnitGroup). A group expects
the forms of EXPECTED_FORMS, and any other form only when its unit sent it: the issuer's own row is
expected for the plan (every People's Committee issues one), its own log and report counting when they
arrive (its report to the level above is the narrative written from its roll-up), and so are the districts'
own rows when a province consolidates every commune directly; the declared bodies are expected for the
periodic report and the reception log, their own plans counting when they arrive.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dvcq.fmt import and_list, date_short, number
from dvcq.forms.labels import form_label
from dvcq.forms.spec import FORM_IDS, LOG, PLAN, REPORT, ROLLUP_FORM_ID
from dvcq.model import Coverage, LedgerEntry, UnitGroup, UnitName
from dvcq.units.groups import optional_phrase

# the forms each group is expected to send (a group not listed: every form)
EXPECTED_FORMS = {UnitGroup.OWN: (PLAN,), UnitGroup.MIDDLE: (PLAN,), UnitGroup.DEPARTMENT: (REPORT, LOG)}


@dataclass(frozen=True)
class Submissions:
    """Who of the expected units sent what, by ledger entry: counted in one place for the roll-up's
    status line, its chart and the narrative."""
    expected: int
    submitted: tuple[LedgerEntry, ...]
    on_time: tuple[LedgerEntry, ...]
    late: tuple[LedgerEntry, ...]
    not_submitted: tuple[LedgerEntry, ...]  # nothing usable arrived (missing or only invalid files)
    missing: tuple[LedgerEntry, ...]  # no file at all
    invalid: tuple[LedgerEntry, ...]  # some file of the unit had errors


def submissions(ledger: list[LedgerEntry]) -> Submissions:
    sub = tuple(r for r in ledger if r.submitted)
    return Submissions(len(ledger), sub, tuple(r for r in sub if r.on_time), tuple(r for r in sub if r.on_time is False),
                       tuple(r for r in ledger if not r.submitted),
                       tuple(r for r in ledger if not r.submitted and r.status == "missing"),
                       tuple(r for r in ledger if r.status == "invalid"))


@dataclass(frozen=True)
class UnitSet:
    """The units a roll-up's figures stand on, as a comparison with another year's sees them: the codes of the
    units that sent (each once, however many files it sent) and how many units were expected, the issuer's own row
    among them (as the history counts them). ``sent`` is None for a history run recorded without its units' codes
    (then only the counts are compared). ``groups``: (group, sent, expected) of each group of units, the issuer's
    own row left out (the body's words: '2/14 xã, thị trấn'); () when not known (a run of the history).
    ``expected_codes``: which units were expected (the ledger's codes, stored with the run by store.record); None for
    a run the history recorded before it kept them: then whether two sets are the same is not known."""
    sent: frozenset[str] | None
    submitted: int
    expected: int
    groups: tuple[tuple[UnitGroup, int, int], ...] = ()
    own: str = ""  # the issuer's own code when its own row is among the expected ('' when it has none)
    expected_codes: frozenset[str] | None = None
    roles: tuple[tuple[str, UnitGroup], ...] = ()  # each expected unit's code and group, in ledger order
    # where ``expected_codes`` come from when the history did not keep them (a run recorded before schema 4): the
    # unit registry's source (dvcq.rollup.expected.last_year_run); '' when kept with the run or counted from a ledger
    listed: str = ""

    def same_as(self, other: "UnitSet") -> bool:
        """The same units sent, out of the same units expected (by code when both know their codes; without the
        expected codes of either, not known to be the same: False)."""
        if (self.submitted, self.expected) != (other.submitted, other.expected):
            return False
        if self.expected_codes is None or other.expected_codes is None or self.expected_codes != other.expected_codes:
            return False
        return self.sent is None or other.sent is None or self.sent == other.sent

    @property
    def own_sent(self) -> bool | None:
        """Whether the issuer's own figures are in (None: not known)."""
        return None if self.sent is None or not self.own else self.own in self.sent

    def units(self, own: str) -> tuple[int, int] | None:
        """How many units sent out of how many expected, the issuer's own row (code ``own``, present in this set
        as in the set of the same issuer it is compared with) left out; None when not known."""
        if self.sent is None:
            return None
        mine = own in self.sent
        return self.submitted - mine, self.expected - (1 if own else 0)


def unit_set(ledger: list[LedgerEntry]) -> UnitSet:
    """The set a year-on-year comparison is made on, from the ledger (one row per expected unit): the distinct codes
    of the units whose figures are in, and the distinct codes expected, with each group's counts (the issuer's own
    row apart). The roll-up's sheet "So với cùng kỳ", the report and the history (dvcq.rollup.store.record) all count
    it here."""
    return from_roles(frozenset(r.unit_code for r in ledger if r.submitted),
                      [(r.unit_code, r.group) for r in ledger])


def from_roles(sent: frozenset[str], roles: list[tuple[str, UnitGroup]]) -> UnitSet:
    """A set from the codes that sent and each expected unit's (code, group), in ledger order (as store.record keeps
    them with a run, so last year's set is named group by group as this year's is)."""
    groups = []
    for group in dict.fromkeys(g for _, g in roles if g != UnitGroup.OWN):
        codes = {c for c, g in roles if g == group}
        groups.append((group, len(codes & sent), len(codes)))
    own = next((c for c, g in roles if g == UnitGroup.OWN), "")
    expected = frozenset(c for c, _ in roles)
    return UnitSet(sent, len(sent), len(expected), tuple(groups), own, expected, tuple(roles))


def required(group: UnitGroup, form_id: str) -> bool:
    """Whether a group's units must send ``form_id`` (EXPECTED_FORMS); a form they need not send counts only from
    those that sent it, and is said so ("2 cấp huyện có gửi (không bắt buộc)", never "2/2")."""
    return form_id in EXPECTED_FORMS.get(group, FORM_IDS)


def expects(row: LedgerEntry, form_id: str) -> bool:
    """Whether a ledger row is expected to bring ``form_id``'s figures: a form its group expects
    (EXPECTED_FORMS), or one it sent."""
    return required(row.group, form_id) or form_id in row.forms


def from_ledger(ledger: list[LedgerEntry], form_id: str, group: UnitGroup | None = None) -> Coverage:
    """Coverage of ``form_id``'s figures from ledger rows (unit_name, forms, covers), of one group
    when given."""
    covered, missing, partial, counts = 0, [], [], {}
    rows = [r for r in ledger if (group is None or r.group == group) and expects(r, form_id)]
    for row in rows:
        forms = row.forms
        if form_id in forms:
            covered += 1
        elif ROLLUP_FORM_ID in forms:
            covered += 1
            inner = row.covers.get(form_id)  # what the roll-up below covers itself
            if inner is None or inner[0] < inner[1]:
                partial.append(row.unit_name)
                counts[row.unit_name] = inner or (0, 0)
        else:
            missing.append(UnitName(row.unit_name, row.unit_code))
    return Coverage(len(rows), covered, tuple(missing), tuple(partial), counts)


def by_group(ledger: list[LedgerEntry], form_id: str) -> list[tuple[UnitGroup, Coverage]]:
    """The coverage of ``form_id`` in each group of the ledger that expects it, in group order."""
    present = {r.group for r in ledger}
    out = [(g, from_ledger(ledger, form_id, g)) for g in UnitGroup if g in present]
    return [(g, c) for g, c in out if c.expected]


def summary_covers(ledger: list[LedgerEntry], form_ids: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """What a roll-up's own ledger covers, per form: {form_id: (covered, expected)} (stored in the
    ledger row of that roll-up at the level above)."""
    out = {}
    for fid in form_ids:
        c = from_ledger(ledger, fid)
        out[fid] = (c.covered if not c.partial else c.covered - len(c.partial), c.expected)
    return out


def phrase(ledger: list[LedgerEntry], form_id: str, noun: Callable[[UnitGroup], str]) -> str:
    """Who ``form_id``'s figures cover, group by group, as the report says it (dvcq.documents.claims.Basis.phrase):
    '14/14 xã, thị trấn và cấp huyện'; a group that need not send the form, how many sent it ('2 cấp huyện có gửi
    báo cáo định kỳ (không bắt buộc)'); the issuer's own row by its name when its figures are in."""
    parts, own = [], ""
    for group, cov in by_group(ledger, form_id):
        if group == UnitGroup.OWN:
            own = noun(group) if cov.covered else ""
        else:
            parts.append(group_phrase(number(cov.covered), number(cov.expected), noun(group),
                                      required(group, form_id), form_id))
    return groups_phrase(parts, own)


def group_phrase(covered: str, expected: str, noun: str, required_: bool = True, form_id: str = "") -> str:
    """One group of a basis, its counts already written (the report marks them): '13/14 xã, thị trấn'; a group that
    need not send ``form_id``, how many sent it, never a fraction of themselves: '2 cấp huyện có gửi báo cáo định kỳ
    (không bắt buộc)' ('biểu' when the form is not one of the forms)."""
    if required_:
        return f"{covered}/{expected} {noun}"
    return optional_phrase(covered, noun, form_label(form_id).lower() if form_id in FORM_IDS else "")


def groups_phrase(parts: list[str], own: str = "") -> str:
    """The groups of a basis in one phrase, the issuer's own row last by its name: 'A, B và cấp huyện'."""
    return and_list(parts + ([own] if own else []))


def days_text(span: tuple[date, date] | None) -> str:
    """The days figures run to: '10/06/2024', or 'từ 10/06/2024 đến 14/06/2024'; '' when not known."""
    if not span:
        return ""
    first, last = span
    return date_short(first) if first == last else f"từ {date_short(first)} đến {date_short(last)}"


def days_phrase(span: tuple[date, date] | None) -> str:
    """'số liệu đến ngày 14/06/2024', 'số liệu đến các ngày từ 10/06/2024 đến 14/06/2024'; '' when not known."""
    if not span:
        return ""
    return f"số liệu đến {'ngày' if span[0] == span[1] else 'các ngày'} {days_text(span)}"


def runs_to(ledger: list[LedgerEntry], form_id: str) -> tuple[date, date] | None:
    """The first and last day the figures of ``form_id`` run to, over the units expected for it whose figures are in
    (a unit's own file of the form, or its roll-up); None when no such unit's day is known."""
    spans = [e.runs_to for e in ledger if e.runs_to and expects(e, form_id) and
             (form_id in e.forms or ROLLUP_FORM_ID in e.forms)]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
