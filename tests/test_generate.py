"""The data generator writes a consistent district: every ledger renders from it, the
records respect the model rules, and stage histories end at each project's stage."""

import io

from django.core.management import call_command
from django.urls import reverse

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.organization.models import User
from zhaoshang.pipeline.models import Milestone, Project

LEDGERS = [
    "enterprises:enterprise_list",
    "enterprises:contact_list",
    "pipeline:project_list",
    "pipeline:lead_list",
    "pipeline:approval_list",
    "activities:activity_list",
    "carriers:landparcel_list",
    "carriers:building_list",
    "carriers:park_list",
    "organization:unit_list",
    "organization:user_list",
]


def test_generated_district_is_consistent_and_every_ledger_renders_it(db, client):
    out = io.StringIO()
    call_command("generate", scale="district", seed=7, stdout=out)
    assert "projects" in out.getvalue()

    bureau = User.objects.get(username="c01d01_bureau")
    client.force_login(bureau, backend="django.contrib.auth.backends.ModelBackend")
    for url_name in LEDGERS:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, url_name
        assert response.context["table"].paginator.count > 0, url_name

    for project in Project.objects.order_by("?")[:50]:
        stages = list(
            Milestone.objects.filter(project=project).order_by("id").values_list("stage", "date")
        )
        assert stages[-1][0] == project.stage
        assert [d for _s, d in stages] == sorted(d for _s, d in stages)
    for enterprise in Enterprise.objects.order_by("?")[:20]:
        enterprise.full_clean()
    for project in Project.objects.order_by("?")[:20]:
        project.full_clean()


def test_demo_loads_once_and_every_demo_account_logs_in(db, client):
    from zhaoshang.organization import demo

    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)  # a second run keeps the data and only prints
    assert out.getvalue().count("Demo data loaded.") == 1
    assert User.objects.filter(username="bureau").count() == 1
    for username, *_rest in demo.ACCOUNTS:
        response = client.post(
            reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))
    assert Project.objects.filter(carrying_leader__username="leader").count() == 12


def test_generated_credit_codes_pass_stdnum():
    import random

    from stdnum.cn import uscc

    from zhaoshang.synthetic import names

    rng = random.Random(3)
    codes = [names.credit_code(rng, i * 104729) for i in range(2000)]
    assert all(uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
