"""Choice lists of the pipeline app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered")
    LANDED = "landed", _("Landed")
    STARTED = "started", _("Construction started")
    COMPLETED = "completed", _("In production")
    CONTINUING = "continuing", _("Continuing construction")
    TERMINATED = "terminated", _("Terminated")


# The lifecycle in order; continuing and terminated stand outside it.
LIFECYCLE = (
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.LANDED,
    Stage.STARTED,
    Stage.COMPLETED,
)


class Channel(models.TextChoices):
    """Where a lead came from (线索来源 / 招商方式).

    Labels carry a context: other apps use some of the same English words ("Resident
    office" is also a kind of unit) with another Chinese name.
    """

    TEAM = "team", pgettext_lazy("lead channel", "Task force")
    RESIDENT = "resident", pgettext_lazy("lead channel", "Resident office")
    BUSINESS_REFERRAL = "business_referral", pgettext_lazy("lead channel", "Business referral")
    CHAIN = "chain", pgettext_lazy("lead channel", "Industry chain")
    ADVISOR = "advisor", pgettext_lazy("lead channel", "Advisor")
    EVENT = "event", pgettext_lazy("lead channel", "Event")
    FUND = "fund", pgettext_lazy("lead channel", "Fund")
    ENTRUSTED = "entrusted", pgettext_lazy("lead channel", "Entrusted agency")
    ONLINE = "online", pgettext_lazy("lead channel", "Online")
    ENTERPRISE_VISIT = "enterprise_visit", pgettext_lazy("lead channel", "Enterprise visit")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    VERIFIED = "verified", _("Verified")
    CONVERTED = "converted", _("Converted")
    DROPPED = "dropped", _("Dropped")


class CapitalOrigin(models.TextChoices):
    IN_DISTRICT = "in_district", _("Within the district")
    OUT_OF_DISTRICT = "out_of_district", _("Outside the district")
    OUT_OF_CITY = "out_of_city", _("Outside the city")
    OUT_OF_PROVINCE = "out_of_province", _("Outside the province")
    ABROAD = "abroad", _("Abroad")


class LandUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed_commercial_residential", _("Commercial-residential")
    INDUSTRIAL = "industrial", _("Industrial")
    INNOVATIVE_INDUSTRIAL = "innovative_industrial", _("Innovative industrial (M0)")


class EvidenceKind(models.TextChoices):
    APPROVAL = "approval", _("Approval document")
    FUNDS = "funds", _("Proof of funds")
    CONTRACT = "contract", _("Contract")
    OTHER = "other", _("Other")
