"""The unit tree of a district, a city or a province, and one user per role and unit."""

from dataclasses import dataclass

from zhaoshang.organization.choices import UnitKind
from zhaoshang.synthetic import names


@dataclass(frozen=True)
class Scale:
    name: str
    cities: int
    districts_per_city: int
    enterprises: int
    projects: int
    activities: int
    years: int


SCALES = {
    "district": Scale("district", 1, 1, 3_000, 600, 6_000, 5),
    "city": Scale("city", 1, 10, 60_000, 12_000, 120_000, 5),
    "province": Scale("province", 12, 8, 1_000_000, 200_000, 2_000_000, 5),
}

# The units every district has: (code suffix, name pattern, kind, under the bureau?).
DISTRICT_UNITS = [
    ("TCJ", "{d}投资促进局", UnitKind.BUREAU, False),
    ("ZB1", "{d}智能制造产业招商专班", UnitKind.TASK_FORCE, True),
    ("ZB2", "{d}生物医药产业招商专班", UnitKind.TASK_FORCE, True),
    ("ZB3", "{d}新能源产业招商专班", UnitKind.TASK_FORCE, True),
    ("SH", "{d}驻上海招商办事处", UnitKind.RESIDENT_OFFICE, True),
    ("SZ", "{d}驻深圳招商办事处", UnitKind.RESIDENT_OFFICE, True),
    ("XFD", "{d}招商小分队", UnitKind.TEAM, True),
    ("GX", "{d}高新技术产业园", UnitKind.PARK, False),
]
STREETS_PER_DISTRICT = 7


def unit_rows(scale):
    """[(code, name, kind, parent code)] from the root down, parents before children."""
    rows = []
    top = None
    if scale.cities > 1:
        top = "P"
        rows.append((top, names.PROVINCES[0], UnitKind.PROVINCE, None))
    for c in range(scale.cities):
        city_code = f"C{c + 1:02d}"
        city = names.CITIES[c % len(names.CITIES)] + "市"
        rows.append((city_code, city, UnitKind.CITY, top))
        rows.append((f"{city_code}-TCJ", f"{city}投资促进局", UnitKind.BUREAU, city_code))
        for d in range(scale.districts_per_city):
            code = f"{city_code}D{d + 1:02d}"
            district = names.DISTRICT_WORDS[d % len(names.DISTRICT_WORDS)] + "区"
            rows.append((code, district, UnitKind.DISTRICT, city_code))
            label = f"{city[:-1]}{district}" if scale.cities > 1 else district
            for suffix, pattern, kind, under_bureau in DISTRICT_UNITS:
                parent = f"{code}-TCJ" if under_bureau else code
                rows.append((f"{code}-{suffix}", pattern.format(d=label), kind, parent))
            for s in range(STREETS_PER_DISTRICT):
                word = names.STREET_WORDS[(s + d) % len(names.STREET_WORDS)]
                kind = UnitKind.TOWN if s == STREETS_PER_DISTRICT - 1 else UnitKind.STREET
                suffix_word = "镇" if kind == UnitKind.TOWN else "街道"
                rows.append((f"{code}-S{s + 1}", f"{word}{suffix_word}", kind, code))
    return rows


def insert_units(rows):
    """Write the tree with computed paths in one bulk insert; returns {code: Unit}."""
    from zhaoshang.organization.models import Unit

    paths = {}
    objs = []
    for code, name, kind, parent in rows:
        path = (paths[parent] if parent else "/") + f"{code}/"
        paths[code] = path
        objs.append(Unit(code=code, name=name, kind=kind, path=path, depth=path.count("/") - 2))
    Unit.objects.bulk_create(objs, batch_size=1000)
    by_code = {u.code: u for u in Unit.objects.filter(code__in=paths)}
    parents = []
    for code, _name, _kind, parent in rows:
        if parent:
            unit = by_code[code]
            unit.parent_id = by_code[parent].pk
            parents.append(unit)
    Unit.objects.bulk_update(parents, ["parent"], batch_size=1000)
    return by_code


GENERATED_PASSWORD = "Zhaoshang#2026demo"


def user_rows(units):
    """[(username, full name, unit code, role)]: per district a bureau officer, a leader and
    an advisor; a reporter per street, town and park; a bureau officer per city."""
    rows = []
    for code, unit in units.items():
        if unit.kind == UnitKind.DISTRICT:
            rows += [
                (f"{code.lower()}_bureau", f"{unit.name}投促局", f"{code}-TCJ", "bureau"),
                (f"{code.lower()}_leader", f"{unit.name}领导", code, "leader"),
                (f"{code.lower()}_advisor", f"{unit.name}顾问", f"{code}-TCJ", "advisor"),
            ]
        elif unit.kind in (UnitKind.STREET, UnitKind.TOWN, UnitKind.PARK):
            rows.append((f"{code.lower()}_reporter", f"{unit.name}填报员", code, "reporter"))
        elif unit.kind == UnitKind.CITY:
            rows.append((f"{code.lower()}_bureau", f"{unit.name}投促局", f"{code}-TCJ", "bureau"))
    return rows


def insert_users(rows, units, password=GENERATED_PASSWORD):
    """Create the users in bulk with one password hash computed once."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from zhaoshang.organization.models import User

    hashed = make_password(password)
    users = [
        User(username=username, full_name=full_name, unit=units[unit_code], password=hashed)
        for username, full_name, unit_code, _role in rows
    ]
    User.objects.bulk_create(users, batch_size=1000)
    by_name = {u.username: u for u in User.objects.filter(username__in=[r[0] for r in rows])}
    groups = {g.name: g for g in Group.objects.all()}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=by_name[r[0]].pk, group_id=groups[r[3]].pk) for r in rows],
        batch_size=1000,
    )
    return by_name


def insert_groups(units):
    """Peer groups and unit classes as bureaus set them up: per city the 同城组 of its
    districts; per district a 街镇组 of its streets and towns, and the classes 街镇类, 园区类."""
    from zhaoshang.organization.models import PeerGroup, Unit, UnitClass

    made = 0
    changed = []
    children_of = {}
    for unit in units.values():
        children_of.setdefault(unit.parent_id, []).append(unit)
    for unit in units.values():
        children = children_of.get(unit.pk, [])
        if unit.kind == UnitKind.CITY:
            group = PeerGroup.objects.create(name="同城组", owner_unit=unit)
            made += 1
            for child in children:
                if child.kind == UnitKind.DISTRICT:
                    child.peer_group = group
                    changed.append(child)
        elif unit.kind == UnitKind.DISTRICT:
            group = PeerGroup.objects.create(name="街镇组", owner_unit=unit)
            streets = UnitClass.objects.create(name="街镇类", owner_unit=unit)
            parks = UnitClass.objects.create(name="园区类", owner_unit=unit)
            made += 3
            for child in children:
                if child.kind in (UnitKind.STREET, UnitKind.TOWN):
                    child.peer_group, child.unit_class = group, streets
                    changed.append(child)
                elif child.kind == UnitKind.PARK:
                    child.unit_class = parks
                    changed.append(child)
    Unit.objects.bulk_update(changed, ["peer_group", "unit_class"], batch_size=1000)
    return made
