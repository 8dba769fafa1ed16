"""The API's URLs, version 1: one router over the apps' viewsets, and the DTI score."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import SimpleRouter

from assignments.api import views as assignments
from dti.api.views import DtiScoreView
from dti_portal.token_api import TokenView
from indicators.api import views as indicators
from reporting.api.views import ProvinceFigureViewSet, ReportingPeriodViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("agencies", indicators.AgencyViewSet, basename="agency")
router.register("plans", indicators.PlanViewSet, basename="plan")
router.register("pillars", indicators.PillarViewSet, basename="pillar")
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")
router.register("targets", indicators.TargetViewSet, basename="target")
router.register("tasks", indicators.TaskViewSet, basename="task")
router.register(
    "indicator-assignments", assignments.IndicatorAssignmentViewSet, basename="indicator-assignment"
)
router.register("task-assignments", assignments.TaskAssignmentViewSet, basename="task-assignment")
router.register("obligations", assignments.ReportingObligationViewSet, basename="obligation")
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("figures", ProvinceFigureViewSet, basename="figure")


@csrf_exempt  # it writes nothing; a POST without the token must be a 404 too
def not_found(request):
    return JsonResponse({"code": "not_found", "detail": _("Không tìm thấy.")}, status=404)


# The API authenticates itself (session or token) and answers 401/403 in JSON; the
# login page redirect of LoginRequiredMiddleware is for browsers.
urlpatterns = [
    *router.urls,
    path("dti-score/", DtiScoreView.as_view(), name="dti-score"),
    path("token/", TokenView.as_view(), name="token"),
    # Anything else under /api/v1/ (an id that is no number, a misspelt resource) is a
    # 404 in the API's error shape, not an HTML page (a path without its final slash
    # is still redirected to the one with it first).
    re_path(r"^.*/$", not_found),
]
for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
