"""Which columns: the indicator ledger."""

import django_tables2 as tables

from zhaoshang.core.tables import BaseTable
from zhaoshang.targets.models import Indicator


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
