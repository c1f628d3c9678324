from django.urls import path

from zhaoshang.organization import views

app_name = "organization"

urlpatterns = [
    path("units/tree/", views.unit_tree, name="unit_tree"),
    *views.UnitViews.urls(),
    *views.PeerGroupViews.urls(),
    *views.UnitClassViews.urls(),
    *views.UserViews.urls(),
]
