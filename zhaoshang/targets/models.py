"""Indicators (考核指标) as data, targets (目标任务), hand-reported values, certifications (认定),
capital increases (增资), assessment weights and the stored ranking snapshots.

The actual value of an indicator is computed in one place, `targets.engine`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import BusinessRecord, UnitOwnedRecord
from zhaoshang.core.scope import VIEW, ScopedQuerySet, scope_q
from zhaoshang.organization.choices import UnitKind
from zhaoshang.pipeline.choices import Stage
from zhaoshang.pipeline.models import InProjectScope

MEASURE_UNITS = ("万元", "亿元", "万美元", "亿美元", "个", "次", "家", "亩", "%")
VALUE = {"max_digits": 16, "decimal_places": 4}


class Source(models.TextChoices):
    PROJECT_SUM = "project_sum", _("Sum of a project amount")
    PROJECT_COUNT = "project_count", _("Count of projects")
    ACTIVITY_COUNT = "activity_count", _("Count of activities")
    LEAD_COUNT = "lead_count", _("Count of leads")
    CARRIER_SUM = "carrier_sum", _("Sum over carriers")
    CARRIER_COUNT = "carrier_count", _("Count of carriers")
    REPORTED = "reported", _("Reported by hand")


class Field(models.TextChoices):
    """The amount an indicator sums, with the unit it is stored in."""

    TOTAL_INVESTMENT = "total_investment", _("total investment")
    REGISTERED_CAPITAL = "registered_capital", _("registered capital")
    FIXED_ASSET_INVESTMENT = "fixed_asset_investment", _("fixed-asset investment")
    CONTRACTED_FDI = "contracted_fdi", _("contracted foreign investment")
    UTILIZED_FDI = "utilized_fdi", _("utilized foreign investment")
    LAND_AREA_SOLD = "land_area_sold", _("area of land sold")
    ABOVE_SCALE_TENANTS = "above_scale_tenants", _("new above-scale tenants")


# The unit each field is stored in (the engine converts to the indicator's unit).
FIELD_UNITS = {
    Field.TOTAL_INVESTMENT: "万元",
    Field.REGISTERED_CAPITAL: "万元",
    Field.FIXED_ASSET_INVESTMENT: "万元",
    Field.CONTRACTED_FDI: "万美元",
    Field.UTILIZED_FDI: "万美元",
    Field.LAND_AREA_SOLD: "亩",
}
PROJECT_FIELDS = (
    Field.TOTAL_INVESTMENT,
    Field.REGISTERED_CAPITAL,
    Field.FIXED_ASSET_INVESTMENT,
    Field.CONTRACTED_FDI,
    Field.UTILIZED_FDI,
)
# Keys the `filters` of an indicator may hold.
FILTER_KEYS = {
    "flags",
    "capital_origin",
    "returning_capital",
    "focus_industry",
    "activity_kinds",
    "land_use",
}


class IndicatorQuerySet(ScopedQuerySet):
    def visible_to(self, user, action=VIEW):
        """The scope, and for reading also the indicators set by the units above the user:
        a street reads the rules its district judges it by."""
        q = scope_q(user, self.model, action)
        if action == VIEW and getattr(user, "unit", None) is not None and q is not None:
            codes = user.unit.path.strip("/").split("/")
            q |= Q(owner_unit__code__in=codes)
        if action == VIEW and q is not None:
            q |= Q(owner_unit__isnull=True)
        return self.none() if q is None else self.filter(q)


class Indicator(BusinessRecord):
    """An assessment indicator: a name, a unit of measure and a rule for its actual value."""

    unit_field = "owner_unit"

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    owner_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("defined by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: a standard indicator, read by every unit."),
    )
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=10, choices=[(u, u) for u in MEASURE_UNITS]
    )
    source = models.CharField(_("counting rule"), max_length=20, choices=Source.choices)
    field = models.CharField(_("amount"), max_length=30, choices=Field.choices, blank=True)
    stage = models.CharField(
        _("stage reached in the period"), max_length=20, choices=Stage.choices, blank=True
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    certified_only = models.BooleanField(_("certified projects only"), default=False)
    certifying_level = models.CharField(
        _("certifying level"), max_length=20, choices=UnitKind.choices, blank=True
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    description = models.TextField(_("description"), blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="indicator_unique_code",
                violation_error_message=_("An indicator with this code already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("targets:indicator_detail", args=[self.pk])

    @property
    def source_unit(self):
        """The unit the engine's raw figure is in before conversion."""
        return FIELD_UNITS.get(self.field, self.unit_of_measure)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A new or changed counting rule is read once saved (on commit), not by the first
        # dashboard that shows it; a rename keeps its cube (engine.definition).
        from zhaoshang.targets import engine

        engine.warm_after_commit([self])

    def clean(self):
        super().clean()
        errors = {}
        if not isinstance(self.filters, dict):
            errors["filters"] = _("Filters must be an object of known keys.")
        else:
            unknown = set(self.filters) - FILTER_KEYS
            if unknown:
                errors["filters"] = _("Unknown filter: %(keys)s") % {
                    "keys": "、".join(sorted(unknown))
                }
            from zhaoshang.pipeline.flags import FLAG_CODES

            bad_flags = set(self.filters.get("flags", [])) - set(FLAG_CODES)
            if bad_flags:
                errors["filters"] = _("Unknown flag: %(keys)s") % {
                    "keys": "、".join(sorted(bad_flags))
                }
        if self.source == Source.PROJECT_SUM and self.field not in PROJECT_FIELDS:
            errors["field"] = _("Choose the project amount to sum.")
        if self.source in (Source.PROJECT_SUM, Source.PROJECT_COUNT) and not self.stage:
            errors["stage"] = _("Choose the stage the projects reach in the period.")
        if self.certified_only and not self.certifying_level:
            errors["certifying_level"] = _("Choose the level that certifies projects.")
        if self.field in FIELD_UNITS and self.unit_of_measure in FIELD_UNITS.values():
            from zhaoshang.core.quantities import UNITS

            if UNITS[FIELD_UNITS[self.field]][0] != UNITS[self.unit_of_measure][0]:
                errors["unit_of_measure"] = _("This unit cannot express the chosen amount.")
        if errors:
            raise ValidationError(errors)


class Split(models.TextChoices):
    MONTH = "month", _("By month")
    QUARTER = "quarter", _("By quarter")


class Target(UnitOwnedRecord):
    """The target of one unit for one indicator and year, split by month or by quarter."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit_of_measure = models.CharField(
        _("unit of measure"),
        max_length=10,
        choices=[(u, u) for u in MEASURE_UNITS],
        blank=True,
        help_text=_("Empty: the indicator's unit."),
    )
    annual = models.DecimalField(_("annual target"), **VALUE)
    split = models.CharField(_("split"), max_length=10, choices=Split.choices, default=Split.MONTH)
    parts = models.JSONField(
        _("monthly or quarterly targets"),
        default=list,
        blank=True,
        help_text=_("12 monthly or 4 quarterly values, as text."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator__sort_order", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"],
                name="target_unique_indicator_unit_year",
                violation_error_message=_("This unit already has a target for this year."),
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.indicator} · {self.year}"

    def get_absolute_url(self):
        return reverse("targets:grid", args=[self.indicator_id, self.year])

    @property
    def measure(self):
        return self.unit_of_measure or self.indicator.unit_of_measure

    def clean(self):
        """The target grid's rules, for every way a target is written (grid, API, import):
        numbers of zero or more, a unit of measure that can express the indicator, and
        12 monthly or 4 quarterly parts adding up to the annual target."""
        from decimal import Decimal, InvalidOperation

        from zhaoshang.core import quantities

        super().clean()
        errors = {}
        if self.annual is not None and not (self.annual.is_finite() and self.annual >= 0):
            errors["annual"] = _("Give a number of zero or more.")
        indicator = self.indicator if self.indicator_id else None
        measure = self.unit_of_measure
        if indicator and measure and measure != indicator.unit_of_measure:
            try:
                quantities.convert(1, measure, indicator.unit_of_measure)
            except quantities.UnitMismatch:
                errors["unit_of_measure"] = _(
                    "The unit %(measure)s does not fit this indicator."
                ) % {"measure": measure}
        if self.parts:
            expected = 12 if self.split == Split.MONTH else 4
            values = []
            for part in self.parts:
                try:
                    value = Decimal(str(part)) if not isinstance(part, bool) else None
                except InvalidOperation:
                    value = None
                if value is None or not value.is_finite() or value < 0:
                    errors["parts"] = _("“%(value)s” is not a number of zero or more.") % {
                        "value": part
                    }
                    break
                values.append(value)
            if "parts" in errors:
                pass
            elif len(values) != expected:
                errors["parts"] = _("Give %(n)s values.") % {"n": expected}
            elif self.annual is not None and sum(values, Decimal(0)) != self.annual:
                errors["parts"] = _("The parts add up to %(sum)s, not %(annual)s.") % {
                    "sum": quantities.plain(sum(values, Decimal(0)), 4),
                    "annual": quantities.plain(self.annual, 4),
                }
        if errors:
            raise ValidationError(errors)


class ReportedValue(UnitOwnedRecord):
    """A figure reported by hand for a unit and month (e.g. 实际利用外资 from the statistics)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="reported"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    value = models.DecimalField(_("value"), **VALUE)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["year", "month", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"],
                name="reportedvalue_unique_month",
                violation_error_message=_("This unit already reported this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="reportedvalue_month_range",
                violation_error_message=_("The month must be 1 to 12."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.indicator} · {self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("targets:reportedvalue_detail", args=[self.pk])


class ProjectRecord(InProjectScope, BusinessRecord):
    """A record of one project, in its responsible unit's scope; the project cannot be
    deleted while such a record refers to it."""

    project = models.ForeignKey(
        "pipeline.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def get_absolute_url(self):
        name = f"targets:{self._meta.model_name}_detail"
        return reverse(name, args=[self.pk])


class Certification(ProjectRecord):
    """A project certified (认定) to count for an indicator, from `date`, until withdrawn.

    Rows are never deleted: a withdrawal is dated, so "certified at date D" is
    date ≤ D and (not withdrawn or withdrawn after D), and past periods stay reproducible.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    date = models.DateField(_("certified on"))
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("certified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.ForeignKey(
        "pipeline.Evidence", verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.project} · {self.indicator} · {self.date:%Y-%m-%d}"

    @property
    def in_force(self):
        return self.withdrawn_on is None

    def clean(self):
        super().clean()
        errors = {}
        indicator = self.indicator if self.indicator_id else None
        if indicator and not indicator.certified_only:
            errors["indicator"] = _("This indicator counts projects without certification.")
        if self.evidence_id and self.project_id and self.evidence.project_id != self.project_id:
            errors["evidence"] = _("Choose a file of this project.")
        wanted = (indicator.filters or {}).get("evidence_kind") if indicator else None
        if wanted and self.evidence_id and self.evidence.kind != wanted:
            from zhaoshang.pipeline.choices import EvidenceKind

            errors["evidence"] = _("This indicator needs evidence of the kind “%(kind)s”.") % {
                "kind": EvidenceKind(wanted).label
            }
        if self.withdrawn_on and self.date and self.withdrawn_on < self.date:
            errors["withdrawn_on"] = _("A certification cannot be withdrawn before it was made.")
        if errors:
            raise ValidationError(errors)


def may_certify(user, indicator):
    """Whether `user` works at the indicator's certifying level: their unit, or the district
    (zone, city, province) it belongs to, is of that kind."""
    unit = getattr(user, "unit", None)
    if unit is None or not indicator.certifying_level:
        return False
    return indicator.certifying_level in (unit.kind, unit.jurisdiction().kind)


class CapitalIncrease(ProjectRecord):
    """A capital increase (增资) of a project: only the added amount counts, on its date."""

    date = models.DateField(_("date"))
    field = models.CharField(
        _("amount"),
        max_length=30,
        choices=[(f.value, f.label) for f in PROJECT_FIELDS],
        default=Field.TOTAL_INVESTMENT,
    )
    amount = models.DecimalField(_("amount added"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("capital increase")
        verbose_name_plural = _("capital increases")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.project} · {self.date:%Y-%m-%d} · {self.amount}"


class IndicatorWeight(BusinessRecord):
    """The weight of an indicator in the score of a class of units, with an optional cap."""

    unit_field = None

    unit_class = models.ForeignKey(
        "organization.UnitClass",
        verbose_name=_("unit class"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="weights"
    )
    weight = models.DecimalField(_("weight (points)"), max_digits=8, decimal_places=2)
    cap = models.DecimalField(
        _("completion cap (%)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Completion above this counts as this, e.g. 120."),
    )

    class Meta:
        verbose_name = _("indicator weight")
        verbose_name_plural = _("indicator weights")
        ordering = ["unit_class", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_class", "indicator"],
                name="indicatorweight_unique",
                violation_error_message=_("This indicator already has a weight in this class."),
            )
        ]

    @classmethod
    def scope_path(cls):
        return "unit_class__owner_unit__path"

    def __str__(self):
        return f"{self.unit_class} · {self.indicator} · {self.weight}"

    def get_absolute_url(self):
        return reverse("targets:indicatorweight_detail", args=[self.pk])


class BonusItem(UnitOwnedRecord):
    """Points added to (or taken from) a unit's score for a year (加分项)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=1)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("bonus item")
        verbose_name_plural = _("bonus items")
        ordering = ["-year", "-month", "-id"]

    def __str__(self):
        return f"{self.unit} · {self.reason} · {self.points}"

    def get_absolute_url(self):
        return reverse("targets:bonusitem_detail", args=[self.pk])


class SnapshotKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class RankingSnapshot(models.Model):
    """A ranking as published: it never changes, even when the records behind it do."""

    peer_group = models.ForeignKey(
        "organization.PeerGroup",
        verbose_name=_("peer group"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period_code = models.CharField(_("period"), max_length=10)
    kind = models.CharField(_("kind"), max_length=10, choices=SnapshotKind.choices)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        ordering = ["-taken_at", "-id"]

    def __str__(self):
        return f"{self.peer_group} · {self.period_code} · {self.taken_at:%Y-%m-%d}"


class RankingEntry(models.Model):
    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"))
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=2)
    completions = models.JSONField(_("completion by indicator"), default=dict)
    figures_hash = models.CharField(_("figures hash"), max_length=64)

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}. {self.unit}"


def filters_text(filters):
    """An indicator's filters as a Chinese sentence: 项目标识：亿元以上；用地性质：工业."""
    from zhaoshang.activities.choices import ActivityKind
    from zhaoshang.carriers.choices import LandUse
    from zhaoshang.pipeline import flags
    from zhaoshang.pipeline.choices import CapitalOrigin

    labels = {
        "flags": (_("project flags"), dict(flags.flag_choices())),
        "capital_origin": (_("capital origin"), dict(CapitalOrigin.choices)),
        "returning_capital": (_("returning capital"), {True: _("Yes"), False: _("No")}),
        "focus_industry": (_("focus industry"), {}),
        "activity_kinds": (_("activity kinds"), dict(ActivityKind.choices)),
        "land_use": (_("land use"), dict(LandUse.choices)),
    }
    parts = []
    for key, value in (filters or {}).items():
        label, names = labels.get(key, (key, {}))
        values = value if isinstance(value, list) else [value]
        shown = "、".join(str(names.get(v, v)) for v in values)
        parts.append(f"{label}：{shown}")
    return "；".join(parts)


class StoredCube(models.Model):
    """A monthly cube of the figure cache (`engine.Cube`) kept in the database.

    A new process (a restarted or added worker, or one whose memory dropped the cube)
    starts from it and brings it up to date from the change log, instead of reading the
    records whole. Exact like the process cache: valid for its data token, current as of
    its serial. Not a business record: never logged, and deleting rows only costs speed."""

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    token = models.CharField(_("data token"), max_length=32)
    serial = models.BigIntegerField(_("data serial"))
    payload = models.BinaryField(_("payload"))
    stored_at = models.DateTimeField(_("stored at"), auto_now=True)

    class Meta:
        verbose_name = _("stored figure cube")
        verbose_name_plural = _("stored figure cubes")

    def __str__(self):
        return f"{self.key} #{self.serial}"
