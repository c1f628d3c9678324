"""Ledger pages: the column choice survives filtering and paging, the page size is one of
25/50/100/200, the totals row sums the whole filtered set in one query, and a list page costs
the same number of queries for 5 rows as for 60."""

import django_tables2 as tables
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Sum
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.core.tables import BaseTable
from zhaoshang.organization.choices import UnitKind
from zhaoshang.organization.models import Unit
from zhaoshang.organization.tables import UnitTable
from zhaoshang.organization.views import UnitViews

pytestmark = pytest.mark.django_db


def add_units(parent, count, prefix="P"):
    return [
        Unit.objects.create(
            code=f"{prefix}{i:03}", name=f"园区{prefix}{i:03}", kind=UnitKind.PARK, parent=parent
        )
        for i in range(count)
    ]


def shown(response):
    return [column.name for column in response.context["table"].columns]


def test_column_choice_survives_filtering_and_paging_until_reset(world, login):
    add_units(world.street_a, 30)
    client = login(world.admin)
    url = reverse("organization:unit_list")
    response = client.get(url, {"columns": ["", "code", "name"]})
    assert shown(response) == ["name", "code"]
    html = response.content.decode()
    assert "<th" in html and html.count('data-testid="column-') == 7
    # Filtering (the filter form does not carry the choice) and paging keep it.
    assert shown(client.get(url, {"kind": UnitKind.PARK})) == ["name", "code"]
    paged = client.get(url, {"kind": UnitKind.PARK, "per_page": 25, "page": 2})
    assert shown(paged) == ["name", "code"]
    assert paged.context["table"].page.number == 2
    assert len(paged.context["table"].page.object_list) == 5
    # `columns=` alone restores the default; unknown names are ignored.
    assert shown(client.get(url, {"columns": ""})) == list(UnitTable.base_columns)
    assert shown(client.get(url, {"columns": "bogus"})) == list(UnitTable.base_columns)


def test_page_size_is_one_of_the_choices_and_remembered(world, login):
    add_units(world.street_a, 30)
    client = login(world.admin)
    url = reverse("organization:unit_list")
    assert client.get(url).context["table"].paginator.per_page == 50
    assert client.get(url, {"per_page": 25}).context["table"].paginator.per_page == 25
    assert client.get(url).context["table"].paginator.per_page == 25
    for bad in ("7", "100000", "abc", "-1"):
        assert client.get(url, {"per_page": bad}).context["table"].paginator.per_page == 25
    assert client.get(url, {"per_page": 200}).context["table"].paginator.per_page == 200


class DepthTable(UnitTable):
    class Meta(UnitTable.Meta):
        fields = (*UnitTable.Meta.fields, "depth")
        totals = ("depth",)


class DepthViews(UnitViews):
    table = DepthTable


def render_list(user, **query):
    """The unit list page declared with a table that totals `depth`."""
    request = RequestFactory().get("/org/units/", query)
    request.user = user
    request.session = SessionStore()
    view = DepthViews.urls()[0].callback
    return view(request)


def test_totals_row_sums_the_whole_filtered_set_in_one_query(world):
    add_units(world.street_a, 12)
    add_units(world.street_b, 3, prefix="Q")
    queryset = Unit.objects.filter(kind=UnitKind.PARK, path__startswith=world.street_a.path)
    expected = queryset.aggregate(total=Sum("depth"))["total"]
    assert expected == 12 * 3
    table = DepthTable(queryset)
    table.paginate(per_page=5)
    with CaptureQueriesContext(connection) as queries:
        sums = table.compute_totals(queryset)
    assert len(queries) == 1
    assert sums == {"depth": expected}
    cells = {cell["name"]: cell["text"] for cell in table.totals_row}
    assert cells["depth"] == "36" and cells["name"] == "合计"
    # The page counts its rows in the same statement.
    with CaptureQueriesContext(connection) as queries:
        rows = table.compute_totals(queryset, count=True)
    assert len(queries) == 1
    assert rows == 12 and table.totals_values == {"depth": expected}
    assert UnitTable(queryset).compute_totals(queryset, count=True) == 12
    # On the page: filtered by the subtree filter, over every page.
    response = render_list(world.admin, within=world.street_a.pk, kind=UnitKind.PARK, per_page=25)
    html = response.content.decode()
    assert 'data-testid="totals-row"' in html
    assert 'data-total="depth">36<' in html
    # A hidden total column has no totals row.
    response = render_list(world.admin, columns="name,code")
    assert 'data-testid="totals-row"' not in response.content.decode()


def test_tables_total_nothing_by_default(world):
    table = UnitTable(Unit.objects.all())
    assert table.compute_totals(Unit.objects.all()) is None
    assert table.totals_row is None


def test_list_page_costs_the_same_queries_for_5_and_60_rows(world, login):
    client = login(world.admin)
    url = reverse("organization:unit_list")
    client.get(url, {"per_page": 100})  # the session exists, the choice is stored

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"kind": UnitKind.PARK})
        assert response.status_code == 200
        return len(queries), response.context["table"].paginator.count

    add_units(world.street_a, 5)
    few, rows = count_queries()
    assert rows == 5
    add_units(world.street_b, 55, prefix="Q")
    many, rows = count_queries()
    assert rows == 60
    assert few == many


class CountTable(BaseTable):
    children = tables.Column(verbose_name="下级", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("name",)
        totals = {"children": Sum("depth")}


def test_totals_may_be_an_expression(world):
    table = CountTable(Unit.objects.all())
    sums = table.compute_totals(Unit.objects.all())
    assert sums == Unit.objects.aggregate(children=Sum("depth"))


def test_totals_are_written_like_the_amount_cells():
    from decimal import Decimal

    from zhaoshang.core.tables import _total_text

    assert _total_text(Decimal("120000")) == "120,000.00"
    assert _total_text(Decimal("1234.5")) == "1,234.50"
    assert _total_text(36) == "36"
    assert _total_text(None) == ""
