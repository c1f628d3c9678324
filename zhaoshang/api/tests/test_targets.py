"""Targets through the API: indicators, targets, reported values, figures and rankings.

The figures are the engine's (the hand-computed case of targets/tests: 148.51 %), and a
reporter reads their targets but does not set them."""

import datetime
from decimal import Decimal

import pytest

from zhaoshang.api.base import version_of
from zhaoshang.api.tests.helpers import token_client
from zhaoshang.core.periods import Period
from zhaoshang.organization.models import PeerGroup, Unit
from zhaoshang.pipeline.models import Milestone, Project
from zhaoshang.targets import engine
from zhaoshang.targets.models import Indicator, ReportedValue, Target

FIGURES = "/api/targets/figures/"
RANKING = "/api/targets/ranking/"


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def fdi(world):
    """实际利用外资 of street A: 0.4 亿美元 target, 5940.2 万美元 reported in Q1 2026."""
    ind = Indicator.objects.get(code="utilized_fdi")
    Target.objects.create(
        indicator=ind,
        unit=world.street_a,
        year=2026,
        annual=Decimal("0.4"),
        unit_of_measure="亿美元",
    )
    for month, value in ((1, "2000.1"), (2, "1940.05"), (3, "2000.05")):
        ReportedValue.objects.create(
            indicator=ind, unit=world.street_a, year=2026, month=month, value=Decimal(value)
        )
    return ind


def test_figures_are_the_engines(world, fdi):
    client = token_client(world.reporter_a)
    response = client.get(FIGURES, {"unit": world.street_a.pk, "period": "2026Q1"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["unit"] == {"id": world.street_a.pk, "name": "东湖街道"}
    assert body["period"] == {"code": "2026Q1", "label": "2026年第一季度"}
    row = next(r for r in body["results"] if r["indicator"]["code"] == "utilized_fdi")
    assert row["actual"] == "5940.2" and row["target"] == "4000"
    assert row["completion"] == "148.51"
    assert row["time_progress"] == "25" and row["pace"] == "ahead"
    fig = engine.figure(fdi, world.street_a, Period.parse("2026Q1"))
    assert Decimal(row["completion"]) == fig.completion
    # Every indicator the user reads has its figure.
    codes = {r["indicator"]["code"] for r in body["results"]}
    assert codes == set(
        Indicator.objects.visible_to(world.reporter_a).values_list("code", flat=True)
    )
    one = client.get(FIGURES, {"unit": world.street_a.pk, "period": "2026Q1", "indicator": fdi.pk})
    assert [r["indicator"]["id"] for r in one.json()["results"]] == [fdi.pk]


def test_figures_roll_up_and_compare_with_last_year(world, fdi):
    ReportedValue.objects.create(
        indicator=fdi, unit=world.street_a, year=2025, month=2, value=Decimal("3000")
    )
    response = token_client(world.bureau).get(
        FIGURES, {"unit": world.district.pk, "period": "2026C02", "indicator": fdi.pk}
    )
    row = response.json()["results"][0]
    assert row["actual"] == "3940.15"  # the district's figure is street A's: a roll-up
    assert row["last_year"] == "3000"
    assert row["yoy_growth"] == "31.34"
    assert row["target"] is None and row["completion"] is None and row["pace"] is None


@pytest.mark.parametrize(
    "params, field",
    [
        ({"period": "2026Q5"}, "period"),
        ({"period": "上半年"}, "period"),
        ({"period": "0000Y"}, "period"),
        ({"unit": "东湖"}, "unit"),
        ({"unit": "-1"}, "unit"),
        ({"unit": "99999999999999999999"}, "unit"),
        ({"indicator": "x"}, "indicator"),
    ],
)
def test_bad_unit_or_period_is_400_with_a_chinese_message(world, params, field):
    response = token_client(world.reporter_a).get(FIGURES, params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field] and chinese(errors[field][0])


def test_another_units_figures_are_404(world, fdi):
    client = token_client(world.reporter_a)
    for unit in (world.street_b, world.district, world.other_street):
        response = client.get(FIGURES, {"unit": unit.pk, "period": "2026Q1"})
        assert response.status_code == 404, unit.code
        assert chinese(response.json()["errors"]["detail"][0])
    other = Indicator.objects.create(
        code="b_only",
        name="西山自定",
        owner_unit=world.street_b,
        unit_of_measure="个",
        source="reported",
    )
    response = client.get(FIGURES, {"indicator": other.pk})
    assert response.status_code == 404


def test_figures_need_the_view_right(world):
    assert token_client(world.admin).get(FIGURES).status_code == 403
    assert token_client(world.advisor_a).get(FIGURES).status_code == 403
    assert token_client(world.viewer_a).get(FIGURES).status_code == 200


def test_reporter_reads_targets_but_does_not_set_them(world, fdi):
    own = Target.objects.get(unit=world.street_a)
    client = token_client(world.reporter_a)
    listed = client.get("/api/targets/targets/").json()
    assert [t["id"] for t in listed["results"]] == [own.pk]
    assert listed["results"][0]["annual"] == "0.4000"
    body = {"indicator": fdi.pk, "unit": world.street_a.pk, "year": 2027, "annual": "1"}
    assert client.post("/api/targets/targets/", body, format="json").status_code == 403
    url = f"/api/targets/targets/{own.pk}/"
    changed = {"annual": "9", "version": version_of(own)}
    assert client.patch(url, changed, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    own.refresh_from_db()
    assert own.annual == Decimal("0.4")


def test_bureau_sets_targets_with_the_grids_rules(world, fdi):
    client = token_client(world.bureau)
    months = ["1"] * 12
    body = {
        "indicator": fdi.pk,
        "unit": world.street_b.pk,
        "year": 2026,
        "annual": "12",
        "parts": months,
    }
    response = client.post("/api/targets/targets/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["parts"] == months
    bad = client.post(
        "/api/targets/targets/",
        {**body, "unit": world.community_a.pk, "annual": "13"},
        format="json",
    )
    assert bad.status_code == 400
    assert "parts" in bad.json()["errors"] and chinese(bad.json()["errors"]["parts"][0])
    twice = client.post("/api/targets/targets/", body, format="json")
    assert twice.status_code == 400 and chinese(str(twice.json()["errors"]))
    for wrong in (
        {"annual": "-1"},
        {"unit_of_measure": "亩"},
        {"parts": ["1"] * 5},
        {"parts": ["x"] * 12},
        {"year": 99999},
        {"unit": world.other_street.pk},
    ):
        response = client.post(
            "/api/targets/targets/",
            {**body, "unit": world.community_a.pk, **wrong},
            format="json",
        )
        assert response.status_code == 400, (wrong, response.json())
    assert Target.objects.filter(unit=world.community_a).count() == 0
    response = client.get("/api/targets/targets/", {"within": world.street_b.pk, "year": 2026})
    assert [t["unit"] for t in response.json()["results"]] == [world.street_b.pk]
    assert client.get("/api/targets/targets/", {"year": "1e300"}).status_code == 400


def test_reporter_reports_monthly_values_of_their_unit(world, fdi):
    client = token_client(world.reporter_a)
    body = {
        "indicator": fdi.pk,
        "unit": world.street_a.pk,
        "year": 2026,
        "month": 4,
        "value": "100.5",
    }
    response = client.post("/api/targets/reported-values/", body, format="json")
    assert response.status_code == 201, response.json()
    value = ReportedValue.objects.get(pk=response.json()["id"])
    assert (
        value.reported_by == world.reporter_a
        and response.json()["reported_by"] == world.reporter_a.pk
    )
    for wrong in (
        {"month": 13},
        {"unit": world.street_b.pk},
        {"indicator": Indicator.objects.get(code="signed_projects").pk},  # counted, not reported
        {"month": 4},  # already reported
    ):
        response = client.post("/api/targets/reported-values/", {**body, **wrong}, format="json")
        assert response.status_code == 400, wrong
        assert chinese(str(response.json()["errors"])), wrong
    # The figure follows.
    row = client.get(FIGURES, {"period": "2026M04", "indicator": fdi.pk}).json()["results"][0]
    assert row["actual"] == "100.5"


def test_indicators_a_street_reads(world):
    Indicator.objects.create(
        code="a_own",
        name="东湖自定",
        owner_unit=world.street_a,
        unit_of_measure="个",
        source="reported",
    )
    Indicator.objects.create(
        code="d_own",
        name="临江自定",
        owner_unit=world.district,
        unit_of_measure="个",
        source="reported",
    )
    Indicator.objects.create(
        code="b_own",
        name="西山自定",
        owner_unit=world.street_b,
        unit_of_measure="个",
        source="reported",
    )
    client = token_client(world.reporter_a)
    codes = {
        i["code"]
        for i in client.get("/api/targets/indicators/", {"page_size": 500}).json()["results"]
    }
    assert {"a_own", "d_own", "utilized_fdi"} <= codes and "b_own" not in codes
    body = {"code": "x", "name": "新指标", "unit_of_measure": "个", "source": "reported"}
    assert client.post("/api/targets/indicators/", body, format="json").status_code == 403


@pytest.fixture
def ranked(world):
    ind = Indicator.objects.get(code="signed_projects")
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    Unit.objects.filter(pk__in=[world.street_a.pk, world.street_b.pk]).update(peer_group=group)
    for street in (world.street_a, world.street_b):
        Target.objects.create(indicator=ind, unit=street, year=2026, annual=4)
    for street, day in ((world.street_a, 5), (world.street_b, 6), (world.street_b, 7)):
        p = Project.objects.create(name="项目", responsible_unit=street, stage="signed")
        Milestone.objects.create(project=p, stage="signed", date=datetime.date(2026, 1, day))
    return group


def test_ranking_is_the_assessments(world, ranked):
    response = token_client(world.bureau).get(RANKING, {"group": ranked.pk, "period": "2026Y"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(r["unit"]["id"], r["position"], r["score"]) for r in body["results"]] == [
        (world.street_b.pk, 1, "0.50"),
        (world.street_a.pk, 2, "0.25"),
    ]
    assert body["results"][0]["completions"] == {"signed_projects": "50.00"}
    assert [i["code"] for i in body["indicators"]] == ["signed_projects"]


def test_ranking_errors(world, ranked):
    client = token_client(world.bureau)
    assert client.get(RANKING, {"group": "abc"}).status_code == 400
    assert client.get(RANKING, {"period": "2026M13"}).status_code == 400
    other = PeerGroup.objects.create(name="滨海组", owner_unit=world.other_district)
    assert client.get(RANKING, {"group": other.pk}).status_code == 404
    assert token_client(world.reporter_a).get(RANKING).status_code == 403


def test_published_ranking_stays_as_published(world, ranked):
    from zhaoshang.targets import assessment
    from zhaoshang.targets.models import SnapshotKind

    snapshot = assessment.take_snapshot(ranked, Period.whole_year(2026), SnapshotKind.MONTHLY)
    p = Project.objects.create(name="后来的项目", responsible_unit=world.street_a, stage="signed")
    Milestone.objects.create(project=p, stage="signed", date=datetime.date(2026, 2, 1))
    p = Project.objects.create(name="又一个", responsible_unit=world.street_a, stage="signed")
    Milestone.objects.create(project=p, stage="signed", date=datetime.date(2026, 2, 2))
    client = token_client(world.bureau)
    live = client.get(RANKING, {"group": ranked.pk, "period": "2026Y"}).json()
    assert live["snapshot"] is None
    assert [s["id"] for s in live["snapshots"]] == [snapshot.pk]
    assert live["results"][0]["unit"]["id"] == world.street_a.pk  # 3 against 2 now
    assert live["results"][0]["movement"] == 1
    shown = client.get(RANKING, {"group": ranked.pk, "snapshot": snapshot.pk}).json()
    assert shown["snapshot"]["id"] == snapshot.pk and shown["period"]["code"] == "2026Y"
    assert [(r["unit"]["id"], r["score"]) for r in shown["results"]] == [
        (world.street_b.pk, "0.50"),
        (world.street_a.pk, "0.25"),
    ]
    assert [i["code"] for i in shown["indicators"]] == ["signed_projects"]
    other = PeerGroup.objects.create(name="另一组", owner_unit=world.district)
    assert client.get(RANKING, {"group": other.pk, "snapshot": snapshot.pk}).status_code == 404
    assert client.get(RANKING, {"snapshot": "最新"}).status_code == 400
