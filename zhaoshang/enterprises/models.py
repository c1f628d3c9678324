"""Enterprises (企业库) and their contacts (客商)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import BusinessRecord, UnitOwnedRecord
from zhaoshang.enterprises.choices import EnterpriseTag, IndustrySection
from zhaoshang.enterprises.normalize import normalize_name
from zhaoshang.enterprises.validators import clean_credit_code, validate_credit_code

# The boolean field of each tag; the field names are the tag values.
TAG_FIELDS = [tag.value for tag in EnterpriseTag]


def _tag_field(tag):
    return models.BooleanField(tag.label, default=False, db_index=True)


class Enterprise(UnitOwnedRecord):
    """A company met or targeted; identified by its unified social credit code when known.

    `normalized_name` (see normalize.py) is kept on every save; duplicates are found and
    names searched through it, so traditional or full-width spellings match.
    """

    changelog_exclude = UnitOwnedRecord.changelog_exclude | {
        "normalized_name",
        "normalized_former_names",
    }

    # Free-text search by any fragment is served by a trigram index (core.textsearch).
    text_search_fields = ("name",)

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters; leave empty when unknown."),
    )
    former_names = models.TextField(
        _("former names"), blank=True, help_text=_("One name per line.")
    )
    normalized_name = models.CharField(
        _("normalised name"), max_length=200, db_index=True, editable=False, default=""
    )
    normalized_former_names = models.TextField(
        _("normalised former names"), editable=False, blank=True, default=""
    )
    registered_capital = models.DecimalField(
        _("registered capital (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    province = models.CharField(_("province of registration"), max_length=50, blank=True)
    city = models.CharField(_("city of registration"), max_length=50, blank=True)
    county = models.CharField(_("county of registration"), max_length=50, blank=True)
    industry = models.CharField(
        _("industry"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    fortune_global_500 = _tag_field(EnterpriseTag.FORTUNE_GLOBAL_500)
    china_top_500 = _tag_field(EnterpriseTag.CHINA_TOP_500)
    central_soe = _tag_field(EnterpriseTag.CENTRAL_SOE)
    listed = _tag_field(EnterpriseTag.LISTED)
    industry_leader = _tag_field(EnterpriseTag.INDUSTRY_LEADER)
    specialised = _tag_field(EnterpriseTag.SPECIALISED)
    high_tech = _tag_field(EnterpriseTag.HIGH_TECH)
    above_scale = _tag_field(EnterpriseTag.ABOVE_SCALE)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="enterprise_unique_credit_code",
                violation_error_message=_("An enterprise with this credit code already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    @property
    def tags(self):
        """The EnterpriseTag members this enterprise carries."""
        return [tag for tag in EnterpriseTag if getattr(self, tag.value)]

    @property
    def registered_place(self):
        return "".join(part for part in (self.province, self.city, self.county) if part)

    def former_name_list(self):
        return [line.strip() for line in self.former_names.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.credit_code = clean_credit_code(self.credit_code)
        self.normalized_name = normalize_name(self.name)
        self.normalized_former_names = "\n".join(normalize_name(n) for n in self.former_name_list())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "name",
                "credit_code",
                "normalized_name",
                "normalized_former_names",
            }
        super().save(*args, **kwargs)


class Contact(BusinessRecord):
    """A person at an enterprise (客商). Personal information: see privacy.py.

    The contact belongs to its enterprise's unit: its scope follows the enterprise.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["enterprise__name", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:contact_detail", args=[self.pk])

    @classmethod
    def scope_path(cls):
        return "enterprise__unit__path"

    @property
    def unit(self):
        """The owning unit: the enterprise's (read by the change log through unit_field)."""
        return self.enterprise.unit if self.enterprise_id else None
