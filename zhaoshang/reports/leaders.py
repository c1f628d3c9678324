"""领导分包项目推进表: the projects each leader carries, with stage, latest progress, overdue
approvals and open problems."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.reports import wording as w
from zhaoshang.reports.base import (
    ReportGenerator,
    cn_date,
    count_cell,
    fig,
    ledger_url,
    paragraph,
    table,
)
from zhaoshang.reports.wording import amount


class LeaderProjects(ReportGenerator):
    code = "leader_projects"
    title = _("Leader-carried projects")
    description = _(
        "Every project a leader carries in the unit's subtree: stage, latest milestone, "
        "overdue approvals and open problems, grouped by leader."
    )
    params = ("unit",)

    def period_code(self):
        return f"{self.today:%Y-%m-%d}"

    def compute(self):
        from zhaoshang.organization.models import Unit
        from zhaoshang.pipeline.models import Project

        today = self.today
        qs = Project.objects.filter(
            carrying_leader__isnull=False,
            responsible_unit__in=Unit.objects.filter(path__startswith=self.unit.path).values("pk"),
        )
        qs = (
            self.visible(qs)
            .select_related("carrying_leader", "responsible_unit")
            .prefetch_related("milestones")
            .annotate(
                overdue=Count(
                    "approvals",
                    filter=Q(approvals__deadline__lt=today, approvals__done_date__isnull=True),
                    distinct=True,
                ),
                open_issues=Count(
                    "issues", filter=Q(issues__resolved_date__isnull=True), distinct=True
                ),
            )
            .order_by("carrying_leader__username", "-total_investment", "pk")
        )
        rows, leaders = [], set()
        for p in qs:
            leader = p.carrying_leader.full_name or p.carrying_leader.username
            leaders.add(leader)
            last = max(p.milestones.all(), key=lambda m: (m.date, m.pk), default=None)
            progress = f"{m_date(last)} {last.get_stage_display()}" if last else "—"
            rows.append(
                [
                    leader,
                    fig(p.name, None, p.get_absolute_url()),
                    p.responsible_unit.name,
                    fig(
                        amount(p.total_investment, "万元") if p.total_investment else "—",
                        p.total_investment,
                    ),
                    str(p.get_stage_display()),
                    progress,
                    count_cell(
                        p.overdue, ledger_url("pipeline:approval_list", q=p.code, overdue="true")
                    ),
                    count_cell(
                        p.open_issues,
                        ledger_url("pipeline:projectissue_list", q=p.code, resolved="false"),
                    ),
                ]
            )
        intro = w.LEADERS_INTRO.format(
            date=cn_date(today), leaders=len(leaders), projects=len(rows)
        )
        return self.document(
            f"{self.unit.name} · {today:%Y-%m-%d}",
            [
                paragraph([intro]),
                table(
                    w.LEADERS_TABLE,
                    w.LEADERS_COLUMNS,
                    rows,
                    [False, False, False, True, False, False, True, True],
                ),
            ],
            title=w.LEADERS_TITLE.format(unit=self.unit.name),
        )


def m_date(milestone):
    return f"{milestone.date:%Y-%m-%d}"
