"""Forms of the import pages: the upload, and the column mapping."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import ADD, can, units_for
from zhaoshang.imports.declarations import RECORD_TYPES


def importable_types(user):
    """The record types the user may add, as (code, label) choices."""
    return [
        (code, rt.verbose_name) for code, rt in RECORD_TYPES.items() if can(user, rt.model, ADD)
    ]


class UploadForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel (.xlsx, .xls), WPS, LibreOffice (.ods) or CSV (UTF-8 or GBK); "
            "the header row is found by itself."
        ),
    )
    default_unit = forms.ModelChoiceField(
        label=_("Default unit"),
        queryset=None,
        required=False,
        empty_label=_("Not set"),
        help_text=_(
            "For rows without a unit column: this unit, else the 填报单位 line of the file, "
            "else your own unit."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["record_type"].choices = importable_types(user)
        from zhaoshang.organization.models import Unit

        units = Unit.objects.none()
        for _code, _label in self.fields["record_type"].choices[:1]:
            units = units_for(user, RECORD_TYPES[_code].model, ADD)
        self.fields["default_unit"].queryset = units.order_by("path")
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"id_{name}")
