from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("submissions/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("submissions/approve/", views.SubmissionBulkApproveView.as_view(), name="submission-bulk-approve"),
    path("submissions/<int:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/edit/", views.SubmissionEditView.as_view(), name="submission-edit"),
    path("submissions/<int:pk>/return/", views.SubmissionReturnView.as_view(), name="submission-return"),
    path("submissions/<int:pk>/approve/", views.SubmissionApproveView.as_view(), name="submission-approve"),
    path("submissions/<int:pk>/reopen/", views.SubmissionReopenView.as_view(), name="submission-reopen"),
    path("submissions/<int:pk>/xlsx/", views.SubmissionWorkbookView.as_view(), name="submission-xlsx"),
    path("submissions/<int:pk>/upload/", views.SubmissionUploadView.as_view(), name="submission-upload"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("evidence/<int:pk>/describe/", views.EvidenceDescribeView.as_view(), name="evidence-describe"),
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("accounts/", views.AccountListView.as_view(), name="accounts"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account-create"),
    path("accounts/<int:pk>/invite/", views.AccountInviteView.as_view(), name="account-invite"),
    path("periods/", views.PeriodListView.as_view(), name="period-list"),
    path("periods/<int:pk>/compile/", views.PeriodCompileView.as_view(), name="period-compile"),
    path("reminders/", views.ReminderLogView.as_view(), name="reminder-log"),
    path("unassigned/", views.UnassignedIndicatorsView.as_view(), name="unassigned-indicators"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("dashboard/", views.SteeringDashboardView.as_view(), name="dashboard"),
    path(
        "dashboard/indicators/<int:pk>/", views.IndicatorDashboardView.as_view(), name="dashboard-indicator"
    ),
    path("dashboard/agencies/", views.AgencyDashboardView.as_view(), name="dashboard-agencies"),
    path("dashboard/dic/", views.DicDashboardView.as_view(), name="dashboard-dic"),
    path("dashboard/ranking/", views.RankingView.as_view(), name="dashboard-ranking"),
    path("dashboard/mine/", views.OwnFiguresView.as_view(), name="dashboard-own"),
    path("dashboard/ministry.xlsx", views.MinistryExportView.as_view(), name="ministry-export"),
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="export-job"),
    path("exports/<int:pk>/download/", views.ExportJobDownloadView.as_view(), name="export-job-download"),
    path("notifications/<int:pk>/", views.NotificationOpenView.as_view(), name="notification-open"),
]
