from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from reporting import views as reporting_views
from reporting.views import HomeView

from .admin import view_on_site

admin.site.site_header = _("Cổng theo dõi Chỉ số chuyển đổi số (DTI)")
admin.site.site_title = _("Quản trị Cổng DTI")
admin.site.index_title = _("Quản trị danh mục")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"axes_limit": settings.AXES_FAILURE_LIMIT}
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", reporting_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", reporting_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        reporting_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        reporting_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("catalogue/", include("indicators.urls")),
    path("reporting/", include("reporting.urls")),
    path("reporting/dashboard/dti/", include("dti.urls")),
    path("api/v1/", include(("dti_portal.api_urls", "api"))),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the content security
    # policy allows no inline script.
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # Before the admin's own (whose name, admin:view_on_site, its pages reverse to this
    # same path): that shortcut would redirect to any row of any province.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
]

# A database that cannot be reached is a 503 with Retry-After (JSON under /api/).
handler500 = "dti_portal.unavailable.server_error"
