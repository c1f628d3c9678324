"""The request a change happens in: who made it and from where.

The middleware sets it for every request; management commands and tests leave it empty,
so their changes are logged without a user.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class ChangeContext:
    user: object = None
    ip: str | None = None


_current = ContextVar("zhaoshang_change_context", default=None)


def current():
    return _current.get() or ChangeContext()


def activate(context):
    return _current.set(context)


def deactivate(token):
    _current.reset(token)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For when configured."""
    from django.conf import settings

    if getattr(settings, "AXES_IPWARE_PROXY_COUNT", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
