"""Undoing a committed batch: delete the records it created, restore field by field the
values it changed, while nothing newer touched them."""

import datetime
import json

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.imports.engine import bump_data_version
from zhaoshang.imports.models import BatchRow, BatchStatus, ImportBatch, RowAction


class UndoRefused(ValueError):
    """The batch cannot be undone; the message says why, in Chinese."""


def _chunks(items, size=2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows_by_model(batch):
    grouped = {}
    for ct_id, pk, action, previous in BatchRow.objects.filter(batch=batch).values_list(
        "content_type", "object_id", "action", "previous"
    ):
        grouped.setdefault((ct_id, action), []).append((pk, previous))
    return grouped


def _batch_ids(batch, ct_id, action):
    """A subquery of the ids of one model's records the batch created or updated."""
    return BatchRow.objects.filter(batch=batch, content_type_id=ct_id, action=action).values(
        "object_id"
    )


def blockers(batch):
    """Why the batch cannot be undone: a list of Chinese sentences (empty if it can).

    Each check is one query with the batch's rows as a subquery, so a batch of 100,000
    records costs no more queries than a batch of three."""
    from django.contrib.contenttypes.models import ContentType

    if batch.status != BatchStatus.COMMITTED:
        return [_("Only an imported batch can be undone.")]
    reasons = []
    later_batches = ImportBatch.objects.filter(
        status=BatchStatus.COMMITTED, pk__gt=batch.pk
    ).values("pk")
    groups = (
        BatchRow.objects.filter(batch=batch)
        .values_list("content_type", "action")
        .distinct()
        .order_by()
    )
    for ct_id, action in groups:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        ids = _batch_ids(batch, ct_id, action)
        touched = model._base_manager.filter(pk__in=ids, updated_at__gt=batch.committed_at).count()
        later = (
            BatchRow.objects.filter(content_type_id=ct_id, object_id__in=ids)
            .filter(batch__in=later_batches)
            .values("object_id")
            .distinct()
            .count()
        )
        if touched:
            reasons.append(
                _("%(count)s %(records)s were changed after this import.")
                % {"count": touched, "records": model._meta.verbose_name_plural}
            )
        if later:
            reasons.append(
                _("%(count)s %(records)s were imported again by a later batch; undo that first.")
                % {"count": later, "records": model._meta.verbose_name_plural}
            )
        if action == RowAction.CREATE:
            reasons += _dependents(model, ids, batch)
    return reasons


def _dependents(model, ids, batch):
    """Records added since the import that point at records it created."""
    from django.contrib.contenttypes.models import ContentType

    reasons = []
    for rel in model._meta.related_objects:
        related = rel.related_model
        if rel.many_to_many:
            through = rel.through
            link = next(
                f.name
                for f in through._meta.concrete_fields
                if f.is_relation and f.related_model is model
            )
            query = through._base_manager.filter(**{f"{link}__in": ids})
        else:
            query = related._base_manager.filter(**{f"{rel.field.name}__in": ids})
            if hasattr(related, "created_at"):
                # Children the import itself wrote (a created project's milestones) carry
                # the import's time; anything later was added since.
                query = query.filter(created_at__gt=batch.committed_at)
            ct = ContentType.objects.get_for_model(related).pk
            query = query.exclude(pk__in=_batch_ids(batch, ct, RowAction.CREATE))
        count = query.count()
        if count:
            reasons.append(
                _("%(count)s %(records)s were added since that refer to records of this import.")
                % {"count": count, "records": related._meta.verbose_name_plural}
            )
    return reasons


def undo(batch, user):
    """Undo a committed batch in one transaction, or raise UndoRefused."""
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        reasons = blockers(batch)
        if reasons:
            raise UndoRefused(" ".join(reasons))
        grouped = _rows_by_model(batch)
        with connection.cursor() as cursor:
            for (ct_id, action), items in grouped.items():
                if action == RowAction.UPDATE:
                    model = ContentType.objects.get_for_id(ct_id).model_class()
                    _restore(cursor, model, items)
            creates = [
                (ContentType.objects.get_for_id(ct_id).model_class(), items)
                for (ct_id, action), items in grouped.items()
                if action == RowAction.CREATE
            ]
            # Children before parents: a model that points at another created model goes first.
            creates.sort(key=lambda entry: -_depth(entry[0], {m for m, _i in creates}))
            for model, items in creates:
                ids = [pk for pk, _prev in items]
                _delete_cascade(cursor, model, ids)
        batch.status = BatchStatus.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save()
        bump_data_version()
    return batch


def _depth(model, models_set):
    return sum(
        1
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model in models_set and f.related_model is not model
    )


def _delete_cascade(cursor, model, ids):
    """Delete rows by id, first deleting their CASCADE children (written by the import)."""
    quote = connection.ops.quote_name
    for rel in model._meta.related_objects:
        if rel.many_to_many or rel.on_delete is not models.CASCADE:
            continue
        child = rel.related_model
        for chunk in _chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {quote(child._meta.db_table)} "
                f"WHERE {quote(rel.field.column)} IN ({marks})",
                chunk,
            )
    for chunk in _chunks(ids):
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE id IN ({marks})",
            chunk,
        )


def _restore(cursor, model, items):
    """Write back each updated record's previous values, field by field."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    groups = {}
    for pk, previous in items:
        previous = json.loads(previous) if isinstance(previous, str) else previous
        groups.setdefault(tuple(sorted(previous)), []).append((pk, previous))
    for names, rows in groups.items():
        sets = ", ".join(f"{quote(by_attname[a].column)} = %s" for a in names)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s"
        params = []
        for pk, previous in rows:
            values = [_db_value(by_attname[a], previous[a]) for a in names]
            params.append([*values, pk])
        cursor.executemany(sql, params)


def _db_value(field, value):
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    python = field.to_python(value)
    if isinstance(python, datetime.datetime):
        return field.get_db_prep_value(python, connection)
    return python
