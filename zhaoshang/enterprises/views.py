"""Pages of the enterprise database (企业库): enterprises and their contacts."""

from types import SimpleNamespace

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import VIEW, can
from zhaoshang.core.views import ObjectViews, record_history
from zhaoshang.enterprises import filtersets, forms, tables
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.enterprises.privacy import can_see_full_phone, mask_phone, phone_for


class EnterpriseViews(ObjectViews):
    model = Enterprise
    filterset = filtersets.EnterpriseFilterSet
    table = tables.EnterpriseTable
    form = forms.EnterpriseForm
    list_template = "enterprises/enterprise_list.html"
    detail_template = "enterprises/enterprise_detail.html"
    detail_fields = (
        "name",
        "credit_code",
        "former_names",
        "unit",
        "industry",
        "registered_capital",
        "website",
        "notes",
    )

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("unit")

    @classmethod
    def related(cls, obj, user):
        sections = []
        if can(user, Contact, VIEW):
            contacts = Contact.objects.visible_to(user).filter(enterprise=obj)
            contacts = contacts.select_related("enterprise")
            sections.append(
                (
                    _("Contacts"),
                    tables.ContactTable(
                        contacts, user=user, orderable=False, exclude=("enterprise",)
                    ),
                )
            )
        project_model = apps.get_model("pipeline", "Project")
        if can(user, project_model, VIEW):
            projects = project_model.objects.visible_to(user).filter(investor=obj)
            projects = projects.select_related("responsible_unit")
            sections.append((_("Projects"), tables.InvestorProjectTable(projects, orderable=False)))
        return sections

    @classmethod
    def extra_detail_context(cls, obj, user):
        return {
            "extra_rows": [(_("registered place"), obj.registered_place)],
            "tags": obj.tags,
        }


class MaskedEntry(SimpleNamespace):
    """A change-log entry as shown to a user who may not see full phone numbers."""

    def change_rows(self):
        return [
            (label, mask_phone(before) if before else before, mask_phone(after) if after else after)
            if self.phone_label == label
            else (label, before, after)
            for label, before, after in self.entry.change_rows()
        ]


class ContactViews(ObjectViews):
    model = Contact
    filterset = filtersets.ContactFilterSet
    table = tables.ContactTable
    form = forms.ContactForm
    # The phone is shown through privacy.phone_for (extra_rows), never raw.
    detail_fields = ("enterprise", "name", "title", "email", "notes")

    @classmethod
    def list_queryset(cls, queryset):
        return queryset.select_related("enterprise")

    @classmethod
    def history(cls, obj, user):
        history = record_history(obj)
        if not can_see_full_phone(user):
            label = Contact._meta.get_field("phone").verbose_name
            history = [
                MaskedEntry(
                    entry=e,
                    phone_label=label,
                    time=e.time,
                    username=e.username,
                    ip=e.ip,
                    get_action_display=e.get_action_display(),
                )
                for e in history
            ]
        return history

    @classmethod
    def extra_detail_context(cls, obj, user):
        return {"extra_rows": [(_("phone"), phone_for(user, obj))]}
