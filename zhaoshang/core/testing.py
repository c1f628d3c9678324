"""Test scaffolding shared by every app: a small world of units and users of each role.

Tree (codes in brackets):

    江州市 [C]
    ├── 临江区 [D] ── 投促局 [D-B], 东湖街道 [A] ── 东湖社区 [A1], 西山街道 [B]
    └── 滨海区 [E] ── 海港街道 [E1]

Users: `admin`; `bureau` (at D-B) and `leader` (at D) see district D; per sibling street
A and B a `reporter_*`, `viewer_*` and `advisor_*`; `bureau_e` oversees the other district.
A model's tests prove the unit scope by declaring records in A and B only.
"""

from types import SimpleNamespace

from django.contrib.auth.models import Group

from zhaoshang.organization.choices import Role, UnitKind
from zhaoshang.organization.models import Unit, User

PASSWORD = "Test-password-2026"


def make_unit(code, name, kind, parent=None):
    return Unit.objects.create(code=code, name=name, kind=kind, parent=parent)


def make_user(username, unit, *roles, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, **extra)
    user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in roles]))
    return user


def build_world():
    city = make_unit("C", "江州市", UnitKind.CITY)
    district = make_unit("D", "临江区", UnitKind.DISTRICT, city)
    bureau_unit = make_unit("D-B", "临江区投资促进局", UnitKind.BUREAU, district)
    street_a = make_unit("A", "东湖街道", UnitKind.STREET, district)
    community_a = make_unit("A1", "东湖社区", UnitKind.OTHER, street_a)
    street_b = make_unit("B", "西山街道", UnitKind.STREET, district)
    other_district = make_unit("E", "滨海区", UnitKind.DISTRICT, city)
    other_street = make_unit("E1", "海港街道", UnitKind.STREET, other_district)
    return SimpleNamespace(
        city=city,
        district=district,
        bureau_unit=bureau_unit,
        street_a=street_a,
        community_a=community_a,
        street_b=street_b,
        other_district=other_district,
        other_street=other_street,
        admin=make_user("admin", bureau_unit, Role.ADMIN),
        bureau=make_user("bureau", bureau_unit, Role.BUREAU),
        leader=make_user("leader", district, Role.LEADER),
        reporter_a=make_user("reporter_a", street_a, Role.REPORTER),
        reporter_b=make_user("reporter_b", street_b, Role.REPORTER),
        viewer_a=make_user("viewer_a", street_a, Role.VIEWER),
        viewer_b=make_user("viewer_b", street_b, Role.VIEWER),
        advisor_a=make_user("advisor_a", street_a, Role.ADVISOR),
        advisor_b=make_user("advisor_b", street_b, Role.ADVISOR),
        bureau_e=make_user("bureau_e", other_district, Role.BUREAU),
    )


ROLE_USERS = ("admin", "bureau", "leader", "reporter_a", "viewer_a", "advisor_a")


class FreshContentTypesMiddleware:
    """For the gunicorn that browser tests run (settings_test, ZHAOSHANG_E2E_SERVER): the
    tests flush the database between them, which recreates content types under new ids,
    so a long-lived worker must not keep the old ones in its cache. The same holds for the
    engine's cached figures: a flush takes the data version back to where it started."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.contenttypes.models import ContentType

        from zhaoshang.targets.engine import clear_shared_cubes

        ContentType.objects.clear_cache()
        clear_shared_cubes()
        return self.get_response(request)
