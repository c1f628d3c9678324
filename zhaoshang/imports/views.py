"""Import pages: upload → mapping → preview → commit → batch detail with undo; the batch
list; and a template file per record type."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core.scope import ADD, CHANGE, DELETE, can
from zhaoshang.imports.declarations import RECORD_TYPES
from zhaoshang.imports.engine import Engine
from zhaoshang.imports.forms import UploadForm, importable_types
from zhaoshang.imports.models import BatchRow, BatchStatus, ImportBatch, RowAction, SavedMapping
from zhaoshang.imports.parsing import clean_text
from zhaoshang.imports.reading import ImportFileError, detect_format
from zhaoshang.imports.templates_xlsx import template_response
from zhaoshang.imports.undo import UndoRefused, blockers, undo

SAMPLE_ROWS = 3
PREVIEW_ROWS = 20


def upload_dir():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _batch(request, pk, action="view"):
    """A batch the user may see; drafts only for the user who uploaded them."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if action != "view" and batch.user_id != request.user.pk:
        if action == "undo" and ImportBatch.objects.visible_to(request.user, CHANGE).filter(pk=pk):
            return batch
        raise PermissionDenied
    return batch


def _engine(batch, user):
    rt = RECORD_TYPES[batch.record_type]
    engine = Engine(rt, user, default_unit=batch.default_unit_id)
    if not Path(batch.stored_file).is_file():
        raise ImportFileError(_("The uploaded file is no longer there; upload it again."))
    engine.read(Path(batch.stored_file), batch.file_format)
    return engine


@login_required
def batch_list(request):
    batches = (
        ImportBatch.objects.visible_to(request.user)
        .filter(Q(status__in=[BatchStatus.COMMITTED, BatchStatus.UNDONE]) | Q(user=request.user))
        .select_related("user", "unit")
    )
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    types = importable_types(request.user)
    labels = {code: rt.verbose_name for code, rt in RECORD_TYPES.items()}
    for batch in page:
        batch.type_label = labels.get(batch.record_type, batch.record_type)
    return render(
        request, "imports/batch_list.html", {"page": page, "types": types, "labels": labels}
    )


@login_required
def upload(request):
    if not importable_types(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        target = upload_dir() / uuid.uuid4().hex
        digest = hashlib.sha256()
        size = 0
        limit = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    break
                digest.update(chunk)
                out.write(chunk)
        try:
            if size > limit:
                raise ImportFileError(
                    _("The file is larger than %(limit)s MB.") % {"limit": limit // 1048576}
                )
            kind = detect_format(target)
            rt = RECORD_TYPES[form.cleaned_data["record_type"]]
            engine = Engine(rt, request.user, default_unit=form.cleaned_data["default_unit"])
            header = engine.read(target, kind)
        except ImportFileError as exc:
            target.unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            saved = SavedMapping.objects.filter(
                record_type=rt.code, signature=header.signature
            ).first()
            batch = ImportBatch.objects.create(
                record_type=rt.code,
                file_name=Path(upload.name).name[:255],
                sha256=digest.hexdigest(),
                size=size,
                file_format=kind,
                stored_file=str(target),
                mapping=saved.mapping if saved else header.columns,
                default_unit=form.cleaned_data["default_unit"],
                unit=request.user.unit,
                user=request.user,
                created_by=request.user,
            )
            if saved:
                messages.info(
                    request, _("The mapping confirmed last time for this layout is used.")
                )
            return redirect("imports:mapping", batch.pk)
    return render(request, "imports/upload.html", {"form": form})


def _samples(engine, index):
    header = engine.header
    rows = engine.sheets[0].rows[header.data_start : header.data_start + 12]
    values = []
    for row in rows:
        if index < len(row) and row[index] not in ("", None):
            values.append(clean_text(row[index]))
        if len(values) >= SAMPLE_ROWS:
            break
    return values


@login_required
def mapping(request, pk):
    batch = _batch(request, pk, "edit")
    if batch.status != BatchStatus.DRAFT:
        return redirect(batch)
    rt = RECORD_TYPES[batch.record_type]
    try:
        engine = _engine(batch, request.user)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("imports:batch_list")
    if request.method == "POST":
        columns = []
        for item in batch.mapping:
            chosen = request.POST.get(f"col-{item['index']}", "")
            columns.append({**item, "field": chosen if chosen in rt.by_name else ""})
        chosen = [c["field"] for c in columns if c["field"]]
        twice = sorted({name for name in chosen if chosen.count(name) > 1})
        if twice:
            messages.error(
                request,
                _("Two columns are imported as “%(field)s”; keep one of them.")
                % {"field": "、".join(str(rt.column_label(rt.by_name[n])) for n in twice)},
            )
            batch.mapping = columns
            batch.save(update_fields=["mapping", "updated_at"])
            return redirect("imports:mapping", batch.pk)
        batch.mapping = columns
        batch.save(update_fields=["mapping", "updated_at"])
        SavedMapping.objects.update_or_create(
            record_type=rt.code,
            signature=engine.header.signature,
            defaults={"mapping": columns, "updated_by": request.user},
        )
        return redirect("imports:preview", batch.pk)
    field_choices = [(c.name, rt.column_label(c)) for c in rt.columns]
    rows = [
        {**item, "samples": _samples(engine, item["index"])}
        for item in batch.mapping
        if item.get("header")
    ]
    required = [rt.column_label(c) for c in rt.columns if c.required and c.kind != "unit"]
    return render(
        request,
        "imports/mapping.html",
        {
            "batch": batch,
            "rows": rows,
            "field_choices": field_choices,
            "type_label": rt.verbose_name,
            "header_row": engine.header.row_index + 1,
            "reporting_unit": engine.header.reporting_unit,
            "required": required,
        },
    )


@login_required
def preview(request, pk):
    batch = _batch(request, pk, "edit")
    if batch.status != BatchStatus.DRAFT:
        return redirect(batch)
    rt = RECORD_TYPES[batch.record_type]
    try:
        engine = _engine(batch, request.user)
        plan = engine.validate(batch.mapping)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("imports:batch_list")
    mapped = [item for item in batch.mapping if item.get("field")]
    # Values are shown as they will be stored: under the field's name and stored unit.
    shown = [
        (rt.column_label(rt.by_name[item["field"]]), item["field"])
        for item in mapped
        if item["field"] in rt.by_name
    ]
    sample = []
    for row_no, values in plan.creates[:PREVIEW_ROWS]:
        sample.append(
            (row_no, _("create"), [_display(rt, engine, f, values.get(f)) for _h, f in shown])
        )
    by_attname = {f.attname: f for f in rt.model._meta.concrete_fields}
    changed = []
    for row_no, pk, changes, previous in plan.updates[:PREVIEW_ROWS]:
        parts = [
            (by_attname[a].verbose_name, previous.get(a), new)
            for a, new in changes.items()
            if a in by_attname
        ]
        changed.append((row_no, pk, parts))
    earlier = (
        ImportBatch.objects.filter(sha256=batch.sha256, status=BatchStatus.COMMITTED)
        .exclude(pk=batch.pk)
        .order_by("-committed_at")
        .first()
    )
    return render(
        request,
        "imports/preview.html",
        {
            "batch": batch,
            "plan": plan,
            "type_label": rt.verbose_name,
            "headers": [h for h, _f in shown],
            "sample": sample,
            "changed": changed,
            "earlier": earlier,
            "more_errors": plan.error_count - len(plan.errors),
        },
    )


def _display(rt, engine, name, value):
    """A parsed value as the preview shows it (related records by their text)."""
    if value is None or value == "":
        return ""
    column = rt.by_name.get(name)
    if column is None:
        return value
    if column.kind == "choice":
        field = rt.model._meta.get_field(name)
        return dict(field.flatchoices).get(value, value)
    if column.kind in engine.lookups:
        lookup = engine.lookups[column.kind]
        for key, (pk, _extra) in lookup.table.items():
            if pk == value:
                return key
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


@login_required
@require_POST
def commit(request, pk):
    batch = _batch(request, pk, "edit")
    if batch.status != BatchStatus.DRAFT:
        return redirect(batch)
    try:
        engine = _engine(batch, request.user)
        plan = engine.validate(batch.mapping)
        if not plan.ok:
            raise ImportFileError(_("The file has problems; nothing was imported."))
        engine.commit(plan, batch)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("imports:preview", batch.pk)
    except IntegrityError:
        # Someone else wrote a record with the same key between this preview and commit.
        messages.error(request, _("The records changed while importing; nothing was imported."))
        return redirect("imports:preview", batch.pk)
    messages.success(
        request,
        _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
        },
    )
    return redirect(batch)


@login_required
def batch_detail(request, pk):
    batch = _batch(request, pk)
    rt = RECORD_TYPES.get(batch.record_type)
    model = rt.model
    ct = ContentType.objects.get_for_model(model)
    rows = BatchRow.objects.filter(batch=batch, content_type=ct).order_by("row_number", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    records = model._base_manager.in_bulk([row.object_id for row in page])
    listed = [
        (row, records.get(row.object_id), _changed_fields(model, row)) for row in page.object_list
    ]
    reasons = blockers(batch) if batch.status == BatchStatus.COMMITTED else []
    can_undo = (
        batch.status == BatchStatus.COMMITTED
        and can(request.user, model, DELETE)
        and can(request.user, model, CHANGE)
        and (batch.user_id == request.user.pk or can(request.user, ImportBatch, CHANGE))
    )
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "type_label": rt.verbose_name,
            "page": page,
            "listed": listed,
            "reasons": reasons,
            "can_undo": can_undo,
            "list_url": _ledger_url(model),
        },
    )


def _ledger_url(model):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
    except NoReverseMatch:
        return ""


def _changed_fields(model, row):
    if row.action != RowAction.UPDATE or not row.previous:
        return ""
    labels = []
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    for attname in row.previous:
        if attname == "updated_at" or attname not in by_attname:
            continue
        labels.append(str(by_attname[attname].verbose_name))
    return "、".join(labels)


@login_required
@require_POST
def undo_batch(request, pk):
    batch = _batch(request, pk, "undo")
    model = RECORD_TYPES[batch.record_type].model
    if not (can(request.user, model, DELETE) and can(request.user, model, CHANGE)):
        raise PermissionDenied
    try:
        undo(batch, request.user)
    except UndoRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The import was undone."))
    return redirect("imports:batch_detail", batch.pk)


@login_required
def template(request, code):
    rt = RECORD_TYPES.get(code)
    if rt is None:
        raise Http404
    if not can(request.user, rt.model, ADD):
        raise PermissionDenied
    return template_response(rt)
