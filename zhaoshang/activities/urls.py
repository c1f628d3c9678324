from zhaoshang.activities import views

app_name = "activities"

urlpatterns = [
    *views.ActivityViews.urls(),
]
