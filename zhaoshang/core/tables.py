"""Base table for every ledger page."""

import django_tables2 as tables


class BaseTable(tables.Table):
    """Tabler-styled table; subclasses link their first column to the record."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-sm"}
        template_name = "generic/table.html"
        per_page = 50
