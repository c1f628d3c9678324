"""A list's rows as the serializer shows them, without DRF's per-field machinery.

DRF's `Serializer.to_representation` walks every field of every row through
`get_attribute` (source paths, callables, exceptions, a PKOnlyObject per foreign key) and
builds a fresh serializer with deep-copied fields on each request. For a list of 100 rows
of 40 fields that was most of the API's own time. A `RowPlan` is compiled once per
serializer class: for each readable field a getter and a converter that give exactly what
DRF gives (the same field objects convert what is not a plain value). Fields it cannot
compile (a dotted or `*` source, a many-to-many, a method field other than `display`) are
served by the request's own serializer, field by field, as DRF would.
"""

import functools
import operator
from decimal import Decimal

from rest_framework import fields, relations
from rest_framework.settings import api_settings


def _identity(value):
    return value


def _decimal(field):
    places = field.decimal_places
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or places is None:
        return field.to_representation
    exponent = -places

    def convert(value):
        # A value the database already gives with the field's places needs no quantizing.
        if type(value) is Decimal and value.as_tuple().exponent == exponent:
            return f"{value:f}"
        return field.to_representation(value)

    return convert


def _converter(field):
    """The function DRF's `field.to_representation` amounts to for a non-None value."""
    kind = type(field)
    if isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None:
        return _identity  # the getter reads the foreign key's id: DRF shows that pk
    if kind in (fields.CharField, fields.EmailField, fields.URLField, fields.SlugField):
        return lambda value: value if type(value) is str else field.to_representation(value)
    if kind is fields.IntegerField or (
        kind is fields.BigIntegerField
        and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    ):
        return lambda value: value if type(value) is int else field.to_representation(value)
    if kind is fields.DecimalField:
        return _decimal(field)
    if kind in (
        fields.BooleanField,
        fields.ChoiceField,
        fields.DateField,
        fields.DateTimeField,
        fields.JSONField,
        fields.FloatField,
        fields.TimeField,
    ):
        return field.to_representation
    return None


def _model_getter(model, field):
    """A getter of the field's value straight from the instance, or None."""
    source = field.source
    if model is None or not isinstance(source, str) or "." in source or source == "*":
        return None
    try:
        model_field = model._meta.get_field(source)
    except Exception:  # noqa: BLE001 — not a model field: a property or a method
        return None
    if not getattr(model_field, "concrete", False) or model_field.many_to_many:
        return None
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if not model_field.is_relation or not field.use_pk_only_optimization():
            return None
        return operator.attrgetter(model_field.attname)
    if model_field.is_relation:
        return None
    return operator.attrgetter(model_field.attname)


class RowPlan:
    """Compiled representation of one serializer class's rows (see the module's note)."""

    def __init__(self, serializer_class, special=None):
        proto = serializer_class()
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        special = special or {}
        self.steps = []  # (name, getter(obj) or None, converter or None)
        self.generic = False
        for field in proto._readable_fields:
            name = field.field_name
            if name in special:
                self.steps.append((name, special[name], None))
                continue
            getter, convert = _model_getter(model, field), _converter(field)
            if getter is None or convert is None:
                self.steps.append((name, None, None))
                self.generic = True
            else:
                self.steps.append((name, getter, None if convert is _identity else convert))

    def rows(self, objects, serializer_factory):
        """[dict] for `objects`; `serializer_factory()` gives the request's serializer, asked
        for only when a field needs DRF's own path."""
        bound = serializer_factory().fields if self.generic else None
        out = []
        for obj in objects:
            row = {}
            for name, getter, convert in self.steps:
                if getter is None:
                    row[name] = _drf_value(bound[name], obj)
                    continue
                value = getter(obj)
                row[name] = value if value is None or convert is None else convert(value)
            out.append(row)
        return out


def _drf_value(field, obj):
    """One field of one row exactly as `Serializer.to_representation` computes it."""
    try:
        attribute = field.get_attribute(obj)
    except fields.SkipField:  # pragma: no cover — no such field in our serializers
        return None
    check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
    return None if check is None else field.to_representation(attribute)


@functools.cache
def plan_for(serializer_class):
    from zhaoshang.api.base import BriefSerializer, RecordSerializer, VersionField, version_of

    special = {}
    if issubclass(serializer_class, BriefSerializer):
        special = {"id": operator.attrgetter("pk"), "display": str}
    elif issubclass(serializer_class, RecordSerializer):
        declared = serializer_class._declared_fields
        if serializer_class.get_display is RecordSerializer.get_display:
            special["display"] = str
        if isinstance(declared.get("version"), VersionField):
            special["version"] = version_of
    return RowPlan(serializer_class, special)
