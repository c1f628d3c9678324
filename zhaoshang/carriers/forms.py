"""Forms of the carriers app."""

import json

from django import forms

from zhaoshang.carriers.models import Building, BuildingTenant, LandParcel, Park
from zhaoshang.core.forms import ScopedModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParkForm(ScopedModelForm):
    class Meta:
        model = Park
        fields = ["name", "area_mu", "description", "unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CompactJSONField(forms.JSONField):
    """Shows the outline on one line per ring rather than one number per line."""

    def prepare_value(self, value):
        if value is None or isinstance(value, forms.fields.InvalidJSONInput):
            return super().prepare_value(value)
        return json.dumps(value, ensure_ascii=False)


class LandParcelForm(ScopedModelForm):
    class Meta:
        model = LandParcel
        fields = [
            "code",
            "name",
            "land_use",
            "area_mu",
            "status",
            "sold_date",
            "buyer_project",
            "park",
            "location",
            "longitude",
            "latitude",
            "polygon",
            "unit",
        ]
        field_classes = {"polygon": CompactJSONField}
        widgets = {"sold_date": DATE, "polygon": forms.Textarea(attrs={"rows": 3})}


class BuildingForm(ScopedModelForm):
    class Meta:
        model = Building
        fields = [
            "name",
            "address",
            "park",
            "total_floor_area",
            "vacant_floor_area",
            "longitude",
            "latitude",
            "unit",
        ]


class BuildingTenantForm(ScopedModelForm):
    class Meta:
        model = BuildingTenant
        fields = ["building", "enterprise", "move_in_date", "move_out_date", "floor_area"]
        widgets = {"move_in_date": DATE, "move_out_date": DATE}
