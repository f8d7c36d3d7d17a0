"""The package's import structure: the stage contracts of .importlinter hold (checked by import-linter,
which also forbids cycles among the modules of every package), and every import inside a function says why.

An import inside a function is allowed only when it is listed below and its line carries a comment giving
the reason (start-up time of ``dvcq --help`` or of a spawned worker, or a heavy optional library on a path
that validation does not take).
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

PKG = ROOT / "toolkit" / "dvcq"
LINT = Path(sys.executable).with_name("lint-imports")

# (module under dvcq, imported module) -> why the import is inside a function. The same reason must
# appear as a comment on the import line, so that a reader of the code sees it too.
LAZY = {
    # cli.py: each click command imports its library when it runs, so `dvcq --help` stays fast
    ("cli.commands", "dvcq.forms.build"): "lazy:",
    ("cli.commands", "dvcq.kit"): "lazy:",
    ("cli.commands", "dvcq.samples.sample"): "lazy:",
    ("cli.commands", "dvcq.cli.console"): "lazy:",
    ("cli.commands", "dvcq.calendar.periods"): "lazy:",
    ("cli.commands", "dvcq.intake.validate"): "lazy:",
    ("cli.commands", "dvcq.outputs"): "lazy:",
    ("cli.commands", "dvcq.rollup.consolidate"): "lazy:",
    ("cli.commands", "dvcq.documents.narrative"): "lazy:",
    ("cli.commands", "dvcq.units.registry"): "lazy:",
    ("cli.commands", "dvcq.calendar.deadlines"): "lazy:",
    ("cli.commands", "dvcq.documents.planbook"): "lazy:",
    ("cli.commands", "dvcq.documents.planwriter"): "lazy:",
    # xl.py: the Excel buttons' entry points, each loading only what its button needs
    ("excel.xl", "dvcq.intake.validate"): "lazy:",
    ("excel.xl", "dvcq.rollup.consolidate"): "lazy:",
    ("excel.xl", "dvcq.documents.narrative"): "lazy:",
    ("excel.xl", "dvcq.documents.planwriter"): "lazy:",
    ("excel.xl", "xlwings"): "lazy:",
    # heavy third-party libraries on paths that `dvcq validate` and its workers do not take
    ("intake.annotate", "openpyxl"): "lazy:",
    ("intake.annotate", "openpyxl.comments"): "lazy:",
    ("intake.annotate", "openpyxl.styles"): "lazy:",
    ("intake.annotate", "openpyxl.worksheet.properties"): "lazy:",
    ("forms.build", "xlsxwriter"): "lazy:",
    ("rollup.writer", "xlsxwriter"): "lazy:",
    ("excel.xlsm", "xlsxwriter"): "lazy:",
    ("excel.xlsm", "pyopenvba"): "lazy:",
    ("excel.xlsm", "openpyxl"): "lazy:",
    ("documents.narrative", "jinja2"): "lazy:",
    ("documents.narrative", "docxtpl"): "lazy:",
    ("documents.decree", "docx.shared"): "lazy:",
    ("documents.planimport.pdf", "pypdf"): "lazy:",
    ("documents.planimport.pdf", "pypdf.errors"): "lazy:",
    ("fmt", "babel.numbers"): "lazy:",
    ("cli.console", "rich.progress"): "lazy:",
    ("intake.sniff", "msoffcrypto"): "lazy:",
    # validate.py: the annotated copies (openpyxl) only when asked for
    ("intake.validate", "dvcq.intake.annotate"): "lazy:",
}


def _lint(config: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)} if pythonpath else None
    return subprocess.run([str(LINT), "--config", str(config), "--no-cache"], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_the_stage_contracts_hold():
    r = _lint(ROOT / ".importlinter")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_an_import_from_a_later_stage_breaks_the_contract(tmp_path):
    """The contract is not vacuous: intake importing the narrative (a later stage) is reported."""
    shutil.copytree(PKG, tmp_path / "dvcq", ignore=shutil.ignore_patterns("__pycache__", "data"))
    read = tmp_path / "dvcq" / "intake" / "read.py"
    read.write_text(read.read_text(encoding="utf-8") + "\nfrom dvcq.documents import narrative  # noqa\n",
                    encoding="utf-8")
    r = _lint(ROOT / ".importlinter", pythonpath=tmp_path)
    assert r.returncode == 1 and "dvcq.intake.read -> dvcq.documents.narrative" in r.stdout, r.stdout


def _modules() -> dict[str, Path]:
    """Every module by its dotted name under dvcq ("intake.read")."""
    return {".".join(p.relative_to(PKG).with_suffix("").parts): p for p in sorted(PKG.rglob("*.py"))
            if p.name != "__init__.py"}


def _resolve(mod: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The absolute names a statement of module ``mod`` (dotted under dvcq) imports."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level == 0:
        base = node.module or ""
        return [f"{base}.{a.name}" for a in node.names] if base == "dvcq" else [base]
    package = ["dvcq", *mod.split(".")[:-1]]
    base = ".".join(package[:len(package) - node.level + 1])
    if node.module:
        return [f"{base}.{node.module}"]
    return [f"{base}.{a.name}" for a in node.names]


def _imports(path: Path, mod: str):
    """(name, line, at_module_level) of every import statement of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for name in _resolve(mod, child):
                    out.append((name, child.lineno, not in_function))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return out


def test_function_level_imports_are_allowed_and_commented():
    problems = []
    for m, p in _modules().items():
        lines = p.read_text(encoding="utf-8").splitlines()
        for name, lineno, top in _imports(p, m):
            if top:
                continue
            if name.split(".")[0] != "dvcq" and name.split(".")[0] in sys.stdlib_module_names:
                problems.append(f"{m}:{lineno}: standard-library import {name} inside a function")
                continue
            reason = LAZY.get((m, name))
            if reason is None:
                problems.append(f"{m}:{lineno}: import of {name} inside a function is not in LAZY")
            elif reason not in lines[lineno - 1]:
                problems.append(f"{m}:{lineno}: import of {name} needs a comment '# {reason} why'")
    assert not problems, "\n".join(problems)


def test_allow_list_has_no_stale_entries():
    used = {(m, name) for m, p in _modules().items() for name, _, top in _imports(p, m) if not top}
    stale = sorted(set(LAZY) - used)
    assert not stale, f"LAZY lists imports that are no longer inside a function: {stale}"
