"""How the API knows its caller: a token that expires (``API_TOKEN_DAYS``) and the
browser's session. The token comes first, so a request without credentials is a 401
with ``WWW-Authenticate: Token`` (DRF answers 403 when the first class names no
scheme). Messages are Vietnamese, like the pages'.

A module of its own, importing no view: DRF reads the authentication setting while
``rest_framework.views`` is imported."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from . import tokens


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; a token past its lifetime is refused and deleted."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if tokens.token_has_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập đã hết hạn: hãy lấy mã mới tại /api/v1/token/."), code="token_expired"
            )
        return user, token


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session; a write without the CSRF token is refused in Vietnamese."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("Thiếu hoặc sai mã chống giả mạo (CSRF): hãy tải lại trang rồi thử lại."), code="csrf"
            ) from None
