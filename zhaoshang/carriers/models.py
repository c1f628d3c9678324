"""Carriers (招商载体): parks, land parcels and office buildings with their tenants."""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.carriers.choices import LandUse, ParcelStatus
from zhaoshang.carriers.geojson import centre, validate_polygon_geojson
from zhaoshang.core.models import UnitOwnedRecord
from zhaoshang.core.scope import ScopedQuerySet

LONGITUDE = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]
LATITUDE = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


def coordinate(label, validators):
    return models.DecimalField(
        label, max_digits=10, decimal_places=6, null=True, blank=True, validators=validators
    )


class Park(UnitOwnedRecord):
    """An industrial park or cluster (园区) that holds parcels and buildings."""

    name = models.CharField(_("name"), max_length=200)
    area_mu = models.DecimalField(
        _("area (mu)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="park_unique_name",
                violation_error_message=_("A park with this name already exists in this unit."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:park_detail", args=[self.pk])


class LandParcel(UnitOwnedRecord):
    """A land parcel (地块) offered to investors, from reserve to sold."""

    code = models.CharField(_("parcel code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    longitude = coordinate(_("longitude"), LONGITUDE)
    latitude = coordinate(_("latitude"), LATITUDE)
    polygon = models.JSONField(
        _("outline (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_polygon_geojson],
        help_text=_(
            'A GeoJSON geometry of type "Polygon" or "MultiPolygon", in longitude/latitude.'
        ),
    )
    land_use = models.CharField(_("land use"), max_length=30, choices=LandUse.choices)
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ParcelStatus.choices, default=ParcelStatus.RESERVE
    )
    sold_date = models.DateField(_("sold on"), null=True, blank=True, db_index=True)
    buyer_project = models.ForeignKey(
        "pipeline.Project",
        verbose_name=_("buyer project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="land_parcels",
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcels",
    )

    class Meta:
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="landparcel_unique_code",
                violation_error_message=_("A land parcel with this code already exists."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("carriers:landparcel_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.status == ParcelStatus.SOLD and not self.sold_date:
            errors["sold_date"] = _("A sold parcel needs the date it was sold.")
        if self.status != ParcelStatus.SOLD and self.sold_date:
            errors["sold_date"] = _("Only a sold parcel has a sale date.")
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = _("Give both longitude and latitude, or neither.")
        if errors:
            raise ValidationError(errors)

    def position(self):
        """(longitude, latitude) as floats: the point given, else the outline's centre."""
        if self.longitude is not None and self.latitude is not None:
            return (float(self.longitude), float(self.latitude))
        return centre(self.polygon)


class BuildingQuerySet(ScopedQuerySet):
    def with_tenant_counts(self):
        """Annotate `tenant_count` (current tenants) and `above_scale_count` (规上 ones).

        A tenant is current until its move-out date. Whether an enterprise is above
        designated size is the enterprises app's `Enterprise.above_scale` flag; while that
        field does not exist the count is None.
        """
        today = timezone.localdate()
        current = Q(tenants__move_out_date__isnull=True) | Q(tenants__move_out_date__gt=today)
        annotations = {"tenant_count": Count("tenants", filter=current, distinct=True)}
        if enterprise_has_above_scale():
            annotations["above_scale_count"] = Count(
                "tenants",
                filter=current & Q(tenants__enterprise__above_scale=True),
                distinct=True,
            )
        else:
            annotations["above_scale_count"] = models.Value(
                None, output_field=models.IntegerField()
            )
        return self.annotate(**annotations)


def enterprise_has_above_scale():
    from zhaoshang.enterprises.models import Enterprise

    try:
        Enterprise._meta.get_field("above_scale")
    except FieldDoesNotExist:
        return False
    return True


class Building(UnitOwnedRecord):
    """An office or factory building (楼宇) with floor space for tenants."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buildings",
    )
    longitude = coordinate(_("longitude"), LONGITUDE)
    latitude = coordinate(_("latitude"), LATITUDE)
    total_floor_area = models.DecimalField(
        _("total floor area (m²)"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    vacant_floor_area = models.DecimalField(
        _("vacant floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vacant_floor_area__lte=models.F("total_floor_area")),
                name="building_vacant_within_total",
                violation_error_message=_(
                    "The vacant floor area cannot exceed the total floor area."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:building_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.total_floor_area is not None
            and self.vacant_floor_area is not None
            and self.vacant_floor_area > self.total_floor_area
        ):
            errors["vacant_floor_area"] = _(
                "The vacant floor area cannot exceed the total floor area."
            )
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = _("Give both longitude and latitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def occupancy_rate(self):
        """入驻率 in percent: (total − vacant) ÷ total, the one place it is computed."""
        if not self.total_floor_area:
            return None
        occupied = self.total_floor_area - (self.vacant_floor_area or 0)
        return (occupied * 100 / self.total_floor_area).quantize(Decimal("0.1"))

    def position(self):
        if self.longitude is not None and self.latitude is not None:
            return (float(self.longitude), float(self.latitude))
        return None


class BuildingTenant(UnitOwnedRecord):
    """An enterprise renting floor space in a building; owned by the building's unit."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="tenants"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="building_tenancies",
    )
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True, db_index=True)
    move_out_date = models.DateField(_("move-out date"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )

    class Meta:
        verbose_name = _("building tenant")
        verbose_name_plural = _("building tenants")
        ordering = ["building", "-move_in_date", "id"]

    def __str__(self):
        return f"{self.building} · {self.enterprise}"

    def get_absolute_url(self):
        return reverse("carriers:buildingtenant_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.building_id:
            # The tenancy belongs to the unit that owns the building.
            self.unit_id = self.building.unit_id
        if self.move_in_date and self.move_out_date and self.move_out_date < self.move_in_date:
            raise ValidationError(
                {"move_out_date": _("The move-out date cannot be before the move-in date.")}
            )

    def save(self, *args, **kwargs):
        if self.building_id:
            self.unit_id = self.building.unit_id
        super().save(*args, **kwargs)

    @property
    def is_current(self):
        return self.move_out_date is None or self.move_out_date > timezone.localdate()
