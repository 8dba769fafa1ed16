"""The entry page's rows (``reporting/submission_edit.html``), written in Python: a
template loop over a report's 40 values, each with its targets, previous figure, eight
fields and documents, resolved some 1,700 variables and rendered 300 field tags a
page, about a quarter of its time."""

from django import template
from django.template.defaultfilters import capfirst
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .reporting import form_field, shown, url_around_id

register = template.Library()


@register.simple_tag
def entry_rows(form, rows, *, dic) -> SafeString:
    """One pillar's rows of the entry page (``selectors.submissions.submission_rows``
    with the fields ``forms.SubmissionEntryForm`` gave each): what the loop over them
    wrote, in one pass. ``dic`` is the DIC's short name."""
    # The template's literals, translated: safe there, so not escaped here either.
    target_label = gettext("Mức kế hoạch năm")
    previous_label = gettext("Kỳ trước")
    figure_label = gettext("Số liệu kỳ này")
    note_label = gettext("Giải trình, minh chứng")
    figure_of = gettext("Số liệu của")
    not_reporting = gettext("(đơn vị không tự báo cáo)")
    unit_label = gettext("Đơn vị tính:")
    no_case = gettext("không phát sinh")
    result_label = gettext("Kết quả:")
    numerator_label = gettext("Tử số:")
    denominator_label = gettext("mẫu số:")
    evidence_label = gettext("Minh chứng:")
    describe_label = gettext("sửa thông tin văn bản")
    remove_label = gettext("gỡ")
    remove_confirm = gettext("Gỡ minh chứng này khỏi báo cáo?")
    remove_confirm_dirty = gettext(
        "Gỡ minh chứng sẽ tải lại trang: những gì bạn vừa nhập mà chưa lưu sẽ mất. "
        "Hãy bấm “Huỷ” rồi “Lưu nháp” trước, hoặc bấm “OK” để vẫn gỡ."
    )
    add_evidence = gettext("Thêm minh chứng (tệp PDF, ảnh, Office tối đa 10 MB, hoặc đường dẫn)")
    document_label = gettext("Văn bản là minh chứng (Bộ yêu cầu khi đánh giá DTI):")
    commented = gettext("%(dic)s:") % {"dic": shown(capfirst(dic))}
    before, after = url_around_id("reporting:evidence-describe")
    html: list[str] = []
    write = html.append
    for row in rows:
        indicator = row.indicator
        write(f'\n      <tr id="value-{shown(row.pk)}">\n        <td>\n          ')
        write('<div><span class="text-muted small">')
        write(f"{shown(indicator.code)}</span> {shown(indicator.name)}</div>\n          ")
        if row.collected_for:
            bodies = ", ".join(shown(body.label) for body in row.collected_for)
            write(f'<div class="small text-muted">{figure_of} {bodies} {not_reporting}</div>')
        write(f'\n          <div class="small text-muted">{unit_label} {shown(indicator.unit or "—")} · ')
        write(f"{shown(indicator.get_measure_type_display())}</div>\n          ")
        if row.review_comment:
            comment = shown(row.review_comment)
            write(f'<div class="small text-danger mt-1"><strong>{commented}</strong> {comment}</div>')
        write(f'\n        </td>\n        <td class="small card-half" data-label="{target_label}">')
        write("".join(f"<div>{shown(target.display)}</div>" for target in row.targets) or "—")
        previous = row.previous.display if row.previous is not None else ""
        write(f'</td>\n        <td class="small card-half" data-label="{previous_label}">')
        write(shown(previous or "—"))
        write(f'</td>\n        <td data-label="{figure_label}">\n          ')
        if indicator.is_quotient:
            bounded = " data-bounded" if indicator.measure.bounded else ""
            write(
                f'\n            <div data-quotient data-scale="{shown(indicator.scale)}" '
                f'data-unit="{shown(indicator.unit)}"{bounded}\n'
                f'                 data-not-applicable="{no_case}">\n              '
            )
            write(form_field(form, row.field_names[0]))
            write("\n              ")
            write(form_field(form, row.field_names[1]))
            write(f'\n              <div class="small">{result_label} <strong data-quotient-out>—</strong>')
            write("</div>\n              ")
            if indicator.numerator_label:
                write(
                    f'<div class="small text-muted">{numerator_label} {shown(indicator.numerator_label)}; '
                    f"{denominator_label} {shown(indicator.denominator_label)}</div>"
                )
            write("\n            </div>\n          ")
        else:
            write("\n            ")
            write("".join(form_field(form, name) for name in row.field_names))
            write("\n          ")
        write(f'\n        </td>\n        <td data-label="{note_label}">\n          ')
        write(form_field(form, row.note_field))
        write("\n          ")
        for item in row.evidence.all():
            document = item.document
            write(
                f'\n            <div class="small"><span class="text-muted">{evidence_label}</span> '
                f'<a href="{shown(item.get_absolute_url())}">{shown(item)}</a>'
            )
            if document:
                write(f' <span class="text-muted">({shown(document)})</span>')
            write(
                f'\n              <a class="small" href="{before}{item.pk}{after}">{describe_label}</a>'
                '\n              <button class="btn btn-link btn-sm p-0 text-danger" type="submit" '
                f'form="delete-evidence-{shown(item.pk)}"\n                data-confirm="{remove_confirm}"'
                f'\n                data-confirm-dirty="{remove_confirm_dirty}">{remove_label}</button>'
                "</div>\n          "
            )
        opened = " open" if getattr(row, "evidence_errors", False) else ""
        write(f'\n          <details class="small"{opened}><summary>{add_evidence}</summary>\n            ')
        write(form_field(form, row.files_field))
        write("\n            ")
        write(form_field(form, row.link_field))
        write(f'\n            <div class="text-muted">{document_label}</div>\n            ')
        write("".join(form_field(form, name) for name in row.document_fields))
        write("\n          </details>\n        </td>\n      </tr>\n    ")
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped or a safe field)
