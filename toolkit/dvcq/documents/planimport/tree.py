"""The items of a section as a tree: numbered items by depth ("1." > "1.1." > "a)"), bullets by their first
appearance, plain paragraphs continuing the item above them."""
from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Para
from .markers import NUMBERED_RANK, item


@dataclass
class Node:
    style: str
    number: str
    marker: str
    text: str
    line: int
    rank: int = 0
    cont: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def descendants(self):
        for c in self.children:
            yield c
            yield from c.descendants()


def tree(paras: list[Para]) -> tuple[list[Para], list[Node]]:
    """(paragraphs before the first item, top items) of a section's paragraphs."""
    intro: list[Para] = []
    roots: list[Node] = []
    stack: list[Node] = []
    bullet_rank: dict[str, int] = {}
    for p in paras:
        found = item(p.text)
        if found is None:
            (stack[-1].cont if stack else intro).append(p)
            continue
        style, number, rest = found
        rank = NUMBERED_RANK.get(style) or bullet_rank.setdefault(style, 10 + len(bullet_rank))
        marker = p.text[:len(p.text) - len(rest)].strip() if rest else p.text.strip()
        node = Node(style, number, marker, rest, p.line, rank)
        while stack and stack[-1].rank >= rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return intro, roots


def node_lines(node: Node, own: bool = True) -> list[tuple[str, Para | Node]]:
    """The texts under a node, in order, each with its marker: its own text, continuations, sub-items."""
    out = [(node.text, node)] if own else []
    out += [(p.text, p) for p in node.cont]
    for c in node.children:
        out.append((f"{c.marker} {c.text}".strip(), c))
        out += [(p.text, p) for p in c.cont]
        for d in c.descendants():
            out.append((f"{d.marker} {d.text}".strip(), d))
            out += [(p.text, p) for p in d.cont]
    return out


def texts(lines) -> list[str]:
    return [t for t, _ in lines]
