"""The pages: scope (no sibling amounts), drill-down, the target grid, rankings."""

import datetime
from decimal import Decimal

from zhaoshang.organization.models import PeerGroup, Unit
from zhaoshang.pipeline.models import Milestone, Project
from zhaoshang.targets.models import Indicator, RankingSnapshot, Target

D = datetime.date
FEB1 = D(2026, 2, 1)


def signed(unit, amount, day=FEB1, name="项目"):
    p = Project.objects.create(
        name=name, responsible_unit=unit, stage="signed", total_investment=Decimal(amount)
    )
    Milestone.objects.create(project=p, stage="signed", date=day)
    return p


def test_street_reporter_dashboard_has_no_sibling_amounts(world, login):
    signed(world.street_a, "12345.67", name="东湖项目")
    signed(world.street_b, "98765.43", name="西山项目")
    page = login(world.reporter_a).get("/targets/?period=2026Y").content.decode()
    assert "1.23" in page  # 12,345.67 万元 = 1.23 亿元 on the card
    assert "9.88" not in page and "11.11" not in page and "西山" not in page
    # The bureau sees the district: both.
    page = login(world.bureau).get("/targets/?period=2026Y").content.decode()
    assert "11.11" in page


def test_sibling_unit_is_404_for_a_reporter(world, login):
    client = login(world.reporter_a)
    ind = Indicator.objects.get(code="signed_amount")
    assert client.get(f"/targets/?unit={world.street_b.pk}").status_code == 404
    assert client.get(f"/targets/figures/?unit={world.street_b.pk}").status_code == 404
    url = f"/targets/figures/{ind.pk}/records/?unit={world.street_b.pk}&period=2026Y"
    assert client.get(url).status_code == 404
    assert client.get(f"/targets/?unit={world.street_a.pk}").status_code == 200


def test_advisor_gets_403(world, login):
    assert login(world.advisor_a).get("/targets/").status_code == 403


def test_drill_down_lists_the_records_that_make_the_figure(world, login):
    signed(world.street_a, "12000", name="甲项目")
    signed(world.community_a, "3000", name="乙项目")
    signed(world.street_b, "5000", name="丙项目")
    ind = Indicator.objects.get(code="signed_amount")
    page = (
        login(world.bureau)
        .get(f"/targets/figures/{ind.pk}/records/?unit={world.street_a.pk}&period=2026C03")
        .content.decode()
    )
    assert "甲项目" in page and "乙项目" in page and "丙项目" not in page
    assert "1.5 亿元" in page  # figure and sum of the records


def test_figures_page_links_every_figure(world, login):
    signed(world.street_a, "12000")
    page = login(world.bureau).get(f"/targets/figures/?unit={world.district.pk}&period=2026Y")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("/records/?unit=") >= 2 * Indicator.objects.count()


def test_target_grid_saves_checks_and_flags_children(world, login):
    ind = Indicator.objects.get(code="contracted_fdi")
    client = login(world.bureau)
    url = f"/targets/grid/{ind.pk}/2026/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {f"annual-{world.street_a.pk}": "abc"})
    assert "不是" in bad.content.decode() or bad.status_code == 200
    assert not Target.objects.exists()
    months = {f"m{m}-{world.street_a.pk}": "100" for m in range(1, 13)}
    wrong = client.post(url, {f"annual-{world.street_a.pk}": "1300", **months})
    assert not Target.objects.exists() and wrong.status_code == 200
    ok = client.post(
        url,
        {
            f"annual-{world.street_a.pk}": "1200",
            **months,
            f"annual-{world.district.pk}": "0.6",
            f"measure-{world.district.pk}": "亿美元",
        },
    )
    assert ok.status_code == 302
    assert Target.objects.get(unit=world.district).unit_of_measure == "亿美元"
    page = client.get(url).content.decode()
    assert "table-warning" in page  # 6000 万美元 at the district vs 1200 below it


def test_reporter_cannot_edit_the_district_target(world, login):
    ind = Indicator.objects.get(code="contracted_fdi")
    client = login(world.reporter_a)
    client.post(f"/targets/grid/{ind.pk}/2026/", {f"annual-{world.district.pk}": "5"})
    assert not Target.objects.filter(unit=world.district).exists()


def test_ranking_publish_and_leaderboard(world, login):
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    Unit.objects.filter(pk__in=[world.street_a.pk, world.street_b.pk]).update(peer_group=group)
    ind = Indicator.objects.get(code="signed_projects")
    for street in (world.street_a, world.street_b):
        Target.objects.create(indicator=ind, unit=street, year=2026, annual=2)
    signed(world.street_b, "100")
    client = login(world.bureau)
    url = f"/targets/ranking/?group={group.pk}&period=2026Y"
    assert "西山街道" in client.get(url).content.decode()
    assert client.post(url, {"kind": "weekly"}).status_code == 302
    snap = RankingSnapshot.objects.get()
    assert client.get(f"{url}&snapshot={snap.pk}").status_code == 200
    assert client.get(f"/targets/leaderboard/?group={group.pk}&period=2026Y").status_code == 200
    assert login(world.reporter_a).post(url, {"kind": "weekly"}).status_code in (403, 404)


def test_indicator_page_shows_its_filters_in_chinese(world, login):
    from zhaoshang.targets.models import Indicator

    indicator = Indicator.objects.get(code="certified_over_100m")
    html = login(world.bureau).get(indicator.get_absolute_url()).content.decode()
    assert "项目标识：亿元以上" in html
    assert "'flags'" not in html and "['over_100m']" not in html
