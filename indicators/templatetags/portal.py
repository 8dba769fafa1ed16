from django import template

from indicators.formatting import PERCENT, format_number, percent, with_unit
from indicators.formatting import share_percent as percent_of
from indicators.measures import as_shown

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """1234567.5 → "1.234.567,5"."""
    return format_number(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def vn_figure(value) -> str:
    """A figure derived from others (a median, a change), rounded as pages show
    figures (``as_shown``): 71.6804635761 → "71,68"."""
    if value is None:
        return ""
    return format_number(as_shown(value))


@register.filter
def signed_number(value) -> str:
    """A change of a figure, with its sign, rounded as figures are shown: 5 → "+5",
    -2.5 → "−2,5", 1.23456 → "+1,23"."""
    if value is None:
        return ""
    value = as_shown(value)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + format_number(abs(value))


@register.filter
def signed_percent(share) -> str:
    """A change as a share of the figure before: 0.125 → "+12,5%"."""
    if share is None:
        return ""
    return with_unit(signed_number(percent_of(share)), PERCENT)


@register.filter
def share_percent(share) -> str:
    """A share as a percentage: 0.4706 → "47,1%"."""
    if share is None:
        return ""
    return percent(percent_of(share))
