"""The API's request parsers. A module of its own: DRF resolves the parser setting
while ``rest_framework.views`` is imported, so the module it names must not import
that (``dti_portal.api`` does)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep for Python's parser (thousands of
    levels) refused as a parse error (400) instead of a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("Nội dung JSON lồng nhau quá sâu.")) from None
