"""The error catalogue: every issue code the program can emit, in one place.

Each code has an entry: its default severity, a short title (the kind of problem, shown in annotated
copies) and one or more named Vietnamese message templates with named parameters (``str.format``
fields), e.g. ``type`` / ``indicator-not-number``: "Chỉ tiêu {code} phải là số, đang ghi «{value}»."
A variant may have its own severity (a tolerant reading is a warning where the code is an error).

An issue is emitted with ``FileResult.issue(code, variant, sheet=..., cell=..., **params)``;
``message(code, variant, **params)`` renders the text alone (for a ``BookError`` or a sniff result).
A missing or unexpected parameter, an unknown code or variant is an error naming the code and the
variant, at the first rendering (the tests render every template). Nothing is rendered until an issue
is found, so a valid file costs nothing here.

Privacy: on a sheet holding citizens' data a cell value is never quoted. Such messages come in two
variants, ``x`` and ``x-private``; the private one has the same parameters except ``value`` (tested).
``PHRASES`` are the few Vietnamese pieces that are composed into a message (a shift of columns, a hint).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from string import Formatter
from types import MappingProxyType
from typing import Mapping

ERROR, WARNING = "error", "warning"
# keyword arguments of FileResult.issue that say where an issue is: never a template parameter
LOCATION = frozenset({"sheet", "cell", "field", "severity"})


@dataclass(frozen=True)
class Message:
    """One named template of a code."""

    code: str
    variant: str
    text: str
    severity: str = ERROR
    params: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        names = set()
        for _, name, spec, conversion in Formatter().parse(self.text):
            if name is None:
                continue
            if not name.isidentifier() or spec or conversion:
                raise ValueError(f"message {self.code}/{self.variant}: field {{{name}}} must be a plain name")
            names.add(name)
        if names & LOCATION:
            raise ValueError(f"message {self.code}/{self.variant}: {sorted(names & LOCATION)} name a location, "
                             "not a parameter")
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"message {self.code}/{self.variant}: severity {self.severity!r}")
        object.__setattr__(self, "params", frozenset(names))

    def render(self, **params) -> str:
        if params.keys() != self.params:
            missing, extra = sorted(self.params - params.keys()), sorted(params.keys() - self.params)
            raise KeyError(f"message {self.code}/{self.variant}: "
                           + "; ".join(x for x in (missing and f"missing parameter(s) {missing}",
                                                   extra and f"unexpected parameter(s) {extra}") if x))
        return self.text.format_map(params)


@dataclass(frozen=True)
class Entry:
    """An issue code: default severity, short title, its message templates by variant name."""

    code: str
    title: str
    severity: str
    messages: Mapping[str, Message]

    def message(self, variant: str | None = None) -> Message:
        if variant is None:
            if len(self.messages) != 1:
                raise ValueError(f"message {self.code}: say which variant ({', '.join(self.messages)})")
            return next(iter(self.messages.values()))
        try:
            return self.messages[variant]
        except KeyError:
            raise KeyError(f"message {self.code}: no variant {variant!r} ({', '.join(self.messages)})") from None

    def render(self, variant: str | None = None, /, **params) -> str:
        return self.message(variant).render(**params)


def warn(text: str) -> tuple[str, str]:
    """A template whose issue is a warning although its code's default severity is an error."""
    return (text, WARNING)


def _entry(code: str, title: str, templates: dict, severity: str = ERROR) -> Entry:
    msgs = {}
    for variant, t in templates.items():
        text, sev = t if isinstance(t, tuple) else (t, severity)
        msgs[variant] = Message(code, variant, text, sev)
    if not msgs:
        raise ValueError(f"message {code}: no template")
    return Entry(code, title, severity, MappingProxyType(msgs))


_ENTRIES = (
    # --- cells and values -------------------------------------------------------------------------
    _entry("required", "ô bắt buộc để trống", {
        "period-missing": "Chưa chọn kỳ báo cáo.",
        "unit-code-missing": "Chưa ghi mã đơn vị.",
        "unit-code-by-name": warn("Chưa ghi mã đơn vị; theo tên là {code} ({name})."),
        "indicator-missing": "Chưa ghi số liệu chỉ tiêu {code} ({title}); không phát sinh thì ghi 0.",
        "text-missing": "Chưa ghi nội dung «{title}».",
        "cell-missing": "Chưa ghi «{title}».",
    }),
    _entry("type", "sai kiểu dữ liệu", {
        "indicator-not-number": "Chỉ tiêu {code} phải là số, đang ghi «{value}».",
        "indicator-not-whole": "Chỉ tiêu {code} phải là số nguyên, đang ghi {value}.",
        "cell-not-date": "«{title}» phải là ngày (ngày/tháng/năm), đang ghi «{value}».",
        "cell-not-date-private": "«{title}» phải là ngày (ngày/tháng/năm).",
        "cell-not-number": "«{title}» phải là số, đang ghi «{value}».",
        "cell-not-number-private": "«{title}» phải là số.",
        "cell-not-whole": "«{title}» phải là số nguyên, đang ghi {value}.",
        "cell-not-whole-private": "«{title}» phải là số nguyên.",
        "cell-not-deadline": "«{title}» phải là ngày (ngày/tháng/năm) hoặc một thời hạn như {choices}; đang ghi "
                             "«{value}».",
        "cell-not-deadline-private": "«{title}» phải là ngày (ngày/tháng/năm) hoặc một thời hạn như {choices}.",
        "target-not-number": "Chỉ tiêu kế hoạch của {code} (cột «Chỉ tiêu») phải là số, đang ghi «{value}».",
        "target-not-whole": "Chỉ tiêu kế hoạch của {code} (cột «Chỉ tiêu») phải là số nguyên, đang ghi {value}.",
        "plan-target-not-whole": "Chỉ tiêu {code} ({title}) đếm số nguyên: giá trị chỉ tiêu phải là số nguyên, "
                                 "đang ghi {value}.",
    }),
    _entry("enum", "giá trị ngoài danh sách", {
        "cell-read-as": warn("«{value}» được hiểu là «{fixed}»; nên chọn lại trong danh sách."),
        "cell-read-as-private": warn("Giá trị ở ô này được hiểu là «{fixed}»; nên chọn lại trong danh sách."),
        "cell-unknown": "«{value}» không có trong danh sách «{title}»; chọn một trong: {choices}.",
        "cell-unknown-private": "Giá trị ở ô này không có trong danh sách «{title}»; chọn một trong: {choices}.",
    }),
    _entry("range", "ngoài khoảng cho phép", {
        "header-number": "«{title}» phải là số từ {lo} đến {hi}.",
        "indicator": "Chỉ tiêu {code} phải từ {lo} đến {hi}, đang ghi {value}.",
        "cell": "«{title}» phải từ {lo} đến {hi}, đang ghi {value}.",
        "cell-private": "«{title}» phải từ {lo} đến {hi}.",
        "target": "Chỉ tiêu kế hoạch của {code} (cột «Chỉ tiêu») phải từ {lo} đến {hi}, đang ghi {value}.",
        "plan-target": "Giá trị chỉ tiêu của {code} ({title}) phải từ {lo} đến {hi}, đang ghi {value}.",
    }),
    _entry("pattern", "sai định dạng", {
        "cell": "«{title}» «{value}» sai định dạng.",
        "cell-private": "«{title}» sai định dạng.",
    }),
    _entry("too-long", "nội dung quá dài", {
        "text": "Nội dung dài {length} ký tự, tối đa {limit}; hãy rút gọn.",
        "cell": "«{title}» dài {length} ký tự, tối đa {limit}; hãy rút gọn.",
    }),
    # a rule's message is written in its form's specification; its severity too (passed by the check)
    _entry("rule", "số liệu không khớp quy tắc", {
        "row": "{message}",
        "with-values": "{message} Đang ghi: {seen}.",
    }),
    _entry("parts", "phần lớn hơn tổng", {
        "exceeds-one": "Phần lớn hơn tổng: {part} = {value}, lớn hơn {total} = {total_value}. Hãy sửa ô sai.",
        "exceeds": "Các phần lớn hơn tổng: {parts}, cộng lại {sum}, lớn hơn {total} = {total_value}. Hãy sửa ô sai.",
        "differs": "Các phần không cộng lại bằng tổng: {parts}, cộng lại {sum}, khác {total} = {total_value}. Hãy sửa "
                   "ô sai.",
    }),
    _entry("period", "ngày ngoài kỳ báo cáo / sai kỳ", {
        "invalid": "Kỳ báo cáo {shown} không hợp lệ; chọn trong danh sách.",
        "header-differs": "Kỳ ghi trên biểu «{value}» khác kỳ của biểu ({period}).",
        # validation passes the periods' labels, consolidation their codes
        "not-this-period": "Biểu của kỳ {period}, không phải kỳ đang tổng hợp ({expected}).",
        "date-outside": "«{title}» {date} nằm ngoài kỳ {period} ({start} - {end}); ghi vào sổ của kỳ đúng.",
        "rollup-no-period": "Biểu tổng hợp không ghi kỳ báo cáo hợp lệ.",
        "rollup-not-this-period": "Biểu tổng hợp của kỳ {period}, không phải kỳ đang tổng hợp ({expected}).",
    }),
    # a row dated inside the window but after the file was prepared: written down before it happened?
    _entry("rollout-unit", "đơn vị ngoài địa bàn của kế hoạch", {
        "not-under": "«{title}» {code} không phải {issuer} hay đơn vị trực thuộc {issuer} trong danh mục kỳ {period}; "
                     "lộ trình của kế hoạch ghi mã của đơn vị ban hành hoặc của các đơn vị cấp dưới.",
    }, WARNING),
    _entry("after-prepared", "ngày sau ngày lập biểu", {
        "row": "«{title}» {date} ở sau ngày lập biểu {prepared} (ô {prepared_cell} trang «{main}»); kiểm tra lại "
               "ngày của dòng, hoặc ghi lại ngày lập khi biểu được cập nhật đến ngày này.",
    }, WARNING),
    _entry("unit", "đơn vị không khớp danh mục", {
        "code-unknown": "Mã đơn vị {shown} không có trong danh mục đơn vị hành chính của kỳ {period}{zeros}{by_name}.",
        "name-mismatch": "Tên đơn vị {shown} không khớp mã {code} ({name}).",
        "name-read-as": warn("Tên đơn vị được hiểu là {name} (mã {code})."),
        "rollup-unknown": "Mã đơn vị «{code}» của biểu tổng hợp không có trong danh mục.",
        "not-under-parent": "Đơn vị {unit} không trực thuộc {parent} trong danh mục kỳ {period}.",
        # a unit of the three-tier registry in a file of a period after the 2025 reform (the crosswalk)
        "merged": "{unit} ({code}) đã sáp nhập vào {into} từ 01/07/2025: hãy lập biểu theo đơn vị mới (kỳ {period} "
                  "tính theo danh mục đơn vị hành chính từ 01/7/2025).",
        "district-abolished": "{unit} ({code}) không còn từ 01/07/2025 (không tổ chức cấp huyện): kỳ {period} do các "
                              "xã, phường báo cáo thẳng tỉnh. Biểu của cấp huyện chỉ lập cho kỳ kết thúc trước "
                              "01/7/2025, hoặc phần trước 01/7/2025 của kỳ có cả hai phần (2025-Q3, 2025-9M, "
                              "2025-H2, 2025-Y).",
        # consolidation: a valid file of the period left out, with the real reason
        "own-rollup": "Đây là biểu tổng hợp của chính {parent} (một lần tổng hợp trước), không phải biểu của đơn vị "
                      "trực thuộc: không cộng lại để khỏi tính trùng. Hãy để biểu tổng hợp ở ngoài thư mục các đơn vị "
                      "nộp.",
        "below-level": "{unit} thuộc {above}: {parent} đang tổng hợp từ biểu tổng hợp của cấp dưới trực tiếp, nên tệp "
                       "này không được cộng riêng; số liệu của đơn vị phải có trong biểu tổng hợp của {above}.",
        "rollup-in-flat": "Biểu tổng hợp của {unit}: {parent} đang tổng hợp trực tiếp từ tệp của các xã, nên không "
                          "dùng biểu tổng hợp này (số liệu các xã của {unit} sẽ bị tính trùng). Muốn tổng hợp từ biểu "
                          "tổng hợp của cấp huyện, hãy để các biểu tổng hợp riêng một thư mục.",
        "other-part": "Tệp của {unit} là số liệu {part}; {parent} đang tổng hợp {this}, nên không cộng tệp này.",
        "body-not-in-period": "Cơ quan {unit} không có trong danh sách cơ quan báo cáo của {parent} vào cuối kỳ {period} "
                              "({dates}, tệp co-quan.yaml).",
    }),
    _entry("formula-altered", "công thức của biểu bị ghi đè", {
        "overwritten": "Ô này phải là công thức của biểu nhưng đã bị ghi đè bằng giá trị; hãy lấy lại biểu gốc, "
                       "không gõ đè vào ô tự tính.",
    }),
    _entry("formula-error", "ô có lỗi công thức", {
        "cell": "Ô có lỗi công thức (#REF!, #VALUE!, #DIV/0!...); hãy sửa hoặc xóa công thức.",
    }),
    _entry("external-link", "liên kết tới tệp khác", {
        "linked": "Tệp có liên kết tới tệp Excel khác; hãy bỏ liên kết (Data > Edit Links > Break Link) để số liệu "
                  "nằm trong tệp.",
    }),
    _entry("structure", "cấu trúc biểu bị thay đổi", {
        "sheet-renamed": "Trang «{found}» có vẻ là trang «{name}» bị đổi tên; hãy đặt lại đúng tên «{name}».",
        "sheet-missing": "Thiếu trang «{name}».",
        "sheet-misspelt": "Thiếu trang «{name}» (thấy trang «{found}»: hãy đặt lại đúng tên).",
        "sheet-shifted": "Trang «{name}» {shift} so với biểu gốc; các ô của trang này chưa được kiểm tra. Hãy chép "
                         "số liệu sang biểu gốc (không chèn, xóa hay di chuyển dòng, cột) rồi gửi lại.",
        "column-title": "Tiêu đề cột phải là «{title}», đang là «{value}»: không đổi tên, chèn, xóa hay di chuyển "
                        "cột của biểu.",
        # a sheet holding citizens' data: what the title cell holds now may be a name or an ID number
        "column-title-private": "Tiêu đề cột phải là «{title}» nhưng đã bị sửa: không đổi tên, chèn, xóa hay di "
                                "chuyển cột của biểu.",
        "indicator-row-moved": "Dòng của chỉ tiêu {code} đã bị dịch chuyển (ô ghi «{value}»); không chèn, xóa dòng "
                               "trong biểu.",
        "duplicate-sheets": warn("Có {count} trang trùng tên «{name}»; chỉ giữ một trang."),
        "rollup-no-data": "Biểu tổng hợp thiếu trang dữ liệu ẩn «{name}».",
        "rollup-damaged-data": "Dữ liệu ẩn «{name}» của biểu tổng hợp bị sửa hoặc hỏng; hãy tổng hợp lại bằng dvcq.",
    }),
    _entry("encoding", "chữ gõ bằng bảng mã cũ", {
        "text": "Chữ được gõ bằng bảng mã {legacy}; hãy gõ lại bằng Unicode. Đọc theo Unicode: «{value}».",
        "cell": "Chữ được gõ bằng bảng mã {legacy} (phông .VnTime/VNI); hãy gõ lại bằng Unicode. "
                "Đọc theo Unicode: «{value}».",
        "cell-private": "Chữ được gõ bằng bảng mã {legacy} (phông .VnTime/VNI); hãy gõ lại bằng Unicode.",
    }, WARNING),
    _entry("duplicate-row", "dòng trùng lặp", {
        "row": "Dòng {row} trùng với dòng {first}; xóa dòng trùng.",
    }, WARNING),
    _entry("date-text", "ngày nhập dạng chữ", {
        "read-as": "Ngày đang ở dạng chữ; đã hiểu là {date}. Nên nhập lại dạng ngày.",
    }, WARNING),
    _entry("code-leading-zero", "mã đơn vị mất số 0 ở đầu (đã đọc lại)", {
        "from-number": "Excel đã bỏ số 0 ở đầu mã đơn vị; đã đọc là {code}. Hãy định dạng ô là Văn bản (Text) rồi "
                       "ghi đủ mã.",
        "typed": "Mã đơn vị thiếu số 0 ở đầu; đã đọc là {code}. Hãy ghi đủ mã.",
    }, WARNING),
    # never quotes the ID number itself
    _entry("id-leading-zero", "số giấy tờ mất số 0 ở đầu (đã đọc lại)", {
        "restored": "Excel đã bỏ số 0 ở đầu số {kind}; đã đọc lại đủ {length} chữ số. Hãy định dạng cột là Văn bản "
                    "(Text).",
    }, WARNING),
    # --- the form ---------------------------------------------------------------------------------
    _entry("no-meta", "thiếu trang nhận dạng của biểu", {
        "by-sheet-names": "Không thấy trang nhận dạng ẩn của biểu (có thể biểu đã được gõ lại); đã nhận dạng theo "
                          "tên các trang. Nên dùng biểu gốc do dvcq tạo.",
    }, WARNING),
    _entry("foreign-form", "không phải biểu của dvcq", {
        "unknown": "Tệp không phải biểu mẫu của dvcq (không có trang nhận dạng, tên các trang không khớp biểu nào); "
                   "hãy dùng biểu do dvcq tạo.",
    }),
    _entry("spec-version", "phiên bản biểu khác", {
        "form": "Biểu «{title}» phiên bản {version} khác phiên bản hiện hành {current}; hãy chép số liệu sang biểu "
                "mới (dvcq forms) rồi gửi lại.",
        "rollup": "Biểu tổng hợp phiên bản {version}, cần phiên bản {current}.",
        "legacy-read": warn("Biểu «{title}» theo mẫu cũ (phiên bản {version}); dvcq đã đọc và chuyển sang mẫu "
                            "hiện hành (phiên bản {current}). {note}Kỳ sau hãy dùng mẫu mới «{template}» (dvcq build "
                            "hoặc dvcq forms)."),
    }),
    _entry("legal-minimum", "dưới mức tối thiểu luật định", {
        "head-reception": "Chỉ tiêu {code} ({title}) ghi {value} buổi, dưới mức tối thiểu {minimum} buổi của "
                          "{period} ({source}); kiểm tra lại số liệu hoặc nêu lý do trong báo cáo.",
        "head-reception-required": "Chỉ tiêu {code} ({title}) ghi {value} buổi, khác số buổi tối thiểu theo luật của "
                                   "đơn vị là {minimum} buổi ({basis}); biểu tổng hợp và báo cáo dùng số theo luật. "
                                   "Hãy sửa lại cho đúng.",
    }, WARNING),
    _entry("cross-form", "báo cáo không khớp sổ tiếp công dân", {
        "log-differs": "Chỉ tiêu {code} ({title}) ghi {got} nhưng Sổ tiếp công dân cùng kỳ có {want} ({file}); hãy "
                       "thống nhất số liệu.",
    }),
    _entry("rollout-conflict", "lộ trình ghi khác kế hoạch khác", {
        "differs": "Lộ trình của kế hoạch này ghi «{unit}» {mine}, còn kế hoạch của {other} ghi {theirs}; tổng hợp "
                   "đếm đơn vị một lần, theo kế hoạch của {other}. Hãy thống nhất lộ trình giữa hai kế hoạch.",
    }, WARNING),
    _entry("percent-value", "tỷ lệ ghi dưới 1%", {
        "bare-small": "«{title}» ghi {value}, được đọc là {value}%: ô này ghi tỷ lệ theo số phần trăm. Nếu là "
                      "{hundred}%, hãy ghi {hundred} (hoặc gõ {hundred}%).",
    }, WARNING),
    _entry("target-conflict", "chỉ tiêu khác kế hoạch", {
        "plan-differs": "Chỉ tiêu kế hoạch của {code} ({title}) ghi trong báo cáo là {report} (ô {report_cell}), khác "
                        "kế hoạch cùng kỳ «{file}» là {plan} (trang «{plan_sheet}», ô {plan_cell}); dùng chỉ tiêu của "
                        "kế hoạch. Hãy thống nhất chỉ tiêu.",
    }, WARNING),
    _entry("overflow", "quá số dòng cho phép", {
        "rows": "Có {count} dòng số liệu ngoài vùng của biểu (tối đa {limit} dòng); hãy tách sang biểu khác hoặc "
                "xóa dòng thừa.",
    }),
    _entry("duplicate-submission", "nộp trùng", {
        "duplicate-used-latest": "Đơn vị đã nộp biểu này nhiều lần; dùng bản lưu sau cùng «{used}», không dùng "
                                 "tệp này.",
        "duplicate-same-time": "Đơn vị đã nộp biểu này nhiều lần, lưu cùng một lúc; dùng tệp «{used}» (tệp đầu tiên "
                               "theo tên), không dùng tệp này.",
        "in-rollup": "Số liệu của đơn vị đã có trong biểu tổng hợp «{used}» của đơn vị (gồm cả biểu của chính đơn vị), "
                     "nên không cộng thêm tệp này.",
    }, WARNING),
    # --- files (sniff, the readers, the workers) --------------------------------------------------
    _entry("empty-file", "tệp rỗng", {
        "empty": "Tệp «{name}» rỗng (0 byte), có thể bị lỗi khi gửi; hãy đề nghị đơn vị gửi lại.",
    }),
    _entry("not-zip", "không phải tệp Excel", {
        "not-zip": "Tệp «{name}» không phải tệp Excel .xlsx (nội dung không đúng định dạng); hãy lưu lại bằng Excel "
                   "dạng .xlsx rồi gửi lại.",
    }),
    _entry("corrupt", "tệp hỏng", {
        "no-workbook": "Tệp «{name}» bị hỏng (thiếu phần nội dung của bảng tính); hãy mở bằng Excel, lưu lại rồi "
                       "gửi lại.",
        "unzip-failed": "Tệp «{name}» bị hỏng hoặc gửi chưa hết (không giải nén được); hãy đề nghị đơn vị gửi lại.",
        "part-directory": "Tệp «{name}» bị hỏng (mục lục nén sai ở phần «{part}»); hãy mở bằng Excel, lưu lại dạng "
                          ".xlsx rồi gửi lại.",
        "part-truncated": "Tệp «{name}» bị hỏng (dữ liệu nén bị cắt ở phần «{part}»); hãy mở bằng Excel, lưu lại "
                          "dạng .xlsx rồi gửi lại.",
        "part-bad-data": "Tệp «{name}» bị hỏng (dữ liệu nén sai ở phần «{part}»); hãy mở bằng Excel, lưu lại dạng "
                         ".xlsx rồi gửi lại.",
        "part-compression": "Tệp «{name}» bị hỏng (kiểu nén không được hỗ trợ ở phần «{part}»); hãy mở bằng Excel, "
                            "lưu lại dạng .xlsx rồi gửi lại.",
        "part-mismatch": "Tệp «{name}» bị hỏng (kích thước hoặc mã kiểm tra không khớp ở phần «{part}»); hãy mở bằng "
                         "Excel, lưu lại dạng .xlsx rồi gửi lại.",
        "unopenable": "Tệp «{name}» bị hỏng, không mở được; hãy mở lại bằng Excel, lưu rồi gửi lại.",
        "sheet-unreadable": "Không đọc được trang «{sheet_name}» của tệp «{name}»: tệp bị hỏng; hãy mở bằng Excel, "
                            "lưu lại dạng .xlsx rồi gửi lại.",
        "sheet-part-missing": "Tệp «{name}» bị hỏng (thiếu nội dung của trang «{sheet_name}»); hãy mở bằng Excel, "
                              "lưu lại dạng .xlsx rồi gửi lại.",
        "far-cells": "Trang «{sheet_name}» của tệp «{name}» có ô nằm ngoài vùng của biểu (quá dòng {max_rows} hoặc "
                     "quá cột {max_cols}); hãy xóa các ô thừa rồi gửi lại.",
        "unforeseen": "Không đọc được tệp «{name}» (cấu trúc lạ, hoặc một giá trị dvcq chưa xử lý được); hãy mở "
                      "bằng Excel, lưu lại dạng .xlsx rồi gửi lại; nếu vẫn báo lỗi này, gửi tệp cho người quản lý dvcq.",
    }),
    _entry("encrypted", "tệp có mật khẩu", {
        "ole": "Tệp «{name}» được đặt mật khẩu; hãy bỏ mật khẩu (File > Info > Protect Workbook > Encrypt with "
               "Password, xóa mật khẩu) rồi gửi lại.",
        "password": "Tệp «{name}» được đặt mật khẩu; hãy bỏ mật khẩu rồi gửi lại.",
    }),
    _entry("xls-legacy", "định dạng .xls cũ", {
        "xls": "Tệp «{name}» là định dạng Excel 97-2003 (.xls) cũ; hãy mở bằng Excel, chọn Lưu thành (Save As) "
               "«Excel Workbook (*.xlsx)» rồi gửi lại.",
        "html": "Tệp «{name}» là trang HTML/XML đặt đuôi Excel, không phải biểu .xlsx; hãy mở bằng Excel, Lưu thành "
                "«Excel Workbook (*.xlsx)» rồi gửi lại.",
    }),
    _entry("unsupported-format", "định dạng không hỗ trợ", {
        "ods": "Tệp «{name}» là bảng tính LibreOffice (.ods); hãy Lưu thành (Save As) «Excel 2007-365 (.xlsx)» rồi "
               "gửi lại.",
        "xlsb": "Tệp «{name}» là dạng Excel nhị phân (.xlsb); hãy Lưu thành «Excel Workbook (*.xlsx)» rồi gửi lại.",
    }),
    _entry("too-large", "tệp quá lớn", {
        "file": "Tệp «{name}» quá lớn ({size} MB, tối đa {limit} MB); hãy xóa các trang, hình ảnh thừa rồi gửi lại.",
        "unzipped": "Tệp «{name}» khi giải nén quá lớn ({size} MB, tối đa {limit} MB); từ chối đọc.",
        "part": "Tệp «{name}» khi giải nén quá lớn (phần «{part}»; mỗi phần tối đa {part_limit} MB, cả tệp tối đa "
                "{limit} MB); từ chối đọc.",
    }),
    _entry("reader-crashed", "tệp làm dừng chương trình đọc", {
        "worker-died": "Tệp «{name}» làm chương trình đọc bị dừng đột ngột (mã thoát {exitcode}), có thể do tệp bị "
                       "hỏng hoặc chứa vùng ô quá lớn; các tệp khác vẫn được kiểm tra. Hãy mở tệp bằng Excel, xóa "
                       "các dòng, cột thừa ở cuối trang, lưu lại dạng .xlsx rồi gửi lại.",
    }),
    _entry("lock-file", "tệp khóa của Excel", {
        "skipped": "Bỏ qua «{name}»: tệp khóa tạm của Excel (xuất hiện khi tệp đang mở), không phải biểu nộp.",
    }, WARNING),
    _entry("hidden-file", "tệp ẩn", {
        "skipped": "Bỏ qua tệp ẩn «{name}».",
    }, WARNING),
    _entry("not-spreadsheet", "không phải bảng tính", {
        "skipped": "Bỏ qua «{name}»: không phải bảng tính Excel.",
    }, WARNING),
)

CATALOGUE: Mapping[str, Entry] = MappingProxyType({e.code: e for e in _ENTRIES})
if len(CATALOGUE) != len(_ENTRIES):
    raise ValueError("messages: a code is catalogued twice")

# Pieces composed into a message (where the whole sentence would otherwise exist in many copies).
PHRASES: Mapping[str, Message] = MappingProxyType({name: Message("phrase", name, text) for name, text in {
    "quoted": "«{value}»",
    "indicator-at": "chỉ tiêu {code} «{title}» (ô {ref})",  # an indicator named with its cell
    "indicator-value": "chỉ tiêu {code} «{title}» (ô {ref}) = {value}",
    "this-cell": "ghi ở ô này",  # instead of a header value on a form holding citizens' data
    "one": "một",
    "columns-inserted": "có {n} cột được chèn trước cột {at}",
    "columns-deleted": "có {n} cột bị xóa trước cột {at}",
    "rows-inserted": "có {n} dòng được chèn trước dòng {at}",
    "rows-deleted": "có {n} dòng bị xóa trước dòng {at}",
    "zeros-hint": "; nếu Excel đã bỏ số 0 ở đầu mã thì có thể là {units}: hãy ghi đủ mã",
    "name-fits": "; tên «{name}» ứng với mã {code}",
    "period-end": "ngày chốt số liệu",  # the name of a rule's operand period_end
}.items()})


def entry(code: str) -> Entry:
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"message {code!r}: no such issue code in dvcq.intake.messages") from None


def lookup(code: str, variant: str | None = None) -> Message:
    """The template of a code's variant (the only one when ``variant`` is None)."""
    return entry(code).message(variant)


def message(code: str, variant: str | None = None, /, **params) -> str:
    """The Vietnamese text of an issue: ``message("type", "indicator-not-number", code="TT01", value="x")``."""
    return entry(code).message(variant).render(**params)


def phrase(name: str, /, **params) -> str:
    try:
        p = PHRASES[name]
    except KeyError:
        raise KeyError(f"phrase {name!r}: not in dvcq.intake.messages.PHRASES") from None
    return p.render(**params)


def titles() -> dict[str, str]:
    """Code -> short title, in catalogue order."""
    return {e.code: e.title for e in _ENTRIES}
