"""The API's endpoints: one small declaration per model, on the page's declaration."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhaoshang.activities.forms import ActivityForm
from zhaoshang.activities.models import Activity
from zhaoshang.activities.views import ActivityViews
from zhaoshang.api.base import (
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    record_serializer,
)
from zhaoshang.carriers.forms import BuildingForm, LandParcelForm, ParkForm
from zhaoshang.carriers.models import Building, LandParcel, Park
from zhaoshang.carriers.views import BuildingViews, LandParcelViews, ParkViews
from zhaoshang.core.scope import CHANGE
from zhaoshang.enterprises.choices import EnterpriseTag
from zhaoshang.enterprises.forms import ContactForm, EnterpriseForm
from zhaoshang.enterprises.models import TAG_FIELDS, Contact, Enterprise
from zhaoshang.enterprises.privacy import phone_for
from zhaoshang.enterprises.views import ContactViews, EnterpriseViews
from zhaoshang.organization.forms import UnitForm
from zhaoshang.organization.models import Unit, User
from zhaoshang.organization.views import UnitViews, UserViews
from zhaoshang.pipeline import forms as pipeline_forms
from zhaoshang.pipeline import stages
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
    description = _("Units of the organization tree (city, district, bureau, street …).")
    serializer_class = record_serializer(
        Unit, [*form_fields(UnitForm), "path", "depth"], read_only=("path", "depth")
    )
    ordering_fields = ("id", "name", "code", "path")


class UserViewSet(ScopedReadOnlyViewSet):
    views = UserViews
    description = _("Users (read only): who works in which unit.")
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
    description = _("Enterprises (企业库): investors and prospects, with credit codes.")
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
    description = _("Contacts at enterprises; phones are masked for roles without the right.")
    serializer_class = record_serializer(
        Contact,
        form_fields(ContactForm),
        extra={"phone": PhoneField(required=False, allow_blank=True, max_length=30)},
    )
    ordering_fields = ("id", "name")


# --- pipeline ----------------------------------------------------------------------------


class LeadViewSet(ScopedModelViewSet):
    views = LeadViews
    description = _(
        "Leads (招商线索). Advisors see only the leads they submitted; their leads are "
        "filed under their own unit."
    )
    serializer_class = record_serializer(
        Lead,
        [*form_fields(pipeline_forms.LeadForm), "status", "drop_reason", "submitted_by"],
        read_only=("status", "drop_reason", "submitted_by"),
    )
    ordering_fields = ("id", "created_at", "intended_investment")


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
    description = _(
        "Projects (项目). The stage is set on creation (with `stage_date`) and then changes "
        "only through the move action, which applies the same rules as the page."
    )
    serializer_class = record_serializer(
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
    description = _("Milestones: the dated stage changes of projects (read only).")
    serializer_class = MilestoneSerializer
    filterset_fields = ("project", "stage")
    ordering_fields = ("id", "date")

    @property
    def filterset_class(self):
        return None


class ApprovalViewSet(ScopedModelViewSet):
    views = ApprovalViews
    description = _("Approvals and services after signing, with deadlines.")
    serializer_class = record_serializer(
        Approval,
        [*form_fields(pipeline_forms.ApprovalForm), "is_overdue"],
        extra={"is_overdue": serializers.BooleanField(read_only=True)},
    )
    ordering_fields = ("id", "deadline")


class ProjectIssueViewSet(ScopedModelViewSet):
    views = ProjectIssueViews
    description = _("Problems of projects with the measures taken (问题清单).")
    serializer_class = record_serializer(ProjectIssue, form_fields(pipeline_forms.ProjectIssueForm))
    ordering_fields = ("id", "due_date")


class EvidenceViewSet(ScopedReadOnlyViewSet):
    views = EvidenceViews
    description = _(
        "Evidence files of projects: metadata only (read only); files are uploaded and "
        "downloaded on the pages."
    )
    serializer_class = record_serializer(
        Evidence,
        ["project", "kind", "original_name", "content_type", "size", "description"],
    )
    ordering_fields = ("id",)


# --- activities and carriers -------------------------------------------------------------


class ActivityViewSet(ScopedModelViewSet):
    views = ActivityViews
    description = _("Activities: trips, visits, negotiations, events and signings.")
    serializer_class = record_serializer(Activity, form_fields(ActivityForm))
    prefetch = ("enterprises", "projects")
    ordering_fields = ("id", "start_date")


class ParkViewSet(ScopedModelViewSet):
    views = ParkViews
    description = _("Parks (园区).")
    serializer_class = record_serializer(Park, form_fields(ParkForm))
    ordering_fields = ("id", "name")


class LandParcelViewSet(ScopedModelViewSet):
    views = LandParcelViews
    description = _("Land parcels (地块).")
    serializer_class = record_serializer(LandParcel, form_fields(LandParcelForm))
    ordering_fields = ("id", "code", "area_mu")


class BuildingViewSet(ScopedModelViewSet):
    views = BuildingViews
    description = _("Buildings (楼宇) and their floor areas.")
    serializer_class = record_serializer(Building, form_fields(BuildingForm))
    ordering_fields = ("id", "name")
