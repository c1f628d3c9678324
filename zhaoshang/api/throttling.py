"""Rate limit per token (or per session user): a fixed window counted in the database, so
every gunicorn worker sees the same count; over the limit answers 429 with Retry-After.

Each worker adds its requests to the shared count in batches: at most a hundredth of the
limit, and at least once a second, and always on the first request of a window (which
reads what the other workers counted). A limit under 200 a window is therefore counted
request by request, exactly; a larger one may be passed by what the other workers have
not yet added — under 1 % of the limit per worker. This keeps a busy token from writing
to the database on every request.
"""

import threading
import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from zhaoshang.api.models import RateWindow

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
FLUSH_SECONDS = 1.0
BATCH_SHARE = 100  # a batch is at most limit / BATCH_SHARE requests


def parse_rate(rate):
    """ "600/min" -> (600, 60)."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


def _add(key, window, n):
    """UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL): the new count, or None without a row."""
    quote = connection.ops.quote_name
    table = quote(RateWindow._meta.db_table)
    sql = (
        f"UPDATE {table} SET {quote('count')} = {quote('count')} + %s "
        f"WHERE {quote('key')} = %s AND {quote('window')} = %s RETURNING {quote('count')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [n, key, window])
        row = cursor.fetchone()
    return row[0] if row else None


def shared_add(key, window, n):
    """Add `n` requests to the shared count of (key, window); returns the new count."""
    count = _add(key, window, n)
    if count is not None:
        return count
    try:
        with transaction.atomic():
            RateWindow.objects.create(key=key, window=window, count=n)
    except IntegrityError:  # another worker created it first
        return _add(key, window, n) or n
    if window % 16 == 0:
        RateWindow.objects.filter(window__lt=window - 1).delete()  # forget old windows
    return n


@dataclass
class _Tally:
    """This worker's view of one client's window: the shared count when last read, plus
    the requests it has not added yet."""

    window: int
    shared: int = 0
    pending: int = 0
    added_at: float = 0.0


_tallies = {}
_lock = threading.Lock()


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
        batch = max(1, limit // BATCH_SHARE)
        with _lock:
            tally = _tallies.get((key, limit))
            if tally is None or tally.window != window:
                if len(_tallies) > 10_000:
                    _tallies.clear()
                tally = _tallies[(key, limit)] = _Tally(window)
            tally.pending += 1
            if tally.pending >= batch or now - tally.added_at >= FLUSH_SECONDS:
                tally.shared = shared_add(key, window, tally.pending)
                tally.pending, tally.added_at = 0, now
            count = tally.shared + tally.pending
        self.wait_seconds = period - (now - window * period)
        return count <= limit

    def wait(self):
        return max(1, round(getattr(self, "wait_seconds", 1)))
