"""Forms of the pipeline: leads (staff and advisors), projects, stage moves and child records."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import ScopedModelForm
from zhaoshang.core.scope import Reach, granting_reaches
from zhaoshang.pipeline import stages
from zhaoshang.pipeline.choices import Stage
from zhaoshang.pipeline.evidence import check_upload
from zhaoshang.pipeline.models import (
    Approval,
    Evidence,
    Lead,
    Project,
    ProjectHeadquarters,
    ProjectIssue,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date_widgets(*names):
    return {name: DateInput() for name in names}


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if "class" not in widget.attrs:
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css


LEAD_FIELDS = ["enterprise_name", "channel", "industry", "intended_investment", "summary"]


class LeadForm(ScopedModelForm):
    class Meta:
        model = Lead
        fields = ["unit", "enterprise", *LEAD_FIELDS]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("enterprise") and not (cleaned.get("enterprise_name") or "").strip():
            raise ValidationError({"enterprise_name": _("Choose an enterprise or enter its name.")})
        return cleaned


class AdvisorLeadForm(LeadForm):
    """What an advisor knows: the lead is filed under their own unit."""

    class Meta(LeadForm.Meta):
        fields = LEAD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_name"].required = True
        self.fields["enterprise_name"].help_text = ""


def is_advisor_only(user):
    """True for a user whose only way to leads is submitting their own (an advisor)."""
    if user.is_superuser:
        return False
    return granting_reaches(user, Lead, "add") == {Reach.OWN_RECORDS}


def lead_form(*args, user=None, **kwargs):
    form_class = AdvisorLeadForm if is_advisor_only(user) else LeadForm
    return form_class(*args, user=user, **kwargs)


class LeadDropForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for dropping"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Dropping a lead needs a reason.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Dropping a lead needs a reason."))
        return reason


class LeadConvertForm(ScopedModelForm):
    """Converting a verified lead: the new project's name, unit and first stage."""

    stage = forms.ChoiceField(
        label=_("stage"),
        choices=[(Stage.LEAD, Stage.LEAD.label), (Stage.NEGOTIATING, Stage.NEGOTIATING.label)],
        initial=Stage.NEGOTIATING,
    )
    stage_date = forms.DateField(label=_("date of the stage"), widget=DateInput())

    class Meta:
        model = Project
        fields = ["name", "responsible_unit", "investor", "industry", "total_investment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage_date"].initial = timezone.localdate()
        _style(self)

    def clean_stage_date(self):
        date = self.cleaned_data["stage_date"]
        if date > timezone.localdate():
            raise ValidationError(_("The date of a stage cannot be in the future."))
        return date


PROJECT_FIELDS = [
    "name",
    "code",
    "responsible_unit",
    "owner",
    "carrying_leader",
    "headquarters",
    "investor",
    "industry",
    "focus_industry",
    "total_investment",
    "fixed_asset_investment",
    "registered_capital",
    "contracted_fdi",
    "utilized_fdi",
    "capital_origin",
    "returning_capital",
    "is_headquarters",
    "fortune500",
    "central_soe",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "land_use",
    "land_area",
    "talent_national",
    "talent_provincial",
    "talent_municipal",
    "talent_phd",
]


class ProjectForm(ScopedModelForm):
    """The project's facts. A new project also gets its first stage and date; after that the
    stage changes only through the stage-move page."""

    stage_date = forms.DateField(label=_("date of the stage"), widget=DateInput(), required=False)

    class Meta:
        model = Project
        fields = ["stage", *PROJECT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = self.instance._state.adding
        if self.creating:
            self.fields["stage_date"].initial = timezone.localdate()
            self.fields["stage_date"].required = True
            self.order_fields(["name", "code", "stage", "stage_date"])
        else:
            del self.fields["stage"]
            del self.fields["stage_date"]
        _style(self)

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        if stage == Stage.TERMINATED:
            raise ValidationError(_("A new project cannot start as terminated."))
        return stage

    def clean_stage_date(self):
        date = self.cleaned_data.get("stage_date")
        if date and date > timezone.localdate():
            raise ValidationError(_("The date of a stage cannot be in the future."))
        return date

    def _save_m2m(self):
        # Runs after the new project is saved, in the same transaction.
        super()._save_m2m()
        if self.creating:
            stages.record_start(self.instance, self.cleaned_data["stage_date"], self.user)


class StageMoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("new stage"))
    date = forms.DateField(label=_("date"), widget=DateInput())
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when moving back to an earlier stage or terminating."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["stage"].choices = [
            (stage.value, stage.label) for stage in stages.allowed_targets(project.stage)
        ]
        self.fields["date"].initial = timezone.localdate()
        _style(self)

    def clean(self):
        cleaned = super().clean()
        if "stage" in cleaned and "date" in cleaned:
            try:
                stages.check_move(
                    self.project, cleaned["stage"], cleaned["date"], cleaned.get("reason")
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return cleaned


class ProjectHeadquartersForm(ScopedModelForm):
    class Meta:
        model = ProjectHeadquarters
        fields = ["name", "unit", "commander"]


class ApprovalForm(ScopedModelForm):
    class Meta:
        model = Approval
        fields = ["project", "name", "owner", "start_date", "deadline", "done_date"]
        widgets = _date_widgets("start_date", "deadline", "done_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["list"] = "approval-names"
        self.fields["name"].help_text = _("For example: 环评, 能评, 土地摘牌, 施工许可")

    def clean(self):
        cleaned = super().clean()
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline cannot be before the start date."))
        return cleaned


class ProjectIssueForm(ScopedModelForm):
    class Meta:
        model = ProjectIssue
        fields = ["project", "problem", "measure", "owner", "due_date", "resolved_date"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 3}),
            **_date_widgets("due_date", "resolved_date"),
        }


class EvidenceForm(ScopedModelForm):
    class Meta:
        model = Evidence
        fields = ["project", "kind", "file", "description"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # unchanged file on edit
        self._content_type = check_upload(upload)
        return upload

    def save(self, commit=True):
        instance = super().save(commit=False)
        if getattr(self, "_content_type", None):
            upload = self.cleaned_data["file"]
            instance.content_type = self._content_type
            instance.size = upload.size
            instance.original_name = upload.name[:200]
        if commit:
            instance.save()
            self.save_m2m()
        return instance
