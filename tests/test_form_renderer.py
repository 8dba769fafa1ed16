"""The portal's form renderer writes the plain widgets exactly as Django's templates
do (dti_portal/forms.py): the same HTML for the same widget and value, and the same
entry page with either renderer."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dti_portal.forms import PortalFormRenderer


class StoredFile:
    url = "/media/minh-chung.pdf"

    def __str__(self):
        return "minh-chung.pdf"


WIDGETS = [
    (forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "form-control"}), "12,5"),
    (
        forms.TextInput(
            attrs={"placeholder": 'ví dụ "125/KH-UBND" & <b>', "required": True, "disabled": False}
        ),
        None,
    ),
    (forms.TextInput(), ""),
    (forms.TextInput(), mark_safe("<i>an toàn</i>")),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), Decimal("2000000000.50")),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), date(2024, 3, 20)),
    (forms.HiddenInput(), 7),
    (forms.URLInput(), "https://example.vn/a?b=1&c=<2>"),
    (forms.EmailInput(attrs={"data-numerator": ""}), "a@b.vn"),
    (forms.PasswordInput(render_value=True), "mật khẩu"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), False),
    (forms.FileInput(attrs={"accept": ".pdf,.docx"}), None),
    (forms.Textarea(attrs={"rows": 2}), 'Giải trình: tăng <50% & "đạt"\ndòng hai'),
    (forms.Textarea(attrs={"rows": 1}), ""),
    (forms.Textarea(), None),
    (forms.ClearableFileInput(attrs={"accept": ".pdf"}), None),
    (forms.ClearableFileInput(), StoredFile()),  # holding a file: Django's template
    (forms.Select(choices=[("a", "Có"), ("b", "Không")]), "a"),
    (forms.Select(choices=[("", "---------"), ("x&y", mark_safe("<b>đậm</b>")), ("z", 'dấu "<"')]), ""),
    (forms.Select(choices=[("a", _("Có")), ("b", _("Không"))], attrs={"class": "form-select"}), "b"),
    (
        forms.Select(choices=[("Năm 2024", [("q1", "Quý I"), ("q2", "Quý II")]), ("all", "Cả năm")]),
        "q2",
    ),
    (forms.Select(choices=[]), None),
    (forms.SelectMultiple(choices=[(1, "Một"), (2, "Hai"), (3, "Ba")]), [1, 3]),
    (forms.NullBooleanSelect(), True),
    # Labels that the template localizes, and radio buttons: Django's templates.
    (forms.Select(choices=[(2024, 2024), (12500, Decimal("12500.5"))]), 12500),
    (forms.Select(choices=[(1, date(2024, 3, 20))]), 1),
    (forms.RadioSelect(choices=[("a", "Có"), ("b", "Không")]), "a"),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: type(item).__name__)
def test_each_widget_renders_as_djangos_template_writes_it(widget, value):
    django_html = widget.render("v12-value", value, attrs={"id": "id_v12-value"}, renderer=DjangoTemplates())
    portal_html = widget.render(
        "v12-value", value, attrs={"id": "id_v12-value"}, renderer=PortalFormRenderer()
    )
    assert portal_html == django_html


@pytest.mark.django_db
def test_the_entry_page_is_the_same_with_either_renderer(client, compiled):
    submission = compiled["agencies"][0].submissions.get(period__quarter=2)
    client.force_login(compiled["staff"][0])
    url = reverse("reporting:submission-edit", args=[submission.pk])

    def page() -> str:
        html = client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert type(get_default_renderer()) is PortalFormRenderer
    portal = page()
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        assert type(get_default_renderer()) is DjangoTemplates
        django_page = page()
    assert portal == django_page
    assert portal.count("<input") > 20 and "<textarea" in portal


# What reporting/_field.html wrote for each field of the entry page, before the
# ``form_field`` tag wrote it without a template per field.
FIELD_TEMPLATE = """{% load reporting %}{% with bound=form|field:name %}
<div class="mb-1">
  <label class="form-label small mb-0" for="{{ bound.id_for_label }}">{{ bound.label }}</label>
  {{ bound.as_widget }}
  {% for error in bound.errors %}<div class="invalid-feedback d-block">{{ error }}</div>{% endfor %}
</div>{% endwith %}
"""


class EntryForm(forms.Form):
    figure = forms.DecimalField(label="Số liệu <kỳ này> & ghi chú", required=True)
    note = forms.CharField(label="Giải trình", widget=forms.Textarea(attrs={"rows": 2}), required=False)


@pytest.mark.parametrize(
    "data", [{"figure": "12,5", "note": "<b>tăng</b>"}, {"figure": "", "note": ""}, None]
)
def test_the_form_field_tag_writes_what_the_field_template_wrote(data):
    from django.template import Context, Template

    form = EntryForm(data)
    form.is_valid()
    for name in ("figure", "note"):
        context = Context({"form": form, "name": name})
        old = Template(FIELD_TEMPLATE).render(context)
        new = Template("{% load reporting %}{% form_field form name %}").render(context)
        assert new == old
