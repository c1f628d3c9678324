"""Choice lists of the enterprises app (also used by pipeline)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustrySection(models.TextChoices):
    """The 20 sections (门类) A–T of GB/T 4754-2017, the national industry classification."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water production and supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and postal services")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and information technology services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities management")
    O = "O", _("Resident services, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


class EnterpriseTag(models.TextChoices):
    """Labels an enterprise may carry; each is stored as a boolean field on Enterprise."""

    FORTUNE_GLOBAL_500 = "fortune_global_500", _("Fortune Global 500")
    CHINA_TOP_500 = "china_top_500", _("China Top 500")
    CENTRAL_SOE = "central_soe", _("Central state-owned enterprise")
    LISTED = "listed", _("Listed company")
    INDUSTRY_LEADER = "industry_leader", _("Industry leader")
    SPECIALISED = "specialised", _("Specialised and sophisticated SME")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    ABOVE_SCALE = "above_scale", _("Above designated scale")
