"""Generating a report into the archive, and finding the earlier generation to compare with."""

import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from zhaoshang.reports import render
from zhaoshang.reports.base import differences, figures_hash
from zhaoshang.reports.models import ReportRun

# Parameters that do not change the figures (a new document number prints the same report).
COSMETIC = {"doc_number"}


def params_key(code, params):
    """The report and the parameters that decide its figures, as one comparable string."""
    kept = {k: v for k, v in sorted(params.items()) if k not in COSMETIC and v not in (None, "")}
    return f"{code}:{json.dumps(kept, sort_keys=True, ensure_ascii=False)}"[:300]


def generate(generator_class, params, user=None, automatic=False):
    """Compute the report, write its .docx and .xlsx and store it in the archive."""
    generator = generator_class(params, user)
    with translation.override(settings.LANGUAGE_CODE):
        document = generator.compute()
        map_image = None
        if document.get("map_points"):
            map_image = render.tile_image(document["map_points"], settings.TILE_URL)
        docx = render.to_docx(document, map_image)
        xlsx = render.to_xlsx(document)
    run = ReportRun(
        unit=generator.owner_unit(),
        code=generator.code,
        title=document["title"][:200],
        period_code=generator.period_code(),
        params=params,
        params_key=params_key(generator.code, params),
        document=document,
        figures_hash=figures_hash(document),
        created_by=user,
        automatic=automatic,
    )
    stem = f"{generator.code}-{run.period_code or 'now'}-{timezone.now():%Y%m%d%H%M%S%f}"
    run.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    run.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    run.save()
    return run


def previous(run, user=None):
    """The latest earlier generation of the same report with the same parameters."""
    qs = ReportRun.objects.filter(params_key=run.params_key, pk__lt=run.pk)
    if user is not None:
        qs = qs.visible_to(user)
    return qs.order_by("-pk").first()


def comparison(run, user=None):
    """(earlier run or None, [(place, before, now)]) — empty when the figures are the same."""
    earlier = previous(run, user)
    if earlier is None or earlier.figures_hash == run.figures_hash:
        return earlier, []
    return earlier, differences(earlier.document, run.document)
