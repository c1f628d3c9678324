"""月度通报: a peer group's monthly ranking notice, in the form of a government notice.

The ranking is `targets.assessment.rank` over the same units as the ranking page (the
group's active units the user sees, by path) for January to the month, so the notice lists
units in the page's order; movement is since the last monthly snapshot of an earlier month.
"""

from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import BEHIND, Period
from zhaoshang.reports import wording as w
from zhaoshang.reports.base import (
    ReportGenerator,
    fig,
    heading,
    ledger_url,
    paragraph,
    records_url,
    scope_units,
    table,
)


def movement_text(value):
    if value is None:
        return w.NOTICE_NEW
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "—"


class MonthlyNotice(ReportGenerator):
    code = "monthly_notice"
    title = _("Monthly ranking notice")
    description = _(
        "A peer group's ranking for January to the month with scores and movement, each "
        "unit's completion against time progress, the units behind pace and the projects "
        "that moved; as a government notice (A4, document number, issuing unit)."
    )
    params = ("peer_group", "month", "doc_number")
    notice = True

    @classmethod
    def available_to(cls, user):
        from zhaoshang.organization.models import PeerGroup

        return PeerGroup.objects.visible_to(user).exists()

    @property
    def group(self):
        from zhaoshang.organization.models import PeerGroup

        return PeerGroup.objects.select_related("owner_unit").get(pk=self.raw["peer_group"])

    @property
    def month(self):
        return Period.parse(self.raw["month"])

    @property
    def period(self):
        """January to the month: what completion and the ranking are judged on."""
        return self.month.year_to_date()

    def owner_unit(self):
        return self.group.owner_unit

    def period_code(self):
        return self.raw["month"]

    def units(self):
        from zhaoshang.organization.models import Unit

        units = Unit.objects.filter(peer_group=self.group, is_active=True)
        if self.user is not None:
            units = units.filter(pk__in=scope_units(self.user).values("pk"))
        return list(units.order_by("path"))

    def _previous(self):
        """The latest monthly snapshot published for a period ending before this month."""
        from zhaoshang.targets.models import RankingSnapshot, SnapshotKind

        snapshots = RankingSnapshot.objects.filter(
            peer_group=self.group, kind=SnapshotKind.MONTHLY
        ).order_by("-taken_at", "-id")
        for snapshot in snapshots[:50]:
            try:
                ended = Period.parse(snapshot.period_code).end
            except ValueError:
                continue
            if ended < self.month.start:
                return snapshot
        return None

    def compute(self):
        from zhaoshang.targets import assessment

        group, period, month = self.group, self.period, self.month
        units = self.units()
        indicators = assessment.indicators_for(units, period.year) if units else []
        rows = assessment.rank(units, period, indicators)
        previous = self._previous()
        assessment.with_movement(rows, previous)
        ranking_url = ledger_url("targets:ranking", group=group.pk, period=period.code)
        blocks = [
            paragraph([w.NOTICE_ADDRESSEE.format(group=group.name)]),
            paragraph(w.fill(w.NOTICE_INTRO, period=period.label, group=group.name)),
            heading(1, w.NOTICE_RANKING),
        ]
        if rows:
            top = rows[0]
            blocks.append(
                paragraph(
                    w.fill(
                        w.NOTICE_RANKING_TEXT,
                        first=top.unit.name,
                        score=fig(w.number(top.score), top.score, ranking_url),
                    )
                )
            )
        blocks.append(
            table(
                w.NOTICE_RANKING,
                w.NOTICE_RANKING_COLUMNS,
                [
                    [
                        fig(str(r.position), r.position),
                        r.unit.name,
                        fig(w.number(r.score), r.score, ranking_url),
                        movement_text(r.movement) if previous else "—",
                    ]
                    for r in rows
                ],
                [True, False, True, False],
            )
        )
        blocks += self._completion(rows, indicators)
        blocks += self._behind(rows, indicators)
        blocks += self._moved(units, month)
        blocks.append(paragraph([w.NOTICE_CLOSING]))
        return self.document(
            f"{group.name} · {period.label}",
            blocks,
            title=w.NOTICE_TITLE.format(period=month.label),
            doc_number=self.raw.get("doc_number") or "",
            issuer=self.issuer(group.owner_unit),
        )

    def issuer(self, unit):
        """The bureau under the group's owner unit issues the notice, else the unit itself."""
        from zhaoshang.organization.choices import UnitKind

        bureau = unit.children.filter(kind=UnitKind.BUREAU, is_active=True).order_by("path")
        return (bureau.first() or unit).name

    def _completion(self, rows, indicators):
        tp = self.period.time_progress()
        columns = [
            w.NOTICE_UNIT,
            *[w.NOTICE_COMPLETION_COLUMN.format(indicator=i.name) for i in indicators],
        ]
        body = []
        for r in rows:
            cells = [r.unit.name]
            for ind in indicators:
                f = r.figures[ind.pk]
                text = "—" if f.completion is None else w.pct(f.completion)
                cells.append(fig(text, f.completion, records_url(ind, r.unit, self.period)))
            body.append(cells)
        return [
            heading(2, w.NOTICE_COMPLETION),
            paragraph(w.fill(w.NOTICE_TIME_PROGRESS, month=self.month.label, pct=w.pct(tp))),
            table(w.NOTICE_COMPLETION, columns, body, [False] + [True] * len(indicators)),
        ]

    def _behind(self, rows, indicators):
        sentences = []
        for ind in indicators:
            late = [r for r in rows if r.figures[ind.pk].pace == BEHIND]
            if not late:
                continue
            names = w.join(
                [
                    [
                        r.unit.name,
                        "（",
                        fig(
                            w.pct(r.figures[ind.pk].completion),
                            r.figures[ind.pk].completion,
                            records_url(ind, r.unit, self.period),
                        ),
                        "）",
                    ]
                    for r in late
                ],
                "、",
            )
            sentences.append(w.fill(w.NOTICE_BEHIND_CLAUSE, indicator=ind.name, units=names))
        return [
            heading(3, w.NOTICE_BEHIND),
            paragraph(*sentences) if sentences else paragraph([w.NOTICE_NONE_BEHIND]),
        ]

    def _moved(self, units, month):
        from zhaoshang.organization.models import Unit
        from zhaoshang.pipeline.choices import Stage
        from zhaoshang.pipeline.models import Milestone

        under = Unit.objects.none()
        for unit in units:
            under = under | Unit.objects.filter(path__startswith=unit.path)
        milestones = self.visible(
            Milestone.objects.filter(
                date__gte=month.start,
                date__lte=month.end,
                project__responsible_unit__in=under.values("pk"),
            )
        ).select_related("project__responsible_unit")
        milestones = list(milestones.order_by("project__responsible_unit__path", "date", "pk"))
        rows = [
            [
                m.project.responsible_unit.name,
                fig(m.project.name, None, m.project.get_absolute_url()),
                str(Stage(m.from_stage).label) if m.from_stage else "—",
                str(Stage(m.stage).label),
                f"{m.date:%Y-%m-%d}",
            ]
            for m in milestones
        ]
        projects = len({m.project_id for m in milestones})
        text = w.fill(w.NOTICE_MOVED_TEXT, n=str(projects)) if projects else [w.NOTICE_NO_MOVES]
        blocks = [heading(4, w.NOTICE_MOVED), paragraph(text)]
        if rows:
            blocks.append(table(w.NOTICE_MOVED, w.NOTICE_MOVED_COLUMNS, rows))
        return blocks
