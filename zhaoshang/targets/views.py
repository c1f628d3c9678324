"""Pages of the targets app: indicators, the target grid, figures with drill-down, rankings,
the leaderboard and the dashboard (驾驶舱). Every figure comes from `targets.engine`."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhaoshang.core import quantities
from zhaoshang.core.export import rows_response
from zhaoshang.core.periods import Period
from zhaoshang.core.scope import ADD, CHANGE, VIEW, can, subtree_q, units_for
from zhaoshang.core.views import ObjectViews
from zhaoshang.organization.models import PeerGroup
from zhaoshang.pipeline.choices import LIFECYCLE, Stage
from zhaoshang.pipeline.models import Approval, Project, ProjectIssue
from zhaoshang.targets import assessment, engine, filtersets, forms, tables
from zhaoshang.targets.filtersets import IndicatorFilterSet
from zhaoshang.targets.forms import IndicatorForm, parse_period
from zhaoshang.targets.models import (
    BonusItem,
    CapitalIncrease,
    Certification,
    Indicator,
    IndicatorWeight,
    RankingSnapshot,
    ReportedValue,
    SnapshotKind,
    Split,
    Target,
    may_certify,
)
from zhaoshang.targets.tables import IndicatorTable

LIMIT = 1000  # records listed on a drill-down page (the subtotal covers all)
DASHBOARD_INDICATORS = (
    "signed_amount",
    "signed_projects",
    "signed_over_100m",
    "contracted_fdi",
    "utilized_fdi",
    "started_projects",
    "trips",
    "leads",
)


class TargetsAreaViews(ObjectViews):
    """The ledgers of the targets area share the area's tabs above the list."""

    list_template = "targets/list.html"


class IndicatorViews(TargetsAreaViews):
    model = Indicator
    filterset = IndicatorFilterSet
    table = IndicatorTable
    form = IndicatorForm
    # The filters are shown as a sentence (extra_detail_context), not as raw JSON.
    detail_fields = (
        "code",
        "name",
        "owner_unit",
        "unit_of_measure",
        "source",
        "field",
        "stage",
        "certified_only",
        "certifying_level",
        "sort_order",
        "description",
    )

    @classmethod
    def extra_detail_context(cls, obj, user):
        from zhaoshang.targets.models import filters_text

        return {"extra_rows": [(_("filters"), filters_text(obj.filters) or "—")]}

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("owner_unit")


class ReportedValueViews(TargetsAreaViews):
    """上报数据: monthly figures reported by hand (实际利用外资 from the statistics …)."""

    model = ReportedValue
    filterset = filtersets.ReportedValueFilterSet
    table = tables.ReportedValueTable
    form = forms.ReportedValueForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "indicator", "reported_by")


class CertificationViews(TargetsAreaViews):
    """项目认定: certified, dated, withdrawn with a reason, never edited or deleted, so past
    periods stay reproducible."""

    model = Certification
    filterset = filtersets.CertificationFilterSet
    table = tables.CertificationTable
    form = forms.CertificationForm
    detail_template = "targets/certification_detail.html"

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("project", "indicator", "certified_by", "evidence")

    @classmethod
    def extra_detail_context(cls, obj, user):
        may_withdraw = (
            obj.in_force
            and Certification.objects.visible_to(user, CHANGE).filter(pk=obj.pk).exists()
            and may_certify(user, obj.indicator)
        )
        return {"may_withdraw": may_withdraw}

    actions = ("list", "export", "add", "detail")

    @classmethod
    def urls(cls):
        return [
            *super().urls(),
            path("certifications/<int:pk>/withdraw/", withdraw, name="certification_withdraw"),
        ]


class CapitalIncreaseViews(TargetsAreaViews):
    """增资: only the added amount counts, on its own date."""

    model = CapitalIncrease
    filterset = filtersets.CapitalIncreaseFilterSet
    table = tables.CapitalIncreaseTable
    form = forms.CapitalIncreaseForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("project")


class IndicatorWeightViews(TargetsAreaViews):
    model = IndicatorWeight
    filterset = filtersets.IndicatorWeightFilterSet
    table = tables.IndicatorWeightTable
    form = forms.IndicatorWeightForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit_class", "indicator")


class BonusItemViews(TargetsAreaViews):
    model = BonusItem
    filterset = filtersets.BonusItemFilterSet
    table = tables.BonusItemTable
    form = forms.BonusItemForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit")


@login_required
def withdraw(request, pk):
    """Withdraw a certification from a date, with a reason, by the certifying level."""
    certification = get_object_or_404(
        Certification.objects.visible_to(request.user).select_related("indicator", "project"),
        pk=pk,
    )
    if not (
        certification.in_force
        and Certification.objects.visible_to(request.user, CHANGE).filter(pk=pk).exists()
        and may_certify(request.user, certification.indicator)
    ):
        raise PermissionDenied
    form = forms.WithdrawalForm(request.POST or None, certification=certification)
    if request.method == "POST" and form.is_valid():
        certification.withdrawn_on = form.cleaned_data["withdrawn_on"]
        certification.withdrawal_reason = form.cleaned_data["withdrawal_reason"].strip()
        certification.withdrawn_by = request.user
        certification.save()
        messages.success(request, _("The certification is withdrawn."))
        return redirect(certification.get_absolute_url())
    if request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "targets/withdraw.html",
        {"form": form, "object": certification},
    )


# Pickers -------------------------------------------------------------------------------------


def scope_units(user):
    """The units whose figures the user may read: those under which they see projects."""
    return units_for(user, Project, VIEW).order_by("path")


def home_unit(user):
    """The unit a user's pages open on: their jurisdiction if they see it, else their unit."""
    units = scope_units(user)
    unit = getattr(user, "unit", None)
    if unit is None:
        first = units.first()
        if first is None:
            raise PermissionDenied
        return first
    jurisdiction = unit.jurisdiction()
    if jurisdiction and units.filter(pk=jurisdiction.pk).exists():
        return jurisdiction
    if units.filter(pk=unit.pk).exists():
        return unit
    first = units.first()
    if first is None:
        raise PermissionDenied
    return first


def picked_unit(request):
    unit_id = request.GET.get("unit")
    if unit_id:
        if not str(unit_id).isdigit():
            raise Http404
        return get_object_or_404(scope_units(request.user), pk=unit_id)
    return home_unit(request.user)


def default_period():
    today = timezone.localdate()
    return Period.cumulative(today.year, today.month)


def picked_period(request):
    return parse_period(request.GET.get("period", ""), default_period())


def period_choices(period):
    """[(group label, [(code, label)])] of the periods of the picked period's year."""
    y = period.year
    return [
        (
            _("Cumulative"),
            [(Period.cumulative(y, m).code, Period.cumulative(y, m).label) for m in range(1, 13)],
        ),
        (
            _("Quarter and half year"),
            [
                (p.code, p.label)
                for p in (
                    *(Period.quarter(y, q) for q in range(1, 5)),
                    Period.half(y, 1),
                    Period.half(y, 2),
                    Period.whole_year(y),
                )
            ],
        ),
        (_("Month"), [(Period.month(y, m).code, Period.month(y, m).label) for m in range(1, 13)]),
    ]


def picker_units(user, unit):
    """The unit drop-down: the top two levels of the user's units, the chosen unit's
    ancestors, siblings and children. A province has 1,500 units; a drop-down of all of
    them is unusable and costs the page half a second, so one drills down instead."""
    from django.db.models import Min

    units = scope_units(user)
    top = units.aggregate(d=Min("depth"))["d"] or 0
    codes = unit.path.strip("/").split("/")
    ancestors = ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]
    q = Q(depth__lte=top + 1) | Q(parent_id=unit.pk) | Q(path__in=ancestors)
    if unit.parent_id:
        q |= Q(parent_id=unit.parent_id)
    return units.filter(q).only("id", "name", "depth")


def picker_context(request, unit, period):
    return {
        "unit": unit,
        "period": period,
        "units": picker_units(request.user, unit),
        "period_choices": period_choices(period),
        "previous_year": Period(
            period.year - 1, period.kind, period.first_month, period.last_month
        ),
        "next_year": Period(period.year + 1, period.kind, period.first_month, period.last_month),
    }


def require_view(user):
    if not can(user, Indicator, VIEW):
        raise PermissionDenied


def records_url(indicator, unit, period):
    query = urlencode({"unit": unit.pk, "period": period.code})
    return f"{reverse('targets:records', args=[indicator.pk])}?{query}"


def visible_indicators(user):
    return Indicator.objects.visible_to(user).select_related("owner_unit")


# Figures and drill-down ---------------------------------------------------------------------


@login_required
@engine.memoized
def figures_page(request):
    """All figures of a unit for a period, each opening to its records."""
    require_view(request.user)
    unit, period = picked_unit(request), picked_period(request)
    rows = []
    for indicator in visible_indicators(request.user):
        fig = engine.figure(indicator, unit, period)
        rows.append(
            (
                fig,
                records_url(indicator, unit, period),
                records_url(indicator, unit, period.same_period_last_year()),
            )
        )
    return render(
        request, "targets/figures.html", {"rows": rows, **picker_context(request, unit, period)}
    )


@login_required
def records_page(request, pk):
    """The exact records behind one figure; their sum is the figure."""
    require_view(request.user)
    indicator = get_object_or_404(visible_indicators(request.user), pk=pk)
    unit, period = picked_unit(request), picked_period(request)
    figure = engine.actual(indicator, unit, period)
    blocks = []
    for section, qs, subtotal in engine.records(indicator, unit, period, request.user):
        rows = list(_record_rows(section, qs, indicator))
        blocks.append(
            {
                "section": section,
                "rows": rows,
                "count": qs.count(),
                "subtotal": subtotal,
                "stored_unit": "亩"
                if section.kind == "parcel"
                else (engine.FIELD_UNITS.get(indicator.field) or indicator.unit_of_measure),
            }
        )
    return render(
        request,
        "targets/records.html",
        {
            "indicator": indicator,
            "figure": figure,
            "blocks": blocks,
            "total": sum((b["subtotal"] for b in blocks), Decimal(0)),
            **picker_context(request, unit, period),
        },
    )


def _record_rows(section, qs, indicator):
    kind = section.kind
    if kind == "project":
        qs = qs.select_related("responsible_unit").order_by("responsible_unit__path", "pk")
        return (
            {
                "url": p.get_absolute_url(),
                "code": p.code,
                "name": p.name,
                "unit": p.responsible_unit.name,
                "amount": getattr(p, section.amount) if section.amount else 1,
            }
            for p in qs[:LIMIT]
        )
    if kind == "increase":
        qs = qs.select_related("project__responsible_unit").order_by("date", "pk")
        return (
            {
                "url": c.get_absolute_url(),
                "code": f"{c.date:%Y-%m-%d}",
                "name": c.project.name,
                "unit": c.project.responsible_unit.name,
                "amount": c.amount,
            }
            for c in qs[:LIMIT]
        )
    if kind == "reported":
        qs = qs.select_related("unit", "reported_by").order_by("month", "unit__path")
        return (
            {
                "url": "",
                "code": f"{r.year}-{r.month:02d}",
                "name": _("reported by %(user)s at %(time)s")
                % {
                    "user": r.reported_by or "—",
                    "time": timezone.localtime(r.reported_at).strftime("%Y-%m-%d %H:%M"),
                },
                "unit": r.unit.name,
                "amount": r.value,
            }
            for r in qs[:LIMIT]
        )
    if kind == "activity":
        qs = qs.select_related("unit").order_by("start_date", "pk")
        return (
            {
                "url": a.get_absolute_url(),
                "code": f"{a.start_date:%Y-%m-%d}",
                "name": a.title,
                "unit": a.unit.name,
                "amount": 1,
            }
            for a in qs[:LIMIT]
        )
    if kind == "lead":
        qs = qs.select_related("unit", "enterprise").order_by("created_at", "pk")
        return (
            {
                "url": x.get_absolute_url(),
                "code": f"{timezone.localtime(x.created_at):%Y-%m-%d}",
                "name": x.display_name,
                "unit": x.unit.name,
                "amount": 1,
            }
            for x in qs[:LIMIT]
        )
    if kind == "tenant":
        qs = qs.select_related("unit", "enterprise", "building").order_by("move_in_date", "pk")
        return (
            {
                "url": t.building.get_absolute_url(),
                "code": f"{t.move_in_date:%Y-%m-%d}",
                "name": f"{t.enterprise} · {t.building}",
                "unit": t.unit.name,
                "amount": 1,
            }
            for t in qs[:LIMIT]
        )
    qs = qs.select_related("unit").order_by("sold_date", "pk")
    return (
        {
            "url": x.get_absolute_url(),
            "code": x.code,
            "name": x.name,
            "unit": x.unit.name,
            "amount": x.area_mu if section.amount else 1,
        }
        for x in qs[:LIMIT]
    )


# Target grid --------------------------------------------------------------------------------


@login_required
def target_grid(request, pk, year):
    """Targets of one indicator and year: rows = the user's units, annual + 12 months."""
    if not can(request.user, Target, VIEW):
        raise PermissionDenied
    indicator = get_object_or_404(visible_indicators(request.user), pk=pk)
    units = list(units_for(request.user, Target, VIEW).order_by("path"))
    editable_ids = set(units_for(request.user, Target, CHANGE).values_list("pk", flat=True))
    editable_ids &= set(units_for(request.user, Target, ADD).values_list("pk", flat=True))
    targets = {
        t.unit_id: t
        for t in Target.objects.visible_to(request.user).filter(indicator=indicator, year=year)
    }
    errors = []
    if request.method == "POST":
        if not editable_ids:
            raise PermissionDenied
        errors = _save_grid(request, indicator, year, units, editable_ids, targets)
        if not errors:
            messages.success(request, _("Targets saved."))
            return redirect("targets:grid", pk=indicator.pk, year=year)
    rows = []
    for unit in units:
        target = targets.get(unit.pk)
        children = [u for u in units if u.parent_id == unit.pk]
        child_sum = None
        if children:
            values = [engine.annual_target(targets.get(c.pk), indicator) for c in children]
            child_sum = sum((v for v in values if v is not None), Decimal(0))
        own = engine.annual_target(target, indicator)
        parts = (
            list(target.parts) if target and target.split == Split.MONTH and target.parts else []
        )
        rows.append(
            {
                "unit": unit,
                "target": target,
                "annual": request.POST.get(f"annual-{unit.pk}")
                if errors
                else (quantities.plain(target.annual, 4) if target else ""),
                "months": [
                    (
                        m,
                        request.POST.get(f"m{m}-{unit.pk}")
                        if errors
                        else (parts[m - 1] if parts else ""),
                    )
                    for m in range(1, 13)
                ],
                "measure": target.measure if target else indicator.unit_of_measure,
                "child_sum": child_sum,
                "differs": child_sum is not None and own is not None and child_sum != own,
                "editable": unit.pk in editable_ids,
            }
        )
    if request.GET.get("format") == "xlsx":
        return _grid_workbook(indicator, year, rows)
    return render(
        request,
        "targets/grid.html",
        {
            "indicator": indicator,
            "year": year,
            "rows": rows,
            "errors": errors,
            "indicators": visible_indicators(request.user),
            "can_edit": bool(editable_ids),
            "measures": [
                "",
                *[
                    u
                    for u in ("万元", "亿元", "万美元", "亿美元")
                    if quantities.UNITS[u][0]
                    == quantities.UNITS.get(indicator.unit_of_measure, ("", 0))[0]
                ],
            ],
        },
    )


def _grid_workbook(indicator, year, rows):
    """The grid as .xlsx in the indicator's unit (a 0.6 亿美元 target is written as 6000 in a
    万美元 column), in the shape the ledger import reads back as 目标任务."""
    measure = indicator.unit_of_measure
    headers = [
        _("Indicator"),
        _("Year"),
        _("Unit"),
        _("Unit code"),
        f"{_('Annual target')}（{measure}）",
        f"{_('Sum of subunits')}（{measure}）",
        *[f"{m}月（{measure}）" for m in range(1, 13)],
    ]
    out = []
    for row in rows:
        target = row["target"]
        months = [None] * 12
        if target and target.split == Split.MONTH and target.parts:
            months = [engine._in_measure(target, indicator, p) for p in target.parts]
        out.append(
            [
                indicator.name,
                year,
                row["unit"].name,
                row["unit"].code,
                engine.annual_target(target, indicator),
                row["child_sum"],
                *months,
            ]
        )
    title = f"{indicator.name}{year}{_(' targets')}"
    return rows_response(title, headers, out, widths={0: 20, 2: 24})


def _number(text):
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value < 0:
        raise ValueError(text)
    return value


def _save_grid(request, indicator, year, units, editable_ids, targets):
    """Validate every row first; write only when all are right."""
    errors, plans = [], []
    for unit in units:
        if unit.pk not in editable_ids:
            continue
        try:
            annual = _number(request.POST.get(f"annual-{unit.pk}"))
            months = [_number(request.POST.get(f"m{m}-{unit.pk}")) for m in range(1, 13)]
        except ValueError as exc:
            errors.append(
                _("%(unit)s: “%(value)s” is not a number of zero or more.")
                % {"unit": unit.name, "value": exc.args[0]}
            )
            continue
        if annual is None:
            if any(m is not None for m in months):
                errors.append(_("%(unit)s: give the annual target.") % {"unit": unit.name})
            elif unit.pk in targets:
                plans.append((unit, None, None))
            continue
        measure = request.POST.get(f"measure-{unit.pk}", "") or ""
        parts = [str(m or 0) for m in months] if any(m is not None for m in months) else []
        # The model's rules (Target.clean), as for the API and the ledger import.
        probe = Target(
            indicator=indicator, unit=unit, year=year, annual=annual, unit_of_measure=measure,
            split=Split.MONTH, parts=parts,
        )  # fmt: skip
        try:
            probe.clean()
        except ValidationError as exc:
            errors += [
                _("%(unit)s: %(message)s") % {"unit": unit.name, "message": message}
                for messages_ in exc.message_dict.values()
                for message in messages_
            ]
            continue
        plans.append((unit, annual, (measure, parts)))
    if errors:
        return errors
    with transaction.atomic():
        for unit, annual, rest in plans:
            target = targets.get(unit.pk)
            if annual is None:
                target.delete()
                continue
            measure, parts = rest
            if target is None:
                target = Target(indicator=indicator, unit=unit, year=year, created_by=request.user)
            target.annual, target.unit_of_measure = annual, measure
            target.split, target.parts = Split.MONTH, parts
            target.save()
    return []


# Rankings -----------------------------------------------------------------------------------


def _ranking_context(request):
    if not can(request.user, Indicator, VIEW):
        raise PermissionDenied
    groups = list(PeerGroup.objects.visible_to(request.user))
    if not groups:
        raise PermissionDenied
    group_id = request.GET.get("group")
    group = groups[0]
    if group_id:
        if not str(group_id).isdigit():
            raise Http404
        group = next((g for g in groups if g.pk == int(group_id)), None)
        if group is None:
            raise Http404
    period = picked_period(request)
    allowed = units_for(request.user, Project, VIEW)
    units = list(allowed.filter(peer_group=group, is_active=True).order_by("path"))
    return groups, group, period, units


@login_required
@engine.memoized
def ranking_page(request):
    """A peer group's ranking for a period, with movement since the last snapshot."""
    groups, group, period, units = _ranking_context(request)
    can_publish = can(request.user, Target, ADD)
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        kind = request.POST.get("kind")
        if kind not in SnapshotKind.values:
            messages.error(request, _("Choose weekly or monthly."))
        else:
            assessment.take_snapshot(group, period, kind)
            messages.success(request, _("The ranking was published."))
        return redirect(f"{reverse('targets:ranking')}?group={group.pk}&period={period.code}")
    snapshots = list(RankingSnapshot.objects.filter(peer_group=group).order_by("-taken_at")[:20])
    shown = None
    snap_id = request.GET.get("snapshot")
    if snap_id:
        shown = next((s for s in snapshots if str(s.pk) == snap_id), None)
        if shown is None:
            raise Http404
    if shown is not None:
        changed = assessment.changed_units(shown)
        entries = list(shown.entries.select_related("unit"))
        previous = assessment.previous_snapshot(group, shown.kind, before=shown)
        before = dict(previous.entries.values_list("unit_id", "position")) if previous else {}
        rows = [
            {
                "position": e.position,
                "unit": e.unit,
                "score": e.score,
                "movement": (before[e.unit_id] - e.position) if e.unit_id in before else None,
                "changed": e.unit_id in changed,
            }
            for e in entries
        ]
        indicators = []
    else:
        indicators = assessment.indicators_for(units, period.year)
        live = assessment.rank(units, period, indicators)
        last = assessment.previous_snapshot(
            group, SnapshotKind.WEEKLY
        ) or assessment.previous_snapshot(group, SnapshotKind.MONTHLY)
        assessment.with_movement(live, last)
        rows = [
            {
                "position": r.position,
                "unit": r.unit,
                "score": r.score,
                "movement": r.movement,
                "changed": False,
                "cells": [(r.figures[i.pk], records_url(i, r.unit, period)) for i in indicators],
            }
            for r in live
        ]
    return render(
        request,
        "targets/ranking.html",
        {
            "groups": groups,
            "group": group,
            "period": period,
            "rows": rows,
            "indicators": indicators,
            "snapshots": snapshots,
            "shown": shown,
            "can_publish": can_publish,
            "period_choices": period_choices(period),
            "kinds": SnapshotKind.choices,
        },
    )


@login_required
@engine.memoized
def leaderboard(request):
    """赛马榜: the overall board and one board per chosen indicator."""
    groups, group, period, units = _ranking_context(request)
    indicators = assessment.indicators_for(units, period.year)
    chosen_ids = [int(i) for i in request.GET.getlist("indicator") if i.isdigit()]
    chosen = [i for i in indicators if i.pk in chosen_ids] or indicators[:4]
    overall = assessment.rank(units, period, indicators)
    boards = []
    for indicator in chosen:
        board = sorted(
            overall,
            key=lambda r, i=indicator: (-(r.figures[i.pk].completion or Decimal(-1)), r.unit.path),
        )
        boards.append(
            (
                indicator,
                [
                    (pos, r, r.figures[indicator.pk], records_url(indicator, r.unit, period))
                    for pos, r in enumerate(board, start=1)
                ],
            )
        )
    return render(
        request,
        "targets/leaderboard.html",
        {
            "groups": groups,
            "group": group,
            "period": period,
            "overall": overall,
            "boards": boards,
            "indicators": indicators,
            "chosen": chosen,
            "period_choices": period_choices(period),
        },
    )


# Dashboard ----------------------------------------------------------------------------------


@login_required
@engine.memoized
def dashboard(request):
    """驾驶舱 of the user's scope: KPI cards, funnel, trend, ranking, alerts, carried projects."""
    require_view(request.user)
    user = request.user
    unit, period = picked_unit(request), picked_period(request)
    by_code = {i.code: i for i in visible_indicators(user).filter(code__in=DASHBOARD_INDICATORS)}
    engine.prefetch(list(by_code.values()), period.year, [unit.path])
    cards = []
    for code in DASHBOARD_INDICATORS:
        if code in by_code:
            ind = by_code[code]
            cards.append((engine.figure(ind, unit, period), records_url(ind, unit, period)))
    # The unit's subtree as `unit_id IN (…)` (nothing at all for the whole tree), not a
    # join on unit paths: on PostgreSQL the join cost seconds at province scale.
    projects = Project.objects.visible_to(user).filter(
        subtree_q("responsible_unit__path", unit.path)
    )
    # COUNT(*): answered from the (stage, unit) index, not the table (PostgreSQL 47 -> 15 ms
    # for the province); read again after each change, so it matters.
    by_stage = engine.cached(
        ("funnel", user.pk, unit.pk),
        lambda: dict(projects.order_by().values_list("stage").annotate(n=Count("*"))),
    )
    funnel, reached_before = [], None
    for index, stage in enumerate(LIFECYCLE):
        reached = sum(by_stage.get(s, 0) for s in LIFECYCLE[index:])
        if stage == Stage.STARTED:
            reached += by_stage.get(Stage.CONTINUING, 0)
        funnel.append(
            {
                "stage": stage.label,
                "code": stage.value,
                "count": reached,
                "rate": quantities.percent(reached, reached_before)
                if reached_before is not None
                else None,
            }
        )
        reached_before = reached
    trend = None
    trend_indicator = by_code.get("signed_amount")
    if trend_indicator:
        trend = {
            "name": trend_indicator.name,
            "measure": trend_indicator.unit_of_measure,
            "months": [f"{m}月" for m in range(1, 13)],
            "this_year": [str(v) for v in engine.monthly(trend_indicator, unit, period.year)],
            "last_year": [str(v) for v in engine.monthly(trend_indicator, unit, period.year - 1)],
            "labels": [str(period.year), str(period.year - 1)],
        }
    children = list(scope_units(user).filter(parent=unit, is_active=True))
    ranking = assessment.rank(children, period) if children else []
    in_subtree = subtree_q("project__responsible_unit__path", unit.path)
    approvals = Approval.objects.visible_to(user).filter(in_subtree).overdue()
    issues = ProjectIssue.objects.visible_to(user).filter(in_subtree, resolved_date__isnull=True)
    carried = (
        Project.objects.visible_to(user)
        .filter(carrying_leader=user)
        .select_related("responsible_unit")[:10]
    )
    return render(
        request,
        "targets/dashboard.html",
        {
            "cards": cards,
            "funnel": funnel,
            "trend": trend,
            "ranking": ranking[:10],
            "approvals": approvals.select_related("project")[:5],
            "approval_count": approvals.count(),
            "issues": issues.select_related("project")[:5],
            "issue_count": issues.count(),
            "carried": carried,
            "can_rank": can(user, PeerGroup, VIEW),
            "projects_url": f"{reverse('pipeline:project_list')}?{urlencode({'within': unit.pk})}",
            **picker_context(request, unit, period),
        },
    )
