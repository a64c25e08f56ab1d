"""Large files are checked and applied in the background (a task of the Django tasks API run
by `manage.py db_worker`), with the progress and the result kept in the database."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from members.models import ImportJob, Member

from .conftest import MEMBER_HEADERS, csv_bytes


@pytest.fixture
def background(settings):
    settings.IMPORT_BACKGROUND_MIN_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                 stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115


# The worker closes its database connections between tasks, as a real worker process does:
# the test cannot sit inside one transaction.
@pytest.mark.django_db(transaction=True)
def test_a_large_file_waits_for_the_worker_then_shows_preview_and_result(
        as_user, users, tree, background, django_capture_on_commit_callbacks):
    client = as_user(users.department)
    rows = [[f"Người {i}", "17/05/1990", "Nam", "", "", "B1", f"{i:05d}", "02/03/2015", "", ""]
            for i in range(300)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import_upload", args=["members"]), {
            "file": SimpleUploadedFile("lon.csv", csv_bytes(MEMBER_HEADERS, rows))})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    page = client.get(response.url).content.decode()
    assert '<progress value="0" max="100"' in page and 'http-equiv="refresh"' in page

    work()
    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportJob.Status.PREVIEWED, 100)
    assert job.result["created"] == 300 and not Member.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    work()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Member.objects.count() == 300
    assert "Đã nhập xong 300 dòng" in client.get(response.url).content.decode()


def test_a_job_is_run_once_even_if_two_workers_pick_it(users, tree, settings):
    from members import importing

    job = ImportJob.objects.create(
        kind="members", user=users.admin, filename="a.csv",
        file=SimpleUploadedFile("a.csv", csv_bytes(MEMBER_HEADERS, [
            ["Người 1", "17/05/1990", "Nam", "", "", "B1", "1", "02/03/2015", "", ""]])))
    assert importing.run_job(job) is True
    assert importing.run_job(job) is False  # already taken
