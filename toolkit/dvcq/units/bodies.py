"""A province's (or a district's) reporting bodies that are not territorial units: its sở, ban, ngành
(templates/co-quan.yaml), which report to it besides its districts or communes.

A body's code is its parent's code, a hyphen and letters ("38-SNV"): text Excel never turns into a
number, and never an NSO code (those are digits only). The file is checked when loaded: its schema
(dvcq.schema.BODIES), each code's shape and uniqueness, real dates in order; a failure is a UserError
naming the file, the line and the key. The registry (dvcq.units.registry) merges the bodies into the units of
each era; a body is expected in a consolidation when it exists on the last day of the period's window.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dvcq import schema
from dvcq.errors import UserError
from dvcq.resources import templates_dir

FILE = "co-quan.yaml"
ERAS = ("legacy", "2025")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SUFFIX = re.compile(r"[A-Z][A-Z0-9]{1,9}")
_ABBREVIATION = re.compile(r"[A-Za-zĐđ][A-Za-zĐđ0-9]{0,14}")  # "SNV", "SKHĐT", "TTr": after "BC-", "KH-"


@dataclass(frozen=True)
class Body:
    """One declared reporting body of a parent unit."""
    code: str  # "38-SNV"
    name: str  # "Sở Nội vụ"
    kind: str  # the type word: "sở", "ban", "cơ quan", "phòng"
    parent_code: str  # the province (or district) it reports to
    start: date | None = None  # first day it exists (None: before any period dvcq handles)
    end: date | None = None  # last day it exists (None: still)
    eras: tuple[str, ...] = ERAS  # registry eras it belongs to
    source: str = ""
    abbreviation: str = ""  # its own in a document's number ("Số: 12/BC-SNV"); the code's letters when not given
    successor: str = ""  # the code of the body that carries on its tasks after its last day (a merger)

    @property
    def symbol(self) -> str:
        """What follows the document kind in a number: "SNV" of "12/BC-SNV"."""
        return self.abbreviation or self.code.partition("-")[2]

    @property
    def span(self) -> str:
        """When it exists, in words: 'từ 01/03/2025', 'đến 28/02/2025', 'từ ... đến ...'."""
        parts = [f"từ {self.start:%d/%m/%Y}"] if self.start else []
        parts += [f"đến {self.end:%d/%m/%Y}"] if self.end else []
        return " ".join(parts) or "không giới hạn"

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _fail(path: Path, line: int | None, key: str, what: str) -> UserError:
    where = f", dòng {line}" if line else ""
    return UserError(f"Tệp {path}{where}, khóa «{key}»: {what}.")


def _day(path: Path, line: Callable[[], int | None], key: str, text: str | None) -> date | None:
    """The date of a dd/mm/yyyy text; a UserError at ``line()`` when it is no real date."""
    if text is None:
        return None
    m = _DMY.fullmatch(str(text).strip())
    try:
        if m is None:
            raise ValueError
        return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise _fail(path, line(), key, f"cần một ngày dạng dd/mm/yyyy có thật, không phải «{text}»") from None


def _item_lines(path: Path) -> dict[tuple[str, int], dict[str, int]]:
    """(parent code, item index) -> {key: 1-based line} of each body's keys, for messages (parsed only when a
    message needs it: a file that is right comes from the cache without PyYAML, dvcq.schema)."""
    node = schema.compose(path.read_text(encoding="utf-8"))
    out: dict[tuple[str, int], dict[str, int]] = {}
    if node is None or node.id != schema.MAPPING:
        return out
    for k, v in node.value:
        if str(k.value) != "parents" or v.id != schema.MAPPING:
            continue
        for pk, pv in v.value:
            if pv.id != schema.MAPPING:
                continue
            for bk, bv in pv.value:
                if str(bk.value) == "bodies" and bv.id == schema.SEQUENCE:
                    for i, item in enumerate(bv.value):
                        lines = {"": item.start_mark.line + 1}
                        if item.id == schema.MAPPING:
                            lines.update({str(a.value): a.start_mark.line + 1 for a, _ in item.value})
                        out[(str(pk.value), i)] = lines
    return out


def _line(path: Path, parent: str, i: int, key: str) -> int | None:
    """The line of a body's key (of the body itself without it), for a message."""
    lines = _item_lines(path).get((parent, i), {})
    return lines.get(key) or lines.get("")


def parse_bodies(path: Path) -> tuple[Body, ...]:
    """Every body of a co-quan.yaml file, checked (see the module docstring)."""
    data = schema.load(path, schema.BODIES) or {}
    out: list[Body] = []
    seen: dict[str, int] = {}  # code -> index of the body that declared it (under the same parent: the code's prefix)
    for parent, entry in (data.get("parents") or {}).items():
        parent = str(parent)
        at = lambda i, key: _line(path, parent, i, key)  # noqa: E731
        if not re.fullmatch(r"\d{2}|\d{3}", parent):
            raise _fail(path, schema.line_of(path, ("parents", parent)), parent,
                        "cần mã tỉnh (2 chữ số) hoặc mã huyện (3 chữ số) theo danh mục, đặt trong dấu nháy")
        for i, b in enumerate(entry.get("bodies") or ()):
            code = str(b["code"]).strip()
            prefix, _, suffix = code.partition("-")
            if prefix != parent or not _SUFFIX.fullmatch(suffix):
                raise _fail(path, at(i, "code"), "code",
                            f"mã «{code}» cần dạng «{parent}-CHỮ» (mã đơn vị cấp trên, dấu gạch ngang, 2-10 chữ in "
                            f"hoa không dấu hoặc số, bắt đầu bằng chữ), ví dụ {parent}-SNV")
            if code in seen:
                raise _fail(path, at(i, "code"), "code", f"mã «{code}» đã khai ở dòng {at(seen[code], 'code') or 0}")
            seen[code] = i
            start = _day(path, lambda: at(i, "from"), "from", b.get("from"))  # noqa: B023 (called at once)
            end = _day(path, lambda: at(i, "to"), "to", b.get("to"))  # noqa: B023
            if start and end and end < start:
                raise _fail(path, at(i, "to"), "to", f"ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}")
            name = str(b["name"]).strip()
            if not name:
                raise _fail(path, at(i, "name"), "name", "cần tên cơ quan")
            eras = tuple(b.get("eras") or ERAS)
            source = str(b.get("source") or entry.get("source") or "")
            abbreviation = str(b.get("abbreviation") or "").strip()
            if abbreviation and not _ABBREVIATION.fullmatch(abbreviation):
                raise _fail(path, at(i, "abbreviation"), "abbreviation",
                            f"chữ viết tắt «{abbreviation}» cần 1-15 chữ cái hoặc số, không dấu cách, không dấu «/» "
                            "hay «-», ví dụ SNV, SKHĐT, TTr")
            successor = str(b.get("successor") or "").strip()
            if successor and successor.partition("-")[0] != parent:
                raise _fail(path, at(i, "successor"), "successor",
                            f"cơ quan tiếp nhận nhiệm vụ «{successor}» cần là một cơ quan của cùng đơn vị {parent}")
            if successor and end is None:
                raise _fail(path, at(i, "successor"), "successor",
                            "chỉ cơ quan có ngày kết thúc (to) mới có cơ quan tiếp nhận nhiệm vụ")
            out.append(Body(code, name, b["kind"], parent, start, end, eras, source, abbreviation, successor))
    known = {b.code for b in out}
    for b in out:
        if b.successor and b.successor not in known:
            line = next((ln.get("successor") for (p, _), ln in _item_lines(path).items() if p == b.parent_code
                         and ln.get("successor")), None)
            raise _fail(path, line, "successor",
                        f"cơ quan tiếp nhận nhiệm vụ «{b.successor}» của {b.code} chưa được khai")
    return tuple(out)


@lru_cache(maxsize=None)
def _load(path: Path) -> tuple[Body, ...]:
    return parse_bodies(path) if path.exists() else ()


def bodies() -> tuple[Body, ...]:
    """The declared bodies of the templates' co-quan.yaml (none when the file is absent)."""
    return _load(templates_dir() / FILE)
