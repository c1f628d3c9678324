"""Forms of the targets app."""

from zhaoshang.core.forms import ScopedModelForm
from zhaoshang.core.periods import Period
from zhaoshang.targets.models import Indicator


class IndicatorForm(ScopedModelForm):
    class Meta:
        model = Indicator
        fields = (
            "code",
            "name",
            "owner_unit",
            "unit_of_measure",
            "source",
            "field",
            "stage",
            "filters",
            "certified_only",
            "certifying_level",
            "sort_order",
            "description",
        )


def parse_period(code, default):
    """A Period from a query code; the default for an empty or malformed one."""
    try:
        return Period.parse(code) if code else default
    except ValueError:
        return default
