"""Base table for every ledger page: user-chosen columns, a totals row, export hooks.

A ledger table declares, besides django-tables2's own options (all optional):

    class ProjectTable(BaseTable):
        class Meta(BaseTable.Meta):
            model = Project
            fields = ("name", "unit", "stage", "total_investment", "signed_on")
            totals = ("total_investment",)          # summed over the whole filtered set
            export_paths = {"unit": "unit__name"}   # fetch this ORM path (or expression)

        def export_value_contact_phone(self, value, row, user):
            return value if may_see_phones(user) else mask_phone(value)

See docs/DEVELOPING.md ("Ledger pages and Excel export").
"""

import django_tables2 as tables
from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext_lazy as _

PER_PAGE_CHOICES = (25, 50, 100, 200)


def table_option(table_class, name, default):
    """A ledger option declared on the table's Meta (django-tables2 keeps only its own)."""
    meta = getattr(table_class, "Meta", None)
    return getattr(meta, name, default) if meta is not None else default


def orm_path(accessor):
    """The ORM lookup path of a django-tables2 accessor ("unit.name" or "unit__name")."""
    return str(accessor).replace(".", "__")


class BaseTable(tables.Table):
    """Tabler-styled table; subclasses link their first column to the record."""

    totals_label = _("Total")

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-sm"}
        template_name = "generic/table.html"
        per_page = 50
        # Names of the columns summed in the totals row, over the whole filtered set, or a
        # dict {name: aggregate expression} for columns that are not a plain field path.
        totals = ()
        # {column name: ORM path or expression} the export fetches instead of the accessor.
        export_paths = {}

    # --- column choice ------------------------------------------------------------------
    def column_choices(self):
        """[(name, header, shown)] of every column, shown or not, in table order."""
        return [(bc.name, bc.header, bc.visible) for bc in self.columns.iterall()]

    def choose_columns(self, names):
        """Show exactly the columns in `names` (unknown names ignored); None keeps the default.

        Returns the names actually shown, in table order, or None if the default applies.
        """
        if not names:
            return None
        known = [bc.name for bc in self.columns.iterall()]
        chosen = [name for name in known if name in set(names)]
        if not chosen:
            return None
        for name in known:
            if name in chosen:
                self.columns.show(name)
            else:
                self.columns.hide(name)
        return chosen

    # --- totals -------------------------------------------------------------------------
    def total_expressions(self):
        """{column name: aggregate} for the shown columns that total."""
        declared = table_option(type(self), "totals", ())
        if not isinstance(declared, dict):
            declared = {name: None for name in declared}
        shown = {bc.name: bc for bc in self.columns}
        expressions = {}
        for name, expression in declared.items():
            if name in shown:
                expressions[name] = expression or Sum(orm_path(shown[name].accessor))
        return expressions

    def compute_totals(self, queryset):
        """Fill `totals_row` from one aggregate over the whole filtered queryset.

        The row is a list of cells aligned with the shown columns; None when no shown
        column totals.
        """
        self.totals_row = None
        expressions = self.total_expressions()
        if not expressions:
            return None
        sums = queryset.order_by().aggregate(**expressions)
        self.totals_values = sums
        cells = []
        for index, bc in enumerate(self.columns):
            if bc.name in sums:
                value = sums[bc.name]
                text = "" if value is None else formats.number_format(value, force_grouping=True)
                cells.append({"name": bc.name, "text": text, "numeric": True})
            else:
                label = self.totals_label if index == 0 else ""
                cells.append({"name": bc.name, "text": label, "numeric": False})
        self.totals_row = cells
        return sums
