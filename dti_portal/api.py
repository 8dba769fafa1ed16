"""The API's answers to what goes wrong, all in one shape (``api_schema.ErrorSerializer``):
``{"code", "detail"}`` and, as they apply, ``fields``, ``details`` and ``problems``.
400 for bad input, 401 without valid credentials, 403 for a refused actor, 404, 409
for a conflict (an approved submission, a stale version), 415, 429. Never a 500 for a
user's mistake."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body: dict[str, object] = {"code": exc.code, "detail": exc.message}
        if exc.details:
            body["details"] = exc.details
        problems = getattr(exc, "problems", None)
        if problems:
            body["problems"] = problems
        return Response(body, status=exc.http_status)
    if isinstance(exc, Http404):
        # Django's "No Submission matches the given query." names a model in English.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = error_body(exc)
    return response


def error_body(exc: exceptions.APIException) -> dict:
    """DRF's exception as the portal's ``Error``: a serializer's errors by field go to
    ``fields`` under one readable ``detail``."""
    if isinstance(exc.detail, dict):
        return {
            "code": exc.default_code,
            "detail": _("Dữ liệu gửi lên không hợp lệ: xem lỗi của từng trường."),
            "fields": exc.detail,
        }
    if isinstance(exc.detail, list):
        messages = [str(message) for message in exc.detail]
        codes = exc.get_codes()
        return {
            "code": codes[0] if codes and isinstance(codes[0], str) else exc.default_code,
            "detail": " ".join(messages) or str(exc.default_detail),
        }
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF formats the wait before translating it: the whole sentence is ours.
        return {
            "code": "throttled",
            "detail": _("Quá nhiều yêu cầu: hãy thử lại sau %(seconds)d giây.") % {"seconds": exc.wait},
        }
    return {"code": exc.detail.code or exc.default_code, "detail": str(exc.detail)}


class Pagination(PageNumberPagination):
    """50 rows a page; a client may ask for up to 500 with ``page_size``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
