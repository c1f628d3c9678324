"""每周汇总: the week's work by unit — leads, trips, visits, hosted visits, signings, starts,
stage moves — with the overdue approvals and open problems at the week's end."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from zhaoshang.reports import wording as w
from zhaoshang.reports.base import (
    ReportGenerator,
    count_cell,
    leads_between,
    ledger_url,
    paragraph,
    table,
)


class WeeklySummary(ReportGenerator):
    code = "weekly_summary"
    title = _("Weekly summary")
    description = _(
        "The week's new leads, trips, visits, hosted visits, signings, starts and stage moves, "
        "with overdue approvals and open problems, by unit of a unit class."
    )
    params = ("unit", "unit_class", "week")

    @property
    def week(self):
        day = datetime.date.fromisoformat(self.raw["week"])
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)

    def period_code(self):
        start, _end = self.week
        year, number, _day = start.isocalendar()
        return f"{year}W{number:02d}"

    def rows_units(self):
        from zhaoshang.organization.models import Unit, UnitClass

        unit = self.unit
        under = Unit.objects.filter(path__startswith=unit.path, is_active=True)
        if self.raw.get("unit_class"):
            self.unit_class = UnitClass.objects.get(pk=self.raw["unit_class"])
            return list(under.filter(unit_class=self.unit_class).order_by("path"))
        self.unit_class = None
        children = list(under.filter(parent=unit).order_by("path"))
        return children or [unit]

    def compute(self):
        start, end = self.week
        units = self.rows_units()
        body, totals = [], [0] * (len(w.WEEKLY_COLUMNS) - 1)
        for unit in units:
            counts = self.counts(unit, start, end)
            totals = [a + b for a, b in zip(totals, [c for c, _u in counts], strict=True)]
            body.append([unit.name, *[count_cell(c, url) for c, url in counts]])
        body.append([w.WEEKLY_TOTAL, *[count_cell(t) for t in totals]])
        label = w.WEEKLY_LABEL.format(start=w.cn_date(start), end=w.cn_month_day(end))
        scope = self.unit_class.name if self.unit_class else self.unit.name
        intro = w.WEEKLY_INTRO.format(
            label=label,
            scope=scope,
            leads=totals[0],
            trips=totals[1],
            signed=totals[4],
            started=totals[5],
            overdue=totals[7],
            issues=totals[8],
        )
        return self.document(
            f"{self.unit.name} · {label}",
            [
                paragraph([intro]),
                table(w.WEEKLY_TABLE, w.WEEKLY_COLUMNS, body, [False] + [True] * 9),
            ],
            title=w.WEEKLY_TITLE.format(scope=scope, label=label),
        )

    def counts(self, unit, start, end):
        """[(count, ledger url)] of the row's columns, in WEEKLY_COLUMNS order."""
        from zhaoshang.activities.models import Activity
        from zhaoshang.organization.models import Unit
        from zhaoshang.pipeline.models import Approval, Milestone, Project, ProjectIssue

        under = Unit.objects.filter(path__startswith=unit.path).values("pk")
        leads = leads_between(start, end, unit)
        result = [
            (
                self.visible(leads).count(),
                ledger_url(
                    "pipeline:lead_list", within=unit.pk, created_after=start, created_before=end
                ),
            )
        ]
        for kind in ("trip", "visit", "hosted_visit"):
            qs = Activity.objects.filter(
                kind=kind, start_date__gte=start, start_date__lte=end, unit__in=under
            )
            url = ledger_url(
                "activities:activity_list", within=unit.pk, kind=kind, date_from=start, date_to=end
            )
            result.append((self.visible(qs).count(), url))
        projects = Project.objects.filter(responsible_unit__in=under)
        for stage in ("signed", "started"):
            earlier = Milestone.objects.filter(project=OuterRef("pk"), stage=stage, date__lt=start)
            now = Milestone.objects.filter(
                project=OuterRef("pk"), stage=stage, date__gte=start, date__lte=end
            )
            qs = projects.filter(Exists(now)).exclude(Exists(earlier))
            url = ledger_url(
                "pipeline:project_list",
                within=unit.pk,
                reached=stage,
                reached_from=start,
                reached_until=end,
            )
            result.append((self.visible(qs).count(), url))
        moves = Milestone.objects.filter(
            date__gte=start, date__lte=end, project__in=projects
        ).exclude(from_stage="")
        url = ledger_url(
            "pipeline:milestone_list", within=unit.pk, moves="true", date_from=start,
            date_until=end,
        )  # fmt: skip
        result.append((self.visible(moves).count(), url))
        approvals = Approval.objects.filter(project__in=projects).overdue(end)
        result.append(
            (
                self.visible(approvals).count(),
                ledger_url("pipeline:approval_list", within=unit.pk, overdue="true"),
            )
        )
        issues = ProjectIssue.objects.filter(project__in=projects, resolved_date__isnull=True)
        result.append(
            (
                self.visible(issues).count(),
                ledger_url("pipeline:projectissue_list", within=unit.pk, resolved="false"),
            )
        )
        return result
