from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from zhaoshang.core import changelog, textsearch

        changelog.connect_signals()
        post_migrate.connect(textsearch.ensure_indexes, sender=self)
