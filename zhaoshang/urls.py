from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhaoshang.core import views as core_views
from zhaoshang.core import views_home

urlpatterns = [
    path("", views_home.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/password/done/"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("zhaoshang.core.urls")),
    path("org/", include("zhaoshang.organization.urls")),
    path("enterprises/", include("zhaoshang.enterprises.urls")),
    path("pipeline/", include("zhaoshang.pipeline.urls")),
    path("activities/", include("zhaoshang.activities.urls")),
    path("carriers/", include("zhaoshang.carriers.urls")),
    path("targets/", include("zhaoshang.targets.urls")),
    path("imports/", include("zhaoshang.imports.urls")),
    path("reports/", include("zhaoshang.reports.urls")),
    path("api/", include("zhaoshang.api.urls")),
]

handler404 = core_views.not_found
handler403 = core_views.forbidden
handler500 = core_views.server_error
