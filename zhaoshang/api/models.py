"""Per-user API tokens (stored as SHA-256 hashes) and the rate-limit counters."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "zs_"


def hash_token(plain):
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A key a user's other systems send as `Authorization: Token <key>`.

    Only the SHA-256 hash is stored; the plain key is shown once, when it is created.
    A token acts with its user's roles and unit scope, until it expires or is revoked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name, days):
        """Create a token; returns (token, plain key). The plain key is never stored."""
        plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(plain),
            prefix=plain[:10],
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, plain

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class RateWindow(models.Model):
    """Requests counted per client key in one fixed time window; shared by every worker."""

    key = models.CharField(_("client"), max_length=64)
    window = models.BigIntegerField(_("window"))
    count = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("rate window")
        verbose_name_plural = _("rate windows")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window"],
                name="ratewindow_unique_key_window",
                violation_error_message=_("This window is already counted."),
            )
        ]

    def __str__(self):
        return f"{self.key}@{self.window}: {self.count}"
