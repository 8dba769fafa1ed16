"""The review page's rows (``reporting/submission_detail.html``), written in Python: a
template loop over a report's 40 values, each with its targets, previous figure,
flags and documents, resolved some 1,100 variables a page and was a third of its time."""

from django import template
from django.template.defaultfilters import capfirst, linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from indicators.templatetags.portal import share_percent, signed_number, signed_percent, vn_figure

from ..choices import SubmissionStatus
from .reporting import shown, url_around_id

register = template.Library()


def _flag(flag) -> str:
    """An ``outliers.Outlier``'s words: how unusual, against what, which median (the
    template's ``blocktranslate`` msgids, their plural as their singular)."""
    n = flag.points
    if flag.basis == "history" and flag.high:
        words = ngettext(
            "cao bất thường so với %(counter)s kỳ trước của đơn vị (trung vị %(median)s)",
            "cao bất thường so với %(counter)s kỳ trước của đơn vị (trung vị %(median)s)",
            n,
        )
    elif flag.basis == "history":
        words = ngettext(
            "thấp bất thường so với %(counter)s kỳ trước của đơn vị (trung vị %(median)s)",
            "thấp bất thường so với %(counter)s kỳ trước của đơn vị (trung vị %(median)s)",
            n,
        )
    elif flag.high:
        words = ngettext(
            "cao bất thường so với %(counter)s đơn vị khác cùng kỳ (trung vị %(median)s)",
            "cao bất thường so với %(counter)s đơn vị khác cùng kỳ (trung vị %(median)s)",
            n,
        )
    else:
        words = ngettext(
            "thấp bất thường so với %(counter)s đơn vị khác cùng kỳ (trung vị %(median)s)",
            "thấp bất thường so với %(counter)s đơn vị khác cùng kỳ (trung vị %(median)s)",
            n,
        )
    return words % {"counter": shown(n), "median": shown(vn_figure(flag.median))}


@register.simple_tag
def review_rows(rows, *, submission, can_describe, dic) -> SafeString:
    """One pillar's rows of the review page (``selectors.submissions.submission_rows``
    with ``review_aids``): what the loop over them wrote, in one pass. ``dic`` is the
    DIC's short name, ``can_describe`` whether the reader may describe a document."""
    # The template's literals, translated: safe there, so not escaped here either.
    target_label = gettext("Mức kế hoạch năm")
    previous_label = gettext("Kỳ trước")
    figure_label = gettext("Số liệu kỳ này")
    note_label = gettext("Giải trình, minh chứng")
    figures_of = gettext("Số liệu của")
    not_reporting = gettext("(đơn vị không tự báo cáo)")
    change_word = gettext("thay đổi")
    look_again = gettext("cần xem lại")
    far = gettext("xa mức kế hoạch")
    describe = gettext("sửa thông tin văn bản")
    commented = gettext("%(dic)s:") % {"dic": shown(capfirst(dic))}
    approved = submission.status == SubmissionStatus.APPROVED
    before, after = url_around_id("reporting:evidence-describe")
    html: list[str] = []
    write = html.append
    for row in rows:
        indicator = row.indicator
        write(f'\n    <tr id="value-{shown(row.pk)}">\n      <td><span class="text-muted small">')
        write(f"{shown(indicator.code)}</span> {shown(indicator.name)}")
        if indicator.unit:
            write(f' <span class="text-muted">({shown(indicator.unit)})</span>')
        if row.collected_for:
            bodies = ", ".join(shown(body.label) for body in row.collected_for)
            write(f'<div class="small text-muted">{figures_of} {bodies} {not_reporting}</div>')
        write(f'</td>\n      <td class="small card-half" data-label="{target_label}">')
        for target in row.targets:
            plan = shown(target.plan.number)
            write(f'<div>{shown(target.display)} <span class="text-muted">· {plan}</span></div>')
        if not row.targets:
            write('<span class="text-muted">—</span>')
        previous = row.previous.display if row.previous is not None else ""
        write(f'</td>\n      <td class="small card-half" data-label="{previous_label}">')
        write(shown(previous or "—"))
        if row.change is not None:
            write(f'<div class="text-muted">{change_word} {shown(signed_number(row.change))}')
            if row.change_share is not None:
                write(f" ({shown(signed_percent(row.change_share))})")
            write("</div>")
        write(f'</td>\n      <td data-label="{figure_label}"><span class="fw-semibold">')
        write(f"{shown(row.display or '—')}</span>\n        ")
        for flag in row.outliers:
            write(
                f'<div class="small text-warning-emphasis"><span class="badge text-bg-warning">{look_again}'
            )
            write("</span>\n          ")
            write(_flag(flag))
            write("\n          </div>" if flag.basis == "history" else "</div>")
        write("\n        ")
        if gap := row.target_gap:
            reached = gettext("chỉ đạt %(share)s của mức %(target)s (%(plan)s)") % {
                "share": shown(share_percent(gap.share)),
                "target": shown(gap.target.display),
                "plan": shown(gap.target.plan.number),
            }
            write(f'<div class="small text-danger-emphasis"><span class="badge text-bg-danger">{far}</span>')
            write(f" {reached}</div>")
        write(f'</td>\n      <td class="small" data-label="{note_label}">\n        ')
        if row.note:
            write(f"<div>{linebreaksbr(row.note, autoescape=True)}</div>")
        write("\n        ")
        for item in row.evidence.all():
            link = ' rel="noopener" target="_blank"' if item.link else ""
            write(f'<div><a href="{shown(item.get_absolute_url())}"{link}>{shown(item)}</a>')
            if item.document:
                write(f' <span class="text-muted small">({shown(item.document)})</span>')
            if can_describe:
                write(f' <a class="small d-print-none" href="{before}{shown(item.pk)}{after}">{describe}</a>')
            write("</div>")
        write("\n        ")
        if row.review_comment and not approved:
            write(f'<div class="text-danger">{commented} {shown(row.review_comment)}</div>')
        write("\n      </td>\n    </tr>\n  ")
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)
