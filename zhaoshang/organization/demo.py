"""Demo data for `make run`: a generated district (江州市临江区) with named demo accounts."""

import random

from django.contrib.auth.models import Group
from django.db import transaction

from zhaoshang.organization.choices import Role
from zhaoshang.organization.models import Unit, User
from zhaoshang.synthetic.units import GENERATED_PASSWORD

DEMO_PASSWORD = GENERATED_PASSWORD
DEMO_SEED = 20261122

# (username, full name, unit code in the generated district, roles, title)
ACCOUNTS = [
    ("admin", "系统管理员", "C01D01-TCJ", [Role.ADMIN], "信息科"),
    ("bureau", "王晓东", "C01D01-TCJ", [Role.BUREAU], "投资促进局招商科科长"),
    ("leader", "李国强", "C01D01", [Role.LEADER], "副区长"),
    ("donghu", "陈静", "C01D01-S1", [Role.REPORTER], "东湖街道经发办"),
    ("xishan", "赵磊", "C01D01-S2", [Role.REPORTER], "西山街道经发办"),
    ("advisor", "周教授", "C01D01-TCJ", [Role.ADVISOR], "招商顾问"),
    ("viewer", "孙丽", "C01D01-S1", [Role.VIEWER], "东湖街道"),
]


def demo_loaded():
    return User.objects.filter(username="bureau").exists() or Unit.objects.exists()


@transaction.atomic
def load_demo(step=None):
    """Generate the district-scale data set and add the demo accounts."""
    from zhaoshang.pipeline.models import Project
    from zhaoshang.synthetic.dataset import generate

    generate("district", DEMO_SEED, step or (lambda name, build: build()))
    units = {u.code: u for u in Unit.objects.all()}
    for username, full_name, unit_code, roles, title in ACCOUNTS:
        user = User(username=username, full_name=full_name, unit=units[unit_code], title=title)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    # The demo leader carries a dozen of the district's projects.
    leader = User.objects.get(username="leader")
    ids = list(Project.objects.values_list("pk", flat=True).order_by("pk"))
    carried = random.Random(DEMO_SEED).sample(ids, min(12, len(ids)))
    Project.objects.filter(pk__in=carried).update(carrying_leader=leader)
    # The demo advisor has passed in a few leads of their own.
    from zhaoshang.pipeline.models import Lead

    advisor = User.objects.get(username="advisor")
    lead_ids = list(Lead.objects.order_by("-pk").values_list("pk", flat=True)[:6])
    Lead.objects.filter(pk__in=lead_ids).update(submitted_by=advisor)
    # This year's targets, so the dashboard shows completion rates and a ranking.
    from zhaoshang.targets.demo import load_targets

    load_targets(Unit.objects.all())


def account_lines():
    lines = []
    units = {u.code: u for u in Unit.objects.filter(code__in=[a[2] for a in ACCOUNTS])}
    for username, full_name, unit_code, roles, _title in ACCOUNTS:
        role_text = "、".join(str(r.label) for r in roles)
        lines.append(
            f"  {username:<10} {DEMO_PASSWORD}  {role_text} · {units.get(unit_code)} · {full_name}"
        )
    return lines
