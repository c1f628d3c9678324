"""Base form: every choice of a unit or a scoped record is limited to what the user may use."""

from django import forms

from zhaoshang.core.scope import ADD, CHANGE, units_for


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that knows its user and limits related-record choices to their scope."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        action = ADD if self.instance._state.adding else CHANGE
        from zhaoshang.organization.models import Unit

        model = self._meta.model
        for field in self.fields.values():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            related = field.queryset.model
            if related is Unit:
                field.queryset = units_for(user, model, action)
            elif hasattr(field.queryset, "visible_to"):
                field.queryset = field.queryset.visible_to(user)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
