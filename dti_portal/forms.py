"""The portal's form renderer, and its model choice fields (options read by one query).

The renderer: Django's own (``DjangoTemplates``), except that the plain
widgets (an ``<input>`` of any type, a file input holding no file yet, a
``<textarea>``, and a ``<select>`` whose options are labelled with text) are written
in Python, as their templates write them, instead of through two templates each (a
select: two per option). An entry page of 40 indicators renders about 300 widgets;
rendered through the templates they took half the page's time (``bench/``, issue 20).

``tests/test_form_renderer.py`` holds this to Django's templates: the same widgets and
values give the same HTML, character for character, and the entry page is the same
page with either renderer. A project template overriding one of these widgets'
templates would not be read: remove its name from ``INPUT_TEMPLATES`` (or the select's
from ``PortalFormRenderer.render``) then.
"""

from __future__ import annotations

import html

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django_filters import fields as filter_fields

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
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea(context["widget"])
        if template_name == CLEARABLE_FILE_TEMPLATE and not context["widget"]["is_initial"]:
            return _input(context["widget"])  # no file yet: the template writes only the input
        if template_name == SELECT_TEMPLATE and _plain_options(context["widget"]):
            return _select(context["widget"])
        return super().render(template_name, context, request=request)


def escape_text(value) -> str:
    """``conditional_escape(value)``, straight to ``html.escape`` for a plain string:
    Django's goes through its lazy-string wrapper for each call, and a page of 300
    widgets makes about 5,000."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as a string, escaped unless safe."""
    return escape_text(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escape_text(name)}" if value is True else f' {escape_text(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict) -> SafeString:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return SafeString(
        f'<input type="{escape_text(widget["type"])}" name="{escape_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> SafeString:
    """django/forms/widgets/textarea.html."""
    value = escape_text(widget["value"]) if widget["value"] else ""
    return SafeString(
        f'<textarea name="{escape_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _plain_options(widget: dict) -> bool:
    """Every option of a select is written by ``select_option.html`` and every label
    is text (a number or a date would be localized by the template: that select is left
    to it)."""
    text = (str, Promise)
    for group_name, options, _index in widget["optgroups"]:
        if group_name and not isinstance(group_name, text):
            return False
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE or not isinstance(option["label"], text):
                return False
    return True


def _select(widget: dict) -> SafeString:
    """django/forms/widgets/select.html, its options select_option.html."""
    parts = [f'<select name="{escape_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escape_text(option['label'])}</option>\n"  # the option template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return SafeString("".join(parts))  # every value above is escaped


class ChoicesInOneQuery(ModelChoiceIterator):
    """A model choice field's options read by one query each time they are drawn.
    Django's read them through ``QuerySet.iterator()``, which on PostgreSQL opens a
    server-side cursor: DECLARE, two FETCHes and CLOSE, four round trips for the few
    dozen rows of a select (the dashboards' filters drew two on every page). The rows
    are not kept on the field's queryset, as with Django's: a redraw reads them again."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, its options read by one query (``ChoicesInOneQuery``)."""

    iterator = ChoicesInOneQuery


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, its options read by one query (``ChoicesInOneQuery``)."""

    iterator = ChoicesInOneQuery


class FilterChoicesInOneQuery(filter_fields.ModelChoiceIterator, ChoicesInOneQuery):
    """django-filter's options (its "null" choice after the empty one), read by one query."""


class FilterModelChoiceField(filter_fields.ModelChoiceField):
    iterator = FilterChoicesInOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's, its options read by one query (``ChoicesInOneQuery``)."""

    field_class = FilterModelChoiceField
