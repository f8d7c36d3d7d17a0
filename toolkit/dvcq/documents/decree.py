"""The form Nghị định 30/2020/NĐ-CP gives the báo cáo, beyond its wording.

The place-date line (left blank for signing unless a date is given), recipients and signature
modes (data: templates/report/nguoi-nhan.yaml), unit lists in running text, and the length of
the rules under the issuing body, the motto and the subject line of the rendered document.
"""
from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml

from dvcq import fmt
from dvcq.errors import UserError
from dvcq.resources import templates_dir
from dvcq.text import unit_running
from dvcq.schema import BODY_KINDS
from dvcq.units.groups import OWN_LABEL
from dvcq.units.registry import BODIES_LABEL, BODY_LEVEL, LEVELS, NATIONAL, Registry, Unit, load

RECIPIENTS = "nguoi-nhan.yaml"
PLACEHOLDERS = {"parent", "parent_party", "unit", "kind", "party"}
LIST_LIMIT = 200  # characters: about two lines of 14 pt body text on A4
RULE_SHORT = "Đường kẻ ngắn"  # paragraph style: a rule 2/5 of the line above (issuing body, subject line)
RULE_FULL = "Đường kẻ bằng dòng chữ"  # paragraph style: a rule as long as the line above (motto)
RULE_RATIO = {RULE_SHORT: 0.4, RULE_FULL: 1.0}
CELL_MARGINS_CM = 0.38  # Word's default left + right cell margins (2 x 0.19 cm)


# --- date line ---------------------------------------------------------------

def signing_date(value: str | date | None) -> date | None:
    """The signing date from --date "DD/MM/YYYY" (or a date); None when not given."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", str(value).strip())
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise UserError(f"Ngày ký «{value}» không hợp lệ: ghi theo dạng NGÀY/THÁNG/NĂM, ví dụ 05/02/2025.")


def place_date(place: str, period, signed: date | None, today: date | None = None, due: date | None = None) -> str:
    """'Như Thanh, ngày 05 tháng 02 năm 2025', or with the day and month blank when no date is given, and
    the year in which the report is ``due`` (a 2024 annual report written in 2026 is still dated 2024), else
    ``today``'s (a plan). A report is not signed before its period starts; a plan (``period`` None) may be
    signed before the year it plans."""
    if signed is None:
        return fmt.date_line(place, None, year=(due or today or date.today()).year)
    if period is not None and signed < period.start:
        raise UserError(f"Ngày ký {fmt.date_short(signed)} ở trước kỳ báo cáo {period.label} "
                        f"(số liệu từ {fmt.date_short(period.start)}).")
    return fmt.date_line(place, signed)


# --- recipients and signature (templates/report/nguoi-nhan.yaml) ---------------

def _fail(path: Path, key: str, what: str) -> UserError:
    return UserError(f"Tệp {path}, khóa «{key}»: {what}.")


def _keys(d, path: Path, key: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    """``d`` as a mapping holding every required key and no other."""
    if not isinstance(d, dict):
        raise _fail(path, key, "cần một bảng khóa: giá trị")
    for k in d:
        if str(k) not in required | optional:
            raise _fail(path, f"{key}.{k}" if key else str(k), "khóa không được biết đến")
    for k in sorted(required - {str(k) for k in d}):
        raise _fail(path, f"{key}.{k}" if key else k, "thiếu khóa bắt buộc")
    return {str(k): v for k, v in d.items()}


def _lines(v, path: Path, key: str) -> list[str]:
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
        raise _fail(path, key, "cần một danh sách dòng chữ không rỗng")
    for i, line in enumerate(v):
        used = {f for _, f, _, _ in string.Formatter().parse(line) if f is not None}
        if used - PLACEHOLDERS:
            raise _fail(path, f"{key}[{i}]", f"chỗ điền {{{sorted(used - PLACEHOLDERS)[0]}}} không có "
                        f"(dùng được: {', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS))})")
    return list(v)


def load_spec(path: Path | None = None) -> dict:
    """Recipients per era and level, party committees, signature modes; strict about keys."""
    return _load_spec(Path(path) if path else templates_dir() / "report" / RECIPIENTS)


@lru_cache(maxsize=8)
def _load_spec(path: Path) -> dict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"Không đọc được tệp {path} ({exc}).") from None
    top = _keys(raw, path, "", {"party_committee", "recipients", "signature"}, {"plan_recipients"})
    party = top["party_committee"]
    if not isinstance(party, dict) or not all(isinstance(v, str) and v.strip() for v in party.values()):
        raise _fail(path, "party_committee", "cần bảng «loại đơn vị: tên cấp ủy», ví dụ «xã: Đảng ủy xã»")
    lists = {}
    for key in ("recipients", "plan_recipients"):
        if key not in top:  # the plan's list is optional: without it a plan goes where a report goes
            lists[key] = lists["recipients"]
            continue
        eras = _keys(top[key], path, key, set(LEVELS))
        lists[key] = {}
        for era, levels in eras.items():
            want = {"country", BODY_LEVEL, *LEVELS[era]}
            lists[key][era] = {lv: _lines(v, path, f"{key}.{era}.{lv}")
                               for lv, v in _keys(levels, path, f"{key}.{era}", want).items()}
    sig = _keys(top["signature"], path, "signature", {"default", "modes"}, {"heads"})
    modes = sig["modes"]
    if not isinstance(modes, dict) or sig["default"] not in modes:
        raise _fail(path, "signature.default", f"«{sig['default']}» không phải một kiểu ký trong signature.modes")
    heads = {}
    for kind, titles in _keys(sig.get("heads") or {}, path, "signature.heads", set(), set(BODY_KINDS)).items():
        if not (isinstance(titles, list) and len(titles) == 2
                and all(isinstance(t, str) and t.strip() for t in titles)):
            raise _fail(path, f"signature.heads.{kind}", "cần hai dòng: chức danh người đứng đầu và cấp phó, "
                        "ví dụ [GIÁM ĐỐC, PHÓ GIÁM ĐỐC]")
        heads[kind] = (titles[0].strip(), titles[1].strip())
    return {"path": path, "party_committee": {k: str(v) for k, v in party.items()},
            "recipients": lists["recipients"], "plan_recipients": lists["plan_recipients"], "default": sig["default"],
            "modes": {k: _lines(v, path, f"signature.modes.{k}") for k, v in modes.items()}, "heads": heads}


def _party(unit: Unit, spec: dict) -> str:
    if unit.level == BODY_LEVEL:  # a declared body's Party cell is no committee of the territory
        return f"Cấp ủy {unit.running_name}"
    try:
        return spec["party_committee"][unit.division_type]
    except KeyError:
        raise _fail(spec["path"], f"party_committee.{unit.division_type}", "thiếu khóa bắt buộc") from None


def recipients(unit: Unit, reg: Registry, spec: dict | None = None, kind: str = "recipients") -> list[str]:
    """The "Nơi nhận" lines of a report issued by ``unit``, naming the unit it reports to (``kind``
    "plan_recipients": those of a plan it issues)."""
    spec = spec or load_spec()
    parent = reg.parent(unit) or reg.get(NATIONAL)
    values = {"parent": parent.running_name, "parent_party": _party(parent, spec), "unit": unit.running_name,
              "kind": unit.kind, "party": _party(unit, spec)}
    return [line.format(**values) for line in spec[kind][reg.era][unit.level]]


@dataclass(frozen=True)
class Signature:
    """The signature block: mode ("TM.", "KT."...), its lines above the name, the signer's title, name."""
    mode: str
    lines: tuple[str, ...]
    title: str
    name: str


DEPUTY = "KT."  # the prefix of a signer who signs for the head (ký thay)


def signature(signer: str | None, spec: dict | None = None, unit: Unit | None = None) -> Signature:
    """Signature mode chosen by the signer's prefix ("KT. Nguyễn Văn A"): mode, lines, printed name. A declared
    body (``unit`` of level department) signs as its head ("GIÁM ĐỐC") or for its head ("KT. GIÁM ĐỐC" /
    "PHÓ GIÁM ĐỐC"), by its kind (``signature.heads``); any other unit as a People's Committee ("TM. ...")."""
    spec = spec or load_spec()
    name = (signer or "").strip()
    heads = spec.get("heads", {}).get(unit.division_type) if unit is not None and unit.level == BODY_LEVEL else None
    if heads is not None:
        deputy = name.upper().startswith(DEPUTY)
        for prefix in (DEPUTY, spec["default"]):  # "TM." means nothing for a body headed by one person
            if name.upper().startswith(prefix.upper()):
                name = name[len(prefix):].strip()
        lines = (f"{DEPUTY} {heads[0]}", heads[1]) if deputy else (heads[0],)
        return Signature(DEPUTY if deputy else "", lines, lines[-1], name)
    mode = next((m for m in spec["modes"] if m != spec["default"] and name.upper().startswith(m.upper())),
                spec["default"])
    if name.upper().startswith(mode.upper()):
        name = name[len(mode):].strip()
    lines = spec["modes"][mode]
    return Signature(mode, tuple(lines), lines[-1], name)


def symbol(kind: str, unit: Unit | None, reg: Registry | None) -> str:
    """The symbol after a document's number (Nghị định 30/2020, Phụ lục III: the kind, then the issuing body):
    "BC-UBND" for a People's Committee, "BC-SNV" for a declared body (its abbreviation, templates/co-quan.yaml)."""
    body = reg.body(unit.code) if unit is not None and reg is not None and unit.level == BODY_LEVEL else None
    return f"{kind}-{body.symbol if body else 'UBND'}"


# --- unit lists ----------------------------------------------------------------

def _resolve(name: str, reg: Registry, within: str) -> Unit | None:
    """The unit a listed name stands for: by its code when it carries one (model.UnitName), else by name (None
    when ambiguous)."""
    if getattr(name, "code", "") and reg.get(name.code) is not None:
        return reg.get(name.code)
    found = reg.find(name, parent=within) if within != NATIONAL else reg.find(name)
    return found.unit if found else None


def _rest(units: list[Unit | None]) -> str:
    """'và 12 xã khác' ('đơn vị' when the omitted units are not all of one kind)."""
    kinds = {u.kind if u else "đơn vị" for u in units}
    return f"và {len(units)} {kinds.pop() if len(kinds) == 1 else 'đơn vị'} khác"


def unit_list(names: Iterable[str] | str, reg: Registry, within: str, limit: int = LIST_LIMIT) -> str:
    """Unit names in running case, joined: grouped by their district when they lie in several
    ("huyện Như Thanh: xã Cán Khê, xã Xuân Du; huyện Như Xuân: xã Bãi Trành"), and ended with
    "và N xã khác" where the whole would pass ``limit`` characters. A grouped list too long is cut by district: the
    first districts named in full, the others counted one by one as far as the limit allows ("huyện Như Thanh (14),
    huyện Như Xuân (12) và 20 đơn vị khác"), so a reader sees where the units not named are. The declared bodies
    among other units are a group of their own, first ("sở, ban, ngành: Sở Tư pháp, Sở Y tế; xã A, xã B và 30 xã
    khác", or counted "sở, ban, ngành (12)"), never lost among "N đơn vị khác". A name that carries its code
    (model.UnitName, as the lists of missing units do) is resolved by code, others by name."""
    if isinstance(names, str):
        names = [n for n in names.split(", ") if n]
    items = [(_resolve(n, reg, within), unit_running(n)) for n in names]
    resolved = all(u is not None for u, _ in items)
    if resolved and len([g for g in _keyed(items, reg, within).values() if g]) > 1:
        return _grouped(items, reg, limit, within)
    return _flat(items, limit, force=True)


def _flat(items: list, limit: int, force: bool = False) -> str | None:
    """Names in order, as many as ``limit`` characters allow, then "và N xã khác"; None when not even one name and
    the count fit (``force``: the shortest anyway)."""
    for count in range(len(items), -1, -1):
        shown, hidden = items[:count], [u for u, _ in items[count:]]
        text = ", ".join(name for _, name in shown)
        if hidden:
            text = f"{text} {_rest(hidden)}" if text else _rest(hidden)
        if len(text) <= limit or (force and count <= 1):
            return text
    return None


def unit_groups(names: Iterable[str], reg: Registry, within: str) -> list[str]:
    """Every unit of a list, one line per group: the declared bodies first ('sở, ban, ngành: Sở Tư pháp, …') when
    other units are listed too, the units under no district unheaded, the districts' own rows as one group ('cấp
    huyện: thị xã Bỉm Sơn, …'), then one line per district ('huyện Như Thanh: xã Cán Khê, xã Xuân Du'): the annex's
    full list where the body's list (``unit_list``) counts them."""
    items = [(_resolve(n, reg, within), unit_running(n)) for n in names]
    if not all(u is not None for u, _ in items):
        return [", ".join(name for _, name in items)] if items else []
    return [f"{_heading(code, reg)}: {', '.join(n for _, n in g)}" if code else ", ".join(n for _, n in g)
            for code, g in _keyed(items, reg, within).items() if g]


def _grouped(items: list[tuple[Unit, str]], reg: Registry, limit: int, within: str = "") -> str:
    """A list grouped within ``limit`` characters: as many groups as fit named in full (the declared bodies first,
    then the districts' own rows as 'cấp huyện: …', the units under no district, each district's), then the other
    groups each with its count of units ('sở, ban, ngành (12)', 'cấp huyện (24)', 'huyện Như Thanh (14)'), as many as
    fit, then how many more ("và 20 đơn vị khác"); units under no district left after the groups named in full are
    named as far as the limit allows ("xã A, xã B và 30 xã khác")."""
    ordered = [(code, g) for code, g in _keyed(items, reg, within).items() if g]
    for least in (1, 0):  # rather fewer districts in full and some counted than all the rest as "N đơn vị khác"
        for k in range(len(ordered), -1, -1):
            head = "; ".join(f"{_heading(code, reg)}: {', '.join(n for _, n in g)}" if code
                             else ", ".join(n for _, n in g) for code, g in ordered[:k])
            if k == len(ordered):
                if len(head) <= limit:
                    return head
                continue
            budget = limit - len(head) - 2 if head else limit
            rest = ordered[k:]
            if len(rest) == 1 and not rest[0][0]:  # only the units under no district left: named as they fit
                tail = _flat(rest[0][1], budget)
            else:
                least_here = least if any(code for code, _ in rest) else 0
                tail = _counted(rest, reg, budget, least_here)
            if tail is not None:
                return f"{head}; {tail}" if head else tail
    return _counted(ordered, reg, 0, force=True)


def _counted(groups: list[tuple[str, list]], reg: Registry, budget: int, least: int = 0,
             force: bool = False) -> str | None:
    """Groups' units not named, each group with its count ('huyện Như Thanh (14)', 'sở, ban, ngành (12)') as far as
    ``budget`` characters allow, the rest (and the units under no district) as 'và N đơn vị khác'; None when not
    even that fits with at least ``least`` groups counted (``force``: the shortest anyway)."""
    named = [(code, g) for code, g in groups if code]
    loose = [u for code, g in groups if not code for u, _ in g]
    for m in range(len(named), least - 1, -1):
        parts = [f"{_heading(code, reg)} ({fmt.number(len(g))})" for code, g in named[:m]]
        if loose and parts and m == len(named):  # every group counted: the units under no district named as they fit
            flat = _flat(list(_loose(groups)), budget - len(", ".join(parts)) - 2)
            if flat is not None:
                return f"{', '.join(parts)}; {flat}"
        others = loose + [u for _, g in named[m:] for u, _ in g]
        if others:
            text = f"{', '.join(parts)} {_rest(others)}" if parts else _rest(others)
        else:
            text = fmt.and_list(parts)
        if len(text) <= budget or (force and m == 0):
            return text
    return None


def _loose(groups: list[tuple[str, list]]):
    """The (unit, name) items of the group under no district."""
    return (item for code, g in groups if not code for item in g)


def _district(u: Unit, reg: Registry) -> str:
    """The code of the district a unit lies in, '' when its parent is no district."""
    return u.parent_code if getattr(reg.get(u.parent_code), "level", "") == "district" else ""


LEVEL_KEY = "@"  # a group key of units of one level, not a district: the bodies, the districts' own rows
BODY_KEY = f"{LEVEL_KEY}{BODY_LEVEL}{LEVEL_KEY}"  # the bodies' group, followed by the level of the unit they serve


def _above(u: Unit, reg: Registry) -> str:
    """The level of the unit a body serves ('province': its group is 'sở, ban, ngành')."""
    return getattr(reg.get(u.parent_code), "level", "")


def _keyed(items: list, reg: Registry, within: str = "") -> dict[str, list]:
    """``items`` ((unit, anything) pairs) by group, in the order they are listed: the declared bodies first, as a group
    of their own when other units are listed too (key BODY_KEY + the level they serve: 'sở, ban, ngành'); when some units lie in a district (a province's
    list of communes received directly), the districts' (provinces') own rows as one group of their level (key
    LEVEL_KEY + level: 'cấp huyện'); the units under no district (key '': a 2025 province's communes, a district's
    own communes, ``within``); then each district's units under its code, in the order they come."""
    keys = [_district(u, reg) for u, _ in items]
    keys = ["" if k == within else k for k in keys]  # the issuer's own units are not headed by its name
    mixed = any(keys)
    bodies = any(u.level == BODY_LEVEL for u, _ in items) and any(u.level != BODY_LEVEL for u, _ in items)
    keys = [f"{LEVEL_KEY}{BODY_LEVEL}{LEVEL_KEY}{_above(u, reg)}" if bodies and u.level == BODY_LEVEL
            else LEVEL_KEY + u.level if mixed and not k and u.level in OWN_LABEL and u.level != "commune" else k
            for (u, _), k in zip(items, keys)]
    groups: dict[str, list] = {**{k: [] for k in keys if k.startswith(BODY_KEY)},
                               **{k: [] for k in keys if k.startswith(LEVEL_KEY)}, "": []}
    for item, k in zip(items, keys):
        groups.setdefault(k, []).append(item)
    return groups


def _heading(key: str, reg: Registry) -> str:
    """A group's heading: its district's name in running case, its level ('cấp huyện'), or the bodies' words ('sở,
    ban, ngành')."""
    if key.startswith(BODY_KEY):
        return BODIES_LABEL.get(key[len(BODY_KEY):], "cơ quan")
    return OWN_LABEL[key[len(LEVEL_KEY):]] if key.startswith(LEVEL_KEY) else reg.get(key).running_name


@jinja2.pass_context
def _unit_list_filter(ctx, names, limit: int = LIST_LIMIT) -> str:
    issuer = ctx["issuer"]
    return unit_list(names, load(issuer.era), issuer.code, limit)


@jinja2.pass_context
def _unit_groups_filter(ctx, names) -> list[str]:
    issuer = ctx["issuer"]
    return unit_groups(names, load(issuer.era), issuer.code)


def register(env: jinja2.Environment) -> None:
    """Filters of the text templates: donvi ('xã Cán Khê'; donvi(true) at a sentence start),
    ds_donvi (a list of units grouped by district and capped, see ``unit_list``) and ds_donvi_du (every unit of a
    list, one line per district: ``unit_groups``)."""
    env.filters.update({"donvi": unit_running, "ds_donvi": _unit_list_filter, "ds_donvi_du": _unit_groups_filter})


# --- rules sized to their text ---------------------------------------------------

# Advance widths (1/1000 em) of Times New Roman Bold (Adobe Times-Bold metrics); accents add none.
_BOLD = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944,
                                               722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667)))
_BOLD.update(zip("abcdefghijklmnopqrstuvwxyz", (500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833,
                                               556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444)))
_BOLD.update({" ": 250, "-": 333, ".": 250, ",": 250, ":": 333, "/": 278, "(": 333, ")": 333, "\"": 555})


def text_width_cm(text: str, size_pt: float) -> float:
    """Printed width of a line of Times New Roman Bold at ``size_pt``."""
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    em = sum(_BOLD.get(c, 500) for c in base if not unicodedata.combining(c))
    return em / 1000 * size_pt * 2.54 / 72


def rule_indent_cm(line: str, size_pt: float, available_cm: float, ratio: float) -> float:
    """Left and right indent that centre a rule ``ratio`` times as long as ``line`` in ``available_cm``."""
    length = min(text_width_cm(line, size_pt), available_cm) * ratio
    return max(0.0, (available_cm - length) / 2)


def size_rules(document) -> None:
    """Give each rule paragraph (styles RULE_SHORT, RULE_FULL) the length of the line above it."""
    from docx.shared import Cm, Emu  # lazy: python-docx 0.07 s, only when writing the report

    from dvcq.documents.docstyles import ParagraphStyles  # lazy: python-docx 0.07 s, only when writing the report

    sec = document.sections[0]
    body = Emu(sec.page_width - sec.left_margin - sec.right_margin).cm
    containers = [(document.paragraphs, body)]
    containers += [(c.paragraphs, Emu(c.width).cm - CELL_MARGINS_CM) for t in document.tables for c in t._cells
                   if c.width is not None]
    styles = ParagraphStyles(document)
    for paras, available in containers:
        above = None
        for p in paras:
            style = styles.of(p)
            ratio = RULE_RATIO.get(style.name) if style is not None else None
            if ratio and above is not None:
                runs = [r for r in above.runs if r.text.strip()]
                size = (runs[0].font.size.pt if runs and runs[0].font.size else 13)
                indent = Cm(rule_indent_cm(above.text.strip(), size, available, ratio))
                p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
            elif p.text.strip():
                above = p
