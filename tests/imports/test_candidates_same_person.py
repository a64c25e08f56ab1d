"""One person, one record, in the candidates file as on the candidate page: a CCCD that a
member of the whole tree holds refuses the row with the page's way forward (or, outside the
user's scope, with the one neutral answer), two rows of one file with the same CCCD refuse the
second, a namesake (same folded name and birth date, no two CCCDs to tell them apart) is a
warning of the preview that confirming the import accepts, and a former member still comes
back as a readmission. The look-up is set-based: its queries do not grow with the rows."""
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import ImportJob, MemberStatus
from recruitment import services
from recruitment.models import Candidate
from recruitment.resources import CandidateResource
from recruitment.services.duplicates import candidates_named
from tests.factories import MemberFactory

from .conftest import candidate_row, candidates_csv, messages, run_import

NAME, BORN, CCCD = "Hoàng Thị Quỳnh Anh", date(1995, 5, 17), "001195012345"
NEUTRAL_CID = "dòng 2, cột Số CCCD: số CCCD này đã có trong hệ thống; liên hệ Ban Tổ chức."
CONFIRM = ("Nếu là cùng một người, đừng lập hồ sơ thứ hai: bỏ dòng này. Nếu là người khác, "
           "xác nhận nhập tệp là bạn đã kiểm tra.")


def member(organisation, **fields):
    values = dict(full_name=NAME, birth_date=BORN, sex="female", organisation=organisation,
                  citizen_id=CCCD, admitted_date=date(2018, 3, 2),
                  official_date=date(2019, 3, 2), status=MemberStatus.OFFICIAL,
                  card_number="0077")
    values.update(fields)
    return MemberFactory(**values)


def dossier(users, organisation, **fields):
    values = dict(full_name=NAME, birth_date=BORN, sex="female", education="upper_secondary",
                  source="youth_union", organisation=organisation, added_date=date(2023, 3, 1),
                  plan_year=2024, citizen_id=None)
    values.update(fields)
    return services.add_candidate(actor=users.department, candidate=Candidate(**values),
                                  imported=True)


def warnings(outcome):
    return [str(w) for w in outcome.warnings]


def test_the_cccd_of_a_member_in_another_province_is_refused_without_naming_anyone(users, tree):
    member(tree.b3)  # Đảng bộ Sở Hai: outside the secretary of Chi bộ Một's scope
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert messages(outcome) == [NEUTRAL_CID]
    assert "Chi bộ Ba" not in str(outcome.as_dict()) and "0077" not in str(outcome.as_dict())
    assert not Candidate.objects.exists()


def test_the_neutral_answer_is_the_same_for_a_member_or_a_dossier_outside_the_scope(users, tree):
    dossier(users, tree.b3, citizen_id=CCCD)
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert messages(outcome) == [NEUTRAL_CID]
    assert Candidate.objects.count() == 1


def test_the_cccd_of_a_member_in_scope_names_the_record_and_points_to_a_transfer(users, tree):
    member(tree.b2)  # inside the administrator's scope, not in the row's branch
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.admin)
    assert messages(outcome) == [
        "dòng 2, cột Số CCCD: người này đã là đảng viên (Chi bộ Hai, chính thức, số thẻ 0077); "
        "không đưa vào danh sách quần chúng ưu tú được. Nếu đồng chí này nay công tác ở đơn vị "
        "của chi bộ, làm thủ tục chuyển sinh hoạt đảng, không kết nạp."]
    assert not Candidate.objects.exists()


def test_the_cccd_of_a_member_transferred_out_points_to_receiving_the_transfer(users, tree):
    member(tree.b1, status=MemberStatus.TRANSFERRED_OUT)
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    [error] = messages(outcome)
    assert error.startswith("dòng 2, cột Số CCCD: người này đã là đảng viên (Chi bộ Một")
    assert "nhận chuyển sinh hoạt đảng, không kết nạp" in error


def test_two_rows_of_one_file_with_one_cccd_refuse_the_second_naming_the_first(users, tree):
    outcome = run_import("candidates", candidates_csv(
        candidate_row(), candidate_row(**{"Họ và tên": "Lê Văn Khác"})), users.secretary)
    assert messages(outcome) == [
        "dòng 3, cột Số CCCD: trùng với dòng 2 (cùng khóa nhận diện)."]
    assert not Candidate.objects.exists()


def test_a_namesake_in_scope_is_a_warning_of_the_preview_and_confirming_imports_the_row(
    users, tree
):
    dossier(users, tree.b1)  # no CCCD: nothing tells the two apart
    data = candidates_csv(candidate_row())
    preview = run_import("candidates", data, users.secretary, commit=False)
    assert preview.ok and preview.created == 1
    assert warnings(preview) == [
        "dòng 2, cột Họ và tên: đã có người cùng họ tên và ngày sinh: Hoàng Thị Quỳnh Anh, sinh "
        "ngày 17/05/1995, Chi bộ Một (Quần chúng ưu tú (dự nguồn)). " + CONFIRM]
    assert Candidate.objects.count() == 1  # a preview writes nothing
    applied = run_import("candidates", data, users.secretary)
    assert applied.applied and warnings(applied) == warnings(preview)
    assert Candidate.objects.filter(search_name="hoang thi quynh anh").count() == 2


def test_the_preview_page_shows_the_namesake_and_its_confirmation_imports_the_row(
    as_user, users, tree
):
    dossier(users, tree.b1)
    client = as_user(users.secretary)
    response = client.post(reverse("members:import_upload", args=["candidates"]), {
        "file": SimpleUploadedFile("quan-chung.csv", candidates_csv(candidate_row()))})
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert "dòng 2, cột Họ và tên: đã có người cùng họ tên và ngày sinh: Hoàng Thị Quỳnh Anh" \
        in page
    assert "Xác nhận nhập 1 dòng" in page
    assert Candidate.objects.count() == 1

    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Candidate.objects.count() == 2


def test_a_namesake_outside_the_scope_is_a_warning_that_names_nobody(users, tree):
    dossier(users, tree.b3)
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary,
                         commit=False)
    assert outcome.ok
    assert warnings(outcome) == [
        "dòng 2, cột Họ và tên: đã có người cùng họ tên và ngày sinh trong hệ thống; liên hệ Ban "
        "Tổ chức. " + CONFIRM]


def test_a_namesake_written_otherwise_without_cccd_is_a_warning_too(users, tree):
    dossier(users, tree.b1)
    outcome = run_import("candidates", candidates_csv(candidate_row(**{
        "Họ và tên": "Hoàng thị Quỳnh Anh", "Số CCCD": ""})), users.secretary, commit=False)
    assert outcome.ok and outcome.created == 1
    [warning] = warnings(outcome)
    assert "Chi bộ Một (Quần chúng ưu tú (dự nguồn))" in warning


def test_two_different_cccds_are_two_people_without_a_warning(users, tree):
    dossier(users, tree.b1, citizen_id="001195099999")
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert outcome.applied and warnings(outcome) == []


def test_the_row_that_updates_its_own_dossier_is_not_its_own_namesake(users, tree):
    dossier(users, tree.b1, citizen_id=CCCD, added_date=date(2024, 1, 10))
    outcome = run_import("candidates", candidates_csv(candidate_row(**{
        "Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
        "Số giấy chứng nhận": "123/GCN"})), users.secretary)
    assert outcome.applied and outcome.updated == 1
    assert warnings(outcome) == []


def test_two_rows_of_one_file_with_one_name_and_birth_date_warn_on_the_second(users, tree):
    outcome = run_import("candidates", candidates_csv(
        candidate_row(), candidate_row(**{"Họ và tên": "HOÀNG THỊ QUỲNH ANH", "Số CCCD": ""})),
        users.secretary, commit=False)
    assert outcome.ok and outcome.created == 2
    assert warnings(outcome) == [
        "dòng 3, cột Họ và tên: cùng họ tên và ngày sinh với dòng 2, không có hai số CCCD để "
        "phân biệt. Nếu là cùng một người, bỏ một dòng; nếu là hai người, xác nhận nhập tệp là "
        "bạn đã kiểm tra."]


def test_a_namesake_in_an_earlier_chunk_of_the_file_is_named_by_its_row_only(
    users, tree, monkeypatch
):
    monkeypatch.setattr(CandidateResource, "chunk_rows", 2)  # rows 2–3, then 4
    outcome = run_import("candidates", candidates_csv(
        candidate_row(), candidate_row(**{"Họ và tên": "Lê Văn Khác", "Số CCCD": ""}),
        candidate_row(**{"Số CCCD": ""})), users.secretary)
    assert outcome.applied, messages(outcome)
    [warning] = warnings(outcome)  # row 2 is this file's, not a namesake in the database
    assert warning.startswith("dòng 4, cột Họ và tên: cùng họ tên và ngày sinh với dòng 2,")


def test_a_former_member_in_scope_is_still_readmitted_by_the_file(users, tree):
    former = member(tree.b1, status=MemberStatus.REMOVED, left_date=date(2019, 2, 1))
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert outcome.applied, messages(outcome)
    assert Candidate.objects.get().former_member == former
    [warning] = warnings(outcome)
    assert "kết nạp lại" in warning and "Chi bộ Một" in warning


def test_a_former_member_outside_the_scope_is_readmitted_without_naming_the_branch(users, tree):
    former = member(tree.b3, status=MemberStatus.EXPELLED, left_date=date(2019, 2, 1))
    outcome = run_import("candidates", candidates_csv(candidate_row()), users.secretary)
    assert outcome.applied, messages(outcome)
    assert Candidate.objects.get().former_member == former
    [warning] = warnings(outcome)
    assert "kết nạp lại" in warning and "Chi bộ Ba" not in warning


def namesake_file(n):
    """`n` new rows, each with its CCCD and a namesake dossier without one in the database."""
    return candidates_csv(*[candidate_row(**{
        "Họ và tên": f"Người Trùng Tên {i}", "Số CCCD": f"{i + 5000:012d}"}) for i in range(n)])


def count_queries(data, user):
    """The queries of a preview but the bulk INSERT batches (SQLite caps their parameters)."""
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_import("candidates", data, user, commit=False)
    assert outcome.ok, messages(outcome)[:3]
    return outcome, len([q for q in ctx.captured_queries
                         if not q["sql"].lstrip().upper().startswith("INSERT")])


def test_the_same_person_look_up_does_not_grow_with_the_rows(users, tree):
    for i in range(50):
        dossier(users, tree.b1, full_name=f"Người Trùng Tên {i}")
    count_queries(namesake_file(1), users.secretary)  # the user's roles are read once, kept
    small, ten = count_queries(namesake_file(10), users.secretary)
    large, fifty = count_queries(namesake_file(50), users.secretary)
    assert (len(small.warnings), len(large.warnings)) == (10, 50)
    assert ten == fifty, (ten, fifty)


def test_candidates_named_looks_up_a_whole_chunk_at_once(users, tree,
                                                       django_assert_max_num_queries):
    for i in range(3):
        dossier(users, tree.b1, full_name=f"Người Trùng Tên {i}")
    names = [f"nguoi trung ten {i}" for i in range(2000)]
    with django_assert_max_num_queries(3):  # PostgreSQL: 1; SQLite: 899 names a statement
        found = candidates_named(names)
    assert sorted(len(v) for v in found.values()) == [1, 1, 1]
