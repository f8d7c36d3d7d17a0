"""The text sections of a roll-up's report, spoken by the issuer (issue 24).

A roll-up's report is the issuer's own: each text section (Lãnh đạo, chỉ đạo; Ưu điểm; Hạn chế; ...) opens with
the issuer's own text (its own periodic report in the roll-up), then one line over its units: how many wrote on
the section out of those whose report is in (by district in a province), with at most three named examples
chosen by a stated rule. The units' own sentences go, complete and grouped by unit, to the annex "Phụ lục: Kết
quả thực hiện của các đơn vị". What the units asked of the issuer is summarised as their request and how many
made it, never passed upward as the issuer's own proposal.
"""
from __future__ import annotations

from dataclasses import dataclass

from dvcq.forms.spec import REPORT, load_form
from dvcq.model import Rollup, UnitGroup, UnitText
from dvcq.text import fold, nfc
from dvcq.text import unit_running as running_name
from dvcq.units.registry import load

from .claims import Basis, Claim, Source, derived
from .texts import SAME_RULE, TextPoint, nothing, same, sentences, texts

EXAMPLES = 3  # named examples in a section's line over the units
# how they are chosen, said in the line: the units with most sentences in the section, ties by unit code
MOST, MOST_TIED, BY_CODE = ("các đơn vị nêu nhiều nội dung nhất",
                            "các đơn vị nêu nhiều nội dung nhất; cùng số nội dung thì theo thứ tự mã đơn vị",
                            "các đơn vị nêu cùng số nội dung, chọn theo thứ tự mã đơn vị")
SHARED = 3  # shared contents in a section's line over the units
# past this many districts, a section's line counts their communes together ("540/549 đơn vị cấp xã của các huyện, thị
# xã, thành phố (trước sắp xếp)"), not district by district (26 counts repeated in every section); the annex names them
DISTRICTS_COUNTED = 3
# how they are chosen, said in the line
# (the order they first come when the units' texts are read by unit code)
SHARED_RULE = "chọn nội dung nhiều đơn vị nêu nhất, cùng số đơn vị thì theo thứ tự nêu"
REQUEST = "KN"  # the proposals' section code
ORDER = ("DD", "LD", "MT", "KQ", "HC", "NN", "PH", "KN")  # the sections in the report's order (the annex's)


@dataclass(frozen=True)
class Writers:
    """One group of units in a section's line: how many wrote on it out of those whose report is in."""
    name: str  # '' for the issuer's own children; a district's running name for its communes in a province
    noun: str  # 'xã, thị trấn', 'sở, ban, ngành', 'đơn vị cấp xã'
    wrote: Claim
    reported: Claim


def _together(writers: list[Writers], code: str, title: str, basis: Basis, districts: str) -> list[Writers]:
    """The writers of a section, the districts' communes counted together past DISTRICTS_COUNTED districts (the
    issuer's own groups kept apart): 'N/M đơn vị cấp xã của các huyện, thị xã, thành phố (trước sắp xếp)'."""
    by_district = [w for w in writers if w.name]
    if len(by_district) <= DISTRICTS_COUNTED:
        return writers
    label = f"{title}: đơn vị cấp xã của các {districts}"
    wrote = derived(f"text.{code}.districts.wrote", f"{label}: số đơn vị nêu nội dung", "đơn vị",
                    sum(w.wrote.value for w in by_district), basis, "đơn vị có câu trong mục này của báo cáo định kỳ",
                    tuple(s for w in by_district for s in w.wrote.sources))
    of = derived(f"text.{code}.districts.reported", f"{label}: số đơn vị có báo cáo", "đơn vị",
                 sum(w.reported.value for w in by_district), basis, "đơn vị có báo cáo định kỳ trong tổng hợp")
    return [w for w in writers if not w.name] + [Writers("", f"đơn vị cấp xã của các {districts}", wrote, of)]


@dataclass(frozen=True)
class Shared:
    """A sentence several units wrote in a section (the same under texts.SAME_RULE): how many wrote it out of the
    units whose report is in."""
    text: str  # as the first unit wrote it, without its final stop, first letter lower-case (an acronym kept)
    wrote: Claim
    of: Claim
    noun: str  # the units' noun: one group's ('xã, thị trấn'), else 'đơn vị'


@dataclass(frozen=True)
class Section:
    """One text section of a roll-up's report: the issuer's own sentences, then the units' line."""
    code: str
    title: str
    own: tuple[str, ...]  # the issuer's own sentences (its own periodic report), in its order
    writers: tuple[Writers, ...]  # empty when no unit wrote on it
    examples: tuple[str, ...]  # at most EXAMPLES running names, by ``rule``
    rule: str = MOST  # how the examples were chosen, in words (MOST, MOST_TIED, BY_CODE)
    shared: tuple[Shared, ...] = ()  # at most SHARED sentences written by two units or more, by SHARED_RULE
    shared_rule: str = SHARED_RULE
    same_rule: str = SAME_RULE  # when two units' sentences count as one

    @property
    def any(self) -> bool:
        return bool(self.own or self.writers)


@dataclass(frozen=True)
class Request:
    """A request several units made of the issuer (identical sentences merged): what, and how many asked it."""
    text: str  # the request without its leading "Đề nghị"/"Kiến nghị" and final stop, first letter lower-case
    asked: Claim
    of: Claim
    noun: str


@dataclass(frozen=True)
class Requests:
    """What the units asked of the issuer: the shared requests, and the units with any request at all."""
    shared: tuple[Request, ...]
    asking: Claim  # units with a request of their own (any)
    of: Claim
    noun: str


@dataclass(frozen=True)
class AnnexSection:
    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class AnnexUnit:
    """One unit in the annex: its name and each section's sentences, complete."""
    code: str
    name: str
    sections: tuple[AnnexSection, ...]


@dataclass(frozen=True)
class AnnexGroup:
    """The units of one district in a province's annex (name ''): the issuer's own children."""
    name: str
    units: tuple[AnnexUnit, ...]


@dataclass(frozen=True)
class Annex:
    """The annex: first each section's line over the units (the body's, in the report's order of sections), then the
    units' sentences by group."""
    groups: tuple[AnnexGroup, ...]
    sections: tuple[Section, ...] = ()  # the sections some unit wrote on, in ORDER (the proposals apart)

    @property
    def any(self) -> bool:
        return any(g.units for g in self.groups)


@dataclass(frozen=True)
class IssuerTexts:
    """What a roll-up's report says in its text sections: by section code, the requests, the annex."""
    own_report: bool  # the issuer's own periodic report is in the roll-up
    sections: dict[str, Section]
    requests: Requests | None  # what the units reporting to the issuer itself asked of it
    own_requests: tuple[TextPoint, ...]
    annex: Annex
    # what the communes in the districts' roll-ups asked: of their district (cấp huyện), never of the issuer
    requests_below: Requests | None = None


def _titles() -> dict[str, str]:
    return {t.name: t.title for s in load_form(REPORT).sheets for t in s.texts}


def _cell(code: str) -> tuple[str, str]:
    for s in load_form(REPORT).sheets:
        if any(t.name == code for t in s.texts):
            return s.name, s.text_cell(code)
    return "", ""


_LEAD = ("de nghi ", "kien nghi ", "de xuat ")


def _request_text(bare: str) -> tuple[str, str]:
    """('đề nghị', 'các ngành chuyên môn hỗ trợ …') from 'Đề nghị các ngành chuyên môn hỗ trợ …'; another as
    in_sentence says it."""
    key = fold(bare)
    for lead in _LEAD:
        if key.startswith(lead):
            n = len(lead.split()[0]) + 1 + len(lead.split()[1])
            return bare[:n].lower(), bare[n:].strip()
    return "kiến nghị", in_sentence(bare)


def issuer_texts(roll: Rollup, reg, issuer_code: str, basis: Basis, noun_of) -> IssuerTexts:
    """The issuer's text sections of a roll-up: ``basis`` is the periodic report's (who reported), ``noun_of``
    the noun of a group of units (dvcq.documents.figures.Words.noun)."""
    titles = _titles()
    entries = {e.unit_code: e for e in roll.ledger}  # the issuer's reporting units
    own = [t for t in roll.texts if t.unit_code == issuer_code]
    own_report = any(e.group == UnitGroup.OWN and REPORT in e.forms for e in roll.ledger)
    units = [t for t in roll.texts if t.unit_code != issuer_code and t.text and str(t.text).strip()]

    def where(t: UnitText) -> tuple[str, str]:
        """The group a unit writes in: ('', its group) for the issuer's own reporting units, (district code,
        district running name) for a district's communes, whether they came in the district's roll-up or a province
        of the three-tier era consolidates them directly."""
        return _where(t, entries, reg, issuer_code)

    # a district that sent its roll-up counts as reporting when its own report is in that roll-up (its texts are)
    reported: dict[tuple[str, str], int] = {}
    for g in basis.groups:
        if g.group != UnitGroup.OWN:
            reported[("", g.group.value)] = g.covered
    wrote_any = {t.unit_code for t in roll.texts if not t.via or t.via == t.unit_code}
    for e in roll.ledger:
        if e.group == UnitGroup.OWN:
            continue
        if REPORT in e.covers:  # a roll-up: its communes by its own coverage
            u = reg.get(e.unit_code) or load("legacy").get(e.unit_code)  # an abolished district: three-tier
            reported[(e.unit_code, running_name(u.name if u is not None else e.unit_name))] = e.covers[REPORT][0]
            if e.unit_code not in wrote_any:
                key = ("", e.group.value)
                reported[key] = reported.get(key, 0) - 1
        elif REPORT in e.forms and (district := _district(e.unit_code, e.group, reg, issuer_code)):
            reported[district] = reported.get(district, 0) + 1  # a commune consolidated directly: by its district
            key = ("", e.group.value)
            reported[key] = reported.get(key, 0) - 1
    reported = {k: v for k, v in reported.items() if v or not k[0]}


    def noun(key: tuple[str, str]) -> str:
        return noun_of(UnitGroup(key[1])) if not key[0] else "đơn vị cấp xã"

    # the districts whose communes are counted district by district: their roll-ups' group, else the registry's words
    via = {e.group for e in roll.ledger if REPORT in e.covers and e.group != UnitGroup.OWN}
    district_noun = noun_of(via.pop()) if len(via) == 1 else "huyện"

    of_all = sum(reported.values())
    groups_in = [k for k, v in reported.items() if v]
    noun_all = noun(groups_in[0]) if len(groups_in) == 1 else "đơn vị"
    of_text = derived("text.of", "Số đơn vị có báo cáo định kỳ trong tổng hợp", "đơn vị", of_all, basis,
                      "đơn vị có báo cáo định kỳ trong tổng hợp")

    def source(t: UnitText, sheet: str, cell: str, what: str) -> Source:
        return Source(t.unit_code, t.unit, entries[t.unit_code].files.get(REPORT, "") if t.unit_code in entries else "",
                      sheet, f"{cell} ({what})", 1.0)

    sections: dict[str, Section] = {}
    for code in dict.fromkeys([t.code for t in own] + [t.code for t in units]):
        if code == REQUEST:
            continue
        mine = tuple(s for t in own if t.code == code for s in sentences(t.text))
        wrote: dict[tuple[str, str], list[UnitText]] = {}
        for t in units:
            if t.code == code:
                wrote.setdefault(where(t), []).append(t)
        sheet, cell = _cell(code)
        writers = []
        for key, items in sorted(wrote.items(), key=lambda kv: (kv[0][0] != "", kv[0][0] or kv[0][1])):
            n_wrote = len({(t.via, t.unit_code) for t in items})
            label = f"{titles.get(code, code)}: {key[1] if key[0] else noun(key)}"
            src = tuple(source(t, sheet, cell, "có nội dung") for t in items)
            writers.append(Writers(
                key[1] if key[0] else "", noun(key),
                derived(f"text.{code}.{key[0] or key[1]}.wrote", f"{label}: số đơn vị nêu nội dung", "đơn vị",
                        n_wrote, basis, "đơn vị có câu trong mục này của báo cáo định kỳ", src),
                derived(f"text.{code}.{key[0] or key[1]}.reported", f"{label}: số đơn vị có báo cáo", "đơn vị",
                        max(reported.get(key, n_wrote), n_wrote), basis, "đơn vị có báo cáo định kỳ trong tổng hợp")))
        writers = _together(writers, code, titles.get(code, code), basis, district_noun)
        ranked = sorted({(t.via, t.unit_code): t for t in units if t.code == code}.values(),
                        key=lambda t: (-len(sentences(t.text)), t.unit_code))
        sizes = [len(sentences(t.text)) for t in ranked]
        rule = (BY_CODE if len(set(sizes)) == 1 else
                MOST_TIED if len(sizes) > EXAMPLES and sizes[EXAMPLES - 1] == sizes[EXAMPLES] else MOST)
        shared = tuple(Shared(in_sentence(text), derived(
            f"shared.{code}.{key}", f"{titles.get(code, code)}: số đơn vị nêu «{text}»", "đơn vị", len(items), basis,
            f"đơn vị có câu này trong mục ({SAME_RULE})", tuple(source(t, sheet, cell, "có câu này") for t in items)),
            of_text, noun_all) for key, text, items in _shared([t for t in units if t.code == code]))
        sections[code] = Section(code, titles.get(code, code), mine, tuple(writers),
                                 tuple(_named(t, where(t)) for t in ranked[:EXAMPLES]), rule, shared)

    asks = [t for t in units if t.code == REQUEST]
    below_of = sum(v for k, v in reported.items() if k[0])
    direct = [k for k, v in reported.items() if v and not k[0]]

    def requests_of(items: list[UnitText], prefix: str, n_of: int, noun_: str) -> Requests | None:
        """What ``items``' units asked (the same sentence under SAME_RULE merged), over ``n_of`` units."""
        points = texts(items).get(REQUEST, [])
        asked: dict[str, set[tuple[str, str]]] = {}  # a request (texts.same) -> the units that made it
        for t in items:
            for sentence in sentences(t.text):
                asked.setdefault(same(sentence), set()).add((t.via, t.unit_code))
        askers = {c for p in points if p.units for c in asked.get(same(p.text), ())}  # "Không có kiến nghị." is none
        if not askers:
            return None
        of = derived(f"{prefix}.of", "Số đơn vị có báo cáo", "đơn vị", n_of, basis,
                     "đơn vị có báo cáo định kỳ trong tổng hợp" + (" của cấp huyện" if prefix != "request" else ""))
        shared = []
        for p in points:
            n = len(asked.get(same(p.text), ()))
            if n > 1 and p.units:
                verb, what = _request_text(p.bare)
                shared.append(Request(f"{verb} {what}", derived(
                    f"{prefix}.{same(p.bare).replace(' ', '-')}", f"Số đơn vị {verb} {what}", "đơn vị", n, basis,
                    f"đơn vị có cùng câu kiến nghị ({SAME_RULE})"), of, noun_))
        return Requests(tuple(shared), derived(f"{prefix}.any", "Số đơn vị có kiến nghị, đề xuất", "đơn vị",
                                               len(askers), basis, "đơn vị có câu trong mục Kiến nghị, đề xuất"),
                        of, noun_)

    # a commune in a district's roll-up (or of a district a province of the three-tier era receives directly) asked
    # its district, not the issuer: its requests are said apart
    requests = requests_of([t for t in asks if not where(t)[0]], "request", of_all - below_of,
                           noun(direct[0]) if len(direct) == 1 else "đơn vị")
    below = requests_of([t for t in asks if where(t)[0]], "request.below", below_of,
                        f"đơn vị cấp xã của các {district_noun}")
    own_requests = tuple(p for p in texts([t for t in own if t.code == REQUEST]).get(REQUEST, []))
    summary = tuple(sections[c] for c in [c for c in ORDER if c in sections] + [c for c in sections if c not in ORDER]
                    if sections[c].writers)
    return IssuerTexts(own_report, sections, requests, own_requests, _annex(units, titles, where, summary), below)


def _shared(items: list[UnitText]) -> list[tuple[str, str, list[UnitText]]]:
    """(key, sentence, its writers) of the sentences two units or more wrote in a section, the same under
    texts.SAME_RULE, at most SHARED by SHARED_RULE: most units first, then the order in which they first come when
    the units' texts are read by unit code; "Không có …" is no content."""
    seen: dict[str, tuple[str, dict[tuple[str, str], UnitText]]] = {}
    for t in sorted(items, key=lambda t: (t.unit_code, t.via)):
        for sentence in sentences(t.text):
            if not nothing(sentence):
                seen.setdefault(same(sentence), (sentence, {}))[1].setdefault((t.via, t.unit_code), t)
    order = {key: i for i, key in enumerate(seen)}
    ranked = sorted((k for k, (_, who) in seen.items() if len(who) > 1), key=lambda k: (-len(seen[k][1]), order[k]))
    return [(k, seen[k][0], list(seen[k][1].values())) for k in ranked[:SHARED]]


# names and titles a quoted sentence may open with, which keep their capital inside the issuer's line (Vietnamese
# spelling of organisations and offices: 'Mặt trận và các đoàn thể …', 'Nhân dân tích cực …'): whole words, matched
# at the sentence's start
TITLE_OPENINGS = ("Mặt trận", "Nhân dân", "Ủy ban", "Ủy ban nhân dân", "Hội đồng nhân dân", "Đảng", "Nhà nước",
                  "Chính phủ", "Quốc hội", "Chủ tịch", "Phó Chủ tịch", "Thường trực", "Công an", "Quân đội",
                  "Bộ đội", "Bác Hồ")


def in_sentence(sentence: str) -> str:
    """A unit's sentence inside the issuer's line ('289/722 đơn vị: thực hiện tốt Luật …'): without its final stop,
    its first letter lower-case unless it opens a name, that is: its first word is an acronym ('UBND ban hành …'), or
    it opens with a name or title of TITLE_OPENINGS ('Mặt trận và các đoàn thể …'), or its second word is capitalised
    too, not an acronym (a proper name: 'Hội Nông dân …', 'Luật Đất đai …', 'Xuân Du …'). A common word keeps no
    capital because the units capitalise it elsewhere ('Thực hiện tốt Luật Thực hiện dân chủ …', 'Công tác …')."""
    bare = sentence.rstrip(".!?… ")
    words = [w.strip(".,;:!?…()«»\"'") for w in bare.split()[:2]]
    first, second = (words + ["", ""])[:2]
    if (len(first) > 1 and first.isupper()) or (second[:1].isupper() and not (len(second) > 1 and second.isupper())):
        return bare
    # compared composed, with the old tone placement of 'Uỷ' as 'Ủy' (both spellings are in use)
    key = nfc(bare).replace("Uỷ", "Ủy")
    if any(key == t or key.startswith(t + " ") or key.startswith(t + ",") for t in TITLE_OPENINGS):
        return bare
    return bare[:1].lower() + bare[1:]


def _named(t: UnitText, key: tuple[str, str]) -> str:
    """An example's name: a commune that came in a district's roll-up with its district ('phường Hàm Rồng (thành
    phố Thanh Hóa)'), so that a commune before the 2025 reform is told from a new one of the same name."""
    return f"{running_name(t.unit)} ({key[1]})" if key[0] else running_name(t.unit)


def _where(t: UnitText, entries: dict, reg, issuer_code: str) -> tuple[str, str]:
    if t.via and t.via in entries and t.via != t.unit_code:  # came in a district's roll-up: the district's
        e = entries[t.via]
        u = reg.get(t.via) or load("legacy").get(t.via)
        return t.via, running_name(u.name if u is not None else e.unit_name)
    e = entries.get(t.unit_code)
    group = e.group if e is not None else UnitGroup.TERRITORIAL
    return _district(t.unit_code, group, reg, issuer_code) or ("", group.value)


def _district(code: str, group: UnitGroup, reg, issuer_code: str) -> tuple[str, str] | None:
    """(district code, its running name) of a commune a province of the three-tier era consolidates directly (a
    territorial unit whose parent is not the issuer), None otherwise (a 2025 commune is under its province)."""
    u = reg.get(code) if group == UnitGroup.TERRITORIAL else None
    if u is None or not u.parent_code or u.parent_code == issuer_code:
        return None
    d = reg.get(u.parent_code)
    return u.parent_code, running_name(d.name if d is not None else u.parent_code)


def _annex(units: list[UnitText], titles: dict[str, str], where, summary: tuple[Section, ...]) -> Annex:
    """Each unit's sentences, complete, section by section (the form's order), grouped by district in a
    province (the issuer's own reporting units first, by code)."""
    order = [c for c in ORDER if c in titles] + [c for c in titles if c not in ORDER]
    by_unit: dict[tuple[str, str], list[UnitText]] = {}
    for t in units:
        by_unit.setdefault((t.via, t.unit_code), []).append(t)
    groups: dict[str, tuple[str, list[AnnexUnit]]] = {}
    for via, code in sorted(by_unit, key=lambda k: (k[1], k[0])):
        items = sorted(by_unit[(via, code)], key=lambda t: order.index(t.code) if t.code in order else 99)
        key, name = where(items[0])
        secs = tuple(AnnexSection(titles.get(t.code, t.code), tuple(sentences(t.text))) for t in items)
        groups.setdefault(key, (name if key else "", []))[1].append(AnnexUnit(code, items[0].unit, secs))
    return Annex(tuple(AnnexGroup(name, tuple(us)) for key, (name, us) in sorted(groups.items())), summary)
