"""What the command line prints: results as Vietnamese text or JSON, and a progress bar."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click

from dvcq.fmt import listing
from dvcq.fmt import number as fmt_number
from dvcq.forms.labels import form_label
from dvcq.units.groups import LIST_LIMIT

STATUS_LABEL = {"ok": "hợp lệ", "invalid": "có lỗi", "unreadable": "không đọc được", "skipped": "bỏ qua"}
SHOW_BAR_FROM = 5
LIST_CHARS = 300  # file names a console line lists before "và N tệp khác" (--json lists them all)


@contextmanager
def progress_bar(enabled: bool = True, label: str = "Đang xử lý"):
    """Yield a ``progress(done, total)`` callback drawing a bar on a terminal for more than a few files."""
    state = {}

    def progress(done: int, total: int) -> None:
        if not enabled or total < SHOW_BAR_FROM or not sys.stderr.isatty():
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn  # lazy: 0.05 s

            bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield progress
    finally:
        if "bar" in state:
            state["bar"].stop()


def number(n) -> str:
    """1234 -> '1.234' (Vietnamese grouping)."""
    return fmt_number(n)


def print_json(data: dict) -> None:
    """One JSON document on standard output, always in UTF-8: a program reading it (the LibreOffice
    control workbook's macro, a script) gets the Vietnamese intact whatever the console's code page
    (cp1252 or cp1258 on Windows would fail on the first Vietnamese letter)."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_validation(report, as_json: bool) -> None:
    if as_json:
        print_json(report.to_dict())
        return
    for f in report.files:
        mark = "✓" if f.status == "ok" else ("–" if f.status == "skipped" else "✗")
        who = " ".join(x for x in (f.unit_code, f.unit_name) if x) or "?"
        form = form_label(f.form_id)
        click.echo(f"{mark} {f.path.name} | {who} | {form} | {STATUS_LABEL[f.status]}: "
                   f"{len(f.errors)} lỗi, {len(f.warnings)} cảnh báo")
    for f in report.files:
        if not f.issues or f.status == "skipped":
            continue
        click.echo(f"\n{f.path}")
        for i in f.issues:
            sev = "LỖI" if i.severity == "error" else "cảnh báo"
            where = f" {i.location}" if i.location else ""
            click.echo(f"  [{sev}]{where}: {i.message}")  # the stable code is for --json
        if f.annotated_path:
            click.echo(f"  → Bản đánh dấu lỗi: {f.annotated_path}")
    c = report.counts()
    click.echo(f"\nTổng: {len(report.files)} tệp; {c['ok']} hợp lệ, {c['invalid']} có lỗi, "
               f"{c['unreadable']} không đọc được, {c['skipped']} bỏ qua.")
    for note in report.notes():
        click.echo(f"Lưu ý: {note}")


def print_consolidation(result, as_json: bool) -> None:
    if as_json:
        print_json(result.to_dict())
        return
    for note in result.notes:
        click.echo(note)
    part = result.part  # a district's part of a period straddling the 2025 reform, or a province's two parts
    if part.partial:
        click.echo(f"Tổng hợp {result.parent.name}, {part.name} (số liệu {part.span}).")
    if result.parts:
        click.echo(result.parts.sentence)
    s = result.summary_dict()["units"]
    free = f", {s['undated']} không tính hạn" if s["undated"] else ""  # the issuer's own files have no deadline
    dup = f", {s['duplicates']} tệp nộp trùng không dùng" if s["duplicates"] else ""
    click.echo(f"Đơn vị: {s['expected']} phải nộp, {s['submitted']} đã nộp ({s['on_time']} đúng hạn, "
               f"{s['late']} trễ hạn{free}), {s['missing']} chưa nộp, {s['excluded']} tệp bị loại{dup}.")
    groups = result.summary_dict()["groups"]
    if len(groups) > 1:
        click.echo("  Theo nhóm: " + "; ".join(f"{g['title']} {g['submitted']}/{g['expected']}" for g in groups) + ".")
    excluded = result.excluded
    for row in excluded[:LIST_LIMIT]:
        click.echo(f"  Loại: {row.path.name}: " + "; ".join(f"{i.location} {i.message}".strip()
                                                          for i in row.errors[:3]))
    if len(excluded) > LIST_LIMIT:
        click.echo(f"  … và {number(len(excluded) - LIST_LIMIT)} tệp khác bị loại (xem trang «Tiến độ nộp báo cáo» "
                   "của biểu tổng hợp).")
    for d in result.duplicates[:LIST_LIMIT]:
        click.echo(f"  Nộp trùng: {d.unit_name} ({d.unit_code}), {form_label(d.form_id)}: {d.files} tệp; dùng "
                   f"«{d.kept.name}» ({d.why}); không dùng {len(d.left_out)} tệp: "
                   f"{listing([p.name for p in d.left_out], LIST_CHARS, 'tệp')}.")
    if len(result.duplicates) > LIST_LIMIT:
        click.echo(f"  … và {number(len(result.duplicates) - LIST_LIMIT)} lần nộp trùng khác (xem trang «Tiến độ nộp "
                   "báo cáo» của biểu tổng hợp).")
    if result.missing:
        click.echo(f"  Chưa nộp ({number(len(result.missing))} đơn vị):")
        for line in result.missing_lists():
            click.echo(f"    - {line.title} ({number(line.total)}): {line.text()}.")
    click.echo(f"Đã ghi biểu tổng hợp: {result.out_path}")


def print_report(written, as_json: bool) -> None:
    """`dvcq report`: the files written (the document, its check sheet, the Markdown copy) and the warnings
    the signer must read (a dvcq.documents.narrative.WrittenReport)."""
    if as_json:
        print_json(written.to_dict())
        return
    for w in written.warnings:
        click.echo(f"Cảnh báo: {w.message}", err=True)
    click.echo(f"Đã ghi báo cáo {written.docx}")
    click.echo(f"Đã ghi bảng đối chiếu số liệu {written.check} ({written.rows} số liệu)")
    if written.md:
        click.echo(f"Đã ghi bản Markdown {written.md}")
    for note in written.notes:
        click.echo(f"Lưu ý: {note}")


def print_period(info) -> None:
    """`dvcq period`: a period's label, data window and deadlines by route (a dvcq.calendar.deadlines.PeriodInfo)."""
    p = info.period
    click.echo(f"Kỳ báo cáo: {p.label} (mã {p.code})")
    click.echo(f"Khoảng số liệu: từ {info.start:%d/%m/%Y} đến {info.end:%d/%m/%Y} (theo {info.window_source})")
    if info.parts:
        click.echo("Kỳ gồm hai phần (sắp xếp đơn vị hành chính từ 01/7/2025): " + "; ".join(
            f"{label} từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}" for label, a, b in info.parts))
    if info.parent:
        click.echo(f"Đơn vị: {info.parent}")
    click.echo(f"Lịch báo cáo: {info.calendar} ({info.calendar_source})")
    click.echo("Hạn gửi báo cáo:")
    for r in info.routes:
        name = f"{r.name} ({r.part})" if r.part else r.name
        if r.due is None:
            click.echo(f"  - {name}: theo văn bản yêu cầu báo cáo")
        elif r.figures_to is not None:
            why = "" if r.figures_route == r.route else f" (hạn {r.figures_name.lower()})"
            click.echo(f"  - {name}: {r.due:%d/%m/%Y}, trước khi hết kỳ: số liệu tính đến ngày "
                       f"{r.figures_to:%d/%m/%Y}{why}")
        else:
            click.echo(f"  - {name}: {r.due:%d/%m/%Y}")
        if r.sender:
            click.echo(f"    người gửi: {r.sender}")
    click.echo(f"Tên báo cáo: {info.title}")
    if info.next_label:  # the next period the title names, with the setting's source, or why it does not
        source = "thiết lập next_focus trong deadlines.yaml" + (f": {info.focus_source}" if info.focus_source else "")
        if info.names_next:
            click.echo(f"Kỳ tới nêu trong tên báo cáo: {info.next_label} (theo {source})")
        elif info.partial:
            click.echo(f"Kỳ tới: {info.next_label}, không nêu trong tên báo cáo một phần của kỳ")
        else:
            click.echo(f"Kỳ tới: {info.next_label}, không nêu trong tên báo cáo (theo {source})")
    if info.texts_required:
        click.echo("Nội dung đánh giá: bắt buộc")
    else:
        click.echo(f"Nội dung đánh giá: không bắt buộc, chỉ cần các bảng số liệu (theo {info.texts_source})")
