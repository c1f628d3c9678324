"""Choice lists of the organization app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    ZONE = "zone", _("Development zone")
    BUREAU = "bureau", _("Investment promotion bureau")
    DEPARTMENT = "department", _("Department")
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    PARK = "park", _("Park")
    TASK_FORCE = "task_force", _("Industry task force")
    RESIDENT_OFFICE = "resident_office", _("Resident office")
    TEAM = "team", _("Outbound team")
    OTHER = "other", _("Other")


# The kinds whose subtree a bureau or a leader oversees: their jurisdiction.
JURISDICTION_KINDS = {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.ZONE}


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    BUREAU = "bureau", _("Bureau staff")
    LEADER = "leader", _("Leader")
    REPORTER = "reporter", _("Unit reporter")
    ADVISOR = "advisor", _("Investment advisor")
    VIEWER = "viewer", _("Viewer")
