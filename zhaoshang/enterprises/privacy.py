"""Contacts' phone numbers are personal information: the one rule for showing them.

Bureau staff and unit reporters (who work with the contacts) and superusers see full
numbers; every other role (leaders, viewers) sees them masked, e.g. 138****5678. Pages,
tables and exports all call `phone_for(user, contact)` (or `mask_phone` when the user
may not see them), never the raw field.
"""

from zhaoshang.core.scope import user_roles

FULL_PHONE_ROLES = frozenset({"bureau", "reporter"})


def can_see_full_phone(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(FULL_PHONE_ROLES & set(user_roles(user)))


def mask_phone(value):
    """Keep the first 3 and last 4 characters of a number, star the middle: 138****5678."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) >= 8:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if len(value) > 2:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


def phone_for(user, contact_or_phone):
    """The phone number of a contact (or a raw number) as this user may see it."""
    phone = getattr(contact_or_phone, "phone", contact_or_phone) or ""
    return phone if can_see_full_phone(user) else mask_phone(phone)
