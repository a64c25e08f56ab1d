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
    for page in ("page", "sau", "truoc"):  # a new order starts at its first page
        params.pop(page, None)
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def sort_state(context, key):
    """The aria-sort of the column header sorting by `key` (the header, not its link, says
    it)."""
    current = context["request"].GET.get("sort", "name")
    return "ascending" if current == key else ("descending" if current == f"-{key}" else "none")


@register.filter
def action_label(code):
    """The label of a workflow action, from the table (or of a correction of the dossier)."""
    from django.utils.translation import gettext as _

    from recruitment.workflow import get_action

    action = get_action(code)
    if action is not None:
        return action.label
    return {"correct_identity": _("Sửa thông tin"),
            "undo_step": _("Hủy bước ghi nhầm")}.get(code, code)


@register.simple_tag
def undone_events(events):
    """The pks of the steps an undo took back: {% undone_events events as undone %}, then
    {% if e.pk in undone %} marks one as undone on the timeline."""
    from recruitment.services.corrections import undone_ids

    return undone_ids(events)


@register.simple_tag
def correction_summary(event, events=()):
    """What a correction changed, in words: "Họ và tên “…” → “…”", or the step an undo took
    back with its date; "" for any other event."""
    from recruitment.services.corrections import summary

    return summary(event, events)


@register.simple_tag(takes_context=True)
def corrections_for(context, candidate, events=None):
    """What the signed-in user may correct on the dossier, for its page: may_correct,
    undo_event (the step they may undo now), undo_refusal (why not, shown only when the latest
    step is theirs), undone (the steps taken back), corrections [(event, summary)]."""
    from recruitment.services import corrections as service

    user = context["request"].user
    undo_event, refusal = (None, "")
    may_undo = service.may_undo(user, candidate)
    if may_undo:
        undo_event, refusal = service.undoable(user, candidate)
    events = list(events or ())
    latest = events[-1] if events else None
    mine = latest is not None and latest.actor_id == user.pk and not latest.imported \
        and latest.action not in ("add_to_pool", *service.CORRECTION_ACTIONS)
    undone = service.undone_ids(events)
    return {"may_correct": not service.correction_refusal(user, candidate),
            "undo_event": undo_event, "undo_refusal": refusal if mine else "",
            "undone": [e for e in events if e.pk in undone],
            "corrections": [(e, correction_summary(e, events)) for e in events
                            if e.action in service.CORRECTION_ACTIONS]}


@register.filter
def days_left(value):
    """Working days left, or overdue, in words: "còn 5" / "quá hạn 7"."""
    from django.utils.translation import gettext as _

    if value is None:
        return "—"
    if value < 0:
        return _("quá hạn %(n)s") % {"n": -value}
    return _("còn %(n)s") % {"n": value}
