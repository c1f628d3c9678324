"""The half-year narrative for a constructed dataset equals the text written by hand.

The figures, by hand (district 临江区, 2026H1; see dataset.py):
- signed: 12.5亿 + 3亿 + 4500万 = 15.95亿元, last year 20亿元 → −20.25%; target 10亿 → 159.5%;
- 区外内资: registered capital 3亿 + 8000万 = 3.8亿元 of a 5亿 target → 76%, none last year;
- 市外内资: 3亿元 (out of province only), no target, none last year;
- 实际利用外资: 2000 + 3120 = 5120万美元; last year 4145.6 → 974.4 ÷ 4145.6 = 23.504% → 23.5%;
  target 0.8亿美元 = 8000万美元 → 64%;
- 合同利用外资, 回归资金, 开工, 拜访企业, new above-scale tenants: no records → no clause.
"""

from zhaoshang.reports.narrative import Narrative
from zhaoshang.reports.tests.dataset import build

EXPECTED = [
    "上半年，临江区共外出招商3次，接待客商来访2批次，收集招商线索4条。",
    "新签约项目3个，总投资15.95亿元，同比下降20.25%，完成全年目标任务的159.5%，"
    "其中亿元以上项目2个、10亿元以上项目1个。",
    "举办签约仪式1场，集中签约项目1个，总投资4500万元，其中云签约1场。",
    "引进区外内资3.8亿元，完成全年目标任务的76%。",
    "引进市外内资3亿元。",
    "实际利用外资5120万美元，同比增长23.5%，完成全年目标任务的64%。",
    "从投资规模看，10亿元以上项目1个，占33.33%；1亿元至10亿元项目1个，占33.33%；"
    "1亿元以下项目1个，占33.33%。",
    "从产业领域看，智能制造项目2个，占66.67%；新材料项目1个，占33.33%。",
    "签约项目中，投资规模最大的是东湖智造产业园，总投资12.5亿元。",
    "世界500强企业投资项目1个：东湖智造产业园。",
    "总部项目1个：西山新材料基地。",
    "从线索来源看，以商招商2条，驻点招商1条，顾问推荐1条。",
    "招商顾问（大使）提供线索1条。",
    "1个项目实现签约即落地。",
    "出让土地70.5亩，其中工业用地50.5亩、商业用地20亩。",
]


def doc_indicator(world, code):
    from zhaoshang.targets.models import Indicator

    return Indicator.objects.get(code=code).pk


def narrative(world, user=None, period="2026H1", unit=None):
    return Narrative({"unit": (unit or world.district).pk, "period": period}, user or world.bureau)


def test_the_half_year_narrative_reads_as_written_by_hand(world):
    build(world)
    sentences = narrative(world).sentences()
    for i, (got, expected) in enumerate(zip(sentences, EXPECTED, strict=False)):
        assert got == expected, f"sentence {i + 1}"
    assert len(sentences) == len(EXPECTED)


def test_title_and_sections(world):
    build(world)
    doc = narrative(world).compute()
    assert doc["title"] == "临江区上半年招商引资工作总结"
    headings = [b["text"] for b in doc["blocks"] if b["kind"] == "heading"]
    assert headings == [
        "一、总体情况",
        "二、主要指标完成情况",
        "三、项目结构",
        "四、招商渠道与服务效率",
        "五、载体建设",
        "附表：主要指标完成情况",
    ]


def test_a_missing_figure_leaves_its_clause_out_never_zero(world):
    build(world)
    text = "".join(narrative(world).sentences())
    for absent in ("合同利用外资", "回归资金", "新开工项目", "拜访企业", "规上企业", "0个", "0条"):
        assert absent not in text


def test_every_figure_links_to_its_records(world):
    build(world)
    doc = narrative(world).compute()
    first = next(b for b in doc["blocks"] if b["kind"] == "paragraph")["sentences"][1]
    links = {r["text"]: r["url"] for r in first if isinstance(r, dict)}
    assert links["15.95亿元"].startswith("/targets/figures/")
    assert (
        f"unit={world.district.pk}" in links["15.95亿元"] and "period=2026H1" in links["15.95亿元"]
    )


def test_year_to_month_and_empty_periods(world):
    build(world)
    sentences = narrative(world, period="2026C04").sentences()
    assert sentences[0] == "1-4月，临江区共外出招商2次，接待客商来访1批次，收集招商线索3条。"
    assert narrative(world, period="2024Y").sentences() == [
        "2024年，临江区暂无可报告的招商引资数据。"
    ]


def test_rank_among_peers_is_named(world):
    from decimal import Decimal

    from zhaoshang.organization.models import PeerGroup
    from zhaoshang.targets.models import Target

    ind = build(world)
    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    for unit, target in ((world.street_a, 10), (world.street_b, 1)):
        unit.peer_group = group
        unit.save()
        Target.objects.create(
            indicator=ind["signed_amount"], unit=unit, year=2026, annual=Decimal(target)
        )
    # 东湖街道 (with 东湖社区): 12.5亿 + 4500万 = 12.95亿 of 10 → 129.5%, last year 20亿 →
    # −35.25%; 西山街道: 3亿 of 1 → 300%: 东湖 is second of two, scored 1 × 129.5 ÷ 100.
    sentences = narrative(world, unit=world.street_a).sentences()
    assert sentences[1] == (
        "新签约项目2个，总投资12.95亿元，同比下降35.25%，完成全年目标任务的129.5%，居街道组第2位，"
        "其中亿元以上项目1个、10亿元以上项目1个。"
    )
    assert "综合考核得分1.3分，在街道组中排名第2位。" in sentences


def test_resident_offices_and_new_above_scale_tenants(world):
    import datetime
    from decimal import Decimal

    from zhaoshang.carriers.models import Building, BuildingTenant
    from zhaoshang.core.testing import make_unit
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.organization.choices import UnitKind
    from zhaoshang.reports.tests.dataset import lead

    office = make_unit("D-SH", "临江区驻上海招商办事处", UnitKind.RESIDENT_OFFICE, world.district)
    lead(office, "resident", datetime.date(2026, 5, 6))
    lead(office, "resident", datetime.date(2026, 5, 7))
    building = Building.objects.create(
        unit=world.street_a, name="东湖金融大厦", total_floor_area=Decimal(20000)
    )
    for name, above in (("甲公司", True), ("乙公司", True), ("丙公司", False)):
        enterprise = Enterprise.objects.create(unit=world.street_a, name=name, above_scale=above)
        BuildingTenant.objects.create(
            unit=world.street_a,
            building=building,
            enterprise=enterprise,
            move_in_date=datetime.date(2026, 4, 1),
        )
    assert narrative(world).sentences() == [
        "上半年，临江区共收集招商线索2条。",
        "从线索来源看，驻点招商2条。",
        "驻外招商办事处提供线索2条。",
        "楼宇新入驻规上企业2家。",
    ]
