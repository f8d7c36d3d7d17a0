"""Codes and ID numbers that Excel stored as numbers: their digits and the leading zeros Excel dropped.

Excel turns `00001` typed into a General cell into the number 1, and a CCCD `038160929970` into
38160929970. The forms make those cells Text (spec field ``format``); files filled in older or
retyped forms are still read back correctly here, and the caller warns.
"""
from __future__ import annotations

from dataclasses import dataclass

# Every CCCD starts with a 3-digit province code 001-096 and every CMND with a 2-digit one 01-..,
# so Excel drops one or two zeros of a CCCD (10 or 11 digits left) and one of a CMND (8 left).
ID_RESTORE = {11: (12, "CCCD"), 10: (12, "CCCD"), 8: (9, "CMND")}


def digits(value) -> str | None:
    """The digits of a whole non-negative number a cell holds (1.0 -> '1'), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value < 0 or not float(value).is_integer():
        return None
    return str(int(value))


def cell_text(value) -> str:
    """A cell value as the text that was typed: whole numbers without '.0', None as ''."""
    if value is None:
        return ""
    d = digits(value)
    return d if d is not None else str(value).strip()


@dataclass(frozen=True)
class RestoredId:
    text: str  # the ID number with its zeros back
    kind: str  # CCCD | CMND

    @property
    def length(self) -> int:
        return len(self.text)


def restore_id(number_digits: str) -> RestoredId | None:
    """A CCCD/CMND that lost its leading zeros, back to 12 (or 9) digits; None when none were lost."""
    target = ID_RESTORE.get(len(number_digits))
    if target is None:
        return None
    width, kind = target
    return RestoredId(number_digits.zfill(width), kind)


def padded(code: str, widths) -> list[str]:
    """``code`` zero-padded to each longer width (digits only): '1', (2, 3, 5) -> ['01', '001', '00001']."""
    if not code.isdigit():
        return []
    return [code.zfill(w) for w in sorted(widths) if w > len(code)]
