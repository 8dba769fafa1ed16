"""The API's URLs, version 1: one router over the apps' viewsets, and the DTI score."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from assignments.api import views as assignments
from dti.api.views import DtiScoreView
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


class TokenView(ObtainAuthToken):
    """A user's API token for their username and password, at most 5 tries a minute."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    # ObtainAuthToken names its own parsers: the portal's, so a deep body is a 400 here too.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def get_serializer_context(self):
        # django-axes counts failures and marks a lockout on the request it is given;
        # its middleware reads the mark from Django's request, not DRF's wrapper.
        return {**super().get_serializer_context(), "request": self.request._request}


# The API authenticates itself (session or token) and answers 401/403 in JSON; the
# login page redirect of LoginRequiredMiddleware is for browsers.
urlpatterns = [
    *router.urls,
    path("dti-score/", DtiScoreView.as_view(), name="dti-score"),
    path("token/", TokenView.as_view(), name="token"),
]
for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
