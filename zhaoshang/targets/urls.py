from django.urls import path

from zhaoshang.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/<int:pk>/records/", views.records_page, name="records"),
    path("grid/<int:pk>/<int:year>/", views.target_grid, name="grid"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    *views.IndicatorViews.urls(),
    *views.ReportedValueViews.urls(),
    *views.CertificationViews.urls(),
    *views.CapitalIncreaseViews.urls(),
    *views.IndicatorWeightViews.urls(),
    *views.BonusItemViews.urls(),
]
