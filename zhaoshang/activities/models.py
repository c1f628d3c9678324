"""Promotion activities (招商活动): trips, visits, negotiations, events, signing ceremonies."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Sum, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import NEGOTIATION_KINDS, ActivityKind
from zhaoshang.core.models import UnitOwnedRecord
from zhaoshang.core.scope import ScopedQuerySet


class ActivityQuerySet(ScopedQuerySet):
    def with_rounds(self):
        """Annotate `negotiation_round`: the round number of a negotiation on its project.

        The one place the round is computed: negotiations (on site or online) of the same
        project are numbered by start date, then by id; every other activity gets None.
        The count is a subquery, so it does not change when the outer rows are filtered.
        """
        earlier = (
            Activity.objects.filter(project=OuterRef("project"), kind__in=NEGOTIATION_KINDS)
            .filter(
                Q(start_date__lt=OuterRef("start_date"))
                | Q(start_date=OuterRef("start_date"), pk__lte=OuterRef("pk"))
            )
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            negotiation_round=Case(
                When(
                    kind__in=NEGOTIATION_KINDS,
                    project__isnull=False,
                    then=Subquery(earlier, output_field=models.IntegerField()),
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )

    def kind_counts(self):
        """How many activities of each kind are in this queryset, in one aggregate query."""
        counts = self.order_by().aggregate(
            total=Count("pk", distinct=True),
            **{
                kind.value: Count("pk", filter=Q(kind=kind.value), distinct=True)
                for kind in ActivityKind
            },
        )
        return counts


class Activity(UnitOwnedRecord):
    """One promotion activity (工作记录), owned by the unit that carried it out."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("subject"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for a one-day activity.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    leader_name = models.CharField(_("leading person"), max_length=100, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leading person (user)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_activities",
    )
    participants = models.TextField(_("participants"), blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("enterprises involved"),
        blank=True,
        related_name="activities",
    )
    projects = models.ManyToManyField(
        "pipeline.Project",
        verbose_name=_("projects involved"),
        blank=True,
        related_name="activities",
        help_text=_("For a signing ceremony: the projects signed."),
    )
    project = models.ForeignKey(
        "pipeline.Project",
        verbose_name=_("negotiated project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="negotiations",
        help_text=_("For a negotiation: the one project; rounds are numbered per project."),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["project", "start_date"]),
            # Indicator counts: activities of some kinds in a period, per unit.
            models.Index(fields=["kind", "start_date", "unit"]),
        ]

    def __str__(self):
        return f"{self.start_date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.project_id and self.kind not in NEGOTIATION_KINDS:
            errors["project"] = _("Only a negotiation is linked to one negotiated project.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_negotiation(self):
        return self.kind in NEGOTIATION_KINDS

    @property
    def is_signing_ceremony(self):
        return self.kind == ActivityKind.SIGNING_CEREMONY

    def round_number(self):
        """This negotiation's round on its project (see ActivityQuerySet.with_rounds)."""
        if not (self.is_negotiation and self.project_id and self.pk):
            return None
        return (
            Activity.objects.with_rounds()
            .values_list("negotiation_round", flat=True)
            .get(pk=self.pk)
        )

    def signed_total(self):
        """Total investment (万元) of the projects signed at this ceremony: a DB aggregate."""
        return self.projects.aggregate(total=Sum("total_investment"))["total"]


def negotiation_rounds(project, user=None):
    """The negotiations of one project in round order, each with `negotiation_round`.

    Rounds are numbered over every negotiation of the project; with `user`, only the
    ones the user may see are returned (their numbers stay the same).
    """
    base = Activity.objects.visible_to(user) if user is not None else Activity.objects.all()
    return (
        base.filter(project=project, kind__in=NEGOTIATION_KINDS)
        .with_rounds()
        .select_related("unit")
        .order_by("start_date", "pk")
    )
