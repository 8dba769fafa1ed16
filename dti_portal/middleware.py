"""The portal's language (Vietnamese unless the user picked English with the switch)
and its idle session timeout."""

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but the browser's Accept-Language is ignored: many officials'
    computers run an English Windows, and the portal must still open in Vietnamese.
    The choice made with the language switch (its cookie) is kept. An API client,
    which has no language switch, is answered in the language it asks for."""

    def process_request(self, request) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
            if request.path_info.startswith("/api/"):
                language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


RENEWED_AT = "renewed_at"


class IdleSessionMiddleware:
    """Ends a session after ``SESSION_COOKIE_AGE`` seconds without a request.

    Django sets a session's expiry when the session is saved; saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) would write to the database on every page
    and API call. Renewing it at most every ``SESSION_RENEW_AFTER`` seconds keeps the
    idle timeout to within that margin for one write every few minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            renew_after = min(settings.SESSION_RENEW_AFTER, settings.SESSION_COOKIE_AGE // 2)
            if now - session.get(RENEWED_AT, 0) >= renew_after:
                session[RENEWED_AT] = now  # modified: saved, with a new expiry, after the view
        return self.get_response(request)


def stamp_session_at_login(sender, request, user, **kwargs) -> None:
    """Logging in saves the session: stamp it then, not on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = int(time.time())
