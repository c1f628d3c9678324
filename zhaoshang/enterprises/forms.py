"""Forms of enterprises and contacts; adding an existing enterprise offers that one instead."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.forms import ScopedModelForm
from zhaoshang.core.scope import ADD, CHANGE, units_for
from zhaoshang.enterprises.choices import EnterpriseTag
from zhaoshang.enterprises.models import TAG_FIELDS, Contact, Enterprise
from zhaoshang.enterprises.normalize import normalize_name
from zhaoshang.enterprises.validators import clean_credit_code, validate_credit_code

PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{4,28}[0-9]$")


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    """Check boxes side by side, Tabler style."""

    template_name = "enterprises/widgets/inline_checkboxes.html"


def duplicate_error(user, existing, reason):
    """The message offering an existing enterprise: a link when the user sees it,
    otherwise only that it exists in another unit."""
    if Enterprise.objects.visible_to(user).filter(pk=existing.pk).exists():
        if reason == "credit_code":
            text = _(
                "An enterprise with this credit code is already registered: {link} ({unit}). "
                "Please use it instead of adding it again."
            )
        else:
            text = _(
                "An enterprise with the same name is already registered: {link} ({unit}). "
                "Please use it instead of adding it again."
            )
        link = format_html(
            '<a href="{}" data-testid="existing-enterprise">{}</a>',
            existing.get_absolute_url(),
            existing.name,
        )
        message = format_html(text, link=link, unit=existing.unit)
    elif reason == "credit_code":
        message = _(
            "An enterprise with this credit code is already registered by another unit; "
            "ask the investment promotion bureau to share it."
        )
    else:
        message = _(
            "An enterprise with the same name is already registered by another unit; "
            "ask the investment promotion bureau to share it."
        )
    return ValidationError(message, code="duplicate")


class EnterpriseForm(ScopedModelForm):
    website = forms.URLField(
        label=Enterprise._meta.get_field("website").verbose_name,
        max_length=200,
        required=False,
        assume_scheme="https",
    )
    # One group of check boxes for the tag booleans of the model.
    tags = forms.MultipleChoiceField(
        label=gettext_lazy("tags"),
        choices=EnterpriseTag.choices,
        widget=InlineCheckboxes,
        required=False,
    )
    field_order = [
        "name",
        "credit_code",
        "unit",
        "former_names",
        "industry",
        "tags",
        "registered_capital",
    ]

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "unit",
            "former_names",
            "industry",
            "registered_capital",
            "province",
            "city",
            "county",
            "website",
            "notes",
        ]
        widgets = {
            "former_names": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "maxlength": "22"}
        )
        self.fields["credit_code"].max_length = 22
        self.initial["tags"] = [tag for tag in TAG_FIELDS if getattr(self.instance, tag)]
        units = self.fields["unit"].queryset
        if self.user is not None and not self.instance.pk and getattr(self.user, "unit_id", None):
            if units.filter(pk=self.user.unit_id).exists():
                self.initial["unit"] = self.user.unit_id

    def clean_credit_code(self):
        code = clean_credit_code(self.cleaned_data.get("credit_code"))
        validate_credit_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        others = Enterprise.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        code = cleaned.get("credit_code")
        if code:
            existing = others.filter(credit_code=code).select_related("unit").first()
            if existing is not None:
                self.add_error("credit_code", duplicate_error(self.user, existing, "credit_code"))
        name = cleaned.get("name")
        if name and normalize_name(name):
            existing = (
                others.filter(normalized_name=normalize_name(name)).select_related("unit").first()
            )
            if existing is not None:
                self.add_error("name", duplicate_error(self.user, existing, "name"))
        return cleaned

    def save(self, commit=True):
        chosen = set(self.cleaned_data.get("tags") or ())
        for tag in TAG_FIELDS:
            setattr(self.instance, tag, tag in chosen)
        return super().save(commit=commit)


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["enterprise", "name", "title", "phone", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A contact may be added to (or moved to) an enterprise of a unit where the user
        # may add (or change) contacts.
        action = ADD if self.instance._state.adding else CHANGE
        units = units_for(self.user, Contact, action)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(unit__in=units)

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(
                _("Enter a phone number of digits, e.g. 13812345678 or 0512-66881234."),
                code="invalid",
            )
        return phone
