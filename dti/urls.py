"""The DTI pages, under the dashboards' address (``/reporting/dashboard/dti/``)."""

from django.urls import path

from . import views

app_name = "dti"

urlpatterns = [
    path("", views.DtiScoreView.as_view(), name="score"),
    path("evidence/", views.DtiEvidenceView.as_view(), name="evidence"),
    path("evidence.zip", views.DtiEvidenceDownloadView.as_view(), name="evidence-zip"),
]
