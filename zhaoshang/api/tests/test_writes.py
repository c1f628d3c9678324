"""Writes: versions (409 on a stale update), all-or-nothing bulk, the stage move, errors."""

import datetime

import pytest

from zhaoshang.api.base import version_of
from zhaoshang.api.tests.helpers import token_client
from zhaoshang.pipeline.models import Lead, Milestone, Project
from zhaoshang.pipeline.tests.factories import make_project


@pytest.fixture
def project(world):
    return make_project(world.street_a, name="新材料项目", total_investment=50000)


def test_retrieve_gives_the_version_as_etag(world, project):
    response = token_client(world.reporter_a).get(f"/api/pipeline/projects/{project.pk}/")
    assert response["ETag"] == f'"{version_of(project)}"'
    assert response.json()["version"] == version_of(project)


def test_update_with_current_version_saves_and_changes_the_version(world, project):
    client = token_client(world.reporter_a)
    url = f"/api/pipeline/projects/{project.pk}/"
    etag = client.get(url)["ETag"]
    changes = {"total_investment": "80000.00"}
    response = client.patch(url, changes, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    project.refresh_from_db()
    assert project.total_investment == 80000
    assert response["ETag"] != etag


def test_stale_update_is_409_and_changes_nothing(world, project):
    client = token_client(world.reporter_a)
    url = f"/api/pipeline/projects/{project.pk}/"
    stale = client.get(url).json()["version"]
    first = client.patch(url, {"name": "第一次", "version": stale}, format="json")
    assert first.status_code == 200
    second = client.patch(url, {"name": "第二次", "version": stale}, format="json")
    assert second.status_code == 409
    assert "errors" in second.json()
    project.refresh_from_db()
    assert project.name == "第一次"
    put = client.put(url, {"name": "第三次"}, format="json", HTTP_IF_MATCH=f'"{stale}"')
    assert put.status_code == 409
    project.refresh_from_db()
    assert project.name == "第一次"


def test_update_without_version_is_428(world, project):
    client = token_client(world.reporter_a)
    response = client.patch(f"/api/pipeline/projects/{project.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 428
    project.refresh_from_db()
    assert project.name == "新材料项目"


def test_stale_delete_is_409(world, project):
    client = token_client(world.reporter_a)
    url = f"/api/pipeline/projects/{project.pk}/"
    response = client.delete(url, HTTP_IF_MATCH='"123"')
    assert response.status_code == 409
    assert Project.objects.filter(pk=project.pk).exists()


def lead(summary="有意向", **extra):
    return {"enterprise_name": "某公司", "channel": "team", "summary": summary, **extra}


def test_bulk_create_all_or_nothing(world):
    client = token_client(world.reporter_a)
    items = [lead(unit=world.street_a.pk), lead(summary="", unit=world.street_a.pk), lead()]
    response = client.post("/api/pipeline/leads/bulk/", items, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["1.summary"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors["1.summary"][0])
    assert Lead.objects.count() == 0

    response = client.post("/api/pipeline/leads/bulk/", [items[0], items[2]], format="json")
    assert response.status_code == 201
    assert Lead.objects.count() == 2 and len(response.json()) == 2


def test_bulk_update_all_or_nothing(world):
    client = token_client(world.reporter_a)
    created = client.post(
        "/api/pipeline/leads/bulk/", [lead(unit=world.street_a.pk)] * 2, format="json"
    ).json()
    changes = [
        {"id": created[0]["id"], "version": created[0]["version"], "summary": "已核实"},
        {"id": created[1]["id"], "version": "1", "summary": "已核实"},
    ]
    response = client.patch("/api/pipeline/leads/bulk/", changes, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["1.version"]
    assert not Lead.objects.filter(summary="已核实").exists()
    changes[1]["version"] = created[1]["version"]
    response = client.patch("/api/pipeline/leads/bulk/", changes, format="json")
    assert response.status_code == 200, response.json()
    assert Lead.objects.filter(summary="已核实").count() == 2


def test_bulk_of_another_units_record_is_refused(world):
    other = Lead.objects.create(
        unit=world.street_b, enterprise_name="乙", channel="team", summary="x"
    )
    client = token_client(world.reporter_a)
    items = [{"id": other.pk, "version": version_of(other), "summary": "改"}]
    response = client.patch("/api/pipeline/leads/bulk/", items, format="json")
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.summary == "x"


def test_move_applies_the_pages_rules(world, project):
    client = token_client(world.reporter_a)
    url = f"/api/pipeline/projects/{project.pk}/move/"
    back = client.post(url, {"stage": "signed", "date": "2026-02-01"}, format="json")
    assert back.status_code == 201, back.json()
    assert back.json()["stage"] == "signed"
    refused = client.post(url, {"stage": "lead", "date": "2026-02-02"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    refused = client.post(url, {"stage": "landed", "date": future}, format="json")
    assert "date" in refused.json()["errors"]
    project.refresh_from_db()
    assert project.stage == "signed"
    assert Milestone.objects.filter(project=project).count() == 2
    viewer = token_client(world.viewer_a)
    response = viewer.post(url, {"stage": "landed", "date": "2026-02-03"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"name": {"a": 1}},
        {"name": ["x"]},
        {"total_investment": "lots"},
        {"total_investment": True},
        {"responsible_unit": "abc"},
        {"stage_date": "yesterday"},
        [1, 2],
        "text",
    ],
)
def test_bad_input_is_400_json_never_500(world, payload):
    client = token_client(world.reporter_a)
    base = {"name": "项目", "responsible_unit": world.street_a.pk, "stage": "lead"}
    body = {**base, **payload} if isinstance(payload, dict) else payload
    response = client.post("/api/pipeline/projects/", body, format="json")
    assert response.status_code == 400
    assert isinstance(response.json()["errors"], dict)
    assert not Project.objects.exists()


def test_errors_are_chinese_per_field(world):
    client = token_client(world.reporter_a)
    response = client.post("/api/pipeline/projects/", {"name": ""}, format="json")
    errors = response.json()["errors"]
    assert "name" in errors and "responsible_unit" in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors["name"][0])


def test_malformed_json_and_unknown_address_are_json(world):
    client = token_client(world.reporter_a)
    response = client.generic(
        "POST", "/api/pipeline/projects/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and "errors" in response.json()
    response = client.get("/api/no/such/thing/")
    assert response.status_code == 404 and "errors" in response.json()


def test_filters_ordering_brief_and_page_size(world):
    client = token_client(world.bureau)
    make_project(world.street_a, name="甲", stage="signed", total_investment=100)
    make_project(world.street_b, name="乙", stage="lead", total_investment=300)
    make_project(world.street_b, name="丙", stage="signed", total_investment=200)
    url = "/api/pipeline/projects/"
    names = [p["name"] for p in client.get(url, {"stage": "signed"}).json()["results"]]
    assert sorted(names) == ["丙", "甲"]
    names = [
        p["name"] for p in client.get(url, {"ordering": "-total_investment"}).json()["results"]
    ]
    assert names == ["乙", "丙", "甲"]
    within = client.get(url, {"within": world.street_b.pk}).json()
    assert within["count"] == 2
    brief = client.get(url, {"brief": "1"}).json()["results"][0]
    assert set(brief) == {"id", "display"}
    page = client.get(url, {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    assert client.get(url, {"page_size": 100000}).status_code == 200
    assert client.get(url, {"stage": "nonsense"}).status_code == 400
    assert client.get(url, {"within": world.other_street.pk}).status_code == 400


def test_enterprise_tags_and_contact_phone_masking(world):
    client = token_client(world.reporter_a)
    response = client.post(
        "/api/enterprises/enterprises/",
        {"name": "江州新材料有限公司", "unit": world.street_a.pk, "tags": ["fortune_global_500"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["tags"] == ["fortune_global_500"]
    enterprise = response.json()["id"]
    response = client.post(
        "/api/enterprises/contacts/",
        {"enterprise": enterprise, "name": "李四", "phone": "13812345678"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    contact = response.json()["id"]
    shown = token_client(world.viewer_a).get(f"/api/enterprises/contacts/{contact}/").json()
    assert shown["phone"] == "138****5678"


def test_delete_of_a_referenced_record_is_409_and_keeps_it(world):
    from zhaoshang.enterprises.models import Enterprise

    investor = Enterprise.objects.create(name="江州投资集团", unit=world.street_a)
    make_project(world.street_a, investor=investor)
    client = token_client(world.reporter_a)
    response = client.delete(f"/api/enterprises/enterprises/{investor.pk}/")
    assert response.status_code == 409
    assert Enterprise.objects.filter(pk=investor.pk).exists()


def test_schema_speaks_chinese(world):
    schema = token_client(world.reporter_a).get("/api/schema/").json()
    assert schema["info"]["title"] == "招商引资管理平台 API"
    move = schema["paths"]["/api/pipeline/projects/{id}/move/"]["post"]
    assert "里程碑" in move["description"]
    assert schema["paths"]["/api/pipeline/projects/"]["get"]["tags"] == ["项目"]
    # Every model endpoint carries its Chinese description (not DRF's class attribute).
    listed = schema["paths"]["/api/pipeline/projects/"]["get"]["description"]
    assert listed.startswith("项目")
    figures = schema["paths"]["/api/targets/figures/"]["get"]
    assert figures["tags"] == ["指标完成情况"] and "时间进度" in figures["description"]
