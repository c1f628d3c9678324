"""Projects (项目) through their lifecycle, and the leads (线索) they come from."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import BusinessRecord
from zhaoshang.pipeline.choices import Stage


class Project(BusinessRecord):
    """An investment project, owned by its responsible unit."""

    unit_field = "responsible_unit"

    name = models.CharField(_("name"), max_length=200)
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    investor = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("investor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pipeline:project_detail", args=[self.pk])
