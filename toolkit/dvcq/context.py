"""The data a narrative report is written from: a roll-up or a commune's own periodic report.

`build_context` returns the plain dict that the text templates in templates/report use
(documented in README, "Narrative templates"). No personal data enters it: only totals,
units' values, case counts and the units' own assessment texts.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from . import decree, fmt, outputs
from .aggregate import additive, derive, terms
from .coverage import from_ledger
from .errors import BookError, UserError
from .periods import parse
from .readback import load_rollup
from .registry import for_period
from .spec import LOG, PLAN, REPORT, load_form
from .store import rollup_totals
from .text import fold, nfc, unit_running as running_name
from .validate import validate_paths

KEY_RATES = ("TD13", "CC06")
AREA = {"country": "cả nước", "province": "toàn tỉnh", "district": "toàn huyện", "commune": "toàn xã"}


def _issuer(unit, reg) -> dict:
    parent = reg.parent(unit)
    return {
        "parent_body": f"UBND {parent.name.upper()}" if parent else "",
        "body": "ỦY BAN NHÂN DÂN",
        "unit_name": unit.name.upper(),
        "place": unit.short_name,
        "level": unit.level,
        "phrase": unit.running_name,
        "code": unit.code,
        "era": reg.era,
    }


def _indicators(values: dict, previous: dict | None) -> dict:
    out = {}
    for ind in load_form(REPORT).indicators:
        num, den = terms(values, ind)
        num_prev, den_prev = terms(previous or None, ind)
        prev = previous.get(ind.code) if previous else None
        out[ind.code] = {
            "code": ind.code, "title": ind.title, "unit": ind.unit, "kind": ind.kind,
            "value": values.get(ind.code), "previous": prev, "numerator": num, "denominator": den,
            "numerator_prev": num_prev, "denominator_prev": den_prev,
        }
    return out


def _measures(values: dict, previous: dict | None) -> dict:
    out = {}
    for fid in (LOG, PLAN):
        for m in load_form(fid).measures:
            if m.code in values:
                out[m.code] = {"title": m.title, "unit": m.unit, "value": values.get(m.code),
                               "previous": previous.get(m.code) if previous else None}
    return out


# a sentence ends at . ! ? … (and any closing quote or bracket) before a space and a letter
_SENTENCE_END = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+[\"“«(]?[^\W\d_])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-ZĐ][A-Za-zĐđ]{0,2}|v\.v|Tp|TT)\.$")  # TP. TX. Q. ThS. v.v. end no sentence
_NOTHING = re.compile(r"^(khong co|khong)( (y kien|kien nghi|de xuat|gi|van de gi))?( (khac|them))?$")
# a new point starts at a line break, at a list marker opening a line ("- ", "• ", "1. ", "a) "), or at a
# dash bullet right after a sentence or clause end ("... xong. - Hai ..."); never at a dash inside a
# phrase such as "kinh tế - xã hội"
_ITEM = re.compile(r"\s*\n\s*(?:(?:[-•+*]|\d{1,2}[.)]|[a-zđ]\))\s+)?|^\s*(?:[-•+*]|\d{1,2}[.)]|[a-zđ]\))\s+"
                   r"|(?<=[.!?;:])\s+[-•+*]\s+")


def sentences(text: str) -> list[str]:
    """A unit's text split into sentences, each ending with its punctuation."""
    out: list[str] = []
    for item in _ITEM.split(str(text)):
        item = " ".join(item.split())
        start, pos = len(out), 0
        cuts = [m.end() for m in _SENTENCE_END.finditer(item)] + [len(item)]
        for cut in cuts:
            part = item[pos:cut].strip()
            pos = cut
            if not part:
                continue
            first_letter = next((c for c in part if c.isalpha()), "")
            if len(out) > start and (_ABBREVIATION.search(out[-1]) or not first_letter.isupper()):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return [s if s.rstrip("\"”»’)")[-1:] in (".", "!", "?", "…") else s + "." for s in out]


def _texts(items: list[dict]) -> dict:
    """Texts by section code, one entry per distinct sentence with the units that wrote it.

    Sentences are compared after folding (case, diacritics, spacing), so a point raised by several
    units appears once, followed by their names; points shared by more units come first.
    "Không có kiến nghị."-like sentences are left out when the section says anything else.
    """
    out: dict[str, list[dict]] = {}
    for code in dict.fromkeys(t["code"] for t in items):
        groups: dict[str, dict] = {}
        nothing: list[str] = []
        for t in (t for t in items if t["code"] == code):
            for sentence in sentences(nfc(t["text"])):
                key = fold(sentence)
                if _NOTHING.match(key):
                    nothing.append(sentence)
                    continue
                g = groups.setdefault(key, {"text": sentence, "units": []})
                name = running_name(t["unit"])
                if name not in g["units"]:
                    g["units"].append(name)
        ordered = sorted(groups.values(), key=lambda g: -len(g["units"]))  # stable: first seen first among equals
        if not ordered and nothing:
            ordered = [{"text": nothing[0], "units": []}]
        for g in ordered:
            g["unit"] = ", ".join(g["units"])
            g["bare"] = g["text"].rstrip(".!? ")
        out[code] = ordered
    return out


def build_context(inputs, signer: str | None = None, number: str | None = None,
                  db: Path | None = None, today: date | None = None, date: str | date | None = None) -> dict:
    """Context for the narrative from a roll-up workbook, or from a unit's own files: its periodic
    report with its reception log and plan when given (a folder or several files). ``date`` is the
    signing date (DD/MM/YYYY or a date); without it the day and month are left blank (``today``'s year).
    """
    paths = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    data = _from_rollup(paths[0]) if len(paths) == 1 and paths[0].is_file() else None
    if data is None:
        data = _from_unit_files(paths)
    period = parse(data["period"])
    reg = for_period(period)
    unit = reg.require(data["unit_code"])
    db = outputs.history_db(db)
    previous = None
    prev_raw = rollup_totals(db, period.previous_year().code, unit.code) if db else None
    if prev_raw:
        previous = derive(prev_raw)
    totals = data["totals"]
    ledger = None
    if data.get("ledger"):
        led = data["ledger"]
        ledger = {"expected": len(led), "submitted": sum(1 for r in led if r["submitted"]),
                  "on_time": sum(1 for r in led if r["submitted"] and r["on_time"]),
                  "late": [running_name(r["unit_name"]) for r in led if r["submitted"] and r["on_time"] is False],
                  "missing": [running_name(r["unit_name"]) for r in led if not r["submitted"]],
                  "excluded": [running_name(r["unit_name"]) for r in led if r["status"] == "invalid"]}
    names = {u["code"]: u["name"] for u in data.get("units", [])}
    counts: dict[str, int] = {}
    for c in data.get("overdue_cases", []):
        counts[c["unit_code"]] = counts.get(c["unit_code"], 0) + 1
    overdue = [{"unit": running_name(names.get(k, reg.get(k).name if reg.get(k) else k)), "count": n}
               for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    plan = None
    if "nv_tong" in totals:
        plan = {k: totals.get(k) for k in ("nv_tong", "nv_xong", "nv_dang", "nv_chua", "lt_ke_hoach", "lt_ra_mat")}
        plan["nv_qua_han"] = totals.get("nv_qua_han", 0)
        plan["muc_tieu_nam"] = data.get("extra", {}).get("muc_tieu_nam")
    own = data["ledger"] is None  # a unit's own report, not a roll-up
    children = _children_label(data["sources"], reg)
    cover = {key: _coverage(data["sources"], fid, unit, own, children, AREA[unit.level])
             for key, fid in (("report", REPORT), ("log", LOG), ("plan", PLAN))}
    signed = decree.signing_date(date)
    return {
        "issuer": _issuer(unit, reg),
        "period": {"code": period.code, "label": period.label, "year": period.year, "start": period.start,
                   "end": period.end, "next": period.next_label},
        "number": number or "",
        "place_date": decree.place_date(unit.short_name, period, signed, today),
        "signer": decree.signature(signer),
        "recipients": decree.recipients(unit, reg),
        "area": cover["report"]["scope"],
        "own": own,
        "unit_code": unit.code,
        "children": children,
        "chair": f"Chủ tịch UBND {_issuer(unit, reg)['phrase']}" if own else f"Chủ tịch UBND các {children}",
        "cover": cover,
        "i": _indicators(totals, previous),
        "m": _measures(totals, previous),
        "units": [{"code": u["code"], "name": u["name"], "i": u["i"]} for u in data.get("units", [])],
        "ledger": ledger,
        "overdue": overdue,
        "texts": _texts(data.get("texts", [])),
        "plan": plan,
        "has_previous": previous is not None,
        "best_worst": _best_worst(data.get("units", [])),
        "notes": data.get("notes", []),
    }


def _children_label(sources: list[dict], reg) -> str:
    """The kinds of the expected units, most frequent first: 'xã, thị trấn', 'huyện, thị xã, thành phố'."""
    kinds = Counter()
    for row in sources:
        u = reg.get(row.get("unit_code", ""))
        if u is not None:
            kinds[u.division_type.replace(" trung ương", "").lower()] += 1
    return ", ".join(k for k, _ in kinds.most_common()) or "đơn vị"


def _coverage(sources: list[dict], form_id: str, unit, own: bool, children: str, area: str) -> dict:
    """Coverage of one source for the template: counts, who is missing, and the words for the area."""
    cov = from_ledger(sources, form_id)
    missing = [running_name(n) for n in cov.missing]
    partial = [f"{running_name(n)} ({c}/{e})" if e else running_name(n) for n, (c, e) in cov.partial_counts.items()]
    if own:
        scope = running_name(unit.name)
    elif cov.complete:
        scope = area
    else:
        scope = f"{cov.covered}/{cov.expected} {children} có số liệu"
    return {"covered": cov.covered, "expected": cov.expected, "complete": cov.complete, "fraction": cov.fraction,
            "missing": missing, "partial": partial, "scope": scope, "any": cov.covered > 0}


def _from_rollup(path: Path) -> dict | None:
    """A roll-up workbook read back, with its ledger as the coverage source; None for any other file.
    An unreadable file or an unusable roll-up raises with its own message (exit status 2), never
    falls through to being read as a commune's report."""
    data = load_rollup(path)
    if data is not None:
        data["sources"] = data["ledger"]
    return data


def _from_unit_files(paths: list[Path]) -> dict:
    """A unit's own files (validated first): its periodic report, and its reception log and plan of the
    same period when among them; a missing or invalid log or plan is noted, never counted as zero."""
    files = [r for r in validate_paths(paths).files if r.status != "skipped"]
    names = ", ".join(f"«{p.name}»" for p in paths)
    if len(files) == 1 and files[0].status == "unreadable":
        raise BookError(files[0].issues[0].code, files[0].issues[0].message)
    reports = [r for r in files if r.form_id == REPORT]
    if not reports:
        raise UserError(f"{names}: không có biểu tổng hợp hay báo cáo định kỳ của dvcq; không viết được báo cáo "
                        "(cần báo cáo định kỳ của đơn vị, có thể kèm sổ tiếp công dân và kế hoạch cùng kỳ).")
    valid = [r for r in reports if r.summary is not None]
    if not valid:
        r = reports[0]
        first = r.errors[0] if r.errors else None
        where = f" ({first.location}: {first.message})" if first else ""
        raise UserError(f"Báo cáo «{r.path.name}» còn lỗi, hãy sửa trước khi xuất văn bản{where}.")
    if len({(r.unit_code, r.period) for r in valid}) > 1:
        raise UserError(f"{names}: có báo cáo định kỳ của nhiều đơn vị hoặc nhiều kỳ; hãy đưa tệp của một đơn vị, "
                        "một kỳ.")
    main = max(valid, key=lambda r: r.received or "")
    chosen, notes = {REPORT: main}, []
    for fid, label in ((LOG, "Sổ tiếp công dân"), (PLAN, "Kế hoạch")):
        same = [r for r in files if r.form_id == fid and r.unit_code == main.unit_code]
        good = [r for r in same if r.summary is not None and r.period == main.period]
        if good:
            chosen[fid] = max(good, key=lambda r: r.received or "")
        elif same:
            notes.append(f"{label} «{same[0].path.name}» còn lỗi hoặc khác kỳ nên chưa dùng.")
    summaries = {fid: r.summary for fid, r in chosen.items()}
    s = main.summary
    texts = [{"unit_code": main.unit_code, "unit": main.unit_name, "code": k, "text": v} for k, v in s.texts.items()]
    self_row = {"unit_code": main.unit_code, "unit_name": main.unit_name, "submitted": True, "on_time": None,
                "status": "ok", "forms": sorted(chosen), "covers": {}}
    extra: dict = {}
    for summary in summaries.values():
        extra.update(summary.extra)
    return {"unit_code": main.unit_code, "period": main.period, "totals": derive(additive(summaries)),
            "units": [], "ledger": None, "sources": [self_row],
            "overdue_cases": summaries[LOG].overdue_cases if LOG in summaries else [],
            "texts": texts, "extra": extra, "notes": notes}


def _best_worst(units: list[dict]) -> dict | None:
    """The units with the highest and lowest value of each key rate ("Xã A (95,0%)")."""
    out = {}
    for code in KEY_RATES:
        rated = [(u["i"].get(code), running_name(u["name"])) for u in units if isinstance(u["i"].get(code), (int, float))]
        if len(rated) < 2:
            return None
        top, low = max(rated), min(rated)
        out[code] = {"best": f"{top[1]} ({fmt.percent(top[0])})", "worst": f"{low[1]} ({fmt.percent(low[0])})"}
    return out
