"""Forms of the targets app."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import ScopedModelForm
from zhaoshang.core.periods import Period
from zhaoshang.organization.choices import UnitKind
from zhaoshang.targets.models import (
    BonusItem,
    CapitalIncrease,
    Certification,
    Indicator,
    IndicatorWeight,
    ReportedValue,
    Source,
    Target,
    may_certify,
)


class IndicatorForm(ScopedModelForm):
    class Meta:
        model = Indicator
        fields = (
            "code",
            "name",
            "owner_unit",
            "unit_of_measure",
            "source",
            "field",
            "stage",
            "filters",
            "certified_only",
            "certifying_level",
            "sort_order",
            "description",
        )


def parse_period(code, default):
    """A Period from a query code; the default for an empty or malformed one."""
    try:
        return Period.parse(code) if code else default
    except ValueError:
        return default


YEARS = (1900, 2100)  # a year outside these is a typing error, not a plan


def _year_field(form):
    field = form.fields["year"]
    field.min_value, field.max_value = YEARS
    field.validators += [MinValueValidator(YEARS[0]), MaxValueValidator(YEARS[1])]


class TargetForm(ScopedModelForm):
    """A unit's target for an indicator and year (the API's; the grid edits many at once).
    The rules are the model's (`Target.clean`); this form reads the parts as a list."""

    class Meta:
        model = Target
        fields = ["indicator", "unit", "year", "unit_of_measure", "annual", "split", "parts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _year_field(self)

    def clean_parts(self):
        parts = self.cleaned_data.get("parts")
        if parts in (None, ""):
            return []
        if not isinstance(parts, list):
            raise forms.ValidationError(_("Give a list of numbers."))
        return [str(p) if isinstance(p, int | float) and not isinstance(p, bool) else p
                for p in parts]  # fmt: skip


class ReportedValueForm(ScopedModelForm):
    """A unit's figure for a month, for indicators whose value is reported by hand."""

    class Meta:
        model = ReportedValue
        fields = ("indicator", "unit", "year", "month", "value")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        field.queryset = field.queryset.filter(source=Source.REPORTED)
        _year_field(self)
        self.fields["value"].help_text = _(
            "In the indicator's unit of measure, e.g. 万美元 for utilised foreign investment."
        )
        self.fields["month"].widget = forms.Select(
            choices=[(m, f"{m}月") for m in range(1, 13)], attrs={"class": "form-select"}
        )

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month is not None and not 1 <= month <= 12:
            raise forms.ValidationError(_("The month must be 1 to 12."))
        return month

    def save(self, commit=True):
        self.instance.reported_by = self.user
        return super().save(commit)


class CertificationForm(ScopedModelForm):
    """Certify (认定) a project for an indicator, with its evidence, by the certifying level."""

    class Meta:
        model = Certification
        fields = ("project", "indicator", "date", "evidence")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(certified_only=True)
        self.fields["evidence"].queryset = self.fields["evidence"].queryset.select_related(
            "project"
        )
        self.fields["evidence"].label_from_instance = lambda e: (
            f"{e.project.name} · {e.get_kind_display()} · {e}"
        )

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator")
        if indicator and not may_certify(self.user, indicator):
            self.add_error(
                "indicator",
                _("Only a user at the %(level)s level may certify projects for this indicator.")
                % {"level": UnitKind(indicator.certifying_level).label},
            )
        day = data.get("date")
        if day and day > timezone.localdate():
            self.add_error("date", _("The date cannot be in the future."))
        return data

    def save(self, commit=True):
        self.instance.certified_by = self.user
        return super().save(commit)


class WithdrawalForm(forms.Form):
    """Withdraw a certification: dated, with a reason; the row stays for past periods."""

    withdrawn_on = forms.DateField(
        label=_("withdrawn on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    withdrawal_reason = forms.CharField(
        label=_("reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, certification=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.certification = certification

    def clean_withdrawn_on(self):
        day = self.cleaned_data["withdrawn_on"]
        if day < self.certification.date:
            raise forms.ValidationError(
                _("A certification cannot be withdrawn before it was made.")
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class CapitalIncreaseForm(ScopedModelForm):
    class Meta:
        model = CapitalIncrease
        fields = ("project", "date", "field", "amount", "note")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class IndicatorWeightForm(ScopedModelForm):
    class Meta:
        model = IndicatorWeight
        fields = ("unit_class", "indicator", "weight", "cap")


class BonusItemForm(ScopedModelForm):
    class Meta:
        model = BonusItem
        fields = ("unit", "year", "month", "points", "reason")
