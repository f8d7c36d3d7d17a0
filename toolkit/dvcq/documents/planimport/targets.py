"""The targets a plan's text sets for indicators of the periodic report (issue 26 §5): "tỷ lệ hồ sơ giải quyết
đúng hạn đạt từ 98% trở lên" (CC06), "tỷ lệ hài lòng đạt trên 90%" (CC11), "tổ chức đối thoại ... ít nhất 01
lần trong năm" (TD17). A clause (up to ";", or a ", tỷ lệ ..." that starts another) with a percentage or "ít
nhất N ..." is a target when its words name one indicator below; a clause that names none ("phấn đấu đạt từ
85% trở lên") is read with the clause before it. A target set for each unit below the issuer ("mỗi huyện
đăng ký ít nhất 01 mô hình", "UBND các xã ... ít nhất 01 lần") is no target of the issuer's own figure and is
left in the task's text only, as are targets no indicator measures ("100% thủ tục được công khai")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from dvcq.forms.plandoc import PlanDocument
from dvcq.text import fold

# the indicators a plan's words name, first match wins (compared folded); a rate or score by a percentage,
# a count by "ít nhất N"
_RATES = (
    ("CC09", re.compile(r"\bho so\b.{0,60}\btruc tuyen\b")),
    ("CC06", re.compile(r"\bho so\b.{0,70}\b(?:dung han|truoc han)\b")),
    ("CC16", re.compile(r"\btruc tuyen mot phan\b")),
    ("CC15", re.compile(r"\b(?:thu tuc|dich vu cong)\b.{0,60}\btruc tuyen toan trinh\b")),
    ("CC11", re.compile(r"\bhai long\b")),
    ("HG03", re.compile(r"\bhoa giai thanh\b")),
    ("TD13", re.compile(r"\b(?:khieu nai|to cao|don thu|don)\b.{0,60}\bthuoc tham quyen\b|"
                        r"\bthuoc tham quyen\b.{0,40}\bgiai quyet\b.{0,20}\b(?:don|khieu nai)\b")),
)
_COUNTS = (
    ("TD17", re.compile(r"\bdoi thoai\b")),
    ("DV01", re.compile(r"\bdan van kheo\b.{0,40}\bdang ky\b|\bdang ky\b.{0,40}\bdan van kheo\b")),
    ("KT01", re.compile(r"\bkiem tra\b")),
    ("BD01", re.compile(r"\b(?:lop|tap huan|boi duong)\b")),
)
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_AT_LEAST = re.compile(r"\b(?:ít nhất|tối thiểu)\s+(\d{1,3})\s+(?:lần|cuộc|hội nghị|buổi|mô hình|lớp)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:đến|trong|vào)\s+(?:cuối\s+|hết\s+)?năm\s+(\d{4})\b", re.IGNORECASE)
# a clause whose subject is every unit below the issuer: their target, not the issuer's
_EACH = re.compile(r"^(?:phan dau\s+)?(?:moi|tung)\b|\b(?:ubnd|uy ban nhan dan) cac\b|^cac (?:xa|phuong|huyen|so)\b")
_CLAUSES = re.compile(r";\s*|,\s*(?=(?:tỷ lệ|tỉ lệ)\b)|(?<=\.)\s+(?=[A-ZĐÂĂÊÔƠƯ])")


@dataclass(frozen=True)
class FoundTarget:
    """A target as the plan writes it: the indicator's code, the value as written (a rate in percent: 98 for
    98%), the year it names (None: the plan's year), the clause, and the line it stands on."""
    code: str
    value: float
    year: int | None
    text: str
    line: int


def _texts(doc: PlanDocument) -> list[tuple[str, int]]:
    out = [(p, 0) for p in doc.opening]
    out += [(p, 0) for p in doc.purposes + doc.requirements]
    out += [(t.content, t.line) for t in doc.tasks]
    out += [(e.target_text, e.line) for e in doc.rollout if e.target_text]
    return out


def _code(clause: str, table) -> str | None:
    f = fold(clause)
    return next((code for code, pattern in table if pattern.search(f)), None)


def find_targets(doc: PlanDocument) -> list[FoundTarget]:
    """The targets the plan's opening, purposes, tasks and rollout set, in the text's order, one per indicator
    and year (the first)."""
    found: list[FoundTarget] = []
    seen: set[tuple[str, int | None]] = set()
    for text, line in _texts(doc):
        clauses = [c.strip() for c in _CLAUSES.split(text.replace("\n", " ")) if c.strip()]
        for k, clause in enumerate(clauses):
            percent, count = _PERCENT.search(clause), _AT_LEAST.search(clause)
            if not percent and not count:
                continue
            table = _RATES if percent else _COUNTS
            said = clause
            code = _code(clause, table)
            if code is None and k > 0:  # "...; phấn đấu đạt từ 85% trở lên": the clause before names it
                said = f"{clauses[k - 1]}; {clause}"
                code = _code(said, table)
            if code is None or _EACH.search(fold(said)):
                continue
            value = float((percent or count).group(1).replace(",", "."))
            year = _YEAR.search(said)
            key = (code, int(year.group(1)) if year else None)
            if key in seen:
                continue
            seen.add(key)
            found.append(FoundTarget(code, value, key[1], said.rstrip(" .;,"), line))
    return found
