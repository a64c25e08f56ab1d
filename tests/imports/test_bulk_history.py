"""Every person an import creates or changes gets a history row, written in bulk with the
rest: who imported, through the import channel, and which job."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.history import Channel
from members.models import ImportJob, Member
from recruitment.models import Candidate

from .conftest import (
    MEMBER_HEADERS,
    candidate_row,
    candidates_csv,
    csv_bytes,
    full_history,
    run_import,
)


def history(person):
    return [(h.history_type, h.history_channel, h.history_user)
            for h in person.history.order_by("history_date", "history_id")]


def member_row(card="0001", official=""):
    return ["Nguyễn Văn An", "17/05/1990", "Nam", "", "", "B1", card, "02/03/2015", official, ""]


def test_imported_candidates_and_their_members_get_a_created_history_row(users, helper):
    assert run_import("candidates", candidates_csv(full_history()), users.admin).ok
    c = Candidate.objects.get()
    assert history(c) == [("+", Channel.IMPORT, users.admin)]
    assert history(c.member) == [("+", Channel.IMPORT, users.admin)]


def test_a_candidate_changed_by_a_later_file_gets_a_changed_history_row(users, helper):
    first = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024"})
    assert run_import("candidates", candidates_csv(first), users.secretary).ok
    later = dict(first, **{"Ngày chi bộ xét": "10/06/2024"})
    assert run_import("candidates", candidates_csv(later), users.secretary).ok
    c = Candidate.objects.get()
    assert history(c) == [("+", Channel.IMPORT, users.secretary),
                          ("~", Channel.IMPORT, users.secretary)]
    new = c.history.order_by("history_date", "history_id").last()
    assert (new.stage, new.branch_vote_date.isoformat()) == ("branch_voted", "2024-06-10")


def test_a_member_loaded_first_then_linked_by_a_ceremony_gets_a_changed_row(users, helper):
    row = ["Hoàng Thị Quỳnh Anh", "17/05/1995", "Nữ", "", "", "B1", "09000001", "01/08/2024",
           "01/08/2025", ""]
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [row]), users.department).ok
    assert run_import("candidates", candidates_csv(full_history()), users.admin).ok
    member = Member.objects.get(card_number="09000001")
    assert history(member) == [("+", Channel.IMPORT, users.department),
                               ("~", Channel.IMPORT, users.admin)]
    assert member.history.latest().citizen_id == "001195012345"


def test_members_created_and_updated_by_a_file_get_their_rows(users, tree):
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member_row()]),
                      users.department).ok
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member_row(official="02/03/2016")]),
                         users.department)
    assert outcome.updated == 1
    member = Member.objects.get()
    assert history(member) == [("+", Channel.IMPORT, users.department),
                               ("~", Channel.IMPORT, users.department)]
    assert member.history.latest().status == "official"


def test_an_unchanged_row_writes_no_history(users, tree):
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member_row()]), None).ok
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member_row()]), None).unchanged == 1
    assert history(Member.objects.get()) == [("+", Channel.IMPORT, None)]


def test_a_preview_writes_no_history(users, tree):
    assert run_import("members", csv_bytes(MEMBER_HEADERS, [member_row()]), users.department,
                      commit=False).ok
    assert not Member.history.exists()


def test_history_rows_name_the_import_job_they_came_through(as_user, users, tree):
    client = as_user(users.department)
    client.post(reverse("members:import_upload", args=["members"]), {
        "file": SimpleUploadedFile("dv.csv", csv_bytes(MEMBER_HEADERS, [member_row()]))})
    job = ImportJob.objects.get()
    client.post(reverse("members:import_confirm", args=[job.pk]))
    record = Member.objects.get().history.get()
    assert (record.history_channel, record.history_job_id, record.history_user) == (
        Channel.IMPORT, job.pk, users.department)


def test_a_candidates_file_keeps_the_rollups_equal_to_the_events(users, helper):
    from reports import rollups

    first = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024"})
    whole = full_history(**{"Họ và tên": "Lê Thị Hoa", "Số CCCD": "001195099999"})
    assert run_import("candidates", candidates_csv(first, whole), users.admin).ok
    assert Member.objects.exists()  # the full history's ceremony made a member and a movement
    later = dict(first, **{"Ngày chi bộ xét": "10/06/2024"})
    assert run_import("candidates", candidates_csv(later), users.admin).ok
    assert rollups.differences() == (0, [])
