"""Pages of the organization app: declared on the generic views of core."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import VIEW, can, units_for
from zhaoshang.core.views import ObjectViews
from zhaoshang.organization import filtersets, forms, tables
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User


class UnitViews(ObjectViews):
    model = Unit
    filterset = filtersets.UnitFilterSet
    table = tables.UnitTable
    form = forms.UnitForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("parent", "peer_group", "unit_class")

    @classmethod
    def related(cls, obj, user):
        children = (
            Unit.objects.visible_to(user)
            .filter(parent=obj)
            .select_related("parent", "peer_group", "unit_class")
        )
        users = User.objects.visible_to(user).filter(unit=obj).select_related("unit")
        sections = [(_("Subunits"), tables.UnitTable(children, orderable=False))]
        if can(user, User, VIEW):
            users = users.prefetch_related("groups")
            sections.append((_("Users"), tables.UserTable(users, orderable=False)))
        return sections


class PeerGroupViews(ObjectViews):
    model = PeerGroup
    filterset = filtersets.PeerGroupFilterSet
    table = tables.PeerGroupTable
    form = forms.PeerGroupForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("owner_unit").prefetch_related("units")

    @classmethod
    def related(cls, obj, user):
        units = Unit.objects.visible_to(user).filter(peer_group=obj)
        units = units.select_related("parent", "peer_group", "unit_class")
        return [(_("Member units"), tables.UnitTable(units, orderable=False))]


class UnitClassViews(ObjectViews):
    model = UnitClass
    filterset = filtersets.UnitClassFilterSet
    table = tables.UnitClassTable
    form = forms.UnitClassForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("owner_unit").prefetch_related("units")

    @classmethod
    def related(cls, obj, user):
        units = Unit.objects.visible_to(user).filter(unit_class=obj)
        units = units.select_related("parent", "peer_group", "unit_class")
        return [(_("Member units"), tables.UnitTable(units, orderable=False))]


class UserViews(ObjectViews):
    model = User
    filterset = filtersets.UserFilterSet
    table = tables.UserTable
    form = forms.UserForm
    detail_fields = (
        "username",
        "full_name",
        "unit",
        "title",
        "phone",
        "email",
        "is_active",
        "last_login",
        "date_joined",
    )

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit").prefetch_related("groups")

    @classmethod
    def extra_detail_context(cls, obj, user):
        return {"extra_rows": [(_("roles"), "、".join(str(r) for r in obj.role_labels()))]}


def unit_tree(request):
    """The unit tree the user can see, indented by depth, in path order."""
    if not can(request.user, Unit, VIEW):
        raise PermissionDenied
    units = list(units_for(request.user, Unit, VIEW).select_related("peer_group", "unit_class"))
    units.sort(key=lambda u: u.path)
    base = min((u.depth for u in units), default=0)
    rows = [(u, u.depth - base) for u in units]
    return render(
        request,
        "organization/unit_tree.html",
        {"rows": rows, "can_add": can(request.user, Unit, "add")},
    )
