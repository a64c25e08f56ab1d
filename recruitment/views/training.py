"""Training-class pages: list, open, enrol many at once, one results grid, printable PDFs,
and the branch secretary's nominations."""
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import BRANCH_KINDS, Member, MemberStatus, Organisation, Role, fold
from members.selectors import get_visible_or_404, grants_of, members_visible_to, roles_of
from members.views import role_required

from .. import papers, rules, selectors, services
from ..forms import NominationForm, TrainingClassForm
from ..models import ClassKind, Enrolment, Result
from ..papers import facts
from ..services.training import AWARENESS_STAGES


@role_required
def class_list(request):
    filters = selectors.class_filters(request.GET)
    # Counted for the page's rows only (a subquery each), not grouped over every enrolment of
    # the scope before the page is cut (country: 1.2 M enrolments, 1.6 s → ms).
    enrolled = Enrolment.objects.filter(training_class=OuterRef("pk")).order_by().values(
        "training_class")
    classes = selectors.search_classes(request.user, **filters).select_related(
        "organiser").annotate(
        learners=Coalesce(Subquery(enrolled.annotate(n=Count("pk")).values("n")), 0),
        passed=Coalesce(Subquery(enrolled.filter(result=Result.PASSED).annotate(
            n=Count("pk")).values("n")), 0),
    ).order_by("-start_date", "-pk")
    page = Paginator(classes, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recruitment/class_list.html", {
        "page": page, **filters, "kinds": ClassKind.choices,
        "can_open": Role.ORG_DEPARTMENT in roles_of(request.user),
    })


def _organisers(user):
    """Committees the user may open classes for: where they hold the department role."""
    if user.is_superuser:
        return Organisation.objects.exclude(kind__in=BRANCH_KINDS).order_by("path")
    return Organisation.objects.filter(
        pk__in=[g.organisation_id for g in grants_of(user) if g.role == Role.ORG_DEPARTMENT]
    ).order_by("path")


@role_required
@require_http_methods(["GET", "POST"])
def class_create(request):
    organisers = _organisers(request.user)
    if not organisers.exists():
        raise Http404
    form = TrainingClassForm(request.POST or None, organisers=organisers,
                             initial={"year": rules.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            training_class = services.open_class(actor=request.user, training_class=form.instance)
        except services.TrainingError as err:
            for e in err.errors:
                form.add_error(None, e)
        else:
            messages.success(request, _("Đã mở %(cls)s.") % {"cls": training_class})
            return redirect("recruitment:class_detail", pk=training_class.pk)
    return render(request, "recruitment/class_form.html", {"form": form})


def _get_class(request, pk):
    return get_visible_or_404(
        selectors.classes_visible_to(request.user).select_related("organiser"), pk=pk)


def _can_manage(user, training_class):
    return services.training._org_department_over(user, training_class.organiser)


@role_required
def class_detail(request, pk):
    training_class = _get_class(request, pk)
    enrolments = selectors.class_learners(training_class, request.user)
    counts = {r: 0 for r in Result.values}
    for e in enrolments:
        counts[e.result] += 1
    return render(request, "recruitment/class_detail.html", {
        "c": training_class, "enrolments": enrolments, "counts": counts,
        "can_manage": _can_manage(request.user, training_class),
    })


@role_required
@require_http_methods(["GET", "POST"])
def class_enrol(request, pk):
    training_class = _get_class(request, pk)
    if not _can_manage(request.user, training_class):
        raise Http404
    if request.method == "POST":
        ids = request.POST.getlist("person")
        candidate_ids = [i[1:] for i in ids if i.startswith("c") and i[1:].isdigit()]
        member_ids = [i[1:] for i in ids if i.startswith("m") and i[1:].isdigit()]
        visible_candidates = selectors.candidates_visible_to(request.user)
        candidates = list(visible_candidates.filter(pk__in=candidate_ids))
        members = list(members_visible_to(request.user).filter(pk__in=member_ids))
        if len(candidates) + len(members) != len(ids) or not ids:
            messages.error(request, _("Hãy chọn ít nhất một người trong danh sách; có lựa chọn "
                                      "không hợp lệ hoặc nằm ngoài phạm vi của bạn."))
        else:
            try:
                outcome = services.enrol(training_class=training_class, actor=request.user,
                                         candidates=candidates, members=members)
            except services.TrainingError as err:
                for e in err.errors:
                    messages.error(request, e)
            else:
                for w in outcome.warnings:
                    messages.warning(request, w)
                messages.success(request, _("Đã thêm %(n)s học viên.") % {
                    "n": len(outcome.enrolled)})
                return redirect("recruitment:class_detail", pk=training_class.pk)
    q = request.GET.get("q", "").strip()
    eligible = selectors.eligible_learners(request.user, training_class, q=q)
    waiting = selectors.waiting_nominations(request.user, training_class)
    return render(request, "recruitment/class_enrol.html", {
        "c": training_class, "eligible": eligible, "waiting": waiting, "q": q,
    })


def _parse_date(text):
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


@role_required
@require_http_methods(["GET", "POST"])
def class_results(request, pk):
    training_class = _get_class(request, pk)
    if not _can_manage(request.user, training_class):
        raise Http404
    enrolments = selectors.class_learners(training_class, request.user)
    errors, values = [], {}
    if request.method == "POST":
        rows = []
        ids = request.POST.getlist("enrolment")
        for n, eid in enumerate(ids, start=1):
            label = _("Dòng %(n)s") % {"n": n}
            cert_date_text = request.POST.get(f"date-{eid}", "")
            values[eid] = {"result": request.POST.get(f"result-{eid}", ""),
                           "number": request.POST.get(f"number-{eid}", ""),
                           "date": cert_date_text}
            try:
                cert_date = _parse_date(cert_date_text)
            except ValueError:
                errors.append(_("%(row)s: ngày cấp “%(v)s” không hợp lệ, ghi theo dạng "
                                "dd/mm/yyyy.") % {"row": label, "v": cert_date_text})
                continue
            rows.append(services.ResultRow(
                enrolment_id=eid, result=values[eid]["result"],
                certificate_number=values[eid]["number"], certificate_date=cert_date,
                label=label))
        if not errors:
            try:
                n = services.record_results(training_class=training_class, actor=request.user,
                                            rows=rows)
            except services.TrainingError as err:
                errors = err.errors
            else:
                messages.success(request, _("Đã ghi kết quả của %(n)s học viên.") % {"n": n})
                return redirect("recruitment:class_detail", pk=training_class.pk)
    grid = []
    for e in enrolments:
        v = values.get(str(e.pk), {"result": e.result, "number": e.certificate_number,
                                   "date": e.certificate_date.strftime("%d/%m/%Y")
                                   if e.certificate_date else ""})
        grid.append((e, v))
    return render(request, "recruitment/class_results.html", {
        "c": training_class, "grid": grid, "errors": errors, "results": Result.choices,
    }, status=400 if errors else 200)


# The class's papers, in the papers' mechanism (text template, PDF and Word): the roster
# and the list of certificates, signed in the organiser's name.
CLASS_PAPERS = {
    "roster": ("lop-danh-sach", _("Danh sách học viên"), "danh-sach-hoc-vien"),
    "certificates": ("lop-chung-nhan", _("Danh sách cấp giấy chứng nhận"),
                     "danh-sach-cap-giay-chung-nhan"),
}


def _class_paper(request, pk, which: str, fmt: str) -> HttpResponse:
    training_class = _get_class(request, pk)
    slug, title, stem = CLASS_PAPERS[which]
    learners = selectors.class_learners(training_class, request.user)
    if which == "certificates":
        learners = [e for e in learners if e.result == Result.PASSED]
        if not learners:  # a list of nobody is not a paper to sign
            messages.info(request, _("Lớp chưa có học viên nào đạt nên chưa có giấy chứng nhận "
                                     "nào để in."))
            return redirect("recruitment:class_detail", pk=training_class.pk)
    c = training_class
    ctx = {
        "doc": facts.heading(c.organiser, title=str(title), subtitle=str(c), on=rules.today(),
                             kind="DS", recipients=[_("Các chi bộ, đảng bộ có học viên")]),
        "kind_phrase": c.kind_phrase, "course": f"{c.course_number}/{c.year}",
        "decision_number": facts.text(c.decision_number),
        "decision_date": f"ngày {facts.day(c.decision_date)}",
        "start": facts.day(c.start_date), "end": facts.day(c.end_date),
        "place": facts.text(c.place),
        "rows": [{"name": e.person.full_name, "birth": facts.day(e.person.birth_date),
                  "sex": e.person.get_sex_display(), "branch": e.person.organisation.name,
                  "certificate": facts.text(e.certificate_number, ""),
                  "certificate_date": facts.day(e.certificate_date) if e.certificate_date
                  else ""} for e in learners],
    }
    write = papers.write_pdf if fmt == "pdf" else papers.write_docx
    response = HttpResponse(write(papers.ISSUED, slug, ctx), content_type=papers.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stem}-{c.pk}.{fmt}"'
    return response


@role_required
def class_roster_pdf(request, pk):
    return _class_paper(request, pk, "roster", "pdf")


@role_required
def class_roster_docx(request, pk):
    return _class_paper(request, pk, "roster", "docx")


@role_required
def class_certificates_pdf(request, pk):
    return _class_paper(request, pk, "certificates", "pdf")


@role_required
def class_certificates_docx(request, pk):
    return _class_paper(request, pk, "certificates", "docx")


@role_required
@require_http_methods(["GET", "POST"])
def nominations(request):
    """A branch secretary nominates people of their branch and follows their status."""
    user = request.user
    branches = [g.organisation for g in grants_of(user) if g.role == Role.BRANCH_SECRETARY]
    candidates = list(selectors.candidates_visible_to(user).filter(
        organisation__in=branches, stage__in=AWARENESS_STAGES).order_by("search_name"))
    members = list(Member.objects.filter(organisation__in=branches,
                                         status=MemberStatus.PROBATIONARY)
                   .order_by("search_name"))
    form = NominationForm(request.POST or None, candidates=candidates, members=members)
    if request.method == "POST":
        if not branches:
            raise Http404
        if form.is_valid():
            person = form.cleaned_data["person"]
            is_member = isinstance(person, Member)
            try:
                services.nominate(actor=user, kind=form.cleaned_data["kind"],
                                  candidate=None if is_member else person,
                                  member=person if is_member else None)
            except services.TrainingError as err:
                for e in err.errors:
                    form.add_error(None, e)
            else:
                messages.success(request, _("Đã đề nghị cử %(name)s đi học.") % {
                    "name": person.full_name})
                return redirect("recruitment:nominations")
    q = request.GET.get("q", "").strip()
    listed = selectors.nominations_visible_to(user)
    if q:
        listed = listed.filter(Q(candidate__search_name__contains=fold(q))
                               | Q(member__search_name__contains=fold(q)))
    page = Paginator(listed, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recruitment/nominations.html", {
        "form": form, "page": page, "q": q, "can_nominate": bool(branches),
    })
