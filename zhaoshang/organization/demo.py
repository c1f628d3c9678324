"""Demo units and accounts for `make run` (a fictional city 江州市 and its district 临江区)."""

from django.contrib.auth.models import Group
from django.db import transaction

from zhaoshang.organization.choices import Role, UnitKind
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User

DEMO_PASSWORD = "Zhaoshang#2026demo"

# (code, name, kind, parent code)
UNITS = [
    ("JZ", "江州市", UnitKind.CITY, None),
    ("JZ-TCJ", "江州市投资促进局", UnitKind.BUREAU, "JZ"),
    ("LJ", "临江区", UnitKind.DISTRICT, "JZ"),
    ("LJ-TCJ", "临江区投资促进局", UnitKind.BUREAU, "LJ"),
    ("LJ-ZB-ZN", "智能制造产业招商专班", UnitKind.TASK_FORCE, "LJ-TCJ"),
    ("LJ-ZB-SY", "生物医药产业招商专班", UnitKind.TASK_FORCE, "LJ-TCJ"),
    ("LJ-SH", "临江区驻上海招商办事处", UnitKind.RESIDENT_OFFICE, "LJ-TCJ"),
    ("LJ-SZ", "临江区驻深圳招商办事处", UnitKind.RESIDENT_OFFICE, "LJ-TCJ"),
    ("LJ-XFD1", "第一招商小分队", UnitKind.TEAM, "LJ-TCJ"),
    ("LJ-DH", "东湖街道", UnitKind.STREET, "LJ"),
    ("LJ-XS", "西山街道", UnitKind.STREET, "LJ"),
    ("LJ-QS", "青石镇", UnitKind.TOWN, "LJ"),
    ("LJ-GX", "临江高新技术产业园", UnitKind.PARK, "LJ"),
    ("BH", "滨海区", UnitKind.DISTRICT, "JZ"),
    ("BH-SWJ", "滨海区商务局", UnitKind.BUREAU, "BH"),
    ("BH-HG", "海港街道", UnitKind.STREET, "BH"),
]

# (username, full name, unit code, roles, title)
ACCOUNTS = [
    ("admin", "系统管理员", "LJ-TCJ", [Role.ADMIN], "信息科"),
    ("bureau", "王晓东", "LJ-TCJ", [Role.BUREAU], "投资促进局招商科科长"),
    ("leader", "李国强", "LJ", [Role.LEADER], "副区长"),
    ("donghu", "陈静", "LJ-DH", [Role.REPORTER], "东湖街道经发办"),
    ("xishan", "赵磊", "LJ-XS", [Role.REPORTER], "西山街道经发办"),
    ("advisor", "周教授", "LJ-TCJ", [Role.ADVISOR], "招商顾问"),
    ("viewer", "孙丽", "LJ-DH", [Role.VIEWER], "东湖街道"),
]


def demo_loaded():
    return Unit.objects.filter(code="JZ").exists()


@transaction.atomic
def load_demo():
    """Create the demo units, groups and accounts (idempotent)."""
    units = {}
    for code, name, kind, parent in UNITS:
        unit = Unit.objects.filter(code=code).first() or Unit(code=code)
        unit.name, unit.kind, unit.parent = name, kind, units.get(parent)
        unit.save()
        units[code] = unit
    city_group, _ = PeerGroup.objects.get_or_create(name="同城组", owner_unit=units["JZ"])
    street_group, _ = PeerGroup.objects.get_or_create(name="街镇组", owner_unit=units["LJ"])
    street_class, _ = UnitClass.objects.get_or_create(name="街镇类", owner_unit=units["LJ"])
    park_class, _ = UnitClass.objects.get_or_create(name="园区类", owner_unit=units["LJ"])
    for code in ("LJ", "BH"):
        units[code].peer_group = city_group
        units[code].save()
    for code in ("LJ-DH", "LJ-XS", "LJ-QS"):
        units[code].peer_group, units[code].unit_class = street_group, street_class
        units[code].save()
    units["LJ-GX"].unit_class = park_class
    units["LJ-GX"].save()
    for username, full_name, unit_code, roles, title in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.full_name, user.unit, user.title = full_name, units[unit_code], title
        user.save()
        user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    return units


def account_lines():
    lines = []
    for username, full_name, unit_code, roles, _title in ACCOUNTS:
        unit = Unit.objects.filter(code=unit_code).first()
        role_text = "、".join(str(r.label) for r in roles)
        lines.append(f"  {username:<10} {DEMO_PASSWORD}  {role_text} · {unit} · {full_name}")
    return lines
