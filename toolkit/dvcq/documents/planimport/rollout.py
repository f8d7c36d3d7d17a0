"""The rollout of the model by year ("Năm 2024: 04 đơn vị, gồm thị trấn Bến Sung, xã Xuân Phúc ..."), its
target ("Phấn đấu đến năm 2025, 100% số xã, thị trấn ra mắt mô hình"), and the funding part."""
from __future__ import annotations

import re

from dvcq.forms.plandoc import Funding, RolloutEntry, Task

from .markers import item

_ENTRY = re.compile(r"^(?:Năm|năm|Trong năm|trong năm)\s+(\d{4})\s*[:\-–]\s*(.*)$")
_COUNT = re.compile(r"(?<![\d/])(\d{1,3})\s+(?:đơn vị|xã|phường|thị trấn|cơ quan|địa phương|thôn|tổ dân phố)")
# a unit's name: its generic noun and a proper name ("xã Cán Khê"; "60 xã, phường" names none)
_UNIT_START = re.compile(r"^(?:xã|phường|thị trấn|thị xã|thành phố|huyện|quận|đặc khu|thôn|khu phố|tổ dân phố|"
                         r"UBND|Ủy ban)\s+\w", re.IGNORECASE)
_TARGET = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_PHASE_END = re.compile(r"(?:giai đoạn|từ năm)\s+\d{4}\s*[-–]\s*(\d{4})|(?:đến|vào|trong)\s+năm\s+(\d{4})|"
                        r"^năm\s+(\d{4})", re.IGNORECASE)


def entry(text: str, line: int) -> RolloutEntry | None:
    m = _ENTRY.match(text)
    if not m:
        return None
    rest = m.group(2)
    count = _COUNT.search(rest)
    after = rest.split(":")[-1] if ":" in rest else rest
    after = re.sub(r"\([^()]*\)", "", after).strip().rstrip(".;").strip()
    parts = [p.strip() for p in re.split(r";|,|\s+và\s+(?=(?:xã|phường|thị trấn)\b)", after) if p.strip()]
    units = tuple(p for p in parts if _UNIT_START.match(p))
    return RolloutEntry(int(m.group(1)), units, int(count.group(1)) if count else None, text, line=line)


def rollout(items: list[tuple[str, int]], group: tuple[str, str]) -> tuple[list[RolloutEntry], list[Task]]:
    """Year entries and targets of a Lộ trình part; its other items are tasks of a group of its own."""
    entries: list[RolloutEntry] = []
    targets: list[tuple[int, float, str]] = []
    tasks: list[Task] = []
    for text, line in items:
        plain = item(text)[2] if item(text) else text
        e = entry(plain, line)
        if e:
            entries.append(e)
            continue
        pct, end = _TARGET.search(plain), _PHASE_END.search(plain)
        if pct and end:
            year = int(next(g for g in end.groups() if g))
            targets.append((year, float(pct.group(1).replace(",", ".")), plain))
            continue
        number = item(text)[1] if item(text) else ""
        tasks.append(Task(group[0], group[1], number, plain, line=line))
    for year, pct, text in targets:
        i = next((k for k, e in enumerate(entries) if e.year == year), None)
        if i is None:
            entries.append(RolloutEntry(year, target_text=text, target_percent=pct))
        else:
            e = entries[i]
            entries[i] = RolloutEntry(e.year, e.units, e.count, e.text, text, pct, e.line)
    entries.sort(key=lambda e: e.year)
    return entries, tasks


_SOURCE_FROM = re.compile(r"(?:từ|bằng)\s+(?:các\s+)?(?:nguồn\s*:?\s*)?(.+?)(?:[.;]|$)", re.IGNORECASE)
_SOURCE_BY = re.compile(r"\bdo\s+(ngân sách.+?)\s+(?:đảm bảo|bảo đảm|chi trả|bố trí|cấp)", re.IGNORECASE)
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn)?\s*đồng")


def funding(texts: list[str], line: int) -> Funding:
    whole = " ".join(texts)
    sources: list[str] = []
    for pattern in (_SOURCE_BY, _SOURCE_FROM):
        m = pattern.search(whole)
        if m:
            sources = [s.strip(" ,") for s in re.split(r",|\s+và\s+", m.group(1)) if s.strip(" ,")]
            break
    amount = _AMOUNT.search(whole)
    return Funding(tuple(texts), tuple(sources), amount.group(0) if amount else "", line)
