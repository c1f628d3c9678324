from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from zhaoshang.api import exceptions, pages, targets, views

app_name = "api"

router = DefaultRouter()
router.register("organization/units", views.UnitViewSet, basename="unit")
router.register("organization/users", views.UserViewSet, basename="user")
router.register("enterprises/enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("enterprises/contacts", views.ContactViewSet, basename="contact")
router.register("pipeline/leads", views.LeadViewSet, basename="lead")
router.register("pipeline/projects", views.ProjectViewSet, basename="project")
router.register("pipeline/milestones", views.MilestoneViewSet, basename="milestone")
router.register("pipeline/approvals", views.ApprovalViewSet, basename="approval")
router.register("pipeline/issues", views.ProjectIssueViewSet, basename="projectissue")
router.register("pipeline/evidence", views.EvidenceViewSet, basename="evidence")
router.register("targets/indicators", targets.IndicatorViewSet, basename="indicator")
router.register("targets/targets", targets.TargetViewSet, basename="target")
router.register("targets/reported-values", targets.ReportedValueViewSet, basename="reportedvalue")
router.register("activities/activities", views.ActivityViewSet, basename="activity")
router.register("carriers/parks", views.ParkViewSet, basename="park")
router.register("carriers/parcels", views.LandParcelViewSet, basename="landparcel")
router.register("carriers/buildings", views.BuildingViewSet, basename="building")

urlpatterns = [
    path("schema/", pages.SchemaView.as_view(), name="schema"),
    path("docs/", pages.swagger, name="docs"),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.revoke, name="token_revoke"),
    path("targets/figures/", targets.FiguresView.as_view(), name="figures"),
    path("targets/ranking/", targets.RankingView.as_view(), name="ranking"),
    *router.urls,
    # [\s\S], not ".": an address with an encoded newline (%0A) must land here too.
    re_path(r"^[\s\S]*$", exceptions.not_found),
]
