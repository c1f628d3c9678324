"""The import pages through the test client: upload, mapping, preview, commit, undo."""

import re

import pytest

from zhaoshang.imports.declarations import RECORD_TYPES
from zhaoshang.imports.header import detect_header, is_skipped
from zhaoshang.imports.models import BatchStatus, ImportBatch, SavedMapping
from zhaoshang.imports.reading import read_sheets
from zhaoshang.imports.tests.helpers import project_rows, write_xlsx
from zhaoshang.pipeline.models import Project


def upload(client, path, record_type="project"):
    with open(path, "rb") as handle:
        return client.post(
            "/imports/new/", {"record_type": record_type, "file": handle}, follow=False
        )


def test_upload_map_preview_commit_and_undo(world, login, tmp_path):
    client = login(world.reporter_a)
    assert client.get("/imports/").status_code == 200
    response = upload(client, write_xlsx(tmp_path / "台账.xlsx", project_rows()))
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = ImportBatch.objects.get()
    page = client.get(f"/imports/{batch.pk}/mapping/").content.decode()
    assert "总投资（万元）" in page and "东湖新能源电池项目" in page
    fields = {f"col-{c['index']}": c["field"] for c in batch.mapping}
    response = client.post(f"/imports/{batch.pk}/mapping/", fields)
    assert response.status_code == 302
    assert SavedMapping.objects.count() == 1
    page = client.get(f"/imports/{batch.pk}/preview/").content.decode()
    assert re.search(r'data-testid="count-create">3<', page), page
    assert "约2亿" in page
    response = client.post(f"/imports/{batch.pk}/commit/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.created_count == 3
    assert Project.objects.count() == 3
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "东湖新能源电池项目" in page
    assert client.get("/imports/").status_code == 200
    response = client.post(f"/imports/{batch.pk}/undo/")
    assert response.status_code == 302
    assert Project.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE


def test_template_download(world, login):
    client = login(world.reporter_a)
    response = client.get("/imports/templates/project.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_a_confirmed_mapping_is_used_for_the_next_file_of_the_same_shape(world, login, tmp_path):
    client = login(world.reporter_a)
    header = ["项目名称", "金额（亿元）"]
    from zhaoshang.imports.tests.helpers import write_csv

    upload(client, write_csv(tmp_path / "a.csv", header, [["甲项目", "1"]]))
    batch = ImportBatch.objects.get()
    assert [c["field"] for c in batch.mapping] == ["name", ""]
    client.post(f"/imports/{batch.pk}/mapping/", {"col-0": "name", "col-1": "total_investment"})
    upload(client, write_csv(tmp_path / "b.csv", header, [["乙项目", "2"]]))
    second = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert [c["field"] for c in second.mapping] == ["name", "total_investment"]
    client.post(f"/imports/{second.pk}/commit/")
    assert Project.objects.get(name="乙项目").total_investment == 20000


def test_pages_are_scoped(world, login, tmp_path):
    client = login(world.reporter_a)
    upload(client, write_xlsx(tmp_path / "a.xlsx", project_rows()))
    batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/commit/")
    other = login(world.reporter_b)
    assert other.get(f"/imports/{batch.pk}/").status_code == 404
    assert other.post(f"/imports/{batch.pk}/undo/").status_code == 404
    assert "台账.xlsx" not in other.get("/imports/").content.decode()
    bureau = login(world.bureau)
    assert bureau.get(f"/imports/{batch.pk}/").status_code == 200
    viewer = login(world.viewer_a)
    assert viewer.get("/imports/new/").status_code == 403


@pytest.mark.parametrize("code", sorted(RECORD_TYPES))
def test_every_template_maps_back_to_its_own_fields(world, login, tmp_path, code):
    response = login(world.bureau).get(f"/imports/templates/{code}.xlsx")
    path = tmp_path / f"{code}.xlsx"
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    sheet = read_sheets(path)[0]
    header = detect_header(RECORD_TYPES[code], sheet.rows)
    assert [c["field"] for c in header.columns] == [c.name for c in RECORD_TYPES[code].columns]
    assert is_skipped(sheet.rows[1])  # the note row


def test_preview_shows_changes_and_a_field_chosen_twice_is_refused(world, login, tmp_path):
    Project.objects.create(code="DH-001", name="旧名称", responsible_unit=world.street_a)
    client = login(world.reporter_a)
    upload(client, write_xlsx(tmp_path / "a.xlsx", project_rows()))
    batch = ImportBatch.objects.get()
    fields = {f"col-{c['index']}": c["field"] for c in batch.mapping}
    fields["col-5"] = "total_investment"  # 固定资产投资 as 总投资 too
    response = client.post(f"/imports/{batch.pk}/mapping/", fields, follow=True)
    assert "有两列都导入为“总投资（万元）”" in response.content.decode()
    fields["col-5"] = "fixed_asset_investment"
    client.post(f"/imports/{batch.pk}/mapping/", fields)
    page = client.get(f"/imports/{batch.pk}/preview/").content.decode()
    assert re.search(r'data-testid="count-update">1<', page)
    assert "旧名称 → <strong>东湖新能源电池项目</strong>" in page
