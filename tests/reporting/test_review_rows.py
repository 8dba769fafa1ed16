"""The review page's rows are written by the ``review_rows`` tag
(``reporting/templatetags/review.py``). What they show must not change: the tag
writes, byte for byte, what the template's loop over a pillar's rows wrote, in
Vietnamese and in English, with every part a row can have (a body it collects for,
targets or none, a change, each kind of flag, a gap to the target, a note,
documents, the DIC's comment), and so does the whole page."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from indicators.models import Agency, Indicator, Target
from reporting.models import IndicatorValue
from reporting.outliers import Outlier
from reporting.selectors.submissions import TargetGap, review_aids, submission_rows

from .world import attach_documents, build_world, report

pytestmark = pytest.mark.django_db

# A pillar's rows as reporting/submission_detail.html wrote them before the tag.
OLD_LOOP = """  {% for row in group.values %}
    <tr id="value-{{ row.pk }}">
      <td><span class="text-muted small">{{ row.indicator.code }}</span> {{ row.indicator.name }}{% if row.indicator.unit %} <span class="text-muted">({{ row.indicator.unit }})</span>{% endif %}{% if row.collected_for %}<div class="small text-muted">{% translate "Số liệu của" %} {% for body in row.collected_for %}{{ body.label }}{% if not forloop.last %}, {% endif %}{% endfor %} {% translate "(đơn vị không tự báo cáo)" %}</div>{% endif %}</td>
      <td class="small card-half" data-label="{{ target_label }}">{% for target in row.targets %}<div>{{ target.display }} <span class="text-muted">· {{ target.plan.number }}</span></div>{% empty %}<span class="text-muted">—</span>{% endfor %}</td>
      <td class="small card-half" data-label="{{ previous_label }}">{{ row.previous.display|default:"—" }}{% if row.change is not None %}<div class="text-muted">{% translate "thay đổi" %} {{ row.change|signed_number }}{% if row.change_share is not None %} ({{ row.change_share|signed_percent }}){% endif %}</div>{% endif %}</td>
      <td data-label="{{ figure_label }}"><span class="fw-semibold">{{ row.display|default:"—" }}</span>
        {% for flag in row.outliers %}<div class="small text-warning-emphasis"><span class="badge text-bg-warning">{% translate "cần xem lại" %}</span>
          {% if flag.basis == "history" %}{% if flag.high %}{% blocktranslate with median=flag.median|vn_figure count counter=flag.points %}cao bất thường so với {{ counter }} kỳ trước của đơn vị (trung vị {{ median }}){% plural %}cao bất thường so với {{ counter }} kỳ trước của đơn vị (trung vị {{ median }}){% endblocktranslate %}{% else %}{% blocktranslate with median=flag.median|vn_figure count counter=flag.points %}thấp bất thường so với {{ counter }} kỳ trước của đơn vị (trung vị {{ median }}){% plural %}thấp bất thường so với {{ counter }} kỳ trước của đơn vị (trung vị {{ median }}){% endblocktranslate %}{% endif %}
          {% else %}{% if flag.high %}{% blocktranslate with median=flag.median|vn_figure count counter=flag.points %}cao bất thường so với {{ counter }} đơn vị khác cùng kỳ (trung vị {{ median }}){% plural %}cao bất thường so với {{ counter }} đơn vị khác cùng kỳ (trung vị {{ median }}){% endblocktranslate %}{% else %}{% blocktranslate with median=flag.median|vn_figure count counter=flag.points %}thấp bất thường so với {{ counter }} đơn vị khác cùng kỳ (trung vị {{ median }}){% plural %}thấp bất thường so với {{ counter }} đơn vị khác cùng kỳ (trung vị {{ median }}){% endblocktranslate %}{% endif %}{% endif %}</div>{% endfor %}
        {% if row.target_gap %}<div class="small text-danger-emphasis"><span class="badge text-bg-danger">{% translate "xa mức kế hoạch" %}</span> {% blocktranslate with share=row.target_gap.share|share_percent target=row.target_gap.target.display plan=row.target_gap.target.plan.number %}chỉ đạt {{ share }} của mức {{ target }} ({{ plan }}){% endblocktranslate %}</div>{% endif %}</td>
      <td class="small" data-label="{{ note_label }}">
        {% if row.note %}<div>{{ row.note|linebreaksbr }}</div>{% endif %}
        {% for item in row.evidence.all %}<div><a href="{{ item.get_absolute_url }}"{% if item.link %} rel="noopener" target="_blank"{% endif %}>{{ item }}</a>{% if item.document %} <span class="text-muted small">({{ item.document }})</span>{% endif %}{% if can_describe %} <a class="small d-print-none" href="{% url 'reporting:evidence-describe' item.pk %}">{% translate "sửa thông tin văn bản" %}</a>{% endif %}</div>{% endfor %}
        {% if row.review_comment and submission.status != "approved" %}<div class="text-danger">{% blocktranslate with dic=institutions.dic.short_name|capfirst %}{{ dic }}:{% endblocktranslate %} {{ row.review_comment }}</div>{% endif %}
      </td>
    </tr>
  {% endfor %}
"""  # noqa: E501

LABELS = (
    '{% load i18n portal %}{% translate "Mức kế hoạch năm" as target_label %}'
    '{% translate "Kỳ trước" as previous_label %}{% translate "Số liệu kỳ này" as figure_label %}'
    '{% translate "Giải trình, minh chứng" as note_label %}'
)
LINE = (
    "  {% review_rows group.values submission=submission can_describe=can_describe"
    " dic=institutions.dic.short_name %}\n"
)
TAG = "{% load review %}" + LINE


@pytest.fixture
def reviewed(province, dic, dic_user):
    """A report whose rows have every part a row can show."""
    world = build_world(province, dic_user, count=5)
    Indicator.objects.filter(code="ARTICLES").update(name="Tin & bài <đăng>")
    for n, articles in enumerate([40, 10, 12, 11, 13]):
        report(world, n, 1, {"ARTICLES": {"value": articles}}, approve=False)
    report(
        world, 0, 2, {"ARTICLES": {"value": 60}, "RATE": {"numerator": 3, "denominator": 4}}, approve=False
    )
    submission = world["agencies"][0].submissions.select_related("agency", "period").get(period__quarter=2)
    values = {v.indicator.code: v for v in submission.values.select_related("indicator")}
    IndicatorValue.objects.filter(pk=values["ARTICLES"].pk).update(
        note="Hai dòng <b>&</b>\nthứ hai", review_comment='Xem lại "số" & nguồn'
    )
    attach_documents(values["ARTICLES"], by=dic_user)
    Target.objects.filter(indicator=values["OPENDATA"].indicator).delete()  # a row with no target
    return world, submission


def _groups(submission):
    """The report's rows, given every kind of flag, bodies collected for and a gap."""
    groups, _tasks = submission_rows(submission=submission)
    review_aids(submission=submission, groups=groups, with_peers=True)
    rows = {row.indicator.code: row for group in groups for row in group.values}
    rows["RATE"].collected_for = [
        Agency(name="Sở <Tư pháp> & Hộ tịch", code="BG.X"),
        Agency(name="UBND huyện", code="BG.Y"),
    ]
    rows["RATE"].outliers = [
        Outlier("history", 1, Decimal("1.0"), Decimal("4.2"), high=True),
        Outlier("history", 8, Decimal("71.6804635761"), Decimal("-5.1"), high=False),
        Outlier("peers", 299, Decimal("12.5"), None, high=True),
        Outlier("peers", 1, Decimal("0"), Decimal("-3.6"), high=False),
    ]
    rows["BUDGET"].target_gap = TargetGap(target=rows["BUDGET"].targets[0], share=Decimal("0.4706"))
    return groups


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("approved", [False, True])
@pytest.mark.parametrize("can_describe", [False, True])
def test_the_tag_writes_what_the_loop_wrote(reviewed, language, approved, can_describe):
    _world, submission = reviewed
    if approved:
        submission.status = "approved"
    written = []
    with translation.override(language):
        for group in _groups(submission):
            context = {
                "group": group,
                "submission": submission,
                "can_describe": can_describe,
                "institutions": {"dic": {"short_name": "sở KH&CN"}},
            }
            old = Template(LABELS + OLD_LOOP).render(Context(context))
            new = Template(TAG).render(Context(context))
            assert new == old
            written.append(new)
    page = "".join(written)
    for part in (
        "Tin &amp; bài &lt;đăng&gt;",
        "Sở &lt;Tư pháp&gt; &amp; Hộ tịch, UBND huyện",
        "<br>",
        "12/QĐ-UBND",
    ):
        assert part in page
    assert page.count('class="badge text-bg-warning"') == 4
    assert page.count('class="badge text-bg-danger"') == 1
    assert ("KH&amp;CN:" in page) is not approved
    assert ("/describe" in page or "d-print-none" in page) is can_describe


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_is_what_the_template_loop_wrote(reviewed, client, settings, tmp_path, language):
    """The whole page, once as it is and once with the old template."""
    world, submission = reviewed
    client.force_login(world["dic_user"])
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reporting:submission-detail", args=[submission.pk])

    def get() -> str:
        html = client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    page = get()
    source = (Path(settings.BASE_DIR) / "templates/reporting/submission_detail.html").read_text(
        encoding="utf-8"
    )
    assert LINE in source
    old_template = tmp_path / "reporting" / "submission_detail.html"
    old_template.parent.mkdir()
    old_template.write_text(source.replace(LINE, OLD_LOOP), encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert get() == page
    assert "https://bacgiang.gov.vn/b" in page and "12/QĐ-UBND" in page
