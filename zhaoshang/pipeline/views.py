"""Pages of the pipeline: ledgers of leads, projects and their child records, the lead
actions (verify, convert, drop), the stage move and the scoped evidence download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core.scope import ADD, CHANGE, VIEW, can
from zhaoshang.core.views import ObjectEditView, ObjectListView, ObjectViews
from zhaoshang.pipeline import filtersets, flags, forms, leads, stages, tables
from zhaoshang.pipeline.choices import LeadStatus
from zhaoshang.pipeline.models import (
    Approval,
    Evidence,
    Lead,
    Milestone,
    Project,
    ProjectHeadquarters,
    ProjectIssue,
)


class LeadViews(ObjectViews):
    model = Lead
    filterset = filtersets.LeadFilterSet
    table = tables.LeadTable
    form = forms.lead_form
    detail_template = "pipeline/lead_detail.html"
    detail_fields = (
        "enterprise",
        "enterprise_name",
        "unit",
        "channel",
        "industry",
        "intended_investment",
        "summary",
        "status",
        "drop_reason",
        "submitted_by",
    )

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "enterprise", "submitted_by")

    @classmethod
    def new_instance(cls, user):
        return Lead(unit=user.unit, submitted_by=user)

    @classmethod
    def extra_detail_context(cls, obj, user):
        editable = Lead.objects.visible_to(user, CHANGE).filter(pk=obj.pk).exists()
        project = Project.objects.visible_to(user).filter(lead=obj).first()
        return {
            "can_verify": editable and obj.status == LeadStatus.NEW,
            "can_drop": editable and obj.status in (LeadStatus.NEW, LeadStatus.VERIFIED),
            "can_convert": editable
            and obj.status == LeadStatus.VERIFIED
            and can(user, Project, ADD),
            "project": project,
        }


def _for_change(request, model, pk):
    """The record to change, as the generic views decide: a role without the view right
    gets 403, a record outside the scope 404, a visible record the user may not change 403."""
    if not can(request.user, model, VIEW):
        raise PermissionDenied
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not model.objects.visible_to(request.user, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied
    return obj


def _lead_for_change(request, pk):
    return _for_change(request, Lead, pk)


@require_POST
def lead_verify(request, pk):
    lead = _lead_for_change(request, pk)
    try:
        leads.verify(lead)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The lead is verified."))
    return redirect(lead.get_absolute_url())


def lead_drop(request, pk):
    lead = _lead_for_change(request, pk)
    try:
        leads.check_drop(lead)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(lead.get_absolute_url())
    form = forms.LeadDropForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            leads.drop(lead, form.cleaned_data["reason"])
            messages.success(request, _("The lead is dropped."))
            return redirect(lead.get_absolute_url())
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "pipeline/action_form.html",
        {"form": form, "object": lead, "title": _("Drop lead"), "submit": _("Drop")},
    )


def lead_convert(request, pk):
    lead = _lead_for_change(request, pk)
    if not can(request.user, Project, ADD):
        raise PermissionDenied
    try:
        leads.check_convert(lead)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(lead.get_absolute_url())
    form = leads.convert_form(lead, request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            project = leads.convert(lead, form, request.user)
            messages.success(
                request, _("The lead is converted into project %(name)s.") % {"name": project}
            )
            return redirect(project.get_absolute_url())
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "pipeline/action_form.html",
        {"form": form, "object": lead, "title": _("Convert into project"), "submit": _("Convert")},
    )


class ProjectViews(ObjectViews):
    model = Project
    filterset = filtersets.ProjectFilterSet
    table = tables.ProjectTable
    form = forms.ProjectForm
    detail_template = "pipeline/project_detail.html"
    detail_fields = ("code", "stage", "lead", *forms.PROJECT_FIELDS[2:])

    @classmethod
    def list_queryset(cls, queryset):
        return flags.with_flags(queryset.select_related("responsible_unit"))

    @classmethod
    def extra_detail_context(cls, obj, user):
        milestones = list(obj.milestones.select_related("recorded_by"))
        annotated = flags.with_flags(Project.objects.filter(pk=obj.pk)).first()
        approvals = (
            Approval.objects.visible_to(user).filter(project=obj).select_related("owner", "project")
        )
        issues = (
            ProjectIssue.objects.visible_to(user)
            .filter(project=obj)
            .select_related("owner", "project")
        )
        evidence = Evidence.objects.visible_to(user).filter(project=obj).select_related("project")
        editable = Project.objects.visible_to(user, CHANGE).filter(pk=obj.pk).exists()
        steps = stages.timeline(milestones)
        return {
            "steps": [(step, _span(step)) for step in steps],
            "spans": [
                (a, b, stages.span_label(days)) for a, b, days in stages.key_spans(milestones)
            ],
            "flags": flags.flags_of(annotated),
            "approvals": tables.ApprovalTable(approvals, orderable=False, exclude=("project",)),
            "overdue_count": sum(1 for a in approvals if a.is_overdue),
            "issues": tables.ProjectIssueTable(issues, orderable=False, exclude=("project",)),
            "evidence": tables.EvidenceTable(evidence, orderable=False, exclude=("project",)),
            "can_move": editable,
            "can_add_child": editable,
            "move_url": reverse("pipeline:project_move", args=[obj.pk]),
        }


def _span(step):
    if step.days_since_previous is None:
        return ""
    return stages.span_label(step.days_since_previous)


def project_move(request, pk):
    """推进阶段: move the project to another stage on a date, recording a milestone."""
    project = _for_change(request, Project, pk)
    form = forms.StageMoveForm(request.POST or None, project=project)
    if request.method == "POST":
        if form.is_valid():
            try:
                milestone = stages.move(
                    project,
                    form.cleaned_data["stage"],
                    form.cleaned_data["date"],
                    request.user,
                    form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(
                    request,
                    _("%(project)s moved to “%(stage)s” on %(date)s.")
                    % {
                        "project": project,
                        "stage": milestone.get_stage_display(),
                        "date": f"{milestone.date:%Y-%m-%d}",
                    },
                )
                return redirect(project.get_absolute_url())
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "pipeline/action_form.html",
        {"form": form, "object": project, "title": _("Move stage"), "submit": _("Save")},
    )


class ChildAddView(ObjectEditView):
    """Add a child record (approval, issue, evidence) from its project's page."""

    def get_object(self, pk):
        self.require(ADD)
        project = get_object_or_404(
            Project.objects.visible_to(self.request.user), pk=self.kwargs["project_pk"]
        )
        if not Project.objects.visible_to(self.request.user, CHANGE).filter(pk=project.pk).exists():
            raise PermissionDenied
        return self.model(project=project)

    def get(self, request, project_pk):
        return super().get(request)

    def post(self, request, project_pk):
        response = super().post(request)
        if response.status_code == 302:
            return redirect(reverse("pipeline:project_detail", args=[project_pk]))
        return response


class ChildViews(ObjectViews):
    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("project", "owner")

    @classmethod
    def urls(cls):
        name = cls.model._meta.model_name
        return [
            *super().urls(),
            path(
                f"projects/<int:project_pk>/{name}s/add/",
                ChildAddView.as_view(spec=cls),
                name=f"{name}_add_to_project",
            ),
        ]


class ApprovalListView(ObjectListView):
    """The approvals ledger, with the count of overdue approvals per responsible unit."""

    def base_context(self, **extra):
        overdue = (
            Approval.objects.visible_to(self.request.user)
            .overdue(timezone.localdate())
            .values("project__responsible_unit__name")
            .annotate(count=Count("id"))
            .order_by("-count", "project__responsible_unit__name")
        )
        return super().base_context(overdue_by_unit=list(overdue), **extra)


class MilestoneViews(ObjectViews):
    """阶段变更记录: every stage a project reached, and when; recorded by moves only."""

    model = Milestone
    filterset = filtersets.MilestoneFilterSet
    table = tables.MilestoneLedgerTable
    actions = ("list", "export")

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("project", "recorded_by")


class ApprovalViews(ChildViews):
    model = Approval
    filterset = filtersets.ApprovalFilterSet
    table = tables.ApprovalTable
    form = forms.ApprovalForm
    list_template = "pipeline/approval_list.html"

    @classmethod
    def urls(cls):
        patterns = super().urls()
        patterns[0] = path("approvals/", ApprovalListView.as_view(spec=cls), name="approval_list")
        return patterns


class ProjectIssueViews(ChildViews):
    model = ProjectIssue
    filterset = filtersets.ProjectIssueFilterSet
    table = tables.ProjectIssueTable
    form = forms.ProjectIssueForm


class EvidenceViews(ChildViews):
    model = Evidence
    filterset = filtersets.EvidenceFilterSet
    table = tables.EvidenceTable
    form = forms.EvidenceForm
    detail_fields = ("project", "kind", "original_name", "content_type", "size", "description")

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("project")


class ProjectHeadquartersViews(ObjectViews):
    model = ProjectHeadquarters
    filterset = filtersets.ProjectHeadquartersFilterSet
    table = tables.ProjectHeadquartersTable
    form = forms.ProjectHeadquartersForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "commander")

    @classmethod
    def urls(cls):
        # "headquarters/" rather than the generated plural "projectheadquarterss/".
        return [
            path(
                str(p.pattern).replace("projectheadquarterss/", "headquarters/"),
                p.callback,
                name=p.name,
            )
            for p in super().urls()
        ]

    @classmethod
    def related(cls, obj, user):
        projects = flags.with_flags(
            Project.objects.visible_to(user)
            .filter(headquarters=obj)
            .select_related("responsible_unit")
        )
        return [(_("Projects"), tables.ProjectTable(projects, orderable=False))]


def evidence_download(request, pk):
    """The file of an evidence record, through the unit scope (out of scope → 404)."""
    if not can(request.user, Evidence, VIEW):
        raise PermissionDenied
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
