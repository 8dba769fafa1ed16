"""The portal's form renderer: Django's own (``DjangoTemplates``), except that the plain
widgets (an ``<input>`` of any type, a file input holding no file yet, and a
``<textarea>``) are
written in Python, as their templates write them, instead of through two templates
each. An entry page of 40 indicators renders about 300 widgets; rendered through the
templates they took half the page's time (``bench/``, issue 20).

``tests/test_form_renderer.py`` holds this to Django's templates: the same widgets and
values give the same HTML, character for character, and the entry page is the same
page with either renderer. A project template overriding one of these widgets'
templates would not be read: remove its name from ``INPUT_TEMPLATES`` then.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
CLEARABLE_FILE_TEMPLATE = "django/forms/widgets/clearable_file_input.html"


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea(context["widget"])
        if template_name == CLEARABLE_FILE_TEMPLATE and not context["widget"]["is_initial"]:
            return _input(context["widget"])  # no file yet: the template writes only the input
        return super().render(template_name, context, request=request)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as a string, escaped unless safe."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_text(value)}"'
        )
    return "".join(parts)


def _input(widget: dict) -> SafeString:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return mark_safe(
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> SafeString:
    """django/forms/widgets/textarea.html."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return mark_safe(
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )
