"""Pages of the carriers app: ledgers of parks, parcels, buildings, tenants; the map."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhaoshang.carriers import filtersets, forms, tables
from zhaoshang.carriers.choices import LandUse, ParcelStatus
from zhaoshang.carriers.models import Building, BuildingTenant, LandParcel, Park
from zhaoshang.core.scope import VIEW, can
from zhaoshang.core.views import ObjectViews


class ParkViews(ObjectViews):
    model = Park
    filterset = filtersets.ParkFilterSet
    table = tables.ParkTable
    form = forms.ParkForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit")

    @classmethod
    def related(cls, obj, user):
        parcels = LandParcel.objects.visible_to(user).filter(park=obj)
        parcels = parcels.select_related("unit", "park", "buyer_project")
        buildings = Building.objects.visible_to(user).filter(park=obj).with_tenant_counts()
        buildings = buildings.select_related("unit", "park")
        return [
            (_("Land parcels"), tables.LandParcelTable(parcels, orderable=False)),
            (_("Buildings"), tables.BuildingTable(buildings, orderable=False)),
        ]


class LandParcelViews(ObjectViews):
    model = LandParcel
    filterset = filtersets.LandParcelFilterSet
    table = tables.LandParcelTable
    form = forms.LandParcelForm
    detail_fields = (
        "code",
        "name",
        "land_use",
        "area_mu",
        "status",
        "sold_date",
        "park",
        "location",
        "longitude",
        "latitude",
        "unit",
    )

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "park", "buyer_project")

    @classmethod
    def extra_detail_context(cls, obj, user):
        outline = gettext("drawn") if obj.polygon else gettext("not drawn")
        return {
            "extra_rows": [
                (_("buyer project"), obj.buyer_project or ""),
                (_("outline (GeoJSON)"), outline),
            ]
        }


class BuildingViews(ObjectViews):
    model = Building
    filterset = filtersets.BuildingFilterSet
    table = tables.BuildingTable
    form = forms.BuildingForm

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit", "park").with_tenant_counts()

    @classmethod
    def extra_detail_context(cls, obj, user):
        counts = Building.objects.with_tenant_counts().get(pk=obj.pk)
        rate = obj.occupancy_rate
        above = counts.above_scale_count
        return {
            "extra_rows": [
                (_("occupancy rate"), "" if rate is None else f"{rate}%"),
                (_("tenants"), str(counts.tenant_count)),
                (_("above-scale tenants"), "" if above is None else str(above)),
            ]
        }

    @classmethod
    def related(cls, obj, user):
        tenants = BuildingTenant.objects.visible_to(user).filter(building=obj)
        tenants = tenants.select_related("building", "enterprise")
        return [(_("Tenants"), tables.BuildingTenantTable(tenants, orderable=False))]


class BuildingTenantViews(ObjectViews):
    model = BuildingTenant
    filterset = filtersets.BuildingTenantFilterSet
    table = tables.BuildingTenantTable
    form = forms.BuildingTenantForm
    detail_fields = ("building", "move_in_date", "move_out_date", "floor_area", "unit")

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("building", "enterprise")

    @classmethod
    def extra_detail_context(cls, obj, user):
        return {"extra_rows": [(_("enterprise"), obj.enterprise)]}


# Map colours: one per land use, one per project stage (legend and markers share them).
LAND_USE_COLOURS = {
    LandUse.RESIDENTIAL: "#f2c200",
    LandUse.COMMERCIAL: "#e03131",
    LandUse.MIXED_COMMERCIAL_RESIDENTIAL: "#f76707",
    LandUse.INDUSTRIAL: "#8d5a3b",
    LandUse.INNOVATIVE_INDUSTRIAL: "#7048e8",
}
BUILDING_COLOUR = "#0ca678"
STAGE_PALETTE = (
    "#74c0fc",
    "#4dabf7",
    "#1c7ed6",
    "#1864ab",
    "#15aabf",
    "#0b7285",
    "#2f9e44",
    "#5c940d",
    "#868e96",
    "#495057",
)


def stage_colours():
    """{stage value: colour} for every project stage, in the order of the stages."""
    from zhaoshang.pipeline.choices import Stage

    return {value: STAGE_PALETTE[i % len(STAGE_PALETTE)] for i, value in enumerate(Stage.values)}


def _map_allowed(user):
    return can(user, LandParcel, VIEW) or can(user, Building, VIEW)


def carrier_map(request):
    """The investment map (招商地图): parcels, buildings and the projects on parcels."""
    if not _map_allowed(request.user):
        raise PermissionDenied
    context = {
        "tile_url": settings.TILE_URL,
        "land_uses": [(c.value, c.label, LAND_USE_COLOURS[c]) for c in LandUse],
        "statuses": ParcelStatus.choices,
        "building_colour": BUILDING_COLOUR,
        "stages": [(value, label, stage_colours()[value]) for value, label in _stage_choices()],
        "l10n": {
            "land_use": gettext("land use"),
            "status": gettext("status"),
            "area": gettext("area (mu)"),
            "total_floor_area": gettext("total floor area (m²)"),
            "vacant_floor_area": gettext("vacant floor area (m²)"),
            "occupancy_rate": gettext("occupancy rate"),
            "tenants": gettext("tenants"),
            "stage": gettext("stage"),
            "parcel": gettext("land parcel"),
            "summary": gettext(
                "%(parcels)s parcels, %(buildings)s buildings, %(projects)s projects"
            ),
            "empty": gettext("Nothing to show with these filters."),
        },
    }
    return render(request, "carriers/map.html", context)


def _stage_choices():
    from zhaoshang.pipeline.choices import Stage

    return Stage.choices


def _feature(position, geometry, properties):
    if geometry is None:
        geometry = {"type": "Point", "coordinates": list(position)}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def map_data(request):
    """GeoJSON FeatureCollection of what the user may see, filtered by land use and status.

    Parcels carry their outline when drawn (else their point); buildings are points; a
    project appears at the position of the parcel it bought.
    """
    if not _map_allowed(request.user):
        raise PermissionDenied
    from zhaoshang.pipeline.models import Project

    user = request.user
    land_uses = [v for v in request.GET.getlist("land_use") if v in LandUse.values]
    statuses = [v for v in request.GET.getlist("status") if v in ParcelStatus.values]
    parcels = LandParcel.objects.visible_to(user).select_related("unit", "park")
    # A parameter given keeps only the values named (none valid: no parcels at all).
    if "land_use" in request.GET:
        parcels = parcels.filter(land_use__in=land_uses)
    if "status" in request.GET:
        parcels = parcels.filter(status__in=statuses)
    visible_projects = {
        p.pk: p
        for p in Project.objects.visible_to(user).filter(
            pk__in=[p.buyer_project_id for p in parcels if p.buyer_project_id]
        )
    }
    colours = stage_colours()
    features = []
    for parcel in parcels:
        position = parcel.position()
        if position is None:
            continue
        common = {
            "name": str(parcel),
            "url": parcel.get_absolute_url(),
            "land_use": parcel.land_use,
            "land_use_label": parcel.get_land_use_display(),
            "status": parcel.status,
            "status_label": parcel.get_status_display(),
            "area_mu": float(parcel.area_mu),
            "colour": LAND_USE_COLOURS[parcel.land_use],
        }
        features.append(_feature(position, parcel.polygon, {"layer": "parcel", **common}))
        project = visible_projects.get(parcel.buyer_project_id)
        if project is not None:
            features.append(
                _feature(
                    position,
                    None,
                    {
                        "layer": "project",
                        "name": project.name,
                        "stage": project.stage,
                        "stage_label": project.get_stage_display(),
                        "parcel": str(parcel),
                        "parcel_url": parcel.get_absolute_url(),
                        "colour": colours.get(project.stage, STAGE_PALETTE[0]),
                    },
                )
            )
    buildings = Building.objects.visible_to(user).with_tenant_counts()
    for building in buildings:
        position = building.position()
        if position is None:
            continue
        rate = building.occupancy_rate
        features.append(
            _feature(
                position,
                None,
                {
                    "layer": "building",
                    "name": building.name,
                    "url": building.get_absolute_url(),
                    "total_floor_area": float(building.total_floor_area),
                    "vacant_floor_area": float(building.vacant_floor_area),
                    "occupancy_rate": None if rate is None else float(rate),
                    "tenant_count": building.tenant_count,
                    "colour": BUILDING_COLOUR,
                },
            )
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})
