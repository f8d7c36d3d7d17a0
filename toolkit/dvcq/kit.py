"""`dvcq build`: the blank forms and the control workbooks (Excel's .xlsm, LibreOffice's .ods) in a folder,
never over what an officer changed.

dvcq remembers what it wrote (dvcq.outputs.record_built). On a rebuild (the installer runs one at every
install) a file that still holds exactly that is replaced; one that changed since, or that dvcq has no
record of, is kept:

- a blank form stays as it is and the new one goes beside it (``ke-hoach-moi.xlsx``);
- a control workbook, either kind, is kept under a dated name (``dvcq-dieu-khien-cu-20261120.xlsm``,
  ``…-cu-20261120.ods``) and the new one takes the usual name, so the guide and the installer's last line
  stay right, with the kept one's input cells (folders, period, signer) carried over: an officer types
  into both and saves them.

A file open in Excel or LibreOffice can be neither replaced nor renamed: the message names it and asks to
close it. This module sits above dvcq.excel and dvcq.calc, which are independent of each other.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dvcq import outputs
from dvcq.calc.ods import build_calc_workbook, program_beside
from dvcq.calc.ods import control_inputs as calc_inputs
from dvcq.excel.xlsm import build_control_workbook
from dvcq.excel.xlsm import control_inputs as excel_inputs
from dvcq.forms.build import blank_forms

CONTROL_NAME = "dvcq-dieu-khien.xlsm"
CALC_NAME = "dvcq-dieu-khien.ods"


@dataclass(frozen=True)
class Kept:
    """A file an officer changed, left alone; ``new``: where the new one went; ``carried``: whether the new
    control workbook took over input cells of the kept one."""
    path: Path
    new: Path
    control: bool = False
    carried: bool = False

    @property
    def message(self) -> str:
        if self.control:
            then = ("lấy lại các ô đã điền của nó." if self.carried else
                    "chưa có ô nào điền sẵn (không đọc được ô đã điền nào của bảng cũ).")
            return (f"Giữ lại bảng điều khiển cũ (đã có thay đổi) thành {self.path.name}; bảng điều khiển mới "
                    f"{self.new.name} {then}")
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


def _control(kit: Kit, target: Path, read_inputs: Callable[[Path], dict[str, str]],
             write: Callable[[Path, Mapping[str, str]], Path], overwrite: bool, today: date) -> None:
    """Write a control workbook at ``target``; a changed one there is kept under a dated name first and its
    input cells (``read_inputs``) go into the new one."""
    inputs: dict[str, str] = {}
    if _changed(target, overwrite):
        inputs = read_inputs(target)
        old = _free(target, f"cu-{today:%Y%m%d}", reuse_as_built=False)
        try:
            os.rename(target, old)
        except PermissionError:  # open in Excel or LibreOffice
            raise outputs.FileInUse(target) from None
        kit.kept.append(Kept(old, target, control=True, carried=bool(inputs)))
    kit.written.append(write(target, inputs))


def build_kit(out_dir: Path, year: int | None = None, unit_code: str | None = None, xlsm: bool = True,
              ods: bool = True, python: str | None = None, overwrite: bool = False,
              today: date | None = None) -> Kit:
    """Write the blank forms (dvcq.forms.build.blank_forms) and, with ``xlsm`` and ``ods``, the control
    workbooks into ``out_dir``, keeping what an officer changed (see the module); ``overwrite`` replaces
    everything. The Excel buttons run ``python``, the LibreOffice ones the dvcq program beside it (default:
    the running environment's)."""
    out_dir = outputs.writable_dir(out_dir)
    today = today or date.today()
    kit = Kit()
    for blank in blank_forms(out_dir, year, unit_code):
        if _changed(blank.path, overwrite):
            new = blank.write(_free(blank.path, "moi", reuse_as_built=True))
            kit.kept.append(Kept(blank.path, new))
            kit.written.append(new)
        else:
            kit.written.append(blank.write())
    if xlsm:
        _control(kit, out_dir / CONTROL_NAME, excel_inputs,
                 lambda target, inputs: build_control_workbook(target, python, inputs), overwrite, today)
    if ods:
        program = program_beside(python) if python else None
        _control(kit, out_dir / CALC_NAME, calc_inputs,
                 lambda target, inputs: build_calc_workbook(target, program, inputs), overwrite, today)
    outputs.record_built(kit.written)
    return kit
