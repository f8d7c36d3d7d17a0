"""Vietnamese for click's own words: usage errors, help headings ("Usage:", "Options").

click passes every message it prints through ``gettext`` (``_`` and ``ngettext`` in each of its
modules). ``install()`` puts a lookup in this table in their place; placeholders such as
``{name!r}`` are kept, so click formats the Vietnamese text as it would the English one.
A message missing from the table stays in English.
"""
from __future__ import annotations

import importlib

VI = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: {command} {option}",
    "Aborted!": "Đã dừng.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing command.": "Thiếu tên lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    # click title-cases {name} ("file", "directory", "path"): the Vietnamese leaves it out
    "{name} {filename!r} does not exist.": "không tìm thấy {filename!r}.",
    "{name} {filename!r} is a directory.": "{filename!r} là thư mục, cần chỉ một tệp.",
    "{name} {filename!r} is a file.": "{filename!r} là tệp, cần chỉ một thư mục.",
    "{name} {filename!r} is not readable.": "không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "không ghi được vào {filename!r}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải {number_type} hợp lệ.",
    "integer": "số nguyên",
    "float": "số",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tự xác định)",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
}
VI_PLURAL = {
    "Got unexpected extra argument ({args})": ("Thừa tham số ({args})", "Thừa các tham số ({args})"),
    "Option {name!r} requires an argument.": ("Tùy chọn {name!r} cần một giá trị.",
                                             "Tùy chọn {name!r} cần {nargs} giá trị."),
    "{value!r} is not {choice}.": ("{value!r} không phải {choice}.", "{value!r} không phải một trong {choices}."),
    "Did you mean {possibility}?": ("Có phải ý là {possibility}?", "(Có phải ý là một trong: {possibilities}?)"),
}
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return VI.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if singular in VI_PLURAL:
        one, many = VI_PLURAL[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


def install() -> None:
    """Make click speak Vietnamese in this process."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
