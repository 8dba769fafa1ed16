"""The entry page's rows are written by the ``entry_rows`` tag
(``reporting/templatetags/entry.py``). What they show must not change: the tag writes,
byte for byte, what the template's loop over a pillar's rows wrote, in Vietnamese and
in English, unbound and with the errors of a refused save, with every part a row can
have (a body it collects for, the DIC's comment, targets or none, a previous figure or
none, a rate with its parts' labels, a count without a unit, documents with and
without their particulars), and so does the whole page."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from indicators.models import Agency, Indicator, Target
from reporting import services
from reporting.forms import SubmissionEntryForm
from reporting.models import IndicatorValue
from reporting.selectors.submissions import submission_rows

from .world import attach_documents, build_world, report

pytestmark = pytest.mark.django_db

# The rows' words and a pillar's rows as reporting/submission_edit.html wrote them
# before the tag.
OLD_LABELS = """{% translate "Mức kế hoạch năm" as target_label %}{% translate "Kỳ trước" as previous_label %}{% translate "Số liệu kỳ này" as figure_label %}{% translate "Giải trình, minh chứng" as note_label %}{# The rows' words, translated once for the page rather than once per row. #}{% translate "Số liệu của" as figure_of %}{% translate "(đơn vị không tự báo cáo)" as not_reporting %}{% translate "Đơn vị tính:" as unit_label %}{% translate 'không phát sinh' as no_case %}{% translate "Kết quả:" as result_label %}{% translate "Tử số:" as numerator_label %}{% translate "mẫu số:" as denominator_label %}{% translate "Minh chứng:" as evidence_label %}{% translate "sửa thông tin văn bản" as describe_label %}{% translate "gỡ" as remove_label %}{% translate 'Gỡ minh chứng này khỏi báo cáo?' as remove_confirm %}{% translate 'Gỡ minh chứng sẽ tải lại trang: những gì bạn vừa nhập mà chưa lưu sẽ mất. Hãy bấm “Huỷ” rồi “Lưu nháp” trước, hoặc bấm “OK” để vẫn gỡ.' as remove_confirm_dirty %}{% translate "Thêm minh chứng (tệp PDF, ảnh, Office tối đa 10 MB, hoặc đường dẫn)" as add_evidence %}{% translate "Văn bản là minh chứng (Bộ yêu cầu khi đánh giá DTI):" as document_label %}"""  # noqa: E501
OLD_LOOP = """    {% for row in group.values %}
      <tr id="value-{{ row.pk }}">
        <td>
          <div><span class="text-muted small">{{ row.indicator.code }}</span> {{ row.indicator.name }}</div>
          {% if row.collected_for %}<div class="small text-muted">{{ figure_of }} {% for body in row.collected_for %}{{ body.label }}{% if not forloop.last %}, {% endif %}{% endfor %} {{ not_reporting }}</div>{% endif %}
          <div class="small text-muted">{{ unit_label }} {{ row.indicator.unit|default:"—" }} · {{ row.indicator.get_measure_type_display }}</div>
          {% if row.review_comment %}<div class="small text-danger mt-1"><strong>{% blocktranslate with dic=institutions.dic.short_name|capfirst %}{{ dic }}:{% endblocktranslate %}</strong> {{ row.review_comment }}</div>{% endif %}
        </td>
        <td class="small card-half" data-label="{{ target_label }}">{% for target in row.targets %}<div>{{ target.display }}</div>{% empty %}—{% endfor %}</td>
        <td class="small card-half" data-label="{{ previous_label }}">{{ row.previous.display|default:"—" }}</td>
        <td data-label="{{ figure_label }}">
          {% if row.indicator.is_quotient %}
            <div data-quotient data-scale="{{ row.indicator.scale }}" data-unit="{{ row.indicator.unit }}"{% if row.indicator.measure.bounded %} data-bounded{% endif %}
                 data-not-applicable="{{ no_case }}">
              {% form_field form row.field_names.0 %}
              {% form_field form row.field_names.1 %}
              <div class="small">{{ result_label }} <strong data-quotient-out>—</strong></div>
              {% if row.indicator.numerator_label %}<div class="small text-muted">{{ numerator_label }} {{ row.indicator.numerator_label }}; {{ denominator_label }} {{ row.indicator.denominator_label }}</div>{% endif %}
            </div>
          {% else %}
            {% for name in row.field_names %}{% form_field form name %}{% endfor %}
          {% endif %}
        </td>
        <td data-label="{{ note_label }}">
          {% form_field form row.note_field %}
          {% for item in row.evidence.all %}
            <div class="small"><span class="text-muted">{{ evidence_label }}</span> <a href="{{ item.get_absolute_url }}">{{ item }}</a>{% if item.document %} <span class="text-muted">({{ item.document }})</span>{% endif %}
              <a class="small" href="{% url 'reporting:evidence-describe' item.pk %}">{{ describe_label }}</a>
              <button class="btn btn-link btn-sm p-0 text-danger" type="submit" form="delete-evidence-{{ item.pk }}"
                data-confirm="{{ remove_confirm }}"
                data-confirm-dirty="{{ remove_confirm_dirty }}">{{ remove_label }}</button></div>
          {% endfor %}
          <details class="small"{% if row.evidence_errors %} open{% endif %}><summary>{{ add_evidence }}</summary>
            {% form_field form row.files_field %}
            {% form_field form row.link_field %}
            <div class="text-muted">{{ document_label }}</div>
            {% for name in row.document_fields %}{% form_field form name %}{% endfor %}
          </details>
        </td>
      </tr>
    {% endfor %}"""  # noqa: E501
LINE = "    {% entry_rows form group.values dic=institutions.dic.short_name %}"
# The page's words left to the template (the table's head), where the loop's were.
LABEL_LINE = (
    '  {% translate "Mức kế hoạch năm" as target_label %}{% translate "Kỳ trước" as previous_label %}'
    '{% translate "Số liệu kỳ này" as figure_label %}{% translate "Giải trình, minh chứng" as note_label %}'
    "{# The rows: reporting/templatetags/entry.py. #}"
)
TAG = "{% load entry %}" + LINE


@pytest.fixture
def entered(province, dic, dic_user):
    """Agency 0's second quarter, returned by the DIC with a comment on a value, with a
    first quarter approved before it (the previous figures)."""
    world = build_world(province, dic_user)
    Indicator.objects.filter(code="RATE").update(
        name="Tỷ lệ <hồ sơ> & dịch vụ", numerator_label="Số hồ sơ <trực tuyến>", denominator_label="Tổng số"
    )
    Indicator.objects.filter(code="ARTICLES").update(unit="")
    report(world, 0, 1, {"RATE": {"numerator": 3, "denominator": 4}, "ARTICLES": {"value": 7}})
    report(world, 0, 2, {"ARTICLES": {"value": 9}}, approve=False)
    submission = world["agencies"][0].submissions.select_related("agency", "period").get(period__quarter=2)
    services.submission_return(submission=submission, actor=dic_user, comment="Xem lại.")
    submission.refresh_from_db()
    values = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    IndicatorValue.objects.filter(pk=values["ARTICLES"].pk).update(review_comment='Xem lại "số" & nguồn')
    attach_documents(values["ARTICLES"], by=dic_user)
    Target.objects.filter(indicator=values["OPENDATA"].indicator).delete()  # a row with no target
    return world, submission


def refused(submission) -> dict:
    """A save the form refuses: a rate's numerator that is not a number, a document
    described without its file, and everything else as typed."""
    data = {"version": submission.version}
    for row in submission.values.select_related("indicator"):
        prefix = f"v{row.pk}-"
        data[prefix + "note"] = "Ghi chú <b>"
        for name in row.indicator.measure.fields:
            data[prefix + name] = {"numerator": "abc", "denominator": "60", "is_done": "yes"}.get(name, "12")
        if row.indicator.code == "ARTICLES":
            data[prefix + "docnumber"] = "5/KH"
    return data


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("bound", [False, True])
def test_the_tag_writes_what_the_loop_wrote(entered, language, bound):
    _world, submission = entered
    written = []
    with translation.override(language):
        groups, tasks = submission_rows(submission=submission)
        rows = {row.indicator.code: row for group in groups for row in group.values}
        rows["RATE"].collected_for = [
            Agency(name="Sở <Tư pháp> & Hộ tịch", code="BG.X"),
            Agency(name="UBND huyện", code="BG.Y"),
        ]
        data = refused(submission) if bound else None
        form = SubmissionEntryForm(
            data, None, groups=groups, tasks=tasks, initial={"version": submission.version}
        )
        assert not bound or not form.is_valid()
        for group in groups:
            context = {"form": form, "group": group, "institutions": {"dic": {"short_name": "sở KH&CN"}}}
            old = Template("{% load i18n reporting %}" + OLD_LABELS + OLD_LOOP).render(Context(context))
            new = Template(TAG).render(Context(context))
            assert new == old
            written.append(new)
    page = "".join(written)
    for part in (
        "Tỷ lệ &lt;hồ sơ&gt; &amp; dịch vụ",
        "Số hồ sơ &lt;trực tuyến&gt;",
        "Sở &lt;Tư pháp&gt; &amp; Hộ tịch, UBND huyện",
        "Xem lại &quot;số&quot; &amp; nguồn",
        "KH&amp;CN:",
        "https://bacgiang.gov.vn/a?x=1&amp;y=2",
        "12/QĐ-UBND",
        "data-bounded",
    ):
        assert part in page
    assert page.count('<details class="small" open>') == (1 if bound else 0)
    assert ("is-invalid" in page) is bound


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("bound", [False, True])
def test_the_page_is_what_the_template_loop_wrote(entered, client, settings, tmp_path, language, bound):
    """The whole page, once as it is and once with the old template: as it opens, and as
    it comes back from a refused save."""
    world, submission = entered
    client.force_login(world["staff"][0])
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reporting:submission-edit", args=[submission.pk])

    def get() -> str:
        response = client.post(url, refused(submission) | {"action": "save"}) if bound else client.get(url)
        assert response.status_code == (400 if bound else 200)  # a refused save comes back with its errors
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    page = get()
    source = (Path(settings.BASE_DIR) / "templates/reporting/submission_edit.html").read_text(
        encoding="utf-8"
    )
    assert LINE in source and LABEL_LINE in source
    old_source = (
        source.replace(LINE, OLD_LOOP)
        .replace(LABEL_LINE, "  " + OLD_LABELS)
        .replace("{% load i18n static reporting entry %}", "{% load i18n static reporting %}")
    )
    old_template = tmp_path / "reporting" / "submission_edit.html"
    old_template.parent.mkdir()
    old_template.write_text(old_source, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert get() == page
    assert "https://bacgiang.gov.vn/b" in page and "12/QĐ-UBND" in page
