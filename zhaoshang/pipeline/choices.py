"""Choice lists of the pipeline app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
