"""招商手册: land parcels on offer by use and buildings with vacant floor space, for investors.

The .docx carries a map of the carriers only where map tiles are configured (TILE_URL) and
the tile server answers; otherwise the catalogue is printed without it."""

from django.utils.translation import gettext_lazy as _

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
            blocks.append(heading(number_, "可供地块"))
            total = sum(p.area_mu for p in parcels)
            blocks.append(
                paragraph(
                    [
                        "现有可供地块",
                        fig(
                            str(len(parcels)),
                            len(parcels),
                            ledger_url("carriers:landparcel_list", within=self.unit.pk),
                        ),
                        f"宗，面积合计{number(total)}亩。",
                    ]
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
                    "可供地块",
                    ["地块编号", "名称", "用地性质", "面积（亩）", "位置", "状态"],
                    rows,
                    [False, False, False, True, False, False],
                )
            )
        buildings = list(buildings.order_by("name"))
        if buildings:
            number_ += 1
            blocks.append(heading(number_, "可租楼宇"))
            vacant = sum(b.vacant_floor_area for b in buildings)
            url = ledger_url("carriers:building_list", within=self.unit.pk)
            blocks.append(
                paragraph(
                    [
                        "现有可租楼宇",
                        fig(str(len(buildings)), len(buildings), url),
                        f"栋，空置面积合计{number(vacant)}平方米。",
                    ]
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
                    "可租楼宇",
                    ["楼宇", "地址", "总面积（平方米）", "空置面积（平方米）", "入驻率"],
                    rows,
                    [False, False, True, True, True],
                )
            )
        if not blocks:
            blocks.append(paragraph(["暂无可供地块和可租楼宇。"]))
        self.positions = [p.position() for p in parcels] + [b.position() for b in buildings]
        return self.document(
            f"{self.unit.name} · {self.today:%Y-%m-%d}",
            blocks,
            title=f"{self.unit.name}招商手册",
            map_points=[list(p) for p in self.positions if p],
        )
