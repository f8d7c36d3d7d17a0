"""The buttons' VBA (macros/DieuKhien.bas), read as text: no Excel runs here, so every property the
office PC relies on is checked in the source (and in the xlwings module the workbook is built with).

Every button traps its errors and ends in a Vietnamese message box; RunPython runs only after the
Python of dvcq and the folder for its error log were checked and written as paths VBA can open; the
Vietnamese is built with ChrW from \\uXXXX escapes, decoded here as U() decodes them.
"""
from __future__ import annotations

import re
import unicodedata

import pytest
from dvcq.excel.xlsm import BUTTONS, PYTHON_TEMPLATE, TEMP_TEMPLATE, conf_rows, macro_source

from tests.support.paths import ROOT
from tests.support.vietnamese import english_words

SOURCE = macro_source()
RAW = (ROOT / "macros" / "DieuKhien.bas").read_bytes()


def procedures(source: str) -> dict[str, list[str]]:
    """Each Sub or Function of the module: name -> its lines (continuations joined), declaration to End."""
    joined = re.sub(r" _\r?\n\s*", " ", source).splitlines()
    out, name = {}, None
    for line in joined:
        m = re.match(r"^(?:Private |Public )?(?:Sub|Function) (\w+)\(", line)
        if m:
            name = m.group(1)
            out[name] = []
        if name:
            out[name].append(line)
        if re.match(r"^End (Sub|Function)\b", line):
            name = None
    return out


PROCS = procedures(SOURCE)


def decode(escaped: str) -> str:
    """What U() makes of a literal: \\uXXXX -> ChrW(&HXXXX), \\n -> a line break."""
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\n", lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\r\n", escaped)


def u_texts(source: str) -> list[str]:
    """Every text U() is given: its string literals (joined when concatenated), decoded."""
    joined = re.sub(r" _\r?\n\s*", " ", source)
    texts = []
    for m in re.finditer(r"\bU\(((?:\"[^\"]*\"\s*&\s*)*\"[^\"]*\")\)", joined):
        texts.append(decode("".join(re.findall(r"\"([^\"]*)\"", m.group(1)))))
    return texts


def test_module_is_ascii_with_crlf_line_ends():
    assert RAW.isascii()
    assert RAW.count(b"\n") == RAW.count(b"\r\n") > 100


@pytest.mark.parametrize("macro,caption", BUTTONS)
def test_every_button_traps_its_errors_into_a_vietnamese_message(macro, caption):
    body = PROCS[macro]
    assert body[0] == f"Sub {macro}()"
    assert body[1].strip() == "On Error GoTo Failed", "the first statement sets the handler"
    assert re.fullmatch(rf'\s*RunButton "import dvcq\.excel\.xl; dvcq\.excel\.xl\.\w+\(\)", U\("[^"]*"\)', body[2])
    assert decode(re.search(r'U\("([^"]*)"\)', body[2]).group(1)) == caption
    assert body[3].strip() == "Exit Sub" and body[4] == "Failed:"
    assert body[5].strip().startswith("ShowFailure U(") and "Err.Number, Err.Description" in body[5]


def test_run_python_is_called_only_after_the_checks_and_the_resolved_paths():
    callers = [name for name, body in PROCS.items() if any(re.search(r"\bRunPython\b", line) for line in body)]
    assert callers == ["RunButton"]
    steps = [line.strip() for line in PROCS["RunButton"]]
    at = {key: next(i for i, s in enumerate(steps) if key in s) for key in (
        "ReadyInterpreter(", "ReadyLogFolder(", 'SetConf "INTERPRETER_WIN"', 'SetConf "TEMP DIR"', "RunPython ",
        "TellPythonError")}
    assert at["ReadyInterpreter("] < at["ReadyLogFolder("] < at['SetConf "INTERPRETER_WIN"'] < at["RunPython "]
    assert at['SetConf "TEMP DIR"'] < at["RunPython "] < at["TellPythonError"]
    assert steps[at["ReadyInterpreter("]] == "If Not ReadyInterpreter(caption, python) Then Exit Sub"
    assert steps[at["ReadyLogFolder("]] == "If Not ReadyLogFolder(caption, logFolder) Then Exit Sub"


def test_the_interpreter_is_checked_as_a_file_its_base_python_and_its_ansi_form():
    body = "\n".join(PROCS["ReadyInterpreter"])
    assert f"Expanded(TemplateValue(PYTHON_TEMPLATE))" in body and f'"{PYTHON_TEMPLATE}"' in SOURCE
    assert "Fso().FileExists(longPath)" in body  # FileSystemObject: Unicode, unlike VBA's GetAttr
    assert 'Fso().FileExists(home & "\\python.exe")' in body and "VenvHome(longPath)" in body
    assert "AnsiPath(longPath, False)" in body
    assert "StrConv(StrConv(s, vbFromUnicode), vbUnicode) = s" in "\n".join(PROCS["FitsAnsi"])
    assert ".ShortPath" in "\n".join(PROCS["AnsiPath"])
    assert '.Charset = "utf-8"' in "\n".join(PROCS["VenvHome"])  # pyvenv.cfg is UTF-8; a Vietnamese home survives


def test_the_log_folder_is_checked_writable_and_ansi():
    body = "\n".join(PROCS["ReadyLogFolder"])
    assert f'"{TEMP_TEMPLATE}"' in SOURCE and "TemplateValue(TEMP_TEMPLATE)" in body
    assert body.count("CanWrite(folder)") == 2 and 'Expanded("%PUBLIC%")' in body and "AnsiPath(" in body


def test_keys_the_buttons_write_are_in_the_block_xlwings_reads():
    keys = {k.upper() for k, _ in conf_rows("x")}
    written = set(re.findall(r'SetConf "([^"]+)"', SOURCE))
    assert written == {"INTERPRETER_WIN", "TEMP DIR"} and written <= keys


def test_messages_reach_the_user_only_through_a_unicode_box():
    calls = [name for name, body in PROCS.items() if any(re.search(r"\bMsgBox\b", line) for line in body)]
    assert calls == ["Tell"]  # MsgBox shows '?' for Vietnamese letters outside the ANSI code page: fallback only
    tell = "\n".join(PROCS["Tell"])
    assert 'CreateObject("WScript.Shell").Popup text' in tell and tell.index(".Popup") < tell.index("\n    MsgBox")
    handler = "\n".join(PROCS["ShowFailure"])
    statements = [line.strip() for line in handler.split("\n")[1:] if not line.strip().startswith("'")]
    assert statements[0] == "On Error Resume Next"  # the handler itself never stops in the debugger


def test_every_vietnamese_text_decodes_to_well_formed_vietnamese_without_english():
    texts = u_texts(SOURCE)
    assert len(texts) > 15
    for text in texts:
        assert unicodedata.normalize("NFC", text) == text
        assert english_words(text) == [], text
    said = "\n".join(texts)
    for needed in ("Không thấy Python của dvcq", "cai-dat.bat", "Không có thư mục tạm", "Python không nạp được dvcq",
                   "tên ngắn (8.3)", "chụp màn hình"):
        assert needed in said, needed


def test_every_escaped_literal_goes_through_u():
    """A \\u escape outside U() would reach the officer as written."""
    outside_u = "\n".join(line for name, body in PROCS.items() if name != "U" for line in body)
    spans = [(m.start(), m.end()) for m in re.finditer(r"\bU\((?:\"[^\"]*\"\s*&\s*)*\"[^\"]*\"\)", outside_u)]
    assert spans
    for lit in re.finditer(r"\"[^\"]*\"", outside_u):
        if "\\u" in lit.group(0) or "\\n" in lit.group(0):
            assert any(a <= lit.start() < b for a, b in spans), lit.group(0)


def problems(source: str) -> list[str]:
    """What the VBA compiler would refuse first: unbalanced blocks, a GoTo without its label, a call to a
    procedure that is neither in the module nor xlwings' RunPython."""
    opens = {"If": "End If", "Do": "Loop", "For": "Next", "With": "End With", "Select": "End Select"}
    statements = ("Dim", "Set", "Exit", "If", "ElseIf", "Else", "End", "Do", "Loop", "For", "Next", "With", "On",
                  "MsgBox", "Static", "Private", "Sub", "Function", "Err")
    procs = procedures(source)
    known = set(procs) | {"RunPython"}
    found = []
    for name, body in procs.items():
        stack = []
        for line in body[1:-1]:
            code = re.sub(r"\"[^\"]*\"", '""', line.split(" '")[0]).strip()
            if re.match(r"^If\b.*\bThen$", code):
                stack.append("End If")
            elif re.match(r"^(Do|For|With|Select)\b", code):
                stack.append(opens[code.split()[0]])
            elif re.match(r"^(End If|Loop|Next|End With|End Select)\b", code):
                if not stack or not code.startswith(stack.pop()):
                    found.append(f"{name}: {code} closes nothing open")
        found += [f"{name}: {closer} missing" for closer in stack]
        text = "\n".join(body)
        for label in re.findall(r"GoTo (\w+)", text):
            if label != "0" and not re.search(rf"^{label}:$", text, re.M):
                found.append(f"{name}: no label {label}")
        for called in re.findall(r"^\s*(?:If .* Then )?([A-Z]\w+)(?: (?!=)[\"A-Za-z(]|$)", text, re.M):
            if called not in statements and called not in known:
                found.append(f"{name}: calls {called}")
    return found


def test_blocks_labels_and_calls_are_whole():
    assert problems(SOURCE) == []
    assert {"Tell", "U", "Fso", "Expanded", "AnsiPath", "CanWrite", "VenvHome", "SetConf", "TemplateValue"} <= set(PROCS)
    # and the check sees what it looks for
    assert problems(SOURCE.replace("    End If\n    python = AnsiPath", "    python = AnsiPath", 1))
    assert problems(SOURCE.replace("Failed:\n", "Fail:\n", 1))
    assert problems(SOURCE.replace("    DropErrorSheet\n", "    DropErrorSheets\n", 1))
