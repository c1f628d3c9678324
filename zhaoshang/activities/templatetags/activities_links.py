"""`safe_url`: a record's page, or "" while the app that owns it has no page for it yet.

Projects and enterprises get their pages from other apps; until those exist a link to them
is left out instead of failing the whole page.
"""

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def safe_url(obj):
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""
