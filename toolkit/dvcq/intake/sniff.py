"""Tell what a file really is from its name and first bytes, before any reader touches it.

Files are opened read-only. Outcomes: ``readable`` (an xlsx/xlsm workbook), ``skipped``
(lock files, hidden files, non-spreadsheets) or ``unreadable`` (empty, not a zip, corrupt,
encrypted, old .xls, .xlsb/.ods, too large or a zip bomb), each with a stable code and a
Vietnamese message that says what to do.

Size limits hold for what is really inflated, never for the sizes a zip declares: a file is at
most ``MAX_FILE_BYTES`` (50 MiB) on disk, each part at most ``MAX_PART_BYTES`` (64 MiB) and all
parts together at most ``MAX_UNCOMPRESSED_BYTES`` (200 MiB) once decompressed. Deflate cannot
expand data more than ``DEFLATE_MAX_RATIO`` times, so a part whose compressed size proves it
small is not inflated here; any other part is inflated with a hard cap (``inflate``), and the
readers inflate parts through the same function, so no reader ever sees more than the caps.
A part whose real size or CRC differs from its header is ``corrupt``.
"""
from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from dvcq.errors import BookError

from .messages import message

MAX_FILE_BYTES = 50 * 2**20  # a commune workbook is ~30-300 KB
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_RATIO = 200  # compression ratio above which a large member is treated as a zip bomb
RATIO_MIN_BYTES = 10 * 2**20
MAX_PART_BYTES = 64 * 2**20  # one decompressed part (a 5,000-row log sheet is ~4 MB)
DEFLATE_MAX_RATIO = 1032  # deflate's largest possible expansion (258 bytes from 2 bits)
# what makes a readable workbook unusual, so that it is read in a worker process even when the run has too few
# files to start workers (dvcq.intake.parallel): a reader that aborts on it then costs that file, not the run
UNUSUAL_RATIO = 50  # a part inflating more than 50 times (a form's sheet XML compresses 5-10 times)
UNUSUAL_PART_BYTES = 2**20  # ... and past 1 MiB: repeated empty rows or cells, as a 30 KB file of a million rows
UNUSUAL_FILE_BYTES = 10 * 2**20  # a commune workbook is 30-300 KB, a district roll-up about 1 MB
SPREADSHEET_EXT = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xltx", ".xltm", ".csv"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Sniff:
    path: Path
    kind: str
    status: str  # readable | skipped | unreadable
    code: str | None = None
    message: str | None = None
    size: int = 0
    sha256: str = ""
    data: bytes | None = field(default=None, repr=False, compare=False)  # the bytes of a readable file
    zip: zipfile.ZipFile | None = field(default=None, repr=False, compare=False)  # and its parsed directory
    parts: dict = field(default_factory=dict, repr=False, compare=False)  # parts already inflated here
    unusual: str = ""  # a readable workbook's oddity (see UNUSUAL_RATIO): read it in a worker process


def iter_candidates(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given files and folders, sorted, without following symlinked folders."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name
        elif p.exists():
            yield p


def sniff(path: Path) -> Sniff:
    """What the file is; it is read once, and a readable workbook's bytes are kept for the reader.

    Damaged compressed data inside a well-formed zip is left to the reader, which checks the CRC of
    every part it decompresses and reports the file as corrupt.
    """
    path = Path(path)
    name = path.name
    ext = path.suffix.lower()
    size = path.stat().st_size

    def out(kind, status, code=None, message=None, digest="", data=None, archive=None, parts=None, odd=""):
        return Sniff(path, kind, status, code, message, size, digest, data, archive, parts or {}, odd)

    if name.startswith("~$"):
        return out("lock-file", "skipped", "lock-file", message("lock-file", name=name))
    if name.startswith("."):
        return out("hidden", "skipped", "hidden-file", message("hidden-file", name=name))
    if ext not in SPREADSHEET_EXT:
        return out("other", "skipped", "not-spreadsheet", message("not-spreadsheet", name=name))
    if size == 0:
        return out("empty", "unreadable", "empty-file", message("empty-file", name=name))
    if size > MAX_FILE_BYTES:
        return out("large", "unreadable", "too-large",
                   message("too-large", "file", name=name, size=size // 2**20, limit=MAX_FILE_BYTES // 2**20))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    head = data[:512]
    if head.startswith(OLE_MAGIC):
        if _encrypted(path):
            return out("encrypted", "unreadable", "encrypted", message("encrypted", "ole", name=name), digest)
        return out("xls", "unreadable", "xls-legacy", message("xls-legacy", "xls", name=name), digest)
    low = head.lstrip().lower()
    if low.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")) or b"<html" in low[:200]:
        return out("html", "unreadable", "xls-legacy", message("xls-legacy", "html", name=name), digest)
    if not head.startswith(b"PK"):
        return out("not-zip", "unreadable", "not-zip", message("not-zip", name=name), digest)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))  # in memory: nothing to close
        infos = z.infolist()
        names = {i.filename for i in infos}
        total = sum(i.file_size for i in infos)
        bomb = any(i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1)
                   for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES or bomb:
            return out("zip-bomb", "unreadable", "too-large",
                       message("too-large", "unzipped", name=name, size=total // 2**20,
                               limit=MAX_UNCOMPRESSED_BYTES // 2**20), digest)
        if "mimetype" in names and b"opendocument" in z.read("mimetype"):
            return out("ods", "unreadable", "unsupported-format", message("unsupported-format", "ods", name=name),
                       digest)
        if "xl/workbook.bin" in names:
            return out("xlsb", "unreadable", "unsupported-format", message("unsupported-format", "xlsb", name=name),
                       digest)
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            return out("corrupt", "unreadable", "corrupt", message("corrupt", "no-workbook", name=name), digest)
        kind = "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
        parts = check_inflated(name, data, infos)
    except BookError as exc:
        return out("zip-bomb" if exc.code == "too-large" else "corrupt", "unreadable", exc.code, exc.message, digest)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return out("corrupt", "unreadable", "corrupt", message("corrupt", "unzip-failed", name=name), digest)
    return out(kind, "readable", digest=digest, data=data, archive=z, parts=parts, odd=unusual(infos, parts, size))


def unusual(infos: list[zipfile.ZipInfo], inflated: dict, size: int) -> str:
    """Why a readable workbook is unusual ('' when it is not): a part that inflates far more than a form's XML
    does (rows or cells repeated by the million), a part the sniffer had to inflate to prove it within the caps,
    or a large file."""
    if size > UNUSUAL_FILE_BYTES:
        return "large-file"
    if inflated:
        return "large-part"
    for i in infos:
        if i.file_size > UNUSUAL_PART_BYTES and i.file_size > UNUSUAL_RATIO * max(i.compress_size, 1):
            return "compressed-part"
    return ""


def isolate(path: Path) -> bool:
    """Whether a file had better be read in a worker process: a readable workbook that is unusual."""
    return bool(sniff(Path(path)).unusual)


def _bound(info: zipfile.ZipInfo) -> int:
    """The most a part can inflate to, whatever its header says."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    return info.compress_size * DEFLATE_MAX_RATIO + 1024


def check_inflated(name: str, data: bytes, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    """Prove every part within the caps: by its compressed size, else by inflating it (capped).

    Returns the parts it had to inflate (the reader reuses them). A normal commune workbook is
    proven by its compressed sizes alone and costs nothing here.
    """
    bound = [_bound(i) for i in infos]
    total = sum(bound)  # real sizes of the parts inflated so far, bounds of the others
    spent = 0  # real sizes only
    inflated = {}
    for k in sorted(range(len(infos)), key=bound.__getitem__, reverse=True):
        if bound[k] <= MAX_PART_BYTES and total <= MAX_UNCOMPRESSED_BYTES:
            break
        part = inflate(name, data, infos[k], min(MAX_PART_BYTES, MAX_UNCOMPRESSED_BYTES - spent))
        inflated[infos[k].filename] = part
        spent += len(part)
        total += len(part) - bound[k]
    return inflated


def inflate(name: str, data: bytes, info: zipfile.ZipInfo, cap: int = MAX_PART_BYTES) -> bytes:
    """One part of the zip in ``data``, decompressed with a hard cap of ``cap`` bytes.

    Raises BookError ``too-large`` past the cap, ``corrupt`` when the data, its CRC or its real
    size disagree with the headers (zipfile would silently cut a part to its declared size).
    """
    def corrupt(variant: str) -> BookError:
        return BookError("corrupt", message("corrupt", variant, name=name, part=info.filename))

    off = info.header_offset
    if data[off:off + 4] != b"PK\x03\x04":
        raise corrupt("part-directory")
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise corrupt("part-truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        d = zlib.decompressobj(-15)
        try:
            out = d.decompress(raw, cap + 1)
        except zlib.error:
            raise corrupt("part-bad-data") from None
        if not d.eof and len(out) <= cap:
            raise corrupt("part-truncated")
    else:
        raise corrupt("part-compression")
    if len(out) > cap:
        raise BookError("too-large", message("too-large", "part", name=name, part=info.filename,
                                             part_limit=MAX_PART_BYTES // 2**20,
                                             limit=MAX_UNCOMPRESSED_BYTES // 2**20))
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise corrupt("part-mismatch")
    return out


def _encrypted(path: Path) -> bool:
    """An OLE file holding an encrypted OOXML package (as opposed to an old .xls)."""
    try:
        import msoffcrypto  # lazy: 0.03 s, only for an encrypted file

        with open(path, "rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted()) and _has_stream(path, "EncryptionInfo")
    except Exception:
        return _has_stream(path, "EncryptionInfo")


def _has_stream(path: Path, stream: str) -> bool:
    with open(path, "rb") as f:
        data = f.read(1 << 20)
    return stream.encode("utf-16-le") in data
