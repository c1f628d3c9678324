"""Exact numbers as Chinese statistics use them: measurement units, conversion, rounding,
percentages and the way amounts are written in prose.

Money is stored in 万元 and foreign investment in 万美元; this module is the only place
where a value changes unit. Percentages are rounded half-up to two decimals (148.505 →
148.51), never with banker's rounding and never truncated.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CNY, USD, AREA_MU, AREA_M2, COUNT, RATIO = "cny", "usd", "mu", "m2", "count", "ratio"

# unit → (dimension, how many of the dimension's base unit one of it is).
# Bases: 万元 for yuan, 万美元 for dollars, 亩 for land, 平方米 for floor area.
UNITS = {
    "元": (CNY, Decimal("0.0001")),
    "万元": (CNY, Decimal(1)),
    "亿元": (CNY, Decimal(10000)),
    "美元": (USD, Decimal("0.0001")),
    "万美元": (USD, Decimal(1)),
    "亿美元": (USD, Decimal(10000)),
    "亩": (AREA_MU, Decimal(1)),
    "公顷": (AREA_MU, Decimal(15)),
    "平方米": (AREA_M2, Decimal(1)),
    "个": (COUNT, Decimal(1)),
    "次": (COUNT, Decimal(1)),
    "家": (COUNT, Decimal(1)),
    "批次": (COUNT, Decimal(1)),
    "条": (COUNT, Decimal(1)),
    "人": (COUNT, Decimal(1)),
    "%": (RATIO, Decimal(1)),
}
SQUARE_METRES_PER_MU = Decimal(10000) / Decimal(15)


class UnitMismatch(ValueError):
    """Two units of different dimensions (亿元 and 万美元) cannot be converted."""


def to_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def convert(value, from_unit, to_unit):
    """`value` in `from_unit` expressed in `to_unit`, exactly (Decimal)."""
    if value is None:
        return None
    try:
        dim_from, factor_from = UNITS[from_unit]
        dim_to, factor_to = UNITS[to_unit]
    except KeyError as exc:
        raise UnitMismatch(f"unknown unit {exc.args[0]!r}") from exc
    if {dim_from, dim_to} == {AREA_MU, AREA_M2}:
        # Land and floor area are kept in different units but are the same dimension:
        # a parcel's area written in 平方米 (an imported ledger) is stored in 亩.
        per_mu = SQUARE_METRES_PER_MU
        factor_from *= per_mu if dim_from == AREA_MU else 1
        factor_to *= per_mu if dim_to == AREA_MU else 1
    elif dim_from != dim_to:
        raise UnitMismatch(f"cannot convert {from_unit} to {to_unit}")
    return to_decimal(value) * factor_from / factor_to


def mu_to_square_metres(mu):
    return to_decimal(mu) * SQUARE_METRES_PER_MU


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(9)}


def round_half_up(value, places=2):
    """Round a number half away from zero to `places` decimals."""
    if value is None:
        return None
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(numerator, denominator, places=2):
    """numerator ÷ denominator as a percentage rounded half-up, or None when undefined."""
    numerator, denominator = to_decimal(numerator), to_decimal(denominator)
    if numerator is None or not denominator:
        return None
    return round_half_up(numerator * 100 / denominator, places)


def growth(current, previous, places=2):
    """Year-on-year growth in percent ((current − previous) ÷ previous), or None."""
    current, previous = to_decimal(current), to_decimal(previous)
    if current is None or not previous:
        return None
    return round_half_up((current - previous) * 100 / abs(previous), places)


def plain(value, places=2):
    """A number rounded half-up with trailing zeros removed: 12.50 → "12.5", 3.00 → "3"."""
    text = f"{round_half_up(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_percent(value):
    """148.505 → "148.51%" (always two decimals, as percentages are published)."""
    return f"{round_half_up(value, 2):f}%"


def format_cny(amount_wan):
    """An amount in 万元 as prose writes it: ≥ 1 亿 in 亿元, else in 万元, no trailing zeros."""
    amount_wan = to_decimal(amount_wan)
    if abs(amount_wan) >= 10000:
        return f"{plain(convert(amount_wan, '万元', '亿元'))}亿元"
    return f"{plain(amount_wan)}万元"


def format_usd(amount_wan_usd):
    """Foreign investment in 万美元 (≥ 1 亿美元 in 亿美元), no trailing zeros."""
    amount = to_decimal(amount_wan_usd)
    if abs(amount) >= 10000:
        return f"{plain(convert(amount, '万美元', '亿美元'))}亿美元"
    return f"{plain(amount)}万美元"
