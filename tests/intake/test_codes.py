"""The catalogue of issue codes: what the program can emit, what dvcq.intake.messages catalogues (and issues.CODES
labels), what docs/errors.md documents for programs reading `--json` are one and the same list; and every
message comes from the catalogue.

The package's source is read with ``ast``: every call that emits an issue or renders a message is found,
its code must be catalogued, and where its variant is written out the keyword arguments must be exactly
the template's parameters (a typo fails here, before any file shows it). Arguments spread with ``**`` are
locations (sheet, cell, field, severity) by convention.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from dvcq.intake.issues import CODES
from dvcq.intake.messages import CATALOGUE, LOCATION

from tests.support.paths import ROOT

SOURCES = sorted((ROOT / "toolkit" / "dvcq").rglob("*.py"))
# helpers that render a fixed code's message, the variant as their first argument
WRAPPERS = {("sniff.py", "corrupt"): "corrupt"}


@dataclass(frozen=True)
class Emit:
    file: str
    line: int
    code: str
    variants: tuple  # literal variant names (None: the only one); empty when computed
    params: frozenset | None  # keyword arguments that are parameters; None when not checkable
    how: str  # issue | issue_at | message | add | BookError | sniff | wrapper


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _variants(node) -> tuple:
    """The variant names an argument can be: a literal, either branch of ``a if c else b``; () when computed."""
    if node is None:
        return (None,)
    if _str(node) is not None:
        return (_str(node),)
    if isinstance(node, ast.IfExp):
        a, b = _variants(node.body), _variants(node.orelse)
        return a + b if a and b else ()
    return ()


def _params(call: ast.Call) -> frozenset:
    return frozenset(k.arg for k in call.keywords if k.arg is not None) - LOCATION


def _inline_text(node) -> bool:
    """A message written at the call site: a string literal, an f-string, or text glued with + or %."""
    if isinstance(node, ast.JoinedStr) or _str(node) is not None:
        return True
    if isinstance(node, ast.BinOp):
        return _inline_text(node.left) or _inline_text(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def scan(sources=SOURCES) -> tuple[list[Emit], list[str]]:
    """(every emitting call with a literal code, messages written inline at an emitting call)."""
    emits, inline = [], []
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name, args = _name(call.func), call.args
            where = f"{path.name}:{call.lineno}"

            def emit(code_node, variant_node, how, params=None):
                code = _str(code_node)
                if code is not None:
                    emits.append(Emit(path.name, call.lineno, code, _variants(variant_node), params, how))

            if name in ("issue", "issue_at", "message") and args:
                emit(args[0], args[1] if len(args) > 1 else None, name, _params(call))
            elif (path.name, name) in WRAPPERS and args:
                emits.append(Emit(path.name, call.lineno, WRAPPERS[path.name, name], _variants(args[0]), None,
                                  "wrapper"))
            elif name == "add" and len(args) >= 2:  # FileResult.add(code, message): a message rendered already
                emit(args[0], None, "add")
                if _inline_text(args[1]):
                    inline.append(where)
            elif name == "BookError" and len(args) == 2:
                emit(args[0], None, "BookError")
                if _inline_text(args[1]):
                    inline.append(where)
            elif path.name == "sniff.py" and name == "out" and len(args) >= 3:
                emit(args[2], None, "sniff")
                if len(args) > 3 and _inline_text(args[3]):
                    inline.append(where)
    return emits, inline


@lru_cache(maxsize=None)
def scanned() -> tuple[tuple[Emit, ...], tuple[str, ...]]:
    """scan() of dvcq's sources, parsed once for the module's tests (each only reads it)."""
    emits, inline = scan()
    return tuple(emits), tuple(inline)


def documented() -> set[str]:
    readme = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")  # the catalogue, moved out of README
    part = readme[readme.index("Issue `code`s are stable:"):readme.index("Messages never quote")]
    return set(re.findall(r"`([a-z][a-z-]*)`", part)) - {"code"}


def test_the_scan_finds_the_emitting_calls():
    emits, _ = scanned()
    hows = {e.how for e in emits}
    assert len(emits) > 80 and {"issue", "issue_at", "message", "BookError", "sniff", "wrapper"} <= hows


def test_every_emitted_code_is_in_the_catalogue():
    unknown = [f"{e.file}:{e.line}: {e.code}" for e in scanned()[0] if e.code not in CATALOGUE]
    assert not unknown, f"codes emitted but not in dvcq.intake.messages: {unknown}"


def test_every_catalogued_code_can_be_emitted():
    assert not set(CATALOGUE) - {e.code for e in scanned()[0]}, "codes in dvcq.intake.messages that nothing emits"


def test_every_call_names_a_variant_and_passes_its_parameters():
    problems = []
    for e in scanned()[0]:
        entry = CATALOGUE.get(e.code)
        if entry is None or e.how in ("add", "BookError", "sniff"):
            continue
        for v in e.variants:
            if v is None and len(entry.messages) != 1:
                problems.append(f"{e.file}:{e.line}: {e.code} has several variants; name one")
                continue
            m = entry.message(v) if v is None or v in entry.messages else None
            if m is None:
                problems.append(f"{e.file}:{e.line}: {e.code} has no variant {v!r}")
            elif e.params is not None and e.params != m.params:
                problems.append(f"{e.file}:{e.line}: {e.code}/{m.variant} takes {sorted(m.params)}, "
                                f"given {sorted(e.params)}")
            elif e.how == "issue_at" and "value" in e.params:  # a sheet with personal data takes the private twin
                twin = entry.messages.get(f"{m.variant}-private")
                if twin is None or twin.params != e.params - {"value"}:
                    problems.append(f"{e.file}:{e.line}: {e.code}/{m.variant} quotes a cell's value but has no "
                                    "'-private' variant without it")
    assert not problems, "\n".join(problems)


def test_every_catalogued_message_is_used():
    rendering = [e for e in scanned()[0] if e.how not in ("add", "BookError", "sniff") and e.code in CATALOGUE]
    used = set()
    for e in rendering:
        for v in e.variants:
            m = CATALOGUE[e.code].message(v) if v is None or v in CATALOGUE[e.code].messages else None
            if m is not None:
                used |= {(e.code, m.variant), (e.code, f"{m.variant}-private")}
    computed = {e.code for e in rendering if not e.variants}  # a variant chosen at run time: not checked here
    unused = [f"{c}/{v}" for c, e in CATALOGUE.items() for v in e.messages
              if (c, v) not in used and c not in computed]
    assert not unused, f"messages nothing renders: {unused}"


def test_no_message_is_written_at_a_call_site():
    """Every message comes from dvcq.intake.messages: no text, f-string or glued text is passed as a message."""
    inline = scanned()[1]
    assert not inline, f"inline messages (use FileResult.issue or messages.message): {inline}"


def test_readme_documents_exactly_the_catalogue():
    assert set(CODES) == set(CATALOGUE)
    assert documented() == set(CATALOGUE), (sorted(set(CATALOGUE) - documented()),
                                            sorted(documented() - set(CATALOGUE)))


def test_the_scan_catches_an_inline_message_and_a_wrong_parameter(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('def f(r, n):\n    r.add("type", f"Chỉ tiêu {n} phải là số")\n'
                   '    r.issue("type", "indicator-not-number", code=n)\n', encoding="utf-8")
    emits, inline = scan([bad])
    assert inline == ["bad.py:2"]
    issue = [e for e in emits if e.how == "issue"][0]
    assert issue.params == {"code"} != CATALOGUE["type"].messages["indicator-not-number"].params
