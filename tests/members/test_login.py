import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.core.cache import cache
from django.urls import reverse

OFFICE = "203.0.113.7"
HOME = "198.51.100.20"


@pytest.fixture(autouse=True)
def fresh_throttle(db, settings):
    """Every test starts with no failures counted and the documented limits."""
    cache.clear()
    AccessAttempt.objects.all().delete()
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    settings.LOGIN_LOCKOUT_MINUTES = 15
    settings.LOGIN_LOCKOUT_MAX_MINUTES = 24 * 60
    settings.TRUSTED_PROXY_HEADER = ""
    settings.TRUSTED_PROXY_COUNT = 1
    yield
    cache.clear()


def _login(client, username, password, address=OFFICE, **headers):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **headers)


def _fail(client, username, times, address=OFFICE, **headers):
    for _ in range(times):
        _login(client, username, "sai", address, **headers)


def _age_failures(minutes):
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=minutes))


def _logged_in(response):
    return response.status_code == 302 and response.url == reverse("home")


def test_login_with_the_right_password_goes_home(client, users):
    response = _login(client, "bithu", "mat-khau-thu")
    assert _logged_in(response)


def test_a_wrong_password_is_refused_in_vietnamese(client, users):
    response = _login(client, "bithu", "sai")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_make_the_pair_wait_even_with_the_right_password(client, users):
    _fail(client, "bithu", 3)
    response = _login(client, "bithu", "mat-khau-thu")
    assert response.status_code == 429
    assert ("Bạn đã đăng nhập sai quá 3 lần. Vui lòng thử lại sau 15 phút."
            in response.content.decode())
    assert "_auth_user_id" not in client.session


def test_the_throttled_page_is_the_login_form_again(client, users):
    _fail(client, "bithu", 3)
    page = _login(client, "bithu", "sai").content.decode()
    assert 'name="password"' in page
    assert 'value="bithu"' in page


def test_the_right_password_from_another_address_still_gets_in(client, users):
    _fail(client, "bithu", 3, address=OFFICE)
    assert _logged_in(_login(client, "bithu", "mat-khau-thu", address=HOME))


def test_twenty_failures_for_one_user_do_not_block_another_user_at_the_same_address(
    client, users, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.LOGIN_LOCKOUT_MINUTES = 1
    settings.LOGIN_LOCKOUT_MAX_MINUTES = 10**6
    # Each failure after the fifth waits out the previous lock, so all twenty are counted.
    _fail(client, "bithu", 5)
    for past_limit in range(15):
        _age_failures(2**past_limit + 1)
        _fail(client, "bithu", 1)
    assert AccessAttempt.objects.get().failures_since_start == 20
    assert _login(client, "bithu", "mat-khau-thu").status_code == 429
    assert _logged_in(_login(client, "vanphong", "mat-khau-thu"))


def test_a_user_name_in_another_case_shares_the_count(client, users):
    _fail(client, "BiThu", 2)
    _fail(client, " bithu", 1)
    assert _login(client, "bithu", "mat-khau-thu").status_code == 429


def test_the_address_is_throttled_at_its_looser_limit(client, users):
    # Seven names, one failure under the per-address limit of eight, each under its own limit.
    for name in ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]:
        _fail(client, name, 1)
    assert _logged_in(_login(client, "vanphong", "mat-khau-thu"))
    client.logout()
    _fail(client, "a8", 1)
    response = _login(client, "vanphong", "mat-khau-thu")
    assert response.status_code == 429
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này" in response.content.decode()
    assert _logged_in(_login(client, "vanphong", "mat-khau-thu", address=HOME))


def test_the_wait_ends_after_the_cool_off(client, users):
    _fail(client, "bithu", 3)
    _age_failures(16)
    assert _logged_in(_login(client, "bithu", "mat-khau-thu"))


def test_each_failure_after_a_cool_off_doubles_the_next_wait(client, users):
    _fail(client, "bithu", 3)
    _age_failures(16)
    _fail(client, "bithu", 1)
    _age_failures(16)
    response = _login(client, "bithu", "mat-khau-thu")
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 14 phút" in response.content.decode()
    _age_failures(15)
    _fail(client, "bithu", 1)
    response = _login(client, "bithu", "mat-khau-thu")
    assert "Vui lòng thử lại sau 1 giờ." in response.content.decode()


def test_attempts_while_waiting_do_not_make_the_wait_longer(client, users):
    _fail(client, "bithu", 3)
    _fail(client, "bithu", 5)
    _age_failures(16)
    assert _logged_in(_login(client, "bithu", "mat-khau-thu"))


def test_a_successful_login_clears_the_count_of_its_pair_only(client, users):
    _fail(client, "bithu", 2)
    _fail(client, "a1", 2)
    _fail(client, "a2", 2)
    assert _logged_in(_login(client, "bithu", "mat-khau-thu"))
    client.logout()
    _fail(client, "bithu", 2)
    assert _logged_in(_login(client, "bithu", "mat-khau-thu"))
    client.logout()
    # The address still counts the four failures of a1 and a2: four more reach its limit.
    _fail(client, "a3", 2)
    _fail(client, "a4", 2)
    assert _login(client, "vanphong", "mat-khau-thu").status_code == 429


def test_a_spoofed_forwarded_for_is_ignored_when_no_proxy_header_is_configured(client, users):
    for forged in ["10.0.0.1", "10.0.0.2", "10.0.0.3"]:
        _fail(client, "bithu", 1, HTTP_X_FORWARDED_FOR=forged)
    response = _login(client, "bithu", "mat-khau-thu", HTTP_X_FORWARDED_FOR="10.0.0.4")
    assert response.status_code == 429


def test_behind_the_configured_proxy_the_address_it_appended_is_counted(client, users, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "127.0.0.1"
    # The client writes a different left-most entry every time; the proxy appends the truth.
    for forged in ["10.0.0.1", "10.0.0.2", "10.0.0.3"]:
        _fail(client, "bithu", 1, address=proxy, HTTP_X_FORWARDED_FOR=f"{forged}, {OFFICE}")
    assert _login(client, "bithu", "mat-khau-thu", address=proxy,
                  HTTP_X_FORWARDED_FOR=OFFICE).status_code == 429
    # Someone else behind the same proxy is not the attacker.
    assert _logged_in(_login(client, "bithu", "mat-khau-thu", address=proxy,
                             HTTP_X_FORWARDED_FOR=HOME))


def test_with_two_trusted_proxies_the_outer_proxys_entry_is_counted(client, users, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2
    _fail(client, "bithu", 3, address="127.0.0.1",
          HTTP_X_FORWARDED_FOR=f"10.9.9.9, {OFFICE}, 10.0.0.5")
    assert AccessAttempt.objects.get().ip_address == OFFICE


@pytest.mark.parametrize("header", ["", "not-an-address", "203.0.113.7:4431", " , "])
def test_a_missing_or_malformed_proxy_header_falls_back_to_the_connecting_address(
    client, users, settings, header
):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    _fail(client, "bithu", 1, address="127.0.0.1", HTTP_X_FORWARDED_FOR=header)
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_a_lockout_is_logged_with_user_name_and_address(client, users, caplog):
    received = []

    def on_lockout(sender, username, ip_address, **kwargs):
        received.append((username, ip_address))

    user_locked_out.connect(on_lockout)
    try:
        with caplog.at_level(logging.WARNING, logger="members.auth"):
            _fail(client, "bithu", 3)
    finally:
        user_locked_out.disconnect(on_lockout)
    assert received == [("bithu", OFFICE)]
    lines = [r for r in caplog.records if r.name == "members.auth"]
    assert len(lines) == 1
    assert lines[0].levelno == logging.WARNING
    assert "'bithu'" in lines[0].getMessage() and OFFICE in lines[0].getMessage()


def test_the_admin_login_is_throttled_too(client, users):
    _fail(client, "bithu", 3)
    response = client.post(reverse("admin:login"), {"username": "bithu",
                           "password": "mat-khau-thu"}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429


def test_logout_is_a_post_and_returns_to_login(client, users):
    client.force_login(users.secretary)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("env", [
    {"LOGIN_FAILURE_LIMIT": "0"},
    {"LOGIN_ADDRESS_FAILURE_LIMIT": "-1"},
    {"LOGIN_LOCKOUT_MINUTES": "30", "LOGIN_LOCKOUT_MAX_MINUTES": "10"},
    {"TRUSTED_PROXY_COUNT": "0"},
])
def test_nonsensical_throttling_settings_refuse_to_start(env):
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=Path(__file__).resolve().parents[2], env={**os.environ, "DEBUG": "true", **env},
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
