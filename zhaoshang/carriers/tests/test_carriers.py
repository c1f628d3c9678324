"""Carriers: validation of parcels and buildings, the occupancy rate, tenant counts, the
map's GeoJSON endpoint and the unit scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhaoshang.carriers.geojson import centre, validate_polygon_geojson
from zhaoshang.carriers.models import (
    Building,
    BuildingTenant,
    LandParcel,
    Park,
    enterprise_has_above_scale,
)
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.pipeline.models import Project

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[120.0, 30.0], [120.01, 30.0], [120.01, 30.01], [120.0, 30.01], [120.0, 30.0]]
    ],
}


def parcel(unit, code, **extra):
    values = {
        "name": f"地块{code}",
        "land_use": "industrial",
        "area_mu": Decimal("50"),
        "longitude": Decimal("120.1"),
        "latitude": Decimal("30.2"),
    }
    values.update(extra)
    return LandParcel.objects.create(unit=unit, code=code, **values)


def building(unit, name="科创大厦", total="10000", vacant="2500", **extra):
    return Building.objects.create(
        unit=unit,
        name=name,
        total_floor_area=Decimal(total),
        vacant_floor_area=Decimal(vacant),
        longitude=Decimal("120.15"),
        latitude=Decimal("30.25"),
        **extra,
    )


@pytest.mark.parametrize(
    "value, message",
    [
        ({"type": "Point", "coordinates": [120, 30]}, "Polygon"),
        ([1, 2], "Polygon"),
        ({"type": "Polygon", "coordinates": []}, "至少"),
        ({"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [120, 30]]]}, "四个点"),
        (
            {"type": "Polygon", "coordinates": [[["a", 30], [121, 30], [121, 31], ["a", 30]]]},
            "数字",
        ),
        (
            {"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [121, 31], [120, 31]]]},
            "闭合",
        ),
        (
            {"type": "MultiPolygon", "coordinates": [[[[200, 30], [1, 1], [1, 2], [200, 30]]]]},
            "经度",
        ),
        ({"type": "Polygon", "coordinates": [[[True, 30], [1, 1], [1, 2], [True, 30]]]}, "数字"),
    ],
)
def test_bad_outlines_are_refused_in_chinese(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_polygon_geojson(value)
    assert message in " ".join(exc.value.messages)


def test_polygon_and_multipolygon_are_accepted():
    validate_polygon_geojson(SQUARE)
    validate_polygon_geojson({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]})
    assert centre(SQUARE) == pytest.approx((120.005, 30.005))


def test_sold_parcel_needs_a_sale_date(world):
    p = LandParcel(
        unit=world.street_a, code="JZ-1", name="x", land_use="industrial", area_mu=1, status="sold"
    )
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "出让日期" in " ".join(exc.value.message_dict["sold_date"])
    p.sold_date = dt.date(2026, 5, 1)
    p.full_clean()
    p.status = "listed"
    with pytest.raises(ValidationError):
        p.full_clean()


def test_parcel_code_is_unique(world):
    parcel(world.street_a, "JZ-1")
    with pytest.raises(ValidationError) as exc:
        LandParcel(
            unit=world.street_b, code="JZ-1", name="y", land_use="commercial", area_mu=1
        ).full_clean()
    assert "已存在" in " ".join(exc.value.messages)


def test_vacant_area_cannot_exceed_total(world):
    b = Building(unit=world.street_a, name="x", total_floor_area=100, vacant_floor_area=101)
    with pytest.raises(ValidationError) as exc:
        b.full_clean()
    assert "空置面积不能大于总建筑面积" in " ".join(exc.value.message_dict["vacant_floor_area"])
    with pytest.raises(IntegrityError), transaction.atomic():
        b.save()


def test_occupancy_rate(world):
    assert building(world.street_a).occupancy_rate == Decimal("75.0")
    assert building(world.street_a, "满租楼", total="3000", vacant="0").occupancy_rate == 100
    assert building(world.street_a, "空楼", total="0", vacant="0").occupancy_rate is None
    assert building(world.street_a, "三分楼", total="3", vacant="1").occupancy_rate == Decimal(
        "66.7"
    )


def test_tenant_counts_count_current_tenants_and_above_scale_ones(world):
    b = building(world.street_a)
    today = dt.date.today()
    big = Enterprise.objects.create(name="规上企业甲", unit=world.street_a)
    small = Enterprise.objects.create(name="小微企业乙", unit=world.street_a)
    gone = Enterprise.objects.create(name="已搬离企业丙", unit=world.street_a)
    if enterprise_has_above_scale():
        Enterprise.objects.filter(pk=big.pk).update(above_scale=True)
        Enterprise.objects.filter(pk=gone.pk).update(above_scale=True)
    BuildingTenant.objects.create(building=b, enterprise=big, floor_area=500)
    BuildingTenant.objects.create(
        building=b, enterprise=small, move_out_date=today.replace(year=today.year + 1)
    )
    BuildingTenant.objects.create(
        building=b, enterprise=gone, move_out_date=today - dt.timedelta(days=1)
    )
    annotated = Building.objects.with_tenant_counts().get(pk=b.pk)
    assert annotated.tenant_count == 2
    if enterprise_has_above_scale():
        assert annotated.above_scale_count == 1
    else:
        assert annotated.above_scale_count is None
    # A tenancy belongs to the unit of its building.
    assert set(BuildingTenant.objects.values_list("unit", flat=True)) == {world.street_a.pk}


def test_building_form_refuses_too_much_vacancy_and_keeps_values(world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("carriers:building_add"),
        {
            "name": "江州科创大厦",
            "total_floor_area": "1000",
            "vacant_floor_area": "1200",
            "unit": world.street_a.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "空置面积不能大于总建筑面积" in body
    assert 'value="江州科创大厦"' in body and 'value="1200"' in body
    assert not Building.objects.exists()


def test_parcel_form_refuses_bad_geojson(world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("carriers:landparcel_add"),
        {
            "code": "JZ-9",
            "name": "港口地块",
            "land_use": "industrial",
            "area_mu": "30",
            "status": "reserve",
            "polygon": '{"type": "LineString", "coordinates": [[120, 30], [121, 31]]}',
            "unit": world.street_a.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Polygon" in body and "港口地块" in body
    assert "LineString" in body  # the typed outline is kept
    assert not LandParcel.objects.exists()
    response = client.post(
        reverse("carriers:landparcel_add"),
        {
            "code": "JZ-9",
            "name": "港口地块",
            "land_use": "industrial",
            "area_mu": "30",
            "status": "reserve",
            "polygon": '{"type": "Polygon", "coordinates": '
            "[[[120, 30], [121, 30], [121, 31], [120, 30]]]}",
            "unit": world.street_a.pk,
        },
    )
    assert response.status_code == 302
    assert LandParcel.objects.get().polygon["type"] == "Polygon"


def test_map_data_shows_only_what_the_user_may_see(world, login):
    pa = Project.objects.create(name="东湖新材料项目", responsible_unit=world.street_a)
    a = parcel(
        world.street_a,
        "A-1",
        polygon=SQUARE,
        longitude=None,
        latitude=None,
        buyer_project=pa,
        status="sold",
        sold_date=dt.date(2026, 1, 1),
    )
    parcel(world.street_a, "A-2", land_use="commercial", status="listed")
    b = parcel(world.street_b, "B-1")
    building(world.street_a, "东湖大厦")
    building(world.street_b, "西山大厦")
    client = login(world.reporter_a)
    data = client.get(reverse("carriers:map_data")).json()
    assert data["type"] == "FeatureCollection"
    names = {(f["properties"]["layer"], f["properties"]["name"]) for f in data["features"]}
    assert names == {
        ("parcel", "A-1 地块A-1"),
        ("parcel", "A-2 地块A-2"),
        ("project", "东湖新材料项目"),
        ("building", "东湖大厦"),
    }
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert by_name["A-1 地块A-1"]["geometry"]["type"] == "Polygon"
    assert by_name["A-1 地块A-1"]["properties"]["land_use_label"] == "工业"
    assert by_name["东湖新材料项目"]["geometry"]["coordinates"] == pytest.approx([120.005, 30.005])
    assert by_name["东湖大厦"]["properties"]["occupancy_rate"] == 75.0
    # Filters by land use and status.
    only = client.get(reverse("carriers:map_data"), {"land_use": "commercial"}).json()
    assert [
        f["properties"]["name"] for f in only["features"] if f["properties"]["layer"] != "building"
    ] == ["A-2 地块A-2"]
    none = client.get(reverse("carriers:map_data"), {"status": "-"}).json()
    assert {f["properties"]["layer"] for f in none["features"]} == {"building"}
    # Another street's parcel is not there, and its page answers 404.
    assert client.get(b.get_absolute_url()).status_code == 404
    assert client.get(a.get_absolute_url()).status_code == 200
    # The district's bureau sees both streets.
    bureau = login(world.bureau).get(reverse("carriers:map_data")).json()
    assert len([f for f in bureau["features"] if f["properties"]["layer"] == "parcel"]) == 3


def test_project_outside_scope_is_not_shown_on_a_visible_parcel(world, login):
    pb = Project.objects.create(name="西山项目", responsible_unit=world.street_b)
    parcel(world.street_a, "A-1", buyer_project=pb)
    data = login(world.reporter_a).get(reverse("carriers:map_data")).json()
    assert [f["properties"]["layer"] for f in data["features"]] == ["parcel"]


def test_map_page_is_chinese_and_needs_no_outside_host(world, login, settings):
    settings.TILE_URL = ""
    response = login(world.viewer_a).get(reverse("carriers:map"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "招商地图" in body and "图例" in body and "未配置底图" in body
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body
    assert login(world.advisor_a).get(reverse("carriers:map")).status_code == 403
    assert login(world.advisor_a).get(reverse("carriers:map_data")).status_code == 403


def test_ledgers_and_scope(world, login):
    park = Park.objects.create(unit=world.street_a, name="东湖科技园", area_mu=800)
    parcel(world.street_a, "A-1", park=park)
    b = building(world.street_a, "东湖大厦", park=park)
    building(world.street_b, "西山大厦")
    e = Enterprise.objects.create(name="入驻企业", unit=world.street_a)
    tenant = BuildingTenant.objects.create(building=b, enterprise=e)
    client = login(world.reporter_a)
    for name in ("park", "landparcel", "building", "buildingtenant"):
        assert client.get(reverse(f"carriers:{name}_list")).status_code == 200
    body = client.get(reverse("carriers:building_list")).content.decode()
    assert "东湖大厦" in body and "西山大厦" not in body and "75.0%" in body
    assert client.get(park.get_absolute_url()).status_code == 200
    assert client.get(b.get_absolute_url()).status_code == 200
    assert client.get(tenant.get_absolute_url()).status_code == 200
    other = Building.objects.get(name="西山大厦")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert login(world.reporter_b).get(tenant.get_absolute_url()).status_code == 404


def test_parcel_ledger_filters_by_sale_date(world, login):
    for code, day in (("JZ-11", dt.date(2026, 2, 1)), ("JZ-12", dt.date(2026, 8, 1))):
        LandParcel.objects.create(
            unit=world.street_a, code=code, name=code, land_use="industrial", area_mu=10,
            status="sold", sold_date=day,
        )  # fmt: skip
    client = login(world.bureau)
    url = reverse("carriers:landparcel_list")
    response = client.get(url, {"sold_from": "2026-01-01", "sold_to": "2026-06-30"})
    rows = [r.record.code for r in response.context["table"].paginated_rows]
    assert rows == ["JZ-11"]
