"""The one unit-scope rule: which records a user may see or change.

A user holds roles (Django groups named by role code, organization/roles.py). Each role
grants actions on models and reaches a part of the unit tree: everything, the user's
jurisdiction (their district's subtree), their own unit's subtree, or only the records
they submitted. A user may act on a record when a role that grants the action reaches it.
Every queryset that reaches a user goes through `visible_to(user)`; the pages and the API
share it.
"""

from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


class Reach:
    ALL = "all"
    JURISDICTION = "jurisdiction"
    OWN_UNIT = "own_unit"
    OWN_RECORDS = "own_records"


def model_label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def user_roles(user):
    """The user's role codes, read once per user object."""
    if not hasattr(user, "_zs_roles"):
        from zhaoshang.organization.roles import ROLE_RULES

        names = set(user.groups.values_list("name", flat=True)) if user.pk else set()
        user._zs_roles = sorted(names & set(ROLE_RULES))
    return user._zs_roles


def granting_reaches(user, model, action):
    """The reaches of the user's roles that grant `action` on `model`."""
    from zhaoshang.organization.roles import ROLE_RULES

    return {
        ROLE_RULES[role].reach
        for role in user_roles(user)
        if action in ROLE_RULES[role].actions(model)
    }


def can(user, model, action):
    """Whether any role of the user grants `action` on `model` (anywhere in the tree)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}") and bool(
        granting_reaches(user, model, action)
    )


def subtree_q(path_lookup, root_path):
    """Records whose unit (reached through `path_lookup`, e.g. "responsible_unit__path") lies
    in the subtree at `root_path`.

    Written as `unit_id IN (SELECT id FROM unit WHERE path LIKE 'root%')` rather than a join
    on the unit's path: the database then filters on the record's own indexed foreign key.
    The whole tree (a single root) needs no condition at all.
    """
    from zhaoshang.organization.models import Unit

    if path_lookup == "path":
        return Q(path__startswith=root_path)
    if root_path in _single_root_paths():
        return Q()
    relation = path_lookup[: -len("__path")]
    return Q(**{f"{relation}__in": Unit.objects.filter(path__startswith=root_path).values("pk")})


def _single_root_paths():
    """The root's path when the unit tree has exactly one root, else nothing."""
    from zhaoshang.organization.models import Unit

    roots = list(Unit.objects.filter(parent__isnull=True).values_list("path", flat=True)[:2])
    return set(roots) if len(roots) == 1 else set()


def _subtree_root(user, reach):
    unit = getattr(user, "unit", None)
    if unit is None:
        return None
    return unit.jurisdiction() if reach == Reach.JURISDICTION else unit


def scope_q(user, model, action=VIEW):
    """A Q selecting the records of `model` the user may `action`, or None for none."""
    if not can(user, model, action):
        return None
    if user.is_superuser:
        return Q()
    path = model.scope_path()
    terms = []
    if not path.endswith("path"):
        raise ValueError(f"{model.__name__}.scope_path() must end in 'path', not {path!r}")
    for reach in granting_reaches(user, model, action):
        if reach == Reach.ALL:
            return Q()
        if reach == Reach.OWN_RECORDS:
            field = getattr(model, "owner_user_field", None)
            if field:
                terms.append(Q(**{field: user}))
            continue
        root = _subtree_root(user, reach)
        if root is not None:
            terms.append(subtree_q(path, root.path))
    if not terms:
        return None
    q = terms[0]
    for term in terms[1:]:
        q |= term
    return q


def units_for(user, model, action):
    """The units under which the user may `action` a record of `model`."""
    from zhaoshang.organization.models import Unit

    if not can(user, model, action):
        return Unit.objects.none()
    if user.is_superuser or Reach.ALL in granting_reaches(user, model, action):
        return Unit.objects.all()
    roots = {
        root.path
        for reach in granting_reaches(user, model, action)
        if reach != Reach.OWN_RECORDS and (root := _subtree_root(user, reach)) is not None
    }
    if not roots:
        return Unit.objects.none()
    q = Q()
    for root in roots:
        q |= Q(path__startswith=root)
    return Unit.objects.filter(q)


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a unit-scoped model."""

    def visible_to(self, user, action=VIEW):
        q = scope_q(user, self.model, action)
        return self.none() if q is None else self.filter(q)

    def editable_by(self, user):
        return self.visible_to(user, CHANGE)
