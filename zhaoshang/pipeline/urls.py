app_name = "pipeline"

urlpatterns = []
