"""The derived flags: one definition, computed by the database, filterable, with boundaries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.pipeline import flags
from zhaoshang.pipeline.models import Project


def flagged(code):
    return set(flags.filter_flags(Project.objects.all(), [code]).values_list("name", flat=True))


@pytest.fixture
def projects(world):
    def make(name, **fields):
        return Project.objects.create(name=name, responsible_unit=world.street_a, **fields)

    make("9999.99", total_investment=Decimal("9999.99"))
    make("10000", total_investment=Decimal("10000"))
    make("99999.99", total_investment=Decimal("99999.99"))
    make("100000", total_investment=Decimal("100000"))
    make("fdi 9999.99", contracted_fdi=Decimal("9999.99"))
    make("fdi 10000", contracted_fdi=Decimal("10000"))
    make("abroad", capital_origin="abroad")
    make("none")
    make("hq", is_headquarters=True, fortune500=True, central_soe=True)


def test_amount_flags_at_their_boundaries(projects):
    assert flagged("over_100m") == {"10000", "99999.99", "100000"}
    assert flagged("over_1b") == {"100000"}
    assert flagged("over_100m_usd") == {"fdi 10000"}
    assert flagged("foreign") == {"fdi 9999.99", "fdi 10000", "abroad"}
    assert flagged("headquarters") == flagged("fortune500") == flagged("central_soe") == {"hq"}


def test_annotations_agree_with_filters_in_one_query(projects):
    with CaptureQueriesContext(connection) as queries:
        rows = list(flags.with_flags(Project.objects.all()))
    assert len(queries) == 1
    for code in flags.FLAG_CODES:
        assert {p.name for p in rows if getattr(p, f"flag_{code}")} == flagged(code)


def test_ledger_filters_by_flags_and_shows_them(projects, world, login):
    client = login(world.reporter_a)
    response = client.get(reverse("pipeline:project_list"), {"flag": ["over_100m", "over_1b"]})
    assert response.status_code == 200
    names = [row.record.name for row in response.context["table"].rows]
    assert names == ["100000"]
    html = response.content.decode()
    assert "亿元以上" in html and "10亿元以上" in html


def test_ledger_costs_fixed_queries_totals_and_exports(projects, world, login):
    from django.test.utils import CaptureQueriesContext as Capture

    client = login(world.bureau)
    url = reverse("pipeline:project_list")
    with Capture(connection) as few:
        response = client.get(url)
    assert response.context["table"].totals_values["total_investment"] == Decimal("219999.98")
    for i in range(10):
        Project.objects.create(name=f"more {i}", responsible_unit=world.street_b)
    with Capture(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    export = client.get(reverse("pipeline:project_export"), {"flag": "over_1b"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_flag_and_channel_labels_are_the_pipeline_words():
    from django.utils import translation

    from zhaoshang.pipeline.choices import Channel

    with translation.override("zh-hans"):
        labels = dict(flags.flag_choices())
        assert [str(labels[c]) for c in flags.FLAG_CODES] == [
            "亿元以上",
            "10亿元以上",
            "1亿美元以上",
            "外资",
            "500强",
            "央企",
            "总部",
        ]
        assert str(Channel.RESIDENT.label) == "驻点"


def test_500_and_central_soe_come_from_the_investor_enterprise(world):
    from zhaoshang.enterprises.models import Enterprise

    giant = Enterprise.objects.create(
        unit=world.street_a, name="环球能源集团", fortune_global_500=True, central_soe=True
    )
    plain = Enterprise.objects.create(unit=world.street_a, name="本地小厂")
    Project.objects.create(name="giant", responsible_unit=world.street_a, investor=giant)
    Project.objects.create(name="plain", responsible_unit=world.street_a, investor=plain)
    Project.objects.create(name="flagged", responsible_unit=world.street_a, fortune500=True)
    assert flagged("fortune500") == {"giant", "flagged"}
    assert flagged("central_soe") == {"giant"}
    rows = {p.name: p for p in flags.with_flags(Project.objects.all())}
    assert rows["giant"].flag_fortune500 and not rows["plain"].flag_fortune500


def test_creating_a_project_writes_one_change_log_entry_with_its_code(world):
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeLogEntry

    project = Project.objects.create(name="日志测试项目", responsible_unit=world.street_a)
    assert project.code.startswith("P") and project.code.endswith(f"{project.pk:06d}")
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk)
    )
    assert [e.action for e in entries] == ["create"]
    project.name = "日志测试项目（改）"
    project.save()
    assert entries.filter(action="update").get().changes == {
        "name": ["日志测试项目", "日志测试项目（改）"]
    }
