"""Writes the change log: one entry per create, update, delete, and per login event.

Connected once in CoreConfig.ready(). Bulk writes that bypass signals (imports) record
their own batch instead.
"""

import datetime
import decimal
import uuid

from django.contrib.auth import signals as auth_signals
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from zhaoshang.core import context

SENSITIVE_WORDS = ("password", "token", "secret")


def _loggable_fields(instance):
    exclude = instance.changelog_exclude
    for field in instance._meta.concrete_fields:
        if field.name in exclude or any(word in field.name for word in SENSITIVE_WORDS):
            continue
        if field.primary_key:
            continue
        yield field


def _plain(value):
    """A JSON-safe form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return value
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return str(value)


def _related_text(field, pk):
    if pk is None:
        return None
    obj = field.related_model._base_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else str(pk)


def _values(instance, source):
    """{field name: plain value} from the instance, or from its snapshot of the database."""
    values = {}
    for field in _loggable_fields(instance):
        if source is None:
            raw = getattr(instance, field.attname)
        elif field.attname in source:
            raw = source[field.attname]
        else:
            continue
        values[field.name] = (field, raw)
    return values


def _display(field, raw):
    if isinstance(field, models.ForeignKey):
        return _related_text(field, raw)
    return _plain(raw)


def _diff(instance):
    before = getattr(instance, "_changelog_snapshot", None)
    if before is None:
        return None
    old = _values(instance, before)
    new = _values(instance, None)
    changes = {}
    for name, (field, raw_new) in new.items():
        if name not in old:
            continue
        raw_old = old[name][1]
        if _plain(_normalise(field, raw_old)) != _plain(_normalise(field, raw_new)):
            changes[name] = [_display(field, raw_old), _display(field, raw_new)]
    return changes


def _previous_unit(instance, changes):
    """The unit the record was filed under before this update, when the update changed a
    foreign key (which may move it to another unit); else None."""
    before = getattr(instance, "_changelog_snapshot", None)
    if not before or not any(
        isinstance(instance._meta.get_field(name), models.ForeignKey) for name in changes
    ):
        return None
    try:
        earlier = type(instance)(**before)  # the record as it was, to ask its unit
        unit = earlier.changelog_unit()
    except Exception:  # an unresolvable earlier state: the engine then reads all units
        return None
    return getattr(unit, "pk", unit)


def _normalise(field, raw):
    if raw is None:
        return None
    try:
        return field.to_python(raw)
    except ValidationError:
        return raw


def write_entry(
    action, instance=None, changes=None, user=None, username="", unit=None, previous_unit=None
):
    """Write one ChangeLogEntry for the current request's user and address."""
    from zhaoshang.core.models import ChangeLogEntry, DataVersion

    ctx = context.current()
    user = user if user is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if instance is not None and unit is None:
        unit = instance.changelog_unit(deleted=action == "delete")
    with transaction.atomic(using=DataVersion.objects.db):
        # The serial and its entry become visible together (see DataVersion).
        serial = DataVersion.advance() if instance is not None else None
        if serial is not None:
            _wrote_serial(DataVersion.objects.db)
        return ChangeLogEntry.objects.create(
            user=user,
            username=username or (user.get_username() if user else ""),
            ip=ctx.ip,
            action=action,
            content_type=(
                ContentType.objects.get_for_model(instance) if instance is not None else None
            ),
            object_id=str(instance.pk) if instance is not None else "",
            object_repr=str(instance)[:200] if instance is not None else "",
            unit_id=getattr(unit, "pk", unit) if unit is not None else None,
            previous_unit_id=getattr(previous_unit, "pk", previous_unit),
            changes=changes or {},
            serial=serial,
        )


def _wrote_serial(using):
    """Mark the connection's outer transaction as holding an uncommitted serial: figures
    read inside it see records other connections do not, and must not be cached for them.
    (The atomic block of write_entry itself is always open here, so look at its parent.)"""
    conn = transaction.get_connection(using)
    if len(conn.atomic_blocks) > 1:
        conn.zs_uncommitted_serial = True


def serial_uncommitted(conn):
    """Whether `conn` is inside a transaction that advanced the serial (see _wrote_serial).
    Outside any transaction nothing is pending: the mark of a finished one is cleared."""
    if not conn.in_atomic_block:
        conn.zs_uncommitted_serial = False
        return False
    return getattr(conn, "zs_uncommitted_serial", False)


def _is_logged(sender):
    from zhaoshang.core.models import ChangeLoggedModel

    return issubclass(sender, ChangeLoggedModel)


def on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not _is_logged(sender) or instance._state.adding:
        return
    if getattr(instance, "_changelog_snapshot", None) is None and instance.pk is not None:
        row = sender._base_manager.filter(pk=instance.pk).values(
            *[f.attname for f in sender._meta.concrete_fields]
        )
        found = row.first()
        instance._changelog_snapshot = found


def on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _is_logged(sender):
        return
    if created:
        changes = {
            name: [None, _display(field, raw_value)]
            for name, (field, raw_value) in _values(instance, None).items()
            if raw_value not in (None, "")
        }
        write_entry("create", instance, changes)
    else:
        changes = _diff(instance)
        if changes:
            write_entry(
                "update", instance, changes, previous_unit=_previous_unit(instance, changes)
            )
    instance._changelog_snapshot = {
        f.attname: getattr(instance, f.attname) for f in sender._meta.concrete_fields
    }


def on_post_delete(sender, instance, **kwargs):
    if not _is_logged(sender):
        return
    changes = {
        name: [_display(field, raw_value), None]
        for name, (field, raw_value) in _values(instance, None).items()
        if raw_value not in (None, "")
    }
    write_entry("delete", instance, changes)


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Log a change of a many-to-many field as one update with the lists before and after.

    `set()` removes and then adds; the add extends the entry its remove wrote, so one
    change of roles is one entry.
    """
    if reverse or not _is_logged(type(instance)):
        return
    field = next(
        (f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field is None:
        return
    if action.startswith("pre_"):
        instance._changelog_m2m_before = sorted(str(o) for o in getattr(instance, field.name).all())
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = getattr(instance, "_changelog_m2m_before", [])
    after = sorted(str(o) for o in getattr(instance, field.name).all())
    pending = getattr(instance, "_changelog_m2m_pending", {}).get(field.name)
    if action == "post_add" and pending is not None:
        first_before = pending.changes[field.name][0]
        if first_before == after:
            pending.delete()
        else:
            pending.changes[field.name] = [first_before, after]
            pending.save(update_fields=["changes"])
        instance._changelog_m2m_pending.pop(field.name)
        return
    if before != after:
        entry = write_entry("update", instance, {field.name: [before, after]})
        if action != "post_add":
            instance.__dict__.setdefault("_changelog_m2m_pending", {})[field.name] = entry


def on_logged_in(sender, request, user, **kwargs):
    write_entry("login", user=user, unit=getattr(user, "unit_id", None))


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        write_entry("logout", user=user, unit=getattr(user, "unit_id", None))


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept: the credentials also hold the password.
    write_entry("login_failed", username=str(credentials.get("username", ""))[:150])


def connect_signals():
    pre_save.connect(on_pre_save, dispatch_uid="zs_changelog_pre_save")
    post_save.connect(on_post_save, dispatch_uid="zs_changelog_post_save")
    post_delete.connect(on_post_delete, dispatch_uid="zs_changelog_post_delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="zs_changelog_m2m")
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="zs_changelog_login")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="zs_changelog_logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="zs_changelog_failed")
