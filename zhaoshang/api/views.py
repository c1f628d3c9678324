"""The API's endpoints: one small declaration per model, on the page's declaration."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from zhaoshang.activities.forms import ActivityForm
from zhaoshang.activities.models import Activity
from zhaoshang.activities.views import ActivityViews
from zhaoshang.api.base import (
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    bound_data,
    form_errors,
    record_serializer,
)
from zhaoshang.carriers.forms import BuildingForm, LandParcelForm, ParkForm
from zhaoshang.carriers.models import Building, LandParcel, Park
from zhaoshang.carriers.views import BuildingViews, LandParcelViews, ParkViews
from zhaoshang.core.scope import ADD, CHANGE, can
from zhaoshang.enterprises.choices import EnterpriseTag
from zhaoshang.enterprises.forms import ContactForm, EnterpriseForm
from zhaoshang.enterprises.models import TAG_FIELDS, Contact, Enterprise
from zhaoshang.enterprises.privacy import phone_for
from zhaoshang.enterprises.views import ContactViews, EnterpriseViews
from zhaoshang.organization.forms import UnitForm
from zhaoshang.organization.models import Unit, User
from zhaoshang.organization.views import UnitViews, UserViews
from zhaoshang.pipeline import forms as pipeline_forms
from zhaoshang.pipeline import leads, stages
from zhaoshang.pipeline.choices import Stage
from zhaoshang.pipeline.evidence import EXTENSIONS as EVIDENCE_EXTENSIONS
from zhaoshang.pipeline.models import Approval, Evidence, Lead, Milestone, Project, ProjectIssue
from zhaoshang.pipeline.views import (
    ApprovalViews,
    EvidenceViews,
    LeadViews,
    ProjectIssueViews,
    ProjectViews,
)


def form_fields(form_class):
    return list(form_class._meta.fields)


# --- organization ------------------------------------------------------------------------


class UnitViewSet(ScopedModelViewSet):
    views = UnitViews
    api_description = _("Units of the organization tree (city, district, bureau, street …).")
    serializer_class = record_serializer(
        Unit, [*form_fields(UnitForm), "path", "depth"], read_only=("path", "depth")
    )
    ordering_fields = ("id", "name", "code", "path")


class UserViewSet(ScopedReadOnlyViewSet):
    views = UserViews
    api_description = _("Users (read only): who works in which unit.")
    serializer_class = record_serializer(
        User, ["username", "full_name", "unit", "title", "is_active"], read_only=("username",)
    )
    ordering_fields = ("id", "username", "full_name")


# --- enterprises -------------------------------------------------------------------------


class TagsField(serializers.ListField):
    """The enterprise's tags (500强, 央企 …) as a list of codes."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.ChoiceField(choices=EnterpriseTag.choices),
            source="*",
            required=False,
            help_text=_("Tags of the enterprise."),
            **kwargs,
        )

    def to_representation(self, value):
        return [tag for tag in TAG_FIELDS if getattr(value, tag)]


class EnterpriseViewSet(ScopedModelViewSet):
    views = EnterpriseViews
    api_description = _("Enterprises (企业库): investors and prospects, with credit codes.")
    serializer_class = record_serializer(
        Enterprise, form_fields(EnterpriseForm), extra={"tags": TagsField()}
    )
    ordering_fields = ("id", "name", "registered_capital", "created_at")


class PhoneField(serializers.CharField):
    """The phone as the user may see it: masked for roles without the right (privacy.py)."""

    def to_representation(self, value):
        return phone_for(self.context["request"].user, value)


class ContactViewSet(ScopedModelViewSet):
    views = ContactViews
    api_description = _("Contacts at enterprises; phones are masked for roles without the right.")
    serializer_class = record_serializer(
        Contact,
        form_fields(ContactForm),
        extra={"phone": PhoneField(required=False, allow_blank=True, max_length=30)},
    )
    ordering_fields = ("id", "name")


# --- pipeline ----------------------------------------------------------------------------


ProjectSerializer = record_serializer(
    Project,
    ["stage", *pipeline_forms.PROJECT_FIELDS, "lead", "created_at", "updated_at"],
    read_only=("lead", "created_at", "updated_at"),
    extra={
        "stage_date": serializers.DateField(
            write_only=True,
            required=False,
            help_text=_("Date of the first stage (on creation)."),
        )
    },
)


LeadSerializer = record_serializer(
    Lead,
    [*form_fields(pipeline_forms.LeadForm), "status", "drop_reason", "submitted_by"],
    read_only=("status", "drop_reason", "submitted_by"),
)


class DropSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the lead is dropped."))


class ConvertSerializer(serializers.Serializer):
    """What converting a lead asks; left out, a field takes the lead's value."""

    name = serializers.CharField(required=False, help_text=_("Default: the lead's enterprise."))
    responsible_unit = serializers.IntegerField(
        required=False, help_text=_("Default: the lead's unit.")
    )
    investor = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Default: the lead's enterprise.")
    )
    industry = serializers.CharField(required=False, allow_blank=True)
    total_investment = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    stage = serializers.ChoiceField(
        choices=[Stage.LEAD, Stage.NEGOTIATING],
        required=False,
        help_text=_("The project's first stage (default: negotiating)."),
    )
    stage_date = serializers.DateField(help_text=_("The date of that stage."))


def _refused(exc):
    """A lead action refused by its rules (pipeline/leads.py): 400 naming the status."""
    return exceptions.ValidationError({"status": exc.messages})


class LeadViewSet(ScopedModelViewSet):
    views = LeadViews
    api_description = _(
        "Leads (招商线索). Advisors see only the leads they submitted; their leads are "
        "filed under their own unit. A new lead is verified, a new or verified one dropped "
        "with a reason, a verified one converted into a project, through the actions."
    )
    serializer_class = LeadSerializer
    ordering_fields = ("id", "created_at", "intended_investment")

    def scope_action(self):
        if self.action in ("verify", "drop", "convert"):
            return CHANGE
        return super().scope_action()

    @extend_schema(
        request=None,
        responses={200: LeadSerializer},
        description=_("Verify a new lead (as the lead page's 核实 button)."),
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        lead = self.get_object()
        try:
            leads.verify(lead)
        except DjangoValidationError as exc:
            raise _refused(exc) from None
        return self._out(lead)

    @extend_schema(
        request=DropSerializer,
        responses={200: LeadSerializer},
        description=_("Drop a new or verified lead with a reason."),
    )
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        lead = self.get_object()
        try:
            leads.check_drop(lead)
        except DjangoValidationError as exc:
            raise _refused(exc) from None
        payload = request.data if isinstance(request.data, dict) else {}
        reason = payload.get("reason")
        form = pipeline_forms.LeadDropForm({"reason": reason if isinstance(reason, str) else ""})
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        leads.drop(lead, form.cleaned_data["reason"])
        return self._out(lead)

    @extend_schema(
        request=ConvertSerializer,
        responses={201: ProjectSerializer},
        description=_(
            "Convert a verified lead into a project at its first stage (lead or negotiating) "
            "on a date; the lead becomes converted. Needs the right to add projects."
        ),
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        lead = self.get_object()
        if not can(request.user, Project, ADD):
            raise PermissionDenied
        try:
            leads.check_convert(lead)
        except DjangoValidationError as exc:
            raise _refused(exc) from None
        data = bound_data(leads.convert_form(lead, user=request.user), request.data)
        form = leads.convert_form(lead, data, user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        project = leads.convert(lead, form, request.user)
        shown = ProjectViews.list_queryset(Project.objects.filter(pk=project.pk)).get()
        data = ProjectSerializer(shown, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class MoveSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text=_("The new stage."))
    date = serializers.DateField(help_text=_("The date of the stage."))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Needed when moving back to an earlier stage or terminating."),
    )


MilestoneSerializer = record_serializer(
    Milestone,
    ["project", "stage", "from_stage", "date", "reason", "recorded_by", "recorded_at"],
    read_only=("project", "stage", "from_stage", "date", "reason", "recorded_by"),
)


class ProjectViewSet(ScopedModelViewSet):
    views = ProjectViews
    api_description = _(
        "Projects (项目). The stage is set on creation (with `stage_date`) and then changes "
        "only through the move action, which applies the same rules as the page."
    )
    serializer_class = ProjectSerializer
    ordering_fields = ("id", "name", "total_investment", "created_at", "updated_at")

    def scope_action(self):
        return CHANGE if self.action == "move" else super().scope_action()

    @extend_schema(
        request=MoveSerializer,
        responses={201: MilestoneSerializer},
        description=_(
            "Move the project to another stage on a date, with the page's rules (moving "
            "back or terminating needs a reason; no future dates); records a milestone."
        ),
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the project to another stage on a date; records a milestone."""
        project = self.get_object()
        payload = request.data if isinstance(request.data, dict) else {}
        form = pipeline_forms.StageMoveForm(
            {k: payload.get(k) or "" for k in ("stage", "date", "reason")}, project=project
        )
        if not form.is_valid():
            raise exceptions.ValidationError(
                {k: list(v) for k, v in form.errors.items() if k != "__all__"}
                or {"non_field_errors": list(form.non_field_errors())}
            )
        try:
            with transaction.atomic():
                milestone = stages.move(
                    project,
                    form.cleaned_data["stage"],
                    form.cleaned_data["date"],
                    request.user,
                    form.cleaned_data["reason"],
                )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        data = MilestoneSerializer(milestone, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class MilestoneViews:
    """Milestones have no page of their own; they are read through their project's scope."""

    model = Milestone
    filterset = None

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("project", "recorded_by")


class MilestoneViewSet(ScopedReadOnlyViewSet):
    views = MilestoneViews
    api_description = _("Milestones: the dated stage changes of projects (read only).")
    serializer_class = MilestoneSerializer
    filterset_fields = ("project", "stage")
    ordering_fields = ("id", "date")

    @property
    def filterset_class(self):
        return None


class ApprovalViewSet(ScopedModelViewSet):
    views = ApprovalViews
    api_description = _("Approvals and services after signing, with deadlines.")
    serializer_class = record_serializer(
        Approval,
        [*form_fields(pipeline_forms.ApprovalForm), "is_overdue"],
        extra={"is_overdue": serializers.BooleanField(read_only=True)},
    )
    ordering_fields = ("id", "deadline")


class ProjectIssueViewSet(ScopedModelViewSet):
    views = ProjectIssueViews
    api_description = _("Problems of projects with the measures taken (问题清单).")
    serializer_class = record_serializer(ProjectIssue, form_fields(pipeline_forms.ProjectIssueForm))
    ordering_fields = ("id", "due_date")


class EvidenceSerializer(
    record_serializer(
        Evidence,
        ["project", "kind", "file", "description", "original_name", "content_type", "size"],
        read_only=("original_name", "content_type", "size"),
        extra={
            "file": serializers.FileField(
                write_only=True,
                required=False,
                help_text=_("The file (multipart upload; required on creation)."),
            ),
            "download": serializers.SerializerMethodField(
                help_text=_("Address of the file's download.")
            ),
        },
    )
):
    def get_download(self, obj) -> str:
        return reverse("api:evidence-download", args=[obj.pk])


class EvidenceViewSet(ScopedModelViewSet):
    views = EvidenceViews
    api_description = _(
        "Evidence files of projects (PDF, JPEG, PNG, Word .docx, Excel .xlsx; at most 20 MB, "
        "checked by content as on the page). Upload as multipart/form-data with the file in "
        "`file`; read the file at …/download/."
    )
    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ("id",)

    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY
            for content_type in (*EVIDENCE_EXTENSIONS, "application/octet-stream")
        },
        description=_("The evidence file itself, as uploaded."),
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise exceptions.NotFound(_("The file of this record is missing.")) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type or "application/octet-stream",
        )

    def perform_content_negotiation(self, request, force=False):
        # A download answers the file whatever Accept says; its errors are JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download"
        )


# --- activities and carriers -------------------------------------------------------------


class ActivityViewSet(ScopedModelViewSet):
    views = ActivityViews
    api_description = _("Activities: trips, visits, negotiations, events and signings.")
    serializer_class = record_serializer(Activity, form_fields(ActivityForm))
    prefetch = ("enterprises", "projects")
    ordering_fields = ("id", "start_date")


class ParkViewSet(ScopedModelViewSet):
    views = ParkViews
    api_description = _("Parks (园区).")
    serializer_class = record_serializer(Park, form_fields(ParkForm))
    ordering_fields = ("id", "name")


class LandParcelViewSet(ScopedModelViewSet):
    views = LandParcelViews
    api_description = _("Land parcels (地块).")
    serializer_class = record_serializer(LandParcel, form_fields(LandParcelForm))
    ordering_fields = ("id", "code", "area_mu")


class BuildingViewSet(ScopedModelViewSet):
    views = BuildingViews
    api_description = _("Buildings (楼宇) and their floor areas.")
    serializer_class = record_serializer(Building, form_fields(BuildingForm))
    ordering_fields = ("id", "name")
