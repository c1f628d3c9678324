app_name = "carriers"

urlpatterns = []
