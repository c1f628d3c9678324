"""Reporting periods: month, quarter, half year, year and January-to-month cumulative.

A period is a closed range of dates with a Chinese label and a compact code for URLs
("2026M03", "2026Q1", "2026H1", "2026Y", "2026C08" for 1–8月). Time progress (时间进度) is
the share of the year elapsed at the period's end, counted in months as bureaus publish it
(上半年 = 50.00%, 1–8月 = 66.67%); a date inside a month counts that month by its days.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.core.quantities import round_half_up

MONTH, QUARTER, HALF, YEAR, CUMULATIVE = "M", "Q", "H", "Y", "C"
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
CODE = re.compile(r"^(\d{4})(?:(M)(\d{1,2})|(Q)([1-4])|(H)([12])|(Y)|(C)(\d{1,2}))$")


@dataclass(frozen=True)
class Period:
    year: int
    kind: str
    first_month: int
    last_month: int

    @classmethod
    def month(cls, year, month):
        return cls(year, MONTH, month, month)

    @classmethod
    def quarter(cls, year, quarter):
        return cls(year, QUARTER, 3 * quarter - 2, 3 * quarter)

    @classmethod
    def half(cls, year, half):
        return cls(year, HALF, 1 if half == 1 else 7, 6 if half == 1 else 12)

    @classmethod
    def whole_year(cls, year):
        return cls(year, YEAR, 1, 12)

    @classmethod
    def cumulative(cls, year, month):
        """January to `month` (1–8月)."""
        return cls(year, CUMULATIVE, 1, month)

    @classmethod
    def parse(cls, code):
        """A period from its code; ValueError for anything else."""
        match = CODE.match(code.strip().upper())
        if not match:
            raise ValueError(f"not a period code: {code!r}")
        year = int(match.group(1))
        if match.group(2):
            month = int(match.group(3))
            if not 1 <= month <= 12:
                raise ValueError(f"no month {month}")
            return cls.month(year, month)
        if match.group(4):
            return cls.quarter(year, int(match.group(5)))
        if match.group(6):
            return cls.half(year, int(match.group(7)))
        if match.group(8):
            return cls.whole_year(year)
        month = int(match.group(10))
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month}")
        return cls.cumulative(year, month)

    @property
    def code(self):
        if self.kind == MONTH:
            return f"{self.year}M{self.first_month:02d}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.last_month // 3}"
        if self.kind == HALF:
            return f"{self.year}H{1 if self.last_month == 6 else 2}"
        if self.kind == YEAR:
            return f"{self.year}Y"
        return f"{self.year}C{self.last_month:02d}"

    @property
    def label(self):
        if self.kind == MONTH:
            return f"{self.year}年{self.first_month}月"
        if self.kind == QUARTER:
            return f"{self.year}年第{QUARTER_NAMES[self.last_month // 3]}季度"
        if self.kind == HALF:
            return f"{self.year}年{'上' if self.last_month == 6 else '下'}半年"
        if self.kind == YEAR:
            return f"{self.year}年"
        if self.last_month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.last_month}月"

    @property
    def start(self):
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self):
        return datetime.date(
            self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1]
        )

    def months(self):
        return list(range(self.first_month, self.last_month + 1))

    def contains(self, day):
        return self.start <= day <= self.end

    def same_period_last_year(self):
        return Period(self.year - 1, self.kind, self.first_month, self.last_month)

    def year_to_date(self):
        """January to this period's last month: what completion of the annual target uses."""
        return Period.cumulative(self.year, self.last_month)

    def time_progress(self, as_of=None):
        """Share of the year elapsed at the period end (or at `as_of` inside it), in percent."""
        if as_of is None or as_of >= self.end:
            months = Decimal(self.last_month)
        elif as_of < datetime.date(self.year, 1, 1):
            months = Decimal(0)
        else:
            days = calendar.monthrange(as_of.year, as_of.month)[1]
            months = Decimal(as_of.month - 1) + Decimal(as_of.day) / Decimal(days)
        return round_half_up(months * 100 / 12, 2)

    def __str__(self):
        return self.label


AHEAD, ON_PACE, BEHIND = "ahead", "on_pace", "behind"


def pace(completion_rate, time_progress, tolerance=Decimal("0")):
    """Whether the task keeps pace with time (时间过半、任务过半): ahead, on pace or behind."""
    if completion_rate is None or time_progress is None:
        return None
    difference = Decimal(completion_rate) - Decimal(time_progress)
    if difference > tolerance:
        return AHEAD
    if difference < -tolerance:
        return BEHIND
    return ON_PACE
