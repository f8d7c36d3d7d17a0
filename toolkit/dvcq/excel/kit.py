"""`dvcq build`: the blank forms and the control workbook in a folder, never over what an officer changed.

dvcq remembers what it wrote (dvcq.outputs.record_built). On a rebuild (the installer runs one at every
install) a file that still holds exactly that is replaced; one that changed since, or that dvcq has no
record of, is kept:

- a blank form stays as it is and the new one goes beside it (``ke-hoach-moi.xlsx``);
- the control workbook is kept under a dated name (``dvcq-dieu-khien-cu-20261120.xlsm``) and the new one
  takes the usual name, so the guide and the installer's last line stay right, with the kept one's input
  cells (folders, period, signer) carried over.

A file open in Excel can be neither replaced nor renamed: the message names it and asks to close it.
"""
from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dvcq import outputs
from dvcq.codes import cell_text
from dvcq.forms.build import blank_forms

from .xlsm import INPUTS, build_control_workbook

CONTROL_NAME = "dvcq-dieu-khien.xlsm"


@dataclass(frozen=True)
class Kept:
    """A file an officer changed, left alone; ``new``: where the new one went."""
    path: Path
    new: Path
    control: bool = False

    @property
    def message(self) -> str:
        if self.control:
            return (f"Giữ lại bảng điều khiển cũ (đã có thay đổi) thành {self.path.name}; bảng điều khiển mới "
                    f"{self.new.name} lấy lại các ô đã điền của nó.")
        return (f"Giữ nguyên {self.path.name} (đã có thay đổi sau lần tạo trước); biểu trắng mới ghi thành "
                f"{self.new.name}.")


@dataclass
class Kit:
    """What `build_kit` wrote and what it kept."""
    written: list[Path] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)


def _free(path: Path, mark: str, reuse_as_built: bool):
    """``<stem>-<mark><suffix>``, then ``-2``, ...: the first that does not exist (or, with ``reuse_as_built``,
    still holds what dvcq wrote there)."""
    for n in itertools.count(1):
        candidate = path.with_name(f"{path.stem}-{mark}{'' if n == 1 else f'-{n}'}{path.suffix}")
        if not candidate.exists() or (reuse_as_built and outputs.as_built(candidate)):
            return candidate
    raise AssertionError("unreachable")


def _changed(path: Path, overwrite: bool) -> bool:
    return path.exists() and not overwrite and not outputs.as_built(path)


def control_inputs(path: Path) -> dict[str, str]:
    """The input cells of a control workbook, by defined name ({} when it cannot be read)."""
    from openpyxl import load_workbook  # lazy: only when a changed control workbook is kept

    try:
        wb = load_workbook(path, keep_vba=False)
    except Exception:  # a damaged workbook: it is kept as it is, the new one starts empty
        return {}
    values = {}
    for name, _, _ in INPUTS:
        defined = wb.defined_names.get(name)
        if defined is None:
            continue
        for sheet, ref in defined.destinations:
            if sheet in wb.sheetnames:
                text = cell_text(wb[sheet][ref.replace("$", "")].value)
                if text:
                    values[name] = text
    return values


def build_kit(out_dir: Path, year: int | None = None, unit_code: str | None = None, xlsm: bool = True,
              python: str | None = None, overwrite: bool = False, today: date | None = None) -> Kit:
    """Write the blank forms (dvcq.forms.build.blank_forms) and, with ``xlsm``, the control workbook into
    ``out_dir``, keeping what an officer changed (see the module); ``overwrite`` replaces everything."""
    out_dir = outputs.writable_dir(out_dir)
    kit = Kit()
    for blank in blank_forms(out_dir, year, unit_code):
        if _changed(blank.path, overwrite):
            new = blank.write(_free(blank.path, "moi", reuse_as_built=True))
            kit.kept.append(Kept(blank.path, new))
            kit.written.append(new)
        else:
            kit.written.append(blank.write())
    if xlsm:
        target = out_dir / CONTROL_NAME
        inputs = {}
        if _changed(target, overwrite):
            inputs = control_inputs(target)
            old = _free(target, f"cu-{(today or date.today()):%Y%m%d}", reuse_as_built=False)
            try:
                os.rename(target, old)
            except PermissionError:  # open in Excel
                raise outputs.FileInUse(target) from None
            kit.kept.append(Kept(old, target, control=True))
        kit.written.append(build_control_workbook(target, python, inputs))
    outputs.record_built(kit.written)
    return kit
