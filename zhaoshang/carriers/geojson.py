"""Validation and simple geometry of the GeoJSON polygons drawn for land parcels."""

from numbers import Real

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def _check_position(position):
    if not isinstance(position, list | tuple) or len(position) not in (2, 3):
        raise ValidationError(
            _("Each point must be a list of longitude and latitude numbers."), code="position"
        )
    if not all(_is_number(v) for v in position):
        raise ValidationError(_("Coordinates must be numbers."), code="number")
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            _("Longitude must be within ±180 and latitude within ±90."), code="range"
        )


def _check_polygon(rings):
    if not isinstance(rings, list | tuple) or not rings:
        raise ValidationError(_("A polygon needs at least one ring of points."), code="rings")
    for ring in rings:
        if not isinstance(ring, list | tuple) or len(ring) < 4:
            raise ValidationError(
                _("Each ring of a polygon needs at least four points."), code="ring"
            )
        for position in ring:
            _check_position(position)
        if list(ring[0]) != list(ring[-1]):
            raise ValidationError(
                _("Each ring of a polygon must end at its first point."), code="closed"
            )


def validate_polygon_geojson(value):
    """Accept a GeoJSON Polygon or MultiPolygon geometry with numeric coordinates."""
    if value in (None, ""):
        return
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _('The outline must be a GeoJSON geometry of type "Polygon" or "MultiPolygon".'),
            code="type",
        )
    coordinates = value.get("coordinates")
    if value["type"] == "Polygon":
        _check_polygon(coordinates)
    else:
        if not isinstance(coordinates, list | tuple) or not coordinates:
            raise ValidationError(_("A multipolygon needs at least one polygon."), code="rings")
        for polygon in coordinates:
            _check_polygon(polygon)


def outer_rings(geometry):
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def centre(geometry):
    """(longitude, latitude) at the middle of the outline's bounding box, or None."""
    points = [p for ring in outer_rings(geometry) for p in ring]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
