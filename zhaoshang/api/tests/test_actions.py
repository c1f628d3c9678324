"""Lead actions (verify, drop, convert) and evidence files through the API: the pages' rules."""

import io
import zipfile

import pytest

from zhaoshang.api.tests.helpers import token_client
from zhaoshang.pipeline.evidence import MAX_SIZE
from zhaoshang.pipeline.models import Evidence, Lead, Milestone, Project
from zhaoshang.pipeline.tests.factories import make_project

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def lead(world):
    return Lead.objects.create(
        unit=world.street_a, enterprise_name="某新材料公司", channel="team", summary="扩产"
    )


def url(lead, name):
    return f"/api/pipeline/leads/{lead.pk}/{name}/"


def test_verify_then_convert(world, lead):
    client = token_client(world.reporter_a)
    response = client.post(url(lead, "verify"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "verified"
    again = client.post(url(lead, "verify"))
    assert again.status_code == 400 and chinese(again.json()["errors"]["status"][0])
    response = client.post(
        url(lead, "convert"),
        {"stage": "negotiating", "stage_date": "2026-02-01", "total_investment": "30000"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    project = Project.objects.get(pk=response.json()["id"])
    assert project.lead == lead and project.name == "某新材料公司"
    assert project.responsible_unit == world.street_a and project.stage == "negotiating"
    assert response.json()["total_investment"] == "30000.00"
    assert Milestone.objects.filter(project=project, stage="negotiating").count() == 1
    lead.refresh_from_db()
    assert lead.status == "converted"
    response = client.post(url(lead, "convert"), {"stage_date": "2026-02-01"}, format="json")
    assert response.status_code == 400
    assert Project.objects.filter(lead=lead).count() == 1


def test_convert_needs_a_verified_lead_and_valid_input(world, lead):
    client = token_client(world.reporter_a)
    response = client.post(url(lead, "convert"), {"stage_date": "2026-02-01"}, format="json")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    client.post(url(lead, "verify"))
    for body, field in (
        ({"stage_date": ""}, "stage_date"),
        ({"stage_date": "2999-01-01"}, "stage_date"),
        ({"stage_date": "2026-02-01", "stage": "signed"}, "stage"),
        ({"stage_date": "2026-02-01", "responsible_unit": world.street_b.pk}, "responsible_unit"),
        ({"stage_date": "2026-02-01", "total_investment": "很多"}, "total_investment"),
    ):
        response = client.post(url(lead, "convert"), body, format="json")
        assert response.status_code == 400, body
        errors = response.json()["errors"]
        assert field in errors and chinese(errors[field][0]), (body, errors)
    assert not Project.objects.exists()
    lead.refresh_from_db()
    assert lead.status == "verified"


def test_drop_needs_a_reason(world, lead):
    client = token_client(world.reporter_a)
    for body in ({}, {"reason": "   "}, {"reason": ["x"]}, [1]):
        response = client.post(url(lead, "drop"), body, format="json")
        assert response.status_code == 400, body
        assert "reason" in response.json()["errors"]
    lead.refresh_from_db()
    assert lead.status == "new"
    response = client.post(url(lead, "drop"), {"reason": "企业已在外地落户"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "dropped"
    assert response.json()["drop_reason"] == "企业已在外地落户"
    again = client.post(url(lead, "drop"), {"reason": "再放弃"}, format="json")
    assert again.status_code == 400 and chinese(again.json()["errors"]["status"][0])
    assert client.post(url(lead, "verify")).status_code == 400


@pytest.mark.parametrize("action", ["verify", "drop", "convert"])
def test_lead_actions_by_role_and_scope(world, lead, action):
    other = Lead.objects.create(
        unit=world.street_b, enterprise_name="乙", channel="team", summary="x", status="verified"
    )
    Lead.objects.filter(pk=lead.pk).update(status="verified" if action == "convert" else "new")
    body = {"reason": "不符合产业导向", "stage_date": "2026-02-01"}
    # Out of sight: 404; in sight without the right: 403 (viewer, leader).
    assert token_client(world.reporter_a).post(url(other, action), body).status_code == 404
    for role in ("viewer_a", "leader"):
        response = token_client(getattr(world, role)).post(url(lead, action), body, format="json")
        assert response.status_code == 403, role
    assert token_client(world.admin).post(url(lead, action), body).status_code == 403
    lead.refresh_from_db()
    other.refresh_from_db()
    assert lead.status in ("new", "verified") and other.status == "verified"
    response = token_client(world.bureau).post(url(lead, action), body, format="json")
    assert response.status_code in (200, 201), response.json()


def test_advisor_cannot_act_on_their_lead(world):
    client = token_client(world.advisor_a)
    created = client.post(
        "/api/pipeline/leads/",
        {"enterprise_name": "顾问线索", "channel": "advisor", "summary": "x"},
        format="json",
    ).json()
    assert client.post(f"/api/pipeline/leads/{created['id']}/verify/").status_code == 403


# --- evidence ----------------------------------------------------------------------------


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, project, content, name="批文.pdf", **extra):
    file = io.BytesIO(content)
    file.name = name
    body = {"project": project.pk, "kind": "approval", "file": file, **extra}
    return client.post("/api/pipeline/evidence/", body, format="multipart")


def test_upload_download_and_metadata(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(world.street_a)
    client = token_client(world.reporter_a)
    response = upload(client, project, PDF, description="立项批复")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    assert body["original_name"] == "批文.pdf" and body["description"] == "立项批复"
    assert "file" not in body
    download = client.get(body["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    listed = client.get("/api/pipeline/evidence/", {"project": project.pk}).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]]
    # The type comes from the content, not from the name.
    response = upload(client, project, docx_bytes(), name="scan.pdf")
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"].endswith("wordprocessingml.document")
    # Metadata can be changed in JSON with the version; the file stays.
    evidence = Evidence.objects.get(pk=body["id"])
    response = client.patch(
        f"/api/pipeline/evidence/{evidence.pk}/",
        {"description": "立项批复（盖章）", "version": body["version"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["size"] == len(PDF)
    assert b"".join(client.get(body["download"]).streaming_content) == PDF
    # A multipart PATCH replaces the file, checked as on creation.
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    file = io.BytesIO(png)
    file.name = "照片.png"
    url = f"/api/pipeline/evidence/{evidence.pk}/"
    version = response.json()["version"]
    response = client.patch(url, {"file": file}, format="multipart", HTTP_IF_MATCH=version)
    assert response.status_code == 200, response.json()
    assert response.json()["content_type"] == "image/png"
    assert response.json()["original_name"] == "照片.png"
    assert b"".join(client.get(body["download"]).streaming_content) == png


def test_upload_refuses_what_the_page_refuses(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(world.street_a)
    client = token_client(world.reporter_a)
    for content, name in (
        (b"MZ\x90\x00 not a pdf", "合同.pdf"),
        (b"<html><script>alert(1)</script>", "a.html"),
        (b"PK\x03\x04broken zip", "a.docx"),
    ):
        response = upload(client, project, content, name=name)
        assert response.status_code == 400, name
        assert chinese(response.json()["errors"]["file"][0])
    too_big = PDF + b"0" * (MAX_SIZE + 1 - len(PDF))
    response = upload(client, project, too_big)
    assert response.status_code == 400
    assert "20 MB" in response.json()["errors"]["file"][0]
    response = client.post(
        "/api/pipeline/evidence/", {"project": project.pk, "kind": "approval"}, format="json"
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]
    other = make_project(world.street_b, name="乙项目")
    response = upload(client, other, PDF)
    assert response.status_code == 400 and "project" in response.json()["errors"]
    assert not Evidence.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_evidence_of_another_unit_is_404_and_viewer_cannot_upload(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project_b = make_project(world.street_b)
    created = upload(token_client(world.reporter_b), project_b, PDF).json()
    client = token_client(world.reporter_a)
    assert client.get(created["download"]).status_code == 404
    assert client.get(f"/api/pipeline/evidence/{created['id']}/").status_code == 404
    assert token_client(world.bureau).get(created["download"]).status_code == 200
    viewer = token_client(world.viewer_a)
    assert upload(viewer, make_project(world.street_a, name="甲"), PDF).status_code == 403
    Evidence.objects.filter(pk=created["id"]).update(file="evidence/missing.pdf")
    missing = token_client(world.reporter_b).get(created["download"])
    assert missing.status_code == 404 and "errors" in missing.json()


def test_an_unknown_api_address_is_a_json_404_even_with_a_newline(world):
    client = token_client(world.bureau)
    client.handler.enforce_csrf_checks = True  # as a client with a session cookie meets it
    for address in (
        "/api/no-such-endpoint/",
        "/api/pipeline/leads/1%0A2/convert/",  # found by schemathesis: an encoded newline
        "/api/pipeline/leads/%C2%B5%0A/",
    ):
        for response in (client.get(address), client.post(address, {}, format="json")):
            assert response.status_code == 404, address
            assert response["Content-Type"].startswith("application/json"), address
            assert response.json()["errors"], address
