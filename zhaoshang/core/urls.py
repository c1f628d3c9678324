from django.urls import path

from zhaoshang.core import changelog_views, views_home

app_name = "core"

urlpatterns = [
    path("changelog/", changelog_views.changelog_list, name="changelog"),
    path("healthz", views_home.healthz, name="healthz"),
]
