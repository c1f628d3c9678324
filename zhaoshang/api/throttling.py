"""Rate limit per token (or per session user): a fixed window counted in the database, so
every gunicorn worker sees the same count; over the limit answers 429 with Retry-After."""

import time

from django.db import IntegrityError, connection, transaction
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from zhaoshang.api.models import RateWindow

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """ "600/min" -> (600, 60)."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


def _increment(key, window):
    """UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL): the new count, or None without a row."""
    quote = connection.ops.quote_name
    table = quote(RateWindow._meta.db_table)
    sql = (
        f"UPDATE {table} SET {quote('count')} = {quote('count')} + 1 "
        f"WHERE {quote('key')} = %s AND {quote('window')} = %s RETURNING {quote('count')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window])
        row = cursor.fetchone()
    return row[0] if row else None


class TokenRateThrottle(BaseThrottle):
    scope = "api"

    def client_key(self, request):
        token = request.auth
        if token is not None and getattr(token, "pk", None):
            return f"token:{token.pk}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def allow_request(self, request, view):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate:
            return True
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        key = self.client_key(request)
        count = self._count(key, window)
        self.wait_seconds = period - (now - window * period)
        if window % 16 == 0 and count == 1:
            RateWindow.objects.filter(window__lt=window - 1).delete()  # forget old windows
        return count <= limit

    def _count(self, key, window):
        """Add one to the window's count and read it back, in one statement."""
        count = _increment(key, window)
        if count is None:
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window=window, count=1)
                return 1
            except IntegrityError:  # another worker created it first
                count = _increment(key, window)
        return count or 1

    def wait(self):
        return max(1, round(getattr(self, "wait_seconds", 1)))
