"""The Content-Security-Policy refuses inline scripts and styles and anything from another host:
no page may rely on one, or the browser silently drops part of it."""
import pytest

from recruitment.rules import today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def watch_refusals(page):
    refused = []
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return refused


def visit(page, urls):
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")


def test_no_page_of_the_application_trips_the_policy(page, log_in, users, members):
    refused = watch_refusals(page)
    log_in("bantochuc")
    year = today().year
    visit(page, [
        "/", "/members/", f"/members/{members.m1.pk}/", "/organisations/GC1/",
        "/candidates/", "/examination/", "/worklist/", "/classes/", "/classes/new/", "/import/",
        "/reports/", f"/reports/DBK/{year}/", "/reports/targets/DBK/",
    ])
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login/")
    log_in("bithu")
    visit(page, ["/candidates/new/", "/import/members/"])
    assert refused == []


def test_the_admin_does_not_trip_the_policy(page, log_in, users, members):
    refused = watch_refusals(page)
    log_in("quantri")
    visit(page, ["/admin/", "/admin/members/member/",
                 f"/admin/members/member/{members.m1.pk}/change/", "/admin/auth/user/add/"])
    assert refused == []
