"""An import upload over IMPORT_MAX_UPLOAD_MB is refused while it arrives: on its declared
length before the body is read, or as soon as the file streaming in passes the limit; never
after the whole body has been received."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from members.models import ImportJob

from .conftest import MEMBER_HEADERS, csv_bytes


class Body(io.RawIOBase):
    """The request body as the server hands it over, counting what the app reads of it."""

    def __init__(self, data: bytes):
        self.stream = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = self.stream.read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        chunk = self.stream.readline(size)
        self.read_bytes += len(chunk)
        return chunk


def post_body(client, url, body: bytes, *, declared: int):
    wsgi_input = Body(body)
    response = client.generic("POST", url, CONTENT_TYPE=MULTIPART_CONTENT,
                              CONTENT_LENGTH=str(declared), **{"wsgi.input": wsgi_input})
    return response, wsgi_input


def upload(name, data):
    return encode_multipart(BOUNDARY, {"file": SimpleUploadedFile(name, data)})


def a_csv_of(size):
    rows = [[f"Người {i}", "17/05/1990", "Nam", "", "", "B1", f"{i:06d}", "02/03/2015", "", ""]
            for i in range(size // 60 + 1)]
    return csv_bytes(MEMBER_HEADERS, rows)


def test_a_120_mb_upload_is_refused_on_its_length_before_its_body_is_read(as_user, users):
    client = as_user(users.department)
    url = reverse("members:import_upload", args=["members"])
    body = upload("lon.csv", a_csv_of(4000))
    response, wsgi_input = post_body(client, url, body, declared=120 * 1024 * 1024)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Tệp quá lớn" in page and "tệp đến 20 MB" in page
    assert wsgi_input.read_bytes == 0
    assert not ImportJob.objects.exists()


def test_the_limit_named_is_the_setting(as_user, users, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1.5
    client = as_user(users.department)
    url = reverse("members:import_upload", args=["members"])
    response, _ = post_body(client, url, upload("a.csv", b"x"), declared=2 * 1024 * 1024)
    assert response.status_code == 413 and "tệp đến 1,5 MB" in response.content.decode()


def test_a_file_growing_past_the_limit_is_cut_off_while_it_streams(as_user, users, settings):
    """The declared length passes (it allows for the form around the file) but the file itself
    is over the limit: reading stops there and the rest of the body is never read."""
    settings.IMPORT_MAX_UPLOAD_MB = 0.1  # 104,857 bytes
    client = as_user(users.department)
    url = reverse("members:import_upload", args=["members"])
    data = a_csv_of(150_000)
    body = upload("lon.csv", data)
    assert 104_857 < len(data) < len(body) < 104_857 + 64 * 1024
    response, wsgi_input = post_body(client, url, body, declared=len(body))
    assert response.status_code == 413
    assert "tệp đến 0,1 MB" in response.content.decode()
    assert wsgi_input.read_bytes < len(body)
    assert not ImportJob.objects.exists()


def test_a_file_within_the_limit_is_uploaded_as_before(as_user, users, tree, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.1
    client = as_user(users.department)
    url = reverse("members:import_upload", args=["members"])
    body = upload("nho.csv", a_csv_of(20_000))
    response, wsgi_input = post_body(client, url, body, declared=len(body))
    assert response.status_code == 302
    assert wsgi_input.read_bytes == len(body)
    assert ImportJob.objects.get().filename == "nho.csv"


def test_the_upload_still_needs_its_csrf_token(users, tree, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users.department)
    url = reverse("members:import_upload", args=["members"])
    response = strict.post(url, {"file": SimpleUploadedFile("a.csv", a_csv_of(100))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_other_posts_are_not_limited(as_user, users, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.0001
    client = as_user(users.department)
    response = client.post(reverse("logout"), {"pad": "x" * 2000})
    assert response.status_code == 302
