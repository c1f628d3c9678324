"""The derived flags of a project (亿元以上, 外资, 500强 …), defined once, computed by the database.

`FLAGS` maps a flag's code to its label and its condition; the FilterSet filters by the
condition and the table shows the annotations of `with_flags`.
"""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhaoshang.pipeline.choices import CapitalOrigin

YI = Decimal("10000")  # 1 亿元 = 10000 万元; 1 亿美元 = 10000 万美元


def _or_enterprise_tag(q, field_name):
    """`q`, or the investor's tag field once Enterprise has it (the enterprises app adds it)."""
    from zhaoshang.enterprises.models import Enterprise

    try:
        Enterprise._meta.get_field(field_name)
    except FieldDoesNotExist:
        return q
    return q | Q(**{f"investor__{field_name}": True})


def _flags():
    return {
        "over_100m": (_("≥ 100 million yuan"), Q(total_investment__gte=YI)),
        "over_1b": (_("≥ 1 billion yuan"), Q(total_investment__gte=YI * 10)),
        "over_100m_usd": (_("≥ 100 million USD"), Q(contracted_fdi__gte=YI)),
        "foreign": (
            _("Foreign-funded"),
            Q(contracted_fdi__gt=0) | Q(capital_origin=CapitalOrigin.ABROAD),
        ),
        "fortune500": (
            pgettext_lazy("project flag", "Fortune Global 500"),
            _or_enterprise_tag(Q(fortune500=True), "fortune_global_500"),
        ),
        "central_soe": (_("Central SOE"), _or_enterprise_tag(Q(central_soe=True), "central_soe")),
        "headquarters": (_("Headquarters"), Q(is_headquarters=True)),
    }


FLAG_CODES = (
    "over_100m",
    "over_1b",
    "over_100m_usd",
    "foreign",
    "fortune500",
    "central_soe",
    "headquarters",
)


def flag_choices():
    flags = _flags()
    return [(code, flags[code][0]) for code in FLAG_CODES]


def flag_q(code):
    return _flags()[code][1]


def filter_flags(queryset, codes):
    """The projects that carry every flag in `codes`."""
    for code in codes:
        queryset = queryset.filter(flag_q(code))
    return queryset


def with_flags(queryset):
    """Annotate `flag_<code>` booleans on every project, in the query itself."""
    return queryset.annotate(
        **{
            f"flag_{code}": Case(
                When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
            for code, (_label, condition) in _flags().items()
        }
    )


def flags_of(project):
    """[(code, label)] of the flags an annotated project carries."""
    flags = _flags()
    return [
        (code, flags[code][0]) for code in FLAG_CODES if getattr(project, f"flag_{code}", False)
    ]
