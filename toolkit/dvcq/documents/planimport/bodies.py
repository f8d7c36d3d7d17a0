"""The bodies of "Tổ chức thực hiện": who is given what ("Giao Phòng Nội vụ chủ trì ...", "1. Văn phòng - Thống
kê: ...", "Đề nghị Ủy ban MTTQ ..."), and whether the issuer can order them ("giao") or only ask ("đề nghị":
the Front, mass organisations, Party bodies, the People's Council)."""
from __future__ import annotations

import re

from dvcq.text import fold

_VERBS = ("chủ trì", "phối hợp", "căn cứ", "thường xuyên", "có trách nhiệm", "chịu trách nhiệm", "tham mưu",
          "chủ động", "tổ chức", "theo dõi", "hướng dẫn", "triển khai", "thực hiện", "chỉ đạo", "xây dựng",
          "đôn đốc", "kiểm tra", "tăng cường", "đẩy mạnh", "tuyên truyền", "bố trí", "nghiên cứu", "là cơ quan",
          "làm đầu mối", "giúp", "cân đối", "rà soát", "quan tâm", "phát huy", "tập trung", "định kỳ", "hằng năm",
          "hàng năm", "đảm bảo", "bảo đảm", "lãnh đạo", "vận động", "giám sát", "tiếp tục", "nâng cao",
          "cung cấp", "phổ biến")
# "các tổ chức chính trị - xã hội" is a body, not the verb "tổ chức"
_VERB_RE = re.compile(r"(?<![\w])(?<!các )(?<!những )(?<!giao )(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) +
                      r")(?![\w])(?! chính trị| đoàn thể| xã hội| thành viên| cơ sở đảng)")
ASK = re.compile(r"^(Giao|giao|Đề nghị|đề nghị|Yêu cầu|yêu cầu)\s+(?:cho\s+)?")
# bodies the issuer cannot order: the Front, mass organisations, Party bodies, the People's Council
_REQUESTED = re.compile(r"\b(?:mat tran|mttq|ubmttq|doan the|chinh tri xa hoi|hoi nong dan|phu nu|cuu chien binh|"
                        r"doan thanh nien|doan tncs|lien doan lao dong|dan van|huyen uy|tinh uy|thanh uy|dang uy|"
                        r"thi uy|quan uy|cap uy|ban tuyen giao|uy ban kiem tra|hdnd|hoi dong nhan dan|chi bo)\b")
_UNDER_ISSUER = ("van phong hdnd", "van phong hoi dong nhan dan", "phong ", "so ", "uy ban nhan dan", "ubnd")


def verb_for(body: str) -> str:
    # commas kept as a word of their own: "thuộc tỉnh, Ủy ban nhân dân" is no "Tỉnh ủy"
    f = fold(re.sub(r"[,;]", " ¦ ", body))
    if f.startswith(_UNDER_ISSUER):
        return "giao"
    return "đề nghị" if _REQUESTED.search(f) else "giao"


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def body_of(text: str) -> tuple[str, str, str] | None:
    """(body, verb, rest of the sentence) of a "Tổ chức thực hiện" item; None when no body is found."""
    s = text.strip()
    asked = None
    m = ASK.match(s)
    if m:
        asked = "đề nghị" if fold(m.group(1)) == "de nghi" else "giao"
        s = s[m.end():]
    # "Ban Chỉ đạo thực hiện Quy chế dân chủ ..." is a name, its "thực hiện" no verb
    verb = next((v for v in _VERB_RE.finditer(s) if not fold(s[:v.start()]).endswith("ban chi dao")), None)
    colon = s.find(":")
    if verb and verb.start() > 0 and (colon < 0 or verb.start() < colon) and _starts_upper_word(s[:verb.start()]):
        body, rest = s[:verb.start()], s[verb.start():]
    elif 0 < colon <= 150:
        body, rest = s[:colon], s[colon + 1:]
    elif len(s) <= 150 and not s.rstrip().endswith("."):
        body, rest = s, ""
    else:
        return None
    body = body.strip(" .:;,-–")
    if not body:
        return None
    return cap(body), asked or verb_for(body), cap(rest.strip())


def _starts_upper_word(s: str) -> bool:
    return any(w[:1].isupper() for w in s.split())
