from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assignments.choices import Role
from dti_portal.forms import escape_text
from indicators.formatting import percent
from indicators.selectors import province_name

from ..calendar import last_day
from ..choices import STATUS_COLOURS

register = template.Library()

# Colour and a word together, never colour alone.
BADGES = {
    "draft": "text-bg-secondary",
    "not_started": "text-bg-light border",
    "submitted": "text-bg-warning",
    "returned": "text-bg-danger",
    "approved": "text-bg-success",
    "overdue": "bg-white text-danger border border-danger",
}


@register.simple_tag(takes_context=True)
def page_body(context):
    """The part of a dashboard below its filters, kept in the cache
    (``views.dashboards.CachedBodyMixin``)."""
    return context["view"].body_html(context)


@register.simple_tag
def province_named(province, year=None, quarter=None) -> str:
    """The province's name in force at the end of the year or quarter shown (thành phố
    Huế from 2025, tỉnh Thừa Thiên Huế before); today's without a year."""
    if province is None:
        return ""
    on = last_day(int(year), int(quarter) if quarter else None) if year else timezone.localdate()
    return str(province_name(province=province, on=on).name)


@register.filter
def overdue_on(submission, today) -> bool:
    """``submission|overdue_on:today``: ``Submission.is_overdue``, the rule every count uses."""
    return submission.is_overdue(today)


@register.simple_tag
def days_overdue(submission) -> int:
    """``{% days_overdue submission as n %}``: ``Submission.days_overdue`` today."""
    return submission.days_overdue(timezone.localdate())


@register.filter
def role_label(group_name: str) -> str:
    """A role's group name (``department_staff``) as words ("Cán bộ nhập liệu của đơn vị")."""
    return Role.label_of(group_name)


@register.filter
def field(form, name: str):
    """``form|field:"v12-note"``: the bound field of that name."""
    return form[name]


@register.simple_tag
def form_field(form, name: str) -> str:
    """One field of the entry page, labelled, with its errors: what
    ``reporting/_field.html`` wrote, without a template per field (an entry page has
    about 300)."""
    bound = form[name]
    errors = "".join(
        f'<div class="invalid-feedback d-block">{escape_text(message)}</div>' for message in bound.errors
    )
    label = f'<label class="form-label small mb-0" for="{escape_text(bound.id_for_label)}">'
    label += f"{escape_text(bound.label)}</label>"
    return SafeString(f'\n<div class="mb-1">\n  {label}\n  {bound.as_widget()}\n  {errors}\n</div>\n')


def shown(value) -> str:
    """What ``{{ value }}`` writes: localized, escaped (``render_value_in_context``); for
    the tags that write a page's rows in Python."""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def url_around_id(viewname: str) -> tuple[str, str]:
    """The escaped parts of ``viewname``'s URL before and after its one id argument: a
    loop writing a link per row reverses it once and writes each id in between (a
    ``reverse()`` costs 30 µs)."""
    marker = 2_147_483_647
    before, after = reverse(viewname, args=[marker]).split(str(marker))
    return escape(before), escape(after)


@register.simple_tag
def status_badge(value, label) -> str:
    return format_html('<span class="badge {}">{}</span>', BADGES.get(str(value), "text-bg-light"), label)


@register.simple_tag
def completeness_rows(rows) -> SafeString:
    """The completeness grid's rows (``selectors.submissions.completeness_grid``), each
    cell a status badge linking to its report: what a loop over rows and cells wrote in
    ``reporting/completeness.html``, in one pass (a province's grid has 1,500 cells)."""
    overdue = status_badge("overdue", gettext("Quá hạn"))
    own_due = escape(gettext("hạn riêng"))
    before, after = url_around_id("reporting:submission-detail")
    badges: dict[str, str] = {}
    html: list[str] = []
    write = html.append
    for row in rows:
        agency = row.agency
        write(f"\n    <tr><td>{escape(agency.name)}")
        if agency.exists_until:
            day = escape(date_filter(agency.exists_until, "d/m/Y"))
            ended = gettext("đến hết %(day)s") % {"day": day}
            write(f' <span class="small text-muted">({ended})</span>')
        write("</td>\n      ")
        for submission, state, late in row.cells:
            if submission is None:
                write('\n        <td class="text-center"><span class="text-muted">—</span></td>\n      ')
                continue
            badge = badges.get(state) or badges.setdefault(state, status_badge(state, state.label))
            write(
                f'\n        <td class="text-center"><a href="{before}{submission.pk}{after}"'
                f' class="text-decoration-none">{badge}{" " + overdue if late else ""}</a>'
            )
            if submission.due_on:
                due = escape(date_filter(submission.due_on, "d/m"))
                write(f'<div class="small text-muted">{own_due} {due}</div>')
            write("</td>\n      ")
        write("\n    </tr>\n  ")
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


# A province figure's status: colour and word together.
FIGURE_BADGES = {
    "met": "text-bg-success",
    "on_track": "bg-success-subtle text-success-emphasis border border-success",
    "at_risk": "text-bg-warning",
    "not_met": "text-bg-danger",
    "no_data": "text-bg-light border",
    "insufficient": "text-bg-secondary",
    "unassigned": "bg-white text-secondary border border-secondary",
}


@register.simple_tag
def figure_badge(value, label) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', FIGURE_BADGES.get(str(value), "text-bg-light"), label
    )


@register.filter
def status_colour(code) -> str:
    """``count.code|status_colour``: a shown status's colour (``STATUS_COLOURS``)."""
    return STATUS_COLOURS.get(str(code), "#e9ecef")


@register.simple_tag
def figure_value(figure) -> str:
    """A province figure as its measure type writes it: "75% (45/60)", "Có", "—"."""
    return "—" if figure is None else figure.display


@register.simple_tag
def percent_of(part, whole) -> str:
    return percent(round(part * 100 / whole)) if whole else "—"


TASK_BADGES = {
    "late": "text-bg-danger",
    "not_started": "text-bg-light border",
    "in_progress": "text-bg-info",
    "done": "text-bg-success",
}


@register.simple_tag
def task_badge(value, label) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', TASK_BADGES.get(str(value), "text-bg-light"), label
    )
