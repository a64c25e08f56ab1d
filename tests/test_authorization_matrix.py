"""Every URL of the project × every role × inside / outside the user's subtree × GET and POST.

The URL list comes from the resolver, so a URL that is not in MATRIX below fails
test_every_url_is_in_the_matrix by name. For each case the answer must follow the rule of its
row (allowed: a page, a redirect or a form error; not allowed: 403 or 404 as the row says;
outside: 404, never 403 or 200), no page may show a person or an organisation from outside the
subtree, and no request may write anything: every table is the same before and after, and
no work is queued for after the commit.

MATRIX_LOG=1 (with -s) prints every request with its answer.
"""
import os
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import urlencode

from members import importing
from members.models import Role
from tests.authz import (
    GET,
    OUTSIDE_CANDIDATE,
    OUTSIDE_MEMBER,
    OUTSIDER_FILE,
    POST,
    ROLES,
    Ask,
    Case,
    HtmlAsPdf,
    Row,
    Runner,
    build_world,
    cases,
    fingerprint,
    project_urls,
    roles_for,
    same,
    written,
)

MATRIX_LOG = os.environ.get("MATRIX_LOG") == "1"

# Left out of the matrix, each for a reason.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: is_staff and its own permissions, tested in "
              "tests/members/test_pages.py (the admin is open to administrators only)",
    "i18n/": "the language switch (Django's set_language): public by design, touches no data "
             "but the visitor's cookie",
    "static/": "static files, served by the web server (and by Django only with DEBUG on)",
    "media/": "uploaded files, never served by Django",
    "notices/unsubscribe/": "the one-click unsubscribe link of the weekly digest: public by "
                            "design, its signed token names the one user whose digest it turns "
                            "off; tested in tests/recruitment/test_digest.py (tampered refused)",
}

R = Role
SECRETARY = frozenset({R.BRANCH_SECRETARY.value})
DEPARTMENT = frozenset({R.ORG_DEPARTMENT.value})
ADMINISTRATOR = frozenset({R.ADMINISTRATOR.value})
INSIGHT = frozenset({R.LEADERSHIP.value, R.ORG_DEPARTMENT.value})
SECOND_FACTOR = DEPARTMENT | ADMINISTRATOR
# Who may import each kind: a secretary their branch's members and candidates, the department
# everything in its subtree, an administrator everything.
IMPORT_ROLES = {
    "members": SECRETARY | DEPARTMENT | ADMINISTRATOR,
    "organisations": DEPARTMENT | ADMINISTRATOR,
    "candidates": SECRETARY | DEPARTMENT | ADMINISTRATOR,
    "classes": DEPARTMENT | ADMINISTRATOR,
    "enrolments": DEPARTMENT | ADMINISTRATOR,
    "targets": DEPARTMENT | ADMINISTRATOR,
    "headcounts": DEPARTMENT | ADMINISTRATOR,
    "movements": DEPARTMENT | ADMINISTRATOR,
}
ANY_IMPORTER = frozenset().union(*IMPORT_ROLES.values())

# The users' subtrees all hold B1 (the secretary's branch, under GC1 where the others sit).
# Outside: B3, a branch of the sibling committee GC2, and DBK, the committee above GC1.
INSIDE_ORG = "B1"
# Searches use part of an outside name: the search box repeats what was typed, and only the
# full name on the page would mean a row leaked.
MEMBER_SEARCH = OUTSIDE_MEMBER.split(" ", 1)[1]
CANDIDATE_SEARCH = OUTSIDE_CANDIDATE.rsplit(" ", 2)[0]
OUTSIDE_ORGS = {"sibling subtree": "B3", "committee above": "DBK"}
YEAR = "2024"
TERM = "2020-2025"


def org(code, **extra):
    return same(Ask(kwargs={"code": code, **extra}))


def orgs_outside(**extra):
    return {label: org(code, **extra) for label, code in OUTSIDE_ORGS.items()}


def pk(attr, **extra):
    return lambda w, role: Ask(kwargs={"pk": getattr(w, attr).pk, **extra})


def own(jobs, **extra):
    """The user's own job inside (an anonymous visitor asks for anyone's); outside, a job of
    someone else's (the outsider's)."""
    def build(w, role):
        mine = getattr(w, jobs).get(role) or getattr(w, jobs)["no_role"]
        return Ask(kwargs={"pk": mine.pk, **extra})
    return build


def outsiders(jobs, which="outsider"):
    return lambda w, role: Ask(kwargs={"pk": getattr(w, jobs)[which].pk})


def listing(only=None, **query):
    return same(Ask(query=query, no_object=True, only=only))


def form(build):
    """A POST whose form names something outside the subtree; the URL names nothing."""
    return lambda w, role: Ask(data=build(w, role), no_object=True, only=POST)


def members_csv(w, *_):
    return {"file": SimpleUploadedFile("dang-vien.csv", OUTSIDER_FILE.encode("utf-8"),
                                       "text/csv")}


def verification(w, *_):
    return {"event_date": "05/04/2024", "relation": "self", "person_name": "Người Được Thẩm Tra",
            "requested_of": "Đảng ủy phường", "document_number": "1/CV"}


def new_candidate(branch):
    return lambda w, *_: {
        "full_name": "Người Mới Ngoài Phạm Vi", "birth_date": "17/05/1995", "sex": "female",
        "education": "upper_secondary", "source": "youth_union", "youth_union_member": "on",
        "organisation": getattr(w.tree, branch).pk, "added_date": "10/01/2024",
        "plan_year": "2024", "ethnicity": "Kinh", "religion": "Không"}


def correction(w, *_):
    return {"full_name": "Trong Phạm Vi Quần Chúng Đã Sửa", "birth_date": "01/01/1998",
            "sex": "male", "ethnicity": "Kinh", "religion": "Không", "citizen_id": "",
            "reason": "Gõ nhầm họ tên"}


def new_class(organiser):
    return lambda w, *_: {
        "kind": "awareness", "organiser": getattr(w.tree, organiser).pk, "course_number": "9",
        "year": "2024", "decision_number": "9-QĐ", "decision_date": "01/03/2024",
        "start_date": "05/03/2024", "end_date": "10/03/2024", "place": "Hội trường"}


def enrol(attr):
    return lambda w, *_: {"person": f"c{getattr(w, attr).pk}"}


def nominate(attr):
    return lambda w, *_: {"kind": "awareness", "person": f"c{getattr(w, attr).pk}"}


# Who records each movement from a member's page (members/movements.py RECORDERS): the
# department all of them, a grassroots office moves, temporary membership and a death.
OFFICE = frozenset({R.GRASSROOTS_OFFICE.value})
MOVEMENT_ROLES = {
    **dict.fromkeys(("transfer_within", "temporary", "died"), DEPARTMENT | OFFICE),
    **dict.fromkeys(("transfer_out", "removed", "expelled", "resigned"), DEPARTMENT),
}


def move(attr, kind, roles):
    return lambda w, r: Ask(kwargs={"pk": getattr(w.members, attr).pk, "kind": kind},
                            roles=roles)


def movements(attr):
    return {kind: move(attr, kind, roles) for kind, roles in MOVEMENT_ROLES.items()}


def movement(w, *_):
    """Any movement's fields: each kind's form reads the ones it has."""
    return {"date": "10/01/2024", "to_organisation": str(w.tree.b2.pk),
            "outside_place": "Đảng bộ tỉnh Lâm Đồng", "document_number": "15-GGT/ĐU",
            "reason": "other", "note": ""}


def transferred_in(branch):
    return lambda w, *_: {
        "full_name": "Đảng Viên Chuyển Đến", "birth_date": "02/02/1988", "sex": "female",
        "ethnicity": "Kinh", "religion": "Không", "citizen_id": "079188000123",
        "card_number": "77001234", "admitted_date": "03/02/2012", "official_date": "03/02/2013",
        "organisation": str(getattr(w.tree, branch).pk), "date": "15/03/2024",
        "outside_place": "Đảng bộ tỉnh Lâm Đồng", "document_number": "21-GGT/TU", "note": ""}


def new_headcount(unit):
    return lambda w, *_: {"organisation": str(getattr(w.tree, unit).pk),
                          "valid_from": "10/01/2024", "staff": "25"}


def identity(w, *_):
    return {"full_name": "Nguyễn Thị Đào", "birth_date": "17/05/1990", "sex": "female",
            "ethnicity": "Kinh", "religion": "Không", "citizen_id": "", "card_number": "",
            "change_reason": "Nhập sai giới tính so với lý lịch"}


def term_dates(w, *_):
    return {"action": "term", "start_date": "15/10/2020", "end_date": "20/10/2025"}


def results(w, *_):
    enrolment = w.class_in.enrolments.get()
    return {"enrolment": str(enrolment.pk), f"result-{enrolment.pk}": "passed",
            f"number-{enrolment.pk}": "1/GCN", f"date-{enrolment.pk}": "10/04/2024"}


def imports(**flags):
    """One variant per import kind, with the roles that may import it."""
    unknown = sorted(set(importing.available_kinds()) - set(IMPORT_ROLES))
    assert not unknown, f"add the import kinds {unknown} to IMPORT_ROLES: who may import them?"
    return {kind: same(Ask(kwargs={"kind": kind}, roles=roles, **flags))
            for kind, roles in IMPORT_ROLES.items() if kind in importing.available_kinds()}


def export_kinds():
    """Every export: one per import kind, plus the worklist."""
    return [*importing.available_kinds(), "worklist"]


def exports(query=None, **flags):
    return {kind: same(Ask(kwargs={"kind": kind, "fmt": "csv"}, query=query or {}, **flags))
            for kind in export_kinds()}


MATRIX = {
    # config/urls.py
    "home": Row(),
    "login": Row(public=True),
    "logout": Row(public=True, methods=(POST,)),
    # Health of this web server for the load balancer: no data, no login, GET only.
    "healthz": Row(public=True, methods=(GET,)),

    # members: the second factor at login. These pages act only on the signed-in user's own
    # authenticator and recovery codes (there is no object to reach outside); anonymous
    # visitors go to the login page, those who owe no second factor are sent home: a redirect
    # for everyone outside SECOND_FACTOR, as `public` rows expect.
    "members:two_factor_setup": Row(public=True, roles=SECOND_FACTOR),
    "members:two_factor_verify": Row(public=True, roles=SECOND_FACTOR),
    "members:two_factor_recovery": Row(
        public=True, roles=SECOND_FACTOR,
        may_write=frozenset({"otp_static_staticdevice", "otp_static_statictoken"})),

    # members: the organisation tree and members
    # Drafts of long forms, each the signed-in user's own (no object to reach outside).
    "members:draft": Row(inside=same(Ask(query={"path": "/candidates/new/"})),
                         may_write=frozenset({"members_draft"})),
    "members:draft_discard": Row(methods=(POST,),
                                 inside=same(Ask(query={"path": "/candidates/new/"}))),
    "members:organisations": Row(),
    "members:organisation_detail": Row(inside=org(INSIDE_ORG), outside=orgs_outside()),
    "members:member_list": Row(outside={
        "filtered by branch B3": listing(branch="B3"),
        "searched by an outside name": listing(q=MEMBER_SEARCH)}),
    "members:member_detail": Row(inside=lambda w, r: Ask(kwargs={"pk": w.members.m1.pk}),
                                 outside={"member of B3": lambda w, r: Ask(
                                     kwargs={"pk": w.members.m3.pk})}),

    # members: movements, transfers in from outside the tree, identity corrections. A user
    # who sees the member but whose role does not record the change is told so (403).
    "members:member_movement": Row(
        roles=DEPARTMENT | OFFICE, denied=frozenset({403}), post=movement,
        inside=movements("m1"), outside={"member of B3": lambda w, r: Ask(
            kwargs={"pk": w.members.m3.pk, "kind": "died"})}),
    "members:member_transfer_in": Row(
        roles=DEPARTMENT | OFFICE, denied=frozenset({404}), post=transferred_in("b1"),
        outside={"into B3": form(transferred_in("b3"))}),
    "members:member_correct": Row(
        roles=DEPARTMENT | OFFICE, denied=frozenset({403}), post=identity,
        inside=lambda w, r: Ask(kwargs={"pk": w.members.m1.pk}),
        outside={"member of B3": lambda w, r: Ask(kwargs={"pk": w.members.m3.pk})}),

    # members: staff headcounts, recorded by the organisation department over its subtree;
    # the other roles do not find the pages (404), a unit outside is not offered (400).
    "members:headcounts": Row(
        roles=DEPARTMENT, denied=frozenset({404}), post=new_headcount("b1"),
        outside={"searched by an outside code": listing(only=GET, q="B3"),
                 "a headcount for B3": form(new_headcount("b3"))}),
    "members:headcount_history": Row(roles=DEPARTMENT, denied=frozenset({404}), methods=(GET,),
                                     inside=org(INSIDE_ORG), outside=orgs_outside()),

    # members: import and export
    "members:import_index": Row(roles=ANY_IMPORTER, denied=frozenset({404})),
    "members:import_job": Row(inside=own("import_jobs"),
                              outside={"someone else's job": outsiders("import_jobs")}),
    "members:import_confirm": Row(inside=own("import_jobs"), methods=(POST,),
                                  outside={"someone else's job": outsiders("import_jobs")}),
    "members:import_retry": Row(inside=own("import_jobs"), methods=(POST,), outside={
        "someone else's failed job": outsiders("import_jobs", "outsider_failed")}),
    "members:import_upload": Row(denied=frozenset({404}), inside=imports(), post=members_csv),
    "members:import_template": Row(denied=frozenset({404}), inside=imports()),
    "members:export": Row(
        inside=exports(),
        outside={
            **{f"{kind} filtered by B3": ask
               for kind, ask in exports({"branch": "B3"}, no_object=True, only=GET).items()},
            **{f"{kind} searched by an outside name": ask
               for kind, ask in exports({"q": CANDIDATE_SEARCH}, no_object=True,
                                        only=GET).items()},
            "organisations under B3": same(Ask(kwargs={"kind": "organisations", "fmt": "csv"},
                                               query={"root": "B3"})),
            "organisations under DBK": same(Ask(kwargs={"kind": "organisations", "fmt": "csv"},
                                                query={"root": "DBK"})),
        }),

    # recruitment: the pipeline
    "recruitment:candidate_list": Row(outside={
        "filtered by branch B3": listing(branch="B3"),
        "searched by an outside name": listing(q=CANDIDATE_SEARCH)}),
    "recruitment:candidate_create": Row(
        roles=SECRETARY, denied=frozenset({404}), post=new_candidate("b1"),
        outside={"a candidate for B3": form(new_candidate("b3"))}),
    "recruitment:paper_file_create": Row(
        roles=SECRETARY, denied=frozenset({404}), post=new_candidate("b1"),
        outside={"a candidate for B3": form(new_candidate("b3"))}),
    "recruitment:candidate_detail": Row(inside=pk("c_in"),
                                        outside={"candidate of B3": pk("c_out")}),
    # A dossier the user sees but whose step their role does not take: the step page explains
    # why (409), and a posted form is refused with its errors (400).
    "recruitment:candidate_action": Row(
        roles=frozenset({R.BRANCH_SECRETARY.value, R.GRASSROOTS_OFFICE.value}),
        denied=frozenset({409, 400}), post=verification,
        inside=pk("c_in", action="add_verification"),
        outside={"candidate of B3": pk("c_out", action="add_verification")}),
    # Correcting a dossier. The identity: its branch secretary or the department over it; a
    # role that never corrects one is told so (403). The last step: whoever recorded it takes
    # it back; nothing in this world was recorded by the users, so the page says there is
    # nothing of theirs to undo (200) and a post is refused with its errors (400).
    "recruitment:candidate_correct": Row(
        roles=SECRETARY | DEPARTMENT, denied=frozenset({403}), post=correction,
        inside=pk("c_in"), outside={"candidate of B3": pk("c_out")}),
    "recruitment:candidate_undo": Row(
        roles=frozenset({R.BRANCH_SECRETARY.value, R.GRASSROOTS_OFFICE.value,
                         R.ORG_DEPARTMENT.value}),
        denied=frozenset({403}), inside=pk("c_in"), outside={"candidate of B3": pk("c_out")}),
    # The papers of a dossier: whoever sees the dossier prints the papers of its steps taken
    # (and of the steps open to them); read-only pages.
    "recruitment:candidate_papers": Row(methods=(GET,), inside=pk("c_in"),
                                        outside={"candidate of B3": pk("c_out")}),
    "recruitment:candidate_paper": Row(
        methods=(GET,), inside=pk("c_in", slug="1-knd", fmt="pdf"),
        outside={"1-KNĐ of a candidate of B3": pk("c_out", slug="1-knd", fmt="pdf"),
                 "its Word file": pk("c_out", slug="1-knd", fmt="docx")}),
    "recruitment:candidate_dossier": Row(
        methods=(GET,), inside=pk("c_in", fmt="pdf"),
        outside={"dossier of B3": pk("c_out", fmt="pdf"),
                 "its Word files": pk("c_out", fmt="zip")}),
    # The department's (and a grassroots office's) batch of one day's decisions.
    "recruitment:decisions_batch": Row(
        roles=DEPARTMENT | frozenset({R.GRASSROOTS_OFFICE.value}), methods=(GET,),
        denied=frozenset({404}),
        outside={"a day with a decision of B3": listing(kind="admission", date="15/07/2024",
                                                         print="1")}),
    # The numbering registers: the department and the committees' offices, their own
    # organisations' registers only; a gap is explained by a POST.
    "recruitment:numbering": Row(
        roles=DEPARTMENT | frozenset({R.GRASSROOTS_OFFICE.value}), methods=(GET,),
        denied=frozenset({404}),
        outside={"registers of GC2": lambda w, r: Ask(
            query={"organisation": w.seq_out.issuer_id})}),
    "recruitment:numbering_void": Row(
        roles=DEPARTMENT | frozenset({R.GRASSROOTS_OFFICE.value}), methods=(POST,),
        denied=frozenset({404}), inside=pk("seq_in"),
        outside={"register of GC2": pk("seq_out")}),
    "recruitment:examination_queue": Row(),
    "recruitment:worklist": Row(),
    "recruitment:digest_settings": Row(may_write=frozenset({"recruitment_digestpreference"})),

    # recruitment: training classes
    "recruitment:class_list": Row(outside={
        "filtered by year and kind": listing(year=YEAR, kind="awareness")}),
    "recruitment:class_create": Row(
        roles=DEPARTMENT, denied=frozenset({404}), post=new_class("gc1"),
        outside={"a class organised by GC2": form(new_class("gc2"))}),
    "recruitment:class_detail": Row(inside=pk("class_in"),
                                    outside={"class of GC2": pk("class_out")}),
    "recruitment:class_enrol": Row(
        roles=DEPARTMENT, denied=frozenset({404}), inside=pk("class_in"), post=enrol("c_spare"),
        outside={"class of GC2": pk("class_out"),
                 "a candidate of B3": lambda w, r: Ask(
                     kwargs={"pk": w.class_in.pk}, data=enrol("c_out")(w), no_object=True,
                     only=POST)}),
    "recruitment:class_results": Row(
        roles=DEPARTMENT, denied=frozenset({404}), inside=pk("class_in"), post=results,
        outside={"class of GC2": pk("class_out")}),
    "recruitment:class_roster_pdf": Row(inside=pk("class_in"),
                                        outside={"class of GC2": pk("class_out")}),
    "recruitment:class_certificates_pdf": Row(inside=pk("class_in"),
                                              outside={"class of GC2": pk("class_out")}),
    "recruitment:class_roster_docx": Row(inside=pk("class_in"),
                                         outside={"class of GC2": pk("class_out")}),
    "recruitment:class_certificates_docx": Row(inside=pk("class_in"),
                                               outside={"class of GC2": pk("class_out")}),
    # Everyone follows the nominations; only a branch secretary nominates.
    "recruitment:nominations": Row(
        post_roles=SECRETARY, denied=frozenset({404}),
        post=nominate("c_spare"),
        outside={"searched by an outside name": listing(only=GET, q=CANDIDATE_SEARCH),
                 "a candidate of B3": form(nominate("c_out"))}),

    # reports
    "reports:index": Row(outside={
        "asked for B3": listing(organisation="B3", kind="year", year=YEAR),
        "asked for DBK": listing(organisation="DBK", kind="year", year=YEAR)}),
    "reports:job": Row(inside=own("report_jobs"),
                       outside={"someone else's job": outsiders("report_jobs")}),
    "reports:job_file": Row(inside=own("report_jobs"),
                            outside={"someone else's job": outsiders("report_jobs")}),
    # Seeing the unit is not enough to set its targets: the page says so (403).
    "reports:targets": Row(
        roles=DEPARTMENT, denied=frozenset({403}),
        inside=same(Ask(kwargs={"code": INSIDE_ORG}, query={"nhiem_ky": TERM})),
        post=term_dates, outside=orgs_outside()),
    "reports:report": Row(inside=org(INSIDE_ORG, period=YEAR), outside=orgs_outside(period=YEAR)),
    "reports:download": Row(
        inside={fmt: org(INSIDE_ORG, period=YEAR, fmt=fmt) for fmt in ("pdf", "xlsx")},
        outside=orgs_outside(period=YEAR, fmt="pdf")),
    # The insight: leadership and the department only (the others: 403), in their subtree.
    "reports:insight": Row(roles=INSIGHT, denied=frozenset({403})),
    "reports:insight_annex": Row(
        roles=INSIGHT, inside={fmt: org(INSIDE_ORG, fmt=fmt) for fmt in ("pdf", "xlsx")},
        outside=orgs_outside(fmt="pdf")),
    **{f"reports:insight_{view}": Row(roles=INSIGHT, inside=org(INSIDE_ORG),
                                      outside=orgs_outside())
       for view in ("aging", "cohorts", "forecast", "units")},
    **{f"reports:insight_{view}_dossiers": Row(
        roles=INSIGHT, inside=same(Ask(kwargs={"code": INSIDE_ORG}, query=query)),
        outside={label: same(Ask(kwargs={"code": code}, query=query))
                 for label, code in OUTSIDE_ORGS.items()})
       for view, query in (("aging", {"giai_doan": "source_pool"}),
                           ("cohorts", {"nam": "2026"}), ("forecast", {}),
                           ("units", {"chi_so": "ket_nap"}))},
}


def covered(key, route):
    return key in MATRIX or any(route.startswith(p) for p in EXCLUDED_PREFIXES)


def test_every_url_is_in_the_matrix():
    missing = [str(u) for u in project_urls() if not covered(u.key, u.route)]
    assert not missing, (
        "These URLs are not in the authorization matrix; add each to MATRIX in "
        "tests/test_authorization_matrix.py (who may use it, an object inside and outside "
        "the subtree) or, with a reason, to EXCLUDED_PREFIXES; a URL without a name needs "
        "one first:\n  " + "\n  ".join(missing))


def test_the_matrix_names_only_urls_that_exist():
    names = {u.key for u in project_urls()}
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"MATRIX rows for URLs that no longer exist: {', '.join(stale)}"


class Tally:
    """Counts the requests of the whole matrix for the summary at the end of the run."""

    def __init__(self):
        self.requests = {GET: 0, POST: 0}
        self.statuses = Counter()
        self.urls = set()
        self.roles = set()
        self.failures = 0

    def count(self, case, status):
        self.requests[case.method] += 1
        self.statuses[status] += 1
        self.urls.add(case.key)
        if MATRIX_LOG:
            print(f"{status}  {case.label()}")

    def pytest_terminal_summary(self, terminalreporter):
        total = sum(self.requests.values())
        terminalreporter.write_line(
            f"authorization matrix: {len(self.urls)} URLs × {len(self.roles)} roles → {total} "
            f"requests ({self.requests[GET]} GET, {self.requests[POST]} POST), "
            f"{self.failures} failing; answers: "
            + ", ".join(f"{n}× {s}" for s, n in sorted(self.statuses.items())))


@pytest.fixture(scope="module")
def tally(request):
    tally = Tally()
    request.config.pluginmanager.register(tally, "authorization-matrix-tally")
    return tally


@pytest.fixture
def world(tree, members, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # As in production: approvers confirm their login with a second factor.
    settings.REQUIRE_2FA = True
    monkeypatch.setattr("weasyprint.HTML", HtmlAsPdf)
    return build_world(tree, members)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_subtree_only_and_writes_nothing(role, world, client, tally):
    runner = Runner(client, world, role)
    existing = {u.key for u in project_urls()}
    problems = []
    for key, row in MATRIX.items():
        if key not in existing:  # reported by test_the_matrix_names_only_urls_that_exist
            continue
        for case in cases(key, row, role, world):
            status, found = runner.run(case)
            problems += found
            tally.count(case, status)
    tally.roles.add(role)
    tally.failures += len(problems)
    assert not problems, f"{len(problems)} of the {role}'s requests broke the rules:\n  " + \
        "\n  ".join(problems)


def first_allowed(key, row, world):
    """The first inside case of the row that some role may POST."""
    for side, variant, build in row.variants():
        for role in ROLES:
            case = Case(key, role, side, variant, POST, build(world, role), row)
            if side == "inside" and role in roles_for(case):
                return case
    raise AssertionError(f"nobody may post to {key}")


@pytest.mark.parametrize("key", [k for k, row in MATRIX.items() if row.post])
def test_the_forms_sent_by_the_refused_go_through_for_someone_allowed(key, world, client):
    """The matrix's refusals of these forms are about who and where, not a malformed form."""
    if key not in {u.key for u in project_urls()}:
        pytest.skip(f"{key} is not a URL of the project")
    row = MATRIX[key]
    case = first_allowed(key, row, world)
    runner = Runner(client, world, case.role)
    ask = case.ask
    url = reverse(key, kwargs=ask.kwargs) + (f"?{urlencode(ask.query)}" if ask.query else "")
    response = client.post(url, row.post(world, case.role))
    changed = written(runner.baseline, fingerprint(runner.tables))
    assert response.status_code in (200, 302), response.status_code
    assert changed, f"{case.role} posting to {url} wrote nothing"
