"""Tasks as plans write them: a numbered or bulleted item whose content may state its fields, as lines
under it ("- Cơ quan chủ trì: ...", "- Thời gian thực hiện: ..."), in parentheses at its end ("(Chủ trì:
...; thời gian: ...)"), as a sentence of its own ("Sở Nội vụ chủ trì, phối hợp ... Thời gian: Quý I/2025.")
or inside a sentence ("... hoàn thành trước ngày 10/12/2024"); and task tables (STT | Nội dung | Chủ trì |
Phối hợp | Thời gian | Sản phẩm)."""
from __future__ import annotations

import re
from dataclasses import replace

from dvcq.forms.plandoc import Task, TaskGroup, parse_deadline
from dvcq.text import fold

from .blocks import Table
from .markers import starts_upper
from .tree import Node, node_lines

_TASK_COLUMNS = {
    "number": re.compile(r"^(?:stt|tt|so tt|so thu tu)$"),
    "content": re.compile(r"noi dung|nhiem vu|cong viec"),
    "lead": re.compile(r"chu tri|phu trach|(?<!thoi gian )thuc hien|trach nhiem"),
    "coordinating": re.compile(r"phoi hop"),
    "deadline": re.compile(r"thoi gian|thoi han|tien do"),
    "output": re.compile(r"san pham|ket qua"),
}


def task_columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, when a table's first row heads a task list."""
    cols: dict[str, int] = {}
    for i, cell in enumerate(header):
        f = fold(cell)
        for name, pattern in _TASK_COLUMNS.items():
            if name not in cols and pattern.search(f):
                cols[name] = i
                break
    if "content" in cols and len(set(cols) & {"lead", "coordinating", "deadline", "output"}) >= 1:
        return cols
    return None


_FIELD_LABELS = (
    ("lead", re.compile(r"(?:(?:co quan|don vi|bo phan|nguoi|can bo|cong chuc) )?(?:chu tri|phu trach|thuc hien|"
                        r"tham muu)(?: thuc hien)?|trach nhiem(?: thuc hien)?")),
    ("coordinating", re.compile(r"(?:(?:co quan|don vi|bo phan) )?phoi hop(?: thuc hien)?")),
    ("deadline", re.compile(r"thoi gian(?: (?:thuc hien|hoan thanh|trien khai))?|thoi han(?: hoan thanh)?|"
                            r"tien do(?: thuc hien)?")),
    ("output", re.compile(r"san pham(?: (?:du kien|dau ra))?|ket qua(?: (?:du kien|dau ra|can dat))?")),
)


def field(text: str) -> tuple[str, str] | None:
    """("lead", "Văn phòng UBND xã") of a line "Cơ quan chủ trì: Văn phòng UBND xã" (also in parentheses);
    None otherwise."""
    text = text.strip()
    if text.startswith("(") and text.rstrip(" .;").endswith(")"):
        text = text.rstrip(" .;")[1:-1]
    i = text.find(":")
    if not 0 < i <= 40:
        return None
    label = fold(text[:i])
    for name, pattern in _FIELD_LABELS:
        if pattern.fullmatch(label):
            return name, text[i + 1:].strip().rstrip(".;").strip()
    return None


def bodies(value: str) -> tuple[str, ...]:
    parts = value.split(";") if ";" in value else value.split(",")
    return tuple(p.strip(" .") for p in parts if p.strip(" ."))


_TRAILING_FIELDS = re.compile(r"\s*\(([^()]*:[^()]*)\)\s*[.;]?\s*$")
# "... thực hiện. Thời gian: Quý I/2025." - a deadline written as the paragraph's last sentence
_DEADLINE_SENTENCE = re.compile(r"(?:^|(?<=[.;:])\s+|\s+(?=Thời))((?:Thời gian|Thời hạn|Tiến độ)(?: (?:thực hiện|"
                                r"hoàn thành|triển khai))?\s*:\s*(?P<value>[^:]+?))\s*[.;]?\s*$", re.IGNORECASE)
# a deadline inside a sentence: "... hoàn thành trước ngày 10/12/2024", "... trong Quý III/2023"
_DEADLINE_PHRASE = re.compile(r"\b(?:trước|trong|chậm nhất|hoàn thành trong|hoàn thành trước)\s+(?:ngày\s+\d{1,2}"
                              r"\s*/\s*\d{1,2}\s*/\s*\d{4}|[Qq]uý\s+[IV1-4]+\s*/\s*\d{4}|tháng\s+\d{1,2}\s*/\s*\d{4})",
                              re.IGNORECASE)
_LEAD = re.compile(r"\s+chủ trì\b")
# words that show a sentence's subject is no body's name ("Phối hợp với ... chủ trì")
_NOT_A_BODY = re.compile(r"\b(?:thực hiện|(?<!các )tổ chức|xây dựng|triển khai|tuyên truyền|phối hợp|giao|theo|để|"
                         r"nhằm|được|do)\b",
                         re.IGNORECASE)


def with_field(task: Task, name: str, value: str) -> Task:
    """The task with a field it states ("Chủ trì: ..."), unless that field is already filled."""
    if name == "lead" and not task.lead:
        return replace(task, lead=value)
    if name == "coordinating" and not task.coordinating:
        return replace(task, coordinating=bodies(value))
    if name == "deadline" and task.deadline is None and value:
        return replace(task, deadline=parse_deadline(value))
    if name == "output" and not task.output:
        return replace(task, output=value)
    return task


def _sentence_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text without a last sentence stating the deadline, and the fields its sentences state."""
    fields: list[tuple[str, str]] = []
    m = _DEADLINE_SENTENCE.search(text)
    if m and text[:m.start(1)].strip():
        fields.append(("deadline", m.group("value").strip()))
        text = text[:m.start(1)].rstrip()
    for lead in _LEAD.finditer(text):  # "... thi hành. Sở Nội vụ chủ trì, phối hợp với ..."
        start = max(text.rfind(". ", 0, lead.start()), text.rfind("; ", 0, lead.start()))
        body = text[start + 2 if start >= 0 else 0:lead.start()].strip()
        if body and starts_upper(body) and len(body.split()) <= 12 and not _NOT_A_BODY.search(body):
            fields.append(("lead", body))
            break
    return text, fields


def task(group: tuple[str, str], number: str, lines: list[tuple[str, object]], line: int) -> Task:
    """A task from its texts: field lines ("Chủ trì: ..."), a trailing "(Chủ trì: ...; Thời gian: ...)", a
    last sentence "Thời gian: ..." and a sentence "X chủ trì ..." fill the fields; the rest is the content.
    A deadline only written inside a sentence ("trước ngày 10/12/2024") is the task's deadline too."""
    fields: list[tuple[str, str]] = []
    content = []
    for i, (text, _) in enumerate(lines):
        found = marked_field(text) if i else None
        if found:
            fields.append(found)
            continue
        m = _TRAILING_FIELDS.search(text)
        parsed = [field(part.strip()) for part in m.group(1).split(";")] if m else []
        if parsed and all(parsed):
            fields += parsed
            text = text[:m.start()].rstrip()
            text = text if text[-1:] in ".;:!?" else text + "."
        text, stated = _sentence_fields(text)
        fields += stated
        content.append(text)
    result = Task(group[0], group[1], number, "\n".join(content), line=line)
    for name, value in fields:
        result = with_field(result, name, value)
    if result.deadline is None:
        phrases = [m.group(0) for c in content for m in _DEADLINE_PHRASE.finditer(c)]
        if phrases:
            result = replace(result, deadline=parse_deadline(phrases[-1]))
    return result


def marked_field(text: str) -> tuple[str, str] | None:
    """The field a line under a task states, with or without its list marker ("- Thời gian: ...")."""
    plain = re.sub(r"^[-–+•]\s*", "", text.strip())
    return field(plain)


def field_only(node: Node) -> bool:
    """An item that only states a field of the task above it ("- Thời gian thực hiện: Quý III/2024")."""
    return not node.children and not node.cont and field(node.text) is not None


def tasks(group: tuple[str, str], nodes: list[Node], out: list[Task] | None = None) -> list[Task]:
    """A task per item, after ``out``; an item that only states a field belongs to the task above it."""
    out = list(out or [])
    for n in nodes:
        f = field(n.text)
        if f and out and field_only(n):
            out[-1] = with_field(out[-1], *f)
        else:
            out.append(task(group, n.number, node_lines(n), n.line))
    return out


def title(text: str) -> str:
    return text.strip().rstrip(":").strip()


def table_groups(table: Table, heading: str) -> list[TaskGroup]:
    """Task groups from a table headed STT | Nội dung | Chủ trì | Phối hợp | Thời gian | Sản phẩm."""
    cols = task_columns(table.rows[0]) or {}
    groups: list[TaskGroup] = []
    number, gtitle, found, gline = "", title(heading), [], table.line

    def cell(row, name):
        i = cols.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    def close():
        if found:
            groups.append(TaskGroup(number, gtitle, tuple(found), (), gline))

    for k, row in enumerate(table.rows[1:], 1):
        content = cell(row, "content")
        if not content or re.fullmatch(r"[\d\s()]+", content):
            continue  # empty rows, the row numbering the columns
        others = [cell(row, n) for n in ("lead", "coordinating", "deadline", "output")]
        if all(o in ("", content) for o in others):  # a group row: its title merged across the columns
            close()
            number, gtitle, found, gline = cell(row, "number").rstrip("."), title(content), [], table.line + k
            continue
        deadline = parse_deadline(cell(row, "deadline")) if cell(row, "deadline") else None
        found.append(Task(number, gtitle, cell(row, "number").rstrip("."), content, cell(row, "lead"),
                          bodies(cell(row, "coordinating")), deadline, cell(row, "output"), table.line + k))
    close()
    return groups
