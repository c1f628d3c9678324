"""Which columns: the ledgers of leads, projects, approvals, issues and evidence."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import BaseTable
from zhaoshang.pipeline import flags
from zhaoshang.pipeline.models import (
    Approval,
    Evidence,
    Lead,
    Milestone,
    Project,
    ProjectHeadquarters,
    ProjectIssue,
)


class AmountColumn(tables.Column):
    """A money or area column: right-aligned, two decimals, thousands separators."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
        )
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:,.2f}"


class LeadTable(BaseTable):
    name = tables.Column(
        verbose_name=_("enterprise"), accessor="enterprise_name", linkify=True, order_by="id"
    )
    intended_investment = AmountColumn()
    created_at = tables.DateColumn(verbose_name=_("submitted on"), format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = Lead
        fields = (
            "name",
            "unit",
            "channel",
            "industry",
            "intended_investment",
            "status",
            "submitted_by",
            "created_at",
        )
        totals = ("intended_investment",)

    def render_name(self, record):
        return record.display_name


class ProjectTable(BaseTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    total_investment = AmountColumn()
    fixed_asset_investment = AmountColumn()
    contracted_fdi = AmountColumn()
    flags = tables.Column(
        verbose_name=_("flags"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"style": "white-space: normal; min-width: 9rem"}},
    )

    class Meta(BaseTable.Meta):
        model = Project
        fields = (
            "code",
            "name",
            "responsible_unit",
            "stage",
            "industry",
            "total_investment",
            "fixed_asset_investment",
            "contracted_fdi",
            "flags",
        )
        totals = ("total_investment", "fixed_asset_investment", "contracted_fdi")

    def render_flags(self, record):
        found = flags.flags_of(record)
        if not found:
            return "—"
        return format_html_join(
            " ", '<span class="badge bg-blue-lt" data-flag="{}">{}</span>', found
        )


class MilestoneTable(BaseTable):
    class Meta(BaseTable.Meta):
        model = Milestone
        fields = ("date", "stage", "from_stage", "reason", "recorded_by")


class MilestoneLedgerTable(BaseTable):
    project = tables.Column(linkify=True)
    date = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = Milestone
        fields = ("date", "project", "from_stage", "stage", "reason", "recorded_by")
        sequence = fields


class ApprovalTable(BaseTable):
    name = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    deadline = tables.DateColumn(format="Y-m-d")
    start_date = tables.DateColumn(format="Y-m-d")
    done_date = tables.DateColumn(format="Y-m-d")
    state = tables.Column(verbose_name=_("state"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Approval
        fields = ("name", "project", "owner", "start_date", "deadline", "done_date", "state")
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}

    def render_state(self, record):
        if record.done_date:
            return format_html('<span class="badge bg-green-lt">{}</span>', _("Done"))
        if record.is_overdue:
            return format_html(
                '<span class="badge bg-red text-white" data-testid="overdue">{}</span>',
                _("Overdue"),
            )
        return format_html('<span class="badge bg-azure-lt">{}</span>', _("In progress"))


class ProjectIssueTable(BaseTable):
    problem = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    due_date = tables.DateColumn(format="Y-m-d")
    resolved_date = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = ProjectIssue
        fields = ("problem", "measure", "project", "owner", "due_date", "resolved_date")


class EvidenceTable(BaseTable):
    original_name = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    size = tables.Column(verbose_name=_("size"), attrs={"td": {"class": "text-end"}})
    download = tables.Column(verbose_name=_("download"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Evidence
        fields = ("original_name", "kind", "project", "size", "description", "download")

    def render_size(self, value):
        if value < 1024:
            return f"{value} B"
        if value < 1024 * 1024:
            return f"{value / 1024:,.0f} KB"
        return f"{value / 1024 / 1024:,.1f} MB"

    def render_download(self, record):
        return format_html(
            '<a href="{}"><i class="ti ti-download"></i> {}</a>',
            record.get_download_url(),
            _("Download"),
        )


class ProjectHeadquartersTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ProjectHeadquarters
        fields = ("name", "unit", "commander")
