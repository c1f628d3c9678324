from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "zhaoshang.organization"
    label = "organization"
    verbose_name = _("Organization")

    def ready(self):
        from zhaoshang.organization import roles, signals  # noqa: F401

        # After every migrate (and every test-database flush) the role groups are rebuilt.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="zs_sync_role_groups")
