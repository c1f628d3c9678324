"""What the shell (base layout) needs on every page: navigation and who is logged in."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scope import VIEW, can

# The areas of the application; an area without a URL yet is shown as coming.
AREAS = [
    ("dashboard", _("Dashboard"), "ti-dashboard", None),
    ("projects", _("Projects"), "ti-briefcase", None),
    ("leads", _("Leads"), "ti-bulb", None),
    ("enterprises", _("Enterprises"), "ti-building", None),
    ("activities", _("Activities"), "ti-plane-departure", None),
    ("carriers", _("Carriers"), "ti-map-2", None),
    ("targets", _("Targets & assessment"), "ti-target-arrow", None),
    ("reports", _("Reports"), "ti-report", None),
]


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
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_areas": [
            {"key": key, "label": label, "icon": icon, "url": reverse(url) if url else None}
            for key, label, icon, url in AREAS
        ],
        "nav_admin": _admin_items(user),
        "current_roles": "、".join(str(label) for label in user.role_labels())
        if hasattr(user, "role_labels")
        else "",
    }
