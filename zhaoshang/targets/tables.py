"""Which columns: the indicator ledger."""

import django_tables2 as tables

from zhaoshang.core.tables import BaseTable
from zhaoshang.targets.models import (
    BonusItem,
    CapitalIncrease,
    Certification,
    Indicator,
    IndicatorWeight,
    ReportedValue,
)


class IndicatorTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = (
            "sort_order",
            "name",
            "code",
            "unit_of_measure",
            "source",
            "stage",
            "certified_only",
            "owner_unit",
        )
        sequence = fields


def _own_page(record):
    return record.get_absolute_url()


class ReportedValueTable(BaseTable):
    unit = tables.Column(linkify=_own_page)

    class Meta(BaseTable.Meta):
        model = ReportedValue
        fields = ("year", "month", "unit", "indicator", "value", "reported_by", "reported_at")
        sequence = fields
        totals = ("value",)


class CertificationTable(BaseTable):
    project = tables.Column(linkify=True)
    indicator = tables.Column()
    date = tables.Column(linkify=_own_page)

    class Meta(BaseTable.Meta):
        model = Certification
        fields = (
            "date",
            "project",
            "indicator",
            "certified_by",
            "evidence",
            "withdrawn_on",
            "withdrawal_reason",
        )
        sequence = fields


class CapitalIncreaseTable(BaseTable):
    project = tables.Column(linkify=True)
    date = tables.Column(linkify=_own_page)

    class Meta(BaseTable.Meta):
        model = CapitalIncrease
        fields = ("date", "project", "field", "amount", "note")
        sequence = fields
        totals = ("amount",)


class IndicatorWeightTable(BaseTable):
    unit_class = tables.Column(linkify=_own_page)

    class Meta(BaseTable.Meta):
        model = IndicatorWeight
        fields = ("unit_class", "indicator", "weight", "cap")
        sequence = fields


class BonusItemTable(BaseTable):
    reason = tables.Column(linkify=_own_page)

    class Meta(BaseTable.Meta):
        model = BonusItem
        fields = ("year", "month", "unit", "reason", "points")
        sequence = fields
        totals = ("points",)
