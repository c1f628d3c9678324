"""Choice lists of the activities app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TRIP = "trip", _("Outbound trip")
    VISIT = "visit", _("Visit to an enterprise")
    HOSTED_VISIT = "hosted_visit", _("Hosted investor visit")
    NEGOTIATION = "negotiation", _("Negotiation")
    ONLINE_NEGOTIATION = "online_negotiation", _("Online negotiation")
    EVENT = "event", _("Promotion event / fair")
    SIGNING_CEREMONY = "signing_ceremony", _("Signing ceremony")
    TRAINING = "training", _("Training")


# Kinds that count as rounds of negotiation on one project.
NEGOTIATION_KINDS = (ActivityKind.NEGOTIATION, ActivityKind.ONLINE_NEGOTIATION)
