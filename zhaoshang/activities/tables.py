"""Which columns: the activity ledger."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.models import Activity
from zhaoshang.core.tables import BaseTable


class ActivityTable(BaseTable):
    title = tables.Column(linkify=True)
    leader_name = tables.Column(verbose_name=_("leading person"), empty_values=())
    negotiation_round = tables.Column(
        verbose_name=_("round"), orderable=False, default="—", accessor="negotiation_round"
    )

    class Meta(BaseTable.Meta):
        model = Activity
        fields = ("start_date", "end_date", "kind", "title", "city", "leader_name", "unit")
        sequence = (
            "start_date",
            "end_date",
            "kind",
            "title",
            "negotiation_round",
            "city",
            "leader_name",
            "unit",
        )

    def render_leader_name(self, record):
        return record.leader_name or (str(record.leader) if record.leader else "—")

    def render_negotiation_round(self, value):
        return _("Round %(n)s") % {"n": value}
