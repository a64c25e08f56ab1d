from django.urls import reverse

from members.models import LoginFailure


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_the_right_password_goes_home(client, users):
    response = _login(client, "bithu", "mat-khau-thu")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_is_refused_in_vietnamese(client, users):
    response = _login(client, "bithu", "sai")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "bithu", "sai")
    response = _login(client, "bithu", "mat-khau-thu")
    assert response.status_code == 200
    assert "Bạn đã đăng nhập sai quá 3 lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_user_name(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "bithu", "sai")
    assert _login(client, "vanphong", "mat-khau-thu").status_code == 302


def test_failures_older_than_the_lockout_window_are_forgotten(client, users, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "bithu", "sai")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert _login(client, "bithu", "mat-khau-thu").status_code == 302


def test_a_successful_login_clears_earlier_failures(client, users):
    _login(client, "bithu", "sai")
    _login(client, "bithu", "mat-khau-thu")
    assert not LoginFailure.objects.filter(username="bithu").exists()


def test_logout_is_a_post_and_returns_to_login(client, users):
    client.force_login(users.secretary)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
