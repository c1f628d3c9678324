"""The import pages through the test client: upload, mapping, preview, commit, undo."""

import re

from zhaoshang.imports.models import BatchStatus, ImportBatch, SavedMapping
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
