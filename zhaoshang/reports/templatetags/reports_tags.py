"""A run or a table cell of a report document as HTML: a figure links to its records."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def run(value):
    if isinstance(value, str):
        return value
    text = value.get("text", "")
    if value.get("url"):
        return format_html(
            '<a href="{}" data-figure="{}">{}</a>', value["url"], value.get("value", ""), text
        )
    return text


@register.filter
def is_numeric(block, index):
    numeric = block.get("numeric") or []
    return index < len(numeric) and numeric[index]
