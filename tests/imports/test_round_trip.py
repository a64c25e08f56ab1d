"""Export everything, import it into an empty database, export again: the same files. And
re-importing an export into the database it came from changes nothing."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from members.history import purging
from members.models import MAX_DEPTH, Member, Movement, Organisation, RoleGrant, StaffHeadcount
from recruitment import services
from recruitment.models import (
    Candidate,
    Decision,
    Enrolment,
    Introduction,
    Nomination,
    Stage,
    StageEvent,
    TrainingClass,
    VerificationRecord,
    Vote,
)
from reports.models import ReportJob, Target, Term

from .conftest import export_bytes, messages, run_import, xlsx_cells

# In the order a database is loaded: the tree, members, candidates, classes, learners, targets.
KINDS = ["organisations", "members", "candidates", "classes", "enrolments", "targets"]


@pytest.fixture
def province(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    admin = get_user_model().objects.get(username="quantri")
    # Text a spreadsheet would run as a formula, and a candidate who left the list.
    members = list(Member.objects.order_by("pk")[:4])
    for member, text in zip(members, ["=1+2", "+84 912", "-", "@SUM(A1)"], strict=True):
        member.profession = text
        member.save()
    pooled = Candidate.objects.filter(stage=Stage.HELPER_ASSIGNED).first()
    services.perform("withdraw", candidate=pooled, actor=admin, event_date=pooled.stage_date,
                     data={"note": "Chuyển công tác"})
    if not Target.objects.exists():
        for code, year, term, n in [("DBK", None, "2025-2030", 250), ("SGD", 2026, "", 12)]:
            Target.objects.create(organisation=Organisation.objects.get(code=code), year=year,
                                  term=term, admissions=n)
    return admin


def empty_database():
    with purging():
        for model in (Target, Term, ReportJob, Enrolment, Nomination, Decision, Vote,
                      Introduction, VerificationRecord, StageEvent, Candidate, TrainingClass,
                      Movement, Member, RoleGrant, StaffHeadcount):
            model.objects.all().delete()
    for depth in range(MAX_DEPTH, 0, -1):
        Organisation.objects.filter(depth=depth).delete()


def export_all(client):
    return ({k: export_bytes(client, k, "csv") for k in KINDS},
            {k: export_bytes(client, k, "xlsx") for k in KINDS})


def test_an_export_imported_into_an_empty_database_exports_identically(province, client):
    client.force_login(province)
    csv_before, xlsx_before = export_all(client)
    assert csv_before["members"].count(b"'=1+2") == 1  # escaped on the way out
    empty_database()
    assert not Organisation.objects.exists()

    for kind in KINDS:
        outcome = run_import(kind, xlsx_before[kind], province)
        assert outcome.ok, (kind, messages(outcome)[:5])
        assert outcome.created == outcome.rows > 0

    csv_after, xlsx_after = export_all(client)
    for kind in KINDS:
        assert csv_after[kind] == csv_before[kind], kind
        assert xlsx_cells(xlsx_after[kind]) == xlsx_cells(xlsx_before[kind]), kind
    assert Member.objects.get(profession="=1+2")  # un-escaped on the way in


def test_reimporting_an_export_into_its_own_database_changes_nothing(province, client):
    client.force_login(province)
    csv_files, _ = export_all(client)
    events = StageEvent.objects.count()
    for kind in KINDS:
        outcome = run_import(kind, csv_files[kind], province)
        assert outcome.ok, (kind, messages(outcome)[:5])
        assert (outcome.created, outcome.updated) == (0, 0), kind
        assert outcome.unchanged == outcome.rows
    assert StageEvent.objects.count() == events
