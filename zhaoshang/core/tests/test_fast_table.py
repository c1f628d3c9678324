"""The fast table body renders every cell exactly as django-tables2 would."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django_tables2 import RequestConfig

from zhaoshang.core.testing import make_unit
from zhaoshang.organization.choices import UnitKind
from zhaoshang.organization.models import Unit, User
from zhaoshang.organization.tables import UnitTable, UserTable

SLOW = Template(
    "{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>"
    "{% endfor %}</tr>{% endfor %}"
)


def normalise(html):
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize(
    "table_class,queryset",
    [
        (UnitTable, lambda: Unit.objects.select_related("parent", "peer_group", "unit_class")),
        (UserTable, lambda: User.objects.select_related("unit").prefetch_related("groups")),
    ],
)
def test_fast_body_equals_django_tables2(world, table_class, queryset):
    make_unit("X-1", "带<尖括号>&符号", UnitKind.OTHER, world.street_a)
    Unit.objects.filter(code="A1").update(is_active=False)

    def configured():
        # A fresh table each time: django-tables2 counts rows for the even/odd classes.
        table = table_class(queryset())
        RequestConfig(RequestFactory().get("/"), paginate={"per_page": 50}).configure(table)
        return table

    slow = SLOW.render(Context({"table": configured()}))
    fast = str(configured().fast_tbody())
    assert normalise(fast) == normalise(slow)
    if table_class is UnitTable:
        assert "带&lt;尖括号&gt;&amp;符号" in fast


def test_decimal_and_dates_are_localised_like_templates():
    from zhaoshang.core.tables import BaseTable

    class Row:
        amount = Decimal("30000.50")
        pk = 1

    import django_tables2 as tables

    class T(BaseTable):
        amount = tables.Column()

    table = T([Row()])
    RequestConfig(RequestFactory().get("/"), paginate=False).configure(table)
    assert "30000.50" in str(table.fast_tbody())


def test_fast_body_of_the_project_ledger_equals_django_tables2(world):
    from zhaoshang.pipeline.models import Project
    from zhaoshang.pipeline.tables import ProjectTable

    Project.objects.create(
        name="智能装备<基地>",
        responsible_unit=world.street_a,
        stage="signed",
        total_investment=Decimal("123456.78"),
        contracted_fdi=Decimal("15000"),
        capital_origin="abroad",
    )
    Project.objects.create(name="研发中心", responsible_unit=world.street_b, stage="lead")

    def configured():
        from zhaoshang.pipeline.flags import with_flags

        table = ProjectTable(with_flags(Project.objects.select_related("responsible_unit")))
        RequestConfig(RequestFactory().get("/"), paginate={"per_page": 50}).configure(table)
        return table

    slow = SLOW.render(Context({"table": configured()}))
    fast = str(configured().fast_tbody())
    assert normalise(fast) == normalise(slow)
    assert "123,456.78" in fast and "智能装备&lt;基地&gt;" in fast
