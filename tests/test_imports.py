"""The package's import structure: the stage contracts of .importlinter hold (checked by import-linter,
which also forbids cycles among the modules of every package), and every import inside a function says why.

An import inside a function is allowed only when it is listed below and its line carries a comment giving
the reason (start-up time of ``dvcq --help`` or of a spawned worker, or a heavy optional library on a path
that validation does not take).
"""
from __future__ import annotations

import ast
import json
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
    ("cli.commands", "dvcq.intake.early"): "lazy:",
    ("cli.commands", "dvcq.outputs"): "lazy:",
    ("cli.commands", "dvcq.rollup.consolidate"): "lazy:",
    ("cli.commands", "dvcq.documents.narrative"): "lazy:",
    ("cli.commands", "dvcq.units.registry"): "lazy:",
    ("cli.commands", "dvcq.calendar.deadlines"): "lazy:",
    ("cli.commands", "dvcq.documents.planbook"): "lazy:",
    ("cli.commands", "dvcq.documents.planwriter"): "lazy:",
    # xl.py: the Excel buttons' entry points, each loading only what its button needs
    ("excel.xl", "dvcq.intake.validate"): "lazy:",
    ("excel.xl", "dvcq.intake.early"): "lazy:",
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
    ("forms.build", "dvcq.forms.formsheet"): "lazy:",
    ("rollup.writer", "dvcq.rollup.xmlrows"): "lazy:",
    ("excel.xlsm", "xlsxwriter"): "lazy:",
    ("excel.xlsm", "pyopenvba"): "lazy:",
    ("excel.xlsm", "openpyxl"): "lazy:",
    ("documents.narrative", "jinja2"): "lazy:",
    ("documents.narrative", "docxtpl"): "lazy:",
    ("documents.decree", "docx.shared"): "lazy:",
    ("documents.decree", "dvcq.documents.docstyles"): "lazy:",
    ("documents.planimport.pdf", "pypdf"): "lazy:",
    ("documents.planimport.pdf", "pypdf.errors"): "lazy:",
    ("fmt", "babel.numbers"): "lazy:",
    ("cli.console", "rich.progress"): "lazy:",
    ("intake.sniff", "msoffcrypto"): "lazy:",
    # schema.py: PyYAML only when a specification is parsed (a cache miss, or the lines of an error message)
    ("schema", "yaml"): "lazy:",
    # validate.py: the annotated copies (openpyxl) only when asked for; the writing of outputs (tempfile, socket)
    # and the worker pool (multiprocessing) not for one ordinary file
    ("intake.validate", "dvcq.intake.annotate"): "lazy:",
    ("intake.validate", "dvcq.outputs"): "lazy:",
    ("intake.validate", "dvcq.intake.parallel"): "lazy:",
    # ... and a file of an earlier layout, a roll-up read back: not what a worker's start needs (issue 27)
    ("intake.validate", "dvcq.forms.legacy"): "lazy:",
    ("intake.validate", "dvcq.intake.readback"): "lazy:",
    ("intake.early", "dvcq.intake.parallel"): "lazy:",
    ("intake.issues", "dvcq.outputs"): "lazy:",
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


# What a command must not load (issue 27 §4: `dvcq --help` within 0.1 s, one file within 0.25 s): checked by
# the modules present after the command ran in a fresh interpreter, not by a timing.
HEAVY = ("pandas", "numpy", "openpyxl", "xlsxwriter", "docxtpl", "docx", "jinja2", "xlwings", "babel", "rich",
         "pypdf", "msoffcrypto", "pyopenvba", "sqlite3")
HELP_HEAVY = HEAVY + ("yaml", "python_calamine", "multiprocessing", "csv", "dvcq.intake", "dvcq.forms",
                      "dvcq.rollup", "dvcq.documents", "dvcq.units", "dvcq.calendar")

_LOADED = """
import json, sys
from dvcq.cli import main
try:
    main(sys.argv[1:], prog_name="dvcq")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(*args: str) -> set[str]:
    """The modules a dvcq command leaves in sys.modules, run in a fresh interpreter (without the tests'
    sitecustomize on PYTHONPATH, tests/nofork, which itself imports multiprocessing)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, cwd=ROOT,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    return set(json.loads(r.stdout.strip().splitlines()[-1]))


def _heavy(modules: set[str], heavy: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy))


def test_help_loads_only_the_command_line():
    modules = loaded_by("--help")
    assert "click" in modules and "dvcq.cli.commands" in modules  # the probe ran the command
    assert not _heavy(modules, HELP_HEAVY)


# what one file's validation does not need either: PyYAML once the specifications are in the cache (dvcq.cache),
# the worker pool, the writing of outputs
ONE_FILE_HEAVY = HEAVY + ("yaml", "multiprocessing", "tempfile", "socket", "dvcq.outputs", "dvcq.intake.parallel",
                          "dvcq.forms.plandoc", "dvcq.forms.legacy", "dvcq.intake.readback")


def test_validating_one_file_loads_no_writer_and_no_report_library():
    book = next(p for p in sorted((ROOT / "workbooks" / "sample").glob("*.xlsx")) if "bao-cao" in p.name)
    loaded_by("validate", str(book))  # fills the cache of the specifications (under the tests' DVCQ_HOME)
    modules = loaded_by("validate", str(book))
    assert "dvcq.intake.validate" in modules and "python_calamine" in modules
    assert not _heavy(modules, ONE_FILE_HEAVY)


def test_the_probe_sees_a_heavy_import(tmp_path):
    """The two tests above can fail: a command that does load a writer (building the blank forms) is caught."""
    modules = loaded_by("build", "--out", str(tmp_path), "--no-xlsm", "--year", "2024")
    assert "xlsxwriter" in _heavy(modules, HEAVY)


def test_a_mistyped_period_is_said_before_the_command_loads_its_library():
    """`dvcq validate --period 2024-X` answered after importing the whole intake (about a second, beside the workers
    just started) only to say the period is malformed: the period is checked first."""
    book = next(p for p in sorted((ROOT / "workbooks" / "sample").glob("*.xlsx")) if "bao-cao" in p.name)
    for command, library in (("validate", "dvcq.intake.validate"), ("consolidate", "dvcq.rollup.consolidate")):
        target = str(book) if command == "validate" else str(book.parent)
        modules = loaded_by(command, target, "--period", "2024-X")
        assert "dvcq.calendar.periods" in modules, command  # the probe got as far as the check
        assert library not in modules, command
