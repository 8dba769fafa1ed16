"""The portal's language: Vietnamese unless the user picked English with the switch."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but the browser's Accept-Language is ignored: many officials'
    computers run an English Windows, and the portal must still open in Vietnamese.
    The choice made with the language switch (its cookie) is kept."""

    def process_request(self, request) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
