"""Import batches (导入批次): one uploaded ledger file, what it created and changed, and how
to undo it; and the column mappings users confirmed, remembered per header shape."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import UnitOwnedRecord


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Not imported yet")
    COMMITTED = "committed", _("Imported")
    UNDONE = "undone", _("Undone")


class ImportBatch(UnitOwnedRecord):
    """One uploaded file and its import: the file's name and SHA-256, who imported it when,
    the record type, the confirmed column mapping and the counts. Bulk writes do not pass
    through the change log; the batch and its rows (BatchRow) are their record."""

    record_type = models.CharField(_("record type"), max_length=30)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    file_format = models.CharField(_("format"), max_length=10)
    stored_file = models.CharField(max_length=300, editable=False)
    mapping = models.JSONField(_("column mapping"), default=list, blank=True)
    default_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("default unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-id"]

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:batch_detail", args=[self.pk])


class RowAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")


class BatchRow(models.Model):
    """A record a batch created or updated, with the values it had before (for undo).

    `previous` maps a field's attribute name to its value before the import, as JSON text
    (decimals and dates as strings); empty for a created record.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=RowAction.choices)
    row_number = models.PositiveIntegerField(null=True)
    previous = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.batch_id}:{self.action} {self.content_type_id}#{self.object_id}"


class SavedMapping(models.Model):
    """The column mapping a user confirmed for a header shape (the list of header texts),
    offered again for the next file of the same shape."""

    record_type = models.CharField(max_length=30)
    signature = models.CharField(max_length=64)
    mapping = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "signature"], name="savedmapping_unique_shape"
            )
        ]

    def __str__(self):
        return f"{self.record_type} {self.signature[:12]}"
