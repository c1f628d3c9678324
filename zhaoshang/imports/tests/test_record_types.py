"""Every record type is a declaration; each imports from a ledger as staff write it."""

import datetime
from decimal import Decimal

from zhaoshang.activities.models import Activity
from zhaoshang.carriers.models import Building, LandParcel
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.imports.tests.helpers import write_csv
from zhaoshang.pipeline.models import Lead
from zhaoshang.targets.models import Indicator, ReportedValue, Target

CODE = "91110000600037341L"


def test_enterprises_by_credit_code_then_by_normalised_name(world, run_import, tmp_path):
    header = ["企业名称", "统一社会信用代码", "注册资本（亿元）", "专精特新", "所属单位"]
    rows = [["恒锐精密机械有限公司", CODE, "1.2", "是", "东湖街道"],
            ["远航物流股份有限公司", "", "800", "否", "东湖社区"]]  # fmt: skip
    plan, batch = run_import(write_csv(tmp_path / "e.csv", header, rows), world.reporter_a,
                             "enterprise")  # fmt: skip
    assert plan.ok, [str(p) for p in plan.errors]
    first = Enterprise.objects.get(credit_code=CODE)
    assert (first.registered_capital, first.specialised, first.unit) == (
        Decimal("12000.00"), True, world.street_a,
    )  # fmt: skip
    assert Enterprise.objects.get(name="远航物流股份有限公司").normalized_name
    # Traditional characters and another company form find the same enterprise.
    rows = [["遠航物流有限責任公司", "", "900", "否", "东湖社区"]]
    plan, _batch = run_import(write_csv(tmp_path / "f.csv", header, rows), world.reporter_a,
                              "enterprise")  # fmt: skip
    assert (len(plan.creates), len(plan.updates)) == (0, 1)
    bad = [["坏代码公司", "91110000600037341X", "", "", "东湖街道"]]
    plan, _batch = run_import(write_csv(tmp_path / "g.csv", header, bad), world.reporter_a,
                              "enterprise")  # fmt: skip
    assert not plan.ok and "第2行 B列 统一社会信用代码" in str(plan.errors[0])


def test_contacts_hang_off_enterprises_in_scope(world, run_import, tmp_path):
    Enterprise.objects.create(name="恒锐精密机械有限公司", credit_code=CODE, unit=world.street_a)
    Enterprise.objects.create(name="西山化工有限公司", unit=world.street_b)
    header = ["企业名称", "联系人", "职务", "手机"]
    rows = [[CODE, "张伟", "总经理", "13800000000"]]
    plan, _batch = run_import(write_csv(tmp_path / "c.csv", header, rows), world.reporter_a,
                              "contact")  # fmt: skip
    assert plan.ok and Contact.objects.get().enterprise.credit_code == CODE
    rows = [["西山化工有限公司", "李娜", "董事长", ""], ["不存在公司", "王五", "", ""]]
    plan, _batch = run_import(write_csv(tmp_path / "d.csv", header, rows), world.reporter_a,
                              "contact")  # fmt: skip
    assert [str(p) for p in plan.errors] == [
        "第2行 企业名称：超出您的单位范围：只能导入本单位及下级单位的记录",
        "第3行 A列 企业名称：企业库中没有“不存在公司”",
    ]


def test_leads_activities_parcels_and_buildings(world, run_import, tmp_path):
    header = ["企业名称", "线索来源", "意向投资额", "责任单位", "线索内容"]
    rows = [["未入库的新公司", "以商招商", "5000万", "东湖街道", "拟建研发中心"]]
    plan, _b = run_import(write_csv(tmp_path / "l.csv", header, rows), world.reporter_a, "lead")
    lead = Lead.objects.get()
    assert plan.ok and (lead.enterprise_name, lead.channel, lead.intended_investment) == (
        "未入库的新公司", "business_referral", Decimal("5000.00"),
    )  # fmt: skip
    assert lead.submitted_by == world.reporter_a and lead.status == "new"
    plan, _b = run_import(write_csv(tmp_path / "l.csv", header, rows), world.reporter_a, "lead")
    assert (len(plan.creates), plan.unchanged, Lead.objects.count()) == (0, 1, 1)

    header = ["活动类型", "活动名称", "开始日期", "结束日期", "城市", "带队领导"]
    rows = [["外出招商", "赴深圳招商", "2026年3月2日", "2026.3.4", "深圳", "王区长"]]
    plan, _b = run_import(write_csv(tmp_path / "a.csv", header, rows), world.reporter_a,
                          "activity")  # fmt: skip
    activity = Activity.objects.get()
    assert (activity.kind, activity.start_date, activity.end_date, activity.unit) == (
        "trip", datetime.date(2026, 3, 2), datetime.date(2026, 3, 4), world.street_a,
    )  # fmt: skip

    header = ["地块编号", "地块名称", "用地性质", "面积（平方米）", "状态", "责任单位"]
    rows = [["DH2026-01", "东湖北地块", "工业用地", "66666.67", "挂牌", "东湖街道"]]
    plan, _b = run_import(write_csv(tmp_path / "p.csv", header, rows), world.reporter_a,
                          "landparcel")  # fmt: skip
    parcel = LandParcel.objects.get()
    assert (parcel.area_mu, parcel.land_use, parcel.status) == (
        Decimal("100.00"), "industrial", "listed",
    )  # fmt: skip

    header = ["楼宇名称", "总建筑面积（㎡）", "空置面积", "所属单位"]
    rows = [["东湖金融大厦", "52,000", "8000", "东湖社区"]]
    plan, _b = run_import(write_csv(tmp_path / "b.csv", header, rows), world.reporter_a,
                          "building")  # fmt: skip
    building = Building.objects.get()
    assert (building.total_floor_area, building.vacant_floor_area, building.unit) == (
        Decimal("52000.00"), Decimal("8000.00"), world.community_a,
    )  # fmt: skip


def test_targets_and_reported_values_in_the_indicators_unit(world, run_import, tmp_path):
    # The standard indicator 实际利用外资 (code utilized_fdi) is kept in 万美元.
    assert Indicator.objects.get(code="utilized_fdi").unit_of_measure == "万美元"
    header = ["指标", "单位", "年度", "年度目标（亿美元）"]
    rows = [
        ["实际利用外资", "东湖街道", "2026", "1.5"],
        ["utilized_fdi", "西山街道", "2026", "8000"],
    ]
    plan, batch = run_import(write_csv(tmp_path / "t.csv", header, rows), world.bureau, "target")
    assert plan.ok, [str(p) for p in plan.errors]
    assert sorted(Target.objects.values_list("unit__code", "annual")) == [
        ("A", Decimal("15000.0000")), ("B", Decimal("80000000.0000")),
    ]  # fmt: skip
    # Reporters read targets but do not set them.
    plan, _b = run_import(write_csv(tmp_path / "t.csv", header, rows), world.reporter_a, "target")
    assert [str(p) for p in plan.errors] == ["您的角色无权导入此类记录。"]

    header = ["指标名称", "年份", "月份", "本月完成"]
    rows = [["实际利用外资", "2026", "3", "6420万美元"]]
    plan, _b = run_import(write_csv(tmp_path / "r.csv", header, rows), world.reporter_a,
                          "reportedvalue")  # fmt: skip
    value = ReportedValue.objects.get()
    assert (value.unit, value.month, value.value, value.reported_by) == (
        world.street_a, 3, Decimal("6420.0000"), world.reporter_a,
    )  # fmt: skip


def test_a_rule_across_columns_is_checked_per_row(world, run_import, tmp_path):
    header = ["活动类型", "活动名称", "开始日期", "结束日期"]
    rows = [["推介会", "东湖推介会", "2026.3.4", "2026.3.2"]]
    plan, batch = run_import(write_csv(tmp_path / "a.csv", header, rows), world.reporter_a,
                             "activity")  # fmt: skip
    assert batch is None
    assert [str(p) for p in plan.errors] == ["第2行 结束日期：结束日期早于开始日期"]


def test_field_validators_and_carrier_rules(world, run_import, tmp_path):
    header = ["地块编号", "地块名称", "用地性质", "面积（亩）", "状态", "经度", "纬度"]
    rows = [["D-1", "北地块", "工业", "10", "已出让", "", ""],
            ["D-2", "南地块", "工业", "10", "储备", "200", "30"]]  # fmt: skip
    plan, _b = run_import(write_csv(tmp_path / "p.csv", header, rows), world.reporter_a,
                          "landparcel")  # fmt: skip
    assert [str(p) for p in plan.errors] == [
        "第2行 出让日期：已出让的地块必须填写出让日期",
        "第3行 F列 经度：“200”：确保该值小于或等于180。",
    ]
    header = ["楼宇名称", "总建筑面积", "空置面积"]
    rows = [["东湖大厦", "1000", "2000"]]
    plan, _b = run_import(write_csv(tmp_path / "b.csv", header, rows), world.reporter_a,
                          "building")  # fmt: skip
    assert [str(p) for p in plan.errors] == ["第2行 空置面积：空置面积大于总建筑面积"]
