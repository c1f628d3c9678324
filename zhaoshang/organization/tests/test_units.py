"""The unit tree: paths, moves, jurisdiction, and the scope rule built on them."""

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.scope import scope_q, units_for
from zhaoshang.core.testing import make_unit
from zhaoshang.organization.choices import UnitKind
from zhaoshang.organization.models import Unit


def test_paths_follow_the_tree(world):
    assert world.community_a.path == "/C/D/A/A1/"
    assert world.community_a.depth == 3
    assert [u.code for u in world.community_a.ancestors()] == ["C", "D", "A", "A1"]


def test_moving_a_unit_moves_its_subtree(world):
    street = world.street_a
    street.parent = world.other_district
    street.save()
    assert Unit.objects.get(code="A1").path == "/C/E/A/A1/"
    assert Unit.objects.get(code="A1").depth == 3


def test_renaming_a_code_rewrites_descendant_paths(world):
    street = world.street_a
    street.code = "AA"
    street.save()
    assert Unit.objects.get(code="A1").path == "/C/D/AA/A1/"


def test_a_unit_cannot_move_under_itself(world):
    street = Unit.objects.get(code="A")
    street.parent = Unit.objects.get(code="A1")
    with pytest.raises(ValidationError):
        street.full_clean()


def test_jurisdiction_is_the_nearest_district(world):
    assert world.bureau_unit.jurisdiction() == world.district
    assert world.community_a.jurisdiction() == world.district
    assert world.city.jurisdiction() == world.city


def test_prefix_codes_do_not_leak_into_sibling_subtrees(world):
    """Street "A" and a street coded "AB" are siblings: A's subtree must not include AB."""
    make_unit("AB", "东湖北街道", UnitKind.STREET, world.district)
    seen = set(units_for(world.reporter_a, Unit, "view").values_list("code", flat=True))
    assert seen == {"A", "A1"}


def test_scope_per_role(world):
    def codes(user, action="view"):
        q = scope_q(user, Unit, action)
        return set() if q is None else set(Unit.objects.filter(q).values_list("code", flat=True))

    assert codes(world.admin) == {"C", "D", "D-B", "A", "A1", "B", "E", "E1"}
    assert codes(world.bureau) == {"D", "D-B", "A", "A1", "B"}
    assert codes(world.bureau, "change") == {"D", "D-B", "A", "A1", "B"}
    assert codes(world.leader, "change") == set()
    assert codes(world.reporter_a) == {"A", "A1"}
    assert codes(world.advisor_a) == set()
    assert codes(world.bureau_e) == {"E", "E1"}


def test_targets_are_set_from_above_and_reported_by_the_unit(world):
    from zhaoshang.core.scope import can
    from zhaoshang.targets.models import Certification, ReportedValue, Target

    assert can(world.reporter_a, Target, "view")
    assert not can(world.reporter_a, Target, "add")
    assert not can(world.reporter_a, Target, "change")
    assert not can(world.reporter_a, Certification, "add")
    assert can(world.reporter_a, ReportedValue, "add")
    assert can(world.bureau, Target, "change") and can(world.bureau, Certification, "add")
