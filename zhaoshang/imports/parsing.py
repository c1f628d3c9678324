"""Lenient and strict parsing of the cells staff type: amounts with units ("3.5亿",
"3,500万", "三千万元", "约2亿"), dates (2024.3.8, 2024年3月8日, Excel serials), yes/no
words, whole numbers. A parser returns (value, warning) or raises CellError with the
Chinese text of the problem; the caller adds the row and the column.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from zhaoshang.core.quantities import UNITS, UnitMismatch, convert


class CellError(ValueError):
    """A cell that cannot be read; the message is the Chinese description of the problem."""


def unreadable(raw):
    return CellError(_("cannot read “%(value)s”") % {"value": raw})


EXCEL_EPOCH = datetime.date(1899, 12, 30)
APPROXIMATE = re.compile(r"^(约|大约|近|超|超过|逾|将近|接近|不少于|不低于)|(左右|以上|多|余)$")
# Magnitudes written after a number; 元/美元 (or the header's currency) follows.
MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
              "千": Decimal(1000), "百": Decimal(100)}  # fmt: skip
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
CHINESE_DIGITS = set("零〇一二两三四五六七八九十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟")
CELL_UNIT = re.compile(r"(万亿|亿|万|千|百)?(美元|元|亩|平方米|㎡|m²|m2|公顷)?$")
AREA_ALIASES = {"㎡": "平方米", "m²": "平方米", "m2": "平方米"}
# The currency of a field's dimension, for magnitudes written without one ("3.5亿").
CURRENCY = {"cny": "元", "usd": "美元"}


def clean_text(value):
    """A cell as text: None for empty, numbers without a trailing ".0"."""
    if value is None:
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    text = str(value).strip()
    return text or None


def _number(text):
    """Decimal of a plain number with thousands separators, or None."""
    text = text.replace(",", "").replace("，", "").replace(" ", "")
    if NUMBER.match(text):
        return Decimal(text)
    if text and set(text) <= CHINESE_DIGITS:
        import cn2an

        try:
            return Decimal(str(cn2an.cn2an(text, "smart")))
        except (ValueError, KeyError, IndexError):
            return None
    return None


def parse_quantity(raw, stored_unit, header_unit=None):
    """(Decimal in `stored_unit`, warning) of an amount cell; header_unit applies to a plain
    number ("3500" under 「总投资（万元）」), a unit in the cell wins ("3.5亿" → 35000 万元)."""
    if isinstance(raw, bool):
        raise unreadable(raw)
    if isinstance(raw, int | float):
        try:
            number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation as exc:
            raise unreadable(raw) from exc
        return _to_stored(number, header_unit or stored_unit, stored_unit, raw), None
    text = clean_text(raw)
    if text is None:
        return None, None
    text = text.translate(FULL_WIDTH)
    warning = None
    core = APPROXIMATE.sub("", text)
    if core != text:
        warning = _("“%(value)s” is approximate; taken as %(core)s") % {"value": text, "core": core}
    core = core.replace(" ", "")
    match = CELL_UNIT.search(core)
    magnitude, unit = match.group(1), match.group(2)
    number_text = core[: match.start()] if match.group(0) else core
    number = _number(number_text)
    if number is None and magnitude is None and unit is None:
        number = _number(core)  # "一千二百万" read whole by cn2an
        if number is not None:
            unit = CURRENCY.get(UNITS[stored_unit][0])
            if unit is None:
                raise unreadable(text)
    if number is None:
        raise unreadable(text)
    unit = AREA_ALIASES.get(unit, unit)
    if magnitude:
        number *= MAGNITUDES[magnitude]
        from_unit = unit or CURRENCY.get(UNITS[stored_unit][0])
        if from_unit is None:
            raise unreadable(text)
    else:
        from_unit = unit or header_unit or stored_unit
    return _to_stored(number, from_unit, stored_unit, text), warning


def _to_stored(number, from_unit, stored_unit, raw):
    try:
        return convert(number, from_unit, stored_unit)
    except UnitMismatch as exc:
        raise CellError(
            _("“%(value)s” is in %(unit)s, which cannot be converted to %(stored)s")
            % {"value": raw, "unit": from_unit, "stored": stored_unit}
        ) from exc


FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(\d{1,2})\s*日?)?\s*(?:月)?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(raw):
    """(date, warning) from a date cell, an Excel serial, or text like 2024.3.8 / 2024年3月8日.
    A month without a day ("2024年3月") is taken as the 1st, with a warning."""
    if isinstance(raw, datetime.datetime):
        return raw.date(), None
    if isinstance(raw, datetime.date):
        return raw, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            if 19000101 <= raw <= 21001231 and float(raw).is_integer():
                return _compact(str(int(raw)), raw), None
            return EXCEL_EPOCH + datetime.timedelta(days=int(raw)), None
        raise unreadable(raw)
    text = clean_text(raw)
    if text is None:
        return None, None
    text = text.translate(FULL_WIDTH)
    match = DATE_TEXT.match(text)
    if match:
        year, month, day = match.groups()
        warning = None
        if day is None:
            day = 1
            warning = _("“%(value)s” has no day; taken as the 1st") % {"value": text}
        try:
            return datetime.date(int(year), int(month), int(day)), warning
        except ValueError as exc:
            raise CellError(_("“%(value)s” is not a real date") % {"value": text}) from exc
    if COMPACT_DATE.match(text):
        return _compact(text, text), None
    raise unreadable(text)


def _compact(text, raw):
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise CellError(_("“%(value)s” is not a real date") % {"value": raw}) from exc


def parse_int(raw):
    """(int, warning) of a count; "120人" and "约120" are read, fractions refused."""
    if isinstance(raw, bool):
        raise unreadable(raw)
    if isinstance(raw, int):
        return raw, None
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw), None
        raise CellError(_("“%(value)s” is not a whole number") % {"value": raw})
    text = clean_text(raw)
    if text is None:
        return None, None
    text = text.translate(FULL_WIDTH)
    core = APPROXIMATE.sub("", text).rstrip("人个家次名项")
    warning = None
    if core != text.rstrip("人个家次名项"):
        warning = _("“%(value)s” is approximate; taken as %(core)s") % {"value": text, "core": core}
    number = _number(core)
    if number is None:
        raise unreadable(text)
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number") % {"value": text})
    return int(number), warning


TRUE_WORDS = {"是", "有", "√", "✓", "y", "yes", "true", "1", "对", "是的"}
FALSE_WORDS = {"否", "无", "×", "✗", "n", "no", "false", "0", "不是", "-", "—"}


def parse_bool(raw):
    if isinstance(raw, bool):
        return raw, None
    text = clean_text(raw)
    if text is None:
        return None, None
    word = text.lower()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    raise unreadable(text)


def parse_text(raw, max_length=None):
    text = clean_text(raw)
    if text is None:
        return None, None
    if isinstance(raw, datetime.date):
        text = raw.isoformat()[:10]
    if max_length and len(text) > max_length:
        raise CellError(
            _("“%(value)s…” is longer than %(limit)s characters")
            % {"value": text[:20], "limit": max_length}
        )
    return text, None
