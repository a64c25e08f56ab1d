"""Small scopes download at once; large ones render in a background job whose page shows the
progress and, when done, the file. Only the user who asked sees the job."""
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from reports import views
from reports.models import JobStatus, ReportJob

pytestmark = pytest.mark.django_db


def download_url(code="DBK", period="2024", fmt="pdf"):
    return reverse("reports:download", args=[code, period, fmt])


def test_a_small_scope_downloads_the_pdf_at_once(as_user, users, known):
    response = as_user(users.leader).post(download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-phat-trien-dang-vien-DBK-nam-2024.pdf"')
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def test_a_small_scope_downloads_the_workbook_by_link_too(as_user, users, known):
    response = as_user(users.secretary).get(download_url("B1", "2020-2025", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_a_download_outside_the_subtree_is_not_found(as_user, users, known):
    assert as_user(users.secretary).post(download_url("B3")).status_code == 404


def test_a_download_needs_a_role(as_user, users, known):
    assert as_user(users.nobody).post(download_url()).status_code == 403


def test_only_pdf_and_xlsx_exist(as_user, users):
    assert as_user(users.leader).get("/reports/DBK/2024/docx/").status_code == 404


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 2)


def test_a_large_scope_asks_before_rendering_in_the_background(as_user, users, known, large):
    response = as_user(users.leader).get(download_url())
    assert response.status_code == 200
    assert "được dựng trong nền" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_large_scope_renders_in_the_background_and_offers_the_file(
        as_user, users, known, large, immediate_tasks, django_capture_on_commit_callbacks):
    client = as_user(users.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(download_url())
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:job",
                                                                  args=[job.pk])
    assert (job.status, job.progress, job.requested_by) == (JobStatus.DONE, 100, users.leader)
    page = client.get(response.url).content.decode()
    assert "Đã xong" in page and "Tải về bao-cao-phat-trien-dang-vien-DBK-nam-2024.pdf" in page
    file = client.get(reverse("reports:job_file", args=[job.pk]))
    assert file.status_code == 200 and file.content.startswith(b"%PDF")


def test_a_waiting_job_shows_its_progress_and_refreshes(as_user, users, known, large,
                                                        django_capture_on_commit_callbacks):
    client = as_user(users.leader)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(download_url(fmt="xlsx"))
    page = client.get(response.url).content.decode()
    assert "Đang chờ" in page and 'http-equiv="refresh"' in page
    assert '<progress id="job-progress" value="0" max="100">' in page
    job = ReportJob.objects.get()
    assert client.get(reverse("reports:job_file", args=[job.pk])).status_code == 404


def test_asking_twice_while_a_job_waits_reuses_it(as_user, users, known, large,
                                                  django_capture_on_commit_callbacks):
    client = as_user(users.leader)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(download_url())
        client.post(download_url())
    assert ReportJob.objects.count() == 1


def test_another_users_job_is_not_found(as_user, users, known, large, immediate_tasks,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(users.leader).post(download_url())
    job = ReportJob.objects.get()
    client = as_user(users.department)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job_file", args=[job.pk])).status_code == 404


def test_a_failed_job_says_so_and_offers_to_try_again(as_user, users, known, large,
                                                      immediate_tasks, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")
    monkeypatch.setattr("reports.documents.render_report_pdf", broken)
    client = as_user(users.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(download_url())
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.error == "hỏng"
    assert "Thử lại" in client.get(response.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_renders_the_waiting_job(as_user, users, known,
                                                                     large, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    as_user(users.leader).post(download_url())
    assert ReportJob.objects.get().status == JobStatus.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE and bytes(job.content).startswith(b"%PDF")
