from django import template

from indicators.formatting import format_number

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
