#!/usr/bin/env bash
# Re-render the pictures of docs/huong-dan-su-dung.md (docs/img/*.png) from the real files: the committed
# blank forms, a sample set with known errors and its annotated copy, the roll-up of workbooks/sample/ and
# the control workbooks built here (Excel; LibreOffice, blank and after a click on «Tổng hợp»). LibreOffice
# prints each to PDF (a private profile, so a running LibreOffice is not disturbed); pdftoppm cuts out the
# part of the page the guide talks about, at 100 dpi.
# The LibreOffice dialogs (docs/img/lo-chan-macro.png, lo-hoi-bat-macro.png, lo-tuy-chon-bao-mat.png,
# lo-muc-bao-mat.png, lo-thu-muc-tin-cay.png) are screenshots of LibreOffice 7.4 with its Vietnamese
# interface under Xvfb, cropped: this script does not re-take them.
# Usage: docs/images.sh [DVCQ]  (default .venv/bin/dvcq; `make docs-images`). Look at every picture after.
set -euo pipefail
cd "$(dirname "$0")/.."
DVCQ=${1:-.venv/bin/dvcq}
PY=$(dirname "$DVCQ")/python
OUT=docs/img
for tool in soffice pdftoppm pdftotext; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install libreoffice-calc poppler-utils fonts-liberation2" >&2; exit 2; }
done
TMP=$(mktemp -d /tmp/dvcq-docs-images.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT" "$TMP/pdf"

# the files to print
"$DVCQ" build --out "$TMP/b" >/dev/null                                   # the control workbook (.xlsm)
"$DVCQ" sample --parent 403 --period 2024-H1 --out "$TMP/loi" --seed 1 --errors >/dev/null
report=$("$PY" - "$TMP/loi" <<'EOF'
import json, sys
from pathlib import Path
errors = json.loads((Path(sys.argv[1]) / "_loi-co-y.json").read_text(encoding="utf-8"))
print(next(e["file"] for e in errors if e["code"] == "rule" and "bao-cao-dinh-ky" in e["file"]))
EOF
)
"$DVCQ" validate "$TMP/loi/$report" --annotate "$TMP/ann" >/dev/null || true  # exit 1: it has an error
"$DVCQ" consolidate workbooks/sample/ --out "$TMP/tong-hop.xlsx" --db "$TMP/lich-su.sqlite" >/dev/null
annotated=$(ls "$TMP"/ann/*.xlsx)

pdf() {  # pdf FILE -> the PDF LibreOffice prints of it
  soffice -env:UserInstallation="file://$TMP/lo" --headless --convert-to pdf --outdir "$TMP/pdf" "$1" >/dev/null 2>&1
  echo "$TMP/pdf/$(basename "${1%.*}").pdf"
}
page() {  # page PDF TEXT -> the first page whose text holds TEXT
  local n text
  n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
  for ((i = 1; i <= n; i++)); do
    text=$(pdftotext -f "$i" -l "$i" "$1" -)
    if [[ $text == *"$2"* ]]; then echo "$i"; return; fi
  done
  echo "no page of $1 holds «$2»" >&2; return 1
}
cut() {  # cut PDF PAGE X Y W H NAME: a box of the page (its number, or a text it holds) at 100 dpi, as docs/img/NAME.png
  local p=$2
  [[ $p =~ ^[0-9]+$ ]] || p=$(page "$1" "$2")
  pdftoppm -png -r 100 -f "$p" -l "$p" -x "$3" -y "$4" -W "$5" -H "$6" -singlefile "$1" "$OUT/$7"
}

log=$(pdf workbooks/so-tiep-cong-dan.xlsx)
cut "$log" "CMND/CCCD/" 20 40 1130 330 so-tiep-cong-dan-1  # header cells, Mẫu 03's columns (1)-(12), ruled rows
cut "$log" "Thẩm quyền" 20 40 1130 330 so-tiep-cong-dan-2  # the facing page: STT, Ngày tiếp, columns (13)-(21)
plan=$(pdf workbooks/ke-hoach.xlsx)
cut "$plan" "NHIỆM VỤ" 20 40 1130 165 ke-hoach-nhiem-vu
rep=$(pdf "$TMP/loi/$report")
cut "$rep" "TD07" 20 40 1130 560 bao-cao-dinh-ky  # the page of TD07: the rule error, the Kiểm tra column
ann=$(pdf "$annotated")
cut "$ann" 1 20 30 1140 150 ban-danh-dau-loi  # the first sheet, "Lỗi cần sửa"
roll=$(pdf "$TMP/tong-hop.xlsx")
cut "$roll" "TIẾN ĐỘ NỘP BÁO CÁO" 20 30 1130 500 tong-hop-tien-do
ctl=$(pdf "$TMP/b/dvcq-dieu-khien.xlsm")
cut "$ctl" 1 20 40 720 260 dieu-khien  # the buttons print

# the LibreOffice control workbook as built for an office PC (its program under %LOCALAPPDATA%), and its
# results sheet after «Tổng hợp» on the samples, pressed through LibreOffice when /usr/bin/python3 has its
# UNO bridge (python3-uno; tests/support/unodriver.py, as the tests press it)
"$DVCQ" build --out "$TMP/lo" --no-xlsm --python '%LOCALAPPDATA%\dvcq\.venv\Scripts\pythonw.exe' >/dev/null
ods=$(pdf "$TMP/lo/dvcq-dieu-khien.ods")
cut "$ods" 1 40 40 1020 560 lo-dieu-khien
if /usr/bin/python3 -c "import uno" 2>/dev/null; then
  "$DVCQ" build --out "$TMP/lo-run" --no-xlsm >/dev/null
  cp -r workbooks/sample "$TMP/lo-run/nop"
  env -i PATH=/usr/bin:/bin HOME="$HOME" DVCQ_HOME="$TMP/home" /usr/bin/python3 tests/support/unodriver.py \
    "$TMP/lo-run/dvcq-dieu-khien.ods" --profile "$TMP/lo-run/profile" --trust "file://$TMP/lo-run" \
    --set "ThuMucNop=$TMP/lo-run/nop" --press TongHop --out "$TMP/lo-run/da-bam.ods" >/dev/null
  pressed=$(pdf "$TMP/lo-run/da-bam.ods")
  cut "$pressed" "Tệp báo cáo" 40 40 1020 420 lo-ket-qua
else
  echo "/usr/bin/python3 cannot import uno (python3-uno): docs/img/lo-ket-qua.png not re-rendered" >&2
fi
ls -l "$OUT"
