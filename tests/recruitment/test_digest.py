"""The weekly e-mail digest: `manage.py digest` queues one task per user, each mail lists what
waits for its user (the home panel's selector), with absolute links; none when nothing is
due or the user turned it off, which a page and a signed link in the mail both do."""
import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from recruitment import rules
from recruitment.digest import recipients, unsubscribe_token, user_from_token
from recruitment.models import Candidate, DigestPreference, Stage

from .conftest import make_candidate

TODAY = date(2026, 2, 12)  # the Thursday before Tết 2026


@pytest.fixture(autouse=True)
def setup(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://phattrien.example.vn"
    monkeypatch.setattr(rules, "today", lambda: TODAY)


@pytest.fixture
def mailed(users):
    """Every user with a role gets an address."""
    for user in (users.secretary, users.office, users.department, users.leader):
        user.email = f"{user.username}@example.vn"
        user.save()
    return users


@pytest.fixture
def due(users, tree):
    late = make_candidate(users, tree.b1, full_name="Người Quá Hạn", citizen_id=None)
    soon = make_candidate(users, tree.b1, full_name="Người Sắp Đến Hạn", citizen_id=None)
    Candidate.objects.filter(pk=late.pk).update(stage=Stage.ADMISSION_DECIDED,
                                                due_date=date(2026, 2, 10))
    Candidate.objects.filter(pk=soon.pk).update(stage=Stage.ADMISSION_DECIDED,
                                                due_date=date(2026, 2, 25))
    return late, soon


def test_one_mail_goes_to_each_user_with_work_due_and_none_to_the_others(mailed, due):
    call_command("digest")
    assert [m.to for m in mail.outbox] == [["bithu@example.vn"]]
    message = mail.outbox[0]
    assert message.subject == "Việc cần làm trong tuần: 2 hồ sơ (1 quá hạn)"
    late, soon = due
    text = message.body
    assert text.index("Người Quá Hạn") < text.index("Người Sắp Đến Hạn")
    assert "[QUÁ HẠN 2 ngày làm việc] Người Quá Hạn" in text
    assert "còn 4 ngày làm việc" in text  # 13, 23, 24, 25 February: Tết skipped
    assert f"https://phattrien.example.vn/candidates/{late.pk}/" in text
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="https://phattrien.example.vn/candidates/{soon.pk}/"' in html
    assert "Quá hạn 2 ngày làm việc" in html
    # The link is signed with the time it was made, so it is read back rather than remade.
    prefix = "https://phattrien.example.vn" + reverse(
        "recruitment:digest_unsubscribe", args=["TOKEN"]).replace("TOKEN/", "")
    token = re.search(re.escape(prefix) + r"([^/\s]+)/", text).group(1)
    assert user_from_token(token) == mailed.secretary
    unsubscribe = f"{prefix}{token}/"
    assert unsubscribe in html
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"


def test_no_mail_when_nothing_is_due(mailed, tree, users):
    far = make_candidate(users, tree.b1, full_name="Người Còn Lâu", citizen_id=None)
    Candidate.objects.filter(pk=far.pk).update(stage=Stage.ADMISSION_DECIDED,
                                               due_date=date(2026, 6, 1))
    call_command("digest")
    assert mail.outbox == []


def test_a_user_who_turned_it_off_gets_no_mail(mailed, due):
    DigestPreference.set_weekly(mailed.secretary, False)
    call_command("digest")
    assert mail.outbox == []


def test_only_active_users_with_an_address_and_a_role_are_queued(mailed, users):
    users.office.is_active = False
    users.office.save()
    users.department.email = ""
    users.department.save()
    users.nobody.email = "chuaphanquyen@example.vn"
    users.nobody.save()
    assert sorted(u.username for u in recipients()) == ["bithu", "lanhdao"]


def test_the_unsubscribe_link_asks_then_turns_the_digest_off_without_signing_in(
        client, mailed):
    link = reverse("recruitment:digest_unsubscribe",
                   args=[unsubscribe_token(mailed.secretary)])
    page = client.get(link)
    assert page.status_code == 200
    assert "Thôi gửi thư tóm tắt hằng tuần tới bithu@example.vn?" in page.content.decode()
    assert DigestPreference.wants_weekly(mailed.secretary)  # a GET changes nothing

    done = client.post(link)
    assert done.status_code == 200
    assert "Đã thôi gửi thư tóm tắt hằng tuần tới bithu@example.vn" in done.content.decode()
    assert not DigestPreference.wants_weekly(mailed.secretary)


@pytest.mark.parametrize("token", ["sai", "tampered"])
def test_a_tampered_unsubscribe_link_is_refused(client, mailed, token):
    if token == "tampered":
        good = unsubscribe_token(mailed.secretary)
        token = unsubscribe_token(mailed.office).split(":")[0] + ":" + good.split(":", 1)[1]
    response = client.post(reverse("recruitment:digest_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "Đường dẫn này không đúng hoặc đã bị sửa" in response.content.decode()
    assert DigestPreference.wants_weekly(mailed.secretary)
    assert DigestPreference.wants_weekly(mailed.office)


def test_the_settings_page_turns_the_digest_off_and_on(as_user, mailed):
    client = as_user(mailed.secretary)
    page = client.get(reverse("recruitment:digest_settings")).content.decode()
    assert "Nhận thư tóm tắt hằng tuần" in page and "checked" in page
    assert "bithu@example.vn" in page

    response = client.post(reverse("recruitment:digest_settings"), {}, follow=True)
    assert "Đã lưu: sẽ không nhận thư tóm tắt hằng tuần." in response.content.decode()
    assert not DigestPreference.wants_weekly(mailed.secretary)

    client.post(reverse("recruitment:digest_settings"), {"weekly": "on"})
    assert DigestPreference.wants_weekly(mailed.secretary)


def test_the_settings_page_is_for_signed_in_users_with_a_role(client, as_user, users):
    assert client.get(reverse("recruitment:digest_settings")).status_code == 302
    assert as_user(users.nobody).get(reverse("recruitment:digest_settings")).status_code == 403


def test_the_settings_page_says_when_the_account_has_no_address(as_user, users):
    page = as_user(users.secretary).get(reverse("recruitment:digest_settings")).content.decode()
    assert "Tài khoản của bạn chưa có địa chỉ thư điện tử" in page
