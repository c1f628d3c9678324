"""Which columns: the ledger tables of the organization app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import BaseTable
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User


class UnitTable(BaseTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("name", "code", "kind", "parent", "peer_group", "unit_class", "is_active")


class PeerGroupTable(BaseTable):
    name = tables.Column(linkify=True)
    unit_count = tables.Column(verbose_name=_("units"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = PeerGroup
        fields = ("name", "owner_unit", "unit_count", "description")

    def render_unit_count(self, record):
        return len(record.units.all())


class UnitClassTable(BaseTable):
    name = tables.Column(linkify=True)
    unit_count = tables.Column(verbose_name=_("units"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = UnitClass
        fields = ("name", "owner_unit", "unit_count", "description")

    def render_unit_count(self, record):
        return len(record.units.all())


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    roles = tables.Column(verbose_name=_("roles"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "full_name", "unit", "roles", "title", "is_active", "last_login")

    def render_roles(self, record):
        from zhaoshang.organization.choices import Role

        return "、".join(str(Role(g.name).label) for g in record.groups.all() if g.name in Role)
