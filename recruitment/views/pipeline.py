"""Pipeline pages: candidate list and page, the step forms, the examination queue, the worklist."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Role
from members.selectors import (
    branches_visible_to,
    get_visible_or_404,
    grants_of,
    person_history,
    roles_of,
)
from members.views import role_required

from .. import rules, selectors, services
from ..calendar import WorkingCalendar
from ..forms import FORMS, STAGE_CHOICES, CandidateForm
from ..models import Source
from ..workflow import BRANCH_VOTE_RULES, FORWARD, get_action


@role_required
def candidate_list(request):
    filters = selectors.candidate_filters(request.GET)
    candidates = selectors.search_candidates(request.user, **filters)
    page = Paginator(candidates, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recruitment/candidate_list.html", {
        "page": page, "filters": filters, "stages": STAGE_CHOICES, "sources": Source.choices,
        "can_add": Role.BRANCH_SECRETARY in roles_of(request.user),
    })


@role_required
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    branches = [g.organisation for g in grants_of(request.user)
                if g.role == Role.BRANCH_SECRETARY]
    if not branches:
        raise Http404
    branch_qs = branches_visible_to(request.user).filter(pk__in=[b.pk for b in branches])
    form = CandidateForm(request.POST or None, branches=branch_qs)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.add_candidate(actor=request.user, candidate=form.instance)
        except services.WorkflowError as err:
            form.add_error(None, err.message)
        except ValidationError as err:  # the CCCD was taken since the form checked it
            for field, errors in err.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã đưa %(name)s vào danh sách quần chúng ưu tú.")
                             % {"name": candidate.full_name})
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    return render(request, "recruitment/candidate_form.html", {"form": form})


def _rule_checks(candidate):
    """The admission rules as they stand for this dossier (on the branch vote date, or today)."""
    on = candidate.branch_vote_date or rules.today()
    ctx = rules.Context(candidate, on)
    codes = [c for c in BRANCH_VOTE_RULES
             if c not in ("BRANCH_SIZE", "BRANCH_VOTE", "BRANCH_REGISTER")]
    results = []
    for code in codes:
        findings = rules.CHECKS[code](ctx)
        results.append({"rule": rules.RULES[code], "findings": findings})
    return on, results


@role_required
def candidate_detail(request, pk):
    candidate = get_visible_or_404(
        selectors.candidates_visible_to(request.user).select_related(
            "organisation__parent", "helper", "member"), pk=pk)
    events = candidate.events.select_related("actor").order_by("recorded_at", "pk")
    choices = services.action_choices(request.user, candidate)
    checked_on, checks = _rule_checks(candidate)
    calendar = WorkingCalendar.load()
    return render(request, "recruitment/candidate_detail.html", {
        "candidate": candidate,
        "events": events,
        "actions": [a for a, refusal in choices if not refusal],
        "withheld": [(a, refusal) for a, refusal in choices if refusal],
        "forward": FORWARD,
        "verifications": candidate.verifications.all(),
        "introductions": candidate.introductions.select_related("introducer"),
        "votes": candidate.votes.all(),
        "decisions": candidate.decisions.select_related("decided_by"),
        "enrolments": candidate.enrolments.select_related("training_class"),
        "checks": checks,
        "checked_on": checked_on,
        "days_left": services.working_days_left(candidate.due_date, calendar, rules.today()),
        "ancestors": candidate.organisation.ancestors(),
        "history": person_history(request.user, candidate),
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
    initial = {"event_date": rules.today()}
    if step.code in ("branch_vote", "recognition_vote"):
        initial["eligible"] = services.registered_official(candidate, rules.today())
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
            except services.WorkflowError as err:
                if err.findings:
                    for finding in err.findings:
                        form.add_error(None, str(finding))
                else:
                    form.add_error(None, err.message)
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


WORKLIST_TITLES = {
    "ceremonies": _("Lễ kết nạp đến hạn hoặc quá hạn (30 ngày làm việc từ quyết định)"),
    "probations_ending": _("Đảng viên dự bị sắp hết 12 tháng (trong 30 ngày tới)"),
    "recognition_overdue": _("Đã hết dự bị, chưa có nghị quyết công nhận chính thức"),
    "certificates_expiring": _("Giấy chứng nhận nhận thức về Đảng sắp hết hạn 60 tháng "
                               "(trong 90 ngày) hoặc đã hết hạn"),
    "waiting_class": _("Quần chúng đã có người giúp đỡ, chờ học lớp nhận thức về Đảng"),
    "new_member_class_due": _("Đảng viên dự bị chưa học lớp đảng viên mới, còn dưới 4 tháng "
                              "là hết dự bị"),
    "waiting_upper": _("Hồ sơ đang chờ cấp trên xét, quyết định"),
}


@role_required
def worklist(request):
    today = rules.today()
    calendar = WorkingCalendar.load()
    sections = []
    for key, candidates in selectors.worklist(request.user, today):
        rows = [(c, services.working_days_left(c.due_date, calendar, today)) for c in candidates]
        sections.append({"key": key, "title": WORKLIST_TITLES[key], "rows": rows})
    return render(request, "recruitment/worklist.html", {"sections": sections, "today": today})
