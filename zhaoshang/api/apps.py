from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Choice sets used by fields of different names (a unit's `kind`, an indicator's
# `certifying_level`): one enum name each in the schema, so the names stay stable.
ENUM_NAMES = {"UnitKindEnum": "zhaoshang.organization.choices.UnitKind"}


class ApiConfig(AppConfig):
    name = "zhaoshang.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self):
        from django.conf import settings

        overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
        for name, path in ENUM_NAMES.items():
            overrides.setdefault(name, path)
