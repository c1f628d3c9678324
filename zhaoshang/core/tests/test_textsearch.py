"""Fragment search through the trigram indexes finds exactly what a plain LIKE finds,
follows inserts, renames and deletes, and heals when SQLite lost its triggers."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q

from zhaoshang.core import textsearch
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.pipeline.filtersets import ProjectFilterSet
from zhaoshang.pipeline.models import Project

FRAGMENTS = [
    "恒锐精密",
    "恒锐",
    "精密机械",
    "XM-2026",
    "xm-2026",
    "新能源",
    "50%",
    "a_b",
    "無錫",
    '"双引号"',  # quotes inside the FTS5 phrase are doubled
    '号"工',
    "b 测试",  # a space is part of the fragment
    "AND",  # an FTS5 operator word is searched as text
    "增长5",
]


def plain(value):
    return set(
        Project.objects.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(investor__name__icontains=value)
            | Q(focus_industry__icontains=value)
        ).values_list("pk", flat=True)
    )


def searched(value):
    fs = ProjectFilterSet({"q": value}, queryset=Project.objects.all())
    assert fs.is_valid()
    return set(fs.qs.values_list("pk", flat=True))


@pytest.fixture
def projects(world):
    investor = Enterprise.objects.create(name="苏州恒锐精密机械有限公司", unit=world.street_a)
    other = Enterprise.objects.create(name="無錫新能源有限公司", unit=world.street_b)
    rows = [
        ("东湖智造产业园", "XM-2026-001", investor, "高端装备"),
        ("精密机械二期", "XM-2026-002", None, ""),
        ("西山光伏基地", "XM-2025-003", other, "新能源"),
        ("增长50%项目", "A_B-4", None, ""),
        ("a_b 测试", "", None, ""),
        ('"双引号"工程 AND 扩建', "", None, ""),
    ]
    return [
        Project.objects.create(
            name=name,
            code=code,
            investor=inv,
            focus_industry=focus,
            responsible_unit=world.street_a,
            stage="signed",
            total_investment=Decimal(1),
        )
        for name, code, inv, focus in rows
    ]


def test_search_matches_plain_like_for_every_fragment(projects):
    for value in FRAGMENTS:
        assert searched(value) == plain(value), value
    assert searched("恒锐精密") == {projects[0].pk}  # through the investor's name
    assert searched("精密") == {projects[0].pk, projects[1].pk}
    assert searched('"双引号"') == {projects[5].pk}


def test_index_follows_renames_and_deletes(projects):
    first = projects[0]
    first.name = "临江数字港"
    first.save()
    assert first.pk in searched("数字港")
    assert first.pk not in searched("智造产业")
    first.delete()
    assert searched("数字港") == set()
    # Bulk inserts (the generator, the ledger import) bypass the ORM: the index still sees them.
    Project.objects.bulk_create(
        [Project(name="批量导入项目", responsible_unit=projects[1].responsible_unit, stage="lead")]
    )
    assert len(searched("批量导入")) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers only")
def test_lost_triggers_are_recreated_and_the_index_rebuilt(projects):
    table = textsearch.fts_table(Project)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {table}_au")  # as a table remake by a migration would
    Project.objects.filter(pk=projects[1].pk).update(name="东湖创新中心")
    assert projects[1].pk not in searched("创新中心")  # stale: why ensure_indexes exists
    textsearch.ensure_indexes()
    assert projects[1].pk in searched("创新中心")
    assert searched("精密机械") == plain("精密机械")


def test_the_index_exists_and_serves_the_search(projects):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fs = ProjectFilterSet({"q": "精密机械"}, queryset=Project.objects.all())
            sql, params = fs.qs.query.sql_with_params()
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'zs_trgm_%%' ORDER BY 1"
            )
            names = [row[0] for row in cursor.fetchall()]
            assert "zs_trgm_pipeline_project_name" in names
            assert "zs_trgm_enterprises_enterprise_name" in names


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers only")
def test_a_newly_declared_column_rebuilds_the_index(projects, monkeypatch):
    def indexed(fragment):
        with connection.cursor() as cursor:
            table = textsearch.fts_table(Project)
            cursor.execute(f"SELECT rowid FROM {table} WHERE text LIKE %s", [f"%{fragment}%"])
            return {row[0] for row in cursor.fetchall()}

    assert indexed("高端装备") == {projects[0].pk}
    monkeypatch.setattr(Project, "text_search_fields", ("name", "code"))
    textsearch.ensure_indexes()
    assert indexed("高端装备") == set()
    assert searched("高端装备") == {projects[0].pk}  # an unindexed column is still searched
    monkeypatch.setattr(Project, "text_search_fields", ("name", "code", "focus_industry"))
    textsearch.ensure_indexes()
    assert indexed("高端装备") == {projects[0].pk}
