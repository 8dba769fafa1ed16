"""A model select's options are read by one query each time they are drawn
(``dti_portal.forms.ChoicesInOneQuery``), never through ``QuerySet.iterator()``, a
server-side cursor on PostgreSQL (DECLARE, two FETCHes and CLOSE: four round trips for
a few dozen rows); and they are the options Django's and django-filter's own fields
give, read again at each drawing."""

import django_filters
import pytest
from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from assignments import admin as assignments_admin
from assignments import forms as assignments_forms
from dti_portal import admin as portal_admin
from dti_portal import forms as portal_forms
from dti_portal.forms import ChoicesInOneQuery, ModelChoiceField, ModelChoiceFilter, ModelMultipleChoiceField
from indicators import filters as indicators_filters
from indicators import forms as indicators_forms
from indicators.models import Agency
from reporting import filters as reporting_filters
from reporting import forms as reporting_forms
from tests.factories import ProvinceFactory, TargetFactory

pytestmark = pytest.mark.django_db


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
    """The forms, filters and admin fields of the portal's apps, swept: a Django or
    django-filter model choice field among them would read through a cursor again. A
    filter's field class is read, not its field: the field, once made, stays on the
    class's filter and every FilterSet would copy it."""
    classes = []
    for module in (reporting_forms, indicators_forms, assignments_forms):
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                classes += [(form.__name__, name, type(f)) for name, f in form.base_fields.items()]
    for module in (reporting_filters, indicators_filters):
        for filterset in vars(module).values():
            if isinstance(filterset, type) and issubclass(filterset, django_filters.FilterSet):
                classes += [
                    (filterset.__name__, name, f.field_class) for name, f in filterset.base_filters.items()
                ]
    for cls in (
        portal_admin.CrontabChoiceField,
        assignments_admin.RoleGroupsField,
        assignments_admin.PermissionsField,
    ):
        classes.append((cls.__name__, "", cls))
    model_choices = [(owner, name, c) for owner, name, c in classes if issubclass(c, forms.ModelChoiceField)]
    # 5 in reporting's forms, 3 in the other apps', 9 in the filters (SubmissionApiFilter's
    # two inherited), 3 of the admin.
    assert len(model_choices) == 20
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
