"""Every page tells the browser what it may load and use; pages and files of a signed-in user
are never stored by a browser or proxy cache."""
import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from members.security import SecurityHeadersMiddleware

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# WeasyPrint renders these to PDF on the server; no browser applies a policy to them.
PRINTED = ("pdf/", "recruitment/pdf/", "reports/pdf/", "papers/")


def assert_not_stored(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def assert_protected(response):
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    features = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in features


def test_the_login_page_carries_the_policies(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_protected(response)


def test_a_refused_login_carries_the_policies(client, db):
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert_protected(response)


@pytest.mark.parametrize("name, args", [
    ("home", []),
    ("members:member_list", []),
    ("members:organisation_detail", ["GC1"]),
    ("members:import_index", []),
    ("reports:index", []),
    ("recruitment:worklist", []),
])
def test_every_page_of_a_signed_in_user_carries_the_policies_and_is_not_stored(
    as_user, users, name, args
):
    response = as_user(users.department).get(reverse(name, args=args))
    assert response.status_code == 200
    assert_protected(response)
    assert_not_stored(response)


def test_a_not_found_page_carries_the_policies(as_user, users):
    response = as_user(users.office).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert_protected(response)
    assert_not_stored(response)


def test_a_member_page_is_not_stored(as_user, users, members):
    response = as_user(users.secretary).get(
        reverse("members:member_detail", args=[members.m1.pk]))
    assert response.status_code == 200
    assert_not_stored(response)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_of_members_is_not_stored(as_user, users, members, fmt):
    response = as_user(users.secretary).get(
        reverse("members:export", kwargs={"kind": "members", "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_an_import_template_is_not_stored(as_user, users):
    response = as_user(users.secretary).get(
        reverse("members:import_template", kwargs={"kind": "members"}))
    assert response.status_code == 200
    assert_not_stored(response)


def test_a_report_pdf_is_not_stored(as_user, users, members):
    response = as_user(users.secretary).post(
        reverse("reports:download", args=["B1", "2024", "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_not_stored(response)


def test_a_downloaded_file_is_not_stored_even_without_a_session():
    def attachment(request):
        response = HttpResponse(b"x", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="danh-sach.csv"'
        return response

    response = SecurityHeadersMiddleware(attachment)(RequestFactory().get("/"))
    assert_not_stored(response)


def test_a_public_page_keeps_its_own_caching():
    response = SecurityHeadersMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().get("/"))
    assert "Cache-Control" not in response
    assert "camera=()" in response["Permissions-Policy"]


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_page_template_holds_inline_script_style_or_handlers_the_policy_refuses():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        if not str(path.relative_to(TEMPLATES)).startswith(PRINTED)
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
