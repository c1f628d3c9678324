from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "zhaoshang.targets"
    label = "targets"
    verbose_name = _("Targets and assessment")

    def ready(self):
        from zhaoshang.targets.standard import ensure_standard

        post_migrate.connect(ensure_standard, sender=self)
