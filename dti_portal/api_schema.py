"""What the OpenAPI schema says every operation may answer besides its result: the one
error shape (``Error``) with the codes the server really gives. Read lazily by DRF
(``DEFAULT_SCHEMA_CLASS``), so it may import views."""

from __future__ import annotations

from drf_spectacular import authentication, openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    """Every refused request: a stable ``code``, a readable ``detail`` (Vietnamese by
    default), and, as they apply, the errors by field (``fields``, as the input's
    shape), further messages (``details``) and an incomplete submission's problems by
    value (``problems``: ``v<id>`` to field to message)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.JSONField(required=False, help_text="Field name to a list of messages.")
    details = serializers.ListField(child=serializers.CharField(), required=False)
    problems = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()), required=False
    )

    class Meta:
        ref_name = "Error"


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the refusals each operation can answer."""

    def _get_response_bodies(self, direction="response"):
        # Not get_response_serializers: @extend_schema(responses=...) replaces that.
        responses = super()._get_response_bodies(direction)
        for code, description in self._refusals().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    _error(description), str(code), direction=direction
                )
        return dict(sorted(responses.items()))

    def _refusals(self) -> dict[int, str]:
        refusals = {}
        has_body = self.method in ("POST", "PUT", "PATCH")
        listing = getattr(self.view, "action", None) == "list"
        if has_body or listing:
            refusals[400] = "Bad input: a query parameter, the body or a field (``fields``)."
        if not self._allows_anyone():
            refusals[401] = "No credentials, or a token that is wrong or expired."
            refusals[403] = "The user may not do this."
        if "{" in self.path or listing:
            refusals[404] = "No such row visible to the user, or a page past the last."
        if has_body:
            refusals[415] = "The body is not JSON."
        if getattr(self.view, "throttle_classes", None):
            refusals[429] = "Too many requests: wait the seconds in Retry-After."
        refusals[500] = "A fault of the server (logged)."
        refusals[503] = "The database cannot be reached: retry after the seconds in Retry-After."
        return refusals

    def _allows_anyone(self) -> bool:
        return any(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())


class SessionScheme(authentication.SessionScheme):
    """The portal's session authentication is documented as Django's session cookie."""

    target_class = "dti_portal.authentication.SessionAuthentication"


def drop_titles(result, generator, request, public):
    """Post-processing hook: no schema ``title``. drf-spectacular copies the models'
    Vietnamese verbose names there, and client generators name classes after titles
    (a filter's enum became ``V1SubmissionsListTrẠNgThÁI``); the Vietnamese stays in
    the descriptions."""

    def strip(node):
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                del node["title"]
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(result.get("paths"))
    strip(result.get("components"))
    return result
