"""Each role × the API's endpoints, and the unit scope on every verb: a street-A token
gets 404 for street B's records (and never sees them in a list)."""

import datetime

import pytest

from zhaoshang.activities.models import Activity
from zhaoshang.api.tests.helpers import token_client
from zhaoshang.carriers.models import Building, LandParcel, Park
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.pipeline.models import Approval, Evidence, Lead, ProjectIssue
from zhaoshang.pipeline.tests.factories import make_project
from zhaoshang.targets.models import Indicator, ReportedValue, Target


def make_records(unit, n):
    """One record of each writable business model in `unit`; {endpoint: record}."""
    enterprise = Enterprise.objects.create(name=f"企业{unit.code}{n}", unit=unit)
    project = make_project(unit, name=f"项目{unit.code}")
    indicator = Indicator.objects.create(
        code=f"own_{unit.code}{n}",
        name=f"自定指标{unit.code}",
        owner_unit=unit,
        unit_of_measure="万元",
        source="reported",
    )
    return {
        "enterprises/enterprises": enterprise,
        "enterprises/contacts": Contact.objects.create(enterprise=enterprise, name="张三"),
        "pipeline/leads": Lead.objects.create(
            unit=unit, enterprise_name="线索企业", channel="team", summary="x"
        ),
        "pipeline/projects": project,
        "pipeline/approvals": Approval.objects.create(
            project=project, name="环评", deadline=datetime.date(2026, 3, 1)
        ),
        "pipeline/issues": ProjectIssue.objects.create(project=project, problem="用地"),
        "activities/activities": Activity.objects.create(
            unit=unit, kind="visit", title="拜访", start_date=datetime.date(2026, 2, 1)
        ),
        "carriers/parks": Park.objects.create(unit=unit, name=f"园区{unit.code}"),
        "carriers/parcels": LandParcel.objects.create(
            unit=unit, code=f"DK{unit.code}", name="地块", land_use="industrial", area_mu=10
        ),
        "carriers/buildings": Building.objects.create(
            unit=unit, name=f"楼宇{unit.code}", total_floor_area=1000, vacant_floor_area=100
        ),
        "pipeline/evidence": Evidence.objects.create(
            project=project, kind="approval", file=f"evidence/{unit.code}.pdf"
        ),
        "targets/indicators": indicator,
        "targets/targets": Target.objects.create(
            indicator=indicator, unit=unit, year=2026, annual=100
        ),
        "targets/reported-values": ReportedValue.objects.create(
            indicator=indicator, unit=unit, year=2026, month=1, value=10
        ),
    }


@pytest.fixture
def records(world):
    return {
        "A": make_records(world.street_a, 1),
        "B": make_records(world.street_b, 2),
        "E1": make_records(world.other_street, 3),
    }


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_street_a_token_gets_404_for_street_b_on_every_verb(world, records):
    client = token_client(world.reporter_a)
    for endpoint, obj in records["B"].items():
        url = f"/api/{endpoint}/{obj.pk}/"
        assert client.get(url).status_code == 404, endpoint
        assert client.patch(url, {"version": "1"}, format="json").status_code == 404, endpoint
        assert client.put(url, {"version": "1"}, format="json").status_code == 404, endpoint
        assert client.delete(url).status_code == 404, endpoint
        listed = client.get(f"/api/{endpoint}/", {"page_size": 500})
        assert listed.status_code == 200, endpoint
        assert obj.pk not in ids(listed), endpoint
        assert records["A"][endpoint].pk in ids(listed), endpoint
        body = response_body = client.get(url).json()
        assert set(body) == {"errors"}, response_body
    # Actions and file downloads of street B's records too.
    lead, evidence = records["B"]["pipeline/leads"], records["B"]["pipeline/evidence"]
    for name in ("verify", "drop", "convert"):
        response = client.post(f"/api/pipeline/leads/{lead.pk}/{name}/", {"reason": "x"})
        assert response.status_code == 404, name
    assert client.get(f"/api/pipeline/evidence/{evidence.pk}/download/").status_code == 404
    unit_b = records["B"]["pipeline/projects"].responsible_unit_id
    assert client.get("/api/targets/figures/", {"unit": unit_b}).status_code == 404
    lead.refresh_from_db()
    assert lead.status == "new"
    # Nothing of street B changed or disappeared.
    for endpoint, obj in records["B"].items():
        assert type(obj).objects.filter(pk=obj.pk).exists(), endpoint


def test_move_of_another_units_project_is_404(world, records):
    client = token_client(world.reporter_a)
    project = records["B"]["pipeline/projects"]
    url = f"/api/pipeline/projects/{project.pk}/move/"
    response = client.post(url, {"stage": "negotiating", "date": "2026-02-01"}, format="json")
    assert response.status_code == 404


# role -> verb -> statuses for the project in A, B, E1, in the pages' order: no view
# right 403, out of sight 404, in sight without the right 403.
PROJECT = {
    "admin": {"get": "403 403 403", "patch": "403 403 403", "delete": "403 403 403"},
    "bureau": {"get": "200 200 404", "patch": "200 200 404", "delete": "204 204 404"},
    "leader": {"get": "200 200 404", "patch": "403 403 404", "delete": "403 403 404"},
    "reporter_a": {"get": "200 404 404", "patch": "200 404 404", "delete": "204 404 404"},
    "viewer_a": {"get": "200 404 404", "patch": "403 404 404", "delete": "403 404 404"},
    "advisor_a": {"get": "403 403 403", "patch": "403 403 403", "delete": "403 403 403"},
}
# The same for a target: set from above, so a street's reporter only reads its own.
TARGET = {
    "admin": {"get": "403 403 403", "patch": "403 403 403", "delete": "403 403 403"},
    "bureau": {"get": "200 200 404", "patch": "200 200 404", "delete": "204 204 404"},
    "leader": {"get": "200 200 404", "patch": "403 403 404", "delete": "403 403 404"},
    "reporter_a": {"get": "200 404 404", "patch": "403 404 404", "delete": "403 404 404"},
    "viewer_a": {"get": "200 404 404", "patch": "403 404 404", "delete": "403 404 404"},
    "advisor_a": {"get": "403 403 403", "patch": "403 403 403", "delete": "403 403 403"},
}
LEAD_LIST = {"admin": 403, "bureau": 200, "leader": 200, "reporter_a": 200, "viewer_a": 200}


@pytest.mark.parametrize("role", sorted(PROJECT))
@pytest.mark.parametrize("verb", ["get", "patch", "delete"])
def test_project_role_matrix(world, records, role, verb):
    client = token_client(getattr(world, role))
    got = []
    for key in ("A", "B", "E1"):
        project = records[key]["pipeline/projects"]
        url = f"/api/pipeline/projects/{project.pk}/"
        if verb == "get":
            response = client.get(url)
        elif verb == "patch":
            response = client.patch(
                url, {"focus_industry": "新材料"}, format="json", HTTP_IF_MATCH="*"
            )
            if response.status_code == 409:  # allowed, but If-Match: * is not a version
                project.refresh_from_db()
                from zhaoshang.api.base import version_of

                response = client.patch(
                    url, {"focus_industry": "新材料", "version": version_of(project)}, format="json"
                )
        else:
            # Child records cascade; the project's delete is what is being checked.
            response = client.delete(url)
        got.append(str(response.status_code))
    assert " ".join(got) == PROJECT[role][verb], (role, verb)


@pytest.mark.parametrize("role", sorted(TARGET))
@pytest.mark.parametrize("verb", ["get", "patch", "delete"])
def test_target_role_matrix(world, records, role, verb):
    from zhaoshang.api.base import version_of

    client = token_client(getattr(world, role))
    got = []
    for key in ("A", "B", "E1"):
        target = records[key]["targets/targets"]
        url = f"/api/targets/targets/{target.pk}/"
        if verb == "get":
            response = client.get(url)
        elif verb == "patch":
            body = {"annual": "120", "version": version_of(target)}
            response = client.patch(url, body, format="json")
        else:
            response = client.delete(url)
        got.append(str(response.status_code))
    assert " ".join(got) == TARGET[role][verb], (role, verb)


@pytest.mark.parametrize("role", sorted(LEAD_LIST))
def test_lead_list_by_role(world, records, role):
    response = token_client(getattr(world, role)).get("/api/pipeline/leads/")
    assert response.status_code == LEAD_LIST[role]


def test_advisor_sees_only_own_leads_and_files_them_under_own_unit(world, records):
    client = token_client(world.advisor_a)
    assert client.get("/api/pipeline/leads/").json()["count"] == 0
    response = client.post(
        "/api/pipeline/leads/",
        {
            "enterprise_name": "某新能源公司",
            "channel": "advisor",
            "summary": "有扩产意向",
            "unit": world.street_b.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    lead = Lead.objects.get(pk=response.json()["id"])
    assert lead.unit == world.street_a and lead.submitted_by == world.advisor_a
    assert ids(client.get("/api/pipeline/leads/")) == {lead.pk}


def test_create_limits_the_unit_to_the_users_scope(world):
    client = token_client(world.reporter_a)
    response = client.post(
        "/api/carriers/parks/", {"name": "越界园区", "unit": world.street_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["errors"]
    assert not Park.objects.filter(name="越界园区").exists()
    response = client.post(
        "/api/carriers/parks/", {"name": "本街园区", "unit": world.street_a.pk}, format="json"
    )
    assert response.status_code == 201


def test_unauthenticated_is_401_json(world, records):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/pipeline/projects/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "errors" in response.json()


def test_users_and_units_are_scoped(world):
    client = token_client(world.reporter_a)
    usernames = {u["username"] for u in client.get("/api/organization/users/").json()["results"]}
    assert "reporter_a" in usernames and "reporter_b" not in usernames
    assert client.post("/api/organization/users/", {}, format="json").status_code == 405
    codes = {u["code"] for u in client.get("/api/organization/units/").json()["results"]}
    assert codes == {"A", "A1"}
