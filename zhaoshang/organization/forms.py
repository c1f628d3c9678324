"""Forms for units, peer groups, unit classes and users."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import ScopedModelForm
from zhaoshang.organization.choices import Role
from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "code",
            "kind",
            "parent",
            "peer_group",
            "unit_class",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A unit cannot move under itself or its own subunits.
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                path__startswith=self.instance.path
            )
        if self.user is not None and not self.user.is_superuser:
            from zhaoshang.core.scope import Reach, granting_reaches

            if Reach.ALL not in granting_reaches(self.user, Unit, "change"):
                # Below the top, every unit hangs under one the user may shape.
                self.fields["parent"].required = True


class PeerGroupForm(ScopedModelForm):
    class Meta:
        model = PeerGroup
        fields = ["name", "owner_unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class UnitClassForm(ScopedModelForm):
    class Meta:
        model = UnitClass
        fields = ["name", "owner_unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class UserForm(ScopedModelForm):
    """Create or edit a user; a new password is set here and checked by the validators."""

    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    new_password = forms.CharField(
        label=_("new password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("At least 10 characters, not too similar to the username, not a common one."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "unit", "title", "phone", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["roles"] = list(self.instance.role_codes)
        else:
            self.fields["new_password"].required = True

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password")
        if password:
            probe = self.instance
            probe.username = self.cleaned_data.get("username", probe.username)
            probe.full_name = self.cleaned_data.get("full_name", probe.full_name)
            probe.email = self.cleaned_data.get("email", probe.email)
            password_validation.validate_password(password, probe)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            user.set_password(self.cleaned_data["new_password"])
        if commit:
            user.save()
            self.save_m2m()
        return user

    def _save_m2m(self):
        super()._save_m2m()
        groups = Group.objects.filter(name__in=self.cleaned_data.get("roles") or [])
        self.instance.groups.set(groups)
        if hasattr(self.instance, "_zs_roles"):
            del self.instance._zs_roles
