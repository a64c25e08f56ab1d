"""Term report of a province on PostgreSQL: 20 upper committees, 1,000 grassroots committees,
5,000 branches, 150,000 members of whom 25,000 were admitted over five years, 20,000
candidates in the pipeline, classes, introductions and targets. Every member's history is
movements: the entry row (present since joining, admitted, transferred in) and, each year of
the term, moves between branches, deaths, transfers out, expulsions and resignations; staff
headcounts are dated rows, a fifth of them changed in 2023.

Measures, in one run: the figures (`compute_figures`, goal < 1 s), the PDF (figures and
rendering, goal < 5 s) and the XLSX; and the same aggregate statements replayed as bare SQL
through a cursor, so the ratio shows what the ORM and the Python adding-up cost on top of
the database. Not part of the test suite.

    .venv/bin/python bench/report_bench.py        # creates the database the first time
    .venv/bin/python bench/report_bench.py --build-only   # the province and its row counts
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/report_bench.py
"""
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phattrien_bench_report2"
URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database(URL)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.models import (  # noqa: E402
    FROM_THE_START,
    PATH_STEP,
    Education,
    Member,
    Movement,
    Occupation,
    Organisation,
    Qualification,
    StaffHeadcount,
)
from members.models.movements import EXIT_STATUS  # noqa: E402
from recruitment.models import (  # noqa: E402
    Candidate,
    Decision,
    Enrolment,
    Introduction,
    TrainingClass,
)
from reports import documents, periods  # noqa: E402
from reports.models import Target  # noqa: E402
from reports.selectors import compute_figures  # noqa: E402

UPPER, GRASSROOTS, BRANCHES = 20, 50, 5  # 20 × 50 = 1,000 grassroots, 5,000 branches
OLD_MEMBERS_PER_BRANCH = 25  # 125,000 long-standing members
ADMISSIONS_PER_YEAR = 5_000  # 2020–2024: 25,000
OPEN_CANDIDATES = 20_000
OPEN_STAGES = ["source_pool", "helper_assigned", "sympathiser", "applied", "history_verified",
               "introduced", "opinions_collected", "branch_voted", "at_grassroots", "at_upper",
               "admission_decided", "probationary"]
TODAY = date(2025, 11, 20)
SCHOOL_12, SCHOOL_9 = Education.UPPER_SECONDARY, Education.LOWER_SECONDARY
QUALIFICATIONS = [Qualification.UNIVERSITY] * 5 + [
    Qualification.NONE, Qualification.ELEMENTARY, Qualification.INTERMEDIATE,
    Qualification.INTERMEDIATE, Qualification.COLLEGE, Qualification.MASTER]
OCCUPATIONS = [(Occupation.FARMER, "Nông dân"), (Occupation.CIVIL_SERVANT, "Giáo viên"),
               (Occupation.WORKER, "Công nhân"), (Occupation.STUDENT, "Học sinh"),
               (Occupation.CIVIL_SERVANT, "Viên chức"), (Occupation.EMPLOYEE, "Nhân viên")]
# The years the members move in, and the share of the members on the lists each year who
# move to another branch of the province, die, transfer out, are expelled, resign; and the
# share that comes in from outside the province.
MOVEMENT_YEARS = range(2020, 2026)
YEARLY_RATES = [("transfer_within", 0.03), ("died", 0.01), ("transfer_out", 0.005),
                ("expelled", 0.001), ("resigned", 0.001)]
TRANSFER_IN_RATE = 0.005
LEAVE_REASON = {"resigned": "resigned", "expelled": "other"}
HEADCOUNT_CHANGED_SHARE = 0.2
rng = random.Random(2026)


def day_in(year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def build() -> Organisation:
    call_command("migrate", verbosity=0)
    root = Organisation.objects.filter(code="TINH").first()
    if root is not None:
        return root
    started = time.perf_counter()
    with transaction.atomic():
        orgs = [Organisation(code="TINH", name="Đảng bộ Tỉnh Thử Nghiệm", kind="upper_committee",
                             path="00001", depth=1, document_place="Vĩnh Yên")]
        staffed = []  # (organisation, headcount)
        for u in range(1, UPPER + 1):
            up = "00001" + f"{u:0{PATH_STEP}d}"
            orgs.append(Organisation(code=f"H{u}", name=f"Đảng bộ Huyện {u}",
                                     kind="upper_committee", path=up, depth=2))
            for g in range(1, GRASSROOTS + 1):
                gp = up + f"{g:0{PATH_STEP}d}"
                orgs.append(Organisation(code=f"H{u}-X{g}", name=f"Đảng bộ Xã {u}.{g}",
                                         kind="grassroots_committee", path=gp, depth=3))
                staffed.append((orgs[-1], rng.choice([None, 150, 180])))
                for b in range(1, BRANCHES + 1):
                    orgs.append(Organisation(
                        code=f"H{u}-X{g}-C{b}", name=f"Chi bộ Thôn {u}.{g}.{b}", kind="branch",
                        path=gp + f"{b:0{PATH_STEP}d}", depth=4))
                    staffed.append((orgs[-1], rng.choice([None, 30, 40])))
        Organisation.objects.bulk_create(orgs, batch_size=5000)
        _link_parents()
        StaffHeadcount.objects.bulk_create(_headcounts(staffed), batch_size=5000)
        root = Organisation.objects.get(code="TINH")
        branches = list(Organisation.objects.filter(kind="branch").values_list("pk", flat=True))
        grassroots = list(Organisation.objects.filter(kind="grassroots_committee")
                          .values_list("pk", flat=True))

        def person(n, **fields):
            female = rng.random() < 0.45
            return {**dict(full_name=f"Người {n}", search_name=f"nguoi {n}",
                           birth_date=date(rng.randint(1960, 2004), rng.randint(1, 12),
                                           rng.randint(1, 28)),
                           sex="female" if female else "male",
                           ethnicity=rng.choice(["Kinh"] * 9 + ["Tày"]),
                           religion=rng.choice(["Không"] * 12 + ["Phật giáo"])), **fields}

        members, n = [], 0
        for b in branches:
            for _ in range(OLD_MEMBERS_PER_BRANCH):
                n += 1
                admitted = day_in(rng.randint(1990, 2019))
                members.append(Member(**person(n, birth_date=date(1960, 1, 1)), organisation_id=b,
                                      admitted_date=admitted, status="official",
                                      official_date=admitted + timedelta(days=366),
                                      education=SCHOOL_12, profession="Cử nhân",
                                      qualification=Qualification.UNIVERSITY))
        new = []
        for year in range(2020, 2025):
            for _ in range(ADMISSIONS_PER_YEAR):
                n += 1
                admitted = day_in(year)
                official = admitted + timedelta(days=366)
                recognised = official <= TODAY and rng.random() < 0.97
                m = Member(**person(n, birth_date=date(rng.randint(1975, 2004), 3, 3)),
                           organisation_id=rng.choice(branches), admitted_date=admitted,
                           status="official" if recognised else "probationary",
                           official_date=official if recognised else None,
                           education=rng.choice([SCHOOL_12, SCHOOL_12, SCHOOL_9]),
                           qualification=rng.choice(QUALIFICATIONS),
                           profession=rng.choice(["Cử nhân", "Kỹ sư", "Trung cấp", ""]))
                members.append(m)
                new.append(m)
        history = History(members, branches)
        for year in MOVEMENT_YEARS:
            n = history.live_a_year(year, n, person)
        Member.objects.bulk_create(history.members, batch_size=5000)
        Movement.objects.bulk_create(history.movements(), batch_size=5000)

        candidates = []
        for m in new:
            if rng.random() < 0.8:
                moved = rng.random() < 0.05
                group, occupation = rng.choice(OCCUPATIONS)
                candidates.append(Candidate(
                    **person(0, birth_date=m.birth_date, full_name=m.full_name,
                             search_name=m.search_name), education=m.education,
                    qualification=m.qualification,
                    organisation_id=rng.choice(branches) if moved else history.first_branch(m),
                    added_date=m.admitted_date - timedelta(days=300),
                    plan_year=m.admitted_date.year,
                    stage="official", stage_date=m.admitted_date, member=m,
                    youth_union_member=rng.random() < 0.7, occupation_group=group,
                    occupation=occupation,
                    awareness_cert_date=m.admitted_date - timedelta(days=200),
                    ceremony_date=m.admitted_date))
        for i in range(OPEN_CANDIDATES):
            stage = rng.choice(OPEN_STAGES)
            added = day_in(rng.randint(2023, 2025))
            group, occupation = rng.choice(OCCUPATIONS)
            candidates.append(Candidate(
                **person(i), education=SCHOOL_12, organisation_id=rng.choice(branches),
                qualification=rng.choice(QUALIFICATIONS), occupation_group=group,
                occupation=occupation,
                added_date=min(added, TODAY), plan_year=2025, stage=stage, stage_date=added,
                due_date=added + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.4
                else None, youth_union_member=rng.random() < 0.7,
                awareness_cert_date=day_in(rng.randint(2021, 2025))
                if stage not in ("source_pool", "helper_assigned") else None))
        Candidate.objects.bulk_create(candidates, batch_size=5000)
        cand_ids = list(Candidate.objects.values_list("pk", flat=True))
        Introduction.objects.bulk_create(
            [Introduction(candidate_id=c, kind="youth_union", resolution_ref="1/NQ",
                          document_date=day_in(rng.randint(2020, 2025)))
             for c in rng.sample(cand_ids, 25_000)], batch_size=5000)
        removed = Candidate.objects.filter(stage="official").values_list("pk", flat=True)[:250]
        Decision.objects.bulk_create(
            [Decision(candidate_id=c, kind="removal", number=f"{c}-QĐ", decided_by_id=root.pk,
                      decision_date=day_in(rng.randint(2021, 2025))) for c in removed])
        classes = []
        for i in range(500):
            end = day_in(rng.randint(2020, 2025))
            classes.append(TrainingClass(
                code=f"L{i}", kind=rng.choice(["awareness", "new_member"]),
                organiser_id=rng.choice(grassroots), course_number=str(i), year=end.year,
                start_date=end - timedelta(days=5), end_date=end, place="Trung tâm"))
        TrainingClass.objects.bulk_create(classes)
        class_ids = list(TrainingClass.objects.values_list("pk", flat=True))
        Enrolment.objects.bulk_create(
            [Enrolment(training_class_id=class_ids[i % len(class_ids)], candidate_id=c)
             for i, c in enumerate(rng.sample(cand_ids, 25_000))], batch_size=5000)
        children = Organisation.objects.filter(parent=root).values_list("pk", flat=True)
        Target.objects.bulk_create(
            [Target(organisation=root, term="2020-2025", admissions=24_000)]
            + [Target(organisation=root, year=y, admissions=4_800) for y in range(2020, 2026)]
            + [Target(organisation_id=c, term="2020-2025", admissions=1_200) for c in children])
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built the province in {time.perf_counter() - started:.0f} s")
    print_counts()
    return root


def print_counts():
    kinds = dict(Movement.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind"))
    statuses = dict(Member.objects.values_list("status").annotate(n=Count("pk"))
                    .order_by("status"))
    changed = StaffHeadcount.objects.exclude(valid_from=FROM_THE_START).count()
    print(f"members: {sum(statuses.values()):,} "
          + ", ".join(f"{status} {n:,}" for status, n in statuses.items()))
    print(f"movements: {sum(kinds.values()):,} "
          + ", ".join(f"{kind} {n:,}" for kind, n in kinds.items()))
    print(f"staff headcounts: {StaffHeadcount.objects.count():,} rows, {changed:,} changed in "
          f"2023")


def _headcounts(staffed):
    """A headcount known from the start for each staffed unit; a fifth of them changed in
    2023."""
    rows = []
    for org, staff in staffed:
        if staff is None:
            continue
        rows.append(StaffHeadcount(organisation_id=org.pk, valid_from=FROM_THE_START,
                                   staff=staff, imported=True))
        if rng.random() < HEADCOUNT_CHANGED_SHARE:
            rows.append(StaffHeadcount(organisation_id=org.pk, valid_from=day_in(2023),
                                       staff=staff + rng.choice([-10, -5, 5, 10])))
    return rows


class History:
    """Five years of the members' lives on the lists, played out in memory so the members are
    written once as they end up and their movements in one bulk insert: each member enters
    (present since joining, admitted, or transferred in from outside), then may move between
    branches and leave, on increasing dates, never moving after leaving."""

    def __init__(self, members, branches):
        self.members = list(members)
        self.branches = branches
        self.rows = []  # (member, kind, date, from branch id, to branch id, details)
        self.branch = {}  # id(member) → the branch the member is on now
        self.last = {}  # id(member) → the date of their latest movement
        self.first = {}
        for m in self.members:
            entry = "present" if m.admitted_date.year < 2020 else "admitted"
            self._enter(m, entry, m.admitted_date)
        self.active = set(range(len(self.members)))

    def _enter(self, m, kind, day, **details):
        self.rows.append((m, kind, day, None, m.organisation_id, details))
        self.branch[id(m)] = self.first[id(m)] = m.organisation_id
        self.last[id(m)] = day

    def first_branch(self, m):
        return self.first[id(m)]

    def live_a_year(self, year, n, person) -> int:
        """The year's movements; returns the last person number used."""
        start, end = date(year, 1, 1), min(date(year, 12, 31), TODAY)
        share = ((end - start).days + 1) / 365
        pool = [i for i in self.active if self.members[i].admitted_date <= end]
        events = []
        for kind, rate in YEARLY_RATES:
            for i in rng.sample(pool, round(len(pool) * rate * share)):
                events.append((start + timedelta(days=rng.randrange((end - start).days + 1)),
                               kind, i))
        arrived = len(self.members)
        for _ in range(round(len(pool) * TRANSFER_IN_RATE * share)):
            n += 1
            day = start + timedelta(days=rng.randrange((end - start).days + 1))
            admitted = day_in(rng.randint(1995, year - 2))
            m = Member(**person(n, birth_date=date(rng.randint(1960, 1990), 5, 5)),
                       organisation_id=rng.choice(self.branches), admitted_date=admitted,
                       status="official", official_date=admitted + timedelta(days=366),
                       education=SCHOOL_12, qualification=rng.choice(QUALIFICATIONS),
                       profession="Cử nhân")
            self.members.append(m)
            self._enter(m, "transfer_in", day, outside_place="Đảng bộ tỉnh khác",
                        document_number=f"{n}-GGT")
        for day, kind, i in sorted(events, key=lambda e: (e[0], e[2])):
            if i not in self.active:
                continue
            m = self.members[i]
            if day <= self.last[id(m)]:  # entered (or moved) later this year: move after
                if self.last[id(m)] >= end:
                    continue
                day = self.last[id(m)] + timedelta(
                    days=rng.randint(1, (end - self.last[id(m)]).days))
            self._move(i, m, kind, day)
        self.active.update(range(arrived, len(self.members)))  # they move from next year
        return n

    def _move(self, i, m, kind, day):
        here = self.branch[id(m)]
        self.last[id(m)] = day
        if kind == "transfer_within":
            there = rng.choice(self.branches)
            while there == here:
                there = rng.choice(self.branches)
            self.rows.append((m, kind, day, here, there, {"document_number": f"{i}-QĐ"}))
            self.branch[id(m)] = m.organisation_id = there
            return
        details = {"document_number": f"{i}-QĐ" if kind != "died" else ""}
        if kind == "transfer_out":
            details["outside_place"] = "Đảng bộ tỉnh khác"
        if kind in LEAVE_REASON:
            details["reason"] = LEAVE_REASON[kind]
        self.rows.append((m, kind, day, here, None, details))
        self.active.discard(i)
        m.status = EXIT_STATUS[kind]
        m.left_date = day
        m.left_document = details["document_number"]
        m.left_reason = details.get("reason", "")
        if m.official_date and m.official_date > day:  # left before being recognised
            m.official_date = None

    def movements(self):
        """The rows, once the members have their primary keys."""
        for m, kind, day, source, target, details in self.rows:
            yield Movement(
                member_id=m.pk, kind=kind, date=day, from_organisation_id=source,
                to_organisation_id=target, imported=kind == "present",
                decision_date=(day - timedelta(days=rng.randint(3, 21))
                               if kind == "admitted" else None), **details)


def _link_parents():
    """bulk_create skips save(), so parents are set from the paths in one statement."""
    with connection.cursor() as cur:
        cur.execute("""
            UPDATE members_organisation c SET parent_id = p.id
            FROM members_organisation p
            WHERE p.path = substr(c.path, 1, length(c.path) - %s) AND c.depth > 1
        """, [PATH_STEP])


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    root = build()
    if "--build-only" in sys.argv:
        return
    root = Organisation.objects.select_related("parent").get(pk=root.pk)
    period = periods.resolve(root, "2020-2025")
    compute_figures(root, period, today=TODAY)  # warm up caches and the pool

    with CaptureQueriesContext(connection) as ctx:
        figures = compute_figures(root, period, today=TODAY)
    statements = [q["sql"] for q in ctx.captured_queries]
    t_figures, figures = best(lambda: compute_figures(root, period, today=TODAY), 5)

    def bare():
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
                cur.fetchall()
    t_bare, _ = best(bare, 5)

    t_pdf, pdf = best(lambda: documents.render(
        compute_figures(root, period, today=TODAY), "pdf"), 3)
    t_xlsx, xlsx = best(lambda: documents.render(
        compute_figures(root, period, today=TODAY), "xlsx"), 3)

    print(f"province: {len(figures.by_branch):,} branches, {figures.grassroots_count:,} "
          f"grassroots, {Member.objects.count():,} members, {figures.admitted:,} admitted in "
          f"{period.title}, {figures.pipeline_total:,} in the pipeline")
    print(f"figures: {t_figures * 1000:.0f} ms in {len(statements)} queries (goal < 1,000 ms)")
    print(f"bare SQL, the same {len(statements)} statements through a cursor: "
          f"{t_bare * 1000:.0f} ms; ratio figures / bare SQL = {t_figures / t_bare:.2f}")
    print(f"PDF: {t_pdf * 1000:.0f} ms including the figures, {len(pdf.content) / 1024:.0f} KiB "
          f"(goal < 5,000 ms)")
    print(f"XLSX: {t_xlsx * 1000:.0f} ms including the figures, "
          f"{len(xlsx.content) / 1024:.0f} KiB")
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    print(f"slowest statement {float(slowest['time']) * 1000:.0f} ms: {slowest['sql'][:140]}…")


if __name__ == "__main__":
    main()
