"""Pages of the reports app: the list of reports, a report's parameters, the archive and a
generated report (HTML with every figure linked, its .docx and .xlsx)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from zhaoshang.core.periods import Period
from zhaoshang.core.scope import VIEW, can
from zhaoshang.reports import archive, registry
from zhaoshang.reports.base import ReportForm, scope_units
from zhaoshang.reports.models import ReportRun


def _require(user):
    if not can(user, ReportRun, VIEW) or not scope_units(user).exists():
        raise PermissionDenied


@login_required
def report_list(request):
    """Every report the user may generate, and the latest generated ones."""
    _require(request.user)
    runs = ReportRun.objects.visible_to(request.user).select_related("unit", "created_by")[:10]
    return render(
        request,
        "reports/list.html",
        {"generators": registry.available(request.user), "runs": runs},
    )


def _initial(user):
    from zhaoshang.organization.models import PeerGroup

    today = timezone.localdate()
    units = scope_units(user)
    home = getattr(user, "unit", None)
    unit = None
    if home is not None:
        jurisdiction = home.jurisdiction()
        for candidate in (jurisdiction, home):
            if candidate and units.filter(pk=candidate.pk).exists():
                unit = candidate
                break
    unit = unit or units.first()
    group = PeerGroup.objects.visible_to(user).first()
    return {
        "unit": unit.pk if unit else None,
        "peer_group": group.pk if group else None,
        "period": Period.cumulative(today.year, today.month).code,
        # Notices are written for a month that has ended.
        "month": f"{today.replace(day=1) - datetime.timedelta(days=1):%Y-%m}",
        "week": today.isoformat(),
    }


@login_required
def report_form(request, code):
    """The parameters of one report; a valid POST generates it into the archive."""
    _require(request.user)
    generator = registry.get(code)
    if generator is None or not generator.available_to(request.user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, generator=generator, user=request.user)
        if form.is_valid():
            run = archive.generate(generator, form.params(), request.user)
            return redirect(run)
        if form.forged():
            raise Http404
        status = 400
    else:
        form = ReportForm(initial=_initial(request.user), generator=generator, user=request.user)
    return render(
        request, "reports/form.html", {"generator": generator, "form": form}, status=status
    )


@login_required
def run_list(request):
    """The archive: every generated report the user may see."""
    _require(request.user)
    runs = ReportRun.objects.visible_to(request.user).select_related("unit", "created_by")
    code = request.GET.get("code")
    if code:
        runs = runs.filter(code=code)
    return render(
        request,
        "reports/archive.html",
        {"runs": runs[:200], "generators": registry.GENERATORS, "code": code},
    )


@login_required
def run_detail(request, pk):
    """A generated report as HTML, with the difference from its previous generation."""
    _require(request.user)
    run = get_object_or_404(
        ReportRun.objects.visible_to(request.user).select_related("unit", "created_by"), pk=pk
    )
    earlier, changes = archive.comparison(run, request.user)
    generator = registry.get(run.code)
    return render(
        request,
        "reports/detail.html",
        {
            "run": run,
            "doc": run.document,
            "earlier": earlier,
            "changes": changes,
            "generator": generator,
        },
    )


@login_required
def run_download(request, pk, fmt):
    _require(request.user)
    run = get_object_or_404(ReportRun.objects.visible_to(request.user), pk=pk)
    if fmt not in ("docx", "xlsx"):
        raise Http404
    file = run.docx if fmt == "docx" else run.xlsx
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except OSError:  # the file was removed from the data folder
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=f"{run.title}.{fmt}")
