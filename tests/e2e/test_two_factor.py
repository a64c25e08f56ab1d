import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$")


def code_for(secret: str) -> str:
    """What an authenticator app shows for the secret typed by hand from the page."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_department_user_enrols_sees_recovery_codes_and_reaches_home(page, users, settings):
    settings.REQUIRE_2FA = True
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill("bantochuc")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Mã QR"))).to_be_visible()
    secret = page.get_by_text(SECRET).inner_text()

    code = page.get_by_label("Mã 6 chữ số trong ứng dụng")
    code.fill(f"{(int(code_for(secret)) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Xác nhận và bật xác thực hai bước").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã không đúng hoặc đã hết hạn")

    time.sleep(1.1)  # django-otp's wait after one wrong code
    page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(code_for(secret))
    page.get_by_role("button", name="Xác nhận và bật xác thực hai bước").click()
    expect(page.get_by_text("Đã bật xác thực hai bước cho tài khoản của bạn.")).to_be_visible()
    codes = page.get_by_role("list", name="Mã khôi phục").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(codes.first).to_have_text(re.compile(r"^[a-z2-7]{4}-[a-z2-7]{4}$"))

    page.get_by_role("button", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Mã khôi phục").click()
    expect(page.get_by_text("Còn 10 mã khôi phục chưa dùng.")).to_be_visible()
    assert refused == []
