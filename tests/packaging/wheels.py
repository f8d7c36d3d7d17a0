"""Wheels for the packaging tests without a download: dvcq's runtime dependencies repacked from the
distributions installed in the test environment (pip installed them from wheels for this platform), and
folders that the session's workers build once and share."""
from __future__ import annotations

import base64
import csv
import hashlib
import importlib.metadata
import io
import os
import re
import shutil
import sys
import sysconfig
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.paths import ROOT

# what dvcq's wheel is built from (setup.py copies templates/ and macros/ into it)
WHEEL_SOURCES = ("toolkit", "templates", "macros", "setup.cfg", "setup.py", "pyproject.toml", "MANIFEST.in")
# never in a wheel: written by the installer (pip), not by the wheel
_INSTALLER_FILES = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}
# where an installed distribution's files outside site-packages are: scripts, else data under the prefix
SCRIPTS = Path(sysconfig.get_path("scripts"))
PREFIX = Path(sys.prefix)


def sources_key() -> str:
    """A short digest of the files dvcq's wheel is built from (a cache key)."""
    digest = hashlib.sha256()
    for name in WHEEL_SOURCES:
        path = ROOT / name
        for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if p.is_file() and "__pycache__" not in p.parts and not any(s.endswith(".egg-info") for s in p.parts):
                digest.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def wheel_requirements(wheel: Path) -> list[str]:
    """The Requires-Dist lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    return re.findall(r"^Requires-Dist: (.+)$", meta, re.M)


def runtime_closure(requirements: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions that ``requirements`` need at run time on this platform (extras left
    out), theirs included, each once, sorted by name. One not installed (PackageNotFoundError) or at a
    version they exclude (LookupError): the test environment is older than setup.cfg (``make .venv/.installed``)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = canonicalize_name(req.name)
        dist = found.get(key) or importlib.metadata.distribution(req.name)
        if not req.specifier.contains(dist.version, prereleases=True):
            raise LookupError(f"{req} is needed, {req.name} {dist.version} is installed: make .venv/.installed")
        if key not in found:
            found[key] = dist
            todo += [Requirement(r) for r in dist.requires or []]
    return [found[k] for k in sorted(found)]


def closure_key(dists: list[importlib.metadata.Distribution]) -> str:
    """A short digest of the distributions' names, versions and wheel tags (a cache key)."""
    text = "\n".join(f"{d.metadata['Name']}=={d.version} {_tag(d)}" for d in dists)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _tag(dist: importlib.metadata.Distribution) -> str:
    tags = re.findall(r"^Tag: (\S+)$", dist.read_text("WHEEL") or "", re.M)
    if not tags:
        raise ValueError(f"{dist.metadata['Name']} was not installed from a wheel: no Tag in its WHEEL file")
    # the compressed tag set of the file name (py2.py3-none-any), as the wheel was named
    parts = [list(dict.fromkeys(t.split("-")[i] for t in tags)) for i in range(3)]
    return "-".join(".".join(p) for p in parts)


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def repack(dist: importlib.metadata.Distribution, out_dir: Path) -> Path:
    """A wheel of an installed distribution, as pip would install it again: its files from RECORD (bytecode
    and the installer's own files left out), console scripts left to entry_points.txt, other scripts in
    ``.data/scripts``; RECORD written anew. Stored uncompressed: it is only read once, from a local disk."""
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    stem = f"{name}-{dist.version}"
    generated = {ep.name for ep in dist.entry_points if ep.group in ("console_scripts", "gui_scripts")}
    path = out_dir / f"{stem}-{_tag(dist)}.whl"
    record, info = [], None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for file in dist.files or []:
            parts = file.parts
            if "__pycache__" in parts or file.suffix == ".pyc":
                continue
            if parts[0] == "..":  # outside site-packages: a script (bin/ or Scripts/) or data under the prefix
                where = Path(os.path.normpath(dist.locate_file(file)))
                if where.is_relative_to(SCRIPTS):
                    if parts[-1] in generated or parts[-1].removesuffix(".exe") in generated:
                        continue
                    arcname = f"{stem}.data/scripts/{where.relative_to(SCRIPTS).as_posix()}"
                else:
                    arcname = f"{stem}.data/data/{where.relative_to(PREFIX).as_posix()}"
            else:
                if parts[0].endswith(".dist-info"):
                    info = parts[0]
                    if parts[-1] in _INSTALLER_FILES:
                        continue
                arcname = file.as_posix()
            source = Path(dist.locate_file(file))
            data = source.read_bytes()
            entry = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = (source.stat().st_mode & 0xFFFF) << 16  # scripts stay executable
            zf.writestr(entry, data)
            record.append((arcname, _record_hash(data), str(len(data))))
        if info is None:
            raise ValueError(f"{stem}: no .dist-info among its files")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([*record, (f"{info}/RECORD", "", "")])
        zf.writestr(f"{info}/RECORD", buf.getvalue())
    return path


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link where the file system allows it (a wheel of 10 MB costs nothing), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
