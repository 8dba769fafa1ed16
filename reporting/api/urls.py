from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import SimpleRouter

from .views import ReportingPeriodViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("submissions", SubmissionViewSet, basename="submission")

# The API authenticates itself and answers 401/403 in JSON; the login page redirect
# of LoginRequiredMiddleware is for browsers.
urlpatterns = router.urls
for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
