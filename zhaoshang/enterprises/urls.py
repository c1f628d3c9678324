from zhaoshang.enterprises.views import ContactViews, EnterpriseViews

app_name = "enterprises"

urlpatterns = [*EnterpriseViews.urls(), *ContactViews.urls()]
