"""Choice lists of the carriers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LandUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED_COMMERCIAL_RESIDENTIAL = "mixed_commercial_residential", _("Commercial-residential")
    INDUSTRIAL = "industrial", _("Industrial")
    INNOVATIVE_INDUSTRIAL = "innovative_industrial", _("Innovative industrial (M0)")


class ParcelStatus(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    LISTED = "listed", _("Listed")
    SOLD = "sold", _("Sold")
