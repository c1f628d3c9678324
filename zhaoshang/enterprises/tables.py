"""Which columns: the ledgers of enterprises and contacts."""

import django_tables2 as tables
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import BaseTable
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.enterprises.privacy import mask_phone, phone_for


class EnterpriseTable(BaseTable):
    name = tables.Column(linkify=True)
    registered_capital = tables.Column(attrs={"td": {"class": "text-end"}})
    tags = tables.Column(verbose_name=_("tags"), empty_values=(), orderable=False)
    registered_place = tables.Column(
        verbose_name=_("registered place"),
        empty_values=(),
        order_by=("province", "city", "county"),
    )

    class Meta(BaseTable.Meta):
        model = Enterprise
        fields = (
            "name",
            "credit_code",
            "industry",
            "registered_capital",
            "registered_place",
            "tags",
            "unit",
        )

    def render_tags(self, record):
        return "、".join(str(tag.label) for tag in record.tags) or "—"

    def render_registered_place(self, record):
        return record.registered_place or "—"

    def value_tags(self, record):
        return "、".join(str(tag.label) for tag in record.tags)


class ContactTable(BaseTable):
    """Phone numbers go through privacy.phone_for: masked unless the user may see them.

    The user is the `user` argument, else the request's (set by RequestConfig); with
    neither, numbers are masked.
    """

    name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)
    phone = tables.Column()

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    class Meta(BaseTable.Meta):
        model = Contact
        fields = ("name", "enterprise", "title", "phone", "email")
        empty_text = _("No records.")

    def _viewer(self):
        if self.user is not None:
            return self.user
        request = getattr(self, "request", None)
        return getattr(request, "user", None)

    def render_phone(self, value, record):
        viewer = self._viewer()
        return phone_for(viewer, record) if viewer is not None else mask_phone(value)

    def value_phone(self, value, record):
        return self.render_phone(value, record)

    def export_value_phone(self, value, row, user):
        """The Excel export's hook (core/export.py): the number as the exporting user may
        see it."""
        return phone_for(user, value or "")


class InvestorProjectTable(BaseTable):
    """The projects an enterprise invests in, on its detail page (pipeline.Project)."""

    name = tables.Column(verbose_name=_("project"))
    stage = tables.Column(verbose_name=_("stage"))
    total_investment = tables.Column(
        verbose_name=_("total investment (10k yuan)"), attrs={"td": {"class": "text-end"}}
    )
    responsible_unit = tables.Column(verbose_name=_("responsible unit"))

    class Meta(BaseTable.Meta):
        empty_text = _("No records.")

    def render_name(self, record, value):
        try:
            url = record.get_absolute_url()
        except NoReverseMatch:  # the project pages are not there yet
            return value
        return format_html('<a href="{}">{}</a>', url, value)
