"""工作总结 / 成绩单: the half-year, year or January-to-month narrative written from the figures.

Indicator figures come from `targets.engine` (the dashboard's numbers); the structure of the
signed projects, leads, speed and land come from the same records, each counted here once.
Every figure in the prose links to the records or the filtered ledger behind it.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import quantities
from zhaoshang.reports import wording as w
from zhaoshang.reports.base import (
    ReportGenerator,
    fig,
    heading,
    leads_between,
    ledger_url,
    paragraph,
    records_url,
    table,
    units_under,
)

YI = Decimal(10000)  # 万元 in 1 亿元


class IndicatorFigures:
    """The engine's figures of some indicators for one unit and period, with their links."""

    def __init__(self, generator, unit, period):
        from zhaoshang.targets.models import Indicator

        self.unit, self.period = unit, period
        qs = Indicator.objects.all()
        if generator.user is not None:
            qs = Indicator.objects.visible_to(generator.user)
        self.indicators = {i.code: i for i in qs}
        self._cache = {}

    def get(self, code):
        """(Figure, has records) or None when the indicator is not defined.

        A figure has records when it is not zero, or, for a hand-reported indicator, when a
        value was reported for the period (a reported 0 is a figure; no report is none)."""
        from zhaoshang.targets import engine
        from zhaoshang.targets.models import ReportedValue, Source

        if code not in self.indicators:
            return None
        if code not in self._cache:
            ind = self.indicators[code]
            figure = engine.figure(ind, self.unit, self.period)
            present = bool(figure.actual)
            if ind.source == Source.REPORTED and not present:
                present = ReportedValue.objects.filter(
                    indicator=ind,
                    year=self.period.year,
                    month__in=self.period.months(),
                    unit__in=units_under(self.unit),
                ).exists()
            self._cache[code] = (figure, present)
        return self._cache[code]

    def present(self, code):
        """The figure when records lie behind it, else None (its clause is left out)."""
        found = self.get(code)
        return found[0] if found and found[1] else None

    def run(self, code, figure=None):
        figure = figure or self.present(code)
        ind = self.indicators[code]
        return fig(
            w.amount(figure.actual, ind.unit_of_measure),
            figure.actual,
            records_url(ind, self.unit, self.period),
        )

    def count_run(self, code, figure=None):
        figure = figure or self.present(code)
        ind = self.indicators[code]
        return fig(w.number(figure.actual), figure.actual, records_url(ind, self.unit, self.period))

    def tail(self, figure, rank=None):
        """，同比增长x%，完成全年目标任务的y%，居…第n位 — each clause only when defined.

        The growth links to last year's records, the completion to the target grid."""
        from django.urls import reverse

        ind, runs = figure.indicator, []
        if figure.growth is not None:
            last_year = records_url(ind, self.unit, self.period.same_period_last_year())
            rate = fig(w.pct(abs(figure.growth)), figure.growth, last_year)
            if figure.growth > 0:
                runs += w.fill(w.GROWTH_UP, pct=rate)
            elif figure.growth < 0:
                runs += w.fill(w.GROWTH_DOWN, pct=rate)
            else:
                runs.append(w.GROWTH_FLAT)
        if figure.completion is not None:
            grid = reverse("targets:grid", args=[ind.pk, self.period.year])
            runs += w.fill(w.COMPLETION, pct=fig(w.pct(figure.completion), figure.completion, grid))
        if rank:
            ranking = ledger_url(
                "targets:leaderboard",
                group=self.unit.peer_group_id,
                indicator=ind.pk,
                period=self.period.code,
            )
            runs += w.fill(
                w.INDICATOR_RANK, group=rank[0], position=fig(str(rank[1]), rank[1], ranking)
            )
        return runs


class Narrative(ReportGenerator):
    code = "narrative"
    title = _("Work summary (narrative)")
    description = _(
        "Half-year, year or January-to-month summary in Chinese prose, written from the "
        "figures: results, structure of the signed projects, channels, speed and carriers."
    )
    params = ("unit", "period")

    def compute(self):
        from zhaoshang.targets import engine

        with engine.memo():
            self.figs = IndicatorFigures(self, self.unit, self.period)
            # Every indicator's monthly cube in a few grouped queries.
            engine.prefetch(list(self.figs.indicators.values()), self.period.year, [self.unit.path])
            return self._compute()

    def _compute(self):
        unit, period = self.unit, self.period
        self.signed = self._signed_projects()
        sections = [
            (w.SECTION_OVERVIEW, [self.activities(), self.signing(), self.ceremonies()]),
            (w.SECTION_INDICATORS, [*self.indicator_sentences(), self.overall_rank()]),
            (
                w.SECTION_STRUCTURE,
                [self.sizes(), self.industries(), *self.named_projects()],
            ),
            (w.SECTION_CHANNELS, [self.channels(), self.helpers(), self.speed()]),
            (w.SECTION_CARRIERS, [self.land(), self.tenants()]),
        ]
        blocks, number = [], 0
        for title, sentences in sections:
            block = paragraph(*sentences)
            if block:
                number += 1
                blocks += [heading(number, title), block]
        if not blocks:
            blocks.append(paragraph([w.NOTHING.format(period=period.label, unit=unit.name)]))
        blocks += [{"kind": "heading", "text": w.APPENDIX}, self.figures_table()]
        return self.document(
            f"{unit.name} · {period.label}",
            blocks,
            title=w.NARRATIVE_TITLE.format(unit=unit.name, period=self._period_words()),
        )

    def sentences(self):
        """The prose as a list of sentences (plain text), for reading and for tests."""
        from zhaoshang.reports.base import sentence_text

        return [
            sentence_text(s)
            for b in self.compute()["blocks"]
            if b["kind"] == "paragraph"
            for s in b["sentences"]
        ]

    # Helpers

    def _period_words(self):
        """上半年 / 2026年 / 1-8月 as a sentence opens with it."""
        label = self.period.label
        return label[len(f"{self.period.year}年") :] or label

    def _signed_projects(self):
        """Projects first signed in the period, in the unit's subtree, that the user sees."""
        from zhaoshang.organization.models import Unit
        from zhaoshang.pipeline.choices import Stage
        from zhaoshang.pipeline.models import Milestone, Project

        period = self.period
        earlier = Milestone.objects.filter(
            project=OuterRef("project"), stage=Stage.SIGNED, date__lt=period.start
        )
        first = (
            Milestone.objects.filter(
                stage=Stage.SIGNED, date__gte=period.start, date__lte=period.end
            )
            .exclude(Exists(earlier))
            .values("project")
        )
        qs = Project.objects.filter(
            pk__in=first,
            responsible_unit__in=Unit.objects.filter(path__startswith=self.unit.path).values("pk"),
        )
        return list(self.visible(qs).order_by("-total_investment", "pk"))

    def _projects_url(self, **filters):
        return ledger_url(
            "pipeline:project_list",
            within=self.unit.pk,
            reached="signed",
            reached_from=self.period.start,
            reached_until=self.period.end,
            **filters,
        )

    def _share(self, n, total):
        return w.pct(quantities.percent(n, total))

    # Sentences

    def activities(self):
        clauses = []
        for code, template in w.ACTIVITY_CLAUSES.items():
            if self.figs.present(code):
                clauses.append(w.fill(template, n=self.figs.count_run(code)))
        if not clauses:
            return None
        return w.fill(
            w.ACTIVITIES,
            period=self._period_words(),
            unit=self.unit.name,
            clauses=w.join(clauses),
        )

    def signing(self):
        count = self.figs.present("signed_projects")
        if not count:
            return None
        runs = w.fill(w.SIGNED, count=self.figs.count_run("signed_projects"))
        amount = self.figs.present("signed_amount")
        if amount:
            runs += w.fill(w.SIGNED_AMOUNT, amount=self.figs.run("signed_amount"))
            runs += self.figs.tail(amount, self._indicator_rank("signed_amount"))
        clauses = [
            w.fill(template, n=self.figs.count_run(code))
            for code, template in w.SIGNED_OF_WHICH_CLAUSES.items()
            if self.figs.present(code)
        ]
        if clauses:
            runs += w.fill(w.SIGNED_OF_WHICH, clauses=w.join(clauses, "、"))
        return w._merge([*runs, "。"])

    def ceremonies(self):
        from zhaoshang.activities.models import Activity
        from zhaoshang.organization.models import Unit

        qs = self.visible(
            Activity.objects.filter(
                kind="signing_ceremony",
                start_date__gte=self.period.start,
                start_date__lte=self.period.end,
                unit__in=Unit.objects.filter(path__startswith=self.unit.path).values("pk"),
            )
        ).prefetch_related("projects")
        ceremonies = list(qs)
        if not ceremonies:
            return None
        url = ledger_url(
            "activities:activity_list",
            within=self.unit.pk,
            kind="signing_ceremony",
            date_from=self.period.start,
            date_to=self.period.end,
        )
        projects = {p.pk: p for c in ceremonies for p in c.projects.all()}
        total = sum((p.total_investment or 0 for p in projects.values()), Decimal(0))
        cloud = sum(1 for c in ceremonies if w.CLOUD_MARK in c.title)
        runs = w.fill(
            w.CEREMONY,
            n=fig(str(len(ceremonies)), len(ceremonies), url),
            projects=fig(str(len(projects)), len(projects), url),
        )
        if total:
            runs += w.fill(w.CEREMONY_AMOUNT, amount=fig(quantities.format_cny(total), total, url))
        if cloud:
            runs += w.fill(w.CEREMONY_CLOUD, cloud=fig(str(cloud), cloud, url))
        return w._merge([*runs, "。"])

    def _peers(self):
        """The unit's peer group and the peers the user may see (None: no ranking)."""
        from zhaoshang.organization.models import Unit

        group = self.unit.peer_group
        if group is None:
            return None
        peers = Unit.objects.filter(peer_group=group, is_active=True).order_by("path")
        if self.user is not None:
            from zhaoshang.reports.base import scope_units

            peers = peers.filter(pk__in=scope_units(self.user).values("pk"))
        peers = list(peers)
        return (group, peers) if len(peers) > 1 else None

    def _ranking(self):
        if not hasattr(self, "_rank_rows"):
            from zhaoshang.targets import assessment

            peers = self._peers()
            self._rank_rows = (peers[0], assessment.rank(peers[1], self.period)) if peers else None
        return self._rank_rows

    def _indicator_rank(self, code):
        """(group name, position by completion) of the unit among its peers, or None."""
        ranking = self._ranking()
        ind = self.figs.indicators.get(code)
        if not ranking or ind is None:
            return None
        group, rows = ranking
        rated = [
            r for r in rows if ind.pk in r.figures and r.figures[ind.pk].completion is not None
        ]
        rated.sort(key=lambda r: (-r.figures[ind.pk].completion, r.unit.path))
        for position, row in enumerate(rated, start=1):
            if row.unit.pk == self.unit.pk:
                return (group.name, position)
        return None

    def indicator_sentences(self):
        result = []
        for code, lead in w.INDICATOR_LEADS.items():
            figure = self.figs.present(code)
            if not figure:
                continue
            runs = [lead, self.figs.run(code, figure)]
            runs += self.figs.tail(figure, self._indicator_rank(code))
            result.append(w._merge([*runs, "。"]))
        return result

    def overall_rank(self):
        ranking = self._ranking()
        if not ranking:
            return None
        group, rows = ranking
        row = next((r for r in rows if r.unit.pk == self.unit.pk), None)
        if row is None or not any(f.target for f in row.figures.values()):
            return None
        url = ledger_url("targets:ranking", group=group.pk, period=self.period.code)
        return w.fill(
            w.OVERALL_RANK,
            score=fig(w.number(row.score), row.score, url),
            group=group.name,
            position=fig(str(row.position), row.position, url),
        )

    def sizes(self):
        total = len(self.signed)
        if not total:
            return None
        classes = Counter()
        for p in self.signed:
            amount = p.total_investment or 0
            classes[
                "over_1b" if amount >= 10 * YI else "over_100m" if amount >= YI else "under_100m"
            ] += 1
        flags = {"over_1b": ["over_1b"], "over_100m": ["over_100m"], "under_100m": []}
        clauses = [
            w.fill(
                template,
                n=fig(str(classes[key]), classes[key], self._projects_url(flag=flags[key])),
                share=self._share(classes[key], total),
            )
            for key, template in w.SIZE_CLASSES.items()
            if classes[key]
        ]
        return w.fill(w.SIZE, clauses=w.join(clauses, "；"))

    def industries(self):
        total = len(self.signed)
        counts = Counter(p.focus_industry.strip() for p in self.signed)
        if not total or set(counts) == {""}:
            return None
        clauses = []
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] == "", kv[0])):
            url = self._projects_url(q=name) if name else self._projects_url()
            clauses.append(
                w.fill(
                    w.INDUSTRY_CLAUSE,
                    industry=name or w.OTHER_INDUSTRY,
                    n=fig(str(n), n, url),
                    share=self._share(n, total),
                )
            )
        return w.fill(w.INDUSTRY, clauses=w.join(clauses, "；"))

    def named_projects(self):
        if not self.signed:
            return []
        result = []
        largest = self.signed[0]
        if largest.total_investment:
            result.append(
                w.fill(
                    w.LARGEST,
                    name=fig(largest.name, None, largest.get_absolute_url()),
                    amount=fig(
                        quantities.format_cny(largest.total_investment),
                        largest.total_investment,
                        largest.get_absolute_url(),
                    ),
                )
            )
        for attribute, template, flag in (
            ("fortune500", w.FORTUNE500, "fortune500"),
            ("is_headquarters", w.HEADQUARTERS, "headquarters"),
        ):
            chosen = [p for p in self.signed if getattr(p, attribute)]
            if chosen:
                names = w.join(
                    [[fig(p.name, None, p.get_absolute_url())] for p in chosen], w.NAME_SEPARATOR
                )
                url = self._projects_url(flag=[flag])
                result.append(
                    w.fill(template, n=fig(str(len(chosen)), len(chosen), url), names=names)
                )
        return result

    def _leads(self):
        return self.visible(leads_between(self.period.start, self.period.end, self.unit))

    def _leads_url(self, **filters):
        return ledger_url(
            "pipeline:lead_list",
            within=self.unit.pk,
            created_after=self.period.start,
            created_before=self.period.end,
            **filters,
        )

    def channels(self):
        leads = self._leads()
        counts = dict(leads.order_by().values_list("channel").annotate(n=Count("pk")))
        clauses = [
            w.fill(
                w.CHANNEL_CLAUSE,
                channel=label,
                n=fig(str(counts[code]), counts[code], self._leads_url(channel=code)),
            )
            for code, label in sorted(
                w.CHANNELS.items(),
                key=lambda kv: (-counts.get(kv[0], 0), list(w.CHANNELS).index(kv[0])),
            )
            if counts.get(code)
        ]
        return w.fill(w.LEAD_CHANNELS, clauses=w.join(clauses)) if clauses else None

    def helpers(self):
        from zhaoshang.organization.choices import Role, UnitKind

        leads = self._leads()
        advisors = leads.filter(submitted_by__groups__name=Role.ADVISOR.value).distinct().count()
        offices = leads.filter(unit__kind=UnitKind.RESIDENT_OFFICE).count()
        clauses = []
        if advisors:
            url = self._leads_url(channel="advisor")
            clauses.append(
                w.fill(w.HELPER_CLAUSES["advisors"], n=fig(str(advisors), advisors, url))
            )
        if offices:
            clauses.append(
                w.fill(
                    w.HELPER_CLAUSES["resident_offices"],
                    n=fig(str(offices), offices, self._leads_url()),
                )
            )
        return w.fill(w.HELPERS, clauses=w.join(clauses)) if clauses else None

    def speed(self):
        from zhaoshang.pipeline.models import Milestone

        def same_day(first, second, projects):
            later = Milestone.objects.filter(
                project=OuterRef("project"), stage=second, date=OuterRef("date")
            )
            return (
                Milestone.objects.filter(project__in=projects, stage=first)
                .filter(Exists(later))
                .values("project")
                .distinct()
                .count()
            )

        signed = [p.pk for p in self.signed]
        clauses = []
        for key, (first, second) in {
            "signed_landed": ("signed", "landed"),
            "landed_started": ("landed", "started"),
        }.items():
            n = same_day(first, second, signed) if signed else 0
            if n:
                url = self._projects_url()
                clauses.append(w.fill(w.SPEED_CLAUSES[key], n=fig(str(n), n, url)))
        return w.fill(w.SPEED, clauses=w.join(clauses)) if clauses else None

    def land(self):
        from zhaoshang.carriers.models import LandParcel
        from zhaoshang.organization.models import Unit

        qs = self.visible(
            LandParcel.objects.filter(
                sold_date__gte=self.period.start,
                sold_date__lte=self.period.end,
                unit__in=Unit.objects.filter(path__startswith=self.unit.path).values("pk"),
            )
        )
        by_use = dict(qs.order_by().values_list("land_use").annotate(a=Sum("area_mu")))
        total = sum((v or 0 for v in by_use.values()), Decimal(0))
        if not by_use:
            return None
        sold = {
            "within": self.unit.pk,
            "status": "sold",
            "sold_from": self.period.start.isoformat(),
            "sold_to": self.period.end.isoformat(),
        }
        url = ledger_url("carriers:landparcel_list", **sold)
        clauses = [
            w.fill(
                w.LAND_CLAUSE,
                use=label,
                area=fig(
                    w.number(by_use[code]),
                    by_use[code],
                    ledger_url("carriers:landparcel_list", **sold, land_use=code),
                ),
            )
            for code, label in w.LAND_USES.items()
            if by_use.get(code)
        ]
        of_which = (
            w.fill(w.LAND_OF_WHICH, clauses=w.join(clauses, "、")) if len(clauses) > 1 else ""
        )
        return w.fill(w.LAND, total=fig(w.number(total), total, url), of_which=of_which)

    def tenants(self):
        figure = self.figs.present("above_scale_tenants")
        if not figure:
            return None
        return w.fill(w.TENANTS, n=self.figs.count_run("above_scale_tenants", figure))

    def figures_table(self):
        """The indicator figures behind the prose, as a table (the .xlsx's numbers)."""
        rows = []
        for ind in self.figs.indicators.values():
            found = self.figs.get(ind.code)
            figure = found[0]
            url = records_url(ind, self.unit, self.period)
            rows.append(
                [
                    ind.name,
                    ind.unit_of_measure,
                    fig(w.number(figure.actual, 4), figure.actual, url),
                    fig(
                        "—" if figure.target is None else w.number(figure.target, 4), figure.target
                    ),
                    fig(
                        "—" if figure.completion is None else w.pct(figure.completion),
                        figure.completion,
                    ),
                    fig("—" if figure.growth is None else w.pct(figure.growth), figure.growth),
                ]
            )
        return table(
            w.FIGURES_TABLE,
            w.FIGURES_COLUMNS,
            rows,
            [False, False, True, True, True, True],
        )
