import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import Role

from ..factories import UserFactory, grant

SETUP = reverse("members:two_factor_setup")
VERIFY = reverse("members:two_factor_verify")
RECOVERY = reverse("members:two_factor_recovery")


@pytest.fixture(autouse=True)
def second_factor_on(db, settings):
    settings.REQUIRE_2FA = True
    cache.clear()
    AccessAttempt.objects.all().delete()


def _log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "mat-khau-thu"})
    assert response.status_code == 302, response.content.decode()
    return response


def _code(device, steps_ahead=0):
    """What the user's authenticator shows now (or `steps_ahead` periods of 30 s later:
    a code already used is never accepted twice)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _enrol(client):
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    return client.post(SETUP, {"code": _code(device), "next": "/"}), device


def _recovery_codes(response):
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", response.content.decode())


def _as_if_a_while_later():
    """Past the short wait django-otp imposes after a wrong code, as when a person retypes."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(throttling_failure_count__gt=0).update(
            throttling_failure_timestamp=timezone.now() - timedelta(hours=1))


def _relogin(client, username):
    client.post(reverse("logout"))
    _log_in(client, username)


def test_a_department_user_is_sent_to_enrolment_from_home_and_from_admin(client, users):
    _log_in(client, "bantochuc")
    for path in (reverse("home"), "/admin/", reverse("members:member_list")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(SETUP)
    page = client.get(SETUP).content.decode()
    assert "Thiết lập xác thực hai bước" in page
    # The QR code is drawn into the page itself, never fetched from another host.
    assert re.search(r'<svg [^>]*aria-label="Mã QR[^"]*"', page)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert all(len(group) == 4 for group in secret.split(" "))


def test_an_administrator_and_a_superuser_are_asked_too(client, users, tree):
    admin = UserFactory(username="quantri2")
    grant(admin, Role.ADMINISTRATOR, tree.root)
    for username in ("quantri2", "quantri"):
        client.post(reverse("logout"))
        _log_in(client, username)
        assert client.get("/admin/").url.startswith(SETUP)
    _enrol(client)
    assert client.get("/admin/").status_code == 200


def test_enrolment_with_a_wrong_code_is_refused_with_a_message(client, users):
    _log_in(client, "bantochuc")
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("home")).url.startswith(SETUP)


@pytest.mark.parametrize("typed", ["", "12345", "abcdef", "1234567"])
def test_enrolment_refuses_what_is_not_six_digits(client, users, typed):
    _log_in(client, "bantochuc")
    client.get(SETUP)
    response = client.post(SETUP, {"code": typed})
    page = response.content.decode()
    assert "Hãy nhập mã 6 chữ số" in page or "Mã gồm đúng 6 chữ số." in page
    assert TOTPDevice.objects.get().throttling_failure_count == 0


def test_the_secret_stays_the_same_until_it_is_confirmed(client, users):
    _log_in(client, "bantochuc")
    first = client.get(SETUP).content.decode()
    again = client.get(SETUP).content.decode()
    secret = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
    assert secret.search(first).group(1) == secret.search(again).group(1)


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_and_opens_the_site(
        client, users):
    _log_in(client, "bantochuc")
    response, device = _enrol(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã bật xác thực hai bước" in page
    codes = _recovery_codes(response)
    assert len(set(codes)) == 10
    assert StaticToken.objects.count() == 10
    device.refresh_from_db()
    assert device.confirmed
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert RECOVERY in home.content.decode()


def test_the_next_login_asks_for_the_code_and_accepts_it(client, users):
    _log_in(client, "bantochuc")
    _, device = _enrol(client)
    _relogin(client, "bantochuc")
    response = client.get(reverse("home"))
    assert response.url.startswith(VERIFY)
    assert client.get(SETUP).url.startswith(VERIFY)
    assert "Xác thực hai bước" in client.get(response.url).content.decode()

    device.refresh_from_db()
    response = client.post(VERIFY, {"code": _code(device, steps_ahead=1), "next": "/members/"})
    assert response.status_code == 302 and response.url == "/members/"
    assert client.get(reverse("home")).status_code == 200


def test_a_code_already_used_is_not_accepted_again(client, users):
    _log_in(client, "bantochuc")
    _, device = _enrol(client)
    _relogin(client, "bantochuc")
    used = _code(device)  # the one that confirmed the enrolment
    response = client.post(VERIFY, {"code": used})
    assert "Mã không đúng" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(VERIFY)


def test_a_recovery_code_works_once_and_not_twice(client, users):
    _log_in(client, "bantochuc")
    response, _ = _enrol(client)
    code = _recovery_codes(response)[0]

    _relogin(client, "bantochuc")
    response = client.post(VERIFY, {"code": code.upper()})
    assert response.status_code == 302
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    assert "còn 9 mã" in home.content.decode()
    assert StaticToken.objects.count() == 9

    _relogin(client, "bantochuc")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "mã khôi phục đã được dùng" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(VERIFY)


@pytest.mark.parametrize("typed", ["", "12 34", "abc", "abcd-efg1", "0123456789"])
def test_the_code_page_refuses_what_is_neither_a_code_nor_a_recovery_code(
        client, users, typed):
    _log_in(client, "bantochuc")
    _enrol(client)
    _relogin(client, "bantochuc")
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get(reverse("home")).url.startswith(VERIFY)


def test_five_wrong_codes_make_the_user_wait_even_with_the_right_code(client, users):
    _log_in(client, "bantochuc")
    _, device = _enrol(client)
    _relogin(client, "bantochuc")
    device.refresh_from_db()
    wrong = f"{(int(_code(device, 1)) + 5) % 1_000_000:06d}"
    for _ in range(5):
        # A person takes a few seconds to retype: only the wait after the fifth failure bites.
        _as_if_a_while_later()
        response = client.post(VERIFY, {"code": wrong})
        assert "Mã không đúng" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 5

    response = client.post(VERIFY, {"code": _code(device, steps_ahead=1)})
    assert "Đã nhập sai quá nhiều lần liên tiếp" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(VERIFY)

    # The wait after five failures is 16 seconds (django-otp doubles it each time).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=17))
    response = client.post(VERIFY, {"code": _code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_branch_secretary_is_never_asked(client, users):
    _log_in(client, "bithu")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(SETUP).url == reverse("home")
    assert not TOTPDevice.objects.exists()
    assert RECOVERY not in client.get(reverse("home")).content.decode()


def test_with_the_setting_off_nobody_is_asked(client, users, settings):
    settings.REQUIRE_2FA = False
    for username in ("bantochuc", "quantri"):
        client.post(reverse("logout"))
        _log_in(client, username)
        assert client.get(reverse("home")).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(VERIFY).url == reverse("home")


def test_before_the_code_only_logout_the_language_switch_and_static_files_are_open(client, users):
    _log_in(client, "bantochuc")
    assert client.get("/static/css/app.css").status_code in (200, 404)
    assert not client.get("/static/css/app.css").get("Location")
    assert client.get(RECOVERY).url.startswith(SETUP)
    switched = client.post(reverse("set_language"), {"language": "en", "next": SETUP})
    assert switched.url == SETUP
    client.post(reverse("logout"))
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_new_recovery_codes_replace_the_old_ones(client, users):
    _log_in(client, "bantochuc")
    response, _ = _enrol(client)
    old = _recovery_codes(response)
    page = client.get(RECOVERY).content.decode()
    assert "Còn 10 mã khôi phục chưa dùng" in page
    new = _recovery_codes(client.post(RECOVERY))
    assert len(new) == 10 and not set(new) & set(old)
    # The session stays verified after the codes are replaced.
    assert client.get(reverse("home")).status_code == 200

    _relogin(client, "bantochuc")
    assert "mã khôi phục đã được dùng" in client.post(VERIFY, {"code": old[0]}).content.decode()
    _as_if_a_while_later()
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_after_the_code_the_user_is_sent_on_only_to_this_site(client, users):
    _log_in(client, "bantochuc")
    _, device = _enrol(client)
    _relogin(client, "bantochuc")
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": _code(device, 1), "next": "https://evil.example/"})
    assert response.url == reverse("home")


@pytest.mark.parametrize("name", ["members:two_factor_setup", "members:two_factor_verify",
                                  "members:two_factor_recovery"])
def test_an_anonymous_visitor_of_a_second_factor_page_is_sent_to_the_login_page(client, name,
                                                                                settings):
    settings.REQUIRE_2FA = True
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
