"""Classes are keyed by their code; learners by class and person (a candidate for the
awareness class, a probationary member for the new-member class)."""
from datetime import date

from recruitment.models import Enrolment, Result, TrainingClass
from tests.recruitment.conftest import make_candidate

from .conftest import csv_bytes, messages, run_import

CLASS_HEADERS = ["Mã lớp", "Loại lớp", "Đơn vị tổ chức", "Ngày khai giảng", "Ngày bế giảng",
                 "Địa điểm"]
LEARNER_HEADERS = ["Mã lớp", "Họ và tên", "Ngày sinh", "Kết quả", "Số giấy chứng nhận"]


def test_classes_import_with_their_course_taken_from_the_code(users, tree):
    rows = [["DBK-NT-2023-4", "Bồi dưỡng nhận thức về Đảng", "DBK", "06/03/2023", "10/03/2023",
             "Trường Chính trị"],
            ["LOP-CU-1998", "Lý luận chính trị cho đảng viên mới", "GC1", "01/06/1998",
             "05/06/1998", ""]]
    outcome = run_import("classes", csv_bytes(CLASS_HEADERS, rows), users.department)
    assert outcome.ok, messages(outcome)
    first = TrainingClass.objects.get(code="DBK-NT-2023-4")
    assert (first.course_number, first.year, first.created_by) == ("4", 2023, users.department)
    assert TrainingClass.objects.get(code="LOP-CU-1998").course_number == "LOP-CU-1998"


def test_a_class_ending_before_it_starts_is_an_error(users, tree):
    rows = [["L1", "Bồi dưỡng nhận thức về Đảng", "DBK", "10/03/2023", "06/03/2023", ""]]
    assert messages(run_import("classes", csv_bytes(CLASS_HEADERS, rows), users.department)) == [
        "dòng 2, cột Ngày bế giảng: ngày bế giảng trước ngày khai giảng."]


def test_learners_are_matched_to_candidates_by_name_and_birth_date(users, tree,
                                                                   branch_members):
    c = make_candidate(users, tree.b1)
    TrainingClass.objects.create(
        code="L1", kind="awareness", organiser=tree.root, course_number="1", year=2024,
        start_date=date(2024, 3, 4), end_date=date(2024, 3, 8))
    rows = [["L1", c.full_name, "17/05/1995", "Đạt", "12/GCN"],
            ["L1", "Không Có Ai", "17/05/1995", "Vắng", ""]]
    outcome = run_import("enrolments", csv_bytes(LEARNER_HEADERS, rows), users.department)
    assert messages(outcome) == [
        "dòng 3, cột Họ và tên: không tìm thấy quần chúng tên này, sinh ngày này thuộc DBK."]
    outcome = run_import("enrolments", csv_bytes(LEARNER_HEADERS, rows[:1]), users.department)
    assert outcome.ok
    e = Enrolment.objects.get()
    assert (e.candidate, e.result, e.certificate_number, e.certificate_date) == (
        c, Result.PASSED, "12/GCN", date(2024, 3, 8))
    assert e.recorded_in_pipeline  # imported history: the candidates file carries the dates


def test_a_passed_result_already_in_the_pipeline_cannot_be_undone(users, tree, branch_members):
    c = make_candidate(users, tree.b1)
    tc = TrainingClass.objects.create(
        code="L1", kind="awareness", organiser=tree.root, course_number="1", year=2024,
        start_date=date(2024, 3, 4), end_date=date(2024, 3, 8))
    Enrolment.objects.create(training_class=tc, candidate=c, result="passed",
                             certificate_number="1", recorded_in_pipeline=True)
    rows = [["L1", c.full_name, "17/05/1995", "Không đạt", ""]]
    assert messages(run_import("enrolments", csv_bytes(LEARNER_HEADERS, rows),
                               users.department)) == [
        "dòng 2, cột Kết quả: kết quả hoàn thành đã ghi vào hồ sơ, không sửa được."]
