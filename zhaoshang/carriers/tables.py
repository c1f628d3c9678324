"""Which columns: the ledgers of parks, parcels, buildings and tenants."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.carriers.models import Building, BuildingTenant, LandParcel, Park
from zhaoshang.core.tables import BaseTable


class ParkTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Park
        fields = ("name", "area_mu", "unit", "description")


class LandParcelTable(BaseTable):
    code = tables.Column(linkify=True)
    park = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = LandParcel
        fields = (
            "code",
            "name",
            "land_use",
            "area_mu",
            "status",
            "sold_date",
            "buyer_project",
            "park",
            "location",
            "unit",
        )


class BuildingTable(BaseTable):
    name = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    occupancy_rate = tables.Column(
        verbose_name=_("occupancy rate"), empty_values=(), orderable=False
    )
    tenant_count = tables.Column(verbose_name=_("tenants"), orderable=False, default=0)
    above_scale_count = tables.Column(
        verbose_name=_("above-scale tenants"), orderable=False, default="—"
    )

    class Meta(BaseTable.Meta):
        model = Building
        fields = (
            "name",
            "park",
            "total_floor_area",
            "vacant_floor_area",
            "occupancy_rate",
            "tenant_count",
            "above_scale_count",
            "address",
            "unit",
        )

    def render_occupancy_rate(self, record):
        rate = record.occupancy_rate
        return "—" if rate is None else f"{rate}%"


class BuildingTenantTable(BaseTable):
    enterprise = tables.Column(linkify=lambda record: record.get_absolute_url())
    building = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = BuildingTenant
        fields = ("enterprise", "building", "move_in_date", "move_out_date", "floor_area")
