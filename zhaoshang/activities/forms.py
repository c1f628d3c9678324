"""The activity form."""

from django import forms

from zhaoshang.activities.models import Activity
from zhaoshang.core.forms import ScopedModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "start_date",
            "end_date",
            "city",
            "place",
            "leader_name",
            "leader",
            "participants",
            "enterprises",
            "projects",
            "project",
            "outcome",
            "unit",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "enterprises": forms.SelectMultiple(attrs={"size": 6}),
            "projects": forms.SelectMultiple(attrs={"size": 6}),
        }
