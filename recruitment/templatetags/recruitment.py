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


@register.filter
def action_label(code):
    """The label of a workflow action, from the table."""
    from recruitment.workflow import get_action

    action = get_action(code)
    return action.label if action else code


@register.filter
def days_left(value):
    """Working days left, or overdue, in words: "còn 5" / "quá hạn 7"."""
    from django.utils.translation import gettext as _

    if value is None:
        return "—"
    if value < 0:
        return _("quá hạn %(n)s") % {"n": -value}
    return _("còn %(n)s") % {"n": value}
