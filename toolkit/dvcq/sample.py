"""Realistic filled submissions for every child unit of a parent: deterministic for a seed.

Logs are generated first and the report's reception indicators are computed from them, so a
sample set validates cleanly; `errors=True` injects one known error of each kind and lists
where in `_loi-co-y.json`.
"""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from .build import Content, build_form, file_name
from .spec import cell_ref, load_form

FORMS = ("ke-hoach", "so-tiep-cong-dan", "bao-cao-dinh-ky")
HO = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Hà",
      "Quách", "Mai", "Trịnh", "Lương", "Cao")
DEM = ("Văn", "Thị", "Đình", "Hữu", "Minh", "Ngọc", "Thanh", "Xuân", "Đức", "Thu", "Kim", "Quang")
TEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga", "Phúc", "Quý",
       "Sơn", "Tâm", "Thảo", "Tuấn", "Vân", "Yến", "Hòa", "Thủy", "Lợi", "Khánh")
OFFICIALS = ("Lê Thị Thu Hà", "Nguyễn Văn Thắng", "Phạm Thị Hồng", "Trịnh Đình Lâm", "Hoàng Văn Khải")
CONTENTS = {
    "Đất đai": ("Đề nghị cấp giấy chứng nhận quyền sử dụng đất", "Tranh chấp ranh giới đất với hộ liền kề",
                "Khiếu nại quyết định thu hồi đất làm đường giao thông", "Đề nghị xem xét mức bồi thường, hỗ trợ"),
    "Môi trường": ("Phản ánh ô nhiễm từ cơ sở chăn nuôi", "Phản ánh rác thải đổ trộm ven đường"),
    "Chính sách xã hội": ("Đề nghị xét hộ nghèo, cận nghèo", "Đề nghị hỗ trợ người cao tuổi"),
    "Người có công": ("Đề nghị xem xét chế độ người có công", "Hỏi về trợ cấp thương binh"),
    "Tư pháp, hộ tịch": ("Đề nghị hướng dẫn thủ tục đăng ký khai sinh", "Hỏi về thủ tục chứng thực"),
    "Xây dựng, trật tự đô thị": ("Phản ánh xây dựng lấn chiếm hành lang giao thông",),
    "Tài chính, ngân sách": ("Đề nghị công khai các khoản đóng góp",),
    "Cán bộ, công chức": ("Tố cáo cán bộ có dấu hiệu nhũng nhiễu", "Phản ánh thái độ phục vụ của công chức"),
    "Khác": ("Kiến nghị sửa chữa đường liên thôn", "Kiến nghị lắp đặt đèn chiếu sáng"),
}
FIELD_WEIGHTS = (30, 10, 12, 6, 8, 6, 4, 6, 8)
TEXTS = {
    "KQ": ("Công tác dân vận chính quyền được triển khai đồng bộ, gắn với nhiệm vụ phát triển kinh tế - xã hội.",
           "Cải cách hành chính có chuyển biến, tỷ lệ hồ sơ giải quyết đúng hạn tăng.",
           "Tổ chức tốt các buổi tiếp công dân định kỳ của Chủ tịch UBND."),
    "HC": ("Cơ sở vật chất bộ phận một cửa còn thiếu.",
           "Một số vụ việc khiếu nại về đất đai giải quyết còn chậm.",
           "Tỷ lệ hồ sơ nộp trực tuyến còn thấp."),
    "NN": ("Đội ngũ công chức kiêm nhiệm nhiều việc.", "Hồ sơ đất đai phức tạp, có nguồn gốc lâu năm."),
    "PH": ("Tiếp tục đẩy mạnh cải cách hành chính, chuyển đổi số.",
           "Nâng cao chất lượng tiếp công dân, giải quyết dứt điểm vụ việc tồn đọng."),
    "KN": ("Đề nghị cấp trên hỗ trợ kinh phí nâng cấp bộ phận một cửa.",
           "Đề nghị tổ chức tập huấn kỹ năng dân vận cho công chức cấp xã."),
}
TASKS = [("Tuyên truyền, quán triệt", "Tổ chức hội nghị quán triệt Chỉ thị số 33/CT-TTg về công tác dân vận"),
         ("Tuyên truyền, quán triệt", "Tuyên truyền trên hệ thống truyền thanh về Luật Thực hiện dân chủ ở cơ sở"),
         ("Cải cách hành chính", "Niêm yết công khai thủ tục hành chính tại bộ phận một cửa"),
         ("Cải cách hành chính", "Hướng dẫn người dân nộp hồ sơ trực tuyến"),
         ("Tiếp công dân, giải quyết khiếu nại, tố cáo", "Duy trì tiếp công dân định kỳ của Chủ tịch UBND"),
         ("Tiếp công dân, giải quyết khiếu nại, tố cáo", "Rà soát, giải quyết dứt điểm vụ việc tồn đọng"),
         ("Thực hiện dân chủ ở cơ sở", "Công khai các khoản thu, chi ngân sách xã"),
         ("Dân vận khéo", "Xây dựng mô hình \"Dân vận khéo\" trong xây dựng nông thôn mới"),
         ("Chính quyền thân thiện, vì Nhân dân phục vụ", "Khảo sát sự hài lòng của người dân"),
         ("Kiểm tra, sơ kết, tổng kết", "Sơ kết 6 tháng thực hiện kế hoạch"),
         ("Khác", "Phối hợp Ủy ban MTTQ tổ chức đối thoại với Nhân dân")]
LEADS = ("Văn phòng UBND", "Công chức Tư pháp - Hộ tịch", "Công chức Văn hóa - Xã hội", "Bộ phận một cửa",
         "Công chức Địa chính - Xây dựng")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def log_rows(unit, period, rng: random.Random) -> list[dict]:
    spec = load_form("so-tiep-cong-dan").main
    f = {x.name: x for x in spec.fields}
    n = rng.choice([rng.randint(20, 150)] * 6 + [rng.randint(150, 500)])
    rows, seen = [], set()
    while len(rows) < n:
        kind = rng.choices(f["phan_loai"].enum, (20, 6, 74))[0]
        field = rng.choices(f["linh_vuc"].enum, FIELD_WEIGHTS)[0]
        if kind == "Tố cáo":
            field = rng.choice(["Cán bộ, công chức", "Đất đai", "Tài chính, ngân sách"])
        received = _day(rng, period.start, period.end)
        people = rng.choices([1, 2, 3, rng.randint(5, 30)], (70, 15, 8, 7))[0]
        competent = rng.random() < 0.7
        handling = ("Thụ lý để giải quyết" if competent else
                    rng.choice(["Trả lại đơn và hướng dẫn", "Chuyển đơn đến cơ quan có thẩm quyền"]))
        row = {"ngay_tiep": received, "ho_ten": _name(rng),
               "dia_chi": f"Thôn {rng.randint(1, 12)}, {unit.name}",
               "so_giay_to": "038" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
               "noi_dung": rng.choice(CONTENTS[field]), "phan_loai": kind, "linh_vuc": field, "so_nguoi": people,
               "hinh_thuc": rng.choices(f["hinh_thuc"].enum, (75, 20, 5))[0],
               "lan_tiep": rng.choices(f["lan_tiep"].enum, (80, 20))[0],
               "tham_quyen": "Thuộc thẩm quyền" if competent else "Không thuộc thẩm quyền",
               "huong_xu_ly": handling, "phuc_tap": rng.choices(["Không", "Có"], (85, 15))[0]}
        row["nguoi_tiep"] = ("Chủ tịch UBND" if row["hinh_thuc"] != "Thường xuyên" else
                             rng.choices(f["nguoi_tiep"].enum, (85, 5, 10))[0])
        if not competent:
            row["ket_qua"] = "Đã hướng dẫn, chuyển đơn"
            row["co_quan_da_gq"] = "UBND huyện" if rng.random() < 0.5 else ""
        else:
            done = min(period.end, received + timedelta(days=rng.randint(3, 40)))
            if rng.random() < 0.8 and done <= period.end:
                row["ket_qua"], row["ngay_giai_quyet"] = "Đã giải quyết", done
            else:
                row["ket_qua"] = "Đang giải quyết"
        key = (received, row["so_giay_to"], row["ho_ten"], row["noi_dung"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    rows.sort(key=lambda r: r["ngay_tiep"])
    for i, r in enumerate(rows, start=1):
        r["stt"] = i
    return rows


def report_values(log_measures: dict, rng: random.Random) -> dict:
    """Indicator values consistent with every rule of the spec and with the unit's log."""
    form = load_form("bao-cao-dinh-ky")
    v = {}
    for ind in form.indicators:
        if ind.log_measure:
            v[ind.code] = int(log_measures[ind.log_measure])
    v["TT01"] = rng.randint(2, 12)
    v["TT02"] = v["TT01"] * rng.randint(40, 150)
    v["CC01"] = rng.randint(300, 2500)
    v["CC02"] = int(v["CC01"] * rng.uniform(0.85, 1.0))
    v["CC05"] = int(v["CC02"] * rng.uniform(0.0, 0.05))
    v["CC03"] = int((v["CC02"] - v["CC05"]) * rng.uniform(0.1, 0.4))
    v["CC04"] = v["CC02"] - v["CC05"] - v["CC03"]
    v["CC07"] = rng.randint(50, 200)
    v["CC08"] = int(v["CC01"] * rng.uniform(0.2, 0.8))
    v["CC10"] = rng.randint(100, 250)
    v["CC11"] = round(rng.uniform(85, 99), 1)
    v["TD02"] = 6  # one session a month
    v["TD01"] = rng.choice([5, 6, 6, 6])
    v["TD07"] = max(1, int(log_measures["luot_tiep"] * rng.uniform(0.4, 0.9)))
    v["TD09"] = int(v["TD07"] * rng.uniform(0, 0.1))
    v["TD08"] = int((v["TD07"] - v["TD09"]) * rng.uniform(0.1, 0.3))
    v["TD10"] = v["TD07"] - v["TD08"] - v["TD09"]
    v["TD11"] = int(v["TD07"] * rng.uniform(0.5, 0.8))
    v["TD12"] = int(v["TD11"] * rng.uniform(0.7, 1.0))
    v["TD14"] = v["TD07"] - v["TD11"]
    v["TD15"] = rng.randint(5, 40)
    v["TD16"] = int(v["TD15"] * rng.uniform(0.6, 1.0))
    v["TD17"] = rng.randint(0, 3)
    v["DC01"] = rng.randint(10, 40)
    v["DC02"] = rng.randint(2, 10)
    v["DC04"] = rng.randint(1500, 6000)
    v["DC03"] = int(v["DC04"] * rng.uniform(0.5, 0.95))
    v["DV01"] = rng.randint(1, 4)
    v["DV02"] = rng.randint(0, v["DV01"])
    v["DV03"] = rng.choice([0, 1, 1])
    v["DV04"] = rng.randint(0, 3)
    v["DV05"] = rng.randint(0, 8)
    missing = [i.code for i in form.indicators if i.kind != "ratio" and i.code not in v]
    assert not missing, missing
    return v


def plan_rows(unit, period, rng: random.Random) -> tuple[list[dict], list[dict]]:
    tasks = []
    for i, (group, text) in enumerate(rng.sample(TASKS, rng.randint(8, len(TASKS))), start=1):
        deadline = _day(rng, date(period.year, 1, 31), date(period.year, 12, 15))
        status = ("Đã hoàn thành" if deadline < period.end and rng.random() < 0.75 else
                  rng.choice(["Đang triển khai", "Chưa triển khai", "Đang triển khai"]))
        row = {"stt": i, "nhom": group, "noi_dung": text, "chu_tri": rng.choice(LEADS),
               "phoi_hop": "Ủy ban MTTQ và các đoàn thể", "thoi_han": deadline, "san_pham": "Báo cáo kết quả",
               "trang_thai": status}
        if status == "Đã hoàn thành":
            row["ngay_hoan_thanh"] = min(period.end, deadline - timedelta(days=rng.randint(0, 20)))
        tasks.append(row)
    year = rng.choice([2022, 2023, 2024, 2025])
    launched = year < period.year or (year == period.year and rng.random() < 0.5)
    road = [{"nam": year, "don_vi": unit.name, "ma_don_vi": unit.code,
             "trang_thai": "Đã ra mắt" if launched else "Kế hoạch"}]
    if launched:
        road[0]["ngay_ra_mat"] = date(min(year, period.year), 9, 2) if year < period.year else period.start
    return tasks, road


def write_samples(parent_code: str, period_text: str, out_dir: Path, seed: int = 1, errors: bool = False,
                  forms=FORMS, children=None) -> list[Path]:
    """Write one filled workbook per form for every child unit of a parent."""
    from . import measures
    from .periods import parse
    from .registry import for_period

    period = parse(period_text)
    reg = for_period(period)
    parent = reg.require(parent_code)
    units = reg.children(parent.code)
    if children is not None:
        units = [u for u in units if u.code in set(children)]
    if not units:
        from .errors import UserError

        raise UserError(f"Đơn vị {parent.code} {parent.name} không có đơn vị trực thuộc trong danh mục.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    route = f"{units[0].level}->{parent.level}"
    try:
        deadline = period.deadline(route)
    except KeyError:
        deadline = period.end + timedelta(days=5)
    late = set(random.Random(f"{seed}-late-{parent.code}").sample([u.code for u in units], min(2, len(units) // 5)))
    paths, injected = [], []
    log_form = load_form("so-tiep-cong-dan")
    for k, unit in enumerate(units):
        rng = random.Random(f"{seed}-{unit.code}")
        sent = datetime.combine(deadline, datetime.min.time()) + timedelta(
            days=rng.randint(1, 4) if unit.code in late else -rng.randint(0, 6), hours=rng.randint(7, 16))
        header = {"unit_code": unit.code, "unit_name": unit.name, "period": period,
                  "preparer": rng.choice(OFFICIALS), "prepared_on": (sent - timedelta(days=1)).date()}
        rows = log_rows(unit, period, random.Random(f"{seed}-{unit.code}-log"))
        cols = {log_form.main.name: {f.name: [r.get(f.name) for r in rows] for f in log_form.main.fields}}
        meas = measures.compute(log_form, cols)
        contents = {}
        if "so-tiep-cong-dan" in forms:
            contents["so-tiep-cong-dan"] = Content(header=header, unit_level=unit.level,
                                                   rows={log_form.main.name: rows}, saved_at=sent)
        if "bao-cao-dinh-ky" in forms:
            trng = random.Random(f"{seed}-{unit.code}-report")
            texts = {code: " ".join(trng.sample(options, min(2, len(options)))) for code, options in TEXTS.items()}
            contents["bao-cao-dinh-ky"] = Content(header=header, unit_level=unit.level, saved_at=sent, texts=texts,
                                                  indicators=report_values(meas, trng))
        if "ke-hoach" in forms:
            tasks, road = plan_rows(unit, period, random.Random(f"{seed}-{unit.code}-plan"))
            contents["ke-hoach"] = Content(header=header, unit_level=unit.level, saved_at=sent,
                                           rows={"Nhiệm vụ": tasks, "Lộ trình": road},
                                           extra={"Lộ trình": {"muc_tieu_nam": 2025, "muc_tieu_ty_le": 100}})
        if errors:
            injected += _inject(k, contents, period, out_dir, unit)
        for fid in FORMS:
            if fid in contents:
                path = out_dir / file_name(fid, unit.code, unit.name, period)
                paths.append(build_form(load_form(fid), path, contents[fid]))
    if errors:
        (out_dir / "_loi-co-y.json").write_text(json.dumps(injected, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths


def _inject(k: int, contents: dict, period, out_dir: Path, unit) -> list[dict]:
    """One known error per unit, cycling through the kinds; returns where each one is."""
    report, log = load_form("bao-cao-dinh-ky"), load_form("so-tiep-cong-dan")
    kind = k % 7
    name = lambda fid: str(out_dir / file_name(fid, unit.code, unit.name, period))
    rs, ls = report.main, log.main
    if kind in (0, 5, 6) and "so-tiep-cong-dan" in contents:
        rows = contents["so-tiep-cong-dan"].rows[ls.name]
        i = 1
        if kind == 0:
            rows[i]["phan_loai"] = "Khiếu kiện đông người"
            return [{"file": name("so-tiep-cong-dan"), "sheet": ls.name, "code": "enum",
                     "cell": cell_ref(ls.first_row + i, ls.col("phan_loai"))}]
        if kind == 5:
            rows[i]["ngay_tiep"] = period.end + timedelta(days=20)
            rows[i].pop("ngay_giai_quyet", None)
            rows[i]["ket_qua"] = "Đang giải quyết"
            return [{"file": name("so-tiep-cong-dan"), "sheet": ls.name, "code": "period",
                     "cell": cell_ref(ls.first_row + i, ls.col("ngay_tiep"))}]
        done = [j for j, r in enumerate(rows) if r.get("ngay_giai_quyet")][0]
        rows[done]["ngay_giai_quyet"] = rows[done]["ngay_tiep"] - timedelta(days=2)
        return [{"file": name("so-tiep-cong-dan"), "sheet": ls.name, "code": "rule",
                 "cell": cell_ref(ls.first_row + done, ls.col("ngay_giai_quyet"))}]
    if "bao-cao-dinh-ky" not in contents:
        return []
    values = contents["bao-cao-dinh-ky"].indicators
    where = lambda code, c: [{"file": name("bao-cao-dinh-ky"), "sheet": rs.name, "code": c,
                              "cell": rs.indicator_cell(code)}]
    if kind == 1:
        values["TT01"] = None
        return where("TT01", "required")
    if kind == 2:
        values["DC01"] = "mười hai"
        return where("DC01", "type")
    if kind == 3:
        values["DV04"] = -3
        return where("DV04", "range")
    values["TD08"] += 2
    return where("TD07", "rule")
