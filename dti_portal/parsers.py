"""The API's request parser. A module of its own: DRF resolves the parser setting
while ``rest_framework.views`` is imported, so the module it names must not import
that (``dti_portal.api`` does)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """JSON bodies, with the reason a body cannot be read in Vietnamese (where it
    breaks), and a body nested too deep for Python's parser (thousands of levels)
    refused as a parse error (400) instead of a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(stream.read().decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_("Nội dung JSON lồng nhau quá sâu."), code="parse_error") from None
        except UnicodeDecodeError:
            raise ParseError(_("Nội dung không phải văn bản UTF-8."), code="parse_error") from None
        except json.JSONDecodeError as error:
            raise ParseError(
                _("Nội dung không phải JSON hợp lệ (dòng %(line)d, cột %(column)d).")
                % {"line": error.lineno, "column": error.colno},
                code="parse_error",
            ) from None
        except ValueError:  # NaN, Infinity
            raise ParseError(_("JSON không cho phép NaN hay Infinity."), code="parse_error") from None


def _refuse_constant(name: str):
    raise ValueError(name)
