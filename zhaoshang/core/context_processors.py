"""What the shell (base layout) needs on every page: navigation and who is logged in."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import VIEW, can

# The areas of the application; an area without a URL yet is shown as coming.
AREAS = [
    ("dashboard", _("Dashboard"), "ti-dashboard", "targets:dashboard"),
    ("projects", _("Projects"), "ti-briefcase", "pipeline:project_list"),
    ("leads", _("Leads"), "ti-bulb", "pipeline:lead_list"),
    ("enterprises", _("Enterprises"), "ti-building", "enterprises:enterprise_list"),
    ("activities", _("Activities"), "ti-plane-departure", "activities:activity_list"),
    ("carriers", _("Carriers"), "ti-map-2", "carriers:map"),
    ("targets", _("Targets & assessment"), "ti-target-arrow", "targets:indicator_list"),
    ("figures", _("Figures"), "ti-chart-bar", "targets:figures"),
    ("ranking", _("Rankings"), "ti-trophy", "targets:ranking"),
    ("imports", _("Import"), "ti-file-import", "imports:batch_list"),
    ("reports", _("Reports"), "ti-report", "reports:report_list"),
]


def _url_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _admin_items(user):
    from zhaoshang.core.models import ChangeLogEntry
    from zhaoshang.organization.models import PeerGroup, Unit, UnitClass, User

    items = [
        (Unit, _("Unit tree"), "organization:unit_tree"),
        (Unit, _("Units"), "organization:unit_list"),
        (User, _("Users"), "organization:user_list"),
        (PeerGroup, _("Peer groups"), "organization:peergroup_list"),
        (UnitClass, _("Unit classes"), "organization:unitclass_list"),
        (ChangeLogEntry, _("Change log"), "core:changelog"),
    ]
    return [(label, reverse(name)) for model, label, name in items if can(user, model, VIEW)]


def shell(request):
    from django.conf import settings

    public = {"login_cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return public
    return {
        **public,
        "nav_areas": [
            {"key": key, "label": label, "icon": icon, "url": _url_or_none(url)}
            for key, label, icon, url in AREAS
        ],
        "nav_admin": _admin_items(user),
        "current_roles": "、".join(str(label) for label in user.role_labels())
        if hasattr(user, "role_labels")
        else "",
    }
