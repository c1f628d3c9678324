"""Hand-computed figures: units, half-up rounding, growth, periods and time progress."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.core import quantities as numbers
from zhaoshang.core.periods import AHEAD, BEHIND, ON_PACE, Period, pace


def test_fdi_target_in_yi_dollars_against_actuals_in_wan_dollars():
    """A target of 0.4 亿美元 and reported FDI of 5,940.2 万美元 is 148.51% (half-up);
    banker's rounding would print 148.50%."""
    target = numbers.convert(Decimal("0.4"), "亿美元", "万美元")
    assert target == Decimal("4000")
    assert numbers.percent(Decimal("5940.2"), target) == Decimal("148.51")
    assert f"{(Decimal('5940.2') * 100 / target).quantize(Decimal('0.01'))}" == "148.50"


def test_counts_and_growth():
    assert numbers.percent(21, 18) == Decimal("116.67")
    assert numbers.format_percent(numbers.percent(21, 18)) == "116.67%"
    assert numbers.growth(Decimal(11322), Decimal(8500)) == Decimal("33.20")
    assert numbers.growth(Decimal(80), Decimal(100)) == Decimal("-20.00")
    assert numbers.growth(5, 0) is None
    assert numbers.percent(5, None) is None


def test_conversion_refuses_other_dimensions():
    with pytest.raises(numbers.UnitMismatch):
        numbers.convert(1, "亿元", "万美元")
    assert numbers.convert(Decimal("3.5"), "亿元", "万元") == Decimal("35000")
    assert numbers.convert(Decimal("1200"), "元", "万元") == Decimal("0.12")


def test_prose_amounts():
    assert numbers.format_cny(Decimal("125000")) == "12.5亿元"
    assert numbers.format_cny(Decimal("385000.00")) == "38.5亿元"
    assert numbers.format_cny(Decimal("30000")) == "3亿元"
    assert numbers.format_cny(Decimal("8500")) == "8500万元"
    assert numbers.format_cny(Decimal("12345.678")) == "1.23亿元"
    assert numbers.format_usd(Decimal("5120")) == "5120万美元"
    assert numbers.format_usd(Decimal("15000")) == "1.5亿美元"


@settings(deadline=None)  # a busy CI machine must not turn slowness into a failure
@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4))
def test_conversion_round_trip_is_exact(value):
    there = numbers.convert(value, "万元", "亿元")
    assert numbers.convert(there, "亿元", "万元") == value


def test_period_codes_and_labels():
    cases = {
        "2026M03": ("2026年3月", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
        "2026Q1": ("2026年第一季度", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        "2026H1": ("2026年上半年", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        "2026Y": ("2026年", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        "2026C08": ("2026年1-8月", datetime.date(2026, 1, 1), datetime.date(2026, 8, 31)),
        "2024M02": ("2024年2月", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
    }
    for code, (label, start, end) in cases.items():
        period = Period.parse(code)
        assert (period.label, period.start, period.end, period.code) == (label, start, end, code)
    for bad in ("2026M13", "2026Q5", "26Y", "2026-03", ""):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_time_progress_and_pace():
    assert Period.half(2026, 1).time_progress() == Decimal("50.00")
    assert Period.cumulative(2026, 8).time_progress() == Decimal("66.67")
    assert Period.whole_year(2026).time_progress() == Decimal("100.00")
    # Mid-month: 15 of 30 days of June → 5.5 months.
    assert Period.whole_year(2026).time_progress(as_of=datetime.date(2026, 6, 15)) == Decimal(
        "45.83"
    )
    assert pace(Decimal("71"), Decimal("50")) == AHEAD
    assert pace(Decimal("50"), Decimal("50")) == ON_PACE
    assert pace(Decimal("49.99"), Decimal("50")) == BEHIND
    assert Period.quarter(2026, 2).same_period_last_year().code == "2025Q2"
    assert Period.month(2026, 5).year_to_date().code == "2026C05"
