from django.urls import path

from zhaoshang.carriers import views

app_name = "carriers"

urlpatterns = [
    path("map/", views.carrier_map, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    *views.ParkViews.urls(),
    *views.LandParcelViews.urls(),
    *views.BuildingViews.urls(),
    *views.BuildingTenantViews.urls(),
]
