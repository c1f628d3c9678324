"""A constructed dataset for the reports' tests: the world of core/testing.py plus records
of the first half of 2026 and of 2025, with figures small enough to check by hand."""

import datetime
from decimal import Decimal

from django.utils import timezone

D = datetime.date


def project(unit, name, amount, signed, **fields):
    from zhaoshang.pipeline.models import Milestone, Project

    p = Project.objects.create(
        name=name, responsible_unit=unit, stage="signed", total_investment=Decimal(amount), **fields
    )
    Milestone.objects.create(project=p, stage="signed", date=signed)
    return p


def lead(unit, channel, day, **fields):
    from zhaoshang.pipeline.models import Lead

    x = Lead.objects.create(
        unit=unit, channel=channel, enterprise_name="某公司", summary="线索", **fields
    )
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Lead.objects.filter(pk=x.pk).update(created_at=moment)
    return x


def activity(unit, kind, day, title="活动"):
    from zhaoshang.activities.models import Activity

    return Activity.objects.create(unit=unit, kind=kind, title=title, start_date=day)


def build(world):
    """Half year 2026 of district D (see test_narrative for the figures by hand)."""
    from zhaoshang.carriers.models import LandParcel
    from zhaoshang.pipeline.models import Milestone, Project
    from zhaoshang.targets.models import Indicator, ReportedValue, Target

    ind = {i.code: i for i in Indicator.objects.all()}
    d = world.district
    Target.objects.create(indicator=ind["signed_amount"], unit=d, year=2026, annual=Decimal(10))
    Target.objects.create(
        indicator=ind["utilized_fdi"],
        unit=d,
        year=2026,
        annual=Decimal("0.8"),
        unit_of_measure="亿美元",
    )
    Target.objects.create(
        indicator=ind["domestic_outside_district"], unit=d, year=2026, annual=Decimal(5)
    )
    p1 = project(
        world.street_a,
        "东湖智造产业园",
        "125000",
        D(2026, 3, 10),
        focus_industry="智能制造",
        registered_capital=Decimal(30000),
        capital_origin="out_of_province",
        fortune500=True,
        carrying_leader=world.leader,
    )
    Milestone.objects.create(project=p1, stage="landed", from_stage="signed", date=D(2026, 3, 10))
    Project.objects.filter(pk=p1.pk).update(stage="landed")
    project(
        world.street_b,
        "西山新材料基地",
        "30000",
        D(2026, 5, 8),
        focus_industry="新材料",
        registered_capital=Decimal(8000),
        capital_origin="out_of_district",
        is_headquarters=True,
    )
    p3 = project(
        world.community_a, "东湖数据中心", "4500", D(2026, 6, 20), focus_industry="智能制造"
    )
    project(world.street_a, "旧项目", "200000", D(2025, 4, 1))
    for month, value in ((1, "2000"), (4, "3120")):
        ReportedValue.objects.create(
            indicator=ind["utilized_fdi"],
            unit=world.street_a,
            year=2026,
            month=month,
            value=Decimal(value),
        )
    ReportedValue.objects.create(
        indicator=ind["utilized_fdi"],
        unit=world.street_a,
        year=2025,
        month=2,
        value=Decimal("4145.6"),
    )
    for unit, day in (
        (world.street_a, D(2026, 2, 3)),
        (world.street_a, D(2026, 4, 9)),
        (world.street_b, D(2026, 6, 30)),
    ):
        activity(unit, "trip", day, "赴上海招商")
    activity(world.street_a, "hosted_visit", D(2026, 1, 15))
    activity(world.street_b, "hosted_visit", D(2026, 5, 20))
    activity(world.street_a, "trip", D(2026, 7, 1))  # the second half: not counted
    ceremony = activity(world.district, "signing_ceremony", D(2026, 6, 20), "2026年云签约活动")
    ceremony.projects.add(p3)
    lead(world.street_a, "business_referral", D(2026, 2, 1))
    lead(world.street_b, "business_referral", D(2026, 3, 1))
    lead(world.street_a, "resident", D(2026, 4, 1))
    lead(world.street_a, "advisor", D(2026, 5, 1), submitted_by=world.advisor_a)
    LandParcel.objects.create(
        unit=world.street_a,
        code="DH-01",
        name="东湖工业地块",
        land_use="industrial",
        area_mu=Decimal("50.5"),
        status="sold",
        sold_date=D(2026, 4, 18),
    )
    LandParcel.objects.create(
        unit=world.street_b,
        code="XS-02",
        name="西山商业地块",
        land_use="commercial",
        area_mu=Decimal("20"),
        status="sold",
        sold_date=D(2026, 6, 2),
    )
    LandParcel.objects.create(
        unit=world.street_b,
        code="XS-03",
        name="西山储备地块",
        land_use="industrial",
        area_mu=Decimal("80"),
        status="listed",
        location="西山大道北侧",
    )
    return ind
