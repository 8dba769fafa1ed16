"""The answer when the database cannot be reached: 503 with Retry-After, a page for
people and JSON for the API, instead of a 500 (or, with no connect timeout, no answer
at all). Any other unhandled error stays a 500, in JSON under /api/ too."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception, which it reads."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, (OperationalError, InterfaceError))
    status = 503 if unavailable else 500
    if unavailable:
        detail = _("Cơ sở dữ liệu tạm thời không truy cập được: xin thử lại sau ít phút.")
    else:
        detail = _("Hệ thống gặp lỗi; lỗi đã được ghi lại. Xin thử lại sau ít phút.")
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "unavailable" if unavailable else "server_error", "detail": detail}, status=status
        )
    else:
        # No context processor, no database: the page must render with the database down.
        template = "503.html" if unavailable else "500.html"
        response = HttpResponse(render_to_string(template), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
