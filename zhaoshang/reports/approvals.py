"""逾期审批事项清单: approvals past their deadline and not done (限时办结 missed)."""

from django.utils.translation import gettext_lazy as _

from zhaoshang.reports import wording as w
from zhaoshang.reports.base import ReportGenerator, fig, ledger_url, paragraph, table


class OverdueApprovals(ReportGenerator):
    code = "overdue_approvals"
    title = _("Overdue approvals list")
    description = _("Approvals past their deadline and not done, longest overdue first.")
    params = ("unit",)

    def period_code(self):
        return f"{self.today:%Y-%m-%d}"

    def compute(self):
        from zhaoshang.organization.models import Unit
        from zhaoshang.pipeline.models import Approval

        today = self.today
        qs = Approval.objects.filter(
            project__responsible_unit__in=Unit.objects.filter(
                path__startswith=self.unit.path
            ).values("pk")
        ).overdue(today)
        qs = self.visible(qs).select_related("project__responsible_unit", "owner")
        rows = [
            [
                fig(a.project.name, None, a.project.get_absolute_url()),
                fig(a.name, None, a.get_absolute_url()),
                a.project.responsible_unit.name,
                (a.owner.full_name or a.owner.username) if a.owner else "—",
                f"{a.deadline:%Y-%m-%d}",
                fig(str((today - a.deadline).days), (today - a.deadline).days),
            ]
            for a in qs.order_by("deadline", "pk")
        ]
        url = ledger_url("pipeline:approval_list", within=self.unit.pk, overdue="true")
        intro = w.fill(
            w.APPROVALS_INTRO, date=w.cn_date(today), n=fig(str(len(rows)), len(rows), url)
        )
        return self.document(
            f"{self.unit.name} · {today:%Y-%m-%d}",
            [
                paragraph(intro),
                table(w.APPROVALS_TABLE, w.APPROVALS_COLUMNS, rows, [False] * 5 + [True]),
            ],
            title=w.APPROVALS_TITLE.format(unit=self.unit.name),
        )
