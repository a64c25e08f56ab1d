"""The papers of a dossier, printed from the record: each paper as PDF or Word, the whole
dossier as one PDF or a ZIP of Word files, and the department's batch of decisions."""
from datetime import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.models import Role
from members.selectors import get_visible_or_404, roles_of
from members.views import role_required

from .. import papers, selectors, services
from ..models import Candidate, Decision, DecisionKind
from ..papers import dossier

# The decision paper of each kind of decision, for the batch of one day.
DECISION_PAPERS = {DecisionKind.ADMISSION: "9-knd", DecisionKind.RECOGNITION: "16-knd",
                   DecisionKind.REMOVAL: "xoa-ten"}


def _file(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=papers.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _candidate(request, pk) -> Candidate:
    return get_visible_or_404(
        selectors.candidates_visible_to(request.user).select_related(
            "organisation__parent", "helper", "member"), pk=pk)


def paper_rows(user, candidate):
    """The papers the dossier page offers: those of steps taken, and of the steps this user
    may take now."""
    open_actions = [a for a, refusal in services.action_choices(user, candidate) if not refusal]
    return dossier.for_candidate(candidate, open_actions)


@role_required
@require_GET
def candidate_papers(request, pk):
    candidate = _candidate(request, pk)
    return render(request, "recruitment/candidate_papers.html", {
        "candidate": candidate, "rows": paper_rows(request.user, candidate),
        "has_recorded": bool(dossier.recorded(candidate)),
    })


@role_required
@require_GET
def candidate_paper(request, pk, slug, fmt):
    candidate = _candidate(request, pk)
    paper = papers.get(slug)
    if paper is None or fmt not in ("pdf", "docx"):
        raise Http404
    if paper not in [p for p, _state in paper_rows(request.user, candidate)]:
        raise Http404  # a paper of a step neither taken nor open to this user
    render_paper = papers.render_pdf if fmt == "pdf" else papers.render_docx
    return _file(render_paper(paper, candidate), papers.filename(paper, candidate, fmt), fmt)


@role_required
@require_GET
def candidate_dossier(request, pk, fmt):
    candidate = _candidate(request, pk)
    if fmt not in ("pdf", "zip") or not dossier.recorded(candidate):
        raise Http404
    name = f"ho-so-{papers.filename(papers.PAPERS[0], candidate, fmt).split('-', 2)[-1]}"
    if fmt == "pdf":
        content, _pages = dossier.dossier_pdf(candidate)
    else:
        content = dossier.dossier_zip(candidate)
    return _file(content, name, fmt)


BATCH_ROLES = {Role.ORG_DEPARTMENT, Role.GRASSROOTS_OFFICE}


@role_required
@require_GET
def decisions_batch(request):
    """Every decision of one kind signed on one day, within the user's scope, as one PDF."""
    if not roles_of(request.user) & BATCH_ROLES:
        raise Http404
    kinds = [(k, DecisionKind(k).label) for k in DECISION_PAPERS]
    day, kind, error, found = None, request.GET.get("kind", DecisionKind.ADMISSION), "", []
    raw = request.GET.get("date", "").strip()
    if raw:
        try:
            day = datetime.strptime(raw, "%d/%m/%Y").date()
        except ValueError:
            error = _("Ngày “%(raw)s” không đúng dạng dd/mm/yyyy hoặc không có thật.") % {
                "raw": raw}
    if kind not in DECISION_PAPERS:
        raise Http404
    if day is not None:
        visible = selectors.candidates_visible_to(request.user)
        found = list(Decision.objects.filter(
            kind=kind, decision_date=day, candidate__in=visible,
        ).select_related("candidate__organisation", "decided_by").order_by("number", "pk"))
        if request.GET.get("print") and found:
            paper = papers.get(DECISION_PAPERS[kind])
            content = dossier.batch_pdf((paper, d.candidate) for d in found)
            return _file(content, f"quyet-dinh-{kind}-{day:%Y%m%d}.pdf", "pdf")
    return render(request, "recruitment/decisions_batch.html", {
        "kinds": kinds, "kind": kind, "day": day, "raw": raw, "error": error,
        "decisions": found,
    })
