"""POST /api/v1/token/ issues a user's API token for their username and password
(at most ``API_TOKEN_RATE`` tries, and django-axes locks an account after repeated
wrong passwords); DELETE revokes the caller's token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, views
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from .api_schema import ErrorSerializer
from .errors import DomainError
from .tokens import token_expires_at, token_issue, tokens_revoke


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class TokenAnswer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send as `Authorization: Token <token>`.")
    expires_at = serializers.DateTimeField(
        read_only=True, help_text="After this instant the token is refused (401); ask for a new one."
    )


class TokenView(views.APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        # Asking for a token needs no credentials: a stale token sent along is no 401.
        return [] if self._asks_for_token() else super().get_authenticators()

    def get_permissions(self):
        if self._asks_for_token():
            return [permissions.AllowAny()]
        return super().get_permissions()

    def _asks_for_token(self) -> bool:
        request = getattr(self, "request", None)  # None while the schema is generated
        return request is not None and request.method == "POST"

    @extend_schema(
        request=TokenRequest,
        responses={
            200: TokenAnswer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
            429: OpenApiResponse(ErrorSerializer, description="Too many tries, or the account is locked."),
        },
        auth=[],
    )
    def post(self, request):
        """The caller's API token, valid for ``API_TOKEN_DAYS`` days (30 by default)."""
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        # django-axes counts failures and marks a lockout on the request it is given;
        # its middleware reads the mark from Django's request, not DRF's wrapper.
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise DomainError(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_credentials")
        token = token_issue(user=user)
        return Response(TokenAnswer({"token": token.key, "expires_at": token_expires_at(token)}).data)

    @extend_schema(responses={204: OpenApiResponse(description="The caller's token is revoked.")})
    def delete(self, request):
        """Revoke the caller's API token (a new one is issued at the next POST)."""
        tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
