"""The generic REST machinery: one ScopedModelViewSet per model, declared on the page's views.

A viewset names the page declaration (`core.views.ObjectViews` subclass) it serves: the
model, the FilterSet, the list queryset and the form all come from there, so the API and
the page share one definition of "which rows" and "which input is valid". Writes are
validated by the page's form (bound with the JSON body), which limits every unit and
related-record choice to the user's scope exactly as the page does.
"""

import functools
import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator as DjangoPaginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from zhaoshang.api.exceptions import Conflict, PreconditionRequired
from zhaoshang.api.rows import plan_for
from zhaoshang.core.scope import ADD, CHANGE, DELETE, VIEW, can

MAX_BULK = 500
ACTIONS = {
    "list": VIEW,
    "retrieve": VIEW,
    "create": ADD,
    "bulk_create": ADD,
    "update": CHANGE,
    "partial_update": CHANGE,
    "bulk_update": CHANGE,
    "destroy": DELETE,
}


def version_of(obj):
    """The record's version: its last update time in microseconds, as a string."""
    stamp = getattr(obj, "updated_at", None)
    return str(int(stamp.timestamp() * 1_000_000)) if stamp else ""


class VersionField(serializers.CharField):
    """Read: the record's version. Write: the version the change is based on."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Version of the record (changes on every update). Send it back with a "
                "change, or as the If-Match header; a stale version answers 409."
            ),
        )
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, value):
        return version_of(value)


class RecordSerializer(serializers.ModelSerializer):
    """Output of a record: its fields, `display` (its name) and `version`."""

    display = serializers.SerializerMethodField(help_text=gettext_lazy("The record's name."))
    version = VersionField()

    def get_display(self, obj) -> str:
        return str(obj)


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    display = serializers.CharField(source="__str__", read_only=True)


class CountedPaginator(DjangoPaginator):
    """Counts `count_rows` (the plain filtered rows) instead of the decorated list."""

    def __init__(self, object_list, per_page, count_rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_rows = count_rows

    @cached_property
    def count(self):
        rows = self.object_list if self.count_rows is None else self.count_rows
        return rows.count()


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        rows = getattr(view, "count_rows", None)
        self.django_paginator_class = functools.partial(CountedPaginator, count_rows=rows)
        return super().paginate_queryset(queryset, request, view)


class FilterBackend(DjangoFilterBackend):
    """The page's FilterSet; a record id too large for any column is refused, not looked up."""

    def filter_queryset(self, request, queryset, view):
        # No parameter names a filter: every filter is empty, so skip building the form.
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not any(
            name in filterset_class.base_filters for name in request.query_params
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for name, field in filterset.form.fields.items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                for value in request.query_params.getlist(name):
                    if value and not _is_id(value):
                        raise exceptions.ValidationError({name: [_("Select a valid choice.")]})
        return filterset


class ScopePermission(permissions.BasePermission):
    """The role must grant the action on the model (core.scope.can); otherwise 403.

    On one record the order is the pages': the view right (403), the record in sight (404),
    then the right and the scope of the action itself (403) — see get_object."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        act = VIEW if "pk" in view.kwargs else view.scope_action()
        return can(request.user, view.model, act)


BIGGEST = 2**63 - 1  # larger whole numbers fit no database column; refuse them early


def _is_id(value):
    text = str(value)
    return (
        not isinstance(value, bool)
        and text.isascii()
        and text.isdigit()
        and 0 < int(text) <= BIGGEST
    )


def _form_value(field, value):
    """A JSON value as the form field expects it in bound data; ValueError if the type is off."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > BIGGEST:
        raise ValueError(_("The number is out of range."))
    if isinstance(field, forms.ModelChoiceField) and value not in (None, ""):
        values = value if isinstance(value, list) else [value]
        if not all(_is_id(v) for v in values):
            raise ValueError(_("Select a valid choice."))
    if value is None:
        return False if isinstance(field, forms.BooleanField) else ""
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        if not isinstance(value, bool):
            raise ValueError(_("Must be true or false."))
        return value
    if isinstance(field, forms.JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        if not isinstance(value, list) or any(isinstance(v, dict | list | bool) for v in value):
            raise ValueError(_("Must be a list of values."))
        return [str(v) for v in value]
    if isinstance(value, dict | list):
        raise ValueError(_("Must be a single value, not a list or an object."))
    if isinstance(value, bool):
        raise ValueError(_("Must not be true or false."))
    return str(value)


def bound_data(blank, payload):
    """Bound data for a form like `blank` (an unbound form): its current or initial values
    with the JSON (or multipart) `payload` laid over; ValidationError for values of a wrong
    type. File fields are left to the request's files."""
    if not isinstance(payload, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Expected a JSON object.")]})
    # Fields not sent keep their current value (on creation: the form's initial one).
    data = {name: blank[name].value() for name in blank.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    errors = {}
    for name, value in payload.items():
        field = blank.fields.get(name)
        if field is None or isinstance(field, forms.FileField):
            continue
        try:
            data[name] = _form_value(field, value)
        except ValueError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise exceptions.ValidationError(errors)
    return data


def form_errors(form):
    return _form_errors(form)


def _form_errors(form):
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages)
        for name, messages in form.errors.items()
    }


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Reading one model through the unit scope: the view right (else 403), and only the
    records `visible_to(user)` (another unit's record answers 404)."""

    views = None  # the page declaration (core.views.ObjectViews subclass)
    serializer_class = None
    api_description = ""
    ordering_fields = ("id",)
    prefetch = ()  # many-to-many fields the serializer shows
    permission_classes = [ScopePermission]
    filter_backends = [FilterBackend, filters.OrderingFilter]
    lookup_value_regex = r"[0-9]{1,18}"
    pagination_class = Pagination

    @property
    def model(self):
        return self.views.model

    @property
    def filterset_class(self):
        return self.views.filterset

    def scope_action(self):
        return ACTIONS.get(self.action, VIEW)

    def get_queryset(self):
        """The plain scoped rows: filters and the page count run on these, without joins."""
        queryset = self.model.objects.visible_to(self.request.user, VIEW)
        return queryset if queryset.ordered else queryset.order_by("pk")  # stable pages

    def decorate(self, queryset):
        """The rows as they are shown: the page's list_queryset joins and annotations."""
        queryset = self.views.list_queryset(queryset).prefetch_related(*self.prefetch)
        return queryset if queryset.ordered else queryset.order_by("pk")

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset())
        self.count_rows = rows
        page = self.paginate_queryset(self.decorate(rows))
        serializer_class = self.get_serializer_class()
        # The serializer's output, from a plan compiled once per class (api/rows.py).
        data = plan_for(serializer_class).rows(
            page, lambda: serializer_class(context=self.get_serializer_context())
        )
        return self.get_paginated_response(data)

    def get_serializer_class(self):
        if self.action == "list" and self.request.query_params.get("brief") in ("1", "true"):
            return BriefSerializer
        return self.serializer_class

    def get_object(self):
        """The record in view scope (else 404), and in the action's scope (else 403)."""
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        act = self.scope_action()
        if act != VIEW:
            if not can(self.request.user, self.model, act):
                raise PermissionDenied
            scoped = self.model.objects.visible_to(self.request.user, act)
            if not scoped.filter(pk=obj.pk).exists():
                raise PermissionDenied
        return obj

    def _out(self, obj, code=status.HTTP_200_OK):
        obj = self.decorate(self.get_queryset()).get(pk=obj.pk)  # with the list's relations
        return Response(
            self.serializer_class(obj, context=self.get_serializer_context()).data,
            status=code,
            headers={"ETag": f'"{version_of(obj)}"'},
        )

    # --- reading -------------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        return self._out(self.get_object())


class ScopedModelViewSet(ScopedReadOnlyViewSet, viewsets.ModelViewSet):
    """CRUD through the unit scope: create/update/delete need the role's right (else 403)
    and a record in the scope of that action (out of sight 404, in sight but read-only 403).
    Writes go through the page's form; updates need the version read (409 when stale)."""

    # --- writing through the page's form -------------------------------------------------

    def form_data(self, payload, instance):
        """The form's bound data: the record's current values (or the initial ones), with
        the payload's fields laid over; raises ValidationError for values of a wrong type."""
        return bound_data(self.views.form(instance=instance, user=self.request.user), payload)

    def save_form(self, payload, instance=None):
        """Validate `payload` with the page's form and save it; returns the record.
        Uploaded files (a multipart request) go to the form's file fields."""
        creating = instance is None
        if creating:
            instance = self.views.new_instance(self.request.user)
        data = self.form_data(payload, instance)
        files = self.request.FILES if self.request.content_type.startswith("multipart/") else {}
        form = self.views.form(data, files, instance=instance, user=self.request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        obj = form.save(commit=False)
        if creating and hasattr(obj, "created_by_id"):
            obj.created_by = self.request.user
        obj.save()
        form.save_m2m()
        return obj

    def expected_version(self, payload):
        header = self.request.headers.get("If-Match", "")
        if header:
            return header.removeprefix("W/").strip().strip('"')
        if isinstance(payload, dict) and payload.get("version") not in (None, ""):
            return str(payload["version"])
        return None

    def locked(self, obj, expected):
        """The record locked for the update; 409 when its version is not `expected`."""
        current = self.model.objects.select_for_update().get(pk=obj.pk)
        if expected is not None and version_of(current) != expected:
            raise Conflict(
                _(
                    "The record was changed by someone else since you read it. "
                    "Read it again (version %(version)s) and make your change on that."
                )
                % {"version": version_of(current)}
            )
        return current

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            obj = self.save_form(request.data)
        return self._out(obj, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        expected = self.expected_version(request.data)
        if expected is None:
            raise PreconditionRequired(
                _("Send the version you read: the If-Match header or a `version` field.")
            )
        with transaction.atomic():
            current = self.locked(obj, expected)
            obj = self.save_form(request.data, current)
        return self._out(obj)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        with transaction.atomic():
            current = self.locked(obj, self.expected_version(None))
            current.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- bulk: all or nothing ------------------------------------------------------------

    def _items(self, payload):
        if not isinstance(payload, list) or not payload:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Expected a non-empty JSON list of objects.")]}
            )
        if len(payload) > MAX_BULK:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("At most %(n)s items at once.") % {"n": MAX_BULK}]}
            )
        return payload

    def _bulk(self, payload, one):
        """Run `one(item)` for every item in one transaction; any error rolls all back."""
        items = self._items(payload)
        done, errors = [], {}
        with transaction.atomic():
            for index, item in enumerate(items):
                try:
                    with transaction.atomic():
                        done.append(one(item))
                except exceptions.ValidationError as exc:
                    detail = (
                        exc.detail
                        if isinstance(exc.detail, dict)
                        else {"non_field_errors": exc.detail}
                    )
                    for field, messages in detail.items():
                        errors[f"{index}.{field}"] = [str(m) for m in messages]
                except Conflict as exc:
                    errors[f"{index}.version"] = [str(exc.detail)]
            if errors:
                transaction.set_rollback(True)
        if errors:
            raise exceptions.ValidationError(errors)
        queryset = self.decorate(self.get_queryset()).filter(pk__in=[o.pk for o in done])
        by_pk = {o.pk: o for o in queryset}
        context = self.get_serializer_context()
        return [self.serializer_class(by_pk[o.pk], context=context).data for o in done]

    def _bulk_update_one(self, item):
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise exceptions.ValidationError({"id": [_("Each item needs the record's id.")]})
        scoped = self.model.objects.visible_to(self.request.user, CHANGE)
        obj = scoped.filter(pk=item["id"]).first()
        if obj is None:
            raise exceptions.ValidationError({"id": [_("No such record, or not yours to change.")]})
        if item.get("version") in (None, ""):
            raise exceptions.ValidationError({"version": [_("Each item needs its version.")]})
        current = self.locked(obj, str(item["version"]))
        return self.save_form(item, current)

    @action(detail=False, methods=["post", "patch"], url_path="bulk")
    def bulk(self, request, *args, **kwargs):
        if request.method == "POST":
            return Response(self._bulk(request.data, self.save_form), status=201)
        return Response(self._bulk(request.data, self._bulk_update_one))

    def initial(self, request, *args, **kwargs):
        if self.action == "bulk":
            self.action = "bulk_create" if request.method == "POST" else "bulk_update"
        super().initial(request, *args, **kwargs)


def record_serializer(model, fields, read_only=(), extra=None):
    """A RecordSerializer for `model` with `fields` (plus id, display, version)."""
    attrs = dict(extra or {})
    for name in read_only:
        field = next((f for f in model._meta.fields if f.name == name), None)
        if field is not None and field.choices and field.blank and name not in attrs:
            # A read-only choice that may be empty: say so, or the schema forbids "".
            attrs[name] = serializers.ChoiceField(
                choices=field.choices, allow_blank=True, read_only=True
            )
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": ["id", "display", "version", *fields]
            + [name for name in attrs if name not in fields],
            "read_only_fields": list(read_only),
        },
    )
    attrs["Meta"] = meta
    return type(f"{model.__name__}Serializer", (RecordSerializer,), attrs)
