"""Each role × (list, detail, add, edit, delete) on the organization's records, for a target
in the user's own subtree (street A), a sibling street (B) and another district (E1).

The expected status of every cell is declared below; the test also proves the effect
(created, changed, deleted, or untouched). A URL of the app that the matrix does not cover
fails `test_every_url_is_in_the_matrix`.
"""

import io

import pytest
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from zhaoshang.core.testing import ROLE_USERS, make_unit, make_user
from zhaoshang.organization.choices import Role, UnitKind
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User

TARGETS = ("A", "B", "E")

# role -> action -> statuses for targets A, B, E ("list" has one status).
# 302 = done; 200 on add = the form refused a unit outside the scope; 403 = role may not;
# 404 = the record is outside the user's scope.
FULL = {
    "list": 200,
    "detail": "200 200 200",
    "edit": "302 302 302",
    "delete": "302 302 302",
    "add": "302 302 302",
}
NONE = {
    "list": 403,
    "detail": "403 403 403",
    "edit": "403 403 403",
    "delete": "403 403 403",
    "add": "403 403 403",
}
DISTRICT_READ = {
    "list": 200,
    "detail": "200 200 404",
    "edit": "403 403 404",
    "delete": "403 403 404",
    "add": "403 403 403",
}
OWN_READ = {
    "list": 200,
    "detail": "200 404 404",
    "edit": "403 404 404",
    "delete": "403 404 404",
    "add": "403 403 403",
}
DISTRICT_WRITE = {
    "list": 200,
    "detail": "200 200 404",
    "edit": "302 302 404",
    "delete": "302 302 404",
    "add": "302 302 200",
}

MATRIX = {
    "unit": {
        "admin": FULL,
        "bureau": {**DISTRICT_WRITE, "delete": "403 403 404"},
        "leader": DISTRICT_READ,
        "reporter_a": OWN_READ,
        "viewer_a": OWN_READ,
        "advisor_a": NONE,
    },
    "user": {
        "admin": FULL,
        "bureau": DISTRICT_READ,
        "leader": DISTRICT_READ,
        "reporter_a": OWN_READ,
        "viewer_a": NONE,
        "advisor_a": NONE,
    },
    "peergroup": {
        "admin": FULL,
        "bureau": DISTRICT_WRITE,
        "leader": DISTRICT_READ,
        "reporter_a": NONE,
        "viewer_a": NONE,
        "advisor_a": NONE,
    },
    "unitclass": {
        "admin": FULL,
        "bureau": DISTRICT_WRITE,
        "leader": DISTRICT_READ,
        "reporter_a": NONE,
        "viewer_a": NONE,
        "advisor_a": NONE,
    },
}
# The tree page answers like the unit list.
EXTRA_URLS = {"unit_tree": "unit"}
# The Excel export answers like the list, and holds exactly the rows the list shows.
ACTIONS = ("list", "export", "detail", "edit", "delete", "add")


def expected_status(model_name, role, action):
    roles = MATRIX[model_name][role]
    return roles["list"] if action == "export" else roles[action]


def exported_texts(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return {str(v) for row in workbook.active.iter_rows(values_only=True) for v in row if v}


def _home_units(world):
    return {"A": world.street_a, "B": world.street_b, "E": world.other_street}


def make_target(model_name, letter, unit):
    if model_name == "unit":
        return make_unit(f"T{letter}", f"目标单位{letter}", UnitKind.OTHER, unit)
    if model_name == "user":
        return make_user(
            f"target_{letter.lower()}", unit, Role.VIEWER, full_name=f"目标用户{letter}"
        )
    model = {"peergroup": PeerGroup, "unitclass": UnitClass}[model_name]
    return model.objects.create(name=f"目标分组{letter}", owner_unit=unit)


def form_data(model_name, unit, obj=None, suffix="X"):
    """POST data creating (obj None) or renaming a record under `unit`."""
    if model_name == "unit":
        return {
            "name": f"新名称{suffix}",
            "code": obj.code if obj else f"NEW-{suffix}",
            "kind": UnitKind.OTHER,
            "parent": unit.pk,
            "is_active": "on",
        }
    if model_name == "user":
        data = {
            "username": obj.username if obj else f"new_{suffix.lower()}",
            "full_name": f"新名称{suffix}",
            "unit": unit.pk,
            "is_active": "on",
            "roles": ["viewer"],
        }
        if obj is None:
            data["new_password"] = "Zq7-harbour-lantern"
        return data
    return {"name": f"新名称{suffix}", "owner_unit": unit.pk}


def label_of(obj):
    return getattr(obj, "full_name", None) or obj.name


MODELS = {"unit": Unit, "user": User, "peergroup": PeerGroup, "unitclass": UnitClass}
CASES = [
    (model_name, role, action)
    for model_name, roles in MATRIX.items()
    for role in roles
    for action in ACTIONS
]


@pytest.mark.parametrize("model_name,role,action", CASES)
def test_matrix(world, login, model_name, role, action):
    homes = _home_units(world)
    targets = {letter: make_target(model_name, letter, homes[letter]) for letter in TARGETS}
    model = MODELS[model_name]
    client = login(getattr(world, role))
    expected = expected_status(model_name, role, action)

    if action in ("list", "export"):
        response = client.get(reverse(f"organization:{model_name}_{action}"))
        assert response.status_code == expected
        if expected == 200:
            visible = MATRIX[model_name][role]["detail"].split()
            if action == "export":
                texts = exported_texts(response)
                shown = lambda label: label in texts  # noqa: E731
            else:
                html = response.content.decode()
                shown = lambda label: label in html  # noqa: E731
            for letter, status in zip(TARGETS, visible, strict=True):
                assert shown(label_of(targets[letter])) == (status == "200"), letter
        return

    for letter, status in zip(TARGETS, expected.split(), strict=True):
        status = int(status)
        target = targets[letter]
        if action == "detail":
            response = client.get(reverse(f"organization:{model_name}_detail", args=[target.pk]))
            assert response.status_code == status, letter
        elif action == "edit":
            url = reverse(f"organization:{model_name}_edit", args=[target.pk])
            if status == 302:
                assert client.get(url).status_code == 200
            data = form_data(model_name, homes[letter], target, suffix=letter)
            response = client.post(url, data)
            assert response.status_code == status, (letter, response.content[:2000])
            target.refresh_from_db()
            assert (label_of(target) == f"新名称{letter}") == (status == 302), letter
        elif action == "delete":
            url = reverse(f"organization:{model_name}_delete", args=[target.pk])
            response = client.post(url)
            assert response.status_code == status, letter
            assert model.objects.filter(pk=target.pk).exists() == (status != 302), letter
        elif action == "add":
            before = model.objects.count()
            url = reverse(f"organization:{model_name}_add")
            assert client.get(url).status_code == (403 if status == 403 else 200)
            response = client.post(url, form_data(model_name, homes[letter], suffix=letter))
            assert response.status_code == status, (letter, response.content[:2000])
            assert model.objects.count() == before + (1 if status == 302 else 0), letter


@pytest.mark.parametrize("role", ROLE_USERS)
def test_unit_tree(world, login, role):
    response = login(getattr(world, role)).get(reverse("organization:unit_tree"))
    assert response.status_code == MATRIX["unit"][role]["list"]
    if response.status_code == 200:
        html = response.content.decode()
        assert ("西山街道" in html) == (MATRIX["unit"][role]["detail"].split()[1] == "200")
        assert ("海港街道" in html) == (role == "admin")


def test_every_url_is_in_the_matrix():
    resolver = get_resolver()
    _, namespace_resolver = resolver.namespace_dict["organization"]
    names = {p.name for p in namespace_resolver.url_patterns if p.name}
    covered = set(EXTRA_URLS)
    for model_name in MATRIX:
        covered |= {f"{model_name}_{a}" for a in ACTIONS}
    assert names - covered == set(), "URLs without a declared expectation in the matrix"
