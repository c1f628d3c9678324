"""Generic list / detail / edit / delete views, declared per model (NetBox's pattern).

A model's views are one small declaration:

    class UnitViews(ObjectViews):
        model = Unit
        filterset = UnitFilterSet
        table = UnitTable
        form = UnitForm

    urlpatterns = UnitViews.urls()

Every view reads through the unit scope: a record the user may not see answers 404, an
action their roles do not grant answers 403 without details.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from zhaoshang.core.export import xlsx_response
from zhaoshang.core.models import ChangeLogEntry
from zhaoshang.core.scope import ADD, CHANGE, DELETE, VIEW, can
from zhaoshang.core.tables import PER_PAGE_CHOICES, table_option


def model_names(model):
    return {
        "verbose_name": model._meta.verbose_name,
        "verbose_name_plural": model._meta.verbose_name_plural,
    }


def url_name(model, action):
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


def record_history(obj, limit=100):
    """The change log entries of one record, newest first."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        ChangeLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk))
        .select_related("user")
        .order_by("-time", "-id")[:limit]
    )


def field_rows(obj, names=None):
    """[(label, value)] of a record's fields for the detail page."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable and field.name not in (names or ()):
            continue
        if names is not None and field.name not in names:
            continue
        if field.name in ("password",):
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.ForeignKey):
            value = getattr(obj, field.name)
        else:
            value = getattr(obj, field.name)
        rows.append((field.verbose_name, value))
    return rows


class ObjectViews:
    """Declaration of one model's pages; subclasses set the attributes below."""

    model = None
    filterset = None
    table = None
    form = None
    detail_fields = None  # names shown on the detail page (default: every editable field)
    list_template = "generic/list.html"
    detail_template = "generic/detail.html"
    # The pages this model has; a record that is never edited or deleted leaves them out.
    actions = ("list", "export", "add", "detail", "edit", "delete")

    @classmethod
    def list_queryset(cls, queryset):
        """Add select_related / prefetch_related so a page costs a fixed number of queries."""
        return queryset

    @classmethod
    def related(cls, obj, user):
        """[(title, table)] shown under the record on its detail page."""
        return []

    @classmethod
    def history(cls, obj, user):
        """The change history shown on the record's page (override to mask values)."""
        return record_history(obj)

    @classmethod
    def extra_detail_context(cls, obj, user):
        return {}

    @classmethod
    def new_instance(cls, user):
        return cls.model()

    @classmethod
    def urls(cls):
        name = cls.model._meta.model_name
        pages = {
            "list": (f"{name}s/", ObjectListView),
            "export": (f"{name}s/export/", ObjectExportView),
            "add": (f"{name}s/add/", ObjectEditView),
            "detail": (f"{name}s/<int:pk>/", ObjectDetailView),
            "edit": (f"{name}s/<int:pk>/edit/", ObjectEditView),
            "delete": (f"{name}s/<int:pk>/delete/", ObjectDeleteView),
        }
        return [
            path(route, view.as_view(spec=cls), name=f"{name}_{action}")
            for action, (route, view) in pages.items()
            if action in cls.actions
        ]


class SpecView(View):
    spec = None

    @property
    def model(self):
        return self.spec.model

    def require(self, action):
        if not can(self.request.user, self.model, action):
            raise PermissionDenied

    def scoped(self, action=VIEW):
        return self.model.objects.visible_to(self.request.user, action)

    def get_visible(self, pk):
        return get_object_or_404(self.scoped(VIEW), pk=pk)

    def base_context(self, **extra):
        user = self.request.user
        return {
            "model": self.model,
            "spec": self.spec,
            **model_names(self.model),
            "can_add": "add" in self.spec.actions and can(user, self.model, ADD),
            "list_url": reverse(url_name(self.model, "list")),
            "add_url": (
                reverse(url_name(self.model, "add")) if "add" in self.spec.actions else None
            ),
            **extra,
        }


class ObjectListView(SpecView):
    """The ledger page: filters, search, sort, chosen columns, per-page, totals, export.

    The column choice (`?columns=a,b,c`) and the page size (`?per_page=50`) are kept in the
    session per model, so they survive filtering, sorting and paging; `?columns=` alone
    restores the table's default columns. The export link carries the same query.
    """

    def session_key(self):
        return f"ledger:{self.model._meta.label_lower}"

    def preferences(self):
        """{"columns": [names] or None, "per_page": n}, read from the query or the session."""
        request = self.request
        stored = dict(request.session.get(self.session_key(), {}))
        changed = False
        if "columns" in request.GET:
            names = [n for v in request.GET.getlist("columns") for n in v.split(",") if n]
            stored["columns"] = names or None
            changed = True
        if "per_page" in request.GET:
            try:
                per_page = int(request.GET["per_page"])
            except ValueError:
                per_page = None
            if per_page in PER_PAGE_CHOICES:
                stored["per_page"] = per_page
                changed = True
        if changed:
            request.session[self.session_key()] = stored
        default = table_option(self.spec.table, "per_page", 50)
        return {
            "columns": stored.get("columns") or None,
            "per_page": stored.get("per_page") or default,
        }

    def ledger(self):
        """(filterset, filtered queryset, table with the chosen columns and sort, prefs)."""
        request = self.request
        self.require(VIEW)
        queryset = self.scoped(VIEW)
        filterset = self.spec.filterset(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        # The page's rows get list_queryset's joins and annotations; the count and the
        # totals run on the plain filtered rows, without joins they do not need.
        table = self.spec.table(self.spec.list_queryset(rows))
        prefs = self.preferences()
        chosen = table.choose_columns(prefs["columns"])
        RequestConfig(request, paginate=False).configure(table)
        return filterset, rows, table, {**prefs, "columns": chosen}

    def get(self, request):
        filterset, rows, table, prefs = self.ledger()
        # Count the plain filtered rows (see ledger()) in the statement that totals them;
        # tables2 keeps the length it is given.
        table.data._length = table.compute_totals(rows, count=True)
        page = request.GET.get(table.prefixed_page_field, 1)
        try:
            table.paginate(page=page, per_page=prefs["per_page"])
        except PageNotAnInteger:
            table.paginate(page=1, per_page=prefs["per_page"])
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages, per_page=prefs["per_page"])
        keep = request.GET.copy()
        for name in ("columns", "per_page", table.prefixed_page_field):
            keep.pop(name, None)
        export_query = keep.copy()
        export_query["columns"] = ",".join(c.name for c in table.columns)
        return render(
            request,
            self.spec.list_template,
            self.base_context(
                filterset=filterset,
                table=table,
                column_choices=table.column_choices(),
                per_page=prefs["per_page"],
                per_page_choices=PER_PAGE_CHOICES,
                keep_params=[(k, v) for k in keep for v in keep.getlist(k)],
                keep_query=keep.urlencode(),
                export_url=reverse(url_name(self.model, "export")) + "?" + export_query.urlencode(),
            ),
        )


class ObjectExportView(ObjectListView):
    """The ledger's rows as .xlsx: the same scope, filters, sort and columns as the page."""

    def get(self, request):
        filterset, rows, table, prefs = self.ledger()
        if filterset.is_bound and not filterset.is_valid():
            # The page shows the filter errors; an export must not quietly widen to every row.
            messages.error(request, _("The filters are not valid; nothing was exported."))
            return redirect(reverse(url_name(self.model, "list")) + "?" + request.GET.urlencode())
        ordered = table.data.data
        return xlsx_response(
            table, ordered, request.user, title=str(self.model._meta.verbose_name_plural)
        )


class ObjectDetailView(SpecView):
    def get(self, request, pk):
        self.require(VIEW)
        obj = self.get_visible(pk)
        user = request.user
        actions = self.spec.actions
        editable = "edit" in actions and self.scoped(CHANGE).filter(pk=obj.pk).exists()
        deletable = "delete" in actions and self.scoped(DELETE).filter(pk=obj.pk).exists()
        context = self.base_context(
            object=obj,
            fields=field_rows(obj, self.spec.detail_fields),
            related=self.spec.related(obj, user),
            history=self.spec.history(obj, user),
            can_edit=editable,
            can_delete=deletable,
            edit_url=reverse(url_name(self.model, "edit"), args=[obj.pk]) if editable else None,
            delete_url=(
                reverse(url_name(self.model, "delete"), args=[obj.pk]) if deletable else None
            ),
            **self.spec.extra_detail_context(obj, user),
        )
        return render(request, self.spec.detail_template, context)


class ObjectEditView(SpecView):
    template_name = "generic/form.html"

    def get_object(self, pk):
        if pk is None:
            self.require(ADD)
            return self.spec.new_instance(self.request.user)
        self.require(VIEW)
        obj = self.get_visible(pk)
        if not can(self.request.user, self.model, CHANGE):
            raise PermissionDenied
        if not self.scoped(CHANGE).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj

    def render_form(self, form, obj):
        return render(
            self.request,
            self.template_name,
            self.base_context(form=form, object=obj if obj.pk else None),
        )

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        return self.render_form(self.spec.form(instance=obj, user=request.user), obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.spec.form(request.POST, request.FILES, instance=obj, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render_form(form, obj)
        with transaction.atomic():
            created = obj.pk is None
            instance = form.save(commit=False)
            if created and hasattr(instance, "created_by_id"):
                instance.created_by = request.user
            instance.save()
            form.save_m2m()
        if created:
            messages.success(request, _("Created %(name)s.") % {"name": instance})
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": instance})
        return redirect(instance.get_absolute_url())


class ObjectDeleteView(SpecView):
    template_name = "generic/confirm_delete.html"

    def get_object(self, pk):
        self.require(VIEW)
        obj = self.get_visible(pk)
        if not can(self.request.user, self.model, DELETE):
            raise PermissionDenied
        if not self.scoped(DELETE).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(request, self.template_name, self.base_context(object=obj))

    def post(self, request, pk):
        obj = self.get_object(pk)
        name = str(obj)
        try:
            with transaction.atomic():
                obj.delete()
            blockers = None
        except ProtectedError as exc:
            blockers = sorted({str(o) for o in exc.protected_objects})
        except RestrictedError as exc:
            blockers = sorted({str(o) for o in exc.restricted_objects})
        if blockers is not None:
            messages.error(
                request,
                _("%(name)s cannot be deleted: other records still refer to it (%(list)s).")
                % {"name": name, "list": "、".join(blockers[:10])},
            )
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(name)s.") % {"name": name})
        return redirect(reverse(url_name(self.model, "list")))


def not_found(request, exception=None):
    if request.path.startswith("/api/"):  # an API client gets structured JSON, never a page
        from zhaoshang.api.exceptions import not_found as api_not_found

        return api_not_found(request)
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
