"""Django's own messages whose Chinese translation Django 5.2 does not ship yet.

Django 5.2 changed these msgids and its zh_Hans catalogue still carries the old ones, so
without this file the message appears in English. Listing them here puts them in the core
catalogue, which translates them.
"""

from django.utils.translation import ngettext_lazy

MISSING = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
