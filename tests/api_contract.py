"""Every answer the test suite gets from /api/v1/ is checked against the OpenAPI schema
the portal publishes (openapi-core): a status code the schema does not list, or a body
that does not match it, fails the test that received it (``tests/conftest.py`` hooks
it into Django's test client, which DRF's APIClient extends)."""

from __future__ import annotations

from functools import cache

from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound

API_PREFIX = "/api/v1/"


@cache
def published_schema() -> OpenAPI:
    from drf_spectacular.generators import SchemaGenerator

    return OpenAPI.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def check_answer(response) -> None:
    """Raise if ``response`` (of Django's test client) is not what the schema says. A
    method the schema does not list for a path must be a 405 (or 401/403 for a caller
    refused first), a path it does not list a 404, all in the error shape."""
    try:
        published_schema().validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
    except (OperationNotFound, PathNotFound) as missing:
        # DRF authenticates before it looks for the method's handler.
        expected = {401, 403, 405} if isinstance(missing, OperationNotFound) else {404}
        assert response.status_code in expected, response
        assert {"code", "detail"} <= set(response.json()), response.content


def checking_request(original):
    def request(self, **request):
        response = original(self, **request)
        if request.get("PATH_INFO", "").startswith(API_PREFIX):
            check_answer(response)
        return response

    return request


def install() -> None:
    if not getattr(Client.request, "checks_the_api_contract", False):
        Client.request = checking_request(Client.request)
        Client.request.checks_the_api_contract = True
