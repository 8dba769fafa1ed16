from django import template
from django.utils.html import format_html

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


@register.filter
def field(form, name: str):
    """``form|field:"v12-note"``: the bound field of that name."""
    return form[name]


@register.simple_tag
def status_badge(value, label) -> str:
    return format_html('<span class="badge {}">{}</span>', BADGES.get(str(value), "text-bg-light"), label)
