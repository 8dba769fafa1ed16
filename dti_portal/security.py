"""Login throttling hooks for django-axes: the client's address and the lockout answer."""

import math

from axes.models import AccessAttempt
from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

THIRD_PARTY_UI_PREFIXES = ("/admin/", "/api/")


def client_ip_address(request: HttpRequest) -> str:
    """The address a login attempt came from. Behind ``TRUSTED_PROXY_COUNT`` reverse
    proxies it is the entry the outermost trusted proxy appended to X-Forwarded-For
    (entries further left were written by the client and are not trusted); with no
    proxy, or a header too short to hold it, the connection's own address."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def forget_failures_at_login(sender, request, user, **kwargs) -> None:
    """A successful login clears the failed attempts on the user's own account, and
    only those: failures on other accounts from the same address still count."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return _(
        "Đã nhập sai mật khẩu %(limit)d lần. Tài khoản và địa chỉ máy này bị tạm khoá %(minutes)d phút; "
        "hãy thử lại sau, hoặc liên hệ quản trị hệ thống của cơ quan đầu mối để được mở khoá."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """HTTP 429 with the cool-off in Retry-After: JSON for the API, a page otherwise."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = retry_after
    return response


class PortalCSPMiddleware(CSPMiddleware):
    """The policy of CONTENT_SECURITY_POLICY everywhere, but the third-party pages under
    ``THIRD_PARTY_UI_PREFIXES`` (the admin with its import, export and history pages,
    Swagger UI, DRF's browsable API) write style attributes of their own: there, and
    only there, inline styles are allowed. Scripts stay 'self' everywhere."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(THIRD_PARTY_UI_PREFIXES):
            update = parts.update or {}
            parts.update = {**update, "style-src": [*update.get("style-src", []), UNSAFE_INLINE]}
        return parts
