"""Validation results a program can read: issues with stable codes, per-file results, a report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dvcq import __version__
from dvcq.forms.labels import STATUS
from dvcq.model import FormSummary, Rollup

from .messages import lookup, titles

# Stable issue codes -> short title (documented in docs/errors.md and docs/json.md); the catalogue
# (dvcq.intake.messages) holds them with their severities and messages.
CODES = titles()


@dataclass
class Issue:
    code: str
    severity: str  # error | warning
    message: str
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "sheet": self.sheet, "cell": self.cell,
                "field": self.field, "message": self.message}


@dataclass
class FileResult:
    path: Path
    sha256: str = ""
    size: int = 0
    status: str = "ok"  # ok | invalid | unreadable | skipped
    form_id: str | None = None
    spec_version: int | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    period: str | None = None
    era: str | None = None  # the registry era the unit was read in (a part of a period straddling the reform)
    received: str | None = None  # ISO datetime: metadata, else last saved, else file time
    issues: list[Issue] = field(default_factory=list)
    annotated_path: Path | None = None
    summary: FormSummary | Rollup | None = None  # aggregates for consolidation (no personal data)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def issue(self, code: str, variant: str | None = None, /, *, sheet=None, cell=None, field=None, severity=None,
              **params) -> None:
        """Add an issue whose message is the catalogue's (dvcq.intake.messages) ``code``/``variant`` rendered with
        ``params``; ``severity`` defaults to the variant's."""
        m = lookup(code, variant)
        self.issues.append(Issue(code, severity or m.severity, m.render(**params), sheet, cell, field))

    def add(self, code: str, message: str, sheet=None, cell=None, severity="error", field=None) -> None:
        """Add an issue with a message already rendered from the catalogue (a BookError's, a sniff's)."""
        self.issues.append(Issue(code, severity, message, sheet, cell, field))

    def finish(self) -> "FileResult":
        if self.status == "ok" and self.errors:
            self.status = "invalid"
        return self

    def to_dict(self) -> dict:
        return {
            "path": str(self.path), "sha256": self.sha256, "size": self.size, "status": self.status,
            "form_id": self.form_id, "spec_version": self.spec_version, "unit_code": self.unit_code,
            "unit_name": self.unit_name, "period": self.period, "received": self.received,
            "errors": len(self.errors), "warnings": len(self.warnings),
            "annotated_path": str(self.annotated_path) if self.annotated_path else None,
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass
class Report:
    files: list[FileResult]

    @property
    def exit_code(self) -> int:
        return 1 if any(f.status in ("invalid", "unreadable") for f in self.files) else 0

    def counts(self) -> dict:
        out = {"ok": 0, "invalid": 0, "unreadable": 0, "skipped": 0}
        for f in self.files:
            out[f.status] += 1
        return out

    PROBLEM_HEADER = ("Tệp", "Đơn vị", "Biểu", "Tình trạng", "Mức độ", "Vị trí", "Nội dung cần sửa", "Bản đánh dấu lỗi")

    def problem_rows(self) -> list[tuple]:
        """One row per problem (files without problems get one row), for tables in Excel."""
        rows = []
        for f in self.files:
            base = (f.path.name, " ".join(x for x in (f.unit_code, f.unit_name) if x), f.form_id or "",
                    STATUS[f.status])
            link = str(f.annotated_path) if f.annotated_path else ""
            if not f.issues:
                rows.append(base + ("", "", "", link))
            for i in f.issues:
                rows.append(base + ("Lỗi" if i.severity == "error" else "Cảnh báo", i.location, i.message, link))
        return rows

    def status_line(self) -> str:
        c = self.counts()
        line = (f"Đã kiểm tra {len(self.files)} tệp: {c['ok']} hợp lệ, {c['invalid']} có lỗi, "
                f"{c['unreadable']} không đọc được, {c['skipped']} bỏ qua.")
        return " ".join([line, *self.notes()])

    def notes(self) -> list[str]:
        """What the run could not do as usual: annotated copies written beside last time's, still open."""
        annotated = [f.annotated_path for f in self.files if f.annotated_path]
        if not annotated:
            return []
        from dvcq.outputs import beside_note  # lazy: loaded only once copies were written (tempfile, socket)

        return [n for n in map(beside_note, annotated) if n]

    def to_dict(self) -> dict:
        """`dvcq validate --json` (docs/json.md); ``status_line`` and ``table`` are what the control workbook's
        button «Kiểm tra» shows."""
        return {"generator": f"dvcq {__version__}", "files": [f.to_dict() for f in self.files],
                "counts": self.counts(), "exit_code": self.exit_code, "notes": self.notes(),
                "status_line": self.status_line(),
                "table": {"header": list(self.PROBLEM_HEADER), "rows": [list(r) for r in self.problem_rows()]}}
