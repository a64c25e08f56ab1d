"""The machinery of the authorization matrix (tests/test_authorization_matrix.py).

The matrix itself, one row per URL name, lives in the test; this module lists the project's
URLs from the resolver, builds the one world every row is tried against (objects inside the
subtree of each user under test, and outside it), takes a fingerprint of every table to prove
a request wrote nothing, and judges each answer.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.http import urlencode

from members.models import ImportJob, Role
from recruitment.models import (
    ClassKind,
    Decision,
    DecisionKind,
    Nomination,
    NumberSequence,
    Stage,
    StageEvent,
)
from reports.models import JobStatus, ReportJob, Target
from tests.factories import UserFactory, grant
from tests.reports.conftest import candidate, training_class

# The users under test: one per role, each granted where the product would grant it, plus a
# signed-in user with no role and an anonymous visitor.
ROLES = ("branch_secretary", "grassroots_office", "org_department", "leadership",
         "administrator", "no_role", "anonymous")
WITH_ROLE = frozenset(ROLES[:5])
GET, POST = "GET", "POST"

# Names of people and organisations outside the users' subtrees: a page, an export or a
# printed document that shows one has leaked it, whatever its status code.
OUTSIDE_CANDIDATE = "Ngoài Phạm Vi Quần Chúng"
OUTSIDE_MEMBER = "Lê Minh Châu"  # tests/conftest.py's members.m3, at B3
OUTSIDER_FILE = ("Họ và tên,Ngày sinh,Giới tính,Dân tộc,Tôn giáo,Mã tổ chức,Số thẻ đảng viên,"
                 "Ngày vào Đảng,Ngày chính thức,Trình độ chuyên môn\n"
                 "Đảng Viên Nhập Lén,01/01/1990,Nam,Kinh,Không,B3,99999999,01/01/2015,,\n")
OUTSIDE_NAMES = (OUTSIDE_CANDIDATE, OUTSIDE_MEMBER, "Chi bộ Ba", "Đảng bộ Sở Hai")


# The URL list, read from the resolver

@dataclass(frozen=True)
class Url:
    key: str  # "namespace:name", or the route itself when the pattern has no name
    route: str

    def __str__(self):
        return f"{self.key}  (/{self.route})"


def project_urls(resolver=None, prefix="", namespace=""):
    """Every URL pattern under the root URLconf, with its full route and qualified name."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = ":".join(n for n in (namespace, p.namespace) if n)
            yield from project_urls(p, route, inner)
        elif isinstance(p, URLPattern):
            key = f"{namespace}:{p.name}" if namespace and p.name else (p.name or route)
            yield Url(key, route)


# One request, and what the matrix expects of it

@dataclass(frozen=True)
class Ask:
    """Where and how to ask: URL arguments, query string and POST body."""

    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    # The URL names no object: what lies outside is in the query (a list filtered by a
    # branch code or a name) or in the form (a choice of branch, person, organiser). The page
    # answers as usual; it must neither show nor write anything outside.
    no_object: bool = False
    only: str | None = None  # GET or POST, when the other method would ask the same thing
    roles: frozenset | None = None  # who may use this variant, when not the row's roles


def same(ask):
    """An argument builder that does not depend on the world or the role."""
    return lambda w, role: ask


@dataclass
class Row:
    """How to reach one URL name inside and outside the subtree, and who may use it.

    inside is a builder, or {variant: builder} when one URL serves several kinds of thing;
    outside is {variant: builder}. A builder takes (world, role) and returns an Ask.
    """

    roles: frozenset = WITH_ROLE
    post_roles: frozenset | None = None  # when fewer roles may POST than may GET
    inside: Callable | dict = same(Ask())
    outside: dict = field(default_factory=dict)
    methods: tuple = (GET, POST)
    denied: frozenset = frozenset({403, 404})
    post: Callable | None = None  # a plausible form, sent by those who must not get through
    public: bool = False  # open to anonymous visitors: a page or a redirect for everyone
    # Tables that a request by someone allowed, inside, changes by design (a new set of the
    # user's own recovery codes); every other request must leave every table as it was.
    may_write: frozenset = frozenset()

    def variants(self):
        inside = self.inside if isinstance(self.inside, dict) else {"": self.inside}
        for label, build in inside.items():
            yield "inside", label, build
        for label, build in self.outside.items():
            yield "outside", label, build


# The world

def build_world(tree, members):
    """Users at GC1/B1 and objects inside (B1, GC1) and outside (B3, GC2) their subtrees."""
    t = tree

    def user(username, role=None, org=None):
        u = UserFactory(username=username)
        if role:
            grant(u, role, org)
        return u

    users = {
        "branch_secretary": user("matran.bithu", Role.BRANCH_SECRETARY, t.b1),
        "grassroots_office": user("matran.vanphong", Role.GRASSROOTS_OFFICE, t.gc1),
        "org_department": user("matran.bantochuc", Role.ORG_DEPARTMENT, t.gc1),
        "leadership": user("matran.lanhdao", Role.LEADERSHIP, t.gc1),
        "administrator": user("matran.quantri", Role.ADMINISTRATOR, t.gc1),
        "no_role": user("matran.chuaphanquyen"),
    }
    # The owner of everything that belongs to someone else: secretary of B3, office of GC2.
    outsider = user("matran.ngoai", Role.BRANCH_SECRETARY, t.b3)
    grant(outsider, Role.GRASSROOTS_OFFICE, t.gc2)

    c_in = candidate(t.b1, "Trong Phạm Vi Quần Chúng", stage=Stage.APPLIED,
                     added_date=date(2024, 1, 10))
    # Not enrolled anywhere yet: what the plausible forms enrol and nominate.
    c_spare = candidate(t.b1, "Trong Phạm Vi Chờ Học", stage=Stage.HELPER_ASSIGNED,
                        added_date=date(2024, 1, 10))
    c_out = candidate(t.b3, OUTSIDE_CANDIDATE, stage=Stage.APPLIED, added_date=date(2024, 1, 10))
    # Waiting for the upper level and overdue: the examination queue and the worklist would
    # list it if their scoping slipped.
    candidate(t.b3, f"{OUTSIDE_CANDIDATE} Chờ Duyệt", stage=Stage.AT_UPPER,
              due_date=date(2024, 7, 1))
    # Each has its application recorded: its 1-KNĐ prints, and the dossier has a paper.
    for dossier in (c_in, c_out):
        StageEvent.objects.create(candidate=dossier, action="record_application",
                                  from_stage=Stage.SYMPATHISER, to_stage=Stage.APPLIED,
                                  event_date=date(2024, 3, 1))
    # A decision signed outside the subtree on the day the department's batch is asked for.
    Decision.objects.create(candidate=c_out, kind=DecisionKind.ADMISSION, number="9-QĐ/ĐU",
                            decision_date=date(2024, 7, 15), decided_by=t.root)
    # The numbering registers of GC1 (inside) and GC2 (outside), two numbers taken in each.
    seq_in = NumberSequence.objects.create(issuer=t.gc1, year=2024, kind="resolution",
                                           suffix="NQ/ĐU", last=2)
    seq_out = NumberSequence.objects.create(issuer=t.gc2, year=2024, kind="resolution",
                                            suffix="NQ/ĐU", last=2)
    class_in = training_class(t.gc1, ClassKind.AWARENESS, date(2024, 4, 10), [c_in])
    class_out = training_class(t.gc2, ClassKind.AWARENESS, date(2024, 4, 10), [c_out])
    Nomination.objects.create(kind=ClassKind.AWARENESS, candidate=c_in, branch=t.b1,
                              nominated_on=date(2024, 3, 1))
    Nomination.objects.create(kind=ClassKind.AWARENESS, candidate=c_out, branch=t.b3,
                              nominated_on=date(2024, 3, 1))
    Target.objects.create(organisation=t.gc1, year=2024, admissions=5)
    Target.objects.create(organisation=t.gc2, year=2024, admissions=7)

    owners = {**users, "outsider": outsider}
    # The users' own import jobs are applied: confirming or retrying one changes nothing.
    import_jobs = {
        role: ImportJob.objects.create(kind="members", user=u, filename="dang-vien.csv",
                                       status=ImportJob.Status.APPLIED)
        for role, u in users.items()}
    # The outsider's jobs wait for a confirmation or a retry with their file, so either one
    # that got through would import it.
    for key, status in (("outsider", ImportJob.Status.PREVIEWED),
                        ("outsider_failed", ImportJob.Status.FAILED)):
        import_jobs[key] = ImportJob.objects.create(
            kind="members", user=outsider, filename="dang-vien.csv", status=status,
            file=ContentFile(OUTSIDER_FILE.encode("utf-8"), name="dang-vien.csv"))
    report_jobs = {
        role: ReportJob.objects.create(
            organisation=t.b3 if role == "outsider" else t.b1, period="2024", format="xlsx",
            requested_by=u, status=JobStatus.DONE, filename="bao-cao-2024.xlsx",
            content=b"PK-not-really-a-workbook", finished_at=timezone.now())
        for role, u in owners.items()}
    return SimpleNamespace(tree=t, members=members, users=users, outsider=outsider,
                           c_in=c_in, c_spare=c_spare, c_out=c_out, class_in=class_in,
                           class_out=class_out, seq_in=seq_in, seq_out=seq_out,
                           import_jobs=import_jobs, report_jobs=report_jobs)


# Nothing written: a fingerprint of every table

# The session table changes on every sign-in; it belongs to the test client, not to the app.
UNWATCHED_TABLES = {"django_session"}


def watched_tables():
    """(table, primary key column, has a binary column) for every table of a model."""
    existing = set(connection.introspection.table_names())
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table in existing:
            binary = any(f.get_internal_type() == "BinaryField" for f in meta.fields)
            tables[meta.db_table] = (meta.pk.column, binary)
    return sorted((t, pk, binary) for t, (pk, binary) in tables.items()
                  if t not in UNWATCHED_TABLES)


def fingerprint(tables):
    """Per table: (row count, hash of every row). Catches inserts, deletes and updates."""
    out = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk, binary in tables:
            cursor.execute(f"SELECT * FROM {qn(table)} ORDER BY {qn(pk)}")
            rows = cursor.fetchall()
            if binary:  # a memoryview's repr is its address: compare its bytes instead
                rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in rows]
            out[table] = (len(rows), hash(repr(rows)))
    return out


def rows_changed_so_far():
    """SQLite counts every row its connection inserted, updated or deleted: when the count
    has not moved, nothing was written and the fingerprint can be skipped. None elsewhere."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def written(before, after):
    """The tables a request changed, as 'table (n → m rows)' or 'table (rows changed)'."""
    changes = []
    for table, (n, digest) in before.items():
        m, digest_after = after.get(table, (n, digest))
        if n != m:
            changes.append(f"{table} ({n} → {m} rows)")
        elif digest != digest_after:
            changes.append(f"{table} (rows changed)")
    return changes


# Running one case

@dataclass(frozen=True)
class Case:
    key: str
    role: str
    side: str  # inside / outside
    variant: str
    method: str
    ask: Ask
    row: Row

    @property
    def outside(self):
        return self.side == "outside"

    def label(self):
        where = f"{self.side}: {self.variant}" if self.variant else self.side
        return f"{self.key} [{self.role}, {where}, {self.method}]"


def cases(key, row, role, world):
    for side, variant, build in row.variants():
        ask = build(world, role)
        for method in (ask.only,) if ask.only else (GET, POST):
            yield Case(key, role, side, variant, method, ask, row)


def roles_for(case):
    row = case.row
    if case.ask.roles is not None:
        return case.ask.roles
    if case.method == POST and row.post_roles is not None:
        return row.post_roles
    return row.roles


def allowed_to_post(case):
    return case.role in roles_for(case)


def expectation(case):
    """(description, predicate on the status code) for one case."""
    row, role = case.row, case.role
    accepted = case.method in row.methods

    def is_(*codes):
        return (" or ".join(map(str, codes)), lambda s: s in codes)

    if row.public:
        if not accepted:
            return is_(405)
        return ("a page or a redirect", lambda s: s in (200, 302))
    if role == "anonymous":
        return ("a redirect to the login page", lambda s: s == 302)
    if role == "no_role":
        # The same 'ask for access' page for every URL, so it confirms nothing about objects.
        return is_(403)
    if not accepted:
        # The view refuses the method before it looks anything up: nothing is revealed.
        return is_(405)
    allowed = role in roles_for(case)
    if case.outside and not case.ask.no_object:
        return is_(404)
    if not allowed:
        return is_(*sorted(row.denied))
    return ("allowed: a page, a redirect or a form with its errors (200, 302, 400)",
            lambda s: s in (200, 302, 303, 400))


class HtmlAsPdf:
    """Stands in for weasyprint.HTML: the 'PDF' is the HTML it would be laid out from, so
    the matrix runs fast and can still read a printed document for outside names."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-matrix\n" + self.string.encode("utf-8")

    # A laid-out document (render), its pages and a join of several (members.pdf.join).
    def render(self, *args, **kwargs):
        return self

    @property
    def pages(self):
        return [self]

    def copy(self, pages):
        return HtmlAsPdf("".join(page.string for page in pages))


def is_text(response):
    kind = response.get("Content-Type", "")
    return kind.startswith(("text/html", "text/csv", "text/plain", "application/json",
                            "application/pdf"))


def confirm_second_factor(client, user):
    """Sign in as someone who has also given the second factor: django-otp keeps the
    confirmed device in the session. Approvers reach nothing else until they have."""
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


class Runner:
    """Runs the cases of one role. The user signs in once; every request runs in a savepoint
    that is rolled back, so each starts from the same database, the one `baseline` holds."""

    def __init__(self, client, world, role):
        self.client, self.world, self.role = client, world, role
        self.user = world.users.get(role)
        if self.user is not None:
            client.force_login(self.user)
            confirm_second_factor(client, self.user)
        self.cookies = client.cookies
        self.tables = watched_tables()
        self.baseline = fingerprint(self.tables)

    def run(self, case):
        """Do one request; return its status (500 when the view raised) and the problems."""
        client = self.client
        # A logout (or a lockout) on the previous request dropped the cookie; its session row
        # came back with the rollback.
        client.cookies = SimpleCookie(self.cookies.output(header="", sep=";"))
        url = reverse(case.key, kwargs=case.ask.kwargs)
        data = case.ask.data
        if case.method == POST and not data and case.row.post and (
                case.outside or not allowed_to_post(case)):
            data = case.row.post(self.world, case.role)
        with transaction.atomic():
            changes_before = rows_changed_so_far()
            try:
                # Work queued for after the commit (a background job, a mail) never runs in
                # a test transaction: it is caught here instead.
                with TestCase.captureOnCommitCallbacks() as queued:
                    if case.method == GET:
                        response = client.get(url, case.ask.query)
                    else:
                        query = f"?{urlencode(case.ask.query)}" if case.ask.query else ""
                        response = client.post(url + query, data)
            except Exception as err:  # a 500: the matrix reports it with the others
                transaction.set_rollback(True)
                return 500, [f"{case.label()}: 500 {type(err).__name__}: {err}"[:300]]
            untouched = changes_before is not None and rows_changed_so_far() == changes_before
            after = self.baseline if untouched else fingerprint(self.tables)
            transaction.set_rollback(True)
        problems = self.judge(case, response, after)
        if queued and not self.may_write(case):
            names = ", ".join(getattr(f, "__qualname__", repr(f)) for f in queued)
            problems.append(f"{case.label()}: queued work for after the commit ({names})")
        return response.status_code, problems

    @staticmethod
    def may_write(case):
        return not case.outside and case.role in roles_for(case) and case.row.may_write

    def judge(self, case, response, after):
        problems = []
        status = response.status_code
        wanted, ok = expectation(case)
        if not ok(status):
            problems.append(f"{case.label()}: got {status}, expected {wanted}")
        elif case.role == "anonymous" and not case.row.public:
            login = resolve_url(settings.LOGIN_URL)
            if not response["Location"].startswith(login):
                problems.append(f"{case.label()}: redirected to {response['Location']}, "
                                f"not to the login page")
        # Reading a streamed body to its end lets the test client close it the way it closes
        # the others (a close of our own would end the database connection mid-test).
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if self.user is not None and status == 200 and is_text(response):
            text = body.decode("utf-8", "replace")
            shown = [n for n in OUTSIDE_NAMES if n in text]
            if shown:
                problems.append(f"{case.label()}: shows {', '.join(shown)} from outside the "
                                f"subtree")
        if self.may_write(case):
            after = {t: v for t, v in after.items() if t not in case.row.may_write}
        changes = written(self.baseline, after)
        if changes:
            problems.append(f"{case.label()}: wrote {', '.join(changes)}")
        return problems
