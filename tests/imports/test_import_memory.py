"""A candidates file is checked and written a chunk of rows at a time (so an import's memory
does not grow with the file), in one transaction: across chunk boundaries it behaves as the
whole file at once. The chunks here are two rows long (rows 2–3, 4–5, 6–7 … of the sheet).
Memory and time are measured by bench/import_bench.py, not here."""
import io

import pytest
from django.db import IntegrityError

from members import import_files, importing
from members.models import ImportJob, Member
from recruitment.models import Candidate, Decision, StageEvent
from recruitment.resources import CandidateResource

from .conftest import (
    CANDIDATE_HEADERS,
    candidate_row,
    candidates_csv,
    csv_bytes,
    full_history,
    messages,
    run_import,
)


@pytest.fixture
def chunks_of_two(monkeypatch):
    monkeypatch.setattr(CandidateResource, "chunk_rows", 2)


def person(i, **values):
    return candidate_row(**{"Họ và tên": f"Người Thứ {i}", "Số CCCD": f"{i:012d}", **values})


def history(i, **values):
    return full_history(**{"Họ và tên": f"Người Thứ {i}", "Số CCCD": f"{i:012d}", **values})


def nothing_written():
    return not (Candidate.objects.exists() or StageEvent.objects.exists()
                or Decision.objects.exists() or Candidate.history.exists()
                or Member.objects.exclude(card_number="HELPER01").exists())


def test_the_rows_of_every_chunk_are_written_and_counted(users, helper, chunks_of_two):
    outcome = run_import("candidates", candidates_csv(*[history(i) for i in range(5)]),
                         users.admin)
    assert outcome.ok and outcome.applied, messages(outcome)
    assert (outcome.rows, outcome.created, outcome.updated, outcome.unchanged) == (5, 5, 0, 0)
    assert Candidate.objects.count() == 5
    assert Member.objects.filter(candidate__isnull=False).count() == 5
    assert Decision.objects.count() == 10
    assert StageEvent.objects.filter(candidate__full_name="Người Thứ 4").count() == 9
    # One history row per person, written in bulk with each chunk.
    assert Candidate.history.count() == 5


def test_a_second_file_updates_across_chunks(users, helper, chunks_of_two):
    rows = [person(i) for i in range(5)]
    assert run_import("candidates", candidates_csv(*rows), users.secretary).ok
    later = [dict(r, **{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024"})
             for r in rows[:3]] + rows[3:]
    outcome = run_import("candidates", candidates_csv(*later), users.secretary)
    assert outcome.ok, messages(outcome)
    assert (outcome.rows, outcome.created, outcome.updated, outcome.unchanged) == (5, 0, 3, 2)
    assert Candidate.objects.filter(awareness_cert_date__isnull=False).count() == 3


def test_a_duplicate_key_in_the_first_and_the_third_chunk_is_reported(users, helper,
                                                                     chunks_of_two):
    rows = [person(0), person(1), person(2), person(3),
            person(4, **{"Số CCCD": f"{1:012d}"}), person(5)]
    outcome = run_import("candidates", candidates_csv(*rows), users.admin)
    assert messages(outcome) == [
        "dòng 6, cột Số CCCD: trùng với dòng 3 (cùng khóa nhận diện)."]
    assert not outcome.applied and nothing_written()


def test_a_duplicate_name_key_across_chunks_is_reported(users, helper, chunks_of_two):
    """Without a CCCD the key is name + birth date, compared without case."""
    anh = person(0, **{"Số CCCD": ""})
    rows = [anh, person(1), person(2), person(3), dict(anh, **{"Họ và tên": anh[
        "Họ và tên"].upper()})]
    outcome = run_import("candidates", candidates_csv(*rows), users.admin)
    assert messages(outcome) == [
        "dòng 6, cột Họ và tên: trùng với dòng 2 (cùng khóa nhận diện)."]
    assert nothing_written()


def test_an_error_in_the_last_chunk_rolls_back_the_first_chunks(users, helper,
                                                                chunks_of_two):
    rows = [history(i) for i in range(4)] + [history(4, **{"Ngày sinh": "31/02/1995"})]
    outcome = run_import("candidates", candidates_csv(*rows), users.admin)
    assert messages(outcome) == ["dòng 6, cột Ngày sinh: ngày “31/02/1995” không có thật."]
    assert not outcome.applied
    assert outcome.rows == 5
    assert nothing_written()


def test_every_error_of_every_chunk_is_reported_in_one_pass(users, helper, chunks_of_two):
    rows = [person(0, **{"Giới tính": "Không rõ"}), person(1), person(2), person(3),
            person(4, **{"Mã tổ chức": "KHONG-CO"}), person(5),
            person(6, **{"Ngày vào danh sách dự nguồn": "01/01/1990"})]
    outcome = run_import("candidates", candidates_csv(*rows), users.admin)
    assert messages(outcome) == [
        "dòng 2, cột Giới tính: “Không rõ” không hợp lệ; ghi một trong: Nam, Nữ.",
        "dòng 6, cột Mã tổ chức: không có tổ chức nào mã “KHONG-CO”.",
        "dòng 8, cột Ngày vào danh sách dự nguồn: ngày vào danh sách dự nguồn phải sau ngày "
        "sinh.",
    ]
    assert nothing_written()


def test_a_preview_checks_every_chunk_and_writes_nothing(users, helper, chunks_of_two):
    outcome = run_import("candidates", candidates_csv(*[history(i) for i in range(5)]),
                         users.admin, commit=False)
    assert outcome.ok and not outcome.applied
    assert (outcome.rows, outcome.created) == (5, 5)
    assert nothing_written()


def test_chunks_give_the_outcome_of_the_whole_file_at_once(users, helper, monkeypatch):
    """Rows of later chunks are judged against the database as it was before the file, not
    against what earlier chunks wrote: a name without a CCCD matches nobody the file created,
    and a helper named by the full name of a member the file made is not found."""
    rows = [history(0), history(1),
            person(0, **{"Số CCCD": "", "Ngày sinh": history(0)["Ngày sinh"]}),
            person(3, **{"Đảng viên theo dõi, giúp đỡ": "Người Thứ 1"}),
            history(4, **{"Ngày kết nạp": "01/08/2030"}), person(5)]
    data = candidates_csv(*rows)
    whole = run_import("candidates", data, users.admin, commit=False)
    monkeypatch.setattr(CandidateResource, "chunk_rows", 2)
    chunked = run_import("candidates", data, users.admin, commit=False)
    assert messages(chunked) == messages(whole) == [
        "dòng 5, cột Đảng viên theo dõi, giúp đỡ: không tìm thấy đảng viên có số thẻ hoặc họ "
        "tên “Người Thứ 1” trong phạm vi của bạn.",
        "dòng 6, cột Ngày kết nạp: ngày 01/08/2030 là ngày trong tương lai.",
        "dòng 6, cột Ngày công nhận chính thức: ngày công nhận chính thức trước ngày kết nạp."]
    assert [str(w) for w in chunked.warnings] == [str(w) for w in whole.warnings]
    assert (chunked.rows, chunked.created, chunked.updated) == (whole.rows, whole.created,
                                                                 whole.updated)
    without_errors = [rows[0], rows[1], rows[2], rows[5]]
    outcome = run_import("candidates", candidates_csv(*without_errors), users.admin)
    assert outcome.ok and outcome.created == 4, messages(outcome)
    assert Candidate.objects.filter(full_name="Người Thứ 0").count() == 2


def test_a_database_refusal_in_a_later_chunk_rolls_everything_back(users, helper,
                                                                 chunks_of_two, monkeypatch):
    """The refused chunk is undone to its savepoint, the rest of the file is still checked,
    and the earlier chunks go with the transaction."""
    original, calls = CandidateResource.apply, []

    def apply(self, batch):
        calls.append(len(batch.rows))
        original(self, batch)
        if len(calls) == 2:
            raise IntegrityError("UNIQUE constraint failed: recruitment_candidate.citizen_id")

    monkeypatch.setattr(CandidateResource, "apply", apply)
    rows = [history(i) for i in range(6)] + [history(6, **{"Giới tính": "?"})]
    outcome = run_import("candidates", candidates_csv(*rows), users.admin)
    assert calls == [2, 2]
    assert messages(outcome)[0].startswith("Cơ sở dữ liệu từ chối ghi")
    assert messages(outcome)[1:] == [
        "dòng 8, cột Giới tính: “?” không hợp lệ; ghi một trong: Nam, Nữ."]
    assert not outcome.applied and nothing_written()


def test_progress_moves_forward_through_the_chunks(users, helper, chunks_of_two):
    seen = []
    outcome = importing.run("candidates", io.BytesIO(candidates_csv(
        *[history(i) for i in range(7)])), user=users.admin, commit=True,
        progress=lambda percent, message: seen.append(percent))
    assert outcome.applied
    assert seen == sorted(seen) and seen[-1] == 100 and len(set(seen)) > 4
    assert all(0 <= p <= 100 for p in seen)


def test_a_job_runs_through_the_chunks(users, helper, chunks_of_two):
    from django.core.files.base import ContentFile

    job = ImportJob.objects.create(user=users.admin, kind="candidates", commit=True,
                                   filename="a.csv")
    job.file.save("a.csv", ContentFile(candidates_csv(*[history(i) for i in range(5)])))
    importing.run_job(job)
    job.refresh_from_db()
    assert (job.status, job.progress, job.result["created"]) == (
        ImportJob.Status.APPLIED, 100, 5)
    assert Candidate.objects.count() == 5


# The CSV streams: decoded block by block, never held whole.

def test_a_csv_is_read_block_by_block(users, helper, chunks_of_two, monkeypatch):
    """Blocks of 7 bytes split the Vietnamese letters (2–3 bytes each) and the CRLF line ends;
    a quoted cell holds a line break; the BOM is dropped."""
    monkeypatch.setattr(import_files, "CSV_BLOCK", 7)
    rows = [person(i, **{"Trình độ chuyên môn": "Cử nhân\nLuật" if i == 1 else ""})
            for i in range(5)]
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CANDIDATE_HEADERS)
    writer.writerows([[r[h] for h in CANDIDATE_HEADERS] for r in rows])
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    outcome = run_import("candidates", data, users.admin)
    assert outcome.ok and outcome.created == 5, messages(outcome)
    assert set(Candidate.objects.values_list("full_name", flat=True)) == {
        f"Người Thứ {i}" for i in range(5)}
    assert Candidate.objects.get(full_name="Người Thứ 1").profession == "Cử nhân\nLuật"


def test_a_csv_turning_out_not_utf8_deep_down_is_refused_and_rolled_back(
        users, helper, chunks_of_two, monkeypatch):
    monkeypatch.setattr(import_files, "CSV_BLOCK", 64)
    good = csv_bytes(CANDIDATE_HEADERS, [[person(i)[h] for h in CANDIDATE_HEADERS]
                                         for i in range(6)])
    data = good + b"Nguy\xeau V\xe3n L\xf4i,01/01/1990\n"  # Windows-1252, not UTF-8
    outcome = run_import("candidates", data, users.admin)
    assert messages(outcome) == [import_files.not_utf8()]
    assert not outcome.applied and nothing_written()
