"""Report pages: choose a report, read it, download it (at once, or through a background job
for large scopes), the leadership dashboard and the organisation department's target grid.

Every organisation is fetched through the user's scope first: outside it is a 404.
"""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.auth import role_required
from members.models import BRANCH_KINDS, Organisation, Role, subtree_bounds
from members.selectors import (
    can_see,
    organisations_visible_to,
    roles_over,
    scope_roots,
    top_organisations_for,
)
from recruitment.rules import today as local_today
from recruitment.selectors import candidates_visible_to
from recruitment.workflow import CLOSED_STAGES

from . import charts, documents, periods, services
from .forms import ReportChoiceForm, TargetGridForm, TermForm
from .headline import headline_figures
from .models import ReportJob, Target
from .selectors import compute_figures, report_organisation

# Scopes with more branches than this render in the background (a province has ~5,000).
INLINE_MAX_BRANCHES = 300
SHORTCUTS = 10


def _period_or_404(organisation, label: str) -> periods.Period:
    try:
        return periods.resolve(organisation, label)
    except ValidationError as err:
        raise Http404(_("Kỳ báo cáo không hợp lệ.")) from err


def is_large(organisation) -> bool:
    low, high = subtree_bounds(organisation.path)
    return Organisation.objects.filter(path__gte=low, path__lt=high,
                                       kind__in=BRANCH_KINDS).count() > INLINE_MAX_BRANCHES


def can_set_targets(user, organisation) -> bool:
    return Role.ORG_DEPARTMENT in roles_over(user, organisation)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _shortcuts(user, today):
    return [{"org": org, "term": periods.current_term(org, today),
             "year": periods.current_year(today)}
            for org in top_organisations_for(user)[:SHORTCUTS]]


@role_required
def index(request):
    user, today = request.user, local_today()
    orgs = list(organisations_visible_to(user).order_by("path")
                .only("code", "name", "depth", "path")[:301])
    shortcuts = _shortcuts(user, today)
    initial = {"term": periods.default_term_label(today.year), "year": today.year,
               "organisation": shortcuts[0]["org"].code if shortcuts else ""}
    form = ReportChoiceForm(request.GET or None, initial=initial, organisations=orgs,
                            terms=periods.term_choices(today))
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["organisation"].strip()
        if organisations_visible_to(user).filter(code=code).exists():
            return redirect("reports:report", code=code, period=form.period)
        form.add_error("organisation", _("Không có tổ chức mang mã này trong phạm vi của bạn."))
    return render(request, "reports/index.html", {
        "form": form, "shortcuts": shortcuts,
        "target_orgs": [s["org"] for s in shortcuts if can_set_targets(user, s["org"])],
    })


def _page(request, items, param):
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get(param))


def _neighbours(period: periods.Period) -> tuple[str, str]:
    if period.is_term:
        first, last = (int(y) for y in period.label.split("-"))
        span = last - first
        return f"{first - span}-{first}", f"{last}-{last + span}"
    year = int(period.label)
    return str(year - 1), str(year + 1)


@role_required
def report(request, code, period):
    user = request.user
    organisation = report_organisation(user, code)
    large = is_large(organisation)
    # A large scope's page reads the rollups at once; its full detail is in the files.
    figures = (headline_figures if large else compute_figures)(
        organisation, _period_or_404(organisation, period))
    previous, following = _neighbours(figures.period)
    return render(request, "reports/report_summary.html" if large else "reports/report.html", {
        **documents.context(figures),
        "organisation": organisation,
        "ancestors": [a for a in organisation.ancestors() if can_see(user, a)],
        "previous": previous, "following": following,
        "units_page": _page(request, figures.by_unit, "don_vi"),
        "branches_page": _page(request, figures.by_branch, "chi_bo"),
        "idle_page": _page(request, figures.branches_without_admission, "chua_ket_nap"),
        "large": large,
        "can_set_targets": can_set_targets(user, organisation),
    })


@role_required
@require_http_methods(["GET", "POST"])
def download(request, code, period, fmt):
    """The file at once for a small scope; for a large one a background job (POST) that the
    user follows on its own page."""
    organisation = report_organisation(request.user, code)
    chosen = _period_or_404(organisation, period)
    if is_large(organisation):
        if request.method == "POST":
            job = services.request_report_job(organisation=organisation, period=chosen.label,
                                              fmt=fmt, actor=request.user)
            return redirect("reports:job", pk=job.pk)
        recent = ReportJob.objects.defer("content").filter(
            organisation=organisation, period=chosen.label, format=fmt,
            requested_by=request.user).order_by("-requested_at")[:5]
        return render(request, "reports/download_large.html", {
            "organisation": organisation, "period": chosen, "fmt": fmt, "recent": recent})
    rendered = documents.render(compute_figures(organisation, chosen), fmt)
    return _file(rendered.content, rendered.filename, rendered.content_type)


def _job_or_404(request, pk) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("organisation").defer("content"),
                            pk=pk, requested_by=request.user)
    if not can_see(request.user, job.organisation):
        raise Http404
    return job


@role_required
def job(request, pk):
    job = _job_or_404(request, pk)
    period = _period_or_404(job.organisation, job.period)
    return render(request, "reports/job.html", {"job": job, "period": period})


@role_required
def job_file(request, pk):
    job = _job_or_404(request, pk)
    if not job.finished or not job.filename:
        raise Http404(_("Báo cáo chưa dựng xong."))
    content = ReportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    return _file(bytes(content), job.filename, documents.CONTENT_TYPES[job.format])


def leadership_dashboard(request, cards):
    """The leadership's home: this year and this term against target, the pipeline, what is
    overdue, and the current reports one click away."""
    user, today = request.user, local_today()
    panels = []
    for organisation in scope_roots(user, Role.LEADERSHIP)[:3]:
        term = headline_figures(organisation, periods.current_term(organisation, today),
                                today=today, detail=False)
        year = headline_figures(organisation, periods.current_year(today), today=today,
                                detail=False)
        panels.append({"org": organisation, "term": term, "year": year,
                       "large": is_large(organisation),
                       "charts": {"admissions": charts.admissions(term),
                                  "funnel": charts.funnel(term)}})
    overdue = (candidates_visible_to(user).exclude(stage__in=CLOSED_STAGES)
               .filter(due_date__lt=today).order_by("due_date", "pk")[:10])
    return render(request, "reports/dashboard.html", {
        "panels": panels, "overdue": overdue, "today": today, "cards": cards})


@role_required
@require_http_methods(["GET", "POST"])
def targets(request, code):
    """The organisation department sets targets for a unit and the units directly under it,
    per year of a term and for the whole term, and records the term's congress dates."""
    user = request.user
    organisation = report_organisation(user, code)
    if not can_set_targets(user, organisation):
        return render(request, "reports/not_allowed.html", {"organisation": organisation},
                      status=403)
    today = local_today()
    label = request.GET.get("nhiem_ky") or periods.current_term(organisation, today).label
    term = _period_or_404(organisation, label)
    if not term.is_term:
        raise Http404
    first, last = (int(y) for y in term.label.split("-"))
    columns = [(str(y), _("năm %(y)s") % {"y": y}) for y in range(first, last + 1)]
    columns.append((term.label, _("nhiệm kỳ %(t)s") % {"t": term.label}))
    page = Paginator(organisation.children.order_by("path"), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = [organisation, *page]
    existing = {(t.organisation_id, t.term or str(t.year)): t.admissions
                for t in Target.objects.filter(organisation__in=rows).filter(
                    Q(year__in=range(first, last + 1)) | Q(term=term.label))}
    grid = TargetGridForm(request.POST if request.POST.get("action") == "targets" else None,
                          rows=rows, columns=columns, targets=existing)
    term_form = TermForm(request.POST if request.POST.get("action") == "term" else None,
                         initial={"start_date": term.start, "end_date": term.end})
    here = f"{reverse('reports:targets', args=[organisation.code])}?nhiem_ky={term.label}" + (
        f"&page={page.number}" if page.number > 1 else "")
    if grid.is_bound and grid.is_valid():
        try:
            changed = services.set_targets(cells=grid.cells(), actor=user)
        except ValidationError as err:
            grid.add_error(None, err)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu (%(n)s ô thay đổi).") % {"n": changed})
            return redirect(here)
    if term_form.is_bound and term_form.is_valid():
        try:
            services.record_term(organisation=organisation, label=term.label,
                                 start_date=term_form.cleaned_data["start_date"],
                                 end_date=term_form.cleaned_data["end_date"], actor=user)
        except ValidationError as err:
            term_form.add_error(None, err)
        else:
            messages.success(request, _("Đã ghi ngày đại hội của nhiệm kỳ %(t)s.")
                             % {"t": term.label})
            return redirect(here)
    return render(request, "reports/targets.html", {
        "organisation": organisation, "term": term, "grid": grid, "term_form": term_form,
        "columns": columns, "page": page, "terms": periods.term_choices(today),
        "inherited": term.recorded and periods.recorded_term(
            organisation, term.label).organisation_id != organisation.pk,
    })
