"""招商手册: land parcels on offer by use and buildings with vacant floor space, for investors.

The .docx carries a map of the carriers only where map tiles are configured (TILE_URL) and
the tile server answers; otherwise the catalogue is printed without it."""

from django.utils.translation import gettext_lazy as _

from zhaoshang.reports import wording as w
from zhaoshang.reports.base import ReportGenerator, fig, heading, ledger_url, paragraph, table
from zhaoshang.reports.wording import LAND_USES, number, pct


class Catalogue(ReportGenerator):
    code = "catalogue"
    title = _("Land and building catalogue")
    description = _(
        "Land parcels available by use with area and location, and buildings with vacant "
        "floor area: the catalogue handed to investors."
    )
    params = ("unit",)

    def period_code(self):
        return f"{self.today:%Y-%m-%d}"

    def compute(self):
        from zhaoshang.carriers.models import Building, LandParcel
        from zhaoshang.organization.models import Unit

        under = Unit.objects.filter(path__startswith=self.unit.path).values("pk")
        parcels = self.visible(LandParcel.objects.filter(unit__in=under).exclude(status="sold"))
        buildings = self.visible(Building.objects.filter(unit__in=under, vacant_floor_area__gt=0))
        blocks, number_ = [], 0
        parcels = list(parcels.order_by("land_use", "code"))
        if parcels:
            number_ += 1
            blocks.append(heading(number_, w.CATALOGUE_PARCELS))
            total = sum(p.area_mu for p in parcels)
            blocks.append(
                paragraph(
                    w.fill(
                        w.CATALOGUE_PARCELS_INTRO,
                        n=fig(
                            str(len(parcels)),
                            len(parcels),
                            ledger_url("carriers:landparcel_list", within=self.unit.pk),
                        ),
                        area=number(total),
                    )
                )
            )
            rows = [
                [
                    fig(p.code, None, p.get_absolute_url()),
                    p.name,
                    LAND_USES.get(p.land_use, p.land_use),
                    fig(number(p.area_mu), p.area_mu),
                    p.location or "—",
                    str(p.get_status_display()),
                ]
                for p in parcels
            ]
            blocks.append(
                table(
                    w.CATALOGUE_PARCELS,
                    w.CATALOGUE_PARCEL_COLUMNS,
                    rows,
                    [False, False, False, True, False, False],
                )
            )
        buildings = list(buildings.order_by("name"))
        if buildings:
            number_ += 1
            blocks.append(heading(number_, w.CATALOGUE_BUILDINGS))
            vacant = sum(b.vacant_floor_area for b in buildings)
            url = ledger_url("carriers:building_list", within=self.unit.pk)
            blocks.append(
                paragraph(
                    w.fill(
                        w.CATALOGUE_BUILDINGS_INTRO,
                        n=fig(str(len(buildings)), len(buildings), url),
                        area=number(vacant),
                    )
                )
            )
            rows = [
                [
                    fig(b.name, None, b.get_absolute_url()),
                    b.address or "—",
                    fig(number(b.total_floor_area), b.total_floor_area),
                    fig(number(b.vacant_floor_area), b.vacant_floor_area),
                    fig(
                        pct(b.occupancy_rate) if b.occupancy_rate is not None else "—",
                        b.occupancy_rate,
                    ),
                ]
                for b in buildings
            ]
            blocks.append(
                table(
                    w.CATALOGUE_BUILDINGS,
                    w.CATALOGUE_BUILDING_COLUMNS,
                    rows,
                    [False, False, True, True, True],
                )
            )
        if not blocks:
            blocks.append(paragraph([w.CATALOGUE_EMPTY]))
        self.positions = [p.position() for p in parcels] + [b.position() for b in buildings]
        return self.document(
            f"{self.unit.name} · {self.today:%Y-%m-%d}",
            blocks,
            title=w.CATALOGUE_TITLE.format(unit=self.unit.name),
            map_points=[list(p) for p in self.positions if p],
        )
