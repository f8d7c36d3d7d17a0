"""Submissions in an earlier layout of a form, read as the current one.

An earlier layout is kept as templates/forms/cu/<form>-v<N>.yaml (validated as it was) with a map
<form>-v<N>-map.yaml saying how each current field is filled from an old row. Validation checks the
file against its own layout, then the cleaned columns are mapped here before anything is counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dvcq import schema
from dvcq.resources import templates_dir

from .spec import Form, load_form_file

LEGACY_DIR = "cu"


@dataclass(frozen=True)
class LegacyLayout:
    form: Form  # the old layout, for validating the file as it was filled
    to_version: int
    case_per_row: bool
    fields: dict  # current field -> list of cases (when / value / from / values)
    sheet: str | None = None  # the current sheet ``fields`` maps onto (default: the form's first table)
    note: str = ""  # what a reader of such a file should know about the figures read from it (Vietnamese)


def _path(form_id: str, version: int, root: str | None, suffix: str = "") -> Path:
    return (Path(root) if root else templates_dir()) / "forms" / LEGACY_DIR / f"{form_id}-v{version}{suffix}.yaml"


@lru_cache(maxsize=None)
def legacy_layout(form_id: str, version: int, root: str | None = None) -> LegacyLayout | None:
    """The earlier layout ``version`` of a form, or None when dvcq cannot read that version."""
    path, mapping = _path(form_id, version, root), _path(form_id, version, root, "-map")
    if not path.exists() or not mapping.exists():
        return None
    doc = schema.load(mapping, schema.LEGACY_MAP)
    return LegacyLayout(load_form_file(path, root), doc["to_version"], doc["case_per_row"], doc["fields"],
                        doc.get("sheet"), doc.get("note", ""))


def _matches(case: dict, old: dict, i: int, form: Form) -> bool:
    for name, want in (case.get("when") or {}).items():
        v = old.get(name, [None] * (i + 1))[i]
        if isinstance(want, dict):
            lo = form.setting(want["minimum"])
            if not isinstance(v, (int, float)) or v < lo:
                return False
        elif v not in (want if isinstance(want, list) else [want]):
            return False
    return True


def upgrade(layout: LegacyLayout, current: Form, old: dict[str, list], row_numbers: list[int],
            sheet=None) -> dict[str, list]:
    """The cleaned columns of an old table ({field: values}) as the columns of ``sheet``, the current
    layout's table of the same name (default: its first table). The map's fields apply to the sheet it
    names (default: the first table); another sheet's fields are copied by name."""
    n = len(row_numbers)
    out: dict[str, list] = {}
    sheet = sheet or current.table_sheets()[0]
    mapped = sheet.name == (layout.sheet or current.table_sheets()[0].name)
    fields = layout.fields if mapped else {}
    names = [f.name for f in sheet.fields] + [k for k in fields if k not in {f.name for f in sheet.fields}]
    for name in names:
        cases = fields.get(name)
        if cases is None:
            out[name] = list(old.get(name) or [None] * n)
            continue
        col = []
        for i in range(n):
            value = None
            for case in cases:
                if _matches(case, old, i, layout.form):
                    value = old.get(case["from"], [None] * n)[i] if "from" in case else case.get("value")
                    if "values" in case:
                        value = case["values"].get(value, value)
                    break
            col.append(value)
        out[name] = col
    if layout.case_per_row and sheet.case_field:
        out[sheet.case_field] = [f"D{r}" if v not in (None, "") else None
                                 for r, v in zip(row_numbers, out.get("ngay_tiep") or [None] * n)]
    return out
