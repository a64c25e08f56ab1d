from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by `key`, and by `-key` when already sorted by it."""
    request = context["request"]
    current = request.GET.get("sort", "name")
    target = f"-{key}" if current == key else key
    params = request.GET.copy()
    params["sort"] = target
    params.pop("page", None)
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    aria = "ascending" if current == key else ("descending" if current == f"-{key}" else "none")
    return format_html('<a href="?{}" aria-sort="{}">{}{}</a>', params.urlencode(), aria, label,
                       arrow)
