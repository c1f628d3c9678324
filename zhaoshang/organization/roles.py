"""What each role may do, and how far in the unit tree it reaches.

This table is the single source of the roles' rights: the Django groups (one per role,
named by its code) get exactly these permissions after every migrate, and the unit scope
(core/scope.py) reads the reaches from here.
"""

from dataclasses import dataclass, field

from zhaoshang.core.scope import Reach
from zhaoshang.organization.choices import Role

# Key for "every business record" (subclasses of core.models.BusinessRecord).
BUSINESS = "*business*"

ACTION_LETTERS = {"v": "view", "a": "add", "c": "change", "d": "delete"}

ORG_ALL = {
    "organization.unit": "vacd",
    "organization.user": "vacd",
    "organization.peergroup": "vacd",
    "organization.unitclass": "vacd",
    "core.changelogentry": "v",
}
# Targets, weights and certifications are set by the level above a unit, not by the unit
# itself: a reporter reads them (and reports the monthly values of their own unit).
SET_FROM_ABOVE_READ = {
    "targets.indicator": "v",
    "targets.target": "v",
    "targets.indicatorweight": "v",
    "targets.bonusitem": "v",
    "targets.certification": "v",
}
ORG_READ = {
    "organization.unit": "v",
    "organization.user": "v",
    "organization.peergroup": "v",
    "organization.unitclass": "v",
}


@dataclass(frozen=True)
class RoleRule:
    reach: str
    grants: dict = field(default_factory=dict)

    def actions(self, model):
        """The actions ("view", "add", …) this role grants on `model`."""
        from zhaoshang.core.models import BusinessRecord

        label = f"{model._meta.app_label}.{model._meta.model_name}"
        letters = self.grants.get(label)
        if letters is None and issubclass(model, BusinessRecord):
            letters = self.grants.get(BUSINESS, "")
        return {ACTION_LETTERS[letter] for letter in letters or ""}


ROLE_RULES = {
    # Manages users, units and settings everywhere, but no business records.
    Role.ADMIN: RoleRule(Reach.ALL, ORG_ALL),
    # Reads and writes everything in their district's subtree; shapes its units.
    Role.BUREAU: RoleRule(
        Reach.JURISDICTION,
        {
            **ORG_READ,
            "organization.unit": "vac",
            "organization.peergroup": "vacd",
            "organization.unitclass": "vacd",
            "core.changelogentry": "v",
            BUSINESS: "vacd",
        },
    ),
    # Reads everything in the district's subtree; carries projects.
    Role.LEADER: RoleRule(Reach.JURISDICTION, {**ORG_READ, BUSINESS: "v"}),
    # Reads and writes their own unit's subtree.
    Role.REPORTER: RoleRule(
        Reach.OWN_UNIT,
        {
            "organization.unit": "v",
            "organization.user": "v",
            **SET_FROM_ABOVE_READ,
            BUSINESS: "vacd",
        },
    ),
    # Submits leads and sees only their own.
    Role.ADVISOR: RoleRule(Reach.OWN_RECORDS, {"pipeline.lead": "va"}),
    # Reads their own unit's subtree.
    Role.VIEWER: RoleRule(Reach.OWN_UNIT, {"organization.unit": "v", BUSINESS: "v"}),
}


def sync_role_groups(**kwargs):
    """Create one group per role and give it exactly the permissions of ROLE_RULES."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    models = apps.get_models()
    for role, rule in ROLE_RULES.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for model in models:
            actions = rule.actions(model)
            if not actions:
                continue
            ct = ContentType.objects.get_for_model(model)
            codenames = [f"{action}_{model._meta.model_name}" for action in actions]
            wanted += list(Permission.objects.filter(content_type=ct, codename__in=codenames))
        group.permissions.set(wanted)
