"""Figures as the pages show them: numbers without noise, percentages with two decimals."""

from django import template
from django.utils.translation import gettext as _

from zhaoshang.core import quantities
from zhaoshang.core.periods import AHEAD, BEHIND, ON_PACE

register = template.Library()


@register.filter
def num(value, places=2):
    """12345.60 → "12,345.6"; None → "—"."""
    if value is None or value == "":
        return "—"
    text = quantities.plain(value, int(places))
    whole, _dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


@register.filter
def pct(value):
    return "—" if value is None else quantities.format_percent(value)


@register.filter
def pace_label(value):
    return {AHEAD: _("Ahead"), ON_PACE: _("On pace"), BEHIND: _("Behind")}.get(value, "—")


@register.filter
def pace_colour(value):
    return {AHEAD: "green", ON_PACE: "azure", BEHIND: "red"}.get(value, "secondary")


@register.filter
def movement(value):
    if value is None:
        return _("new")
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "—"
