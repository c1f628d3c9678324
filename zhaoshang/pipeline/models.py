"""Projects (项目) through their lifecycle, and the leads (线索) they come from.

Child records of a project (milestones, approvals, issues, evidence) carry no unit of
their own: they inherit the scope of their project's responsible unit.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import BusinessRecord, UnitOwnedRecord
from zhaoshang.core.scope import ScopedQuerySet
from zhaoshang.enterprises.choices import IndustrySection
from zhaoshang.pipeline.choices import (
    CapitalOrigin,
    Channel,
    EvidenceKind,
    LandUse,
    LeadStatus,
    Stage,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


class ProjectHeadquarters(UnitOwnedRecord):
    """A project headquarters (项目指挥部) that drives one or more projects, with its commander."""

    name = models.CharField(_("name"), max_length=200)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commander"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("project headquarters")
        verbose_name_plural = _("project headquarters")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pipeline:projectheadquarters_detail", args=[self.pk])


class Lead(UnitOwnedRecord):
    """A hint that an enterprise may invest (招商线索): verified, then converted or dropped.

    Advisors see only the leads they submitted (`owner_user_field`).
    """

    owner_user_field = "submitted_by"

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    enterprise_name = models.CharField(
        _("enterprise name"),
        max_length=200,
        blank=True,
        help_text=_("When the enterprise is not in the enterprise database yet."),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="submitted_leads",
    )
    industry = models.CharField(
        _("industry"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    intended_investment = models.DecimalField(_("intended investment (10k yuan)"), **MONEY)
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        editable=False,
    )
    drop_reason = models.TextField(_("reason for dropping"), blank=True, editable=False)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-id"]
        # Indicator counts: leads that came in during a period, per unit.
        indexes = [models.Index(fields=["created_at", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=LeadStatus.DROPPED) | ~Q(drop_reason=""),
                name="lead_dropped_has_reason",
                violation_error_message=_("A dropped lead needs a reason."),
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return str(self.enterprise) if self.enterprise_id else self.enterprise_name

    def get_absolute_url(self):
        return reverse("pipeline:lead_detail", args=[self.pk])


class Project(BusinessRecord):
    """An investment project, owned by its responsible unit.

    The stage changes only through `pipeline.stages.move`, which records a Milestone.
    The derived flags (亿元以上, 外资, 500强 …) are computed in `pipeline.flags`.
    """

    unit_field = "responsible_unit"

    # Free-text search by any fragment is served by a trigram index (core.textsearch).
    text_search_fields = ("name", "code", "focus_industry")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("project code"),
        max_length=30,
        null=True,
        blank=True,
        help_text=_("Left empty, a code like P2026-000123 is given on saving."),
    )
    lead = models.OneToOneField(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="project",
    )
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    carrying_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carrying leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_projects",
    )
    headquarters = models.ForeignKey(
        ProjectHeadquarters,
        verbose_name=_("project headquarters"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
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
    industry = models.CharField(
        _("industry"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    focus_industry = models.CharField(_("focus industry"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fixed_asset_investment = models.DecimalField(_("fixed-asset investment (10k yuan)"), **MONEY)
    registered_capital = models.DecimalField(_("registered capital (10k yuan)"), **MONEY)
    contracted_fdi = models.DecimalField(_("contracted foreign investment (10k USD)"), **MONEY)
    utilized_fdi = models.DecimalField(_("utilized foreign investment (10k USD)"), **MONEY)
    capital_origin = models.CharField(
        _("capital origin"), max_length=20, choices=CapitalOrigin.choices, blank=True
    )
    returning_capital = models.BooleanField(_("returning capital"), default=False)
    is_headquarters = models.BooleanField(_("headquarters project"), default=False)
    # Until Enterprise carries these tags, they are recorded on the project.
    fortune500 = models.BooleanField(_("Fortune Global 500 investor"), default=False)
    central_soe = models.BooleanField(_("central SOE investor"), default=False)
    expected_output = models.DecimalField(_("expected annual output (10k yuan)"), **MONEY)
    expected_tax = models.DecimalField(_("expected annual tax (10k yuan)"), **MONEY)
    expected_jobs = models.PositiveIntegerField(_("expected jobs"), null=True, blank=True)
    land_use = models.CharField(_("land use"), max_length=30, choices=LandUse.choices, blank=True)
    land_area = models.DecimalField(
        _("land area (mu)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    talent_national = models.PositiveIntegerField(_("national-level talents"), default=0)
    talent_provincial = models.PositiveIntegerField(_("provincial-level talents"), default=0)
    talent_municipal = models.PositiveIntegerField(_("city-level talents"), default=0)
    talent_phd = models.PositiveIntegerField(_("PhDs"), default=0)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-id"]
        indexes = [
            # The dashboard's funnel counts projects by stage, for the whole tree (read
            # from the first, 82 -> 12 ms at province scale on SQLite) or a subtree (the
            # second, 20 -> 3 ms); both also serve the ledger's stage filter.
            models.Index(fields=["stage", "responsible_unit"]),
            models.Index(fields=["responsible_unit", "stage"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="project_unique_code",
                violation_error_message=_("A project with this code already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pipeline:project_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = None
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.code is None:
                # Derived from the id, so written without a second save: the change log
                # keeps one entry for the creation.
                year = timezone.localdate(self.created_at).year
                self.code = f"P{year}-{self.pk:06d}"
                Project.objects.filter(pk=self.pk).update(code=self.code)
                snapshot = getattr(self, "_changelog_snapshot", None)
                if snapshot is not None:
                    snapshot["code"] = self.code


class InProjectScope:
    """For a record with a `project` foreign key and no unit of its own: it lives in its
    project's responsible unit's scope, and its change-log entries are filed there."""

    unit_field = None

    @classmethod
    def scope_path(cls):
        return "project__responsible_unit__path"

    def changelog_unit(self, deleted=False):
        return (
            Project.objects.filter(pk=self.project_id)
            .values_list("responsible_unit", flat=True)
            .first()
        )


class ProjectChild(InProjectScope, BusinessRecord):
    """A record that belongs to one project and lives in its scope."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE)

    class Meta:
        abstract = True


class Milestone(ProjectChild):
    """One dated stage change of a project (里程碑)."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    from_stage = models.CharField(
        _("previous stage"), max_length=20, choices=Stage.choices, blank=True
    )
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Derived: whether this is the project's earliest milestone of its stage (by date, then
    # id). Indicators count a project once, when it first reached a stage; keeping the mark
    # on the row lets them read one index range instead of checking every earlier milestone.
    # Maintained by save() and delete(); bulk writers call refresh_first_milestones().
    is_first = models.BooleanField(
        _("first of its stage"), default=False, db_default=False, editable=False
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "id"]
        default_related_name = "milestones"
        indexes = [
            # Indicators: projects that first reached a stage in a period (partial: only
            # the first milestones, so "is_first" needs no index column of its own).
            models.Index(
                fields=["stage", "date", "project"],
                condition=Q(is_first=True),
                name="milestone_first_stage_date",
            ),
            # refresh_first_milestones: the earliest milestone of a project's stage.
            models.Index(fields=["project", "stage", "date"]),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_stage_display()} {self.date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        refresh_first_milestones([self.project_id])

    def delete(self, *args, **kwargs):
        project_id = self.project_id
        result = super().delete(*args, **kwargs)
        refresh_first_milestones([project_id])
        return result

    def get_absolute_url(self):
        return self.project.get_absolute_url()


def refresh_first_milestones(project_ids=None):
    """Recompute `Milestone.is_first` for these projects' milestones (None: for all).

    One UPDATE; a milestone is first when no milestone of the same project and stage is
    earlier (by date, then id)."""
    earliest = (
        Milestone.objects.filter(project=OuterRef("project"), stage=OuterRef("stage"))
        .order_by("date", "pk")
        .values("pk")[:1]
    )
    qs = Milestone.objects.all()
    if project_ids is not None:
        qs = qs.filter(project_id__in=list(project_ids))
    qs.update(is_first=ExpressionWrapper(Q(pk=Subquery(earliest)), output_field=BooleanField()))


class ApprovalQuerySet(ScopedQuerySet):
    def with_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.annotate(
            overdue=Case(
                When(Q(deadline__lt=today, done_date__isnull=True), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today, done_date__isnull=True)


class Approval(ProjectChild):
    """An approval or service after signing (环评, 能评, 土地摘牌, 施工许可 …) with a deadline."""

    name = models.CharField(_("approval"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    done_date = models.DateField(_("done on"), null=True, blank=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["deadline", "id"]
        default_related_name = "approvals"
        indexes = [
            # Overdue approvals (the dashboard, the overdue list): open ones by deadline.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(done_date__isnull=True),
                name="approval_open_deadline",
            )
        ]

    def __str__(self):
        return f"{self.project} · {self.name}"

    def get_absolute_url(self):
        return reverse("pipeline:approval_detail", args=[self.pk])

    @property
    def is_overdue(self):
        return self.done_date is None and self.deadline < timezone.localdate()


class ProjectIssue(ProjectChild):
    """A problem of a project with the measure taken, kept until solved (问题清单)."""

    problem = models.TextField(_("problem"))
    measure = models.TextField(_("measure"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    resolved_date = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("project issue")
        verbose_name_plural = _("project issues")
        ordering = ["resolved_date", "due_date", "id"]
        default_related_name = "issues"

    def __str__(self):
        return f"{self.project} · {self.problem[:30]}"

    def get_absolute_url(self):
        return reverse("pipeline:projectissue_detail", args=[self.pk])


def evidence_path(instance, filename):
    return f"evidence/{timezone.localdate():%Y/%m}/{filename}"


class Evidence(ProjectChild):
    """A supporting file of a project (批复文件, 资金凭证, 合同 …), checked by its content."""

    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200, editable=False)
    content_type = models.CharField(_("file type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-id"]
        default_related_name = "evidence"

    def __str__(self):
        return self.original_name or self.file.name

    def get_absolute_url(self):
        return reverse("pipeline:evidence_detail", args=[self.pk])

    def get_download_url(self):
        return reverse("pipeline:evidence_download", args=[self.pk])


@receiver(post_delete, sender=Evidence)
def delete_evidence_file(sender, instance, **kwargs):
    """Remove the stored file once the deletion of its record is committed."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
