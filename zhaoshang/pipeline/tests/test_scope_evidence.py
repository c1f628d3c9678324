"""Unit scope of projects and their child records; evidence checked by content and
downloaded only through the scope."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhaoshang.pipeline.models import Approval, Evidence, Project
from zhaoshang.pipeline.tests.factories import make_project

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def ooxml(main_type):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/main.xml" ContentType="{main_type}"/></Types>',
        )
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, project, name, content, kind="contract"):
    return client.post(
        reverse("pipeline:evidence_add_to_project", args=[project.pk]),
        {"project": project.pk, "kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_renamed_exe_is_refused_real_pdf_is_accepted(world, login):
    project = make_project(world.street_a)
    client = login(world.reporter_a)
    response = upload(client, project, "合同.pdf", EXE)
    assert response.status_code == 200
    assert "只允许" in response.content.decode()
    assert not Evidence.objects.exists()
    response = upload(client, project, "合同.pdf", PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF) and evidence.original_name == "合同.pdf"
    download = client.get(reverse("pipeline:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_docx_is_recognised_by_its_content_types_plain_zip_is_not(world, login):
    project = make_project(world.street_a)
    client = login(world.reporter_a)
    assert upload(client, project, "批复.docx", ooxml(DOCX_MAIN)).status_code == 302
    assert Evidence.objects.get().content_type.endswith("wordprocessingml.document")
    assert upload(client, project, "数据.xlsx", ooxml("application/zip")).status_code == 200
    # A PNG named .docx is stored as what it is.
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    assert upload(client, project, "照片.docx", png).status_code == 302
    assert Evidence.objects.filter(content_type="image/png").count() == 1


def test_file_over_20_mb_is_refused(world, login):
    project = make_project(world.street_a)
    client = login(world.reporter_a)
    response = upload(client, project, "big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    assert response.status_code == 200
    assert "20 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_reporter_a_gets_404_on_street_b_project_edit_move_and_download(world, login):
    project_b = make_project(world.street_b, name="西山项目")
    client_b = login(world.reporter_b)
    assert upload(client_b, project_b, "合同.pdf", PDF).status_code == 302
    evidence = Evidence.objects.get()
    approval = Approval.objects.create(
        project=project_b, name="环评", deadline=datetime.date(2026, 1, 1)
    )
    client = login(world.reporter_a)
    for url in (
        project_b.get_absolute_url(),
        reverse("pipeline:project_edit", args=[project_b.pk]),
        reverse("pipeline:project_move", args=[project_b.pk]),
        reverse("pipeline:evidence_download", args=[evidence.pk]),
        evidence.get_absolute_url(),
        approval.get_absolute_url(),
        reverse("pipeline:approval_add_to_project", args=[project_b.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # Nor may she file a record under it by posting its id.
    response = client.post(
        reverse("pipeline:approval_add"),
        {"project": project_b.pk, "name": "能评", "deadline": "2026-05-01"},
    )
    assert response.status_code == 200
    assert Approval.objects.count() == 1
    # The ledgers do not list them.
    assert "西山项目" not in client.get(reverse("pipeline:project_list")).content.decode()
    assert "环评" not in client.get(reverse("pipeline:approval_list")).content.decode()
    # The district bureau sees both; the viewer of street B reads but may not download? yes.
    assert login(world.bureau).get(project_b.get_absolute_url()).status_code == 200


def test_viewer_reads_but_may_not_move_or_edit(world, login):
    project = make_project(world.street_a)
    client = login(world.viewer_a)
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(reverse("pipeline:project_move", args=[project.pk])).status_code == 403
    assert client.get(reverse("pipeline:project_edit", args=[project.pk])).status_code == 403
    assert "推进阶段" not in client.get(project.get_absolute_url()).content.decode()


def test_overdue_approvals_highlighted_filtered_and_counted_per_unit(world, login):
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=3), today + datetime.timedelta(days=10)
    project_a = make_project(world.street_a, name="东湖项目")
    project_b = make_project(world.street_b, name="西山项目")
    Approval.objects.create(project=project_a, name="环评", deadline=past)
    Approval.objects.create(project=project_a, name="能评", deadline=past)
    Approval.objects.create(project=project_a, name="施工许可", deadline=future)
    Approval.objects.create(project=project_a, name="土地摘牌", deadline=past, done_date=past)
    Approval.objects.create(project=project_b, name="环评", deadline=past)
    client = login(world.bureau)
    response = client.get(reverse("pipeline:approval_list"), {"overdue": "true"})
    names = sorted(row.record.name for row in response.context["table"].rows)
    assert names == ["环评", "环评", "能评"]
    assert {
        r["project__responsible_unit__name"]: r["count"]
        for r in response.context["overdue_by_unit"]
    } == {"东湖街道": 2, "西山街道": 1}
    html = client.get(project_a.get_absolute_url()).content.decode()
    assert html.count('data-testid="overdue"') == 2
    assert "2 项逾期" in html
    # reporter_a's count covers only her street.
    response = login(world.reporter_a).get(reverse("pipeline:approval_list"))
    assert [r["count"] for r in response.context["overdue_by_unit"]] == [2]


def test_child_records_are_logged_under_the_project_unit(world, login):
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeLogEntry

    project = make_project(world.street_a)
    approval = Approval.objects.create(project=project, name="环评", deadline=timezone.localdate())
    entry = ChangeLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Approval), object_id=str(approval.pk)
    )
    assert entry.unit == world.street_a
    assert Project.objects.visible_to(world.reporter_b).count() == 0


def test_deleting_evidence_removes_its_file(
    world, login, settings, django_capture_on_commit_callbacks
):
    project = make_project(world.street_a)
    client = login(world.reporter_a)
    upload(client, project, "合同.pdf", PDF)
    evidence = Evidence.objects.get()
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pipeline:evidence_delete", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    import os

    assert not os.path.exists(path)
