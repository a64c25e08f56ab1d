"""A hard rule broken by an imported row refuses the row, as the page refuses the step; only
the administrator's one-off load of old paper records (an explicit option on the upload form,
on the job, and `--legacy-records` on the command line) keeps such history with a warning."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import ImportJob, Role
from recruitment.models import Candidate, StageEvent
from tests.factories import UserFactory, grant

from .conftest import candidate_row, candidates_csv, full_history, messages, run_import
from .test_cli import manage

LEGACY_LABEL = "Nạp hồ sơ giấy cũ (quy tắc bắt buộc chỉ ghi cảnh báo)"
# 17 years and 11 months at the branch vote: AGE_MIN is a hard rule.
TOO_YOUNG = {"Ngày sinh": "11/07/2006", "Số CCCD": "001206012345"}
OUT_OF_ORDER = {"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024",
                "Ngày chi bộ xét": "01/03/2024"}


def test_a_hard_rule_broken_by_a_row_is_an_error_of_the_row(users, helper):
    outcome = run_import("candidates", candidates_csv(full_history(**TOO_YOUNG)), users.admin)
    [message] = messages(outcome)
    # The citation is the rule's own (recruitment/rules/candidate.py): only its start is pinned.
    assert message.startswith(
        "dòng 2, cột Ngày chi bộ xét: [AGE_MIN] Ngày 10/06/2024 người vào Đảng mới 17 tuổi 10 "
        "tháng, chưa đủ 18 tuổi. (Điều lệ Đảng, Điều 1")
    assert not Candidate.objects.exists() and not StageEvent.objects.exists()


def test_dates_out_of_order_are_an_error_of_the_row(users, helper):
    outcome = run_import("candidates", candidates_csv(candidate_row(**OUT_OF_ORDER)),
                         users.secretary)
    assert [m.split("]")[0] for m in messages(outcome)] == [
        "dòng 2, cột Ngày chi bộ xét: [DATE_ORDER", "dòng 2, cột Ngày chi bộ xét: [CERT_VALID"]
    assert not Candidate.objects.exists()


def test_a_load_of_old_records_keeps_the_broken_rule_as_a_warning(users, helper):
    outcome = run_import("candidates", candidates_csv(candidate_row(**OUT_OF_ORDER)),
                         users.admin, legacy=True)
    assert outcome.ok and outcome.warnings
    vote = StageEvent.objects.get(action="branch_vote")
    assert [w["code"] for w in vote.warnings] == ["DATE_ORDER", "CERT_VALID"]


def test_only_an_administrator_loads_old_records(users, helper, tree):
    for user in (users.secretary, users.department):
        outcome = run_import("candidates", candidates_csv(candidate_row(**OUT_OF_ORDER)), user,
                             legacy=True)
        assert messages(outcome) == [
            "Chỉ quản trị hệ thống được nạp hồ sơ giấy cũ; không dòng nào được ghi."]
    administrator = UserFactory(username="quantri.vien")
    grant(administrator, Role.ADMINISTRATOR, tree.root)
    assert run_import("candidates", candidates_csv(candidate_row(**OUT_OF_ORDER)),
                      administrator, legacy=True).ok


def test_the_job_carries_the_option(users, helper):
    import io

    from members import importing

    job = ImportJob.objects.create(kind="candidates", user=users.admin, filename="cu.csv",
                                   legacy_records=True)
    outcome = importing.run("candidates", io.BytesIO(candidates_csv(candidate_row(
        **OUT_OF_ORDER))), user=users.admin, commit=True, job=job)
    assert outcome.ok and outcome.warnings


def upload(client, data, **extra):
    return client.post(reverse("members:import_upload", args=["candidates"]),
                       {"file": SimpleUploadedFile("cu.csv", data), **extra})


def test_the_upload_form_offers_the_option_to_administrators_only(as_user, users, helper):
    url = reverse("members:import_upload", args=["candidates"])
    assert LEGACY_LABEL in as_user(users.admin).get(url).content.decode()
    client = as_user(users.secretary)
    assert LEGACY_LABEL not in client.get(url).content.decode()
    # A secretary posting the field anyway gets an ordinary job.
    upload(client, candidates_csv(candidate_row(**OUT_OF_ORDER)), legacy_records="on")
    job = ImportJob.objects.get()
    assert not job.legacy_records and job.status == ImportJob.Status.REJECTED


def test_an_administrator_loads_old_records_from_the_page(as_user, users, helper):
    client = as_user(users.admin)
    response = upload(client, candidates_csv(candidate_row(**OUT_OF_ORDER)),
                      legacy_records="on")
    job = ImportJob.objects.get()
    assert job.legacy_records
    page = client.get(response.url).content.decode()
    assert LEGACY_LABEL in page
    assert job.status == ImportJob.Status.PREVIEWED, job.result.get("errors")
    assert "[DATE_ORDER]" in page


def test_an_administrator_upload_without_the_option_is_judged_by_every_rule(as_user, users,
                                                                            helper):
    client = as_user(users.admin)
    response = upload(client, candidates_csv(candidate_row(**OUT_OF_ORDER)))
    job = ImportJob.objects.get()
    assert not job.legacy_records and job.status == ImportJob.Status.REJECTED
    assert LEGACY_LABEL not in client.get(response.url).content.decode()


def test_the_command_line_loads_old_records_with_the_option(users, helper, tmp_path):
    path = tmp_path / "cu.csv"
    path.write_bytes(candidates_csv(candidate_row(**OUT_OF_ORDER)))
    code, _out, err = manage("candidates", str(path))
    assert code == 1 and "[DATE_ORDER]" in err
    code, _out, err = manage("candidates", str(path), "--legacy-records", "--as", "bithu")
    assert code == 1 and "Chỉ quản trị hệ thống được nạp hồ sơ giấy cũ" in err
    code, out, err = manage("candidates", str(path), "--legacy-records")
    assert code == 0, err
    assert "Cảnh báo — dòng 2, cột Ngày chi bộ xét: [DATE_ORDER]" in out
    assert Candidate.objects.count() == 1
