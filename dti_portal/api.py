"""The API's answer to a domain error: JSON with the readable message and its code,
400 for bad input, 403 for a refused actor, 409 for a conflict (an approved
submission, a stale version). Never a 500 for a user's mistake."""

from __future__ import annotations

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.details:
            body["details"] = exc.details
        problems = getattr(exc, "problems", None)
        if problems:
            body["problems"] = problems
        return Response(body, status=exc.http_status)
    if isinstance(exc, Http404):
        # Django's "No Submission matches the given query." names a model in English.
        exc = NotFound()
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    """50 rows a page; a client may ask for up to 500 with ``page_size``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
