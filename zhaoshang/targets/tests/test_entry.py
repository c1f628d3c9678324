"""Entry pages of the targets area: reported values, certifications (with the certifying
level and withdrawal), capital increases, weights and bonus items."""

import datetime
from decimal import Decimal

from django.urls import reverse

from zhaoshang.core.models import ChangeLogEntry
from zhaoshang.core.periods import Period
from zhaoshang.core.testing import make_user
from zhaoshang.organization.choices import Role
from zhaoshang.pipeline.models import Evidence, Milestone, Project
from zhaoshang.targets import engine
from zhaoshang.targets.models import Certification, Indicator, ReportedValue

D = datetime.date


def signed_project(unit, name="亿元项目", amount="15000"):
    p = Project.objects.create(
        name=name, responsible_unit=unit, stage="signed", total_investment=Decimal(amount)
    )
    Milestone.objects.create(project=p, stage="signed", date=D(2026, 2, 1))
    return p


def test_reporter_reports_a_month_for_own_unit_only(world, login):
    client = login(world.reporter_a)
    fdi = Indicator.objects.get(code="utilized_fdi")
    url = reverse("targets:reportedvalue_add")
    data = {"indicator": fdi.pk, "unit": world.street_a.pk, "year": 2026, "month": 3}
    response = client.post(url, {**data, "value": "1234.5"})
    assert response.status_code == 302
    value = ReportedValue.objects.get()
    assert value.reported_by == world.reporter_a and value.value == Decimal("1234.5")
    assert ChangeLogEntry.objects.filter(object_id=str(value.pk), action="create").exists()
    figure = engine.figure(fdi, world.street_a, Period.month(2026, 3))
    assert figure.actual == Decimal("1234.5")

    # Street B is not a choice; the same month twice is refused; nothing else is written.
    response = client.post(url, {**data, "unit": world.street_b.pk, "value": "9"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = client.post(url, {**data, "value": "9"})
    assert response.status_code == 200
    assert "本单位本月已经上报" in response.content.decode() or response.context["form"].errors
    assert response.context["form"]["value"].value() == "9"  # what was typed is kept
    assert ReportedValue.objects.count() == 1

    # Street B's reporter does not see it.
    listing = login(world.reporter_b).get(reverse("targets:reportedvalue_list"))
    assert listing.context["table"].paginator.count == 0
    detail = login(world.reporter_b).get(reverse("targets:reportedvalue_detail", args=[value.pk]))
    assert detail.status_code == 404


def test_only_the_certifying_level_certifies_and_withdrawal_keeps_the_past(world, login):
    indicator = Indicator.objects.get(code="certified_over_100m")  # certified by the city
    assert indicator.certifying_level == "city"
    project = signed_project(world.street_a)
    evidence = Evidence.objects.create(project=project, kind="approval", file="evidence/a.pdf")
    data = {
        "project": project.pk,
        "indicator": indicator.pk,
        "date": "2026-03-01",
        "evidence": evidence.pk,
    }
    url = reverse("targets:certification_add")

    # The district bureau may see the project but is not the certifying level.
    response = login(world.bureau).post(url, data)
    assert response.status_code == 200
    assert "市级" in str(response.context["form"].errors["indicator"])
    # A reporter may not certify at all.
    assert login(world.reporter_a).post(url, data).status_code == 403
    assert not Certification.objects.exists()

    city_bureau = make_user("city_bureau", world.city, Role.BUREAU)
    client = login(city_bureau)
    # Evidence of another project is refused.
    other = signed_project(world.street_b, name="另一个项目")
    foreign = Evidence.objects.create(project=other, kind="approval", file="evidence/b.pdf")
    response = client.post(url, {**data, "evidence": foreign.pk})
    assert "evidence" in response.context["form"].errors
    response = client.post(url, data)
    assert response.status_code == 302
    certification = Certification.objects.get()
    assert certification.certified_by == city_bureau

    march = Period.cumulative(2026, 3)  # signed in February, certified in March
    assert engine.actual(indicator, world.district, march) == 1
    # Withdrawal: dated, with a reason; Jan–Mar keeps the project, Jan–May does not.
    withdraw = reverse("targets:certification_withdraw", args=[certification.pk])
    assert login(world.bureau).get(withdraw).status_code == 403
    client = login(city_bureau)  # the test client is shared: log the certifier back in
    response = client.post(withdraw, {"withdrawn_on": "2026-02-01", "withdrawal_reason": "错"})
    assert response.status_code == 200  # before the certification: refused
    response = client.post(withdraw, {"withdrawn_on": "2026-04-10", "withdrawal_reason": "撤销"})
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.withdrawn_by == city_bureau and not certification.in_force
    assert engine.actual(indicator, world.district, march) == 1
    assert engine.actual(indicator, world.district, Period.cumulative(2026, 5)) == 0
    # Certifications are never edited or deleted through pages.
    page = client.get(certification.get_absolute_url())
    assert page.status_code == 200 and "已撤销" in page.content.decode()
    assert client.get(withdraw).status_code == 403  # already withdrawn


def test_capital_increase_counts_the_added_amount(world, login):
    project = signed_project(world.street_a, amount="5000")
    client = login(world.reporter_a)
    response = client.post(
        reverse("targets:capitalincrease_add"),
        {"project": project.pk, "date": "2026-06-10", "field": "total_investment", "amount": "800"},
    )
    assert response.status_code == 302
    amount = Indicator.objects.get(code="signed_amount")
    assert engine.actual(amount, world.street_a, Period.month(2026, 6)) == Decimal("0.08")


def test_weights_and_bonus_items_are_set_from_above(world, login):
    from zhaoshang.organization.models import UnitClass

    unit_class = UnitClass.objects.create(name="街道", owner_unit=world.district)
    indicator = Indicator.objects.get(code="signed_amount")
    weight = {"unit_class": unit_class.pk, "indicator": indicator.pk, "weight": "30", "cap": ""}
    bonus = {"unit": world.street_a.pk, "year": 2026, "month": 5, "points": "2", "reason": "表彰"}
    reporter = login(world.reporter_a)
    assert reporter.post(reverse("targets:indicatorweight_add"), weight).status_code == 403
    bureau = login(world.bureau)
    assert bureau.post(reverse("targets:indicatorweight_add"), weight).status_code == 302
    assert bureau.post(reverse("targets:bonusitem_add"), bonus).status_code == 302
    listing = bureau.get(reverse("targets:bonusitem_list"))
    assert listing.context["table"].paginator.count == 1
    assert "targets-subnav" in listing.content.decode()


def test_target_grid_exports_to_excel_with_the_page_figures(world, login):
    import io

    import openpyxl

    from zhaoshang.targets.models import Split, Target

    indicator = Indicator.objects.get(code="utilized_fdi")
    Target.objects.create(
        indicator=indicator,
        unit=world.district,
        year=2026,
        annual=Decimal("0.6"),
        unit_of_measure="亿美元",
    )
    Target.objects.create(
        indicator=indicator,
        unit=world.street_a,
        year=2026,
        annual=Decimal("1200"),
        split=Split.MONTH,
        parts=[100] * 12,
    )
    url = reverse("targets:grid", args=[indicator.pk, 2026])
    response = login(world.bureau).get(url + "?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    assert header[:6] == [
        "指标", "年度", "单位", "单位编码", "年度目标（万美元）", "下级合计（万美元）"
    ]  # fmt: skip
    assert rows["临江区"][4] == 6000  # 0.6 亿美元, in the indicator's unit
    assert rows["临江区"][5] == 1200  # the subunits' sum
    assert rows["东湖街道"][4] == 1200 and rows["东湖街道"][6:18] == (100,) * 12
    assert "滨海区" not in rows  # another district's units are not in the bureau's grid


def test_an_exported_grid_imports_back_to_the_same_targets(world, login, tmp_path):
    from zhaoshang.imports.declarations import RECORD_TYPES
    from zhaoshang.imports.engine import Engine
    from zhaoshang.imports.models import ImportBatch
    from zhaoshang.targets.models import Target

    indicator = Indicator.objects.get(code="utilized_fdi")
    Target.objects.create(
        indicator=indicator, unit=world.district, year=2026, annual=Decimal("0.6"),
        unit_of_measure="亿美元",
    )  # fmt: skip
    Target.objects.create(indicator=indicator, unit=world.street_a, year=2026, annual=2500)
    response = login(world.bureau).get(
        reverse("targets:grid", args=[indicator.pk, 2026]) + "?format=xlsx"
    )
    path = tmp_path / "grid.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    before = {t.unit_id: engine.annual_target(t, indicator) for t in Target.objects.all()}

    importer = Engine(RECORD_TYPES["target"], world.bureau)
    plan = importer.validate(importer.read(path).columns)
    assert plan.ok, [str(p) for p in plan.errors]
    batch = ImportBatch.objects.create(
        record_type="target", file_name=path.name, sha256="-", file_format="xlsx",
        unit=world.bureau.unit, user=world.bureau,
    )  # fmt: skip
    importer.commit(plan, batch)
    after = {t.unit_id: engine.annual_target(t, indicator) for t in Target.objects.all()}
    assert after == before  # same figures, in the indicator's unit; no target created twice


def test_a_changed_grid_row_updates_in_the_targets_own_unit_and_undo_restores_it(
    world, login, tmp_path
):
    import openpyxl

    from zhaoshang.imports.declarations import RECORD_TYPES
    from zhaoshang.imports.engine import Engine
    from zhaoshang.imports.models import ImportBatch
    from zhaoshang.imports.undo import undo
    from zhaoshang.targets.models import Split, Target

    indicator = Indicator.objects.get(code="utilized_fdi")
    district = Target.objects.create(
        indicator=indicator, unit=world.district, year=2026, annual=Decimal("0.6"),
        unit_of_measure="亿美元",
    )  # fmt: skip
    street = Target.objects.create(
        indicator=indicator, unit=world.street_a, year=2026, annual=1200,
        split=Split.MONTH, parts=["100"] * 12,
    )  # fmt: skip
    response = login(world.bureau).get(
        reverse("targets:grid", args=[indicator.pk, 2026]) + "?format=xlsx"
    )
    path = tmp_path / "grid.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "临江区":
            row[4].value = 7000  # 万美元: 0.7 亿美元
        if row[2].value == "东湖街道":
            row[4].value = 1500
    book.save(path)

    importer = Engine(RECORD_TYPES["target"], world.bureau)
    plan = importer.validate(importer.read(path).columns)
    assert plan.ok and len(plan.updates) == 2 and not plan.creates
    batch = ImportBatch.objects.create(
        record_type="target", file_name=path.name, sha256="-", file_format="xlsx",
        unit=world.bureau.unit, user=world.bureau,
    )  # fmt: skip
    importer.commit(plan, batch)
    district.refresh_from_db()
    street.refresh_from_db()
    assert (district.annual, district.unit_of_measure) == (Decimal("0.7"), "亿美元")
    assert (street.annual, street.parts) == (Decimal(1500), [])  # the old split no longer fits
    undo(batch, world.bureau)
    district.refresh_from_db()
    street.refresh_from_db()
    assert (district.annual, district.unit_of_measure) == (Decimal("0.6"), "亿美元")
    assert (street.annual, street.parts) == (Decimal(1200), ["100"] * 12)
