"""Each role × the project and lead pages, for records in street A (own), street B
(sibling) and E1 (another district): 200/302 allowed, 403 not granted, 404 out of scope."""

import pytest
from django.urls import reverse

from zhaoshang.pipeline.models import Lead
from zhaoshang.pipeline.tests.factories import make_project

# role -> page -> statuses for targets A, B, E1
PROJECT = {
    "admin": {"detail": "403 403 403", "edit": "403 403 403", "move": "403 403 403"},
    "bureau": {"detail": "200 200 404", "edit": "200 200 404", "move": "200 200 404"},
    "leader": {"detail": "200 200 404", "edit": "403 403 404", "move": "403 403 404"},
    "reporter_a": {"detail": "200 404 404", "edit": "200 404 404", "move": "200 404 404"},
    "viewer_a": {"detail": "200 404 404", "edit": "403 404 404", "move": "403 404 404"},
    "advisor_a": {"detail": "403 403 403", "edit": "403 403 403", "move": "403 403 403"},
}
LEAD = {
    "admin": {"detail": "403 403 403", "edit": "403 403 403"},
    "bureau": {"detail": "200 200 404", "edit": "200 200 404"},
    "leader": {"detail": "200 200 404", "edit": "403 403 404"},
    "reporter_a": {"detail": "200 404 404", "edit": "200 404 404"},
    "viewer_a": {"detail": "200 404 404", "edit": "403 404 404"},
    # Advisors see only what they submitted: the leads here were submitted by others.
    "advisor_a": {"detail": "404 404 404", "edit": "404 404 404"},
}


@pytest.fixture
def targets(world):
    units = (world.street_a, world.street_b, world.other_street)
    projects = [make_project(unit, name=f"项目{unit.code}") for unit in units]
    leads = [
        Lead.objects.create(unit=unit, enterprise_name="企业", channel="team", summary="x")
        for unit in units
    ]
    return projects, leads


@pytest.mark.parametrize("role", sorted(PROJECT))
def test_project_pages(world, login, targets, role):
    client = login(getattr(world, role))
    projects, _leads = targets
    urls = {
        "detail": "pipeline:project_detail",
        "edit": "pipeline:project_edit",
        "move": "pipeline:project_move",
    }
    for page, expected in PROJECT[role].items():
        got = [client.get(reverse(urls[page], args=[p.pk])).status_code for p in projects]
        assert " ".join(map(str, got)) == expected, (role, page)


@pytest.mark.parametrize("role", sorted(LEAD))
def test_lead_pages(world, login, targets, role):
    client = login(getattr(world, role))
    _projects, leads = targets
    for page, expected in LEAD[role].items():
        got = [
            client.get(reverse(f"pipeline:lead_{page}", args=[lead.pk])).status_code
            for lead in leads
        ]
        assert " ".join(map(str, got)) == expected, (role, page)
