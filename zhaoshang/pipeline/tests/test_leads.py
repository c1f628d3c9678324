"""Leads: status rules, conversion into a project, and advisors who see only their own."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.pipeline.choices import LeadStatus
from zhaoshang.pipeline.models import Lead, Project


def make_lead(world, unit=None, submitted_by=None, **fields):
    return Lead.objects.create(
        unit=unit or world.street_a,
        enterprise_name=fields.pop("enterprise_name", "江南新能源有限公司"),
        channel=fields.pop("channel", "advisor"),
        summary=fields.pop("summary", "拟投资储能电池项目"),
        submitted_by=submitted_by,
        **fields,
    )


def test_advisor_submits_a_lead_filed_under_own_unit(world, login):
    client = login(world.advisor_a)
    form_page = client.get(reverse("pipeline:lead_add")).content.decode()
    assert 'name="unit"' not in form_page and 'name="enterprise"' not in form_page
    response = client.post(
        reverse("pipeline:lead_add"),
        {
            "enterprise_name": "江南新能源有限公司",
            "channel": "advisor",
            "industry": "C",
            "intended_investment": "5000",
            "summary": "拟投资储能电池项目",
        },
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.unit == world.street_a
    assert lead.submitted_by == world.advisor_a
    assert lead.status == LeadStatus.NEW
    assert lead.intended_investment == Decimal("5000")


def test_advisor_bad_input_keeps_values_and_writes_nothing(world, login):
    client = login(world.advisor_a)
    response = client.post(
        reverse("pipeline:lead_add"),
        {"enterprise_name": "", "channel": "advisor", "intended_investment": "abc", "summary": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "这个字段是必填项" in html or "必填" in html
    assert 'value="abc"' in html
    assert not Lead.objects.exists()


def test_advisor_sees_only_own_leads_and_no_projects(world, login):
    own = make_lead(world, submitted_by=world.advisor_a)
    colleague = make_lead(world, submitted_by=world.reporter_a, enterprise_name="别人的线索")
    other_advisor = make_lead(world, world.street_b, world.advisor_b, enterprise_name="B的线索")
    client = login(world.advisor_a)
    listed = client.get(reverse("pipeline:lead_list")).context["table"].rows
    assert [row.record.pk for row in listed] == [own.pk]
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(colleague.get_absolute_url()).status_code == 404
    assert client.get(other_advisor.get_absolute_url()).status_code == 404
    assert client.get(reverse("pipeline:lead_edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("pipeline:project_list")).status_code == 403
    project = Project.objects.create(name="P", responsible_unit=world.street_a)
    assert client.get(project.get_absolute_url()).status_code == 403


def test_reporter_sees_leads_of_own_unit_only(world, login):
    lead_b = make_lead(world, world.street_b, world.advisor_b)
    client = login(world.reporter_a)
    assert client.get(lead_b.get_absolute_url()).status_code == 404
    assert client.post(reverse("pipeline:lead_verify", args=[lead_b.pk])).status_code == 404


def test_verify_then_drop_needs_a_reason(world, login):
    lead = make_lead(world, submitted_by=world.advisor_a)
    client = login(world.reporter_a)
    client.post(reverse("pipeline:lead_verify", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.status == LeadStatus.VERIFIED
    response = client.post(reverse("pipeline:lead_drop", args=[lead.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert "原因" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.VERIFIED
    client.post(reverse("pipeline:lead_drop", args=[lead.pk]), {"reason": "企业已选择外地"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DROPPED and lead.drop_reason == "企业已选择外地"
    # A dropped lead cannot be converted.
    client.post(reverse("pipeline:lead_convert", args=[lead.pk]), {})
    assert not Project.objects.exists()


def test_the_database_refuses_a_dropped_lead_without_reason(world):
    from django.db import IntegrityError, transaction

    lead = make_lead(world)
    lead.status = LeadStatus.DROPPED
    with pytest.raises(IntegrityError), transaction.atomic():
        lead.save()


def test_new_lead_cannot_be_converted_before_verification(world, login):
    lead = make_lead(world)
    client = login(world.reporter_a)
    response = client.post(
        reverse("pipeline:lead_convert", args=[lead.pk]),
        {
            "name": "x",
            "responsible_unit": world.street_a.pk,
            "stage": "lead",
            "stage_date": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert not Project.objects.exists()


def test_converting_a_verified_lead_creates_a_linked_project(world, login):
    lead = make_lead(world, intended_investment=Decimal("20000"), industry="C")
    lead.status = LeadStatus.VERIFIED
    lead.save()
    client = login(world.reporter_a)
    form = client.get(reverse("pipeline:lead_convert", args=[lead.pk])).content.decode()
    assert "江南新能源有限公司" in form
    response = client.post(
        reverse("pipeline:lead_convert", args=[lead.pk]),
        {
            "name": "储能电池项目",
            "responsible_unit": world.street_a.pk,
            "industry": "C",
            "total_investment": "20000",
            "stage": "negotiating",
            "stage_date": "2026-02-03",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.lead == lead and project.stage == "negotiating"
    assert project.milestones.get().date.isoformat() == "2026-02-03"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    assert "储能电池项目" in client.get(lead.get_absolute_url()).content.decode()
