"""The sections of a plan read one by one into the parts of a PlanDocument.

Inside a section, numbered ("1.", "1.1.", "a)") and bulleted ("-", "+", "•") items form a tree; a paragraph
without a marker continues the item above it.
- Mục đích, yêu cầu: each item is a purpose (or a requirement, under "2. Yêu cầu").
- Nội dung, nhiệm vụ: when some top items have sub-items (other than lines stating a field, "- Thời gian:
  ..."), top items are groups and their sub-items are tasks (deeper items stay in their task's content);
  text under a group title before its first sub-item is the group's lead-in when it ends with ":", else one
  more task. Otherwise the section is one group and each top item is a task.
- Lộ trình ("Năm 2024: ... tại 04 đơn vị: ..."), Kinh phí: a section or a numbered part of one.
- Tổ chức thực hiện: each top item is one body's responsibility; the body is the item's title, or the words
  before the colon or before the first verb ("Sở Nội vụ thường xuyên theo dõi").
"""
from __future__ import annotations

from dvcq.forms.plandoc import (
    Funding,
    LegalBasis,
    Responsibility,
    RolloutEntry,
    Section,
    TaskGroup,
    Unplaced,
)
from dvcq.text import fold, nfc

from .bases import opening
from .blocks import Para, Table
from .bodies import ASK, body_of
from .markers import item, part_of, roman, section_kind
from .rollout import funding, rollout
from .tasks import field_only, table_groups
from .tasks import task as make_task
from .tasks import tasks as make_tasks
from .tasks import title as clean_title
from .tree import Node, node_lines, tree
from .tree import texts as texts_of


class Body:
    """Reads the sections one by one into the parts of a PlanDocument."""

    def __init__(self, unplaced: list[Unplaced]):
        self.unplaced = unplaced
        self.sections: list[Section] = []
        self.bases: list[LegalBasis] = []
        self.purposes: list[str] = []
        self.requirements: list[str] = []
        self.groups: list[TaskGroup] = []
        self.rollout: list[RolloutEntry] = []
        self.funding: Funding | None = None
        self.responsibilities: list[Responsibility] = []

    def lost(self, lines, reason: str):
        for text, where in lines:
            self.unplaced.append(Unplaced(where.line, text, reason))

    def section(self, head: Para | None, blocks: list, implicit: str = ""):
        """A section under its heading, or an unheaded part of kind ``implicit`` (a plan whose heading "I." is
        missing, or that has no headings at all), which is no Section of the document."""
        number, title = "", ""
        if head is not None:
            numbered = roman(head.text)
            number, title = numbered if numbered else ("", item(head.text)[2] if item(head.text) else head.text)
            if len(title) > 120 and ":" in title[:120]:  # "III. KINH PHÍ: Kinh phí ... từ ngân sách ..."
                title, tail = title.split(":", 1)
                blocks = [Para(nfc(tail), head.line)] + blocks
            title = clean_title(title).rstrip(".")
        kind = section_kind(title) if head is not None else implicit
        line = head.line if head is not None else (blocks[0].line if blocks else 0)
        if head is not None:
            self.sections.append(Section(number, title, kind, line))
        for table in (b for b in blocks if isinstance(b, Table)):
            self.groups.extend(table_groups(table, title))
        paras = [b for b in blocks if isinstance(b, Para)]
        intro, roots = tree(paras)
        handler = {"purpose": self.purpose, "tasks": self.tasks, "rollout": self.rollout_part,
                   "funding": self.funding_part, "organisation": self.organisation}.get(kind)
        if kind == "bases":
            found, _, _ = opening(paras)
            self.bases.extend(found)
            cited = {b.line for b in found}
            self.lost([(p.text, p) for p in paras if p.line not in cited], f"đoạn không phải căn cứ ở phần «{title}»")
        elif handler is None:
            self.lost([(p.text, p) for p in paras], f"phần «{title}» chưa có chỗ trong biểu kế hoạch")
        else:
            handler(number, title, line, intro, roots)

    def special(self, root: Node, kind: str) -> bool:
        """A numbered part that opens a rollout or a funding part inside another section."""
        part = part_of(root.text)
        if part == "rollout":
            self.rollout_part(root.number, clean_title(root.text), root.line, root.cont, root.children)
            return True
        if part == "funding" and kind != "funding":
            self.funding_part(root.number, clean_title(root.text), root.line, root.cont, root.children)
            return True
        return False

    def purpose(self, number, title, line, intro, roots):
        target = self.requirements if fold(title).startswith("yeu cau") else self.purposes
        target.extend(p.text for p in intro)
        for r in roots:
            if self.special(r, "purpose"):
                continue
            part = part_of(r.text)
            if part in ("purposes", "requirements"):  # "1. Mục đích", "2. Yêu cầu"
                target = self.purposes if part == "purposes" else self.requirements
                if ":" in r.text and r.text.split(":", 1)[1].strip():
                    target.append(r.text.split(":", 1)[1].strip())
                target.extend(p.text for p in r.cont)
                target.extend("\n".join(texts_of(node_lines(c))) for c in r.children)
            else:
                target.append("\n".join(texts_of(node_lines(r))))

    def tasks(self, number, title, line, intro, roots):
        regular = [r for r in roots if part_of(r.text) not in ("rollout", "funding")]
        if not any(not field_only(c) for r in regular for c in r.children):  # one group, each top item a task
            g = (number, title)
            if regular:
                tasks = make_tasks(g, regular)
                lead_in = tuple(p.text for p in intro)
            else:
                tasks, lead_in = [make_task(g, "", [(p.text, p)], p.line) for p in intro], ()
            if tasks:
                self.groups.append(TaskGroup(number, title, tuple(tasks), lead_in, line))
            for r in roots:
                if r not in regular:
                    self.special(r, "tasks")
            return
        self.lost([(p.text, p) for p in intro], f"đoạn mở đầu phần «{title}»")
        for r in roots:
            if self.special(r, "tasks"):
                continue
            g = (r.number, clean_title(r.text))
            tasks, lead_in = [], ()
            cont = [(p.text, p) for p in r.cont]
            if r.children and cont and cont[-1][0].rstrip().endswith(":"):
                lead_in = tuple(texts_of(cont))
            elif cont:
                tasks.append(make_task(g, "", cont, r.cont[0].line))
            tasks = make_tasks(g, r.children, tasks)
            if not tasks:
                tasks.append(make_task(g, "", [(r.text, r)], r.line))
            self.groups.append(TaskGroup(g[0], g[1], tuple(tasks), lead_in, r.line))

    def rollout_part(self, number, title, line, intro, roots):
        items = [(p.text, p.line) for p in intro]
        for r in roots:
            items += [(f"{r.marker} {r.text}".strip(), r.line)] + [(t, src.line) for t, src in node_lines(r)[1:]]
        entries, extra = rollout(items, (number, title))
        self.rollout.extend(entries)
        if extra:
            self.groups.append(TaskGroup(number, title, tuple(extra), (), line))

    def funding_part(self, number, title, line, intro, roots):
        texts = [p.text for p in intro]
        for r in roots:
            texts += texts_of(node_lines(r))
        self.funding = funding(texts, line)

    def organisation(self, number, title, line, intro, roots):
        unknown = f"không rõ cơ quan, đơn vị ở phần «{title}»"
        if not roots:  # bodies written as sentences: "Giao Văn phòng UBND xã chủ trì ..."
            for p in intro:
                found = body_of(p.text) if ASK.match(p.text) else None
                if found is None:
                    self.unplaced.append(Unplaced(p.line, p.text, unknown))
                else:
                    body, verb, rest = found
                    self.responsibilities.append(Responsibility(body, verb, (rest,) if rest else (), "", p.line))
            return
        self.lost([(p.text, p) for p in intro], f"đoạn mở đầu phần «{title}»")
        for r in roots:
            if self.special(r, "organisation"):
                continue
            found = body_of(r.text)
            if found is None:
                self.lost(node_lines(r), unknown)
                continue
            body, verb, rest = found
            texts = ([rest] if rest else []) + [p.text for p in r.cont]
            for c in r.children:
                texts += texts_of(node_lines(c))
            self.responsibilities.append(Responsibility(body, verb, tuple(texts), r.number, r.line))
