"""Realistic filled submissions for every child unit of a parent: deterministic for a seed.

Each unit's reception log is generated first; the report's reception indicators that name a
`log_measure` (and the case counts by classification and competence) are computed from it, so a
sample set validates cleanly and consolidates consistently. Every random draw comes from
``random.Random(f"{seed}-{unit.code}-{form_id}")`` (never the global generator, never the clock).
``errors=True`` injects one known error of each kind and lists where in ``_loi-co-y.json``.
"""
from __future__ import annotations

import json
import random
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from dvcq.calendar.deadlines import calendar_of
from dvcq.calendar.periods import parse
from dvcq.calendar.reception import unit_minimum
from dvcq.calendar.timelimits import load_rules
from dvcq.documents.decree import load_spec
from dvcq.errors import UserError
from dvcq.forms.build import Content, build_form, file_name
from dvcq.forms.spec import FORM_IDS, LOG, PLAN, REPORT, cell_ref, load_form
from dvcq.intake import measures
from dvcq.outputs import file_slug, rollup_path
from dvcq.rollup.consolidate import consolidate_folder
from dvcq.units.registry import BODY_LEVEL, Unit, for_period, reporters, unit_part

FORMS = FORM_IDS
ERRORS_FILE = "_loi-co-y.json"

# --- people ------------------------------------------------------------------
HO = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Hà",
      "Quách", "Mai", "Trịnh", "Lương", "Cao", "Đinh", "Phan")
HO_WEIGHTS = (30, 10, 10, 8, 6, 5, 4, 5, 4, 3, 3, 2, 2, 3, 3, 2, 2, 3, 2, 2, 2, 2)
DEM_NAM = ("Văn", "Văn", "Đình", "Hữu", "Đức", "Quang", "Minh", "Xuân", "Công", "Bá", "Ngọc", "Trọng")
DEM_NU = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Bích", "Minh", "Thúy")
TEN_NAM = ("Hùng", "Dũng", "Cường", "Tuấn", "Nam", "Sơn", "Long", "Hải", "Thành", "Trung", "Hiếu", "Tùng",
           "Phong", "Quân", "Toàn", "Lực", "Hưng", "Tiến", "Thịnh", "Bình", "Khoa", "Vinh", "Đạt", "Chiến")
TEN_NU = ("Lan", "Hoa", "Hương", "Mai", "Nga", "Hằng", "Thảo", "Trang", "Linh", "Dung", "Yến", "Huyền",
          "Nhung", "Loan", "Hiền", "Oanh", "Xuân", "Hạnh", "Phương", "Tâm", "Lụa", "Vân")
# Officials who prepare the forms: their given names never occur among citizens' given names.
OFFICIALS = ("Lê Thị Thu Hà", "Nguyễn Văn Thắng", "Phạm Thị Ngát", "Trịnh Đình Lâm", "Hoàng Văn Khải",
             "Lò Thị Duyên", "Nguyễn Xuân Huy", "Đỗ Thị Ánh", "Lê Đình Khánh", "Bùi Thị Quyên", "Hà Văn Thuận",
             "Mai Thị Diệp", "Vũ Ngọc Quý", "Đặng Thị Thoa", "Lương Văn Kiên", "Cao Thị Ngân")

# --- reception log -------------------------------------------------------------
KIND_WEIGHTS = {"Khiếu nại": 18, "Tố cáo": 5, "Kiến nghị, phản ánh": 77}
FIELD_WEIGHTS = {"Đất đai": 34, "Môi trường": 10, "Chính sách xã hội": 12, "Người có công": 6,
                 "Tư pháp, hộ tịch": 8, "Xây dựng, trật tự đô thị": 7, "Tài chính, ngân sách": 5,
                 "Cán bộ, công chức": 6, "Khác": 12}
CONTENTS = {
    "Khiếu nại": {
        "Đất đai": ("Khiếu nại quyết định thu hồi đất thực hiện dự án đường giao thông liên xã",
                    "Khiếu nại về đơn giá bồi thường, hỗ trợ khi Nhà nước thu hồi đất",
                    "Khiếu nại việc không cấp giấy chứng nhận quyền sử dụng đất cho phần diện tích tăng thêm",
                    "Khiếu nại quyết định xử phạt vi phạm hành chính về sử dụng đất"),
        "Chính sách xã hội": ("Khiếu nại việc không được đưa vào danh sách hộ cận nghèo",
                              "Khiếu nại việc cắt trợ cấp xã hội hằng tháng"),
        "Người có công": ("Khiếu nại việc chưa giải quyết chế độ cho người hoạt động kháng chiến bị nhiễm chất độc hóa học",),
        "Xây dựng, trật tự đô thị": ("Khiếu nại quyết định buộc tháo dỡ công trình xây dựng",),
        "Tài chính, ngân sách": ("Khiếu nại việc thu các khoản đóng góp xây dựng nông thôn mới",),
    },
    "Tố cáo": {
        "Cán bộ, công chức": ("Tố cáo cán bộ địa chính có dấu hiệu nhũng nhiễu khi làm thủ tục đất đai",
                              "Tố cáo công chức gây khó khăn, đòi tiền khi chứng thực hồ sơ"),
        "Đất đai": ("Tố cáo việc san lấp, lấn chiếm đất công trái phép",),
        "Tài chính, ngân sách": ("Tố cáo sai phạm trong quản lý quỹ của thôn",),
    },
    "Kiến nghị, phản ánh": {
        "Đất đai": ("Đề nghị giải quyết tranh chấp ranh giới đất với hộ liền kề",
                    "Đề nghị cấp giấy chứng nhận quyền sử dụng đất lần đầu",
                    "Đề nghị đính chính thông tin trên giấy chứng nhận quyền sử dụng đất",
                    "Đề nghị hướng dẫn thủ tục tách thửa, chuyển nhượng quyền sử dụng đất",
                    "Phản ánh hộ liền kề xây tường lấn sang đất gia đình",
                    "Đề nghị chuyển mục đích sử dụng đất vườn sang đất ở"),
        "Môi trường": ("Phản ánh ô nhiễm từ cơ sở chăn nuôi lợn gần khu dân cư",
                       "Phản ánh tình trạng đổ rác thải trái phép ven đường liên thôn",
                       "Phản ánh khói bụi từ lò đốt than, xưởng chế biến gỗ",
                       "Phản ánh nước thải sinh hoạt chảy tràn ra đường"),
        "Chính sách xã hội": ("Đề nghị xét hỗ trợ hộ nghèo, cận nghèo",
                              "Đề nghị hưởng trợ cấp xã hội cho người cao tuổi",
                              "Đề nghị hỗ trợ làm nhà ở cho hộ có hoàn cảnh khó khăn",
                              "Hỏi về thủ tục cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"),
        "Người có công": ("Đề nghị xem xét chế độ người có công với cách mạng",
                          "Đề nghị hỗ trợ cải thiện nhà ở cho gia đình người có công"),
        "Tư pháp, hộ tịch": ("Đề nghị hướng dẫn thủ tục đăng ký khai sinh quá hạn",
                             "Hỏi về thủ tục chứng thực hợp đồng tặng cho quyền sử dụng đất",
                             "Đề nghị hòa giải mâu thuẫn gia đình về chia tài sản thừa kế"),
        "Xây dựng, trật tự đô thị": ("Phản ánh xây dựng lấn chiếm hành lang an toàn giao thông",
                                     "Phản ánh việc họp chợ tự phát gây mất trật tự, an toàn giao thông"),
        "Tài chính, ngân sách": ("Đề nghị công khai các khoản thu, chi quỹ của thôn",),
        "Cán bộ, công chức": ("Phản ánh thái độ phục vụ chưa đúng mực của công chức bộ phận một cửa",
                              "Phản ánh việc trả kết quả thủ tục hành chính chậm so với giấy hẹn"),
        "Khác": ("Kiến nghị sửa chữa tuyến đường liên thôn xuống cấp",
                 "Kiến nghị lắp đặt hệ thống đèn chiếu sáng công cộng",
                 "Kiến nghị nạo vét kênh mương nội đồng trước mùa mưa lũ",
                 "Kiến nghị cải tạo nhà văn hóa thôn"),
    },
}
LIMIT_DAYS = 30  # the shortest legal limit (first complaint, denunciation): some open cases exceed it

# --- periodic report texts (never with citizens' names; some sentences shared by several units) ---
NO_PROPOSAL = "Không có kiến nghị."
TEXTS = {
    "KQ": ("Công tác dân vận chính quyền được triển khai đồng bộ, gắn với nhiệm vụ phát triển kinh tế - xã hội của địa phương.",
           "Cải cách hành chính có chuyển biến rõ nét, tỷ lệ hồ sơ giải quyết đúng hạn và trước hạn tiếp tục tăng.",
           "Chủ tịch UBND duy trì tiếp công dân định kỳ theo quy định; các kiến nghị chính đáng được xem xét, giải quyết kịp thời.",
           "Bộ phận một cửa niêm yết đầy đủ thủ tục hành chính, hướng dẫn người dân nộp hồ sơ trực tuyến.",
           "Quy chế dân chủ ở cơ sở được thực hiện nghiêm túc; các khoản thu, chi được công khai tại nhà văn hóa các thôn.",
           "Mô hình \"Dân vận khéo\" trong xây dựng nông thôn mới được Nhân dân đồng tình, hưởng ứng.",
           "Thái độ phục vụ của cán bộ, công chức được nâng lên, người dân hài lòng khi đến giao dịch."),
    "HC": ("Cơ sở vật chất, trang thiết bị của bộ phận một cửa còn thiếu.",
           "Một số vụ việc tranh chấp đất đai có nguồn gốc phức tạp, giải quyết còn kéo dài.",
           "Tỷ lệ hồ sơ nộp trực tuyến còn thấp so với chỉ tiêu được giao.",
           "Việc cập nhật sổ tiếp công dân có lúc chưa kịp thời.",
           "Công tác tuyên truyền ở một số thôn vùng sâu còn hạn chế."),
    "NN": ("Đội ngũ công chức còn kiêm nhiệm nhiều việc, trình độ tin học chưa đồng đều.",
           "Hồ sơ đất đai có nguồn gốc lâu năm, thiếu giấy tờ.",
           "Một bộ phận người dân chưa quen sử dụng dịch vụ công trực tuyến.",
           "Kinh phí dành cho công tác dân vận còn hạn hẹp."),
    "PH": ("Tiếp tục đẩy mạnh cải cách hành chính, chuyển đổi số trong giải quyết thủ tục hành chính.",
           "Nâng cao chất lượng tiếp công dân, giải quyết dứt điểm các vụ việc tồn đọng.",
           "Duy trì và nhân rộng mô hình \"Chính quyền thân thiện, vì Nhân dân phục vụ\".",
           "Tăng cường đối thoại với Nhân dân, kịp thời nắm bắt tâm tư, nguyện vọng của Nhân dân.",
           "Thực hiện tốt Luật Thực hiện dân chủ ở cơ sở năm 2022."),
    "KN": ("Đề nghị cấp trên hỗ trợ kinh phí nâng cấp bộ phận một cửa.",
           "Đề nghị tổ chức tập huấn kỹ năng dân vận, kỹ năng tiếp công dân cho công chức cấp xã.",
           "Đề nghị các ngành chuyên môn hỗ trợ giải quyết các vụ việc đất đai phức tạp.",
           NO_PROPOSAL),
    "DD": ("Tình hình an ninh chính trị, trật tự an toàn xã hội ổn định; đời sống Nhân dân từng bước được cải thiện.",
           "Thời tiết diễn biến phức tạp, mưa lớn kéo dài ảnh hưởng đến sản xuất nông nghiệp.",
           "Địa bàn rộng, dân cư phân tán, một số thôn vùng đồng bào dân tộc thiểu số đi lại khó khăn."),
    "LD": ("UBND ban hành kế hoạch thực hiện công tác dân vận chính quyền năm và phân công nhiệm vụ cụ thể cho từng công chức.",
           "Chỉ đạo các thôn tổ chức hội nghị nhân dân để lấy ý kiến về các nội dung theo quy định.",
           "Ban hành quy chế phối hợp giữa UBND với Ủy ban Mặt trận Tổ quốc và các đoàn thể."),
    "MT": ("Phối hợp với Ủy ban Mặt trận Tổ quốc tổ chức hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân.",
           "Mặt trận và các đoàn thể giám sát việc giải quyết thủ tục hành chính tại bộ phận một cửa; các kiến nghị sau giám sát được tiếp thu.",
           "Tiếp thu ý kiến góp ý của Mặt trận và các đoàn thể vào dự thảo kế hoạch phát triển kinh tế - xã hội."),
}

# A declared body's report (a sở, ban, ngành: templates/co-quan.yaml) speaks of its own work: the procedures under
# its competence, its head's reception of citizens, its staff, its coordination with the Front on its field (seed
# 003 gives such bodies their tasks); never of villages, crops or the weather. {unit} is its name ("Sở Nội vụ").
BODY_TEXTS = {
    "KQ": ("{unit} triển khai công tác dân vận chính quyền gắn với nhiệm vụ chuyên môn của ngành.",
           "Thủ tục hành chính thuộc thẩm quyền của {unit} được rà soát, đơn giản hóa; tỷ lệ hồ sơ giải quyết đúng hạn "
           "và trước hạn tiếp tục tăng.",
           "Người đứng đầu {unit} duy trì tiếp công dân định kỳ theo quy định; đơn thư thuộc lĩnh vực của ngành được "
           "xem xét, trả lời kịp thời.",
           "Bộ phận tiếp nhận hồ sơ của {unit} tại Trung tâm Phục vụ hành chính công tỉnh hướng dẫn tổ chức, cá nhân "
           "nộp hồ sơ trực tuyến.",
           "Dân chủ trong hoạt động của cơ quan được thực hiện nghiêm túc; công khai tài chính, thi đua, khen thưởng "
           "theo quy định.",
           "Công chức, viên chức của {unit} hưởng ứng phong trào thi đua \"Dân vận khéo\" gắn với nhiệm vụ chuyên "
           "môn."),
    "HC": ("Một số hồ sơ thủ tục hành chính còn giải quyết quá hạn.",
           "Tỷ lệ hồ sơ nộp trực tuyến toàn trình còn thấp so với chỉ tiêu được giao.",
           "Việc phối hợp với các sở, ngành và Ủy ban nhân dân cấp xã trong giải quyết kiến nghị có lúc chưa kịp thời.",
           "Việc cập nhật sổ tiếp công dân có lúc chưa kịp thời."),
    "NN": ("Biên chế công chức còn thiếu so với khối lượng công việc.",
           "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh có lúc gián đoạn.",
           "Một bộ phận tổ chức, cá nhân chưa quen sử dụng dịch vụ công trực tuyến.",
           "Quy định của pháp luật chuyên ngành thay đổi, văn bản hướng dẫn ban hành chậm."),
    "PH": ("Tiếp tục rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền của {unit}.",
           "Nâng cao chất lượng tiếp công dân, giải quyết dứt điểm đơn thư thuộc lĩnh vực của ngành.",
           "Đẩy mạnh chuyển đổi số, tăng tỷ lệ hồ sơ trực tuyến toàn trình.",
           "Thực hiện tốt dân chủ trong hoạt động của cơ quan, đơn vị."),
    "KN": ("Đề nghị Ủy ban nhân dân tỉnh bổ sung biên chế cho bộ phận tiếp nhận hồ sơ của {unit}.",
           "Đề nghị tổ chức tập huấn kỹ năng dân vận, kỹ năng tiếp công dân cho công chức, viên chức các sở, ngành.",
           "Đề nghị các bộ, ngành Trung ương sớm hướng dẫn các quy định mới của pháp luật chuyên ngành.",
           NO_PROPOSAL),
    "DD": ("Khối lượng hồ sơ thủ tục hành chính thuộc thẩm quyền của {unit} lớn, nhiều lĩnh vực phức tạp.",
           "{unit} thực hiện sắp xếp tổ chức bộ máy theo chủ trương của Trung ương và của tỉnh; một số phòng, đơn vị "
           "thay đổi chức năng, nhiệm vụ.",
           "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn tỉnh ổn định."),
    "LD": ("{unit} ban hành kế hoạch thực hiện công tác dân vận chính quyền năm và phân công nhiệm vụ cho các phòng, "
           "đơn vị trực thuộc.",
           "Lãnh đạo {unit} chỉ đạo các phòng, đơn vị công khai thủ tục hành chính, quy trình giải quyết công việc.",
           "{unit} phối hợp với Công đoàn cơ sở, Đoàn Thanh niên triển khai phong trào thi đua \"Dân vận khéo\"."),
    "MT": ("Phối hợp với Ủy ban Mặt trận Tổ quốc tỉnh và các tổ chức chính trị - xã hội giám sát, phản biện các dự "
           "thảo văn bản thuộc lĩnh vực của ngành.",
           "Tiếp thu ý kiến góp ý của Mặt trận và các đoàn thể vào dự thảo văn bản do {unit} chủ trì soạn thảo.",
           "Phối hợp với Mặt trận các cấp tuyên truyền chính sách, pháp luật thuộc lĩnh vực của ngành."),
}

# --- plan -------------------------------------------------------------------
# A unit's plan shaped on seed plan 002 (UBND huyện Như Thanh, giai đoạn 2023 - 2030), as a commune (or the
# district itself) writes it to carry the district's plan out: its legal bases, its purposes and requirements,
# its tasks (seed 002's II.1, 2.1-2.5 and 3.2, made concrete for one unit), its rollout year, its funding and
# its bodies (seed 002's IV at the unit's level). {kind} is the unit's generic noun, {parent} the unit above.
PLAN_TITLE = "Thực hiện công tác dân vận chính quyền và xây dựng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” năm {year}"
PLAN_BASES = (
    {"loai": "Chỉ thị", "so_hieu": "33/CT-TTg", "ngay": date(2021, 11, 26), "co_quan": "Thủ tướng Chính phủ",
     "trich_yeu": "tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan hành chính nhà nước, chính quyền các "
                  "cấp trong tình hình mới"},
    {"loai": "Kế hoạch", "co_quan": "UBND {parent}",
     "trich_yeu": "triển khai xây dựng, nhân rộng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” trên địa bàn "
                  "{parent}, giai đoạn 2023 - 2030"},
)
PLAN_TEXTS = (
    ("Mục đích", "Triển khai thực hiện có hiệu quả các chủ trương của Đảng, chính sách pháp luật của Nhà nước và các "
                 "văn bản chỉ đạo của cấp trên về công tác dân vận, dân vận chính quyền; thực hiện có chất lượng phong "
                 "trào thi đua “Dân vận khéo” và mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” trên địa bàn "
                 "{unit}."),
    ("Mục đích", "Nâng cao hiệu quả hoạt động của chính quyền, ý thức phục vụ Nhân dân của cán bộ, công chức; góp phần "
                 "củng cố lòng tin của Nhân dân đối với chính quyền."),
    ("Yêu cầu", "Xác định xây dựng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” là nhiệm vụ trọng tâm của hệ "
                "thống chính trị {kind}, gắn với giải quyết kịp thời tâm tư, nguyện vọng, quyền và lợi ích chính đáng "
                "của Nhân dân."),
    ("Yêu cầu", "Việc thực hiện phải thiết thực, hiệu quả; định kỳ sơ kết, tổng kết, biểu dương, khen thưởng tập thể, "
                "cá nhân làm tốt."),
)
# (group, content, lead, partner, deadline, output); a lead or partner is a role (PLAN_BODIES), a deadline a
# (month, day) of the plan's year, a recurring term, or "Năm"/"6 tháng đầu năm" of the plan's year
TASKS = (
    ("Lãnh đạo, chỉ đạo", "Ban hành kế hoạch thực hiện công tác dân vận chính quyền năm {year}; phân công nhiệm vụ cụ "
                          "thể cho từng bộ phận, công chức", "vp", "", (1, 31), "Kế hoạch được ban hành"),
    ("Tuyên truyền, quán triệt", "Tổ chức hội nghị quán triệt Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính "
                                 "phủ và Kế hoạch của UBND {parent} về xây dựng, nhân rộng mô hình “Chính quyền thân "
                                 "thiện, vì Nhân dân phục vụ”", "vp", "dv", (3, 31), "Hội nghị quán triệt"),
    ("Tuyên truyền, quán triệt", "Tuyên truyền, phổ biến chủ trương của Đảng, chính sách, pháp luật của Nhà nước, chỉ "
                                 "thị, nghị quyết của cấp trên đến cán bộ, công chức và Nhân dân trên hệ thống truyền "
                                 "thanh và tại các thôn", "vh", "mt", "Thường xuyên", "Tin bài, buổi tuyên truyền"),
    ("Cải cách hành chính", "Niêm yết công khai, đầy đủ thủ tục hành chính; hướng dẫn người dân nộp hồ sơ, thanh toán "
                            "trực tuyến tại Bộ phận tiếp nhận và trả kết quả", "mc", "", "Thường xuyên",
     "Bảng niêm yết, hồ sơ trực tuyến"),
    ("Cải cách hành chính", "Rà soát, bố trí cơ sở vật chất, trang thiết bị tại nơi tiếp công dân và Bộ phận tiếp "
                            "nhận và trả kết quả", "vp", "tc", (6, 30), "Trang thiết bị được bổ sung"),
    ("Đạo đức công vụ, văn hóa công sở", "Nâng cao đạo đức công vụ, văn hóa công sở của cán bộ, công chức; thực hiện "
                                         "xin lỗi người dân khi giải quyết hồ sơ trễ hạn", "vp", "mc", "Thường xuyên",
     ""),
    ("Tiếp công dân, giải quyết khiếu nại, tố cáo", "Duy trì lịch tiếp công dân thường xuyên và định kỳ của Chủ tịch "
                                                    "UBND; đối thoại, giải quyết kịp thời kiến nghị chính đáng của "
                                                    "Nhân dân, không để phát sinh điểm nóng", "vp", "dc",
     "Thường xuyên", "Sổ tiếp công dân"),
    ("Tiếp công dân, giải quyết khiếu nại, tố cáo", "Rà soát, giải quyết dứt điểm các vụ việc khiếu nại, kiến nghị tồn "
                                                    "đọng", "dc", "tp", (5, 31), "Báo cáo kết quả"),
    ("Hòa giải ở cơ sở", "Kiện toàn Tổ hòa giải ở cơ sở; hòa giải các mâu thuẫn, tranh chấp ngay từ thôn", "tp", "mt",
     "Hằng năm", "Quyết định kiện toàn"),
    ("Thực hiện dân chủ ở cơ sở", "Thực hiện nghiêm quy chế dân chủ ở cơ sở; công khai các chương trình, dự án, các "
                                  "khoản thu, chi ngân sách và các khoản đóng góp của Nhân dân", "tc", "mt",
     "Định kỳ hằng quý", "Bảng công khai"),
    ("Thực hiện dân chủ ở cơ sở", "Rà soát, sửa đổi, bổ sung hương ước, quy ước của các thôn", "tp", "", (9, 30),
     "Hương ước, quy ước được công nhận"),
    ("Phối hợp với Mặt trận Tổ quốc, các đoàn thể", "Phối hợp tổ chức hội nghị đối thoại giữa Chủ tịch UBND với Nhân "
                                                    "dân; tạo điều kiện để Mặt trận, các đoàn thể giám sát, phản biện "
                                                    "xã hội theo Quyết định số 217-QĐ/TW và 218-QĐ/TW", "vp", "mt",
     "6 tháng đầu năm", "Hội nghị đối thoại"),
    ("Phối hợp với Mặt trận Tổ quốc, các đoàn thể", "Phối hợp khảo sát, đánh giá mức độ hài lòng của người dân đối với "
                                                    "cán bộ, công chức và Bộ phận tiếp nhận và trả kết quả", "vp", "mt",
     (11, 30), "Kết quả khảo sát"),
    ("Đào tạo, bồi dưỡng, tập huấn", "Cử cán bộ, công chức, cán bộ thôn tham gia tập huấn về công tác dân vận, dân vận "
                                     "chính quyền và kỹ năng tiếp công dân", "vp", "dv", "Năm", "Cán bộ được tập huấn"),
    ("Dân vận khéo", "Đăng ký, xây dựng mô hình “Dân vận khéo” trong cải cách hành chính, xây dựng nông thôn mới",
     "vh", "dv", (4, 30), "Mô hình được công nhận"),
    ("Chính quyền thân thiện, vì Nhân dân phục vụ", "Xây dựng, ra mắt và duy trì mô hình “Chính quyền thân thiện, vì "
                                                    "Nhân dân phục vụ” theo lộ trình của {parent}", "vp", "dv",
     "launch", "Mô hình được ra mắt"),
    ("Kiểm tra, sơ kết, tổng kết", "Kiểm tra việc thực hiện quy chế dân chủ, công khai tại các thôn", "vp", "mt",
     (10, 31), "Biên bản kiểm tra"),
    ("Kiểm tra, sơ kết, tổng kết", "Sơ kết 6 tháng, tổng kết năm thực hiện Kế hoạch; biểu dương, khen thưởng tập thể, "
                                   "cá nhân làm tốt", "vp", "", "6 tháng", "Báo cáo sơ kết, tổng kết"),
)
# The bodies of seed 002's IV at each level: a role's name and what the plan gives it ("giao") or asks of it
# ("đề nghị": the Front, the mass organisations, the Party's Dân vận body).
PLAN_BODIES = {
    "commune": {"vp": "Văn phòng - Thống kê", "vh": "Công chức Văn hóa - Xã hội", "tc": "Công chức Tài chính - Kế toán",
                "tp": "Công chức Tư pháp - Hộ tịch", "dc": "Công chức Địa chính - Xây dựng",
                "mc": "Bộ phận tiếp nhận và trả kết quả", "dv": "Khối Dân vận {kind}",
                "mt": "Ủy ban MTTQ Việt Nam {kind} và các tổ chức chính trị - xã hội"},
    "district": {"vp": "Phòng Nội vụ", "vh": "Phòng Văn hóa - Thông tin", "tc": "Phòng Tài chính - Kế hoạch",
                 "tp": "Phòng Tư pháp", "dc": "Phòng Tài nguyên và Môi trường", "mc": "Bộ phận Một cửa {kind}",
                 "dv": "Ban Dân vận {party}", "mt": "Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội {kind}"},
    "province": {"vp": "Sở Nội vụ", "vh": "Sở Văn hóa, Thể thao và Du lịch", "tc": "Sở Tài chính", "tp": "Sở Tư pháp",
                 "dc": "Sở Tài nguyên và Môi trường", "mc": "Trung tâm Phục vụ hành chính công {kind}",
                 "dv": "Ban Dân vận {party}", "mt": "Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội {kind}"},
}
BODY_TASKS = (  # (role, verb, paragraphs), in the order of the document's IV
    ("vp", "Giao", ("Tham mưu UBND {kind} triển khai Kế hoạch; theo dõi, đôn đốc các bộ phận, công chức thực hiện "
                    "các nhiệm vụ được giao.",
                    "Tổng hợp, báo cáo kết quả thực hiện 6 tháng, năm về UBND {parent}{via}{dates}.")),
    ("vh", "Giao", ("Đẩy mạnh tuyên truyền về công tác dân vận chính quyền và mô hình “Chính quyền thân thiện, vì Nhân "
                    "dân phục vụ”; giới thiệu cách làm hay, gương điển hình trên hệ thống truyền thanh.",)),
    ("tc", "Giao", ("Tham mưu bố trí kinh phí thực hiện Kế hoạch, bảo đảm cơ sở vật chất cho nơi tiếp công dân và Bộ "
                    "phận tiếp nhận và trả kết quả.",)),
    ("tp", "Giao", ("Tham mưu thực hiện quy chế dân chủ ở cơ sở, công tác hòa giải ở cơ sở; hướng dẫn rà soát hương "
                    "ước, quy ước.",)),
    ("dc", "Giao", ("Tham gia tiếp công dân theo lịch; phối hợp giải quyết kịp thời các kiến nghị, tranh chấp về đất "
                    "đai, xây dựng.",)),
    ("mc", "Giao", ("Tiếp nhận, giải quyết hồ sơ đúng hạn; hướng dẫn người dân nộp hồ sơ trực tuyến.",)),
    ("dv", "Đề nghị", ("Phối hợp chỉ đạo, triển khai xây dựng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” "
                       "theo lộ trình; hằng năm rà soát, đánh giá kết quả thực hiện mô hình.",)),
    ("mt", "Đề nghị", ("Tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tham gia thực hiện Kế hoạch; giám sát "
                       "UBND {kind} trong quá trình thực hiện mô hình.",
                       "Phối hợp khảo sát, đánh giá mức độ hài lòng của người dân đối với cán bộ, công chức theo định "
                       "kỳ.")),
)
CHAIRS = ("Lê Văn Sơn", "Nguyễn Đình Tâm", "Trịnh Văn Hùng", "Hoàng Thị Thu", "Lò Văn Đông", "Phạm Văn Quyết",
          "Đỗ Văn Bình", "Bùi Thị Lan", "Hà Văn Toán", "Mai Xuân Trường")  # the chairmen who sign the plans
# Seed plan 002 (UBND huyện Như Thanh, 2023-2030): launch year of the model per commune; before 2023: pilots.
NHU_THANH_ROADMAP = {"16276": 2022, "16252": 2022, "16264": 2022, "16249": 2022, "16234": 2022,
                     "16240": 2023, "16258": 2023, "16228": 2024, "16261": 2024, "16243": 2024, "16246": 2024,
                     "16231": 2025, "16267": 2025, "16273": 2025}


def rng_for(seed, unit_code: str, form_id: str) -> random.Random:
    return random.Random(f"{seed}-{unit_code}-{form_id}")


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def citizen(rng: random.Random) -> tuple[str, str]:
    """A citizen's name and a 12-digit CCCD of Thanh Hóa (038, gender-century digit, birth year)."""
    female = rng.random() < 0.45
    name = f"{rng.choices(HO, HO_WEIGHTS)[0]} {rng.choice(DEM_NU if female else DEM_NAM)} " \
           f"{rng.choice(TEN_NU if female else TEN_NAM)}"
    born = rng.randint(1945, 2004)
    digit = (2 if born >= 2000 else 0) + (1 if female else 0)
    return name, f"038{digit}{born % 100:02d}{rng.randint(0, 999999):06d}"


def _workday(rng: random.Random, start: date, end: date) -> date:
    for _ in range(10):
        d = start + timedelta(days=rng.randint(0, (end - start).days))
        if d.weekday() < 5:
            return d
    return d


# the subject of a sample case (CONTENTS) on the standard tables' list of fields (Biểu 01/XLD)
LINH_VUC = {"Đất đai": "Hành chính: đất đai, nhà cửa", "Xây dựng, trật tự đô thị": "Hành chính: đất đai, nhà cửa",
            "Chính sách xã hội": "Hành chính: chế độ, chính sách", "Người có công": "Hành chính: chế độ, chính sách",
            "Cán bộ, công chức": "Hành chính: công chức, công vụ", "Môi trường": "Hành chính: lĩnh vực khác",
            "Tư pháp, hộ tịch": "Hành chính: lĩnh vực khác", "Tài chính, ngân sách": "Hành chính: lĩnh vực khác",
            "Khác": "Khác"}
RECEPTION_WEIGHTS = {"Tiếp thường xuyên": 70, "Thủ trưởng tiếp định kỳ": 22, "Thủ trưởng tiếp đột xuất": 4,
                     "Ủy quyền tiếp": 4}


def head_days(period, rng: random.Random, window: tuple[date, date] | None = None, level: str = "commune") -> list[date]:
    """The head's periodic reception days over the period (``window``, when given), as the law sets them for the
    unit's level (dvcq.calendar.reception): a commune's chairman every Thursday; a district's chairman two days a
    month (the 10th and the 25th); a province's chairman and the head of a body one (the 15th); a workday taken on a
    weekend moves to the Monday; one day missed now and then."""
    start, end = window or (period.start, period.end)
    rule = load_rules().reception.get(level) or load_rules().reception["commune"]
    if rule.per == "week":
        first = start + timedelta(days=(3 - start.weekday()) % 7)
        days = [first + timedelta(days=7 * k) for k in range((end - first).days // 7 + 1)]
    else:
        on = {1: (15,), 2: (10, 25)}.get(rule.days, tuple(range(5, 29, max(1, 24 // rule.days)))[:rule.days])
        days, y, m = [], start.year, start.month
        while date(y, m, 1) <= end:
            for day in on:
                d = date(y, m, day)
                days.append(d + timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return [d for d in days if start <= d <= end and rng.random() > 0.04]


def log_rows(unit, period, rng: random.Random, parent=None, until: date | None = None,
             window: tuple[date, date] | None = None) -> list[dict]:
    """The reception log of one unit: 20..500 visits sorted by date, every rule of the spec respected,
    inside ``window`` (default: the period's; a part's, for a period that straddles the 2025 reform),
    none after ``until`` (the log's Ngày lập, when it comes before the window ends). Cases carry a
    reference shared by their visits (about one visit in six returns with an earlier case); accepted
    cases carry their ngày thụ lý; the chairman receives on his weekly days."""
    n = rng.randint(20, 150) if rng.random() < 0.85 else rng.randint(151, 500)
    start, end = window or (period.start, period.end)
    end = min(end, until) if until else end
    above = f"UBND {parent.name}" if parent is not None else "UBND cấp trên"
    days = [d for d in head_days(period, rng, window, unit.level) if d <= end]
    rows, seen, cases = [], set(), []
    threshold = load_form(LOG).setting("group_threshold")
    while len(rows) < n:
        form_of = _weighted(rng, RECEPTION_WEIGHTS)
        if form_of == "Thủ trưởng tiếp định kỳ" and days:
            received = rng.choice(days)
        elif form_of == "Tiếp thường xuyên":
            received = _workday(rng, start, end)
        else:
            received = start + timedelta(days=rng.randint(0, (end - start).days))
        earlier = [c for c in cases if c["first"] < received]
        if rng.random() < 0.17 and earlier:
            case = rng.choice(earlier)  # the same citizen comes back with the same case
        else:
            kind = _weighted(rng, KIND_WEIGHTS)
            field = _weighted(rng, {k: v for k, v in FIELD_WEIGHTS.items() if k in CONTENTS[kind]})
            name, cccd = citizen(rng)
            case = {"ref": f"VV{period.year % 100:02d}-{len(cases) + 1:03d}", "first": received, "kind": kind,
                    "field": field, "name": name, "cccd": cccd, "village": rng.randint(1, 14),
                    "content": rng.choice(CONTENTS[kind][field]), "competent": rng.random() < (0.5 if kind == "Tố cáo" else 0.72),
                    "level": rng.choices((None, "Phức tạp", "Đặc biệt phức tạp"), (80, 17, 3))[0]
                    if kind != "Kiến nghị, phản ánh" else None, "visits": 0}
            cases.append(case)
        key = (received, case["cccd"], case["name"], case["content"])
        if key in seen or case["name"] in OFFICIALS:
            continue
        seen.add(key)
        group = rng.random() < 0.06
        count = rng.randint(5, 35) if group else rng.choices((1, 2, 3, 4), (70, 17, 9, 4))[0]
        kind, first_visit = case["kind"], case["visits"] == 0
        case["visits"] += 1
        content = case["content"]
        row = {"ngay_tiep": received, "ho_ten": case["name"], "dia_chi": f"Thôn {case['village']}, {unit.name}",
               "so_giay_to": case["cccd"], "ma_vu_viec": case["ref"],
               "noi_dung": (f"Đại diện {count} hộ dân: " + content[0].lower() + content[1:]) if group else content,
               "phan_loai": kind, "linh_vuc": LINH_VUC[case["field"]], "so_nguoi": count, "hinh_thuc": form_of,
               "tham_quyen": "Thuộc thẩm quyền" if case["competent"] else "Không thuộc thẩm quyền"}
        if count >= threshold:
            row["doan_dong_nguoi"] = "Có"
        if not first_visit:
            row["co_quan_da_gq"] = f"UBND {unit.name}"
        if case["competent"] and first_visit:
            accepted = min(end, received + timedelta(days=rng.randint(0, 10)))
            row.update(thu_ly="x", ngay_thu_ly=accepted)
            if case["level"]:
                row["phuc_tap"] = case["level"]
            age = (end - accepted).days
            if rng.random() < (0.55 if age < LIMIT_DAYS else 0.06):
                row["ket_qua"] = "Đang giải quyết"
            else:
                row["ket_qua"] = "Đã giải quyết"
                late = rng.random() < 0.05  # now and then resolved after the limit
                row["ngay_giai_quyet"] = min(end, accepted + timedelta(days=rng.randint(31, 50) if late
                                                                        else rng.randint(1, 28)))
        elif case["competent"]:
            row.update(tra_lai="x", ket_qua="Đã hướng dẫn, chuyển đơn")  # a returning citizen is told the progress
        else:
            row["tra_lai" if rng.random() < 0.5 else "chuyen_don"] = "x"
            row["ket_qua"] = "Đã hướng dẫn, chuyển đơn"
            if "chuyen_don" in row:
                row["ghi_chu"] = f"Chuyển đơn đến {above}"
        if kind == "Tố cáo":
            row["ghi_chu"] = "Giữ bí mật thông tin người tố cáo"
        rows.append(row)
    # a few accepted cases still open long after acceptance: overdue past the legal limit
    old = [r for r in rows if r.get("thu_ly") and (end - r["ngay_thu_ly"]).days > 2 * LIMIT_DAYS]
    for r in rng.sample(old, min(len(old), rng.randint(2, 4))):
        r["ket_qua"] = "Đang giải quyết"
        r.pop("ngay_giai_quyet", None)
    # column (21) Lần giải quyết on the accepted complaints, the rest left empty as most officials will: a commune's
    # chairman resolves first complaints only (Luật Khiếu nại 2011 Điều 17); a sở also resolves second ones against
    # its own offices' first decisions (Điều 20): every third accepted complaint of a declared body. No draw from
    # ``rng``, so the other figures of a seed do not change
    accepted = [r for r in rows if r["phan_loai"] == "Khiếu nại" and r.get("thu_ly")]
    for k, r in enumerate(accepted):
        r["lan_giai_quyet"] = "Lần hai" if unit.level == BODY_LEVEL and k % 3 == 2 else "Lần đầu"
    rows.sort(key=lambda r: r["ngay_tiep"])
    for i, r in enumerate(rows, start=1):
        r["stt"] = i
    return rows


def report_values(form, log_measures: dict, rng: random.Random, launched: bool = False, period=None,
                  window: tuple[date, date] | None = None, required: int = 0) -> dict:
    """Indicator values consistent with every rule of the spec and with the unit's log (of ``window``, the
    part of a period that straddles the 2025 reform, when given); ``required``: the head's minimum of periodic
    reception days the law sets for the unit's level over its days (dvcq.calendar.reception)."""
    v = {ind.code: int(log_measures[ind.log_measure]) for ind in form.indicators if ind.log_measure}
    m = log_measures
    v["TT01"] = rng.randint(2, 12)
    v["TT02"] = v["TT01"] * rng.randint(40, 150)
    v["CC01"] = rng.randint(300, 2500)
    v["CC02"] = int(v["CC01"] * rng.uniform(0.85, 1.0))
    v["CC05"] = int(v["CC02"] * rng.uniform(0.0, 0.04))
    v["CC03"] = int((v["CC02"] - v["CC05"]) * rng.uniform(0.1, 0.4))
    v["CC04"] = v["CC02"] - v["CC05"] - v["CC03"]
    v["CC07"] = rng.randint(50, 200)  # drawn here to keep the draws of earlier samples; set below from its parts
    v["CC08"] = int(v["CC01"] * rng.uniform(0.2, 0.8))
    v["CC10"] = rng.randint(v["CC07"], 260)
    v["CC11"] = round(rng.uniform(85, 99), 1)
    v["TD02"] = required  # the law's minimum for the unit's level and days (Luật Tiếp công dân 2013)
    v["TD01"] = max(0, v["TD02"] - rng.choice((0, 0, 0, 1, 2)))
    # letters: those raised at receptions (from the log) plus those received by post
    mail = [rng.randint(0, 4), rng.randint(0, 1), rng.randint(0, 8)]
    # one letter per case raised at receptions (a returning visit brings no new letter)
    v["TD08"], v["TD09"], v["TD10"] = (int(m["vv_khieu_nai"]) + mail[0], int(m["vv_to_cao"]) + mail[1],
                                       int(m["vv_kien_nghi"]) + mail[2])
    v["TD07"] = v["TD08"] + v["TD09"] + v["TD10"]
    mail_in = rng.randint(0, sum(mail))
    v["TD11"] = int(m["thuoc_tham_quyen"]) + mail_in
    v["TD12"] = int(m["da_giai_quyet"]) + rng.randint(0, mail_in)
    v["TD14"] = int(m["vv_khieu_nai"] + m["vv_to_cao"] + m["vv_kien_nghi"] - m["thuoc_tham_quyen"]) + \
        rng.randint(0, sum(mail) - mail_in)
    v["TD15"] = rng.randint(5, 40)
    v["TD16"] = int(v["TD15"] * rng.uniform(0.6, 1.0))
    v["TD17"] = rng.randint(0, 2)
    v["DC04"] = rng.randint(1500, 6000)
    v["DC03"] = int(v["DC04"] * rng.uniform(0.5, 0.95))
    v["DC01"] = rng.randint(10, 40)
    v["DC02"] = rng.randint(2, 10)
    v["DV01"] = rng.randint(1, 4)
    v["DV02"] = rng.randint(0, v["DV01"])
    v["DV03"] = 1 if launched else 0
    v["DV04"] = rng.randint(0, 3)
    v["DV05"] = rng.randint(0, 8)
    # the unit's catalogue of procedures: its online services are those fully and those partly online, within it
    # (parts of CC07, CC07 a part of CC12); decentralised procedures; discipline (rare)
    v["CC12"] = rng.randint(max(v["CC07"], v["CC10"]), 320)
    v["CC13"] = int(v["CC12"] * rng.uniform(0.3, 0.6))
    v["CC14"] = int((v["CC12"] - v["CC13"]) * rng.uniform(0.3, 0.8))
    v["CC07"] = v["CC13"] + v["CC14"]
    v["CC17"] = rng.randint(0, 12)
    v["CC18"] = rng.choices((0, 1), (92, 8))[0]
    # mediation, people's inspection and community supervision, village rules
    v["HG01"] = rng.randint(4, 30)
    v["HG02"] = int(v["HG01"] * rng.uniform(0.7, 0.95))
    v["GS01"] = rng.randint(1, 6)
    v["GS02"] = rng.randint(0, 5)
    v["GS03"] = rng.randint(0, 3)
    # the Front's and mass organisations' supervision, social criticism and comments, and how many were taken up
    v["MT01"] = rng.randint(1, 6)
    v["MT02"] = rng.randint(0, 3)
    v["MT03"] = rng.randint(3, 25)
    v["MT04"] = int(v["MT03"] * rng.uniform(0.6, 1.0))
    # training, inspections, reviews, media and outreach, funding
    v["BD01"] = rng.randint(1, 4)
    v["BD02"] = v["BD01"] * rng.randint(15, 40)
    v["BD03"] = v["BD01"] * rng.randint(10, 30)
    v["KT01"] = rng.randint(0, 3)
    v["KT02"] = v["KT01"] * rng.randint(1, 4)
    v["SK01"] = 1 if period is not None and period.kind in ("H1", "Y") else 0
    v["TT03"] = rng.randint(5, 40)
    v["TT04"] = min(rng.randint(0, 6), v["TT01"])  # outreach sessions are among the meetings of TT01
    v["KP01"] = rng.randint(5, 60)
    missing = [i.code for i in form.indicators if i.kind != "ratio" and i.code not in v and i.required]
    assert not missing, missing
    broken = [r.id for s in form.sheets for r in s.checks if r.expr and r.expr.evaluate(v.get) is False]
    assert not broken, broken
    return v


def report_texts(rng: random.Random, unit: Unit | None = None) -> dict:
    """One or two sentences per section; "no proposal" is said alone, as an official would. A declared body's
    speak of a department's work (BODY_TEXTS), with its name."""
    body = unit is not None and unit.level == BODY_LEVEL
    out = {}
    for code, options in (BODY_TEXTS if body else TEXTS).items():
        chosen = rng.sample(options, rng.randint(1, 2) if code in ("NN", "KN") else 2)
        out[code] = NO_PROPOSAL if NO_PROPOSAL in chosen else " ".join(chosen)
        if body:
            out[code] = out[code].format(unit=unit.name)
    return out


# --- targets ----------------------------------------------------------------
# Where a unit's targets are written: its plan (sheet "Chỉ tiêu"), its report (column "Chỉ tiêu"), both (the
# same figures), or neither beyond the province's 100% of online services (seed 000) in its report.
TARGET_SOURCES = {"plan": 40, "both": 10, "report": 35, "none": 15}
TARGET_TEXTS = {  # the plan's own words, as the seeds write them
    "CC15": "Tăng số lượng các dịch vụ công được cung cấp trực tuyến toàn trình đạt tỉ lệ 100%",
    "DV03": "Xây dựng, ra mắt mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” theo lộ trình",
    "BD01": "Tổ chức tập huấn về công tác dân vận, dân vận chính quyền cho cán bộ, công chức và cán bộ thôn",
}


def sample_targets(unit, period, v: dict, rng: random.Random, seed=1) -> tuple[list[dict], dict]:
    """A unit's targets near its figures (some reached, some not): the rows of its plan's sheet "Chỉ tiêu"
    (a rate in percent, as a plan writes it) and the targets its report enters (a rate as a fraction)."""
    source = _weighted(rng, TARGET_SOURCES)
    near = lambda x, lo, hi: max(1, round(x * rng.uniform(lo, hi)))  # noqa: E731
    targets = {"CC15": 1.0, "TD01": v["TD02"], "HG03": rng.choice((0.8, 0.85, 0.9)), "BD01": near(v["BD01"], 0.8, 1.5)}
    if source in ("plan", "both"):
        targets.update({"CC06": 0.95, "TT01": near(v["TT01"], 0.8, 1.3), "BD02": near(v["BD02"], 0.85, 1.2),
                        "DV01": max(1, v["DV01"] + rng.choice((-1, 0, 0, 1)))})
        if launch_year(unit, seed) <= period.year:
            targets["DV03"] = 1
    if source == "none":
        targets = {"CC15": 1.0}
    form = load_form(REPORT)
    in_plan = {} if source in ("report", "none") else targets
    rows = [{"chi_tieu": form.main.indicator(code).title, "nam": period.year, "noi_dung": TARGET_TEXTS.get(code),
             "gia_tri": t * 100 if form.main.indicator(code).kind == "ratio" else t}
            for code, t in in_plan.items()]
    return rows, {} if source == "plan" else dict(targets)


def launch_year(unit, seed) -> int:
    return NHU_THANH_ROADMAP.get(unit.code) or random.Random(f"{seed}-{unit.code}-lo-trinh").choice(
        (2021, 2022, 2023, 2023, 2024, 2024, 2025))


def is_launched(unit, period, seed, end: date | None = None) -> bool:
    """Whether the unit launched the model by the period's end (or ``end``, its part's)."""
    year = launch_year(unit, seed)
    return year < period.year or (year == period.year and _launch_day(unit, year, seed) <= (end or period.end))


def _launch_day(unit, year: int, seed) -> date:
    r = random.Random(f"{seed}-{unit.code}-ra-mat")
    return date(year, r.choice((3, 4, 5, 6, 8, 9, 10)), r.randint(1, 28))


def _deadline(spec, year: int, unit, seed):
    """A task's deadline of PLAN's TASKS in the plan's year: a date, or a term as the dropdown writes it."""
    if isinstance(spec, tuple):
        return date(year, *spec)
    if spec == "launch":  # the model is launched on its day in the year of the rollout, else kept up
        return _launch_day(unit, year, seed) if launch_year(unit, seed) == year else "Thường xuyên"
    if spec in ("Năm", "6 tháng đầu năm"):
        return f"{spec} {year}"
    return spec


def _behind(unit, seed) -> set[str]:
    """The roles (keys of PLAN_BODIES) whose tasks lag in a unit's plan: the land and legal officials in
    most units, now and then the culture official too, so a roll-up's table by lead body has bodies behind."""
    r = random.Random(f"{seed}-{unit.code}-cham")
    return set(r.sample(("dc", "tp", "vh"), r.choice((0, 1, 1, 2))))


def plan_rows(unit, period, rng: random.Random, seed=1, parent=None, rollout: bool = True,
              end: date | None = None) -> tuple[dict, dict]:
    """A unit's plan shaped on seed plan 002: its rows by sheet and the cells above its tables.

    10 to 17 of TASKS, numbered within their groups, led by the unit's bodies, dated or recurring (only a
    dated task can be late), one or two bodies of most units behind (``_behind``); the unit's row of the
    rollout (its launch year, seed 002's), none in the issuer's own plan (``rollout`` False); the bodies of
    seed 002's "Tổ chức thực hiện" at the unit's level; the funding from the unit's budget. Progress is as
    of ``end`` (default: the period's end; the last day of a unit's part of a period straddling the reform).
    """
    year, kind = period.year, unit.kind
    end = end or period.end
    party = load_spec()["party_committee"].get(unit.division_type, "")
    above = parent.running_name if parent is not None else "cấp trên"
    fill = dict(kind=kind, parent=above, unit=unit.running_name, year=year, party=party)
    roles = {k: v.format(**fill) for k, v in PLAN_BODIES.get(unit.level, PLAN_BODIES["commune"]).items()}
    chosen = sorted(rng.sample(range(len(TASKS)), rng.randint(10, len(TASKS) - 1)))
    behind = _behind(unit, seed)
    tasks, within = [], {}
    for t in chosen:
        group, text, lead, partner, when, output = TASKS[t]
        within[group] = within.get(group, 0) + 1
        deadline = _deadline(when, year, unit, seed)
        slow = lead in behind
        if isinstance(deadline, date) and deadline <= end:
            status = rng.choices(("Đã hoàn thành", "Đang triển khai", "Chưa triển khai"),
                                 (25, 50, 25) if slow else (88, 10, 2))[0]
        elif isinstance(deadline, date):
            status = rng.choices(("Đang triển khai", "Chưa triển khai", "Đã hoàn thành", "Tạm dừng"),
                                 (50, 35, 10, 5))[0]
        else:  # a recurring task is carried out all along, or not yet begun
            status = rng.choices(("Đang triển khai", "Chưa triển khai"), (55, 45) if slow else (92, 8))[0]
        row = {"nhom": group, "stt": within[group], "noi_dung": text.format(**fill), "chu_tri": roles[lead],
               "phoi_hop": roles.get(partner, ""), "thoi_han": deadline, "san_pham": output, "trang_thai": status}
        if status == "Đã hoàn thành":
            row["ngay_hoan_thanh"] = min(end, deadline - timedelta(days=rng.randint(0, 15)))
        elif status == "Đang triển khai":
            late = isinstance(deadline, date) and deadline <= end
            row["ghi_chu"] = "Chậm tiến độ, đang đôn đốc" if late else "Đang triển khai theo kế hoạch"
        tasks.append(row)
    order = list(dict.fromkeys(g for g, *_ in TASKS))
    tasks.sort(key=lambda r: order.index(r["nhom"]))
    launch = launch_year(unit, seed)
    done = is_launched(unit, period, seed, end)
    road = {"nam": launch, "don_vi": unit.name, "ma_don_vi": unit.code,
            "trang_thai": "Đã ra mắt" if done else "Kế hoạch"}
    if done:
        road["ngay_ra_mat"] = _launch_day(unit, launch, seed)
        road["ghi_chu"] = "Đơn vị làm điểm" if launch < 2023 else "Đã ra mắt theo lộ trình"
    route = f"{unit.level}->{parent.level}" if parent is not None else ""
    cal = calendar_of(parent, for_period(period, parent.era)) if parent is not None else None
    due = [cal.deadline(parse(f"{year}-{k}"), route) for k in ("H1", "Y")] if cal else [None, None]
    dates = f" trước ngày {due[0].day}/{due[0].month} và {due[1].day}/{due[1].month} hằng năm" if all(due) else ""
    office = {"district": "phòng Nội vụ", "province": "Sở Nội vụ"}.get(getattr(parent, "level", ""), "")
    fill.update(via=f" (qua {office})" if office else "", dates=dates)
    used = {r["chu_tri"] for r in tasks} | {roles["dv"], roles["mt"]}
    bodies = [{"co_quan": roles[role], "hinh_thuc": verb, "noi_dung": p.format(**fill)}
              for role, verb, paragraphs in BODY_TASKS if roles[role] in used for p in paragraphs]
    budget = f"ngân sách {kind}"
    funding = [{"nguon": budget[:1].upper() + budget[1:], "so_tien": rng.randrange(10, 60, 5) * 1_000_000,
                "noi_dung": f"Kinh phí thực hiện Kế hoạch được bố trí trong dự toán {budget} năm {year} và các nguồn "
                            "huy động hợp pháp khác theo quy định."}]
    bases = [{"stt": i, **{k: (v.format(**fill) if isinstance(v, str) else v) for k, v in b.items()}}
             for i, b in enumerate(PLAN_BASES, 1)]
    texts = [{"phan": part, "noi_dung": text.format(**fill)} for part, text in PLAN_TEXTS]
    head = {"co_quan_ban_hanh": f"Ủy ban nhân dân {unit.running_name}",
            "cap_ban_hanh": {"commune": "Cấp xã", "district": "Cấp huyện", "province": "Cấp tỉnh"}.get(unit.level),
            "so_ky_hieu": f"{rng.randint(2, 30)}/KH-UBND", "ngay_ban_hanh": _workday(rng, date(year, 1, 5),
                                                                                       date(year, 1, 25)),
            "dia_danh": unit.place, "ten_ke_hoach": PLAN_TITLE.format(**fill), "nguoi_ky": rng.choice(CHAIRS)}
    # the issuer's own plan leaves the rollout to its units' plans (a unit listed in two plans would count once:
    # dvcq.rollup.progress.listed_units)
    rows = {"Kế hoạch": bases, "Mục đích, yêu cầu": texts, "Nhiệm vụ": tasks, "Lộ trình": [road] if rollout else [],
            "Kinh phí": funding,
            "Tổ chức thực hiện": bodies}
    aim = (f"Thực hiện lộ trình của UBND {above}: phấn đấu đến năm 2025, 100% số đơn vị trên địa bàn xây dựng, ra mắt "
           "mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”; ")
    aim += (f"{unit.running_name} đã ra mắt mô hình năm {launch}, tiếp tục duy trì, nâng cao chất lượng:" if launch < year
            else f"{unit.running_name} xây dựng, ra mắt mô hình theo lộ trình:")
    if not rollout:
        aim = (f"Phấn đấu đến năm 2025, 100% số đơn vị trên địa bàn {unit.running_name} xây dựng, ra mắt mô hình "
               "“Chính quyền thân thiện, vì Nhân dân phục vụ” theo lộ trình trong kế hoạch của từng đơn vị.")
    extra = {"Kế hoạch": head, "Lộ trình": {"muc_tieu_nam": 2025, "muc_tieu_ty_le": 100, "muc_tieu": aim}}
    return rows, extra


def sample_units(parent, period, reg, children=None) -> list[tuple[Unit, str | None, tuple[str, ...]]]:
    """The units a sample set is written for, each with its route up (None: the issuer's own files, which
    have no deadline) and its forms: every territorial child (all forms), the parent's declared bodies
    (report and log), the parent's own plan. ``children`` keeps those codes only (a body's or the
    parent's own code among them)."""
    units = [(u, f"{u.level}->{parent.level}", FORMS) for u in reg.children(parent.code)]
    units += [(b, f"{BODY_LEVEL}->{parent.level}", (LOG, REPORT)) for b in reg.bodies(parent.code, period)]
    if parent.level != "country":
        units.append((parent, None, (PLAN,)))
    if children is not None:
        wanted = {str(c) for c in children}
        units = [x for x in units if x[0].code in wanted]
    return units


def write_samples(parent_code: str, period_text: str, out_dir: Path, seed: int = 1, errors: bool = False,
                  forms=FORMS, children=None, district_rollups: bool = True, raw_dir: Path | None = None) -> list[Path]:
    """Write filled workbooks for the units of a parent (see ``sample_units``); returns the paths. For a
    period that straddles the 2025 reform, a district's or commune's files hold the days of its part
    (dvcq.units.registry.unit_part): a district's communes write the part before 1/7/2025; a province's communes
    of 2025 the rest, and its districts of the three-tier registry (dvcq.units.registry.reporters) the part
    before; the era is in each file's metadata.

    A province's districts send it their roll-ups, as a province receives them: each district's is consolidated
    from what ``write_samples`` writes for that district (its communes' forms and its own plan), written in
    ``raw_dir`` (one folder per district, to consolidate them directly) or a temporary folder, and saved when the
    district sends it. ``district_rollups`` False, or only some ``forms`` asked for, writes the districts' own
    forms instead."""
    period = parse(period_text)
    *before, main = reporters(period, parent_code)
    parent, reg = main.parent, for_period(period, main.era)
    if not reg.children(parent.code):
        raise UserError(f"Đơn vị {parent.code} {parent.name} không có đơn vị trực thuộc trong danh mục "
                        f"của kỳ {period.label}.")
    wanted = {str(c) for c in children} if children is not None else None
    units = [(u, f"{u.level}->{parent.level}", FORMS) for g in before for u in g.units
             if wanted is None or u.code in wanted]  # the abolished districts' part before 1/7/2025
    units += sample_units(parent, period, reg, children)
    if not units:
        raise UserError(f"Đơn vị {parent.code} {parent.name} không có đơn vị trực thuộc trong danh mục "
                        f"của kỳ {period.label}.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    late = late_units([u for u, route, _ in units if route and u.level != BODY_LEVEL], seed)
    late |= late_units([u for u, _, _ in units if u.level == BODY_LEVEL], seed)
    log_form = load_form(LOG)
    paths, contents_by_unit = [], []
    rollups = district_rollups and set(forms) == set(FORMS) and parent.level == "province"
    for unit, route, unit_forms in units:
        deadline = (calendar_of(parent, reg).deadline(period, route) if route else None) or \
            period.end + timedelta(days=5)
        hr = rng_for(seed, unit.code, "header")
        prepared = deadline - timedelta(days=hr.randint(2, 5))
        if unit.code in late:
            sent = datetime.combine(deadline + timedelta(days=hr.randint(1, 6)), time(hr.randint(8, 16), hr.randint(0, 59)))
        else:
            day = prepared + timedelta(days=hr.randint(0, (deadline - prepared).days))
            sent = datetime.combine(day, time(hr.randint(7, 16), hr.randint(0, 59)))
        if rollups and unit.level == "district" and route:  # a district sends its roll-up
            paths.append(district_rollup(unit, period, seed, out_dir, raw_dir, sent))
            continue
        header = {"unit_code": unit.code, "unit_name": unit.name, "period": period,
                  "preparer": hr.choice(OFFICIALS), "prepared_on": prepared}
        part = unit_part(period, unit)
        days = (part.start, part.end)
        common = dict(header=header, unit_level=unit.level, saved_at=sent, era=unit.era if period.straddles else "")
        above = for_period(period, unit.era).parent(unit) if unit is parent else parent
        rows = log_rows(unit, period, rng_for(seed, unit.code, LOG), above, until=prepared, window=days)
        contents = {}
        if LOG in forms and LOG in unit_forms:
            contents[LOG] = Content(rows={log_form.main.name: rows}, **common)
        if REPORT in forms and REPORT in unit_forms:
            cols = {log_form.main.name: {f.name: [r.get(f.name) for r in rows] for f in log_form.main.fields}}
            rr = rng_for(seed, unit.code, REPORT)
            found = unit_minimum(unit, days, for_period(period, unit.era))
            values = report_values(load_form(REPORT), measures.compute(log_form, cols), rr,
                                   is_launched(unit, period, seed, part.end), period, days, found.days if found else 0)
            contents[REPORT] = Content(indicators=values, texts=report_texts(rr, unit), **common)
            plan_targets, contents[REPORT].targets = sample_targets(unit, period, values,
                                                                    rng_for(seed, unit.code, "chi-tieu"), seed)
        if PLAN in forms and PLAN in unit_forms:
            rows, extra = plan_rows(unit, period, rng_for(seed, unit.code, PLAN), seed, above,
                                    rollout=unit is not parent, end=part.end)
            if REPORT in contents:
                rows["Chỉ tiêu"] = plan_targets
            contents[PLAN] = Content(rows=rows, extra=extra, **common)
        if contents:
            contents_by_unit.append((unit, contents))
    territorial = [(u, c) for u, c in contents_by_unit if u.parent_code == parent.code and u.level != BODY_LEVEL]
    injected = inject_errors(territorial or contents_by_unit, period, seed) if errors else []
    for unit, contents in contents_by_unit:
        for fid in FORMS:
            if fid in contents:
                path = out_dir / file_name(fid, unit.code, unit.name, period)
                paths.append(build_form(load_form(fid), path, contents[fid]))
    if errors:
        (out_dir / ERRORS_FILE).write_text(json.dumps(injected, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths


def district_rollup(district: Unit, period, seed, out_dir: Path, raw_dir: Path | None, sent: datetime) -> Path:
    """A district's roll-up of its sample (its communes' forms and its own plan), consolidated by dvcq as the district
    would, saved at ``sent``; the raw files in ``raw_dir`` (a folder per district) when given, else discarded."""
    with tempfile.TemporaryDirectory(prefix="dvcq-mau-") as tmp:
        folder = Path(raw_dir) / f"{district.code}-{file_slug(district.name)}" if raw_dir else Path(tmp) / "nop"
        write_samples(district.code, period.code, folder, seed=seed)
        out = rollup_path(out_dir, district, period)
        consolidate_folder(folder, period=period.code, parent=district.code, out=out, db=Path(tmp) / "lich-su.sqlite",
                           workers=1, now=sent)
    return out


def late_units(units, seed) -> set[str]:
    """1-2 units (none when fewer than 3) that send after the deadline: a deterministic pick."""
    k = 0 if len(units) < 3 else (1 if len(units) < 8 else 2)
    ranked = sorted(units, key=lambda u: random.Random(f"{seed}-{u.code}-late").random())
    return {u.code for u in ranked[:k]}


# one error of each kind: (code, form, what) -- applied in turn to the units, cycling
ERROR_KINDS = (("enum", LOG, "phan_loai"), ("required", REPORT, "TT01"), ("type", REPORT, "DC01"),
               ("range", REPORT, "DV04"), ("parts", REPORT, "TD07"), ("period", LOG, "ngay_tiep"),
               ("rule", LOG, "ngay_giai_quyet"))


def inject_errors(contents_by_unit: list, period, seed) -> list[dict]:
    """Put one known error of each kind into the contents (before writing); return where each is."""
    out = []
    order = sorted(range(len(contents_by_unit)), key=lambda i: random.Random(f"{seed}-err-{i}").random())
    for n, (code, fid, target) in enumerate(ERROR_KINDS):
        unit, contents = contents_by_unit[order[n % len(order)]]
        if fid not in contents:
            continue
        form = load_form(fid)
        sheet = form.main
        name = file_name(fid, unit.code, unit.name, period)
        c = contents[fid]
        if fid == REPORT:
            if code == "required":
                value = c.indicators[target] = None
            elif code == "type":
                value = c.indicators[target] = "mười hai"
            elif code == "range":
                value = c.indicators[target] = -3
            else:  # TD08 + TD09 + TD10 above TD07 (a breakdown, "parts"): the validator points at TD07
                c.indicators["TD08"] += 2
                value = c.indicators[target]
            cell = sheet.indicator_cell(target)
        else:
            rows = c.rows[sheet.name]
            # a different row for each log error so that several can share a file
            i = {"enum": 1, "period": 3}.get(code)
            if code == "rule":
                i = next(j for j, r in enumerate(rows) if r.get("ngay_giai_quyet") and j not in (1, 3))
            r = rows[i]
            if code == "enum":
                value = r[target] = "Khieu nai xyz"
            elif code == "period":
                value = r[target] = period.end + timedelta(days=20)
                r.pop("ngay_giai_quyet", None)
                r["ket_qua"] = "Đang giải quyết"
            else:
                value = r[target] = r["ngay_tiep"] - timedelta(days=3)
            cell = cell_ref(sheet.first_row + i, sheet.col(target))
        out.append({"file": name, "unit_code": unit.code, "sheet": sheet.name, "cell": cell, "code": code,
                    "value": value.isoformat() if isinstance(value, date) else value})
    return out
