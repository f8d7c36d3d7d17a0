"""`make render`: every output dvcq writes, printed as a user would print it, for review.

Writes into build/render/:
  xlsx/, docx/   the outputs, made with the `dvcq` command as a user runs it: the blank forms, the Như Thanh
                 2024-H1 roll-up (with last year's roll-up in the history, so "So với cùng kỳ" is there), its
                 report, the district's plan document; unless --quick, Thanh Hóa's 2025-Y roll-up and report
                 (a province of the two-tier era, its abolished districts for the first half)
  pdf/           each of them printed by LibreOffice headless (every visible sheet, as its print setup says)
  png/<name>/    each PDF page as a PNG (pdftoppm), page-01.png ...
  index.txt      per output: its pages

Run: python tools/render.py [--quick] [--out build/render]. Needs soffice and pdftoppm on PATH.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "sample"
DPI = 70


def dvcq(*args: str) -> None:
    """Run the dvcq command as a user does (exit 0 and 1 are results, not failures)."""
    done = subprocess.run([sys.executable, "-m", "dvcq", *args], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"dvcq {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def outputs(out: Path, quick: bool) -> list[Path]:
    """Make every output; return their paths in review order."""
    xlsx, docx, src = out / "xlsx", out / "docx", out / "src"
    for d in (xlsx, docx, src):
        d.mkdir(parents=True, exist_ok=True)
    db = src / "lich-su.sqlite"
    dvcq("build", "--out", str(xlsx), "--no-xlsm", "--year", "2024")
    made = sorted(xlsx.glob("*.xlsx"))

    dvcq("sample", "--parent", "403", "--period", "2023-H1", "--out", str(src / "nhu-thanh-2023-H1"), "--seed", "2023")
    dvcq("consolidate", str(src / "nhu-thanh-2023-H1"), "--out", str(src / "tong-hop-2023-H1.xlsx"), "--db", str(db))
    rollup = xlsx / "tong-hop-nhu-thanh-2024-H1.xlsx"
    dvcq("consolidate", str(SAMPLE), "--out", str(rollup), "--db", str(db))
    report = docx / "bao-cao-nhu-thanh-2024-H1.docx"
    dvcq("report", str(rollup), "--out", str(report), "--db", str(db), "--signer", "Nguyễn Văn A")
    plan_book = next(SAMPLE.glob("403-*ke-hoach*.xlsx"))
    plan = docx / "ke-hoach-nhu-thanh-2024.docx"
    dvcq("plan", str(plan_book), "--out", str(plan), "--signer", "Nguyễn Văn A")
    made += [rollup]

    if not quick:
        folder = src / "thanh-hoa-2025-Y"
        if not folder.is_dir():  # a province's sample takes a minute: kept between runs
            dvcq("sample", "--parent", "38", "--period", "2025-Y", "--out", str(folder))
        rollup38 = xlsx / "tong-hop-thanh-hoa-2025-Y.xlsx"
        dvcq("consolidate", str(folder), "--out", str(rollup38), "--db", str(db))
        dvcq("report", str(rollup38), "--out", str(docx / "bao-cao-thanh-hoa-2025-Y.docx"), "--db", str(db),
             "--signer", "Nguyễn Văn B")
        made += [rollup38]
    return made + sorted(docx.glob("*.docx"))  # the report writer may add an annex beside the report


def to_pdf(files: list[Path], pdf_dir: Path) -> list[Path]:
    """Print with LibreOffice headless in a private profile (one run for all files)."""
    pdf_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-render-") as profile:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, files)],
                       check=True, capture_output=True, timeout=900)
    pdfs = [pdf_dir / f"{f.stem}.pdf" for f in files]
    lost = [p.name for p in pdfs if not p.exists()]
    if lost:
        raise SystemExit(f"LibreOffice wrote no PDF for: {', '.join(lost)}")
    return pdfs


def to_png(pdf: Path, png_dir: Path) -> list[Path]:
    folder = png_dir / pdf.stem
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("*.png"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "render")
    ap.add_argument("--quick", action="store_true", help="only the Như Thanh outputs and the blank forms")
    args = ap.parse_args(argv)
    for tool in ("soffice", "pdftoppm", "pdfinfo", "pdftotext"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (apt-get install libreoffice-calc libreoffice-writer "
                             "poppler-utils)")
    out = args.out
    for d in ("xlsx", "docx", "pdf", "png"):
        shutil.rmtree(out / d, ignore_errors=True)
    os.environ.setdefault("DVCQ_HOME", str(out / "src"))
    files = outputs(out, args.quick)
    pdfs = to_pdf(files, out / "pdf")
    lines = []
    for f, pdf in zip(files, pdfs):
        pngs = to_png(pdf, out / "png")
        lines.append(f"{f.name}: {len(pngs)} pages")
        lines += [f"  {png.relative_to(out)}" for png in pngs]
    (out / "index.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(line for line in lines if not line.startswith("  ")))
    print(f"Đã ghi bản in thử vào {out}/ (xem index.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
