from django.urls import path

from zhaoshang.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("archive/", views.run_list, name="run_list"),
    path("archive/<int:pk>/", views.run_detail, name="run_detail"),
    path("archive/<int:pk>/<str:fmt>/", views.run_download, name="run_download"),
    path("<slug:code>/", views.report_form, name="report_form"),
]
