from django.urls import path

from zhaoshang.pipeline import views

app_name = "pipeline"

urlpatterns = [
    *views.LeadViews.urls(),
    path("leads/<int:pk>/verify/", views.lead_verify, name="lead_verify"),
    path("leads/<int:pk>/drop/", views.lead_drop, name="lead_drop"),
    path("leads/<int:pk>/convert/", views.lead_convert, name="lead_convert"),
    *views.ProjectViews.urls(),
    path("projects/<int:pk>/move/", views.project_move, name="project_move"),
    *views.MilestoneViews.urls(),
    *views.ApprovalViews.urls(),
    *views.ProjectIssueViews.urls(),
    *views.EvidenceViews.urls(),
    path("evidences/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    *views.ProjectHeadquartersViews.urls(),
]
