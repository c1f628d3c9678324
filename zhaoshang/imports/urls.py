from django.urls import path

from zhaoshang.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/undo/", views.undo_batch, name="undo"),
    path("templates/<str:code>.xlsx", views.template, name="template"),
]
