"""The start page after login, and the health probe."""

from django.http import JsonResponse
from django.shortcuts import render

from zhaoshang.core.models import ChangeLogEntry
from zhaoshang.core.scope import VIEW, can, units_for


def home(request):
    from zhaoshang.organization.models import Unit, User

    user = request.user
    context = {
        "unit_count": units_for(user, Unit, VIEW).count() if can(user, Unit, VIEW) else None,
        "user_count": User.objects.visible_to(user).count() if can(user, User, VIEW) else None,
        "recent_changes": (
            ChangeLogEntry.objects.visible_to(user)
            .exclude(action__in=["login", "logout", "login_failed"])
            .select_related("content_type")[:10]
            if can(user, ChangeLogEntry, VIEW)
            else None
        ),
    }
    return render(request, "home.html", context)


def healthz(request):
    return JsonResponse({"status": "ok"})
