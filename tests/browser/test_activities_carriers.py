"""The investment map, the activity ledger and a signing ceremony in a real browser:
Chinese pages, a legend, and no request to any host but the local server."""

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Words allowed in a Chinese page: codes and names that are English by nature.
ALLOWED = {"GeoJSON", "Polygon", "MultiPolygon"}

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[120.10, 30.20], [120.12, 30.20], [120.12, 30.215], [120.10, 30.215], [120.10, 30.20]]
    ],
}


def visible_english(page):
    text = page.inner_text("body")
    return sorted({w for w in ASCII_WORD.findall(text) if w not in ALLOWED})


def make_carriers(world):
    from zhaoshang.carriers.models import Building, LandParcel
    from zhaoshang.pipeline.models import Project

    buyer = Project.objects.create(
        name="新材料产业基地", responsible_unit=world.street_a, stage="signed"
    )
    LandParcel.objects.create(
        unit=world.street_a,
        code="DH-2026-01",
        name="东湖工业地块",
        land_use="industrial",
        area_mu=Decimal("86.5"),
        polygon=SQUARE,
        status="sold",
        sold_date=dt.date(2026, 3, 1),
        buyer_project=buyer,
    )
    LandParcel.objects.create(
        unit=world.street_a,
        code="DH-2026-02",
        name="东湖商业地块",
        land_use="commercial",
        area_mu=Decimal("20"),
        longitude=Decimal("120.135"),
        latitude=Decimal("30.225"),
        status="listed",
    )
    LandParcel.objects.create(
        unit=world.street_a,
        code="DH-2026-03",
        name="东湖M0地块",
        land_use="innovative_industrial",
        area_mu=Decimal("35"),
        longitude=Decimal("120.09"),
        latitude=Decimal("30.19"),
    )
    LandParcel.objects.create(
        unit=world.street_b,
        code="XS-2026-01",
        name="西山地块",
        land_use="residential",
        area_mu=Decimal("40"),
        longitude=Decimal("121.5"),
        latitude=Decimal("31.2"),
    )
    Building.objects.create(
        unit=world.street_a,
        name="东湖科创大厦",
        total_floor_area=Decimal("42000"),
        vacant_floor_area=Decimal("9000"),
        longitude=Decimal("120.115"),
        latitude=Decimal("30.23"),
    )


def test_map_shows_parcels_building_and_legend_without_outside_requests(
    world, page, browser_login, screenshot
):
    make_carriers(world)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    browser_login("reporter_a")
    page.click("text=招商载体")
    page.wait_for_selector("[data-testid=map][data-features]")
    # Three parcels of street A, the project on the sold one, and the building.
    assert page.get_attribute("[data-testid=map]", "data-features") == "5"
    assert "地块 3 个、楼宇 1 栋、项目 1 个" in page.inner_text("[data-testid=map-summary]")
    legend = page.inner_text("[data-testid=legend]")
    for label in ("图例", "工业", "商业", "创新型产业用地（M0）", "储备", "挂牌", "出让", "签约"):
        assert label in legend
    assert "受让地块" in legend
    assert "未配置底图" in page.inner_text("[data-testid=no-tiles]")
    assert page.locator(".leaflet-interactive").count() >= 5
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "map-carriers")
    # Untick "industrial": the sold parcel and its project leave the map.
    page.uncheck("input[name=land_use][value=industrial]")
    page.wait_for_function("document.querySelector('[data-testid=map]').dataset.features === '3'")
    # A popup names the parcel in Chinese.
    page.uncheck("[data-layer=building]")
    assert hosts == {"127.0.0.1"}, hosts


def test_activity_ledger_and_signing_ceremony(world, page, browser_login, screenshot):
    from zhaoshang.activities.models import Activity
    from zhaoshang.pipeline.models import Project

    d = dt.date
    rows = [
        ("trip", "赴深圳开展新能源产业招商", d(2026, 3, 2), "深圳", "王区长"),
        ("trip", "赴上海对接总部经济项目", d(2026, 3, 9), "上海", "李局长"),
        ("visit", "走访江州电池有限公司", d(2026, 3, 12), "江州", ""),
        ("hosted_visit", "接待宁波客商考察东湖园区", d(2026, 3, 15), "江州", "王区长"),
        ("event", "长三角数字经济推介会", d(2026, 3, 20), "杭州", "王区长"),
    ]
    for kind, title, start, city, leader in rows:
        Activity.objects.create(
            unit=world.street_a,
            kind=kind,
            title=title,
            start_date=start,
            end_date=start + dt.timedelta(days=1) if kind == "trip" else None,
            city=city,
            leader_name=leader,
        )
    project = Project.objects.create(
        name="新能源电池项目", responsible_unit=world.street_a, total_investment=Decimal("50000")
    )
    for start in (d(2026, 2, 1), d(2026, 2, 20)):
        Activity.objects.create(
            unit=world.street_a,
            kind="negotiation",
            title="新能源电池项目洽谈",
            start_date=start,
            project=project,
        )
    ceremony = Activity.objects.create(
        unit=world.street_a,
        kind="signing_ceremony",
        title="东湖街道春季重大项目集中签约",
        start_date=d(2026, 3, 28),
        city="江州",
        leader_name="王区长",
    )
    signed = [
        project,
        Project.objects.create(
            name="智能制造基地", responsible_unit=world.street_a, total_investment=Decimal("120000")
        ),
        Project.objects.create(
            name="数字产业园", responsible_unit=world.street_a, total_investment=Decimal("32000.5")
        ),
    ]
    ceremony.projects.set(signed)

    browser_login("reporter_a")
    page.click("text=招商活动")
    assert page.locator("[data-testid=count-trip]").inner_text() == "2"
    assert page.locator("[data-testid=count-hosted_visit]").inner_text() == "1"
    body = page.inner_text("body")
    assert "赴深圳开展新能源产业招商" in body and "第2轮" in body
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "activity-list")
    page.click("[data-testid=count-trip]")
    page.wait_for_url("**kind=trip**")
    assert "走访江州电池有限公司" not in page.inner_text("body")

    page.goto(ceremony.get_absolute_url())
    assert page.locator("[data-testid=signed-total]").inner_text() == "202000.50"
    assert "共签约 3 个项目" in page.inner_text("[data-testid=signing]")
    assert visible_english(page) == [], visible_english(page)
    screenshot(page, "activity-signing")
