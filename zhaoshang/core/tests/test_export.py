"""Excel export of a ledger, read back with openpyxl: the same rows as the filtered list,
Chinese headers, typed cells, formulas neutralised, the masking hook, the unit scope."""

import io
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

import django_tables2 as tables
import pytest
from django.db import models
from django.db.models import DecimalField
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from zhaoshang.core.export import _column_for_field, neutralise, write_workbook
from zhaoshang.core.tables import BaseTable
from zhaoshang.organization.choices import UnitKind
from zhaoshang.organization.models import Unit
from zhaoshang.organization.tables import PeerGroupTable

pytestmark = pytest.mark.django_db


def headers(*names):
    with translation.override("zh-hans"):
        return [str(Unit._meta.get_field(name).verbose_name) for name in names]


def read(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def values(rows):
    return [[cell.value for cell in row] for row in rows]


def download(response):
    assert response.status_code == 200, response.content[:500]
    return read(b"".join(response.streaming_content))


def add_units(parent, count, prefix="S"):
    return [
        Unit.objects.create(
            code=f"{prefix}{i:03}", name=f"单位{prefix}{i:03}", kind=UnitKind.PARK, parent=parent
        )
        for i in range(count)
    ]


def test_export_is_the_filtered_sorted_list_with_chinese_headers(world, login):
    add_units(world.street_a, 3)
    client = login(world.admin)
    query = {"kind": UnitKind.PARK, "q": "单位S", "sort": "-code"}
    listed = client.get(reverse("organization:unit_list"), query)
    listed_names = [row.record.name for row in listed.context["table"].paginated_rows]
    rows = values(download(client.get(reverse("organization:unit_export"), query)))
    assert rows[0] == headers(
        "name", "code", "kind", "parent", "peer_group", "unit_class", "is_active"
    )
    assert rows[0][0] == "名称"
    assert [r[0] for r in rows[1:]] == listed_names == ["单位S002", "单位S001", "单位S000"]
    assert rows[1][1:4] == ["S002", "园区", "东湖街道"]
    assert rows[1][6] == "是" and rows[1][4] is None


def test_export_keeps_the_chosen_columns_in_table_order(world, login):
    client = login(world.admin)
    response = client.get(reverse("organization:unit_export"), {"columns": "code,name"})
    rows = values(download(response))
    assert rows[0] == headers("name", "code")
    assert len(rows) == 1 + Unit.objects.count()
    # The list page remembers the choice and its export link carries it.
    page = client.get(reverse("organization:unit_list"))
    assert [c.name for c in page.context["table"].columns] == ["name", "code"]
    assert "columns=name%2Ccode" in page.context["export_url"]


def test_export_of_a_reporter_holds_only_her_scope(world, login):
    add_units(world.street_b, 2, prefix="B")
    client = login(world.reporter_a)
    rows = values(download(client.get(reverse("organization:unit_export"))))
    exported = {r[1] for r in rows[1:]}
    assert exported == set(Unit.objects.visible_to(world.reporter_a).values_list("code", flat=True))
    assert exported == {"A", "A1"}


def test_filename_is_rfc5987_encoded_chinese(world, login):
    response = login(world.admin).get(reverse("organization:unit_export"))
    disposition = response["Content-Disposition"]
    stamp = timezone.localtime().strftime("%Y%m%d")
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('单位')}-{stamp}-" in disposition
    assert disposition.endswith(".xlsx")


def test_rendered_columns_are_exported_as_the_page_shows_them(world, login):
    from zhaoshang.organization.models import PeerGroup

    group = PeerGroup.objects.create(name="同城组甲", owner_unit=world.district)
    world.street_a.peer_group = group
    world.street_a.save()
    world.street_b.peer_group = group
    world.street_b.save()
    assert hasattr(PeerGroupTable, "render_unit_count")
    rows = values(download(login(world.admin).get(reverse("organization:peergroup_export"))))
    assert rows[1][:3] == ["同城组甲", "临江区", 2]


class TypedUnitTable(BaseTable):
    money = tables.Column(accessor="depth", verbose_name="总投资（万元）")
    day = tables.Column(accessor="created_at", verbose_name="登记日期")
    code = tables.Column()

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("name", "kind", "parent", "is_active", "depth", "created_at", "notes")
        sequence = ("name", "kind", "parent", "is_active", "depth", "created_at", "notes")
        export_paths = {
            "money": Cast("depth", DecimalField(max_digits=12, decimal_places=2)),
            "day": TruncDate("created_at"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []

    def export_value_code(self, value, row, user):
        self.calls.append((value, row["name"], user))
        return value if user.is_superuser else value[:1] + "***"


def test_cells_are_typed_formulas_neutralised_and_the_hook_masks(world):
    world.street_a.notes = "=1+1"
    world.street_a.save()
    table = TypedUnitTable(Unit.objects.filter(code="A"))
    buffer = io.BytesIO()
    with translation.override("zh-hans"):
        assert write_workbook(buffer, table, table.data.data, world.reporter_a, title="单位") == 1
    header, row = read(buffer.getvalue())
    expected = [
        *headers("name", "kind", "parent", "is_active", "depth", "created_at", "notes"),
        "总投资（万元）",
        "登记日期",
        *headers("code"),
    ]
    # "active" has two translations (django.contrib.auth's wins in a request): skip it.
    assert [c.value for i, c in enumerate(header) if i != 3] == expected[:3] + expected[4:]
    name, kind, parent, active, depth, created, notes, money, day, code = row
    assert (name.value, kind.value, parent.value, active.value) == (
        "东湖街道",
        "街道",
        "临江区",
        "是",
    )
    assert depth.value == 2 and depth.data_type == "n"
    local = timezone.localtime(world.street_a.created_at).replace(tzinfo=None, microsecond=0)
    assert isinstance(created.value, datetime) and created.is_date
    assert abs((created.value.replace(microsecond=0) - local).total_seconds()) <= 1
    assert created.number_format == "yyyy-mm-dd hh:mm"
    assert notes.value == "'=1+1" and notes.data_type == "s"
    assert money.value == 2 and money.data_type == "n" and money.number_format == "#,##0.00"
    assert day.is_date and day.value.date() == local.date()
    assert day.number_format == "yyyy-mm-dd"
    assert code.value == "A***"
    assert table.calls == [("A", "东湖街道", world.reporter_a)]


def test_every_formula_trigger_is_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("总投资") == "总投资"
    assert neutralise("") == ""


def test_field_types_map_to_cell_kinds():
    kinds = {
        "amount": (models.DecimalField(max_digits=14, decimal_places=2), "number"),
        "signed_on": (models.DateField(), "date"),
        "updated": (models.DateTimeField(), "datetime"),
        "count": (models.IntegerField(), "number"),
        "flag": (models.BooleanField(), "bool"),
        "title": (models.CharField(max_length=10), "text"),
        "stage": (models.CharField(max_length=10, choices=[("a", "甲")]), "choice"),
    }
    for name, (field, kind) in kinds.items():
        column = _column_for_field(name, name, name, field)
        assert column.kind == kind, name
    assert _column_for_field("a", "a", "a", kinds["amount"][0]).decimal_places == 2
    assert _column_for_field("s", "s", "s", kinds["stage"][0]).choices == {"a": "甲"}


def test_bad_query_never_fails(world, login):
    client = login(world.admin)
    bad = {"per_page": "abc", "page": "-3", "sort": "nope", "columns": "bogus,,", "kind": "x"}
    assert client.get(reverse("organization:unit_list"), bad).status_code == 200
    # An invalid filter (kind=x) sends the export back to the page, which shows the error.
    response = client.get(reverse("organization:unit_export"), bad)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_decimal_totals_and_number_cells_are_exact(world):
    table = TypedUnitTable(Unit.objects.filter(code__in=["A", "B"]))
    buffer = io.BytesIO()
    write_workbook(buffer, table, table.data.data, world.admin, title="x")
    moneys = [row[7].value for row in read(buffer.getvalue())[1:]]
    assert [Decimal(str(m)) for m in moneys] == [Decimal("2"), Decimal("2")]


def test_export_with_an_invalid_filter_exports_nothing(world, login):
    from django.urls import reverse

    client = login(world.bureau)
    response = client.get(reverse("pipeline:project_export") + "?stage=no-such-stage")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("pipeline:project_list") + "?stage=")
    page = client.get(response["Location"])
    assert "筛选条件有误，未导出任何数据。" in page.content.decode()
