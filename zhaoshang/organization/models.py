"""The unit tree, peer groups, unit classes and users."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import ChangeLoggedModel, TimestampedModel
from zhaoshang.core.scope import ScopedQuerySet
from zhaoshang.organization.choices import JURISDICTION_KINDS, Role, UnitKind

code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", _("Use only letters, digits, hyphens and underscores.")
)


class PeerGroup(ChangeLoggedModel, TimestampedModel):
    """Units ranked against each other (同城组, 考核分组), defined by an owning unit."""

    unit_field = "owner_unit"

    name = models.CharField(_("name"), max_length=100)
    owner_unit = models.ForeignKey(
        "Unit", verbose_name=_("defined by"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "name"],
                name="peergroup_unique_name",
                violation_error_message=_("A peer group with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_path(cls):
        return "owner_unit__path"

    def get_absolute_url(self):
        return reverse("organization:peergroup_detail", args=[self.pk])


class UnitClass(ChangeLoggedModel, TimestampedModel):
    """A class of units that share indicator weights (目标分类管理)."""

    unit_field = "owner_unit"

    name = models.CharField(_("name"), max_length=100)
    owner_unit = models.ForeignKey(
        "Unit", verbose_name=_("defined by"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit class")
        verbose_name_plural = _("unit classes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "name"],
                name="unitclass_unique_name",
                violation_error_message=_("A unit class with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_path(cls):
        return "owner_unit__path"

    def get_absolute_url(self):
        return reverse("organization:unitclass_detail", args=[self.pk])


class Unit(ChangeLoggedModel, TimestampedModel):
    """A node of the organization tree: city, district, bureau, street, park, office, team.

    `path` is the chain of codes from the root ("/3201/320105/jy-street/"), so a subtree
    is one indexed prefix query; it is kept up to date when a unit moves or is renamed.
    """

    changelog_exclude = ChangeLoggedModel.changelog_exclude | {"path", "depth"}

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Letters, digits, hyphens or underscores, unique across the system."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    peer_group = models.ForeignKey(
        PeerGroup,
        verbose_name=_("peer group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
    )
    unit_class = models.ForeignKey(
        UnitClass,
        verbose_name=_("unit class"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_path(cls):
        return "path"

    def changelog_unit(self, deleted=False):
        # A deleted unit's entry is filed under its parent, which still exists.
        return self.parent_id if deleted else self.pk

    def get_absolute_url(self):
        return reverse("organization:unit_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id and self.pk:
            if self.parent_id == self.pk or self.parent.path.startswith(self._stored_path()):
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or its own subunits.")}
                )

    def _stored_path(self):
        return Unit.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""

    def _computed_path(self):
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    def save(self, *args, **kwargs):
        new_path = self._computed_path()
        old_path = self._stored_path() if self.pk else ""
        self.path = new_path
        self.depth = new_path.count("/") - 2
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                # Re-root the whole subtree in one statement.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                )
                for child in Unit.objects.filter(path__startswith=new_path).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(depth=child.path.count("/") - 2)

    def ancestors(self, include_self=True):
        """The units from the root down to this one."""
        codes = self.path.strip("/").split("/")
        if not include_self:
            codes = codes[:-1]
        by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def jurisdiction(self):
        """The nearest district, zone, city or province at or above this unit."""
        if not hasattr(self, "_jurisdiction"):
            chain = self.ancestors()
            found = [u for u in chain if u.kind in JURISDICTION_KINDS]
            self._jurisdiction = found[-1] if found else chain[0]
        return self._jurisdiction

    def descendants(self, include_self=True):
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(ChangeLoggedModel, AbstractUser):
    """A person who logs in. Belongs to one unit; holds roles as Django groups."""

    unit_field = "unit"
    changelog_labels = {"groups": _("roles")}

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @classmethod
    def scope_path(cls):
        return "unit__path"

    def get_absolute_url(self):
        return reverse("organization:user_detail", args=[self.pk])

    @classmethod
    def changelog_display(cls, field_name, value):
        # Roles are groups named by role code; the history shows their Chinese names.
        if field_name == "groups" and isinstance(value, list):
            return [str(Role(v).label) if v in Role else v for v in value]
        return value

    @property
    def role_codes(self):
        from zhaoshang.core.scope import user_roles

        return user_roles(self)

    def role_labels(self):
        return [Role(code).label for code in self.role_codes]
