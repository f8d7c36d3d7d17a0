"""The `dvcq` command: a thin click adapter over the library functions.

Exit status: 0 success, 1 some file has errors or could not be read (validate, consolidate
--strict), 2 bad usage or input (unknown unit, malformed period, unwritable folder), 3 an
internal error (with a message asking to report it; DVCQ_DEBUG=1 shows the traceback).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dvcq import __version__
from dvcq.errors import UserError
from dvcq.processes import declare_main

from . import clickvi

clickvi.install()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


OPTIONS_METAVAR = "[TÙY_CHỌN]"


class Command(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = "In hướng dẫn này rồi thoát."
        return opt


class Group(click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"Lỗi: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Đã dừng theo yêu cầu.", err=True)
            sys.exit(130)
        except Exception as exc:
            if os.environ.get("DVCQ_DEBUG"):
                raise
            click.echo(f"Lỗi nội bộ của dvcq ({type(exc).__name__}: {exc}). Hãy báo lỗi kèm lệnh vừa chạy; "
                       "đặt DVCQ_DEBUG=1 để xem chi tiết.", err=True)
            sys.exit(3)


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, message="dvcq %(version)s", help="In phiên bản rồi thoát.")
@click.help_option("-h", "--help", help="In hướng dẫn này rồi thoát.")
def main():
    """dvcq: biểu mẫu Excel, kiểm tra, tổng hợp và báo cáo công tác dân vận chính quyền.

    Các lệnh: build (tạo biểu trắng), forms (biểu điền sẵn cho từng đơn vị), sample (bộ số liệu mẫu),
    validate (kiểm tra), consolidate (tổng hợp), report (xuất báo cáo Word), plan (xuất văn bản kế hoạch
    Word từ biểu kế hoạch, hoặc lập biểu từ văn bản kế hoạch có sẵn), unit (tra cứu đơn vị), period (kỳ báo
    cáo: khoảng số liệu và hạn gửi).

    Mã kỳ báo cáo: 2024-Q1..Q4 (quý), 2024-H1 (6 tháng đầu năm), 2024-H2 (6 tháng cuối năm), 2024-9M
    (9 tháng), 2024-Y (năm); báo cáo chuyên đề, đột xuất ghi khoảng số liệu: 2024-CD:15/03/2024-30/09/2024,
    2024-DX:01/08/2024-31/08/2024.
    """
    declare_main("dvcq.__main__", main)  # workers of the console script skip the command line


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("workbooks"), show_default=True,
              metavar="THƯ_MỤC", help="Thư mục ghi các biểu trắng.")
@click.option("--xlsm/--no-xlsm", default=True, show_default=True,
              help="Tạo cả bảng điều khiển dvcq-dieu-khien.xlsm cho Excel (nút bấm gọi Python qua xlwings).")
@click.option("--ods/--no-ods", default=True, show_default=True,
              help="Tạo cả bảng điều khiển dvcq-dieu-khien.ods cho LibreOffice Calc (nút bấm gọi chương trình dvcq).")
@click.option("--python", "python", metavar="ĐƯỜNG_DẪN",
              help="Python mà các nút bấm sẽ chạy; mặc định pythonw.exe cạnh Python đang chạy dvcq (trên Windows). "
                   "Bảng .ods chạy chương trình dvcq (dvcq.exe) cùng thư mục với Python này; mặc định dvcq của "
                   "môi trường đang chạy.")
@click.option("--year", type=click.IntRange(2000, 2100), metavar="NĂM",
              help="Năm lập biểu: danh sách kỳ báo cáo gồm các kỳ từ 2 năm trước đến 1 năm sau năm này "
                   "(period_years_back, period_years_forward trong chung.yaml); mặc định năm nay.")
@click.option("--unit", "unit_code", metavar="MÃ",
              help="Ghi sẵn mã và tên một đơn vị hoặc cơ quan (ví dụ 38-SNV) vào các biểu; kỳ báo cáo để chọn.")
@click.option("--overwrite", is_flag=True,
              help="Ghi đè cả các tệp đã có thay đổi sau lần tạo trước (mặc định: giữ nguyên chúng, bản mới ghi tên khác).")
def build(out_dir: Path, xlsm: bool, ods: bool, python: str | None, year: int | None, unit_code: str | None,
          overwrite: bool):
    """Tạo các biểu trắng (kế hoạch, sổ tiếp công dân, báo cáo định kỳ) và bảng điều khiển. Tệp nào đã có
    thay đổi sau lần tạo trước (cán bộ đã điền, đã lưu) thì được giữ nguyên, bản mới ghi tên khác."""
    from dvcq.kit import build_kit  # lazy: dvcq --help must start in 0.05 s

    kit = build_kit(out_dir, year, unit_code, xlsm=xlsm, ods=ods, python=python, overwrite=overwrite)
    for path in kit.written:
        click.echo(f"Đã tạo {path}")
    for kept in kit.kept:
        click.echo(f"Lưu ý: {kept.message}")


@main.command()
@click.option("--parent", metavar="MÃ", help="Mã đơn vị cấp trên (huyện hoặc tỉnh), ví dụ 403: biểu cho từng đơn vị "
              "trực thuộc, từng cơ quan khai trong co-quan.yaml và một bộ của chính đơn vị đó.")
@click.option("--unit", "unit_code", metavar="MÃ", help="Chỉ tạo biểu của một đơn vị hoặc cơ quan, ví dụ 38-SNV.")
@click.option("--period", required=True, metavar="KỲ",
              help="Kỳ báo cáo: 2024-Q1..Q4, 2024-H1, 2024-H2, 2024-9M, 2024-Y, 2024-CD:15/03/2024-30/09/2024 "
                   "(chuyên đề), 2024-DX:... (đột xuất).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, metavar="THƯ_MỤC",
              help="Thư mục ghi biểu.")
@click.option("--form", "form_ids", multiple=True, metavar="BIỂU",
              # the form ids of dvcq.forms.spec.FORM_IDS, written out so --help need not load the specs
              # (tests/test_cli.py checks they agree)
              type=click.Choice(["ke-hoach", "so-tiep-cong-dan", "bao-cao-dinh-ky"]),
              help="Chỉ tạo biểu này (có thể lặp lại); mặc định cả ba.")
def forms(parent: str | None, unit_code: str | None, period: str, out_dir: Path, form_ids):
    """Tạo biểu điền sẵn tên, mã đơn vị và kỳ báo cáo cho từng đơn vị trực thuộc (hoặc một đơn vị)."""
    from dvcq.forms.build import prefilled_forms  # lazy: dvcq --help must start in 0.05 s

    if bool(parent) == bool(unit_code):
        raise click.UsageError("Cần đúng một trong hai: --parent MÃ hoặc --unit MÃ.")
    paths = prefilled_forms(parent, period, out_dir, form_ids or None, unit_code=unit_code)
    click.echo(f"Đã tạo {len(paths)} biểu trong {out_dir}")


@main.command()
@click.option("--parent", required=True, metavar="MÃ", help="Mã đơn vị cấp trên, ví dụ 403 (huyện Như Thanh).")
@click.option("--period", required=True, metavar="KỲ", help="Kỳ báo cáo, ví dụ 2024-H1.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, metavar="THƯ_MỤC",
              help="Thư mục ghi bộ mẫu.")
@click.option("--seed", default=1, show_default=True, metavar="SỐ",
              help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng số liệu).")
@click.option("--errors", is_flag=True, help="Cố ý đưa một số lỗi vào để thử việc kiểm tra.")
@click.option("--raw", "raw_dir", type=click.Path(path_type=Path), metavar="THƯ_MỤC",
              help="Tỉnh trước 01/7/2025: ghi thêm biểu của các xã và của chính mỗi huyện (mỗi huyện một thư mục), "
                   "từ đó lập biểu tổng hợp của huyện gửi tỉnh.")
def sample(parent: str, period: str, out_dir: Path, seed: int, errors: bool, raw_dir: Path | None):
    """Tạo bộ biểu đã điền số liệu mẫu cho mọi đơn vị trực thuộc (các huyện gửi tỉnh biểu tổng hợp)."""
    from dvcq.outputs import writable_dir  # lazy: dvcq --help must start in 0.05 s
    from dvcq.samples.sample import write_samples  # lazy: dvcq --help must start in 0.05 s

    paths = write_samples(parent, period, writable_dir(out_dir), seed=seed, errors=errors,
                          raw_dir=writable_dir(raw_dir) if raw_dir else None)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {out_dir}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path),
                metavar="TỆP_HOẶC_THƯ_MỤC...")
@click.option("--period", metavar="KỲ", help="Kỳ báo cáo phải khớp, ví dụ 2024-H1.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON cho chương trình khác đọc.")
@click.option("--annotate", "annotate_dir", is_flag=False, flag_value="",
              metavar="[THƯ_MỤC]", help="Ghi bản sao có đánh dấu ô lỗi vào thư mục này (tệp gốc không bị sửa); "
              "không ghi thư mục: ket-qua/ban-danh-dau-loi cạnh thư mục biểu, như nút Kiểm tra.")
def validate(paths, period, as_json, annotate_dir):
    """Kiểm tra các tệp hoặc thư mục biểu đã nộp. Trả về 0 khi không có lỗi, 1 khi có lỗi."""
    from dvcq.intake.early import begin  # lazy: dvcq --help must start in 0.05 s

    early = begin(paths, period=period)  # the workers start first, while this process imports the rest
    from dvcq.calendar.periods import parse  # lazy: dvcq --help must start in 0.05 s

    if period:
        parse(period)  # a mistyped period is said before the second of imports below, not after
    from dvcq.intake.validate import validate_paths  # lazy: dvcq --help must start in 0.05 s

    from .console import print_validation, progress_bar  # lazy: dvcq --help must start in 0.05 s
    with progress_bar(enabled=not as_json) as progress:
        report = validate_paths(list(paths), period=period, annotate_dir=annotate_dir, progress=progress,
                                early=early)
    print_validation(report, as_json)
    sys.exit(report.exit_code)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="THƯ_MỤC")
@click.option("--period", metavar="KỲ", help="Kỳ báo cáo; mặc định suy ra từ các biểu.")
@click.option("--parent", metavar="MÃ", help="Mã đơn vị tổng hợp (huyện/tỉnh); mặc định suy ra từ các biểu.")
@click.option("--out", type=click.Path(path_type=Path), metavar="TỆP",
              help="Tệp tổng hợp .xlsx cần ghi, hoặc thư mục kết quả (mặc định thư mục ket-qua cạnh thư mục biểu).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Cơ sở dữ liệu lịch sử (SQLite); mặc định lich-su.sqlite trong thư mục dvcq của người dùng "
                   "(dùng chung với các nút bấm trong Excel).")
@click.option("--json", "as_json", is_flag=True, help="In tóm tắt dạng JSON.")
@click.option("--strict", is_flag=True, help="Trả về 1 nếu có tệp bị loại.")
def consolidate(folder, period, parent, out, db, as_json, strict):
    """Tổng hợp các biểu trong thư mục thành biểu tổng hợp của huyện/tỉnh."""
    from dvcq.intake.early import begin  # lazy: dvcq --help must start in 0.05 s

    early = begin([folder], period=period, parent=parent)  # the workers start first, while this process imports
    if period:
        from dvcq.calendar.periods import parse  # lazy: dvcq --help must start in 0.05 s

        parse(period)  # a mistyped period is said before the second of imports below, not after
    from dvcq.rollup.consolidate import consolidate_folder  # lazy: dvcq --help must start in 0.05 s

    from .console import print_consolidation, progress_bar  # lazy: dvcq --help must start in 0.05 s
    with progress_bar(enabled=not as_json) as progress:
        result = consolidate_folder(folder, period=period, parent=parent, out=out, db=db, strict=strict,
                                    progress=progress, early=early)
    print_consolidation(result, as_json)
    sys.exit(result.exit_code)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="TỆP_HOẶC_THƯ_MỤC...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Tệp Word .docx cần ghi; mặc định bao-cao-<tên biểu tổng hợp>.docx cạnh biểu tổng hợp, hoặc "
                   "trong thư mục ket-qua khi viết từ các biểu của một đơn vị.")
@click.option("--md", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Ghi thêm nội dung dạng Markdown.")
@click.option("--template", metavar="TÊN", help="Tên hoặc đường dẫn bộ mẫu văn bản trong templates/report.")
@click.option("--signer", metavar="HỌ_TÊN", help="Họ tên người ký; bắt đầu bằng \"KT.\" khi ký thay.")
@click.option("--number", metavar="SỐ", help="Số văn bản, ví dụ 125.")
@click.option("--date", "signed", metavar="NGÀY/THÁNG/NĂM",
              help="Ngày ký, ví dụ 05/02/2025; bỏ trống thì để trống ngày, tháng (năm của hạn gửi báo cáo) để ghi "
                   "tay khi ký.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Cơ sở dữ liệu lịch sử để so sánh cùng kỳ; mặc định như lệnh consolidate.")
@click.option("--json", "as_json", is_flag=True,
              help="In các tệp đã ghi (báo cáo, bảng đối chiếu số liệu) và cảnh báo dạng JSON cho chương trình khác đọc.")
def report(inputs, out, md, template, signer, number, db, signed, as_json):
    """Viết báo cáo kết quả (Word) từ biểu tổng hợp, hoặc từ các biểu của một đơn vị (báo cáo định kỳ,
    kèm sổ tiếp công dân và kế hoạch cùng kỳ: các tệp hoặc thư mục chứa chúng), và cạnh đó Bảng đối chiếu số
    liệu (.xlsx): mỗi số liệu trong báo cáo với đơn vị có số liệu, khoảng số liệu, cách tính và nguồn."""
    from dvcq.documents.narrative import write_report  # lazy: dvcq --help must start in 0.05 s

    from .console import print_report  # lazy: dvcq --help must start in 0.05 s

    written = write_report(list(inputs), out=out, md=md, template=template, signer=signer, number=number, db=db,
                           date=signed)
    print_report(written, as_json)


@main.command()
@click.argument("workbook", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="[BIỂU_KẾ_HOẠCH]")
@click.option("--import", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="VĂN_BẢN",
              help="Lập biểu kế hoạch từ một văn bản kế hoạch có sẵn (.docx, .pdf có lớp chữ, hoặc .txt): mỗi phần "
                   "vào trang của nó, chỉ tiêu vào trang «Chỉ tiêu», đoạn nào chưa xếp được ghi ở trang «Chưa xếp "
                   "được».")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Tệp ghi ra: văn bản Word .docx, mặc định cạnh biểu và cùng tên; với --import là biểu .xlsx, "
                   "mặc định cạnh văn bản và cùng tên.")
@click.option("--md", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Ghi thêm nội dung văn bản dạng Markdown.")
@click.option("--signer", metavar="HỌ_TÊN",
              help="Họ tên người ký (mặc định ô «Người ký» của biểu); bắt đầu bằng \"KT.\" khi cấp phó ký thay.")
@click.option("--number", metavar="SỐ",
              help="Số văn bản, ví dụ 25 (thêm ký hiệu của biểu, mặc định KH-UBND) hoặc 25/KH-UBND; mặc định ô "
                   "«Số, ký hiệu» của biểu, không có thì để trống số.")
@click.option("--date", "signed", metavar="NGÀY/THÁNG/NĂM",
              help="Ngày ký, ví dụ 05/01/2025; mặc định ô «Ngày ban hành» của biểu, không có thì để trống ngày, "
                   "tháng (năm nay) để ghi tay khi ký.")
@click.option("--unit", "unit_code", metavar="MÃ",
              help="Với --import: mã đơn vị ban hành, khi văn bản không cho biết đó là đơn vị nào.")
@click.option("--period", metavar="KỲ",
              help="Với --import: kỳ ghi vào biểu; mặc định kỳ mà tên kế hoạch nêu (\"6 tháng cuối năm 2024\": "
                   "2024-H2), không có thì năm của ngày ban hành, ví dụ 2025-Y.")
@click.option("--json", "as_json", is_flag=True, help="In các tệp đã ghi dạng JSON cho chương trình khác đọc.")
def plan(workbook, source, out, md, signer, number, signed, unit_code, period, as_json):
    """Viết văn bản kế hoạch (Word, thể thức Nghị định 30/2020) từ biểu kế hoạch: căn cứ, mục đích, yêu cầu,
    nhiệm vụ theo nhóm, kinh phí, tổ chức thực hiện, nơi nhận, chữ ký. Với --import VĂN_BẢN: lập biểu kế hoạch
    từ một văn bản kế hoạch có sẵn để theo dõi thực hiện."""
    from .console import print_json  # lazy: dvcq --help must start in 0.05 s

    if (workbook is None) == (source is None):
        raise click.UsageError("Cần đúng một trong hai: một biểu kế hoạch (.xlsx) để viết văn bản, hoặc --import "
                               "VĂN_BẢN để lập biểu từ văn bản kế hoạch.")
    if source is not None:
        if md or signer or number or signed:
            raise click.UsageError("--md, --signer, --number, --date dùng khi viết văn bản từ biểu, không dùng với "
                                   "--import.")
        from dvcq.documents.planbook import import_plan  # lazy: dvcq --help must start in 0.05 s

        done = import_plan(source, out=out, unit=unit_code, period=period)
        if as_json:
            print_json(done.to_dict())
            return
        click.echo(f"Đã lập biểu kế hoạch {done.path}: {done.tasks} nhiệm vụ, {done.bodies} cơ quan, đơn vị được "
                   f"giao, {done.unplaced} đoạn chưa xếp được.")
        if done.unit is not None:
            click.echo(f"Đơn vị ban hành: {done.unit.code} {done.unit.name}; kỳ: {done.period.label}.")
        for note in done.notes:
            click.echo(f"Lưu ý: {note}")
        return
    if unit_code or period:
        raise click.UsageError("--unit và --period chỉ dùng với --import.")
    from dvcq.documents.planwriter import write_plan  # lazy: dvcq --help must start in 0.05 s

    done = write_plan(workbook, out=out, md=md, signer=signer, number=number, date=signed)
    if as_json:
        print_json(done.to_dict())
        return
    click.echo(f"Đã ghi kế hoạch {done.docx} ({done.tasks} nhiệm vụ, {done.bodies} cơ quan, đơn vị được giao)")
    if done.md:
        click.echo(f"Đã ghi bản Markdown {done.md}")
    for note in done.notes:
        click.echo(f"Lưu ý: {note}")


@main.command()
@click.argument("query", metavar="MÃ_HOẶC_TÊN")
@click.option("--period", default="2025-Y", show_default=True, metavar="KỲ",
              help="Kỳ báo cáo (chọn danh mục trước/sau 01/7/2025).")
def unit(query, period):
    """Tra cứu đơn vị hành chính theo mã hoặc tên (không phân biệt dấu, hoa thường)."""
    from dvcq.calendar.periods import parse  # lazy: dvcq --help must start in 0.05 s
    from dvcq.units.registry import LEVEL_LABEL, unit_info  # lazy: dvcq --help must start in 0.05 s

    info = unit_info(query, parse(period))
    u = info.unit
    click.echo(f"{u.code}\t{u.name}\t{LEVEL_LABEL[u.level]}\t{info.parent.name if info.parent else ''}")
    if info.note:
        click.echo(f"Đã hiểu: {info.note}")
    if info.merger:
        click.echo(info.merger)
    if info.children:
        click.echo(f"{len(info.children)} đơn vị trực thuộc: " + ", ".join(c.short_name for c in info.children))
    if info.bodies:
        click.echo(f"{len(info.bodies)} cơ quan báo cáo (co-quan.yaml): "
                   + ", ".join(f"{b.code} {b.name}" for b in info.bodies))


@main.command(short_help="Tên kỳ, khoảng số liệu và hạn gửi của một kỳ báo cáo.")
@click.argument("period", metavar="KỲ")
@click.option("--parent", metavar="MÃ", help="Mã đơn vị (huyện, tỉnh...): hạn gửi theo lịch của tỉnh nơi đơn vị "
              "thuộc, chỉ các tuyến gửi đến và đi từ đơn vị này.")
def period(period, parent):
    """In kỳ báo cáo: tên kỳ, khoảng số liệu (Nghị định 09/2019/NĐ-CP) và hạn gửi báo cáo của từng tuyến
    (xã gửi huyện, huyện gửi tỉnh, xã gửi tỉnh, sở, ban, ngành gửi tỉnh) theo templates/deadlines.yaml.

    KỲ là mã (2024-H2, 2024-CD:15/03/2024-30/09/2024) hoặc tên kỳ ("6 tháng cuối năm 2024")."""
    from dvcq.calendar.deadlines import describe  # lazy: dvcq --help must start in 0.05 s

    from .console import print_period  # lazy: dvcq --help must start in 0.05 s

    print_period(describe(period, parent))

