"""The import pages: template, upload, preview with the error list, confirmation, summary;
allowed, not allowed, and someone else's job (404)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import ImportJob, Member

from .conftest import MEMBER_HEADERS, csv_bytes, xlsx_cells


def upload(client, kind, data, name="tep.csv"):
    return client.post(reverse("members:import_upload", args=[kind]),
                       {"file": SimpleUploadedFile(name, data)})


def member_rows(*cards, birth="17/05/1990"):
    return [[f"Người {c}", birth, "Nam", "", "", "B1", c, "02/03/2015", "", ""] for c in cards]


def test_the_template_has_the_exact_headers_and_one_example_row(as_user, users, tree):
    response = as_user(users.secretary).get(reverse("members:import_template",
                                                    args=["candidates"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-quan-chung.xlsx"'
    rows = xlsx_cells(b"".join(response.streaming_content))
    from .conftest import CANDIDATE_EXPORT_HEADERS

    assert rows[0] == CANDIDATE_EXPORT_HEADERS
    assert len(rows) == 2 and rows[1][13] == "B1"  # the secretary's own branch as example


def test_upload_preview_confirm_and_summary(as_user, users, tree):
    client = as_user(users.department)
    response = upload(client, "members", csv_bytes(MEMBER_HEADERS, member_rows("0001", "0002")))
    job = ImportJob.objects.get()
    assert response.url == reverse("members:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.PREVIEWED and job.user == users.department
    page = client.get(response.url).content.decode()
    assert "Tệp hợp lệ" in page and "Xác nhận nhập 2 dòng" in page
    assert not Member.objects.exists()

    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Member.objects.count() == 2
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert "Đã nhập xong 2 dòng" in page


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(as_user, users, tree):
    client = as_user(users.secretary)
    upload(client, "members", csv_bytes(MEMBER_HEADERS, member_rows("0001", birth="31/02/1990")))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert "dòng 2, cột Ngày sinh: ngày “31/02/1990” không có thật." in page
    assert "Xác nhận" not in page
    client.post(reverse("members:import_confirm", args=[job.pk]))
    assert not Member.objects.exists()


def test_confirming_twice_applies_the_file_once(as_user, users, tree):
    client = as_user(users.department)
    upload(client, "members", csv_bytes(MEMBER_HEADERS, member_rows("0001")))
    job = ImportJob.objects.get()
    for _ in range(2):
        client.post(reverse("members:import_confirm", args=[job.pk]))
    assert Member.objects.count() == 1


def test_a_database_changed_between_preview_and_confirmation_is_checked_again(
        as_user, users, tree):
    client = as_user(users.secretary)
    upload(client, "members", csv_bytes(MEMBER_HEADERS, member_rows("0001")))
    job = ImportJob.objects.get()
    tree.b1.kind = "grassroots_committee"  # no longer a branch
    tree.b1.save()
    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED and not Member.objects.exists()


def test_a_50_mb_upload_is_refused_and_not_stored(as_user, users, media_root):
    big = b"\0" * (50 * 1024 * 1024)
    response = upload(as_user(users.department), "members", big)
    assert response.status_code == 413  # before the body is read: see test_upload_limit.py
    assert "Mỗi lần nhập chỉ nhận tệp đến 20 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_empty_upload_is_refused_on_the_form(as_user, users):
    response = upload(as_user(users.department), "members", b"")
    assert response.status_code == 400
    assert "Tệp rỗng" in response.content.decode()


def test_someone_elses_job_is_not_found(as_user, users, tree):
    upload(as_user(users.department), "members", csv_bytes(MEMBER_HEADERS, member_rows("0001")))
    job = ImportJob.objects.get()
    client = as_user(users.admin)
    assert client.get(reverse("members:import_job", args=[job.pk])).status_code == 404
    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED


@pytest.mark.parametrize(("who", "kind", "status"), [
    ("secretary", "candidates", 200),
    ("secretary", "organisations", 404),
    ("department", "organisations", 200),
    ("leader", "members", 404),
    ("admin", "classes", 200),
    ("department", "no-such-kind", 404),
])
def test_the_upload_page_is_open_to_the_roles_that_import_the_kind(as_user, users, who, kind,
                                                                    status):
    url = reverse("members:import_upload", args=[kind])
    assert as_user(getattr(users, who)).get(url).status_code == status


def test_the_import_index_lists_the_kinds_and_the_nav_shows_it_to_importers(as_user, users):
    client = as_user(users.secretary)
    page = client.get(reverse("members:import_index")).content.decode()
    assert "Quần chúng và hồ sơ kết nạp" in page and "Tổ chức đảng</h2>" not in page
    home = client.get(reverse("home")).content.decode()
    assert "Nhập dữ liệu" in home
    assert "Nhập dữ liệu" not in as_user(users.leader).get(reverse("home")).content.decode()
    assert as_user(users.leader).get(reverse("members:import_index")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("members:import_index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
