"""Shared model machinery: timestamps, change logging, unit scope, and the change log table."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import ScopedQuerySet


class TimestampedModel(models.Model):
    """Created and last-updated times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ChangeLoggedModel(models.Model):
    """A model whose every create, update and delete writes one ChangeLogEntry.

    The values loaded from the database are remembered, so an update is logged as the
    fields that changed, each with its value before and after.
    """

    # Fields never written to the log: secrets, and values derived from other fields.
    changelog_exclude = frozenset({"password", "last_login", "created_at", "updated_at"})
    # Labels for logged fields whose verbose_name does not fit (e.g. "groups" are roles).
    changelog_labels = {}

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._changelog_snapshot = dict(zip(field_names, values, strict=True))
        return instance

    @classmethod
    def changelog_display(cls, field_name, value):
        """How a logged value is shown in the history; models override it for codes."""
        return value

    def changelog_unit(self, deleted=False):
        """The unit the change is filed under in the global log."""
        unit_field = getattr(self, "unit_field", None)
        return getattr(self, unit_field, None) if unit_field else None


class BusinessRecord(ChangeLoggedModel, TimestampedModel):
    """A business record (project, enterprise, activity …): owned by a unit, scoped, logged.

    Subclasses declare the foreign key to Unit that owns them in `unit_field` (default
    "unit"); roles grant business permissions to every subclass at once
    (organization/roles.py), and `objects.visible_to(user)` applies the unit scope.
    """

    unit_field = "unit"
    # Name of a field pointing at the user who submitted the record, for roles that see
    # only their own records (advisors).
    owner_user_field = None

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_path(cls):
        return f"{cls.unit_field}__path"


class UnitOwnedRecord(BusinessRecord):
    """A business record owned by the unit in its `unit` field."""

    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class ChangeAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("login failed")
    LOGOUT = "logout", _("logged out")


class ChangeLogEntry(models.Model):
    """One change to one record (or one login event): who, when, from where, what.

    `changes` maps a field name to [before, after]; related objects are kept as their
    display text so the entry stays readable after they are gone.
    """

    unit_field = "unit"

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.SET_NULL, null=True, blank=True
    )
    object_id = models.CharField(_("record ID"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The unit the record was filed under before an update that changed a foreign key:
    # the figures engine re-reads that unit and the new one when a record moves.
    previous_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("previous unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # read with the entry, never searched by
    )
    # DataVersion.serial after this change (record changes only): the journal cached
    # figures are brought up to date from.
    serial = models.BigIntegerField(_("data serial"), null=True, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"

    @classmethod
    def scope_path(cls):
        return "unit__path"

    def change_rows(self):
        """[(field label, before, after)] for display, with choice values shown as labels."""
        model = self.content_type.model_class() if self.content_type_id else None
        rows = []
        for name, pair in self.changes.items():
            before, after = pair if isinstance(pair, list | tuple) else (None, pair)
            label = name
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                    label = field.verbose_name
                    choices = dict(field.flatchoices) if field.choices else None
                    if choices:
                        before, after = choices.get(before, before), choices.get(after, after)
                except FieldDoesNotExist:
                    label = name  # a field removed since the entry was written
                label = getattr(model, "changelog_labels", {}).get(name, label)
                if hasattr(model, "changelog_display"):
                    before = model.changelog_display(name, before)
                    after = model.changelog_display(name, after)
            rows.append((label, _shown(before), _shown(after)))
        return rows


def _shown(value):
    """A logged value as the change history shows it."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return value


class DataVersion(models.Model):
    """Where the records stand: an epoch token and a serial.

    Figures computed from records (targets.engine's monthly cubes) are cached under
    `current()`, so a cache is never read as current after the records changed:
    - every change written to the change log advances `serial` by one and stamps its
      entry with the new value, in one transaction with the change. The entries after a
      cached figure's serial say which units' records changed since (the engine then
      re-reads only those units). The UPDATE locks this row until the transaction ends,
      so serials become visible in order, with no gap a reader could skip;
    - writers that bypass the ORM and the log (the data generator, the ledger import)
      call `bump()`: a new random token, after which nothing cached is reused. A token
      rather than a counter, because a counter rolled back with a transaction could come
      round to a value already cached."""

    key = models.CharField(primary_key=True, max_length=20)
    token = models.CharField(max_length=32)
    serial = models.BigIntegerField(default=0)

    RECORDS = "records"

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.key}: {self.token} #{self.serial}"

    @classmethod
    def bump(cls):
        token = secrets.token_hex(16)
        if not cls.objects.filter(key=cls.RECORDS).update(token=token):
            cls.objects.update_or_create(key=cls.RECORDS, defaults={"token": token})

    @classmethod
    def advance(cls):
        """The next serial, held (row-locked) until the caller's transaction ends; call
        it inside the transaction that writes the change and its log entry."""
        if not cls.objects.filter(key=cls.RECORDS).update(serial=models.F("serial") + 1):
            cls.objects.get_or_create(
                key=cls.RECORDS, defaults={"token": secrets.token_hex(16), "serial": 0}
            )
            cls.objects.filter(key=cls.RECORDS).update(serial=models.F("serial") + 1)
        return cls.objects.filter(key=cls.RECORDS).values_list("serial", flat=True).get()

    @classmethod
    def current(cls):
        """(token, serial): where the records stand now."""
        found = cls.objects.filter(key=cls.RECORDS).values_list("token", "serial").first()
        return tuple(found) if found else ("", 0)
