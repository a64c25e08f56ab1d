"""Pipeline pages: candidate list and page, the step forms, the examination queue, the worklist."""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from members.models import Role
from members.paging import keyset_page, page_of
from members.selectors import (
    get_visible_or_404,
    grants_of,
    person_history,
    roles_of,
    sees_whole_trees,
)
from members.views import role_required

from .. import rules, selectors, services
from ..calendar import WorkingCalendar
from ..forms import FORMS, STAGE_CHOICES
from ..forms.findings import show_refusal
from ..forms.prefill import initial_for
from ..models import Source, Stage
from ..papers import dossier
from ..services import corrections
from ..workflow import BRANCH_VOTE_RULES, CLOSED_STAGES, FORWARD, RETURN, get_action


@role_required
def candidate_list(request):
    filters = selectors.candidate_filters(request.GET)
    candidates, name_match, order = selectors.candidate_search(request.user, **filters)
    if filters["sort"] in selectors.KEYSET_SORTS:
        page = keyset_page(request, candidates, order=order, match=name_match,
                           broad=sees_whole_trees(request.user))
    else:  # by birth date, stage date, deadline: OFFSET pages, capped at 1,000 rows
        if name_match is not None:
            candidates = candidates.filter(name_match)
        page = page_of(request, candidates.order_by(*order))
    return render(request, "recruitment/candidate_list.html", {
        "page": page, "filters": filters, "stages": STAGE_CHOICES, "sources": Source.choices,
        "can_add": Role.BRANCH_SECRETARY in roles_of(request.user), "today": rules.today(),
    })


# The page that adds a candidate (with the readmission look-up) lives in entry.py.
from .entry import candidate_create  # noqa: E402,F401,I001


def _rule_checks(candidate):
    """The admission rules as they stand for this dossier (on the branch vote date, or today)."""
    on = candidate.branch_vote_date or rules.today()
    ctx = rules.Context(candidate, on)
    # The rules on the vote's own paper (its counts, its number) have nothing to judge before it.
    codes = [c for c in BRANCH_VOTE_RULES
             if c not in ("BRANCH_SIZE", "BRANCH_VOTE", "BRANCH_REGISTER", "NUMBER_UNIQUE")]
    results = []
    for code in codes:
        findings = rules.CHECKS[code](ctx)
        results.append({"rule": rules.RULES[code], "findings": findings})
    return on, results


def returned_info(event, candidate=None) -> dict:
    """A return as the pages say it: when, who (and in what role, and for a candidate's page
    at which organisation), why, and the stage it sent the dossier back to."""
    action = get_action(event.action)
    role = action.roles[0] if action and action.roles else ""
    organisation = None
    if candidate is not None and event.actor is not None and role:
        path = candidate.organisation.path
        grants = [g for g in grants_of(event.actor)
                  if g.role in action.roles and path.startswith(g.organisation.path)]
        if grants:
            organisation = max(grants, key=lambda g: len(g.organisation.path)).organisation
    actor = event.actor
    return {
        "event": event, "date": event.event_date, "reason": event.note,
        "who": (actor.get_full_name() or actor.username) if actor else _("nhập từ dữ liệu cũ"),
        "role": Role(role).label if role else "", "organisation": organisation,
        "stage": Stage(event.to_stage).label, "action": action.label if action else event.action,
    }


def _timeline(events, votes) -> list[dict]:
    """Each event with what it says besides its stage: the branches of a transfer, the stage
    and reason of a return, the counts of a vote, the reason a dossier closed."""
    vote_of = {v.event_id: v for v in votes if v.event_id}
    undone = corrections.undone_ids(events)
    entries = []
    for event in events:
        action = get_action(event.action)
        lines, reason_label = [], _("Ghi chú")
        if text := corrections.summary(event, events):
            lines.append(text)
        if event.action == "transfer" and event.payload.get("to_name"):
            lines.append(_("Chuyển từ %(from)s sang %(to)s") % {
                "from": event.payload.get("from_name", ""), "to": event.payload["to_name"]})
        if action is not None and action.kind == RETURN:
            lines.append(_("Trả về bước: %(stage)s") % {"stage": Stage(event.to_stage).label})
            reason_label = _("Lý do trả lại")
        if (vote := vote_of.get(event.pk)) is not None:
            lines.append(_("Biểu quyết: %(for)s/%(eligible)s tán thành (%(present)s có mặt) — "
                           "%(result)s") % {
                "for": vote.votes_for, "eligible": vote.eligible, "present": vote.present,
                "result": _("đạt") if vote.two_thirds_reached else _("không đạt")})
        closing = event.to_stage in CLOSED_STAGES and event.to_stage != Stage.OFFICIAL
        if closing:
            lines.append(_("Hồ sơ kết thúc: %(stage)s") % {
                "stage": Stage(event.to_stage).label})
            reason_label = _("Lý do")
        entries.append({"event": event, "lines": lines, "reason_label": reason_label,
                        "closing": closing, "undone": event.pk in undone})
    return entries


@role_required
def candidate_detail(request, pk):
    candidate = get_visible_or_404(
        selectors.candidates_visible_to(request.user).select_related(
            "organisation__parent", "helper", "member", "returned_by__actor"), pk=pk)
    events = list(candidate.events.select_related("actor").order_by("recorded_at", "pk"))
    votes = list(candidate.votes.all())
    choices = services.action_choices(request.user, candidate)
    checked_on, checks = _rule_checks(candidate)
    calendar = WorkingCalendar.load()
    return render(request, "recruitment/candidate_detail.html", {
        "candidate": candidate,
        "events": events,
        "timeline": _timeline(events, votes),
        "returned": (returned_info(candidate.returned_by, candidate)
                     if candidate.returned_by_id else None),
        "closed": candidate.stage in CLOSED_STAGES and candidate.stage != Stage.OFFICIAL,
        "actions": [a for a, refusal in choices if not refusal],
        "withheld": [(a, refusal) for a, refusal in choices if refusal],
        "forward": FORWARD,
        "verifications": candidate.verifications.all(),
        "introductions": candidate.introductions.select_related("introducer"),
        "votes": votes,
        "decisions": candidate.decisions.select_related("decided_by"),
        "enrolments": candidate.enrolments.select_related("training_class"),
        "checks": checks,
        "checked_on": checked_on,
        "days_left": services.working_days_left(candidate.due_date, calendar, rules.today()),
        "ancestors": candidate.organisation.ancestors(),
        "history": person_history(request.user, candidate),
        # "In mẫu": the paper of each step taken or open to the user now.
        "rows": dossier.for_candidate(candidate, [a for a, refusal in choices if not refusal]),
    })


@role_required
@require_http_methods(["GET", "POST"])
def candidate_action(request, pk, action):
    candidate = get_visible_or_404(
        selectors.candidates_visible_to(request.user).select_related("organisation__parent"),
        pk=pk)
    step = get_action(action)
    if step is None or step.code == "add_to_pool":
        raise Http404
    form_class = FORMS[step.code]
    # What the dossier already knows (dates, the register's count, the helper…), offered.
    initial = initial_for(step.code, candidate, rules.today())
    form = form_class(request.POST or None, candidate=candidate, action=step, initial=initial,
                      user=request.user)
    refusal = dict(services.action_choices(request.user, candidate)).get(step)
    available = refusal == ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.perform(step.code, candidate=candidate, actor=request.user,
                                 event_date=form.cleaned_data["event_date"],
                                 data=form.cleaned_data)
            except services.WorkflowError as err:  # by the rule's Vietnamese name
                show_refusal(form, err)
            else:
                messages.success(request, _("Đã ghi: %(action)s.") % {"action": step.label})
                return redirect("recruitment:candidate_detail", pk=candidate.pk)
        status = 400
    else:
        status = 200 if available else 409
    return render(request, "recruitment/action_form.html", {
        "candidate": candidate, "step": step, "form": form, "available": available,
        "refusal": refusal,
        "step_rules": [rules.RULES[code] for code in step.rules],
    }, status=status)


@role_required
def examination_queue(request):
    queue = selectors.examination_queue(request.user)
    page = Paginator(queue, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = WorkingCalendar.load()
    today = rules.today()
    rows = [(c, services.working_days_left(c.due_date, calendar, today)) for c in page]
    return render(request, "recruitment/examination_queue.html", {"page": page, "rows": rows})


# Lazy: translated when a page shows them, in the reader's language.
WORKLIST_TITLES = {
    "returned": _lazy("Hồ sơ bị trả lại"),
    "due": _lazy("Hồ sơ chờ bạn đến hạn trong %(n)s ngày làm việc tới hoặc đã quá hạn"),
    "ceremonies": _lazy("Lễ kết nạp đến hạn hoặc quá hạn (30 ngày làm việc từ quyết định)"),
    "probations_ending": _lazy("Đảng viên dự bị sắp hết 12 tháng (trong 30 ngày tới)"),
    "recognition_overdue": _lazy("Đã hết dự bị, chưa có nghị quyết công nhận chính thức"),
    "certificates_expiring": _lazy("Giấy chứng nhận nhận thức về Đảng sắp hết hạn 60 tháng "
                                   "(trong 90 ngày) hoặc đã hết hạn"),
    "waiting_class": _lazy("Quần chúng đã có người giúp đỡ, chờ học lớp nhận thức về Đảng"),
    "new_member_class_due": _lazy("Đảng viên dự bị chưa học lớp đảng viên mới, còn dưới 4 "
                                  "tháng là hết dự bị"),
    "waiting_me": _lazy("Hồ sơ chờ bạn xét, quyết định"),
    "waiting_upper": _lazy("Hồ sơ đang chờ cấp trên xét, quyết định"),
}


@role_required
def worklist(request):
    today = rules.today()
    calendar = WorkingCalendar.load()
    sections = []
    horizon = selectors.due_horizon(today, calendar)
    for key, candidates in selectors.worklist(request.user, today, horizon=horizon):
        if key == "returned":
            rows = [(c, returned_info(c.returned_by)) for c in candidates]
        else:
            rows = [(c, services.working_days_left(c.due_date, calendar, today))
                    for c in candidates]
        title = WORKLIST_TITLES[key]
        if key == "due":
            title = title % {"n": selectors.DUE_WINDOW}
        sections.append({"key": key, "title": title, "rows": rows})
    return render(request, "recruitment/worklist.html", {"sections": sections, "today": today})


def returned_panel(request) -> str:
    """The home panel: returned dossiers in the user's scope that wait for a level where the
    user holds the role ("" when there are none). Registered in members.registry.home_panels."""
    candidates = selectors.returned_waiting_for(request.user)
    if not candidates:
        return ""
    return render_to_string("recruitment/_returned_panel.html", {
        "rows": [(c, returned_info(c.returned_by)) for c in candidates],
    }, request=request)
