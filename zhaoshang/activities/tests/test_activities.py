"""Activities: date validation, negotiation rounds, signing-ceremony total, the ledger's
counts strip and filters, and the unit scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity, negotiation_rounds
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.pipeline.models import Project

pytestmark = pytest.mark.django_db

D = dt.date
MARCH_1 = D(2026, 3, 1)


def activity(unit, kind=ActivityKind.TRIP, start=MARCH_1, **extra):
    extra.setdefault("title", f"{kind} {start}")
    return Activity.objects.create(unit=unit, kind=kind, start_date=start, **extra)


def project(unit, name="新能源电池项目", total=None):
    return Project.objects.create(name=name, responsible_unit=unit, total_investment=total)


def test_end_before_start_is_refused_in_chinese(world):
    a = Activity(
        unit=world.street_a,
        kind=ActivityKind.TRIP,
        title="赴深圳招商",
        start_date=D(2026, 3, 5),
        end_date=D(2026, 3, 4),
    )
    with pytest.raises(ValidationError) as exc:
        a.full_clean()
    assert "结束日期不能早于开始日期" in str(exc.value.message_dict["end_date"])
    a.end_date = D(2026, 3, 5)
    a.full_clean()


def test_form_keeps_typed_values_and_writes_nothing_on_bad_dates(world, login):
    client = login(world.reporter_a)
    response = client.post(
        reverse("activities:activity_add"),
        {
            "kind": "trip",
            "title": "赴深圳招商",
            "start_date": "2026-03-05",
            "end_date": "2026-03-01",
            "city": "深圳",
            "unit": world.street_a.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "结束日期不能早于开始日期" in body
    assert 'value="深圳"' in body and 'value="赴深圳招商"' in body
    assert not Activity.objects.exists()


def test_only_negotiations_link_one_project(world):
    p = project(world.street_a)
    a = Activity(
        unit=world.street_a, kind=ActivityKind.TRIP, title="x", start_date=D(2026, 1, 1), project=p
    )
    with pytest.raises(ValidationError) as exc:
        a.full_clean()
    assert "project" in exc.value.message_dict


def test_negotiation_rounds_follow_date_order_per_project(world):
    p, other = project(world.street_a), project(world.street_a, "另一个项目")
    neg = ActivityKind.NEGOTIATION
    third = activity(world.street_a, neg, D(2026, 3, 20), project=p)
    first = activity(world.street_a, ActivityKind.ONLINE_NEGOTIATION, D(2026, 1, 5), project=p)
    second = activity(world.street_b, neg, D(2026, 2, 1), project=p)
    activity(world.street_a, neg, D(2026, 1, 1), project=other)
    activity(world.street_a, ActivityKind.VISIT, D(2026, 1, 2))  # not a negotiation
    rounds = list(negotiation_rounds(p))
    assert [(a.pk, a.negotiation_round) for a in rounds] == [
        (first.pk, 1),
        (second.pk, 2),
        (third.pk, 3),
    ]
    assert third.round_number() == 3
    assert Activity.objects.with_rounds().get(project=other).negotiation_round == 1
    # Seen by street A's reporter: B's round is hidden, the numbers stay the same.
    mine = [(a.pk, a.negotiation_round) for a in negotiation_rounds(p, world.reporter_a)]
    assert mine == [(first.pk, 1), (third.pk, 3)]
    # A negotiation moved earlier renumbers the others.
    third.start_date = D(2026, 1, 1)
    third.save()
    assert [a.pk for a in negotiation_rounds(p)] == [third.pk, first.pk, second.pk]


def test_round_is_shown_on_the_activity_page(world, login):
    p = project(world.street_a)
    activity(world.street_a, ActivityKind.NEGOTIATION, D(2026, 1, 5), project=p)
    second = activity(world.street_a, ActivityKind.NEGOTIATION, D(2026, 2, 5), project=p)
    body = login(world.reporter_a).get(second.get_absolute_url()).content.decode()
    assert "第2轮洽谈" in body
    assert "本项目的历次洽谈" in body


def test_signing_ceremony_total_is_the_sum_of_projects_signed(world, login):
    ceremony = activity(world.district, ActivityKind.SIGNING_CEREMONY, title="春季云签约")
    a1 = project(world.street_a, "智能制造基地", Decimal("120000.50"))
    a2 = project(world.street_a, "数字产业园", Decimal("30000"))
    b1 = project(world.street_b, "物流中心", Decimal("8000"))
    empty = project(world.street_b, "未填投资额")
    ceremony.projects.set([a1, a2, b1, empty])
    assert ceremony.signed_total() == Decimal("158000.50")
    body = login(world.bureau).get(ceremony.get_absolute_url()).content.decode()
    assert 'data-testid="signed-total">158000.50<' in body
    assert "智能制造基地" in body and "物流中心" in body
    assert "共签约 4 个项目" in body


def test_signing_ceremony_with_no_projects_has_no_total(world):
    ceremony = activity(world.street_a, ActivityKind.SIGNING_CEREMONY)
    assert ceremony.signed_total() is None


def test_counts_strip_counts_the_filtered_rows_in_one_query(
    world, login, django_assert_max_num_queries
):
    for kind, n in (("trip", 3), ("visit", 2), ("hosted_visit", 1), ("training", 1)):
        for i in range(n):
            activity(world.street_a, kind, D(2026, 3, 1 + i), city="深圳" if i == 0 else "上海")
    activity(world.street_b, "trip", D(2026, 3, 1))  # outside reporter_a's scope
    qs = Activity.objects.visible_to(world.reporter_a)
    counts = qs.kind_counts()
    assert (counts["trip"], counts["visit"], counts["hosted_visit"], counts["total"]) == (
        3,
        2,
        1,
        7,
    )
    with django_assert_max_num_queries(1):
        qs.filter(city="深圳").kind_counts()
    client = login(world.reporter_a)
    response = client.get(reverse("activities:activity_list"), {"city": "深圳"})
    strip = response.context["strip"]
    assert dict((kind, n) for _, kind, n in strip)["trip"] == 1
    assert dict((kind, n) for _, kind, n in strip)["visit"] == 1
    body = response.content.decode()
    assert 'data-testid="count-trip">1<' in body
    assert "外出招商" in body and "客商来访" in body


def test_ledger_filters(world, login):
    activity(world.street_a, "trip", D(2026, 1, 10), city="深圳", leader_name="王区长")
    activity(world.community_a, "visit", D(2026, 2, 10), city="杭州", leader_name="李局长")
    activity(world.street_b, "trip", D(2026, 3, 10), city="深圳")
    client = login(world.bureau)
    url = reverse("activities:activity_list")

    def titles(**params):
        rows = client.get(url, params).context["table"].data
        return sorted(a.start_date.month for a in rows)

    assert titles() == [1, 2, 3]
    assert titles(kind="trip") == [1, 3]
    assert titles(date_from="2026-02-01") == [2, 3]
    assert titles(date_from="2026-01-01", date_to="2026-02-28") == [1, 2]
    assert titles(city="深") == [1, 3]
    assert titles(within=world.street_a.pk) == [1, 2]
    assert titles(leader="王") == [1]


def test_reporter_sees_only_her_streets_activities(world, login):
    mine = activity(world.street_a, title="东湖外出招商")
    theirs = activity(world.street_b, title="西山外出招商")
    client = login(world.reporter_a)
    body = client.get(reverse("activities:activity_list")).content.decode()
    assert "东湖外出招商" in body and "西山外出招商" not in body
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("activities:activity_edit", args=[theirs.pk])).status_code == 404
    # The viewer reads but may not write.
    viewer = login(world.viewer_a)
    assert viewer.get(mine.get_absolute_url()).status_code == 200
    assert viewer.get(reverse("activities:activity_add")).status_code == 403


def test_reporter_adds_a_negotiation_with_enterprises(world, login):
    p = project(world.street_a)
    e = Enterprise.objects.create(name="江州电池有限公司", unit=world.street_a)
    client = login(world.reporter_a)
    response = client.post(
        reverse("activities:activity_add"),
        {
            "kind": "negotiation",
            "title": "电池项目第一次洽谈",
            "start_date": "2026-04-01",
            "project": p.pk,
            "enterprises": [e.pk],
            "unit": world.street_a.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Activity.objects.get()
    assert a.created_by == world.reporter_a
    assert list(a.enterprises.all()) == [e]
    assert a.round_number() == 1


def test_reporter_cannot_pick_another_streets_project(world, login):
    p = project(world.street_b)
    client = login(world.reporter_a)
    response = client.post(
        reverse("activities:activity_add"),
        {
            "kind": "negotiation",
            "title": "x",
            "start_date": "2026-04-01",
            "project": p.pk,
            "unit": world.street_a.pk,
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_export_has_the_same_rows_as_the_ledger(world, login):
    activity(world.street_a, "trip", D(2026, 1, 10), title="东湖赴深圳")
    activity(world.street_b, "trip", D(2026, 1, 11), title="西山赴上海")
    client = login(world.reporter_a)
    response = client.get(reverse("activities:activity_export"), {"kind": "trip"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    from io import BytesIO

    from openpyxl import load_workbook

    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "东湖赴深圳" in cells and "西山赴上海" not in cells
