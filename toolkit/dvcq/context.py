"""The data a narrative report is written from: a roll-up or a commune's own periodic report.

`build_context` returns the plain dict that the text templates in templates/report use
(documented in README, "Narrative templates"). No personal data enters it: only totals,
units' values, case counts and the units' own assessment texts.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from . import decree, outputs
from .errors import BookError, UserError
from .spec import load_form

REPORT = "bao-cao-dinh-ky"
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
        num = sum(values.get(c) or 0 for c in ind.numerator) if ind.kind == "ratio" else None
        den = sum(values.get(c) or 0 for c in ind.denominator) if ind.kind == "ratio" else None
        prev = previous.get(ind.code) if previous else None
        out[ind.code] = {
            "code": ind.code, "title": ind.title, "unit": ind.unit, "kind": ind.kind,
            "value": values.get(ind.code), "previous": prev, "numerator": num, "denominator": den,
            "numerator_prev": sum(previous.get(c) or 0 for c in ind.numerator) if previous and ind.kind == "ratio" else None,
            "denominator_prev": sum(previous.get(c) or 0 for c in ind.denominator) if previous and ind.kind == "ratio" else None,
        }
    return out


def _measures(values: dict, previous: dict | None) -> dict:
    out = {}
    for fid in ("so-tiep-cong-dan", "ke-hoach"):
        for m in load_form(fid).measures:
            if m.code in values:
                out[m.code] = {"title": m.title, "unit": m.unit, "value": values.get(m.code),
                               "previous": previous.get(m.code) if previous else None}
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[^\W\d_])")
_ABBREVIATION = re.compile(r"(?:^|\s)[A-ZĐ][A-Za-zĐđ]{0,2}\.$")  # TP. TX. Q. ThS. end no sentence
_NOTHING = re.compile(r"^(khong co|khong)( (y kien|kien nghi|de xuat|gi|van de gi))?( (khac|them))?$")


_ITEM = re.compile(r"\s*\n\s*(?:[-•+*]\s+)?|(?:^|\s)[-•+*]\s+")  # line breaks and bullets start a new point


def sentences(text: str) -> list[str]:
    """A unit's text split into sentences, each ending with its punctuation."""
    out: list[str] = []
    for item in _ITEM.split(str(text)):
        start = len(out)
        for part in _SENTENCE_END.split(" ".join(item.split())):
            if not part:
                continue
            first_letter = next((c for c in part if c.isalpha()), "")
            if len(out) > start and (_ABBREVIATION.search(out[-1]) or not first_letter.isupper()):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return [s if s[-1] in ".!?" else s + "." for s in out]


def _texts(items: list[dict]) -> dict:
    """Texts by section code, one entry per distinct sentence with the units that wrote it.

    Sentences are compared after folding (case, diacritics, spacing), so a point raised by several
    units appears once, followed by their names; points shared by more units come first.
    "Không có kiến nghị."-like sentences are left out when the section says anything else.
    """
    from .text import fold, nfc

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
                if t["unit"] not in g["units"]:
                    g["units"].append(t["unit"])
        ordered = sorted(groups.values(), key=lambda g: -len(g["units"]))  # stable: first seen first among equals
        if not ordered and nothing:
            ordered = [{"text": nothing[0], "units": []}]
        for g in ordered:
            g["unit"] = ", ".join(g["units"])
            g["bare"] = g["text"].rstrip(".!? ")
        out[code] = ordered
    return out


def build_context(input_path: Path, signer: str | None = None, number: str | None = None,
                  db: Path | None = None, today: date | None = None, date: str | date | None = None) -> dict:
    """Context for the narrative from a roll-up workbook or a commune's periodic report. ``date`` is the
    signing date (DD/MM/YYYY or a date); without it the day and month are left blank (``today``'s year).
    """
    from .periods import parse
    from .registry import for_period
    from .rollup import load_rollup
    from .store import rollup_totals

    input_path = Path(input_path)
    try:
        data = load_rollup(input_path)
    except BookError:
        raise  # not a readable workbook (sniffed, size limits): the sniffer's message, exit status 2
    except Exception:
        data = None
    if data is None:
        data = _from_report(input_path)
    period = parse(data["period"])
    reg = for_period(period)
    unit = reg.require(data["unit_code"])
    db = outputs.history_db(db)
    previous = None
    prev_raw = rollup_totals(db, period.previous_year().code, unit.code) if db else None
    if prev_raw:
        from .consolidate import derive

        previous = derive(prev_raw)
    totals = data["totals"]
    ledger = None
    if data.get("ledger"):
        led = data["ledger"]
        ledger = {"expected": len(led), "submitted": sum(1 for r in led if r["submitted"]),
                  "on_time": sum(1 for r in led if r["submitted"] and r["on_time"]),
                  "late": [r["unit_name"] for r in led if r["submitted"] and r["on_time"] is False],
                  "missing": [r["unit_name"] for r in led if not r["submitted"]],
                  "excluded": [r["unit_name"] for r in led if r["status"] == "invalid"]}
    names = {u["code"]: u["name"] for u in data.get("units", [])}
    counts: dict[str, int] = {}
    for c in data.get("overdue_cases", []):
        counts[c["unit_code"]] = counts.get(c["unit_code"], 0) + 1
    overdue = [{"unit": names.get(k, reg.get(k).name if reg.get(k) else k), "count": n}
               for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    plan = None
    if "nv_tong" in totals:
        plan = {k: totals.get(k) for k in ("nv_tong", "nv_xong", "nv_dang", "nv_chua", "lt_ke_hoach", "lt_ra_mat")}
        plan["nv_qua_han"] = totals.get("nv_qua_han", 0)
        plan["muc_tieu_nam"] = data.get("extra", {}).get("muc_tieu_nam")
    signed = decree.signing_date(date)
    return {
        "issuer": _issuer(unit, reg),
        "period": {"code": period.code, "label": period.label, "year": period.year, "start": period.start,
                   "end": period.end},
        "number": number or "",
        "place_date": decree.place_date(unit.short_name, period, signed, today),
        "signer": decree.signature(signer),
        "recipients": decree.recipients(unit, reg),
        "area": AREA[unit.level],
        "i": _indicators(totals, previous),
        "m": _measures(totals, previous),
        "units": [{"code": u["code"], "name": u["name"], "i": u["i"]} for u in data.get("units", [])],
        "ledger": ledger,
        "overdue": overdue,
        "texts": _texts(data.get("texts", [])),
        "plan": plan,
        "has_previous": previous is not None,
        "best_worst": _best_worst(data.get("units", [])),
    }


def _best_worst(units: list[dict]) -> dict | None:
    """The units with the highest and lowest value of each key rate ("Xã A (95,0%)")."""
    from . import fmt

    out = {}
    for code in KEY_RATES:
        rated = [(u["i"].get(code), u["name"]) for u in units if isinstance(u["i"].get(code), (int, float))]
        if len(rated) < 2:
            return None
        top, low = max(rated), min(rated)
        out[code] = {"best": f"{top[1]} ({fmt.percent(top[0])})", "worst": f"{low[1]} ({fmt.percent(low[0])})"}
    return out


def _from_report(path: Path) -> dict:
    """A commune's own periodic report (validated first)."""
    from .consolidate import additive, derive
    from .validate import validate_file

    r = validate_file(path)
    if r.status == "unreadable":
        raise BookError(r.issues[0].code, r.issues[0].message)
    if r.form_id != REPORT:
        raise UserError(f"Tệp «{path.name}» không phải biểu tổng hợp hay báo cáo định kỳ của dvcq; "
                        "không viết được báo cáo.")
    if r.summary is None:
        first = r.errors[0] if r.errors else None
        where = f" ({first.location}: {first.message})" if first else ""
        raise UserError(f"Báo cáo «{path.name}» còn lỗi, hãy sửa trước khi xuất văn bản{where}.")
    s = r.summary
    texts = [{"unit_code": r.unit_code, "unit": r.unit_name, "code": k, "text": v} for k, v in s["texts"].items()]
    return {"unit_code": r.unit_code, "period": r.period, "totals": derive(additive({REPORT: s})),
            "units": [], "ledger": None, "overdue_cases": [], "texts": texts, "extra": {}}
