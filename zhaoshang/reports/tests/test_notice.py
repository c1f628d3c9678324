"""The monthly notice ranks a peer group in the ranking page's order, shows movement since the
last monthly snapshot, names the units behind pace and the projects that moved."""

import re
from decimal import Decimal

from zhaoshang.organization.models import PeerGroup
from zhaoshang.reports.base import sentence_text, text_of
from zhaoshang.reports.notice import MonthlyNotice
from zhaoshang.reports.tests.dataset import build
from zhaoshang.targets.models import RankingEntry, RankingSnapshot, Target


def _group(world, ind):
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    for unit in (world.street_a, world.street_b):
        unit.peer_group = group
        unit.save()
    # 东湖: 12.95亿 of 10 → 129.5%, 3亿区外内资 of 10 → 30%; 西山: 3亿 of 5 → 60%.
    for unit, signed, domestic in ((world.street_a, 10, 10), (world.street_b, 5, None)):
        Target.objects.create(
            indicator=ind["signed_amount"], unit=unit, year=2026, annual=Decimal(signed)
        )
        if domestic:
            Target.objects.create(
                indicator=ind["domestic_outside_district"],
                unit=unit,
                year=2026,
                annual=Decimal(domestic),
            )
    return group


def _notice(world, group, month="2026M06"):
    return MonthlyNotice(
        {"peer_group": group.pk, "month": month, "doc_number": ""}, world.bureau
    ).compute()


def _tables(doc):
    return {b["title"]: b for b in doc["blocks"] if b["kind"] == "table"}


def test_units_in_the_order_of_the_ranking_page(world, login):
    group = _group(world, build(world))
    # A snapshot of May with the order reversed gives movement.
    snap = RankingSnapshot.objects.create(peer_group=group, period_code="2026M05", kind="monthly")
    RankingEntry.objects.create(snapshot=snap, unit=world.street_b, position=1, score=1)
    RankingEntry.objects.create(snapshot=snap, unit=world.street_a, position=2, score=1)
    # June's own snapshot, published later, is not "last month".
    june = RankingSnapshot.objects.create(peer_group=group, period_code="2026M06", kind="monthly")
    RankingEntry.objects.create(snapshot=june, unit=world.street_a, position=1, score=1)
    RankingEntry.objects.create(snapshot=june, unit=world.street_b, position=2, score=1)
    doc = _notice(world, group)
    ranking = _tables(doc)["综合排名"]["rows"]
    notice_order = [row[1] for row in ranking]

    page = login(world.bureau).get("/targets/ranking/", {"group": group.pk, "period": "2026C06"})
    body = page.content.decode()
    table = body[body.index('data-testid="ranking"') :]
    page_order = [name for name in re.findall(r"<td>([^<]+)</td><td class=\"text-end\">", table)]
    assert notice_order == page_order == ["东湖街道", "西山街道"]
    # Scores: 东湖 1.295 + 0.3 = 1.6 (1.595 half-up); 西山 0.6.
    assert [text_of(row[2]) for row in ranking] == ["1.6", "0.6"]
    assert [row[3] for row in ranking] == ["↑1", "↓1"]


def test_completion_against_time_progress_and_units_behind(world):
    group = _group(world, build(world))
    doc = _notice(world, group)
    sentences = [
        sentence_text(s) for b in doc["blocks"] if b["kind"] == "paragraph" for s in b["sentences"]
    ]
    assert "截至2026年6月底，时间进度为50%。" in sentences
    assert "引进区外内资：东湖街道（30%）完成率低于时间进度。" in sentences
    completion = _tables(doc)["各单位指标完成情况"]
    assert completion["columns"] == ["单位", "签约项目总投资完成率", "引进区外内资完成率"]
    assert [[text_of(c) for c in row] for row in completion["rows"]] == [
        ["东湖街道", "129.5%", "30%"],
        ["西山街道", "60%", "—"],
    ]
    assert completion["rows"][0][1]["url"].startswith("/targets/figures/")


def test_projects_that_moved_in_the_month(world):
    group = _group(world, build(world))
    doc = _notice(world, group, "2026M03")
    moved = _tables(doc)["项目推进情况"]["rows"]
    assert [[text_of(c) for c in row] for row in moved] == [
        ["东湖街道", "东湖智造产业园", "—", "签约", "2026-03-10"],
        ["东湖街道", "东湖智造产业园", "签约", "落地", "2026-03-10"],
    ]
    none = _notice(world, group, "2026M02")
    assert "本月无项目阶段变化。" in [
        sentence_text(s) for b in none["blocks"] if b["kind"] == "paragraph" for s in b["sentences"]
    ]
