"""A model select's options are read by one query each time they are drawn
(``dti_portal.forms.ChoicesInOneQuery``), never through ``QuerySet.iterator()``, a
server-side cursor on PostgreSQL (DECLARE, two FETCHes and CLOSE: four round trips for
a few dozen rows); and they are the options Django's and django-filter's own fields
give, read again at each drawing."""

import importlib

import django_filters
import pytest
from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from dti_portal import forms as portal_forms
from dti_portal.forms import ChoicesInOneQuery, ModelChoiceField, ModelChoiceFilter, ModelMultipleChoiceField
from indicators.models import Agency
from tests.factories import ProvinceFactory, TargetFactory

pytestmark = pytest.mark.django_db
APPS = ("dti_portal", "indicators", "assignments", "reporting", "dti")


@pytest.fixture
def no_server_side_cursor(monkeypatch):
    def refused(self, *args, **kwargs):
        raise AssertionError("QuerySet.iterator() while drawing a page")

    monkeypatch.setattr(QuerySet, "iterator", refused)


def options(field) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in field.choices]


def test_the_options_are_those_of_djangos_fields(province, other_province):
    provinces = Agency.objects.provinces().order_by("code")
    pairs = [
        (ModelChoiceField(provinces), forms.ModelChoiceField(provinces)),
        (ModelChoiceField(provinces, empty_label=None), forms.ModelChoiceField(provinces, empty_label=None)),
        (ModelMultipleChoiceField(provinces), forms.ModelMultipleChoiceField(provinces)),
        (
            ModelChoiceFilter(queryset=provinces, null_label="Không có").field,
            django_filters.ModelChoiceFilter(queryset=provinces, null_label="Không có").field,
        ),
    ]
    for ours, djangos in pairs:
        assert options(ours) == options(djangos)
        assert ours.widget.render("f", str(province.pk)) == djangos.widget.render("f", str(province.pk))
    assert options(pairs[0][0])[0] == ("", "---------")
    assert options(pairs[3][0])[:2] == [("", "---------"), ("null", "Không có")]
    assert {str(province.pk), str(other_province.pk)} <= {value for value, _label in options(pairs[1][0])}
    # Read again at each drawing: a province added since shows.
    field = pairs[0][0]
    before = len(options(field))
    ProvinceFactory(code="MOI", name="UBND tỉnh Mới")
    assert len(options(field)) == before + 1


def test_a_drawn_select_reads_its_options_in_one_query(province, other_province, no_server_side_cursor):
    field = ModelChoiceField(Agency.objects.provinces())
    assert str(province.pk) in field.widget.render("f", None)


def test_every_model_choice_field_and_filter_of_the_portal_reads_in_one_query():
    """The forms, filters and admin modules of the portal's apps, swept: a Django or
    django-filter model choice field among their forms' and filtersets' declared fields,
    or a field class of their own, would read through a cursor again. A filter's field
    class is read, not its field: the field, once made, stays on the class's filter and
    every FilterSet would copy it."""
    classes = []
    for app in APPS:
        for part in ("forms", "filters", "admin"):
            try:
                module = importlib.import_module(f"{app}.{part}")
            except ModuleNotFoundError:
                continue
            for name, value in vars(module).items():
                if not isinstance(value, type) or value.__module__ != module.__name__:
                    continue
                if issubclass(value, forms.BaseForm):
                    classes += [(name, field, type(f)) for field, f in value.base_fields.items()]
                elif issubclass(value, django_filters.FilterSet):
                    classes += [(name, field, f.field_class) for field, f in value.base_filters.items()]
                elif issubclass(value, forms.Field):
                    classes.append((name, "", value))
    model_choices = [(owner, name, c) for owner, name, c in classes if issubclass(c, forms.ModelChoiceField)]
    # 5 in reporting's forms, 3 in the other apps', 9 in the filters (SubmissionApiFilter's
    # two inherited), 3 of the admin; and the portal's own 3 field classes.
    assert len(model_choices) == 23
    slow = [
        (owner, name) for owner, name, c in model_choices if not issubclass(c.iterator, ChoicesInOneQuery)
    ]
    assert slow == []
    assert portal_forms.FilterModelChoiceField.iterator.__mro__.index(ChoicesInOneQuery) > 0


def test_the_pages_with_model_selects_draw_them_without_a_cursor(
    client, compiled, steering_user, dic_user, staff_user, province, no_server_side_cursor
):
    target = TargetFactory(plan__province=province)
    for user, url in (
        (steering_user, reverse("reporting:dashboard")),
        (dic_user, reverse("reporting:review-queue")),
        (staff_user, reverse("indicators:indicator-list")),
        (staff_user, reverse("indicators:plan-tasks", args=[target.plan.pk])),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<select" in response.content.decode(), url
